"""Generate a synthetic Dataverse export of the Omnichannel tables (demo data).

The output mimics Azure Synapse Link for Dataverse in append-only mode (see
``spec/dataverse-export.md``): one folder per table under ``--out``, Parquet or CSV
files (``part-00000.parquet`` ...), the Dataverse logical column names plus the export
columns ``versionnumber``, ``sinkmodifiedon`` and ``isdelete``.

The contact centre is simulated, vectorised, in *rounds*: every round creates one
session (one queue-assignment attempt) for each conversation still in flight and draws
its outcome (bot end or escalation, abandon, reject, timeout, accept and close, agent or
queue transfer, supervisor move); the outcomes that hand the conversation on feed the
next round. Sessions still running at the end of the range stay open. Participants,
sentiment rows, older row versions and tombstones are derived from the sessions.

Output is deterministic: the same arguments and seed give byte-identical files. Large
exports are produced chunk by chunk (about ``chunk_sessions`` sessions per file), so
memory stays bounded whatever the total.

CLI::

    python -m omnichannel_tools.generate --out DIR --sessions 20000 --seed 42 \\
        --format parquet [--start-date 2025-01-01] [--days 90] [--chunk-sessions 1000000]
"""

from __future__ import annotations

import argparse
import binascii
import math
import os
import shutil
import sys
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Union

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

Col = Union[np.ndarray, pa.Array]
Cols = dict[str, Col]

NAT = np.iinfo(np.int64).min  # NULL timestamp (int64 microseconds since the epoch)
NA = -1  # NULL in int columns (choice codes, activetime, indices)
SEC = 1_000_000
DAY = 86_400 * SEC
VERSION_EPOCH_US = int(datetime(2020, 1, 1, tzinfo=timezone.utc).timestamp()) * SEC

# --------------------------------------------------------------------------- schema
TS = pa.timestamp("us", tz="UTC")
MECHANICS = [("versionnumber", pa.int64()), ("sinkmodifiedon", TS), ("isdelete", pa.bool_())]
SCHEMAS: dict[str, pa.Schema] = {
    "msdyn_ocsession": pa.schema([
        ("activityid", pa.string()), ("msdyn_sessionid", pa.string()),
        ("msdyn_liveworkitemid", pa.string()), ("msdyn_queueid", pa.string()),
        ("msdyn_channel", pa.int32()), ("msdyn_channelinstanceid", pa.string()),
        ("msdyn_sessioncreatedon", TS), ("msdyn_agentassignedon", TS),
        ("msdyn_agentacceptedon", TS), ("msdyn_sessionclosedon", TS),
        ("msdyn_state", pa.int32()), ("msdyn_closurereason", pa.int32()),
        ("statuscode", pa.int32()), *MECHANICS]),
    "msdyn_sessionparticipant": pa.schema([
        ("msdyn_sessionparticipantid", pa.string()), ("msdyn_omnichannelsession", pa.string()),
        ("msdyn_agentid", pa.string()), ("msdyn_mode", pa.int32()),
        ("msdyn_addedon", TS), ("msdyn_joinedon", TS), ("msdyn_lefton", TS),
        ("msdyn_leftonreason", pa.string()), ("msdyn_activetime", pa.int32()),
        ("msdyn_externalparticipantchannel", pa.string()),
        ("msdyn_externalparticipantchanneltype", pa.int32()), *MECHANICS]),
    "msdyn_ocliveworkitem": pa.schema([
        ("activityid", pa.string()), ("msdyn_isoutbound", pa.bool_()),
        ("statuscode", pa.int32()), ("msdyn_createdon", TS), ("msdyn_closedon", TS),
        *MECHANICS]),
    "msdyn_ocsessionsentiment": pa.schema([
        ("msdyn_ocsessionsentimentid", pa.string()), ("msdyn_omnichannelsession", pa.string()),
        ("msdyn_sentimentpulse", pa.float64()), ("msdyn_sentimentzone", pa.string()),
        ("createdon", TS), *MECHANICS]),
    "systemuser": pa.schema([
        ("systemuserid", pa.string()), ("fullname", pa.string()),
        ("msdyn_botapplicationid", pa.string()), *MECHANICS]),
    "queue": pa.schema([("queueid", pa.string()), ("name", pa.string()), *MECHANICS]),
}
TABLES = tuple(SCHEMAS)

# --------------------------------------------------------------------------- codes
STATE_ACTIVE, STATE_CLOSED, STATE_NEW, STATE_WRAPUP = 192350001, 192350002, 192350003, 192350004
MODE_PRIMARY, MODE_CONSULT, MODE_MONITOR = 192350002, 192350003, 192350004
EXTERNAL_PHONE = 426120000
CR = {name: 192350000 + i for i, name in enumerate([
    "Default", "AgentReject", "AgentTimeout", "ConversationTimeout", "AgentClosed",
    "ConversationClosed", "AgentTransfered", "AgentDisconnected", "AgentReRouted",
    "VirtualAgentClosed", "AgentTransferToQueue", "SupervisorAssignToQueue",
    "SupervisorTransferToAgent", "SystemReject", "ForceClose", "OverflowQueueTransfer",
    "OverflowEndConversation", "AddAgentFailed", "AutoClose", "SecondaryChannelClosed",
    "CustomerDisconnect", "AgentEndConversation", "CustomerEndConversation", "QueueTransfer",
    "InqueueOverflowQueueTransfer", "InqueueOverflowEndConversation", "BotTransferToAgent",
    "BotEndConversation", "BotCallFailureEndConversation", "BotCallFailureExternalTransfer",
    "BotCallFailurePromptAndEscalate", "BotCallFailureEscalate", "CanceledByProactiveService",
    "ManuallyClosedConversation", "ManuallyClosedSession", "AgentTransferToAgentGroup"])}
UNKNOWN_CLOSURE = 192350099  # a code no glossary knows

