"""Tests of the pandas reference implementation (omnichannel_tools.reference).

Every expected value is derived by hand from the specs (session-metrics.md,
dataverse-export.md) on tiny exports written into tmp_path.
"""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from omnichannel_tools import reference as ref

UTC = timezone.utc
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


def S(n: int) -> str:  # session
    return guid("a", n)


def Q(n: int) -> str:  # queue
    return guid("c", n)


def A(n: int) -> str:  # agent (systemuser)
    return guid("e", n)


def P(n: int) -> str:  # participant
    return guid("d", n)


def F(n: int) -> str:  # sentiment row
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
        "activityid": S(n),
        "msdyn_sessionid": f"s{n}",
        "msdyn_liveworkitemid": guid("b", n),
        "msdyn_queueid": Q(1),
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
        "msdyn_sessionparticipantid": P(pid),
        "msdyn_omnichannelsession": S(session_n),
        "msdyn_agentid": A(1),
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
        "msdyn_ocsessionsentimentid": F(fid),
        "msdyn_omnichannelsession": S(session_n),
        "msdyn_sentimentpulse": Decimal(pulse),
        "msdyn_sentimentzone": zone,
        "createdon": created,
        "versionnumber": 1,
        "sinkmodifiedon": at(86400),
        "isdelete": False,
    }


USERS = [
    {"systemuserid": A(1), "fullname": "Ann", "msdyn_botapplicationid": None},
    {"systemuserid": A(2), "fullname": "Bob", "msdyn_botapplicationid": None},
    {"systemuserid": A(3), "fullname": "Cy", "msdyn_botapplicationid": None},
    {"systemuserid": A(9), "fullname": "Bot", "msdyn_botapplicationid": "bot-app-1"},
    {"systemuserid": A(8), "fullname": "Empty", "msdyn_botapplicationid": ""},
]
QUEUES = [{"queueid": Q(1), "name": "Support"}, {"queueid": Q(2), "name": "Sales"}]


def write_parquet(root: Path, table: str, rows: list[dict], part: int = 0) -> None:
    folder = root / table
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(
        pa.Table.from_pylist(rows, schema=SCHEMAS[table]), folder / f"part-{part}.parquet"
    )


def write_export(root: Path, tables: dict[str, list[list[dict]]]) -> Path:
    """Write each table as one Parquet file per list of rows."""
    for table, parts in tables.items():
        for i, rows in enumerate(parts):
            write_parquet(root, table, rows, i)
    return root


# --------------------------------------------------------------------------------------
# The main edge-case export
# --------------------------------------------------------------------------------------

