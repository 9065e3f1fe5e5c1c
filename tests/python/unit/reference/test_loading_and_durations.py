"""Loading (versions, tombstones, keys) and durations."""

from __future__ import annotations

import pandas as pd
import pytest

from omnichannel_tools import reference as ref

from .rows import TRANSFER, agent_key, fact, is_null, participant_key, queue_key, session_key

# --------------------------------------------------------------------------------------
# Loading: versions, tombstones, keys
# --------------------------------------------------------------------------------------


def test_scope_versions_and_tombstones(facts):
    expected = {session_key(n) for n in range(1, 34)} - {session_key(3), session_key(24)}
    assert set(facts.index) == expected
    assert facts.index.is_unique


def test_current_version_wins_and_guids_are_normalised(facts):
    row = fact(facts, 2)
    assert row["queue_id"] == queue_key(2)  # v3 (upper case, braces) beats v2 and v1
    assert row["closure_reason_code"] == TRANSFER
    assert row["is_transferred_out"]
    assert row["agent_id"] == agent_key(2)  # participant referenced the session with braces


def test_version_ties_use_sinkmodifiedon_and_null_version_loses(facts):
    assert fact(facts, 5)["queue_id"] == queue_key(2)


def test_recreated_key_is_present(facts):
    assert fact(facts, 4)["agent_id"] == agent_key(1)


def test_deleted_participant_not_counted(facts):
    row = fact(facts, 1)
    assert row["agent_id"] == agent_key(1)
    assert row["handle_time_seconds"] == 300.0


def test_load_export_tables(export):
    tables = ref.load_export(export)
    assert set(tables) == set(ref.TABLES)
    sessions = tables["msdyn_ocsession"]
    assert sessions["activityid"].str.match(ref.GUID_PATTERN).all()
    assert len(tables["msdyn_ocliveworkitem"]) == 0  # missing folder -> empty table
    participants = tables["msdyn_sessionparticipant"]
    assert str(participants["msdyn_joinedon"].dtype) == "datetime64[us]"
    assert participant_key(100) not in set(participants["msdyn_sessionparticipantid"])


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
    assert row["agent_id"] == agent_key(1)


def test_seconds_between_keeps_microseconds():
    start = pd.Series(pd.to_datetime(["2025-03-01 10:00:00.000250"])).astype("datetime64[us]")
    end = pd.Series(pd.to_datetime(["2025-03-01 10:00:00.000750"])).astype("datetime64[us]")
    assert ref.seconds_between(start, end).iloc[0] == pytest.approx(0.0005, abs=1e-12)
    assert pd.isna(ref.seconds_between(end, start).iloc[0])  # end before start