CHAT, VOICE, MESSAGING, ENTITY = 0, 1, 2, 3
# (code, weight, group, outbound share, bot share, has channel instance)
CHANNELS = np.array([
    (192360000, 0.360, CHAT, 0.00, 0.27, 0),       # Live chat
    (192440000, 0.220, VOICE, 0.08, 0.27, 1),      # Voice call
    (192370000, 0.020, VOICE, 0.05, 0.00, 1),      # Voice
    (192340000, 0.070, MESSAGING, 0.06, 0.00, 1),  # SMS
    (192300000, 0.090, MESSAGING, 0.02, 0.00, 1),  # WhatsApp
    (192330000, 0.050, MESSAGING, 0.00, 0.00, 1),  # Facebook
    (19241000, 0.070, MESSAGING, 0.00, 0.00, 1),   # Microsoft Teams
    (192450000, 0.020, MESSAGING, 0.00, 0.00, 1),  # Apple Messages for Business
    (192450001, 0.010, MESSAGING, 0.00, 0.00, 1),  # Google's Business Messages
    (192310000, 0.010, MESSAGING, 0.00, 0.00, 1),  # LINE
    (192320000, 0.005, MESSAGING, 0.00, 0.00, 1),  # WeChat
    (192350001, 0.010, MESSAGING, 0.00, 0.00, 1),  # Twitter
    (192350002, 0.020, CHAT, 0.00, 0.00, 1),       # Custom
    (192380000, 0.010, CHAT, 0.00, 0.00, 0),       # Video
    (192350000, 0.015, ENTITY, 0.00, 0.00, 0),     # Entity Records
])
CH_CODE = CHANNELS[:, 0].astype(np.int32)
CH_P = CHANNELS[:, 1] / CHANNELS[:, 1].sum()
CH_GROUP = CHANNELS[:, 2].astype(np.int64)
CH_OUTBOUND = CHANNELS[:, 3]
CH_BOT = CHANNELS[:, 4]
CH_INSTANCE = CHANNELS[:, 5].astype(bool)

# Per channel group (chat, voice, messaging, entity records), seconds.
WAIT_MED = np.array([40.0, 55.0, 150.0, 1500.0])
WAIT_SIG = np.array([1.0, 0.9, 1.1, 1.0])
ACCEPT_MED = np.array([7.0, 5.0, 18.0, 90.0])
HANDLE_MED = np.array([480.0, 660.0, 900.0, 1500.0])
HANDLE_SIG = np.array([0.6, 0.65, 0.8, 0.7])
ABANDON_MED = np.array([120.0, 150.0, 600.0, 3600.0])
TIMEOUT_S = np.array([60.0, 45.0, 120.0, 300.0])
ACTIVE_SHARE = np.array([[0.55, 0.95], [0.8, 1.0], [0.35, 0.85], [0.4, 0.9]])

# Agent-session outcome: abandon, supervisor move of unaccepted work, reject, timeout, accept.
ABANDON, SUPERVISOR, REJECT, TIMEOUT, ACCEPT = range(5)
OUTCOME_P = np.array([
    [0.060, 0.006, 0.030, 0.025, 0.879],
    [0.070, 0.004, 0.025, 0.020, 0.881],
    [0.040, 0.008, 0.030, 0.035, 0.887],
    [0.000, 0.010, 0.040, 0.030, 0.920],
])
OUTCOME_P_FINAL = OUTCOME_P * np.array([1, 0, 0, 0, 1])  # last round: nothing hands on
ABANDON_CODES = np.array([CR["CustomerDisconnect"], CR["ConversationTimeout"],
                          CR["CustomerEndConversation"]], np.int32)
ABANDON_P = np.array([0.60, 0.28, 0.12])
NEXT_NONE, NEXT_SAME, NEXT_OTHER = 0, 1, 2
# Accepted sessions: closure code, probability, where the conversation goes next.
ACCEPTED = [
    (CR["AgentClosed"], 0.330, NEXT_NONE), (CR["AgentEndConversation"], 0.300, NEXT_NONE),
    (CR["ConversationClosed"], 0.170, NEXT_NONE), (CR["CustomerEndConversation"], 0.040, NEXT_NONE),
    (CR["AutoClose"], 0.010, NEXT_NONE), (CR["AgentDisconnected"], 0.005, NEXT_NONE),
    (CR["ForceClose"], 0.003, NEXT_NONE), (CR["ManuallyClosedConversation"], 0.005, NEXT_NONE),
    (CR["ManuallyClosedSession"], 0.004, NEXT_NONE), (UNKNOWN_CLOSURE, 0.0015, NEXT_NONE),
    (NA, 0.002, NEXT_NONE),  # NULL closure reason
    (CR["AgentTransfered"], 0.045, NEXT_SAME), (CR["AgentTransferToQueue"], 0.040, NEXT_OTHER),
    (CR["SupervisorAssignToQueue"], 0.004, NEXT_OTHER),
    (CR["SupervisorTransferToAgent"], 0.004, NEXT_SAME),
    (CR["QueueTransfer"], 0.006, NEXT_OTHER), (CR["AgentTransferToAgentGroup"], 0.004, NEXT_SAME),
]
ACC_CODE = np.array([a[0] for a in ACCEPTED], np.int32)
ACC_NEXT = np.array([a[2] for a in ACCEPTED])
ACC_P = np.array([a[1] for a in ACCEPTED])
ACC_P_FINAL = ACC_P * (ACC_NEXT == NEXT_NONE)
BOT_CODES = np.array([CR["BotEndConversation"], CR["VirtualAgentClosed"],
                      CR["BotTransferToAgent"]], np.int32)
BOT_P = np.array([0.38, 0.14, 0.48])
MAX_ROUNDS = 8
SESSIONS_PER_CONVERSATION = 1.22  # observed ratio; used to size each chunk's arrivals

# --------------------------------------------------------------------------- dimensions
BOT_QUEUE = 0
QUEUES = ["Virtual Agent", "Web Chat Support", "Billing and Payments", "Voice Customer Care",
          "Technical Support Voice", "Digital Messaging", "Tier 2 Escalations", "Case Routing"]
Q_WAIT = np.array([1.0, 1.0, 1.3, 1.0, 1.2, 0.9, 1.6, 1.0])
# Agent queues serving each channel group, and the first queue a conversation lands in.
Q_BY_GROUP = np.array([[1, 2, 6, NA], [3, 4, 2, 6], [5, 2, 6, NA], [7, 6, NA, NA]])
Q_FIRST_P = np.array([[0.72, 0.28, 0, 0], [0.55, 0.30, 0.15, 0], [0.8, 0.2, 0, 0], [1, 0, 0, 0]])
N_HUMANS, N_SUPERVISORS = 60, 6
BOTS = [("Contoso Virtual Agent", CHAT), ("Copilot Service Agent", CHAT),
        ("Voice IVR Bot", VOICE), ("Billing Copilot", VOICE)]
FIRST = ("Ava Ben Chloe Diego Elena Farah Gabriel Hana Ivan Jade Kenji Laura Mateo Nadia Omar "
         "Priya Quinn Rafael Sofia Tomas Uma Victor Wen Xavier Yara Zoe Amir Bianca Carlos "
         "Dana Emil Fatima Goran Helga Isaac Julia Kofi Lena Marco Nina").split()