SESSIONS_PART0 = [
    session(1),
    # 2: three versions across files; the current one (v3) is upper-case with braces
    session(2, msdyn_queueid=Q(1), versionnumber=1),
    session(2, msdyn_queueid=Q(3), versionnumber=2),
    # 3: deleted (tombstone with empty columns is current)
    session(3),
    # 4: deleted then re-created
    {"activityid": S(4), "versionnumber": 1, "isdelete": True, "sinkmodifiedon": at(1)},
    # 5: tie on versionnumber -> latest sinkmodifiedon; a NULL versionnumber loses
    session(5, versionnumber=5, sinkmodifiedon=at(86400), msdyn_queueid=Q(1)),
    session(5, versionnumber=5, sinkmodifiedon=at(2 * 86400), msdyn_queueid=Q(2)),
    session(5, versionnumber=None, sinkmodifiedon=at(9 * 86400), msdyn_queueid=Q(3)),
    # 6: 1-second wait across a minute boundary
    session(
        6,
        msdyn_sessioncreatedon=at(59.6),
        msdyn_agentassignedon=at(60),
        msdyn_agentacceptedon=at(60.6),
        msdyn_sessionclosedon=at(300),
    ),
    # 7: accepted before assigned -> time to accept NULL
    session(7, msdyn_agentassignedon=at(10), msdyn_agentacceptedon=at(5)),
    # 8: rejected, closed before assigned -> time to reject NULL
    session(
        8,
        msdyn_agentassignedon=at(30),
        msdyn_agentacceptedon=None,
        msdyn_sessionclosedon=at(20),
        msdyn_closurereason=REJECT,
    ),
    # 9: rejected normally
    session(
        9,
        msdyn_agentacceptedon=None,
        msdyn_sessionclosedon=at(7.25),
        msdyn_closurereason=REJECT,
    ),
    # 10: closed by state alone, nothing else known
    session(
        10,
        msdyn_agentassignedon=None,
        msdyn_agentacceptedon=None,
        msdyn_sessionclosedon=None,
        msdyn_closurereason=None,
    ),
    # 11: closed by state alone, accepted
    session(11, msdyn_sessionclosedon=None),
    # 12: active (being waited on)
    session(
        12,
        msdyn_agentacceptedon=None,
        msdyn_sessionclosedon=None,
        msdyn_state=ACTIVE,
        msdyn_closurereason=None,
    ),
    session(13, msdyn_closurereason=192350099),  # unknown code
    session(14, msdyn_closurereason=TRANSFER_TO_QUEUE),
    session(15, msdyn_closurereason=TIMEOUT, msdyn_agentacceptedon=None),
    session(16),  # several primaries + consult + monitor
    session(17),  # primaries tie on joinedon -> addedon
    session(18),  # primaries tie on joinedon and addedon -> participant id
    session(19),  # NULL active time
    session(20),  # negative active time
    session(21),  # engaged, no participant
    session(22),  # bot
    session(23),  # agent with empty botapplicationid
    session(24, msdyn_channel=ENTITY_RECORDS),
    session(25, msdyn_channel=None),
    session(26),  # external, joined
    session(27),  # external channel ''
    session(28),  # external, not joined
    session(29),  # earlier primary external, latest not
    session(30, msdyn_sessioncreatedon=datetime(2025, 3, 1, 23, 30, tzinfo=UTC)),
    session(31),  # sentiment: NULL createdon loses
    session(32),  # sentiment: createdon tie -> id
    session(33, msdyn_closurereason=192350012),
    # invalid keys are dropped
    session(0, activityid=""),
    session(0, activityid="not-a-guid"),
    session(0, activityid=None),
]
SESSIONS_PART1 = [
    session(
        2,
        activityid="{" + S(2).upper() + "}",
        msdyn_queueid="{" + Q(2).upper() + "}",
        msdyn_closurereason=TRANSFER,
        versionnumber=3,
    ),
    {"activityid": S(3), "versionnumber": 2, "isdelete": True, "sinkmodifiedon": at(1)},
    session(4, versionnumber=2),
]

PARTICIPANTS = [
    participant(1, 1),
    participant(2, 2, msdyn_omnichannelsession="{" + S(2).upper() + "}", msdyn_agentid=A(2)),
    participant(3, 3),
    participant(4, 4),
    participant(5, 5),
    participant(6, 6),
    participant(7, 7),
    participant(8, 8, msdyn_joinedon=None, msdyn_activetime=None),
    participant(9, 9, msdyn_joinedon=None, msdyn_activetime=None),
    participant(11, 11, msdyn_activetime=40),
    participant(12, 12, msdyn_joinedon=None, msdyn_activetime=None),
    participant(13, 13),
    participant(14, 14),
    participant(15, 15, msdyn_joinedon=None, msdyn_activetime=None),
    # 16: latest Primary by joinedon is agent 2; a Primary never joined (NULL) loses
    participant(160, 16, msdyn_agentid=A(1), msdyn_joinedon=naive(9), msdyn_activetime=100),
    participant(161, 16, msdyn_agentid=A(2), msdyn_joinedon=naive(60), msdyn_activetime=50),
    participant(
        162,
        16,
        msdyn_agentid=A(3),
        msdyn_joinedon=None,
        msdyn_addedon=naive(120),
        msdyn_activetime=None,
    ),
    participant(163, 16, msdyn_agentid=A(3), msdyn_mode=CONSULT, msdyn_activetime=999),
    participant(164, 16, msdyn_agentid=A(3), msdyn_mode=MONITOR, msdyn_activetime=888),
    # 17: same joinedon; later addedon wins
    participant(170, 17, msdyn_agentid=A(2), msdyn_addedon=naive(6), msdyn_activetime=10),
    participant(171, 17, msdyn_agentid=A(1), msdyn_addedon=naive(5), msdyn_activetime=20),
    # 18: same joinedon and addedon; greater participant id wins
    participant(181, 18, msdyn_agentid=A(1), msdyn_activetime=1),
    participant(182, 18, msdyn_agentid=A(3), msdyn_activetime=2),
    participant(19, 19, msdyn_activetime=None),
    participant(200, 20, msdyn_activetime=-5),
    participant(201, 20, msdyn_activetime=30, msdyn_joinedon=naive(10)),
    participant(22, 22, msdyn_agentid=A(9)),
    participant(23, 23, msdyn_agentid=A(8)),
    participant(24, 24),
    participant(25, 25),
    participant(26, 26, msdyn_externalparticipantchannel="+15550100"),
    participant(27, 27, msdyn_externalparticipantchannel=""),
    participant(28, 28, msdyn_externalparticipantchannel="+15550100", msdyn_joinedon=None),
    participant(290, 29, msdyn_externalparticipantchannel="+15550100", msdyn_joinedon=naive(9)),
    participant(291, 29, msdyn_joinedon=naive(20)),
    participant(30, 30),
    participant(31, 31),
    participant(32, 32),
    participant(33, 33),
    # a deleted participant of session 1 must not count
    participant(100, 1, msdyn_agentid=A(3), msdyn_joinedon=naive(99), msdyn_activetime=5000),
    participant(100, 1, versionnumber=2, isdelete=True),
]

