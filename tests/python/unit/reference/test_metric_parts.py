"""The additive metric parts, closure reason counts and the command line."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from omnichannel_tools import reference as ref

from .rows import (
    ACTIVE,
    AGENT_CLOSED,
    ENTITY_RECORDS,
    LIVE_CHAT,
    REJECT,
    USERS,
    agent_key,
    at,
    is_null,
    participant,
    queue_key,
    sentiment,
    session,
    write_export,
)

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
        participant(5, 5, msdyn_agentid=agent_key(9)),
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
    agent = parts[parts["agent_id"] == agent_key(1)].iloc[0]
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
    assert agent["queue_id"] == queue_key(1) and agent["channel_code"] == LIVE_CHAT

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
    agent = counts[counts["agent_id"] == agent_key(1)]
    got = {
        (None if is_null(c) else int(c)): (None if is_null(lbl) else lbl, n)
        for c, lbl, n in zip(
            agent["closure_reason_code"], agent["closure_reason_label"], agent["sessions"], strict=True
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