LAST = ("Adams Bauer Chen Dubois Evans Fischer Garcia Hansen Ito Jensen Kowalski Lopez Muller "
        "Nakamura Okafor Petrov Quintero Rossi Schmidt Tanaka Ueda Vargas Wagner Xu Yilmaz "
        "Zimmermann Andersen Brown Costa Silva").split()
ZONES = pa.array(["Very negative", "Negative", "Slightly negative", "Neutral",
                  "Slightly positive", "Positive", "Very positive"])
ZONE_EDGES = np.array([15.0, 30.0, 45.0, 55.0, 70.0, 85.0])


@dataclass(frozen=True)
class Context:
    """Everything the chunks share: time range and the dimension keys."""

    start_us: int
    end_us: int
    day_p: np.ndarray  # arrival weight per day
    user_ids: pa.Array
    queue_ids: pa.Array
    instance_ids: pa.Array  # two channel instances per channel (row = channel * 2 + k)
    pool: np.ndarray  # agents per queue (padded with NA)
    pool_size: np.ndarray


# --------------------------------------------------------------------------- helpers
def _us(seconds: np.ndarray | float) -> np.ndarray:
    """Seconds (float) to integer microseconds."""
    return np.round(np.asarray(seconds) * SEC).astype(np.int64)


def _pick(rng: np.random.Generator, probs: np.ndarray, row: np.ndarray | None = None,
          n: int | None = None) -> np.ndarray:
    """Draw category indices; ``probs`` is one row of weights or a matrix indexed by ``row``."""
    cum = np.cumsum(probs / probs.sum(axis=-1, keepdims=True), axis=-1)
    cum[..., -1] = 1.0
    if row is None:
        return np.searchsorted(cum, rng.random(n), side="right")
    u = rng.random(row.size)
    return np.minimum((u[:, None] >= cum[row]).sum(axis=1), probs.shape[-1] - 1)


def _fixed_width(mat: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """An Arrow string array from an (n, width) uint8 matrix of ASCII bytes."""
    n, width = mat.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    arr = pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(mat).tobytes()), bitmap)
    return arr.cast(pa.string())