SENTIMENTS = [
    sentiment(1, 1, "40.0", "Negative", at(60)),
    sentiment(2, 1, "70.5", "Positive", at(120)),
    sentiment(3, 31, "10.0", "Negative", None),
    sentiment(4, 31, "20.0", "Neutral", at(60)),
    sentiment(5, 32, "30.0", "Negative", at(60)),
    sentiment(6, 32, "60.0", "Positive", at(60)),
]


@pytest.fixture(scope="module")
def export(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("export")
    return write_export(
        root,
        {
            "msdyn_ocsession": [SESSIONS_PART0, SESSIONS_PART1],
            "msdyn_sessionparticipant": [PARTICIPANTS],
            "msdyn_ocsessionsentiment": [SENTIMENTS],
            "systemuser": [USERS],
            "queue": [QUEUES],
        },
    )


@pytest.fixture(scope="module")
def facts(export) -> pd.DataFrame:
    return ref.session_facts(ref.load_export(export)).set_index("session_id")


def fact(facts: pd.DataFrame, n: int) -> pd.Series:
    return facts.loc[S(n)]


def is_null(value) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)) or (
        value is pd.NaT
    )


# --------------------------------------------------------------------------------------
# Loading: versions, tombstones, keys
# --------------------------------------------------------------------------------------


def test_scope_versions_and_tombstones(facts):
    expected = {S(n) for n in range(1, 34)} - {S(3), S(24)}
    assert set(facts.index) == expected
    assert facts.index.is_unique


def test_current_version_wins_and_guids_are_normalised(facts):
    row = fact(facts, 2)
    assert row["queue_id"] == Q(2)  # v3 (upper case, braces) beats v2 and v1
    assert row["closure_reason_code"] == TRANSFER
    assert row["is_transferred_out"]
    assert row["agent_id"] == A(2)  # participant referenced the session with braces


def test_version_ties_use_sinkmodifiedon_and_null_version_loses(facts):
    assert fact(facts, 5)["queue_id"] == Q(2)


def test_recreated_key_is_present(facts):
    assert fact(facts, 4)["agent_id"] == A(1)


def test_deleted_participant_not_counted(facts):
    row = fact(facts, 1)
    assert row["agent_id"] == A(1)
    assert row["handle_time_seconds"] == 300.0


def test_load_export_tables(export):
    tables = ref.load_export(export)
    assert set(tables) == set(ref.TABLES)
    sessions = tables["msdyn_ocsession"]
    assert sessions["activityid"].str.match(ref.GUID_PATTERN).all()
    assert len(tables["msdyn_ocliveworkitem"]) == 0  # missing folder -> empty table
    participants = tables["msdyn_sessionparticipant"]
    assert str(participants["msdyn_joinedon"].dtype) == "datetime64[us]"
    assert P(100) not in set(participants["msdyn_sessionparticipantid"])


# --------------------------------------------------------------------------------------
# Durations
# --------------------------------------------------------------------------------------


