"""Build 3, CSV, faults (cases_faulty_csv): each fault changes its session as specified."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .checks import changed_fields, fault_rows, seconds, session_of
from .export_files import to_utc
from .suite import OCS, PART, SENT, Baseline, Build
from .warehouse import data_faults, query


def test_tombstone_as_newest_version_deletes_the_session(faulty: Build, baseline: Baseline) -> None:
    gone = faulty.facts["tombstoned"]
    assert session_of(faulty, gone) is None
    assert not query(faulty.warehouse, "select * from stg_dataverse__sessions where session_id = ?", [gone])
    assert not query(faulty.warehouse, "select * from stg_dataverse__session_participants where session_id = ?", [gone])
    total = query(faulty.warehouse, "select sum(total_sessions) from metric_total_sessions")[0][0]
    before = query(baseline.warehouse, "select sum(total_sessions) from metric_total_sessions")[0][0]
    revived = session_of(faulty, faulty.facts["resurrected"][0])
    assert total == before - 1 + (0 if revived["is_bot_session"] else 1)


def test_resurrected_key_after_tombstone_is_a_session_again(faulty: Build, baseline: Baseline) -> None:
    key, living = faulty.facts["resurrected"]
    assert key not in baseline.fct
    row = session_of(faulty, key)
    assert row is not None
    assert row["session_display_id"] == living["msdyn_sessionid"]
    assert row["channel_code"] == living["msdyn_channel"]
    assert row["created_at"] == to_utc(living["msdyn_sessioncreatedon"])
    assert row["closed_at"] == to_utc(living["msdyn_sessionclosedon"])
    assert faulty.facts[f"revived_{PART}"] == 0 or row["agent_id"] is not None


def test_unparseable_timestamp_becomes_null_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["unparseable_ts"]
    before = baseline.session(session)
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("accepted_at")[1] is None
    assert changed.pop("is_engaged") == (True, False)
    assert changed.pop("handle_time_seconds")[1] is None
    assert changed.pop("time_to_accept_seconds")[1] is None
    wait = changed.pop("wait_time_seconds")[1]
    assert wait == pytest.approx(seconds(before["created_at"], before["closed_at"]), abs=1e-6)
    assert not changed
    faults = [f for f in fault_rows(faulty) if f[:3] == (OCS, session, "unparseable value")]
    assert len(faults) == 1 and "msdyn_agentacceptedon" in faults[0][3]


def test_wait_end_before_start_nulls_the_duration_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["wait_end_before_start"]
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("wait_time_seconds")[1] is None
    assert changed.pop("created_at")[1] == baseline.session(session)["accepted_at"] + timedelta(seconds=1)
    changed.pop("session_date", None)
    assert not changed, changed  # time to accept, handle time, flags: as before
    assert (OCS, session, "wait time end before start") in {f[:3] for f in fault_rows(faulty)}


def test_accept_end_before_start_nulls_time_to_accept_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["accept_end_before_start"]
    before = baseline.session(session)
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("time_to_accept_seconds")[1] is None
    accepted = changed.pop("accepted_at")[1]
    assert accepted == before["assigned_at"] - timedelta(seconds=1)
    assert changed.pop("wait_time_seconds")[1] == pytest.approx(seconds(before["created_at"], accepted), abs=1e-6)
    assert not changed, changed
    assert (OCS, session, "time to accept end before start") in {f[:3] for f in fault_rows(faulty)}


def test_reject_end_before_start_nulls_time_to_reject_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["reject_end_before_start"]
    before = baseline.session(session)
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("time_to_reject_seconds")[1] is None
    closed = changed.pop("closed_at")[1]
    assert closed == before["assigned_at"] - timedelta(seconds=1)
    if "wait_time_seconds" in changed:
        assert changed.pop("wait_time_seconds")[1] == pytest.approx(seconds(before["created_at"], closed), abs=1e-6)
    assert not changed, changed
    row = session_of(faulty, session)
    assert row["is_rejected"] and row["is_closed"]
    assert (OCS, session, "time to reject end before start") in {f[:3] for f in fault_rows(faulty)}


def test_unknown_closure_code_is_labelled_unknown_and_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["unknown_closure"]
    changed = changed_fields(faulty, baseline, session)
    assert changed == {
        "closure_reason_code": (192350004, 192350777),
        "closure_reason_label": ("AgentClosed", "Unknown"),
    }
    assert (OCS, session, "unknown closure reason code") in {f[:3] for f in fault_rows(faulty)}
    row = session_of(faulty, session)
    counted = query(
        faulty.warehouse,
        "select sum(sessions) from metric_session_closure_reasons where closure_reason_code = 192350777 "
        "and closure_reason_label = 'Unknown' and queue_id = ? and agent_id = ?",
        [row["queue_id"], row["agent_id"]],
    )
    assert counted == [(1,)]


def test_unknown_channel_code_is_kept_and_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["unknown_channel"]
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("channel_code") == (192360000, 192999999)
    name = changed.pop("channel_name")
    assert name[0] == "Live chat" and name[1] in (None, "Unknown")
    assert not changed
    assert (OCS, session, "unknown channel code") in {f[:3] for f in fault_rows(faulty)}
    counted = query(
        faulty.warehouse, "select sum(total_sessions) from metric_total_sessions where channel_code = 192999999"
    )
    assert counted == [(1,)]


def test_negative_activetime_counts_zero_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session, participant, value = faulty.facts["negative_activetime"]
    changed = changed_fields(faulty, baseline, session)
    assert changed == {"handle_time_seconds": (baseline.session(session)["handle_time_seconds"], 0.0)}
    assert (PART, participant, "negative activetime", str(value)) in fault_rows(faulty)


def test_absurd_activetime_is_kept_and_recorded(faulty: Build, baseline: Baseline) -> None:
    session, participant, value = faulty.facts["absurd_activetime"]
    changed = changed_fields(faulty, baseline, session)
    assert changed == {"handle_time_seconds": (baseline.session(session)["handle_time_seconds"], float(value))}
    assert (PART, participant, "absurd activetime", str(value)) in fault_rows(faulty)


def test_text_in_a_number_column_becomes_null_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session, sentiment = faulty.facts["pulse_as_text"]
    changed = changed_fields(faulty, baseline, session)
    assert changed == {"customer_sentiment_pulse": (baseline.session(session)["customer_sentiment_pulse"], None)}
    faults = [f for f in fault_rows(faulty) if f[:3] == (SENT, sentiment, "unparseable value")]
    assert len(faults) == 1 and "msdyn_sentimentpulse" in faults[0][3]


def test_required_column_missing_from_older_files_reads_null(faulty: Build, baseline: Baseline) -> None:
    external, plain = faulty.facts["drift"]
    assert changed_fields(faulty, baseline, external) == {"is_handled_by_external_participant": (True, False)}
    assert changed_fields(faulty, baseline, plain) == {}
    channels = query(
        faulty.warehouse,
        "select count(*), count(external_participant_channel) from stg_dataverse__session_participants "
        "where session_id in (?, ?)",
        [external, plain],
    )
    assert channels[0][0] > 0 and channels[0][1] == 0


def test_faults_are_recorded_only_where_introduced(faulty: Build, baseline: Baseline) -> None:
    """Every fault of the corrupted build is a baseline fault or one a corruption introduced."""
    before = data_faults(baseline.warehouse)
    introduced = {f[1] for f in fault_rows(faulty) - before}
    facts = faulty.facts
    expected = {
        facts[k]
        for k in (
            "unparseable_ts",
            "wait_end_before_start",
            "accept_end_before_start",
            "reject_end_before_start",
            "unknown_closure",
            "unknown_channel",
        )
    }
    expected |= {facts["negative_activetime"][1], facts["absurd_activetime"][1], facts["pulse_as_text"][1]}
    assert introduced == expected
