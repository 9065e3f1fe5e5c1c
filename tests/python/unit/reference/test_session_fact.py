"""Closure, participants, channel scope, dates and sentiment of the session fact."""

from __future__ import annotations

import pandas as pd

from omnichannel_tools import reference as ref

from .rows import agent_key, fact, is_null, session_key

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
    assert row["agent_id"] == agent_key(2)  # latest joined Primary; never-joined Primary loses
    assert row["handle_time_seconds"] == 150.0  # 100 + 50 + NULL; consult/monitor excluded


def test_primary_ties(facts):
    assert fact(facts, 17)["agent_id"] == agent_key(2)  # later addedon
    assert fact(facts, 17)["handle_time_seconds"] == 30.0
    assert fact(facts, 18)["agent_id"] == agent_key(3)  # greater participant id


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
    assert session_key(24) not in facts.index
    assert is_null(fact(facts, 25)["channel_code"])
    all_facts = ref.session_facts(ref.load_export(export), exclude_entity_records=False)
    assert session_key(24) in set(all_facts["session_id"])
    assert len(all_facts) == len(facts) + 1


def test_reporting_timezone(export, facts):
    assert fact(facts, 30)["session_date"] == pd.Timestamp("2025-03-01")
    paris = ref.session_facts(ref.load_export(export), reporting_timezone="Europe/Paris")
    paris = paris.set_index("session_id")
    assert paris.loc[session_key(30), "session_date"] == pd.Timestamp("2025-03-02")
    assert paris.loc[session_key(1), "session_date"] == pd.Timestamp("2025-03-01")


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