def test_baseline_durations(facts):
    row = fact(facts, 1)
    assert row["wait_time_seconds"] == 9.0
    assert row["time_to_accept_seconds"] == 4.0
    assert is_null(row["time_to_reject_seconds"])
    assert row["created_at"] == pd.Timestamp("2025-03-01 10:00:00")
    assert row["session_date"] == pd.Timestamp("2025-03-01")


def test_one_second_wait_across_minute_boundary(facts):
    row = fact(facts, 6)
    assert row["wait_time_seconds"] == pytest.approx(1.0, abs=1e-9)
    assert row["time_to_accept_seconds"] == pytest.approx(0.6, abs=1e-9)


def test_end_before_start_is_null_but_session_counts(facts):
    row = fact(facts, 7)
    assert is_null(row["time_to_accept_seconds"])
    assert row["wait_time_seconds"] == 5.0  # created -> accepted
    row = fact(facts, 8)
    assert row["is_rejected"] and row["is_assigned"] and not row["is_engaged"]
    assert is_null(row["time_to_reject_seconds"])
    assert row["wait_time_seconds"] == 20.0  # created -> closed (not accepted)
    assert is_null(row["handle_time_seconds"])


def test_time_to_reject(facts):
    row = fact(facts, 9)
    assert row["time_to_reject_seconds"] == 2.25
    assert row["wait_time_seconds"] == 7.25
    assert row["agent_id"] == A(1)


def test_seconds_between_keeps_microseconds():
    start = pd.Series(pd.to_datetime(["2025-03-01 10:00:00.000250"])).astype("datetime64[us]")
    end = pd.Series(pd.to_datetime(["2025-03-01 10:00:00.000750"])).astype("datetime64[us]")
    assert ref.seconds_between(start, end).iloc[0] == pytest.approx(0.0005, abs=1e-12)
    assert pd.isna(ref.seconds_between(end, start).iloc[0])  # end before start


# --------------------------------------------------------------------------------------
# Closure
# --------------------------------------------------------------------------------------


def test_closed_by_state_alone(facts):
    row = fact(facts, 10)
    assert row["is_closed"] and not row["is_active"]
    assert is_null(row["wait_time_seconds"])  # neither accepted nor closed time
    assert is_null(row["closure_reason_code"]) and is_null(row["closure_reason_label"])
    assert not row["is_transferred_out"] and not row["is_rejected"] and not row["is_timed_out"]
    row = fact(facts, 11)
    assert row["is_closed"] and row["wait_time_seconds"] == 9.0
    assert row["handle_time_seconds"] == 40.0


def test_active_session(facts):
    row = fact(facts, 12)
    assert row["is_active"] and not row["is_closed"] and row["is_assigned"]
    assert is_null(row["wait_time_seconds"])


def test_closure_labels(facts):
    assert fact(facts, 1)["closure_reason_label"] == "AgentClosed"
    assert fact(facts, 13)["closure_reason_label"] == "Unknown"
    assert fact(facts, 13)["closure_reason_code"] == 192350099
    assert fact(facts, 14)["closure_reason_label"] == "AgentTransferToQueue"
    assert fact(facts, 14)["is_transferred_out"]
    assert fact(facts, 15)["is_timed_out"] and not fact(facts, 15)["is_rejected"]
    assert fact(facts, 33)["closure_reason_label"] == "SupervisorTransferToAgent"
    assert not fact(facts, 33)["is_transferred_out"]


# --------------------------------------------------------------------------------------
# Participants
# --------------------------------------------------------------------------------------


def test_two_primaries_consult_and_monitor(facts):
    row = fact(facts, 16)
    assert row["agent_id"] == A(2)  # latest joined Primary; never-joined Primary loses
    assert row["handle_time_seconds"] == 150.0  # 100 + 50 + NULL; consult/monitor excluded


def test_primary_ties(facts):
    assert fact(facts, 17)["agent_id"] == A(2)  # later addedon
    assert fact(facts, 17)["handle_time_seconds"] == 30.0
    assert fact(facts, 18)["agent_id"] == A(3)  # greater participant id


def test_missing_active_time_counts_zero(facts):
    assert fact(facts, 19)["handle_time_seconds"] == 0.0  # NULL
    assert fact(facts, 20)["handle_time_seconds"] == 30.0  # -5 counts 0
    row = fact(facts, 21)  # engaged with no participant
    assert row["handle_time_seconds"] == 0.0
    assert is_null(row["agent_id"]) and not row["is_bot_session"]


