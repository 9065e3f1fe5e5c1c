"""The figures of the dashboard's Agents page, from the agent and consult metric views.

When the export lacked the agent tables the views are empty: missing_agent_tables says so (from
dataverse_table_availability), so the page reports "table missing" instead of zero hours.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from omnichannel_tools.dashboard.source import Source

AGENT_TABLES = ("msdyn_agentstatushistory", "msdyn_presence")
STATUS_VIEWS = {
    "Logged in": ("metric_agent_logged_in_hours", "logged_in_seconds"),
    "Available": ("metric_agent_available_hours", "available_seconds"),
    "Busy": ("metric_agent_busy_hours", "busy_seconds"),
    "Busy - DND": ("metric_agent_busy_dnd_hours", "busy_dnd_seconds"),
    "Away": ("metric_agent_away_hours", "away_seconds"),
    "Offline": ("metric_agent_offline_hours", "offline_seconds"),
}


@dataclass(frozen=True)
class ConsultFigures:
    requests: int
    accepted: int
    rejected: int
    timed_out: int
    monitors: int
    avg_consult_seconds: float | None
    avg_monitor_seconds: float | None


def missing_agent_tables(source: Source) -> list[str]:
    """The agent tables the export lacked (none when the availability model is not published)."""
    if not source.has_relation("dataverse_table_availability"):
        return []
    frame = source.query("select table_name, is_present from dataverse_table_availability")
    absent = set(frame.loc[~frame["is_present"].astype(bool), "table_name"])
    return [table for table in AGENT_TABLES if table in absent]


def hours_by_day(source: Source) -> pd.DataFrame:
    """Hours per reporting day (all agents) in each status: presence_date, then one column per status."""
    merged: pd.DataFrame | None = None
    for label, (view, column) in STATUS_VIEWS.items():
        frame = source.query(
            f"select presence_date, sum({column}) / 3600.0 as hours from {view} group by presence_date"
        ).rename(columns={"hours": label})
        merged = frame if merged is None else merged.merge(frame, on="presence_date", how="outer")
    return merged.sort_values("presence_date").reset_index(drop=True)


def occupancy(source: Source) -> float | None:
    """Agent occupancy over every agent and day: summed handle time over summed available-or-busy time."""
    row = source.query(
        "select sum(handle_time_seconds) as handle, sum(occupiable_seconds) as occupiable from metric_agent_occupancy"
    ).iloc[0]
    if pd.isna(row["occupiable"]) or float(row["occupiable"]) == 0:
        return None
    return float(row["handle"]) / float(row["occupiable"])


def consult_figures(source: Source) -> ConsultFigures:
    consults = source.query(
        "select sum(consult_requests) as requests, sum(accepted_consults) as accepted, "
        "sum(rejected_consults) as rejected, sum(timed_out_consults) as timed_out from metric_consult_rates"
    ).iloc[0]
    times = source.query(
        "select sum(consult_time_seconds_sum) as seconds, sum(consult_time_count) as n from metric_consult_avg_time"
    ).iloc[0]
    monitors = source.query(
        "select sum(monitor_sessions) as sessions, sum(monitor_time_seconds_sum) as seconds, "
        "sum(monitor_time_count) as n from metric_monitor_sessions"
    ).iloc[0]

    def whole(value: object) -> int:
        return 0 if pd.isna(value) else int(value)

    def average(total: object, count: object) -> float | None:
        return None if pd.isna(count) or int(count) == 0 else float(total) / int(count)

    return ConsultFigures(
        whole(consults["requests"]),
        whole(consults["accepted"]),
        whole(consults["rejected"]),
        whole(consults["timed_out"]),
        whole(monitors["sessions"]),
        average(times["seconds"], times["n"]),
        average(monitors["seconds"], monitors["n"]),
    )
