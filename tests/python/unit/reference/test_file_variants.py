"""File variants: the union of files by column name, required columns, CSV text."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from omnichannel_tools import reference as ref

from .rows import TS, agent_key, at, is_null, participant_key, queue_key, session, session_key, write_csv, write_parquet

# --------------------------------------------------------------------------------------
# File variants: union of files, required columns, CSV
# --------------------------------------------------------------------------------------


def test_union_by_name_missing_optional_columns(tmp_path):
    write_parquet(tmp_path, "msdyn_ocsession", [session(1)], 0)
    folder = tmp_path / "msdyn_ocsession"
    other = pa.table(
        {
            "ActivityId": [session_key(2)],
            "msdyn_sessioncreatedon": pa.array([at(0)], TS),
            "msdyn_unknowncolumn": ["x"],
        }
    )
    pq.write_table(other, folder / "part-1.parquet")
    facts = ref.session_facts(ref.load_export(tmp_path)).set_index("session_id")
    assert set(facts.index) == {session_key(1), session_key(2)}
    row = facts.loc[session_key(2)]
    assert is_null(row["channel_code"]) and is_null(row["queue_id"])
    assert row["is_active"] and not row["is_engaged"] and is_null(row["agent_id"])


def test_required_column_missing(tmp_path):
    folder = tmp_path / "msdyn_ocsession"
    folder.mkdir()
    pq.write_table(pa.table({"activityid": [session_key(1)]}), folder / "part-0.parquet")
    with pytest.raises(ValueError, match="msdyn_ocsession.*msdyn_sessioncreatedon"):
        ref.load_export(tmp_path)


def test_csv_variant(tmp_path):
    sid1, sid2 = session_key(1).upper(), session_key(2)
    write_csv(
        tmp_path,
        "msdyn_ocsession",
        "activityid,msdyn_queueid,msdyn_channel,msdyn_sessioncreatedon,"
        "msdyn_agentassignedon,msdyn_agentacceptedon,msdyn_sessionclosedon,"
        "msdyn_state,msdyn_closurereason,versionnumber,sinkmodifiedon,isdelete\n"
        # session 1, version 1 (then replaced)
        f"{{{sid1}}},{queue_key(1)},192360000,2025-03-01T09:00:00Z,,,,192350001,,1,"
        "2025-03-02T00:00:00Z,False\n"
        # session 1, version 2: 7 fractional digits with Z, +00:00 and no suffix
        f"{{{sid1}}},{{{queue_key(2).upper()}}},192360000,2025-03-01T10:00:59.6000000Z,"
        "2025-03-01T10:01:00.1234567+00:00,2025-03-01T10:01:00.6000000,"
        "2025-03-01T10:05:00.0000000Z,192350002,192350004,2,2025-03-03T00:00:00Z,false\n"
        # session 2: deleted by a later tombstone written as '1'
        f"{sid2},{queue_key(1)},192360000,2025-03-01T10:00:00Z,,,,192350001,,1,,0\n"
        f"{sid2},,,,,,,,,2,,1\n"
        # session 3: the 7th fractional digit is dropped (microsecond precision)
        f"{session_key(3)},{queue_key(1)},,2025-03-01T10:00:00.1239999Z,2025-03-01T10:00:00.5000000Z,"
        "2025-03-01T10:00:01.1230001Z,,192350001,,1,,True\n"
        f"{session_key(3)},{queue_key(1)},,2025-03-01T10:00:00.1239999Z,2025-03-01T10:00:00.5000000Z,"
        "2025-03-01T10:00:01.1230001Z,,192350001,,2,,false\n",
    )
    write_csv(
        tmp_path,
        "msdyn_sessionparticipant",
        "msdyn_sessionparticipantid,msdyn_omnichannelsession,msdyn_agentid,msdyn_mode,"
        "msdyn_addedon,msdyn_joinedon,msdyn_activetime,msdyn_externalparticipantchannel,isdelete\n"
        f"{participant_key(1)},{sid1.lower()},{{{agent_key(8).upper()}}},192350002,2025-03-01T10:01:00Z,"
        "2025-03-01T10:01:00.6Z,42,,False\n"
        f'{participant_key(3)},{session_key(3)},{agent_key(1)},192350002,2025-03-01T10:00:00.5Z,2025-03-01T10:00:01Z,,"",\n',
    )
    write_csv(
        tmp_path,
        "systemuser",
        f'systemuserid,fullname,msdyn_botapplicationid\n{agent_key(8)},Empty,\n{agent_key(1)},Ann,""\n',
    )
    tables = ref.load_export(tmp_path, "csv")
    sessions = tables["msdyn_ocsession"].set_index("activityid")
    assert sessions.loc[session_key(3), "msdyn_sessioncreatedon"] == pd.Timestamp("2025-03-01 10:00:00.123999")
    assert str(sessions["msdyn_state"].dtype) == "Int64"
    facts = ref.session_facts(tables).set_index("session_id")
    assert set(facts.index) == {session_key(1), session_key(3)}
    row = facts.loc[session_key(1)]
    assert row["queue_id"] == queue_key(2)
    assert row["agent_id"] == agent_key(8) and not row["is_bot_session"]
    assert row["created_at"] == pd.Timestamp("2025-03-01 10:00:59.600")
    assert row["wait_time_seconds"] == pytest.approx(1.0, abs=1e-9)
    assert row["time_to_accept_seconds"] == pytest.approx(0.476544, abs=1e-9)  # .1234567 keeps 6 digits
    assert row["is_closed"] and row["closure_reason_label"] == "AgentClosed"
    assert row["handle_time_seconds"] == 42.0
    assert not row["is_handled_by_external_participant"]
    row = facts.loc[session_key(3)]
    assert is_null(row["channel_code"])
    assert row["time_to_accept_seconds"] == pytest.approx(0.623, abs=1e-9)  # 0.5 -> 1.123000
    assert row["is_active"] and row["handle_time_seconds"] == 0.0