def test_not_engaged_handle_time_is_null(facts):
    assert is_null(fact(facts, 15)["handle_time_seconds"])


def test_bot_sessions(facts):
    assert fact(facts, 22)["is_bot_session"]
    assert not fact(facts, 23)["is_bot_session"]  # '' botapplicationid is not a bot
    assert facts["is_bot_session"].sum() == 1


def test_external_participant(facts):
    assert fact(facts, 26)["is_handled_by_external_participant"]
    assert not fact(facts, 27)["is_handled_by_external_participant"]  # ''
    assert not fact(facts, 28)["is_handled_by_external_participant"]  # not joined
    assert not fact(facts, 29)["is_handled_by_external_participant"]  # not the latest
    assert facts["is_handled_by_external_participant"].sum() == 1


# --------------------------------------------------------------------------------------
# Channel scope, dates, sentiment
# --------------------------------------------------------------------------------------


def test_entity_records_excluded_unless_switched_off(export, facts):
    assert S(24) not in facts.index
    assert is_null(fact(facts, 25)["channel_code"])
    all_facts = ref.session_facts(ref.load_export(export), exclude_entity_records=False)
    assert S(24) in set(all_facts["session_id"])
    assert len(all_facts) == len(facts) + 1


def test_reporting_timezone(export, facts):
    assert fact(facts, 30)["session_date"] == pd.Timestamp("2025-03-01")
    paris = ref.session_facts(ref.load_export(export), reporting_timezone="Europe/Paris")
    paris = paris.set_index("session_id")
    assert paris.loc[S(30), "session_date"] == pd.Timestamp("2025-03-02")
    assert paris.loc[S(1), "session_date"] == pd.Timestamp("2025-03-01")


def test_latest_sentiment(facts):
    assert fact(facts, 1)["customer_sentiment_pulse"] == 70.5
    assert fact(facts, 1)["customer_sentiment_zone"] == "Positive"
    assert fact(facts, 31)["customer_sentiment_pulse"] == 20.0  # NULL createdon loses
    assert fact(facts, 32)["customer_sentiment_pulse"] == 60.0  # tie -> greater id
    assert is_null(fact(facts, 6)["customer_sentiment_pulse"])
    assert is_null(fact(facts, 6)["customer_sentiment_zone"])


def test_flags_never_null_and_columns(facts):
    assert list(facts.reset_index().columns) == ref.FACT_COLUMNS
    flags = [c for c in facts.columns if c.startswith("is_")]
    assert not facts[flags].isna().any().any()
    assert all(facts[c].dtype == bool for c in flags)


# --------------------------------------------------------------------------------------
# Metric parts
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_facts(tmp_path_factory) -> pd.DataFrame:
    root = tmp_path_factory.mktemp("small")
    sessions = [
        session(1),  # closed, engaged
        session(  # rejected
            2,
            msdyn_agentacceptedon=None,
            msdyn_sessionclosedon=at(7.25),
            msdyn_closurereason=REJECT,
        ),
        session(  # engaged, still open
            3,
            msdyn_sessionclosedon=None,
            msdyn_state=ACTIVE,
            msdyn_closurereason=None,
        ),
        session(  # waiting, no queue, no participant
            4,
            msdyn_queueid=None,
            msdyn_agentassignedon=None,
            msdyn_agentacceptedon=None,
            msdyn_sessionclosedon=None,
            msdyn_state=192350003,
            msdyn_closurereason=None,
        ),
        session(5),  # bot
        session(6, msdyn_channel=ENTITY_RECORDS),
    ]
    participants = [
        participant(1, 1),
        participant(2, 2, msdyn_joinedon=None, msdyn_activetime=None),
        participant(3, 3, msdyn_activetime=120),
        participant(5, 5, msdyn_agentid=A(9)),
        participant(6, 6),
    ]
    write_export(
        root,
        {
            "msdyn_ocsession": [sessions],
            "msdyn_sessionparticipant": [participants],
            "msdyn_ocsessionsentiment": [[sentiment(1, 1, "70", "Positive", at(60))]],
            "systemuser": [USERS],
        },
    )
    return ref.session_facts(ref.load_export(root))


