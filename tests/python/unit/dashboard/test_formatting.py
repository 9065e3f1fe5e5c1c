"""Figures as the dashboard shows them, and the selection as SQL."""

from __future__ import annotations

import datetime as dt

import pytest

from omnichannel_tools.dashboard.filters import Filters, where_clause
from omnichannel_tools.dashboard.formatting import format_duration, format_figure
from omnichannel_tools.dashboard.source import reporting_timezone, serving_path


@pytest.mark.parametrize(
    ("seconds", "shown"),
    [(0, "0:00"), (9.4, "0:09"), (59.6, "1:00"), (615.03, "10:15"), (3599, "59:59"), (3600, "1:00:00"), (-5, "-0:05")],
)
def test_durations_read_as_minutes_and_seconds(seconds: float, shown: str) -> None:
    assert format_duration(seconds) == shown


@pytest.mark.parametrize(
    ("value", "unit", "shown"),
    [
        (0.0876, "rate", "8.8 %"),
        (1.25, "rate", "125.0 %"),
        (183.7, "seconds", "3:04"),
        (17122.0, "count", "17,122"),
        (57.58, "score", "57.6"),
        (None, "rate", "–"),
        (float("nan"), "seconds", "–"),
    ],
)
def test_figures_by_unit(value: float | None, unit: str, shown: str) -> None:
    assert format_figure(value, unit) == shown


def test_no_selection_is_no_filter() -> None:
    assert where_clause(Filters()) == ("", {})


def test_selection_binds_every_value() -> None:
    sql, params = where_clause(Filters(dt.date(2025, 1, 1), dt.date(2025, 1, 31), ("q1", "q2"), (192360000,), ("a1",)))
    assert sql == (
        "where session_date >= :start_date and session_date <= :end_date and queue_id in (:queue_0, :queue_1)"
        " and channel_code in (:channel_0) and agent_id in (:agent_0)"
    )
    assert params == {
        "start_date": dt.date(2025, 1, 1),
        "end_date": dt.date(2025, 1, 31),
        "queue_0": "q1",
        "queue_1": "q2",
        "channel_0": 192360000,
        "agent_0": "a1",
    }


def test_serving_path_from_the_environment(tmp_path) -> None:
    assert serving_path({"DBT_DUCKDB_SERVING_PATH": str(tmp_path / "s.duckdb")}) == tmp_path / "s.duckdb"
    assert serving_path({}).parts[-2:] == ("warehouse", "serving.duckdb")


def test_reporting_timezone_from_the_environment_else_the_project_var() -> None:
    assert reporting_timezone({"DASHBOARD_REPORTING_TIMEZONE": "Europe/Paris"}) == "Europe/Paris"
    assert reporting_timezone({}) == "UTC"
