"""The agent availability, occupancy, consult and monitor views agree with the independent pandas reference
(omnichannel_tools.reference.agents / .consults), row by row, on the built export."""

from __future__ import annotations

import math

import duckdb
import pandas as pd
import pytest

from omnichannel_tools import reference
from omnichannel_tools.reference.agents import agent_presence_daily, presence_intervals
from omnichannel_tools.reference.consults import consults_daily

AGENT_KEYS = ["presence_date", "agent_id"]
CONSULT_KEYS = ["session_date", "queue_id", "channel_code", "agent_id"]
AGENT_VIEWS = {
    "metric_agent_logged_in_hours": ["logged_in_seconds"],
    "metric_agent_available_hours": ["available_seconds"],
    "metric_agent_busy_hours": ["busy_seconds"],
    "metric_agent_busy_dnd_hours": ["busy_dnd_seconds"],
    "metric_agent_away_hours": ["away_seconds"],
    "metric_agent_offline_hours": ["offline_seconds"],
    "metric_agent_occupancy": ["handle_time_seconds", "occupiable_seconds", "agent_occupancy"],
}
CONSULT_VIEWS = {
    "metric_consult_requests": [
        "consult_requests", "accepted_consults", "not_accepted_consults", "rejected_consults", "timed_out_consults",
    ],
    "metric_consult_avg_time": ["consult_time_seconds_sum", "consult_time_count"],
    "metric_monitor_sessions": ["monitor_sessions", "monitor_time_seconds_sum", "monitor_time_count"],
}  # fmt: skip


@pytest.fixture(scope="module")
def expected(built_project) -> dict[str, pd.DataFrame]:
    tables = reference.load_export(built_project.export, "parquet")
    facts = reference.session_facts(tables)
    intervals = presence_intervals(tables)
    return {"agents": agent_presence_daily(intervals, facts), "consults": consults_daily(tables, facts)}


def _keyed(frame: pd.DataFrame, keys: list[str], values: list[str]) -> dict[tuple, tuple]:
    out = {}
    for row in frame[keys + values].itertuples(index=False):
        key = tuple(None if pd.isna(v) else str(pd.Timestamp(v).date()) if k.endswith("_date") else str(v)
                    for k, v in zip(keys, row[: len(keys)], strict=True))  # fmt: skip
        out[key] = tuple(None if pd.isna(v) else float(v) for v in row[len(keys) :])
    return out


def _assert_same(ours: dict, theirs: dict, view: str) -> None:
    assert ours.keys() == theirs.keys(), f"{view}: grains differ ({len(ours)} vs {len(theirs)})"
    for key, values in ours.items():
        for left, right in zip(values, theirs[key], strict=True):
            assert (left is None and right is None) or (
                left is not None and right is not None and math.isclose(left, right, rel_tol=1e-9, abs_tol=1e-6)
            ), f"{view} {key}: {values} vs {theirs[key]}"


@pytest.mark.parametrize("view", list(AGENT_VIEWS))
def test_agent_views_match_the_reference(view: str, built_project, expected) -> None:
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        ours = con.execute(f"select * from {view}").df()
    assert len(ours) > 100
    values = AGENT_VIEWS[view]
    _assert_same(_keyed(ours, AGENT_KEYS, values), _keyed(expected["agents"], AGENT_KEYS, values), view)


@pytest.mark.parametrize("view", list(CONSULT_VIEWS))
def test_consult_views_match_the_reference(view: str, built_project, expected) -> None:
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        ours = con.execute(f"select * from {view}").df()
    assert len(ours) > 10
    values = CONSULT_VIEWS[view]
    _assert_same(_keyed(ours, CONSULT_KEYS, values), _keyed(expected["consults"], CONSULT_KEYS, values), view)


def test_the_reference_sees_every_consult_outcome(expected) -> None:
    totals = expected["consults"].sum(numeric_only=True)
    assert min(totals[c] for c in CONSULT_VIEWS["metric_consult_requests"]) > 0
    assert totals["monitor_sessions"] > 0