def test_metric_parts(small_facts):
    parts = ref.metric_parts(small_facts)
    assert list(parts.columns) == ref.GRAIN + ref.PART_COLUMNS
    assert len(parts) == 2
    agent = parts[parts["agent_id"] == A(1)].iloc[0]
    expected = {
        "total_sessions": 3,
        "active_sessions": 1,
        "closed_sessions": 2,
        "engaged_sessions": 2,
        "assigned_sessions": 3,
        "transferred_sessions": 0,
        "rejected_sessions": 1,
        "timeout_sessions": 0,
        "time_to_reject_seconds_sum": 2.25,
        "time_to_reject_count": 1,
        "time_to_accept_seconds_sum": 8.0,
        "time_to_accept_count": 2,
        "wait_time_seconds_sum": 16.25,
        "wait_time_count": 2,
        "handle_time_seconds_sum": 300.0,  # the open engaged session is not counted
        "handle_time_count": 1,
        "sentiment_pulse_sum": 70.0,
        "sentiment_count": 1,
        "external_handled_sessions": 0,
    }
    assert {k: agent[k] for k in expected} == expected
    assert agent["session_date"] == pd.Timestamp("2025-03-01")
    assert agent["queue_id"] == Q(1) and agent["channel_code"] == LIVE_CHAT

    waiting = parts[parts["agent_id"].isna()].iloc[0]
    assert is_null(waiting["queue_id"])
    assert waiting["total_sessions"] == 1 and waiting["active_sessions"] == 1
    for col in ref.PART_COLUMNS:
        if col.endswith("_sum"):
            assert waiting[col] == 0.0
    totals = ref.metric_totals(parts)
    assert totals["total_sessions"] == 4.0
    assert totals["wait_time_seconds_sum"] == 16.25
    assert set(totals) == set(ref.PART_COLUMNS)


def test_closure_reason_counts(small_facts):
    counts = ref.closure_reason_counts(small_facts)
    assert counts["sessions"].sum() == 4
    agent = counts[counts["agent_id"] == A(1)]
    got = {
        (None if is_null(c) else int(c)): (None if is_null(lbl) else lbl, n)
        for c, lbl, n in zip(
            agent["closure_reason_code"], agent["closure_reason_label"], agent["sessions"]
        )
    }
    assert got == {
        AGENT_CLOSED: ("AgentClosed", 1),
        REJECT: ("AgentReject", 1),
        None: (None, 1),
    }


def test_cli_prints_totals(export, capsys):
    assert ref.main(["--export", str(export)]) == 0
    totals = json.loads(capsys.readouterr().out)
    # 31 in-scope sessions, one of them a bot session
    assert totals["total_sessions"] == 30.0
    assert totals["external_handled_sessions"] == 1.0


# --------------------------------------------------------------------------------------
# File variants: union of files, required columns, CSV
# --------------------------------------------------------------------------------------


def test_union_by_name_missing_optional_columns(tmp_path):
    write_parquet(tmp_path, "msdyn_ocsession", [session(1)], 0)
    folder = tmp_path / "msdyn_ocsession"
    other = pa.table(
        {
            "ActivityId": [S(2)],
            "msdyn_sessioncreatedon": pa.array([at(0)], TS),
            "msdyn_unknowncolumn": ["x"],
        }
    )
    pq.write_table(other, folder / "part-1.parquet")
    facts = ref.session_facts(ref.load_export(tmp_path)).set_index("session_id")
    assert set(facts.index) == {S(1), S(2)}
    row = facts.loc[S(2)]
    assert is_null(row["channel_code"]) and is_null(row["queue_id"])
    assert row["is_active"] and not row["is_engaged"] and is_null(row["agent_id"])


def test_required_column_missing(tmp_path):
    folder = tmp_path / "msdyn_ocsession"
    folder.mkdir()
    pq.write_table(pa.table({"activityid": [S(1)]}), folder / "part-0.parquet")
    with pytest.raises(ValueError, match="msdyn_ocsession.*msdyn_sessioncreatedon"):
        ref.load_export(tmp_path)


def write_csv(root: Path, table: str, text: str) -> None:
    folder = root / table
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "part-0.csv").write_text(text, encoding="utf-8")


