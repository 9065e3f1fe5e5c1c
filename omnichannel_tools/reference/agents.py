"""Agent availability and occupancy, recomputed from the export with pandas (docs/metrics.md#agent-availability).

Written from the definitions, not from the SQL: each interval is closed (open ones at the status
history's latest time, overlaps cut at the agent's next start), then cut at every local midnight
it spans, walking day by day in the reporting time zone.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

AVAILABLE, BUSY, BUSY_DND, AWAY, OFFLINE = 192360000, 192360001, 192360002, 192360003, 192360004
STATUS_COLUMNS = {
    "available_seconds": AVAILABLE,
    "busy_seconds": BUSY,
    "busy_dnd_seconds": BUSY_DND,
    "away_seconds": AWAY,
    "offline_seconds": OFFLINE,
}


def _closed_intervals(history: pd.DataFrame) -> pd.DataFrame:
    rows = history.dropna(subset=["msdyn_agentid", "msdyn_starttime"])
    rows = rows.sort_values(["msdyn_agentid", "msdyn_starttime", "msdyn_agentstatushistoryid"]).reset_index(drop=True)
    latest = max(rows["msdyn_starttime"].max(), rows["msdyn_endtime"].max()) if len(rows) else pd.NaT
    if pd.isna(latest):
        latest = rows["msdyn_starttime"].max()
    end = rows["msdyn_endtime"].fillna(latest)
    following = rows.groupby("msdyn_agentid")["msdyn_starttime"].shift(-1)
    end = end.where(following.isna() | (following >= end), following)
    end = end.where(end > rows["msdyn_starttime"], rows["msdyn_starttime"])
    return rows.assign(closed_at=end)


def presence_intervals(tables: Mapping[str, pd.DataFrame], reporting_timezone: str = "UTC") -> pd.DataFrame:
    """One row per interval and local day: agent_id, presence_date, base status code, duration_seconds."""
    intervals = _closed_intervals(tables["msdyn_agentstatushistory"])
    statuses = tables["msdyn_presence"].set_index("msdyn_presenceid")["msdyn_basepresencestatus"]
    out: list[tuple] = []
    tz = reporting_timezone
    for row in intervals.itertuples(index=False):
        start = pd.Timestamp(row.msdyn_starttime).tz_localize("UTC")
        end = pd.Timestamp(row.closed_at).tz_localize("UTC")
        day = start.tz_convert(tz).normalize()  # local midnight of the first day
        status = statuses.get(row.msdyn_presenceid, np.nan)
        while True:
            next_day = (day.tz_localize(None) + pd.Timedelta(days=1)).tz_localize(tz)
            piece_start, piece_end = max(start, day), min(end, next_day)
            if piece_end > piece_start or (start == end and day <= start < next_day):
                seconds = (piece_end - piece_start) / pd.Timedelta(microseconds=1) / 1_000_000.0
                out.append((row.msdyn_agentid, day.tz_localize(None), status, seconds))
            if end <= next_day:
                break
            day = next_day
    frame = pd.DataFrame(out, columns=["agent_id", "presence_date", "base_presence_status_code", "duration_seconds"])
    return frame.astype({"duration_seconds": "float64"})


def agent_presence_daily(intervals: pd.DataFrame, facts: pd.DataFrame) -> pd.DataFrame:
    """Per (presence_date, agent_id): seconds per base status, logged-in seconds, handle time, occupancy."""
    code = intervals["base_presence_status_code"]
    parts = pd.DataFrame({"presence_date": intervals["presence_date"], "agent_id": intervals["agent_id"]})
    for column, status in STATUS_COLUMNS.items():
        parts[column] = intervals["duration_seconds"].where(code == status, 0.0)
    parts["logged_in_seconds"] = intervals["duration_seconds"].where(code.isin([AVAILABLE, BUSY, BUSY_DND, AWAY]), 0.0)
    daily = parts.groupby(["presence_date", "agent_id"], as_index=False).sum()
    sessions = facts[~facts["is_bot_session"] & facts["agent_id"].notna() & facts["is_closed"]]
    handle = sessions.groupby(["session_date", "agent_id"])["handle_time_seconds"].sum(min_count=1)
    handle = handle.rename("handle_time_seconds").reset_index().rename(columns={"session_date": "presence_date"})
    daily = daily.merge(handle, on=["presence_date", "agent_id"], how="left")
    daily["handle_time_seconds"] = daily["handle_time_seconds"].fillna(0.0)
    daily["occupiable_seconds"] = daily["available_seconds"] + daily["busy_seconds"] + daily["busy_dnd_seconds"]
    ratio = daily["handle_time_seconds"] / daily["occupiable_seconds"].where(daily["occupiable_seconds"] != 0)
    daily["agent_occupancy"] = ratio
    return daily