def _guids(rng: np.random.Generator, n: int) -> pa.Array:
    """``n`` random version-4 GUIDs as lower-case text."""
    raw = np.frombuffer(rng.bytes(16 * n), np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = np.frombuffer(binascii.hexlify(raw.tobytes()), np.uint8).reshape(n, 32)
    out = np.full((n, 36), ord("-"), np.uint8)
    for src, dst, w in ((0, 0, 8), (8, 9, 4), (12, 14, 4), (16, 19, 4), (20, 24, 12)):
        out[:, dst:dst + w] = hexed[:, src:src + w]
    return _fixed_width(out)


def _take(values: pa.Array, idx: np.ndarray) -> pa.Array:
    """``values[idx]``; ``NA`` indices give NULL."""
    return pc.take(values, pa.array(idx, pa.int64(), mask=idx < 0))


def _ts_max(*cols: np.ndarray) -> np.ndarray:
    """Row-wise latest timestamp, NULLs ignored."""
    return np.maximum.reduce(cols)  # NAT is the smallest int64


def _mechanics(rng: np.random.Generator, change_us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """versionnumber (grows with the change time) and sinkmodifiedon (a little later)."""
    n = change_us.size
    version = (change_us - VERSION_EPOCH_US) // 1000 * 1000 + rng.integers(0, 1000, n)
    sink = change_us + _us(5 + rng.lognormal(np.log(60.0), 1.0, n))
    return version, sink


def _cut_before(rng: np.random.Generator, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """A time in [lo, hi - 1 s): when an older version of a row was written."""
    return lo + (rng.random(lo.size) * (hi - lo - SEC)).astype(np.int64)


def _pick_agent(rng: np.random.Generator, ctx: Context, queue: np.ndarray) -> np.ndarray:
    """A random agent from each queue's pool."""
    return ctx.pool[queue, rng.integers(0, ctx.pool_size[queue])]


def _other_queue(rng: np.random.Generator, queue: np.ndarray, grp: np.ndarray) -> np.ndarray:
    """Another agent queue serving the same channel group (for queue transfers)."""
    members = Q_BY_GROUP[grp]
    size = (members >= 0).sum(axis=1)
    pos = np.argmax(members == queue[:, None], axis=1)
    k = rng.integers(0, size - 1)
    k += k >= pos
    return members[np.arange(grp.size), k]


# --------------------------------------------------------------------------- dimensions
def _dimensions(seed: int, start: date, days: int) -> tuple[Context, dict[str, pa.Table]]:
    """Agents, bots, queues, channel instances and the daily arrival pattern."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0]))
    start_us = int(datetime(start.year, start.month, start.day, tzinfo=timezone.utc)
                   .timestamp()) * SEC
    weekday = (start.weekday() + np.arange(days)) % 7
    day_p = np.where(weekday < 5, 1.0, np.where(weekday == 5, 0.55, 0.45))
    day_p = day_p * (1 + 0.15 * np.arange(days) / max(days, 1)) * rng.lognormal(0, 0.08, days)

    n_users = N_HUMANS + len(BOTS)
    user_ids, queue_ids = _guids(rng, n_users), _guids(rng, len(QUEUES))
    combos = rng.permutation(len(FIRST) * len(LAST))[:N_HUMANS]
    names = [f"{FIRST[c // len(LAST)]} {LAST[c % len(LAST)]}" for c in combos]
    names += [b[0] for b in BOTS]
    bot_app = _guids(rng, n_users).to_numpy(zero_copy_only=False).astype(object)
    bot_app[:N_HUMANS] = None

    pools = [np.arange(N_HUMANS, n_users)]  # the bot queue (bots are drawn per channel)
    for q in range(1, len(QUEUES)):
        staff = rng.permutation(np.arange(N_SUPERVISORS, N_HUMANS))[:rng.integers(10, 19)]
        if QUEUES[q].startswith("Tier 2"):
            staff = np.concatenate([np.arange(N_SUPERVISORS), staff[:8]])
        pools.append(np.sort(staff))
    pool = np.full((len(QUEUES), max(len(p) for p in pools)), NA, np.int64)
    for q, p in enumerate(pools):
        pool[q, :len(p)] = p
    ctx = Context(start_us, start_us + days * DAY, day_p / day_p.sum(), user_ids, queue_ids,
                  _guids(rng, 2 * len(CH_CODE)), pool, np.array([len(p) for p in pools]))

    # Current rows changed a month before the range; a few keys carry an older version.
    users: Cols = {"systemuserid": user_ids, "fullname": pa.array(names),
                   "msdyn_botapplicationid": pa.array(bot_app, pa.string())}
    queues: Cols = {"queueid": queue_ids, "name": pa.array(QUEUES)}
    tables = {}
    maiden = {i: f"{names[i].split()[0]} {LAST[(LAST.index(names[i].split()[1]) + 7) % len(LAST)]}"
              for i in (7, 33)}  # two agents changed their surname
    for table, cols, n, renamed in (("systemuser", users, n_users, maiden),
                                    ("queue", queues, len(QUEUES), {2: "Billing"})):
        change = start_us - _us(rng.uniform(20, 40, n) * 86_400)
        cur = _arrow(SCHEMAS[table], cols, *_mechanics(rng, change))
        idx = np.array(sorted(renamed))
        old_cols = {k: _take(v, idx) for k, v in cols.items()}
        name_col = "fullname" if table == "systemuser" else "name"
        old_cols[name_col] = pa.array([renamed[i] for i in idx])
        old = _arrow(SCHEMAS[table], old_cols, *_mechanics(rng, change[idx] - 150 * DAY))
        tables[table] = pa.concat_tables([cur, old])
    return ctx, tables


# --------------------------------------------------------------------------- process
def _arrivals(rng: np.random.Generator, ctx: Context, grp: np.ndarray) -> np.ndarray:
    """Conversation arrival times: weekday/weekend pattern and a per-channel daily curve."""
    n = grp.size

    def bump(mu: float, sd: float) -> np.ndarray:
        return np.exp(-0.5 * ((np.arange(24) - mu) / sd) ** 2)

    hour_p = np.array([0.04 + bump(11, 3) + 0.6 * bump(19, 2.5),
                       0.02 + bump(10.5, 2.5) + 0.8 * bump(15, 2.5),
                       0.08 + bump(13, 4.5), 0.01 + bump(12, 3)])
    hour = np.empty(n, np.int64)
    for g in range(len(hour_p)):
        m = grp == g
        hour[m] = rng.choice(24, size=int(m.sum()), p=hour_p[g] / hour_p[g].sum())
    day = rng.choice(ctx.day_p.size, size=n, p=ctx.day_p)
    return (ctx.start_us + day * DAY + hour * 3600 * SEC
            + (rng.random(n) * 3600 * SEC).astype(np.int64))


def _bot_sessions(rng: np.random.Generator, conv: np.ndarray, t0: np.ndarray, chi: np.ndarray,
                  agent_queue: np.ndarray) -> Cols:
    """Bot sessions: accepted at once; the bot ends the conversation or escalates."""
    n = conv.size
    grp = CH_GROUP[chi]
    assigned = t0 + _us(rng.uniform(0.05, 0.6, n))
    accepted = assigned + _us(rng.uniform(0.01, 0.3, n))
    closed = accepted + _us(np.maximum(rng.lognormal(np.log(100.0), 0.8, n), 8.0))
    code = BOT_CODES[_pick(rng, BOT_P, n=n)]
    bot_grp = np.array([b[1] for b in BOTS])
    voice_bots, chat_bots = (N_HUMANS + np.flatnonzero(bot_grp == g) for g in (VOICE, CHAT))
    agent = np.where(grp == VOICE, voice_bots[rng.integers(0, voice_bots.size, n)],
                     chat_bots[rng.integers(0, chat_bots.size, n)])
    escalate = code == CR["BotTransferToAgent"]
    return dict(conv=conv, chi=chi, queue=np.full(n, BOT_QUEUE), agent=agent,
                bot=np.ones(n, bool), created=t0, assigned=assigned, accepted=accepted,
                closed=closed, closure=code, follow=escalate, next_queue=agent_queue,
                next_time=closed + _us(rng.uniform(0.2, 3.0, n)))


def _agent_sessions(rng: np.random.Generator, ctx: Context, conv: np.ndarray, t0: np.ndarray,
                    queue: np.ndarray, chi: np.ndarray, outbound: np.ndarray,
                    final: bool) -> Cols:
    """One queue-assignment attempt per conversation: wait, assign, then the outcome."""
    n = conv.size
    g = CH_GROUP[chi]
    wait = rng.lognormal(np.log(WAIT_MED[g] * Q_WAIT[queue]), WAIT_SIG[g])
    wait = np.where(outbound, rng.uniform(0.5, 3.0, n), wait)
    cat = _pick(rng, OUTCOME_P_FINAL if final else OUTCOME_P, g)
    cat[outbound & (cat == ABANDON)] = ACCEPT
    sup_assigned = (cat == SUPERVISOR) & (rng.random(n) < 0.5)
    sup_waiting = (cat == SUPERVISOR) & ~sup_assigned
    is_assigned = (cat >= REJECT) | sup_assigned
    assigned = np.where(is_assigned, t0 + _us(wait), NAT)
    accepted = np.where(cat == ACCEPT,
                        assigned + _us(rng.lognormal(np.log(ACCEPT_MED[g]), 0.7)), NAT)
    handle = np.maximum(rng.lognormal(np.log(HANDLE_MED[g]), HANDLE_SIG[g]), 15.0)
    conds = [cat == ABANDON, sup_waiting, sup_assigned, cat == REJECT, cat == TIMEOUT]
    closed = np.select(conds, [
        t0 + _us(rng.lognormal(np.log(ABANDON_MED[g]), 1.0)),
        t0 + _us(rng.lognormal(np.log(240.0), 0.8, n)),
        assigned + _us(rng.uniform(10, 90, n)),
        assigned + _us(rng.lognormal(np.log(9.0), 0.6, n)),
        assigned + _us(TIMEOUT_S[g] + rng.uniform(0, 1.5, n))], accepted + _us(handle))
    sub = _pick(rng, ACC_P_FINAL if final else ACC_P, n=n)
    closure = np.select(conds, [
        ABANDON_CODES[_pick(rng, ABANDON_P, n=n)], CR["SupervisorAssignToQueue"],
        CR["SupervisorTransferToAgent"], CR["AgentReject"], CR["AgentTimeout"]],
        ACC_CODE[sub]).astype(np.int32)
    nxt = np.select(conds, [NEXT_NONE, NEXT_OTHER, NEXT_SAME, NEXT_SAME, NEXT_SAME],
                    ACC_NEXT[sub])
    next_queue = np.where(nxt == NEXT_OTHER, _other_queue(rng, queue, g), queue)
    agent = np.where(is_assigned, _pick_agent(rng, ctx, queue), NA)
    return dict(conv=conv, chi=chi, queue=queue, agent=agent, bot=np.zeros(n, bool),
                created=t0, assigned=assigned, accepted=accepted, closed=closed,
                closure=closure, follow=nxt != NEXT_NONE, next_queue=next_queue,
                next_time=closed + _us(rng.uniform(0.2, 3.0, n)))


def _snapshot(rng: np.random.Generator, ctx: Context, s: Cols) -> Cols:
    """Leave sessions open at the export's end: those still running, plus some recent ones.

    Recent sessions (last three days, more likely the nearer the end) are cut at a
    lifecycle stage: waiting unassigned, assigned, accepted (active) or wrap-up.
    """
    n = s["conv"].size
    recent = np.clip((s["created"] - (ctx.end_us - 3 * DAY)) / (3 * DAY), 0, 1)
    inject = ~s["bot"] & (rng.random(n) < 0.6 * recent ** 2)
    stage = _pick(rng, np.array([0.3, 0.15, 0.45, 0.1]), n=n)
    max_stage = np.where(s["assigned"] == NAT, 0, np.where(s["accepted"] == NAT, 1, 3))
    stage = np.minimum(stage, max_stage)
    cut = np.select([stage == 0, stage == 1], [s["created"], s["assigned"]], s["accepted"])
    cut = np.where(inject, np.minimum(cut, ctx.end_us), ctx.end_us)
    is_open = inject | (s["closed"] > ctx.end_us)
    s["open"] = is_open
    s["assigned"] = np.where(is_open & (s["assigned"] > cut), NAT, s["assigned"])
    s["accepted"] = np.where(is_open & (s["accepted"] > cut), NAT, s["accepted"])
    s["closed"] = np.where(is_open, NAT, s["closed"])
    s["closure"] = np.where(is_open, NA, s["closure"]).astype(np.int32)
    s["agent"] = np.where(s["assigned"] == NAT, NA, s["agent"])
    s["state"] = np.select(
        [~is_open, s["assigned"] == NAT, inject & (stage == 3) & (s["accepted"] != NAT)],
        [STATE_CLOSED, STATE_NEW, STATE_WRAPUP], STATE_ACTIVE).astype(np.int32)
    s["follow"] = s["follow"] & ~is_open
    return s


def _simulate(rng: np.random.Generator, ctx: Context, target: int) -> tuple[Cols, Cols]:
    """Simulate conversations until about ``target`` sessions; return (conversations, sessions)."""
    n_conv = int(target / SESSIONS_PER_CONVERSATION * 1.08) + 20
    chi = _pick(rng, CH_P, n=n_conv)
    grp = CH_GROUP[chi]
    arrival = _arrivals(rng, ctx, grp)
    outbound = rng.random(n_conv) < CH_OUTBOUND[chi]
    has_bot = ~outbound & (rng.random(n_conv) < CH_BOT[chi])
    first_queue = Q_BY_GROUP[grp, _pick(rng, Q_FIRST_P, grp)]
    conv_status = np.full(n_conv, 4, np.int32)  # Closed unless the last session is open
    conv_closed = np.full(n_conv, NAT)

    batches: list[Cols] = []
    act = np.arange(n_conv)
    t, queue, bot = arrival, np.where(has_bot, BOT_QUEUE, first_queue), has_bot
    for rnd in range(MAX_ROUNDS):
        if act.size == 0:
            break
        parts = [_bot_sessions(rng, act[bot], t[bot], chi[act[bot]], first_queue[act[bot]]),
                 _agent_sessions(rng, ctx, act[~bot], t[~bot], queue[~bot], chi[act[~bot]],
                                 outbound[act[~bot]], rnd == MAX_ROUNDS - 1)]
        s = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
        s = _snapshot(rng, ctx, s)
        batches.append(s)
        done = ~s["follow"]
        conv_closed[s["conv"][done]] = s["closed"][done]
        msg = CH_GROUP[s["chi"]] == MESSAGING
        conv_status[s["conv"][s["open"]]] = np.select(
            [s["state"] == STATE_WRAPUP, s["accepted"] == NAT, msg & (rng.random(msg.size) < 0.3)],
            [5, 1, 3], 2)[s["open"]]
        cont = s["follow"] & (s["next_time"] <= ctx.end_us)
        conv_status[s["conv"][s["follow"] & ~cont]] = 1  # next session not created yet
        act, t, queue = s["conv"][cont], s["next_time"][cont], s["next_queue"][cont]
        bot = np.zeros(act.size, bool)

    s = {k: np.concatenate([b[k] for b in batches]) for k in batches[0]}
    # Keep whole conversations until the target (arrivals are in random order).
    per_conv = np.cumsum(np.bincount(s["conv"], minlength=n_conv))
    keep_conv = int(np.searchsorted(per_conv, target, side="right"))
    keep = s["conv"] < keep_conv
    order = np.argsort(np.where(keep, s["created"], np.iinfo(np.int64).max), kind="stable")
    s = {k: v[order[:int(keep.sum())]] for k, v in s.items()}
    conv = dict(createdon=arrival[:keep_conv], outbound=outbound[:keep_conv],
                status=conv_status[:keep_conv], closed=conv_closed[:keep_conv])
    return conv, s


# --------------------------------------------------------------------------- tables
def _arrow(schema: pa.Schema, cols: Cols, version: np.ndarray, sink: np.ndarray,
           isdelete: bool = False) -> pa.Table:
    """Build a table of ``schema`` from numpy (sentinel NULLs) or Arrow columns."""
    cols = dict(cols, versionnumber=version, sinkmodifiedon=sink,
                isdelete=np.full(version.size, isdelete))
    arrays = []
    for field in schema:
        v = cols[field.name]
        if isinstance(v, np.ndarray):
            if pa.types.is_timestamp(field.type):
                v = pa.array(v, field.type, mask=v == NAT)
            elif pa.types.is_floating(field.type):
                v = pa.array(v, field.type, mask=np.isnan(v))
            elif pa.types.is_integer(field.type) and field.name != "versionnumber":
                v = pa.array(v.astype(field.type.to_pandas_dtype()), field.type, mask=v == NA)
            else:
                v = pa.array(v, field.type)
        arrays.append(v.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def _tombstones(rng: np.random.Generator, ctx: Context, schema: pa.Schema, keys: pa.Array,
                change: np.ndarray, share: float) -> pa.Table:
    """Newest rows that delete ``share`` of the keys: key and export columns only."""
    idx = np.flatnonzero(rng.random(change.size) < share)
    when = change[idx] + 60 * SEC + (rng.random(idx.size) * np.maximum(ctx.end_us - change[idx], 0)
                                     ).astype(np.int64)
    version, sink = _mechanics(rng, when)
    cols = {f.name: pa.nulls(idx.size, f.type) for f in schema}
    cols[schema.names[0]] = _take(keys, idx)
    return _arrow(schema, cols, version, sink, isdelete=True)


def _older(rng: np.random.Generator, schema: pa.Schema, cols: Cols, idx: np.ndarray,
           change: np.ndarray, cur_version: np.ndarray, cur_sink: np.ndarray,
           edits: Cols) -> pa.Table:
    """Older versions of the rows ``idx``: their columns with ``edits`` applied."""
    old = {k: (v[idx] if isinstance(v, np.ndarray) else _take(v, idx)) for k, v in cols.items()}
    old.update(edits)
    version, sink = _mechanics(rng, change)
    version = np.minimum(version, cur_version[idx] - 1)
    sink = np.maximum(np.minimum(sink, cur_sink[idx] - SEC), change)
    return _arrow(schema, old, version, sink)


def _session_table(rng: np.random.Generator, ctx: Context, s: Cols, conv_ids: pa.Array,
                   first_number: int, width: int) -> tuple[pa.Table, pa.Array]:
    """msdyn_ocsession rows (current, older versions, tombstones) and the session keys."""
    n = s["conv"].size
    ids = _guids(rng, n)
    grp = CH_GROUP[s["chi"]]
    number = pc.utf8_lpad(pa.array(np.arange(first_number, first_number + n)).cast(pa.string()),
                          width, padding="0")
    instance = s["chi"] * 2 + rng.integers(0, 2, n)
    channel = np.where((grp != ENTITY) & (rng.random(n) < 0.001), NA, CH_CODE[s["chi"]])
    closed_out = s["closed"].copy()
    by_state = ~s["open"] & ~s["bot"] & (rng.random(n) < 0.003)  # closed by msdyn_state alone
    closed_out[by_state] = NAT
    cols: Cols = {
        "activityid": ids,
        "msdyn_sessionid": pc.binary_join_element_wise("session-", number, ""),
        "msdyn_liveworkitemid": _take(conv_ids, s["conv"]),
        "msdyn_queueid": _take(ctx.queue_ids, s["queue"]),
        "msdyn_channel": channel.astype(np.int32),
        "msdyn_channelinstanceid": _take(ctx.instance_ids,
                                         np.where(CH_INSTANCE[s["chi"]], instance, NA)),
        "msdyn_sessioncreatedon": s["created"], "msdyn_agentassignedon": s["assigned"],
        "msdyn_agentacceptedon": s["accepted"], "msdyn_sessionclosedon": closed_out,
        "msdyn_state": s["state"], "msdyn_closurereason": s["closure"],
        "statuscode": np.where(s["open"], 1, 2).astype(np.int32),
    }
    change = _ts_max(s["created"], s["assigned"], s["accepted"], s["closed"])
    version, sink = _mechanics(rng, change)
    schema = SCHEMAS["msdyn_ocsession"]
    # Older versions: the row as it was while still open (before it was closed).
    idx = np.flatnonzero(~s["open"] & (s["closed"] - s["created"] > 5 * SEC)
                         & (rng.random(n) < 0.025))
    cut = _cut_before(rng, s["created"][idx], s["closed"][idx])
    assigned = np.where(s["assigned"][idx] <= cut, s["assigned"][idx], NAT)
    accepted = np.where(s["accepted"][idx] <= cut, s["accepted"][idx], NAT)
    old = _older(rng, schema, cols, idx, _ts_max(s["created"][idx], assigned, accepted),
                 version, sink, {
                     "msdyn_agentassignedon": assigned, "msdyn_agentacceptedon": accepted,
                     "msdyn_sessionclosedon": np.full(idx.size, NAT),
                     "msdyn_state": np.where(assigned == NAT, STATE_NEW, STATE_ACTIVE),
                     "msdyn_closurereason": np.full(idx.size, NA),
                     "statuscode": np.ones(idx.size, np.int32)})
    tomb = _tombstones(rng, ctx, schema, ids, change, 0.003)
    return pa.concat_tables([_arrow(schema, cols, version, sink), old, tomb]), ids


def _participant_rows(rng: np.random.Generator, ctx: Context, s: Cols) -> Cols:
    """Participants as numpy columns: Primary per assigned session, plus consult/monitor."""
    end = ctx.end_us
    grp = CH_GROUP[s["chi"]]
    idx = np.flatnonzero(s["assigned"] != NAT)
    acc, closed = s["accepted"][idx], s["closed"][idx]
    g, bot = grp[idx], s["bot"][idx]
    share = rng.uniform(ACTIVE_SHARE[g, 0], ACTIVE_SHARE[g, 1])
    worked = np.where(closed != NAT, closed, end) - acc
    active = np.select(
        [bot, (acc != NAT) & (closed == NAT) & (rng.random(idx.size) < 0.3), acc != NAT,
         closed != NAT],
        [worked // SEC, NA, worked * share // SEC, 0], NA)
    engaged = (acc != NAT) & (closed != NAT) & ~bot
    active[engaged & (rng.random(idx.size) < 0.005)] = NA  # activetime not recorded
    reason = np.select([s["closure"][idx] == CR["AgentReject"],
                        s["closure"][idx] == CR["AgentTimeout"]], [1, 2], 0)
    external = (acc != NAT) & ~bot & (g == VOICE) & (rng.random(idx.size) < 0.02)
    p = dict(session=idx, agent=np.where(external, NA, s["agent"][idx]),
             mode=np.full(idx.size, MODE_PRIMARY), added=s["assigned"][idx], joined=acc,
             left=closed.copy(), reason=reason, active=active, external=external)

    # A second Primary participant: the work changes hands without a new session.
    span = closed - acc
    two = np.flatnonzero(engaged & ~external & (span > 60 * SEC) & (rng.random(idx.size) < 0.006))
    mid = acc[two] + (span[two] * rng.uniform(0.2, 0.6, two.size)).astype(np.int64)
    p["left"][two], p["active"][two] = mid, (mid - acc[two]) * share[two] // SEC
    joined2 = np.minimum(mid + _us(rng.lognormal(np.log(4.0), 0.5, two.size)), closed[two])
    q = s["queue"][idx[two]]
    k = rng.integers(0, ctx.pool_size[q])
    second = ctx.pool[q, k]
    second = np.where(second == p["agent"][two], ctx.pool[q, (k + 1) % ctx.pool_size[q]], second)
    extra = [dict(session=idx[two], agent=second, mode=np.full(two.size, MODE_PRIMARY),
                  added=mid, joined=joined2, left=closed[two], reason=np.zeros(two.size, int),
                  active=(closed[two] - joined2) * share[two] // SEC,
                  external=np.zeros(two.size, bool))]

    # Consult and monitor participants on some engaged sessions.
    for mode, share_of, min_span in ((MODE_CONSULT, 0.05, 120), (MODE_MONITOR, 0.025, 60)):
        sel = np.flatnonzero(engaged & (span > min_span * SEC) & (rng.random(idx.size) < share_of))
        added = acc[sel] + (span[sel] * rng.uniform(0.05, 0.6, sel.size)).astype(np.int64)
        joined = np.minimum(added + _us(rng.lognormal(np.log(6.0), 0.6, sel.size)), closed[sel])
        left = joined + ((closed[sel] - joined) * rng.uniform(0.3, 1.0, sel.size)).astype(np.int64)
        if mode == MODE_MONITOR:
            who, joined = rng.integers(0, N_SUPERVISORS, sel.size), added
        else:
            who = rng.integers(0, N_HUMANS, sel.size)
            who = np.where(who == p["agent"][sel], (who + 1) % N_HUMANS, who)
        extra.append(dict(session=idx[sel], agent=who, mode=np.full(sel.size, mode),
                          added=added, joined=joined, left=left,
                          reason=np.zeros(sel.size, int),
                          active=(left - joined) * rng.uniform(0.4, 1.0, sel.size) // SEC,
                          external=np.zeros(sel.size, bool)))
    rows = {k: np.concatenate([p[k]] + [e[k] for e in extra]) for k in p}
    order = np.lexsort((rows["mode"], rows["added"]))
    return {k: v[order] for k, v in rows.items()}


def _participant_table(rng: np.random.Generator, ctx: Context, s: Cols,
                       session_ids: pa.Array) -> pa.Table:
    """msdyn_sessionparticipant rows (current, older versions, tombstones)."""
    r = _participant_rows(rng, ctx, s)
    n = r["session"].size
    phones = pc.binary_join_element_wise(
        "+1425555", pc.utf8_lpad(pa.array(rng.integers(0, 10_000, n)).cast(pa.string()), 4,
                                 padding="0"), "")
    ids = _guids(rng, n)
    cols: Cols = {
        "msdyn_sessionparticipantid": ids,
        "msdyn_omnichannelsession": _take(session_ids, r["session"]),
        "msdyn_agentid": _take(ctx.user_ids, r["agent"]),
        "msdyn_mode": r["mode"].astype(np.int32), "msdyn_addedon": r["added"],
        "msdyn_joinedon": r["joined"], "msdyn_lefton": r["left"],
        "msdyn_leftonreason": _take(pa.array(["AgentReject", "AgentTimeout"]), r["reason"] - 1),
        "msdyn_activetime": r["active"].astype(np.int64),
        "msdyn_externalparticipantchannel": pc.if_else(pa.array(r["external"]), phones,
                                                       pa.scalar(None, pa.string())),
        "msdyn_externalparticipantchanneltype": np.where(r["external"], EXTERNAL_PHONE, NA),
    }
    change = _ts_max(r["added"], r["joined"], r["left"])
    version, sink = _mechanics(rng, change)
    schema = SCHEMAS["msdyn_sessionparticipant"]
    # Older versions: the participant before leaving (no lefton, no activetime yet).
    idx = np.flatnonzero((r["left"] - r["added"] > 5 * SEC) & (r["left"] != NAT)
                         & (rng.random(n) < 0.01))
    cut = _cut_before(rng, r["added"][idx], r["left"][idx])
    joined = np.where(r["joined"][idx] <= cut, r["joined"][idx], NAT)
    old = _older(rng, schema, cols, idx, _ts_max(r["added"][idx], joined), version, sink, {
        "msdyn_joinedon": joined, "msdyn_lefton": np.full(idx.size, NAT),
        "msdyn_leftonreason": pa.nulls(idx.size, pa.string()),
        "msdyn_activetime": np.full(idx.size, NA)})
    tomb = _tombstones(rng, ctx, schema, ids, change, 0.002)
    return pa.concat_tables([_arrow(schema, cols, version, sink), old, tomb])


def _sentiment_table(rng: np.random.Generator, ctx: Context, s: Cols,
                     session_ids: pa.Array) -> pa.Table:
    """msdyn_ocsessionsentiment: 1-6 rows over most engaged agent sessions (random walk)."""
    grp = CH_GROUP[s["chi"]]
    eligible = (s["accepted"] != NAT) & ~s["bot"] & (grp != ENTITY)
    sess = np.flatnonzero(eligible & (rng.random(grp.size) < 0.8))
    k = 1 + rng.binomial(5, 0.3, sess.size)
    rep = np.repeat(np.arange(sess.size), k)
    first = np.repeat(np.cumsum(k) - k, k)
    start = s["accepted"][sess][rep]
    stop = np.where(s["closed"][sess] != NAT, s["closed"][sess], ctx.end_us)[rep]
    frac = np.sort(rep + rng.random(rep.size)) - rep  # sorted within each session
    created = start + ((stop - start) * frac).astype(np.int64)
    steps = np.where(np.arange(rep.size) == first, rng.normal(58, 18, rep.size),
                     rng.normal(0, 11, rep.size))
    walk = np.cumsum(steps)
    walk -= np.repeat(walk[np.cumsum(k) - k] - steps[np.cumsum(k) - k], k)
    pulse = np.round(np.clip(walk, 0, 100), 2)
    n = rep.size
    ids = _guids(rng, n)
    cols: Cols = {
        "msdyn_ocsessionsentimentid": ids,
        "msdyn_omnichannelsession": _take(session_ids, sess[rep]),
        "msdyn_sentimentpulse": pulse,
        "msdyn_sentimentzone": _take(ZONES, np.digitize(pulse, ZONE_EDGES)),
        "createdon": created,
    }
    version, sink = _mechanics(rng, created)
    schema = SCHEMAS["msdyn_ocsessionsentiment"]
    tomb = _tombstones(rng, ctx, schema, ids, created, 0.002)
    return pa.concat_tables([_arrow(schema, cols, version, sink), tomb])


def _conversation_table(rng: np.random.Generator, ctx: Context, conv: Cols, s: Cols,
                        conv_ids: pa.Array) -> pa.Table:
    """msdyn_ocliveworkitem rows (current, older versions, tombstones)."""
    n = conv["createdon"].size
    last = conv["createdon"].copy()
    np.maximum.at(last, s["conv"], _ts_max(s["created"], s["assigned"], s["accepted"], s["closed"]))
    change = np.maximum(last, conv["closed"])
    order = np.argsort(conv["createdon"], kind="stable")
    cols: Cols = {"activityid": _take(conv_ids, order), "msdyn_isoutbound": conv["outbound"][order],
                  "statuscode": conv["status"][order], "msdyn_createdon": conv["createdon"][order],
                  "msdyn_closedon": conv["closed"][order]}
    change = change[order]
    version, sink = _mechanics(rng, change)
    schema = SCHEMAS["msdyn_ocliveworkitem"]
    closed = cols["msdyn_closedon"]
    idx = np.flatnonzero((closed != NAT) & (closed - cols["msdyn_createdon"] > 5 * SEC)
                         & (rng.random(n) < 0.01))
    cut = _cut_before(rng, cols["msdyn_createdon"][idx], closed[idx])
    old = _older(rng, schema, cols, idx, cut, version, sink, {
        "statuscode": np.full(idx.size, 2, np.int32), "msdyn_closedon": np.full(idx.size, NAT)})
    tomb = _tombstones(rng, ctx, schema, cols["activityid"], change, 0.001)
    return pa.concat_tables([_arrow(schema, cols, version, sink), old, tomb])


def _chunk_tables(seed: int, chunk: int, ctx: Context, target: int, first_number: int,
                  width: int) -> Iterator[tuple[str, pa.Table]]:
    """The fact tables of one chunk (at most ``target`` sessions), one at a time."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1, chunk]))
    conv, s = _simulate(rng, ctx, target)
    conv_ids = _guids(rng, conv["createdon"].size)
    sessions, session_ids = _session_table(rng, ctx, s, conv_ids, first_number, width)
    yield "msdyn_ocsession", sessions
    del sessions
    yield "msdyn_ocliveworkitem", _conversation_table(rng, ctx, conv, s, conv_ids)
    del conv, conv_ids
    yield "msdyn_sessionparticipant", _participant_table(rng, ctx, s, session_ids)
    yield "msdyn_ocsessionsentiment", _sentiment_table(rng, ctx, s, session_ids)


# --------------------------------------------------------------------------- writing
def _csv_timestamps(arr: pa.Array) -> pa.Array:
    """ISO-8601 UTC text with 7 fractional digits and 'Z' (2025-03-01T10:00:00.1234560Z)."""
    valid = arr.is_valid().to_numpy(zero_copy_only=False)
    us = pc.fill_null(arr.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
    text = np.datetime_as_string(us.view("datetime64[us]"), unit="us").astype("S26")
    mat = np.empty((us.size, 28), np.uint8)
    mat[:, :26] = text.view(np.uint8).reshape(us.size, 26)
    mat[:, 26], mat[:, 27] = ord("0"), ord("Z")
    return _fixed_width(mat, valid)


def _csv_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """CSV text for timestamps and booleans; other columns as they are."""
    cols = []
    for field, col in zip(batch.schema, batch.columns):
        if pa.types.is_timestamp(field.type):
            col = _csv_timestamps(col)
        elif pa.types.is_boolean(field.type):
            col = pc.if_else(col, "True", "False")
        cols.append(col)
    return pa.RecordBatch.from_arrays(cols, names=batch.schema.names)


def _write(table: pa.Table, folder: Path, part: int, fmt: str) -> None:
    """Write one part file (under a temporary name, renamed when complete)."""
    path = folder / f"part-{part:05d}.{fmt}"
    tmp = path.with_name(path.name + ".tmp")
    if fmt == "parquet":
        pq.write_table(table, tmp, compression="zstd", compression_level=3,
                       use_dictionary=True, write_statistics=True, row_group_size=1 << 20)
    else:
        text = {pa.types.is_timestamp, pa.types.is_boolean}
        schema = pa.schema([(f.name, pa.string() if any(t(f.type) for t in text) else f.type)
                            for f in table.schema])
        options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
        with pacsv.CSVWriter(tmp, schema, write_options=options) as writer:
            for batch in table.to_batches(max_chunksize=1 << 18):
                writer.write_batch(_csv_batch(batch))
    os.replace(tmp, path)


def generate_export(out_dir: Path, sessions: int, seed: int = 42, fmt: str = "parquet",
                    start_date: date = date(2025, 1, 1), days: int = 90,
                    chunk_sessions: int = 1_000_000) -> dict[str, int]:
    """Write a demo Dataverse export under ``out_dir``; return the rows written per table.

    ``sessions`` is the number of current msdyn_ocsession rows (hit to within a
    conversation per chunk); one file per table per chunk of ``chunk_sessions`` sessions.
    """
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"format must be 'parquet' or 'csv', not {fmt!r}")
    if sessions < 1 or days < 1 or chunk_sessions < 1:
        raise ValueError("sessions, days and chunk_sessions must be positive")
    out_dir = Path(out_dir)
    for table in TABLES:
        folder = out_dir / table
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    ctx, dims = _dimensions(seed, start_date, days)
    counts = {t: 0 for t in TABLES}
    for table, data in dims.items():
        _write(data, out_dir / table, 0, fmt)
        counts[table] = data.num_rows
    n_chunks = math.ceil(sessions / chunk_sessions)
    width = max(6, len(str(sessions)))
    first_number = 1  # session-000001 ...; a chunk never exceeds its target, so no overlap
    with ThreadPoolExecutor(max_workers=1) as writer:  # write one table, build the next
        pending: Future | None = None
        for chunk in range(n_chunks):
            target = sessions // n_chunks + (chunk < sessions % n_chunks)
            for table, data in _chunk_tables(seed, chunk, ctx, target, first_number, width):
                if pending is not None:
                    pending.result()
                pending = writer.submit(_write, data, out_dir / table, chunk, fmt)
                counts[table] += data.num_rows
                del data
            first_number += target
        if pending is not None:
            pending.result()
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m omnichannel_tools.generate --out DIR ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m omnichannel_tools.generate",
        description="Write a synthetic Dataverse (Synapse Link) export of the Omnichannel tables.")
    parser.add_argument("--out", type=Path, required=True, help="output root folder")
    parser.add_argument("--sessions", type=int, default=20_000, help="current sessions (~)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=("parquet", "csv"), default="parquet")
    parser.add_argument("--start-date", type=date.fromisoformat, default=date(2025, 1, 1))
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument("--chunk-sessions", type=int, default=1_000_000,
                        help="sessions per output file (bounds memory)")
    args = parser.parse_args(argv)
    counts = generate_export(args.out, args.sessions, args.seed, args.format, args.start_date,
                             args.days, args.chunk_sessions)
    for table, rows in counts.items():
        print(f"{table}: {rows} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