def test_csv_variant(tmp_path):
    sid1, sid2 = S(1).upper(), S(2)
    write_csv(
        tmp_path,
        "msdyn_ocsession",
        "activityid,msdyn_queueid,msdyn_channel,msdyn_sessioncreatedon,"
        "msdyn_agentassignedon,msdyn_agentacceptedon,msdyn_sessionclosedon,"
        "msdyn_state,msdyn_closurereason,versionnumber,sinkmodifiedon,isdelete\n"
        # session 1, version 1 (then replaced)
        f"{{{sid1}}},{Q(1)},192360000,2025-03-01T09:00:00Z,,,,192350001,,1,"
        "2025-03-02T00:00:00Z,False\n"
        # session 1, version 2: 7 fractional digits with Z, +00:00 and no suffix
        f"{{{sid1}}},{{{Q(2).upper()}}},192360000,2025-03-01T10:00:59.6000000Z,"
        "2025-03-01T10:01:00.1234567+00:00,2025-03-01T10:01:00.6000000,"
        "2025-03-01T10:05:00.0000000Z,192350002,192350004,2,2025-03-03T00:00:00Z,false\n"
        # session 2: deleted by a later tombstone written as '1'
        f"{sid2},{Q(1)},192360000,2025-03-01T10:00:00Z,,,,192350001,,1,,0\n"
        f"{sid2},,,,,,,,,2,,1\n"
        # session 3: the 7th fractional digit is dropped (microsecond precision)
        f"{S(3)},{Q(1)},,2025-03-01T10:00:00.1239999Z,2025-03-01T10:00:00.5000000Z,"
        "2025-03-01T10:00:01.1230001Z,,192350001,,1,,True\n"
        f"{S(3)},{Q(1)},,2025-03-01T10:00:00.1239999Z,2025-03-01T10:00:00.5000000Z,"
        "2025-03-01T10:00:01.1230001Z,,192350001,,2,,false\n",
    )
    write_csv(
        tmp_path,
        "msdyn_sessionparticipant",
        "msdyn_sessionparticipantid,msdyn_omnichannelsession,msdyn_agentid,msdyn_mode,"
        "msdyn_addedon,msdyn_joinedon,msdyn_activetime,msdyn_externalparticipantchannel,isdelete\n"
        f"{P(1)},{sid1.lower()},{{{A(8).upper()}}},192350002,2025-03-01T10:01:00Z,"
        "2025-03-01T10:01:00.6Z,42,,False\n"
        f"{P(3)},{S(3)},{A(1)},192350002,2025-03-01T10:00:00.5Z,2025-03-01T10:00:01Z,,\"\",\n",
    )
    write_csv(
        tmp_path,
        "systemuser",
        "systemuserid,fullname,msdyn_botapplicationid\n"
        f"{A(8)},Empty,\n"
        f"{A(1)},Ann,\"\"\n",
    )
    tables = ref.load_export(tmp_path, "csv")
    sessions = tables["msdyn_ocsession"].set_index("activityid")
    assert sessions.loc[S(3), "msdyn_sessioncreatedon"] == pd.Timestamp(
        "2025-03-01 10:00:00.123999"
    )
    assert str(sessions["msdyn_state"].dtype) == "Int64"
    facts = ref.session_facts(tables).set_index("session_id")
    assert set(facts.index) == {S(1), S(3)}
    row = facts.loc[S(1)]
    assert row["queue_id"] == Q(2)
    assert row["agent_id"] == A(8) and not row["is_bot_session"]
    assert row["created_at"] == pd.Timestamp("2025-03-01 10:00:59.600")
    assert row["wait_time_seconds"] == pytest.approx(1.0, abs=1e-9)
    assert row["time_to_accept_seconds"] == pytest.approx(0.476544, abs=1e-9)  # .1234567 keeps 6 digits
    assert row["is_closed"] and row["closure_reason_label"] == "AgentClosed"
    assert row["handle_time_seconds"] == 42.0
    assert not row["is_handled_by_external_participant"]
    row = facts.loc[S(3)]
    assert is_null(row["channel_code"])
    assert row["time_to_accept_seconds"] == pytest.approx(0.623, abs=1e-9)  # 0.5 -> 1.123000
    assert row["is_active"] and row["handle_time_seconds"] == 0.0
