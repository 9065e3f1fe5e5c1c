"""Tiny exports for the reference's tests: keys, rows with defaults, Parquet and CSV writers."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

UTC = UTC
T0 = datetime(2025, 3, 1, 10, 0, 0, tzinfo=UTC)
LIVE_CHAT = 192360000
ENTITY_RECORDS = 192350000
PRIMARY, CONSULT, MONITOR = 192350002, 192350003, 192350004
CLOSED, ACTIVE = 192350002, 192350001
AGENT_CLOSED, REJECT, TIMEOUT = 192350004, 192350001, 192350002
TRANSFER, TRANSFER_TO_QUEUE = 192350006, 192350010


def guid(prefix: str, n: int) -> str:
    """A lower-case GUID like aaaaaaaa-0000-0000-0000-000000000007."""
    return f"{prefix * 8}-0000-0000-0000-{n:012d}"


def session_key(n: int) -> str:
    return guid("a", n)


def queue_key(n: int) -> str:
    return guid("c", n)


def agent_key(n: int) -> str:  # a systemuser
    return guid("e", n)


def participant_key(n: int) -> str:
    return guid("d", n)


def sentiment_key(n: int) -> str:  # a msdyn_ocsessionsentiment row
    return guid("f", n)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


TS = pa.timestamp("us", tz="UTC")
MECH = [("versionnumber", pa.int64()), ("sinkmodifiedon", TS), ("isdelete", pa.bool_())]
SCHEMAS = {
    "msdyn_ocsession": pa.schema(
        [
            ("activityid", pa.string()),
            ("msdyn_sessionid", pa.string()),
            ("msdyn_liveworkitemid", pa.string()),
            ("msdyn_queueid", pa.string()),
            ("msdyn_channel", pa.int32()),
            ("msdyn_sessioncreatedon", TS),
            ("msdyn_agentassignedon", TS),
            ("msdyn_agentacceptedon", TS),
            ("msdyn_sessionclosedon", TS),
            ("msdyn_state", pa.int32()),
            ("msdyn_closurereason", pa.int32()),
            ("statuscode", pa.int32()),
            *MECH,
        ]
    ),
    "msdyn_sessionparticipant": pa.schema(
        [
            ("msdyn_sessionparticipantid", pa.string()),
            ("msdyn_omnichannelsession", pa.string()),
            ("msdyn_agentid", pa.string()),
            ("msdyn_mode", pa.int32()),
            # naive timestamps: the loader must read them as UTC
            ("msdyn_addedon", pa.timestamp("us")),
            ("msdyn_joinedon", pa.timestamp("us")),
            ("msdyn_activetime", pa.int32()),
            ("msdyn_externalparticipantchannel", pa.string()),
            *MECH,
        ]
    ),
    "msdyn_ocsessionsentiment": pa.schema(
        [
            ("msdyn_ocsessionsentimentid", pa.string()),
            ("msdyn_omnichannelsession", pa.string()),
            ("msdyn_sentimentpulse", pa.decimal128(4, 1)),
            ("msdyn_sentimentzone", pa.string()),
            ("createdon", TS),
            *MECH,
        ]
    ),
    "systemuser": pa.schema(
        [
            ("systemuserid", pa.string()),
            ("fullname", pa.string()),
            ("msdyn_botapplicationid", pa.string()),
            *MECH,
        ]
    ),
    "queue": pa.schema([("queueid", pa.string()), ("name", pa.string()), *MECH]),
}


def session(n: int, **over) -> dict:
    """A closed, accepted live-chat session on queue 1 (defaults), version 1."""
    row = {
        "activityid": session_key(n),
        "msdyn_sessionid": f"s{n}",
        "msdyn_liveworkitemid": guid("b", n),
        "msdyn_queueid": queue_key(1),
        "msdyn_channel": LIVE_CHAT,
        "msdyn_sessioncreatedon": at(0),
        "msdyn_agentassignedon": at(5),
        "msdyn_agentacceptedon": at(9),
        "msdyn_sessionclosedon": at(600),
        "msdyn_state": CLOSED,
        "msdyn_closurereason": AGENT_CLOSED,
        "statuscode": 2,
        "versionnumber": 1,
        "sinkmodifiedon": at(86400),
        "isdelete": False,
    }
    row.update(over)
    return row


def participant(pid: int, session_n: int, **over) -> dict:
    """A joined Primary participant (agent 1, 300 s active)."""
    row = {
        "msdyn_sessionparticipantid": participant_key(pid),
        "msdyn_omnichannelsession": session_key(session_n),
        "msdyn_agentid": agent_key(1),
        "msdyn_mode": PRIMARY,
        "msdyn_addedon": at(5).replace(tzinfo=None),
        "msdyn_joinedon": at(9).replace(tzinfo=None),
        "msdyn_activetime": 300,
        "msdyn_externalparticipantchannel": None,
        "versionnumber": 1,
        "sinkmodifiedon": at(86400),
        "isdelete": False,
    }
    row.update(over)
    return row


def naive(seconds: float) -> datetime:
    return at(seconds).replace(tzinfo=None)


def sentiment(fid: int, session_n: int, pulse: str, zone: str, created) -> dict:
    return {
        "msdyn_ocsessionsentimentid": sentiment_key(fid),
        "msdyn_omnichannelsession": session_key(session_n),
        "msdyn_sentimentpulse": Decimal(pulse),
        "msdyn_sentimentzone": zone,
        "createdon": created,
        "versionnumber": 1,
        "sinkmodifiedon": at(86400),
        "isdelete": False,
    }


USERS = [
    {"systemuserid": agent_key(1), "fullname": "Ann", "msdyn_botapplicationid": None},
    {"systemuserid": agent_key(2), "fullname": "Bob", "msdyn_botapplicationid": None},
    {"systemuserid": agent_key(3), "fullname": "Cy", "msdyn_botapplicationid": None},
    {"systemuserid": agent_key(9), "fullname": "Bot", "msdyn_botapplicationid": "bot-app-1"},
    {"systemuserid": agent_key(8), "fullname": "Empty", "msdyn_botapplicationid": ""},
]
QUEUES = [{"queueid": queue_key(1), "name": "Support"}, {"queueid": queue_key(2), "name": "Sales"}]


def write_parquet(root: Path, table: str, rows: list[dict], part: int = 0) -> None:
    folder = root / table
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMAS[table]), folder / f"part-{part}.parquet")


def write_export(root: Path, tables: dict[str, list[list[dict]]]) -> Path:
    """Write each table as one Parquet file per list of rows."""
    for table, parts in tables.items():
        for i, rows in enumerate(parts):
            write_parquet(root, table, rows, i)
    return root


def fact(facts: pd.DataFrame, n: int) -> pd.Series:
    return facts.loc[session_key(n)]


def is_null(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or (value is pd.NaT)


def write_csv(root: Path, table: str, text: str) -> None:
    folder = root / table
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "part-0.csv").write_text(text, encoding="utf-8")
