"""msdyn_presence and msdyn_agentstatushistory: the presences agents set, and every agent's presence changes.

Each human agent works most weekdays and some weekend days, a day shift or (one in five) a late
shift that runs past midnight. A shift is a login (Available), a run of Available / Busy /
Busy - DND / Away spells and a break in the custom presence "On a break" (base status Away),
then a logout: an Offline interval until the next login. Intervals of one agent follow each
other; the agent's last interval is open (no msdyn_endtime). A few intervals overlap the next
one (a fault real exports show), some rows have an older version written while they were
still open, a few are deleted (tombstones). Independent of the sessions: its own random stream.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from omnichannel_tools.generator.arrays import Columns, random_guids, take
from omnichannel_tools.generator.behaviour import HUMAN_AGENTS
from omnichannel_tools.generator.dimensions import Context
from omnichannel_tools.generator.schema import (
    DAY,
    NULL_CODE,
    NULL_TIMESTAMP,
    PRESENCE_AVAILABLE,
    PRESENCE_AWAY,
    PRESENCE_BUSY,
    PRESENCE_BUSY_DND,
    PRESENCE_OFFLINE,
    SCHEMAS,
    SECOND,
)
from omnichannel_tools.generator.tables import export_mechanics, older_versions, to_arrow, tombstones

# name, base status; the last is a custom presence.
PRESENCES = (
    ("Available", PRESENCE_AVAILABLE),
    ("Busy", PRESENCE_BUSY),
    ("Do not disturb", PRESENCE_BUSY_DND),
    ("Away", PRESENCE_AWAY),
    ("Offline", PRESENCE_OFFLINE),
    ("On a break", PRESENCE_AWAY),
)
AVAILABLE, BUSY, DND, AWAY, OFFLINE, BREAK = range(len(PRESENCES))
SPELLS = np.array([AVAILABLE, BUSY, DND, AWAY])
SPELL_WEIGHTS = np.array([0.55, 0.3, 0.07, 0.08])
SPELL_MINUTES = np.array([22.0, 12.0, 15.0, 6.0])  # median length of each spell
CAPACITY = {AVAILABLE: 100, BUSY: 0, DND: 0, AWAY: 0, OFFLINE: 0, BREAK: 0}
MINUTE = 60 * SECOND


def _shift(rng: np.random.Generator, login: int, logout: int) -> list[tuple[int, int]]:
    """(presence, start) of the spells of one shift: Available first, a break in the middle."""
    spells, t = [(AVAILABLE, login)], login + int(rng.lognormal(np.log(20.0), 0.5) * MINUTE)
    break_at, on_break = login + (logout - login) // 2, False
    while t < logout:
        if not on_break and t >= break_at:
            spells.append((BREAK, t))
            t += int(rng.uniform(25, 45) * MINUTE)
            on_break = True
            spells.append((AVAILABLE, t))
        else:
            kind = int(SPELLS[np.searchsorted(np.cumsum(SPELL_WEIGHTS), rng.random() * SPELL_WEIGHTS.sum())])
            if kind != spells[-1][0]:
                spells.append((kind, t))
        t += int(rng.lognormal(np.log(SPELL_MINUTES[spells[-1][0] if spells[-1][0] < 4 else 0]), 0.6) * MINUTE)
    spells.append((OFFLINE, logout))
    return spells


def _agent_rows(rng: np.random.Generator, context: Context) -> Columns:
    """Every agent's intervals: agent, presence, start, end (NULL_TIMESTAMP for the open last one)."""
    agents, presences, starts, ends = [], [], [], []
    days = (context.end_us - context.start_us) // DAY
    first_weekday = (context.start_us // DAY + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    for agent in range(HUMAN_AGENTS):
        late = rng.random() < 0.2
        spells: list[tuple[int, int]] = []
        for day in range(days):
            weekday = (first_weekday + day) % 7
            if rng.random() > (0.88 if weekday < 5 else 0.25):
                continue
            hour = rng.uniform(15.5, 17.5) if late else rng.uniform(6.5, 9.5)
            login = context.start_us + day * DAY + int(hour * 3600 * SECOND)
            logout = login + int(rng.uniform(7.5, 9.0) * 3600 * SECOND)
            spells += _shift(rng, login, logout)
        spells = [spell for spell in spells if spell[1] < context.end_us]
        for k, (presence, start) in enumerate(spells):
            agents.append(agent)
            presences.append(presence)
            starts.append(start)
            ends.append(spells[k + 1][1] if k + 1 < len(spells) else NULL_TIMESTAMP)
    rows = {"agent": np.array(agents), "presence": np.array(presences), "start": np.array(starts, np.int64)}
    rows["end"] = np.array(ends, np.int64)
    overlap = np.flatnonzero((rows["end"] != NULL_TIMESTAMP) & (rng.random(rows["end"].size) < 0.003))
    rows["end"][overlap] += (rng.uniform(5, 120, overlap.size) * SECOND).astype(np.int64)
    return rows


def presence_tables(seed: int, context: Context) -> dict[str, pa.Table]:
    """The msdyn_presence and msdyn_agentstatushistory tables (current rows, older versions, tombstones)."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 2]))
    presence_ids = random_guids(rng, len(PRESENCES))
    presence_columns: Columns = {
        "msdyn_presenceid": presence_ids,
        "msdyn_name": pa.array([name for name, _ in PRESENCES]),
        "msdyn_basepresencestatus": np.array([code for _, code in PRESENCES], np.int32),
    }
    change = np.full(len(PRESENCES), context.start_us - 30 * DAY)
    presence_version, presence_sink = export_mechanics(rng, change)
    schema = SCHEMAS["msdyn_presence"]
    renamed = np.array([BREAK])  # the custom presence was renamed: an older version
    presences = pa.concat_tables(
        [
            to_arrow(schema, presence_columns, presence_version, presence_sink),
            older_versions(
                rng, schema, presence_columns, renamed, change[renamed] - 90 * DAY, presence_version, presence_sink,
                {"msdyn_name": pa.array(["Lunch"])},
            ),
        ]
    )  # fmt: skip
    r = _agent_rows(rng, context)
    n = r["agent"].size
    ids = random_guids(rng, n)
    columns: Columns = {
        "msdyn_agentstatushistoryid": ids,
        "msdyn_agentid": take(context.user_ids, r["agent"]),
        "msdyn_presenceid": take(presence_ids, r["presence"]),
        "msdyn_starttime": r["start"],
        "msdyn_endtime": r["end"],
        "msdyn_availablecapacity": np.array([CAPACITY[p] for p in r["presence"]], np.int64),
        "msdyn_isagentloggedin": r["presence"] != OFFLINE,
    }
    is_open = r["end"] == NULL_TIMESTAMP
    change = np.where(is_open, r["start"], r["end"])
    version, sink = export_mechanics(rng, change)
    schema = SCHEMAS["msdyn_agentstatushistory"]
    # Older versions: the interval written when it began, still open.
    rows = np.flatnonzero(~is_open & (r["end"] - r["start"] > 5 * SECOND) & (rng.random(n) < 0.02))
    old = older_versions(
        rng,
        schema,
        columns,
        rows,
        r["start"][rows],
        version,
        sink,
        {"msdyn_endtime": np.full(rows.size, NULL_TIMESTAMP)},
    )
    deleted = tombstones(rng, context.end_us, schema, ids, change, 0.002)
    history = pa.concat_tables([to_arrow(schema, columns, version, sink), old, deleted])
    assert NULL_CODE not in columns["msdyn_availablecapacity"]
    return {"msdyn_presence": presences, "msdyn_agentstatushistory": history}
