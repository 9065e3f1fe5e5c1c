"""Shared by the dashboard's AppTest and browser tests: the database they read, and the headline
figures computed independently, by hand-written SQL against the metric views."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb


def dashboard_database_path(built_warehouse: Path) -> Path:
    """The DuckDB file the dashboard tests read: the warehouse dbt built (its metric views and dims, in main).

    The one line to switch once the publish step writes the serving file from this warehouse.
    """
    return built_warehouse


# label -> (unit, SQL over the views; {where} is the selection)
HEADLINE_SQL: dict[str, tuple[str, str]] = {
    "Total sessions": ("count", "select sum(total_sessions) from metric_total_sessions {where}"),
    "Active sessions": ("count", "select sum(active_sessions) from metric_active_sessions {where}"),
    "Closed sessions": ("count", "select sum(closed_sessions) from metric_closed_sessions {where}"),
    "Engaged sessions": ("count", "select sum(engaged_sessions) from metric_engaged_sessions {where}"),
    "Session transfer rate": (
        "rate",
        "select sum(transferred_sessions) / nullif(sum(handled_sessions), 0) from metric_session_transfer_rate {where}",
    ),
    "Session rejection rate": (
        "rate",
        "select sum(rejected_sessions) / nullif(sum(assigned_sessions), 0) from metric_session_rejection_rate {where}",
    ),
    "Session time to reject": (
        "seconds",
        "select sum(time_to_reject_seconds_sum) / nullif(sum(time_to_reject_count), 0)"
        " from metric_session_time_to_reject {where}",
    ),
    "Session time to accept": (
        "seconds",
        "select sum(time_to_accept_seconds_sum) / nullif(sum(time_to_accept_count), 0)"
        " from metric_session_time_to_accept {where}",
    ),
    "Session timeout rate": (
        "rate",
        "select sum(timeout_sessions) / nullif(sum(assigned_sessions), 0) from metric_session_timeout_rate {where}",
    ),
    "Session wait time": (
        "seconds",
        "select sum(wait_time_seconds_sum) / nullif(sum(wait_time_count), 0) from metric_session_wait_time {where}",
    ),
    "Avg. session handle time": (
        "seconds",
        "select sum(handle_time_seconds_sum) / nullif(sum(handle_time_count), 0)"
        " from metric_avg_session_handle_time {where}",
    ),
    "Customer sentiment": (
        "score",
        "select sum(sentiment_pulse_sum) / nullif(sum(sentiment_count), 0) from metric_customer_sentiment {where}",
    ),
    "Is handled by external participant": (
        "count",
        "select sum(external_handled_sessions) from metric_sessions_handled_by_external_participant {where}",
    ),
}


def where(
    start: dt.date | None = None,
    end: dt.date | None = None,
    queues: tuple[str, ...] = (),
    channels: tuple[int, ...] = (),
    agents: tuple[str, ...] = (),
) -> str:
    """The selection as literal SQL (the test's values are ids from the warehouse, no quotes in them)."""
    conditions = []
    if start:
        conditions.append(f"session_date >= date '{start}'")
    if end:
        conditions.append(f"session_date <= date '{end}'")
    if queues:
        conditions.append("queue_id in (" + ", ".join(f"'{q}'" for q in queues) + ")")
    if channels:
        conditions.append("channel_code in (" + ", ".join(str(c) for c in channels) + ")")
    if agents:
        conditions.append("agent_id in (" + ", ".join(f"'{a}'" for a in agents) + ")")
    return "where " + " and ".join(conditions) if conditions else ""


def headline_values(con: duckdb.DuckDBPyConnection, selection: str) -> dict[str, tuple[str, float | None]]:
    """label -> (unit, value) for the selection; a count over no rows is 0."""
    values: dict[str, tuple[str, float | None]] = {}
    for label, (unit, sql) in HEADLINE_SQL.items():
        value = con.execute(sql.format(where=selection)).fetchone()[0]
        if value is None and unit == "count":
            value = 0
        values[label] = (unit, None if value is None else float(value))
    return values


def expected_text(unit: str, value: float | None) -> str:
    """How the page shows a figure, spelled out here (not imported from the dashboard)."""
    if value is None:
        return "–"
    if unit == "rate":
        return f"{100 * value:.1f} %"
    if unit == "seconds":
        minutes, seconds = divmod(int(round(value)), 60)
        hours, minutes = divmod(minutes, 60)
        return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes}:{seconds:02d}"
    if unit == "count":
        return f"{int(value):,}"
    return f"{value:,.1f}"
