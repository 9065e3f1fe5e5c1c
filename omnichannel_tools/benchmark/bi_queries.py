"""BI queries: each metric view's unfiltered aggregate, timed, vs the same aggregate over fct_sessions."""

from __future__ import annotations

import math
import time
from pathlib import Path
from typing import Any

from omnichannel_tools.benchmark.measure import median
from omnichannel_tools.benchmark.settings import GRAIN
from omnichannel_tools.catalogue import session_grain_views


def _fct_expression(column: str) -> str | None:
    """The aggregate over fct_sessions (agent sessions) that a view's additive column sums."""
    flags = {
        "total_sessions": "count(*)",
        "active_sessions": "count_if(is_active)",
        "closed_sessions": "count_if(is_closed)",
        "engaged_sessions": "count_if(is_engaged)",
        "handled_sessions": "count_if(is_engaged)",
        "assigned_sessions": "count_if(is_assigned)",
        "transferred_sessions": "count_if(is_transferred_out)",
        "rejected_sessions": "count_if(is_rejected)",
        "timeout_sessions": "count_if(is_timed_out)",
        "external_handled_sessions": "count_if(is_handled_by_external_participant)",
        "sentiment_pulse_sum": "sum(customer_sentiment_pulse)",
        "sentiment_count": "count(customer_sentiment_pulse)",
        "handle_time_seconds_sum": "sum(handle_time_seconds) filter (where is_closed)",
        "handle_time_count": "count(handle_time_seconds) filter (where is_closed)",
        "sessions": "count(*)",
    }
    if column in flags:
        return flags[column]
    for measure in ("time_to_reject_seconds", "time_to_accept_seconds", "wait_time_seconds"):
        if column == f"{measure}_sum":
            return f"sum({measure})"
        if column == f"{measure.removesuffix('_seconds')}_count":
            return f"count({measure})"
    if column.startswith("sentiment_zone_") and column.endswith("_sessions"):
        zone = column.removeprefix("sentiment_zone_").removesuffix("_sessions")
        known = (
            "very negative",
            "negative",
            "slightly negative",
            "neutral",
            "slightly positive",
            "positive",
            "very positive",
        )
        normalised = "lower(trim(customer_sentiment_zone))"
        if zone == "other":
            listed = ", ".join(f"'{z}'" for z in known)
            return f"count_if(customer_sentiment_zone is not null and {normalised} not in ({listed}))"
        return f"count_if({normalised} = '{zone.replace('_', ' ')}')"
    return None


def bi_query_pair(con: Any, view: str) -> tuple[str | None, str | None, list[str]]:
    """The unfiltered aggregate query a BI tool sends to a view, and the same over fct_sessions.

    (None, None, columns) for a view none of whose columns fct_sessions can sum (the conversation
    counts of metric_incoming_conversations): there is nothing to compare.
    """
    columns = [
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns where table_schema = 'main' "
            "and table_name = ? order by ordinal_position",
            [view],
        ).fetchall()
    ]
    group = [c for c in ("closure_reason_code",) if c in columns]
    skipped = []
    view_parts, fct_parts = [], []
    for col in columns:
        if col in GRAIN or col in group or col == "closure_reason_label":
            continue
        expr = _fct_expression(col)
        if expr is None:
            skipped.append(col)  # rates / averages: a BI tool divides the summed parts
            continue
        view_parts.append(f"sum({col}) as {col}")
        fct_parts.append(f"{expr} as {col}")
    if not view_parts:
        return None, None, skipped
    select_group = "".join(f"{g}, " for g in group)
    group_by = f" group by {', '.join(group)} order by {', '.join(group)}" if group else ""
    view_sql = f"select {select_group}{', '.join(view_parts)} from main.{view}{group_by}"
    fct_sql = f"select {select_group}{', '.join(fct_parts)} from main.fct_sessions where not is_bot_session{group_by}"
    return view_sql, fct_sql, skipped


def _time_query(con: Any, sql: str, repeat: int) -> tuple[float, list[tuple]]:
    """Median seconds of ``repeat`` warm runs of a query, and its rows."""
    rows = con.execute(sql).fetchall()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - start)
    return median(times), rows


def _same_rows(a: list[tuple], b: list[tuple]) -> bool:
    """Equal rows; floats to 1e-9 relative."""
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b, strict=True):
        for va, vb in zip(ra, rb, strict=False):
            if isinstance(va, float) or isinstance(vb, float):
                if abs((va or 0) - (vb or 0)) > 1e-9 * max(abs(va or 0), abs(vb or 0), 1.0):
                    return False
            elif va != vb:
                return False
    return True


def bi_queries(warehouse: Path, repeat: int, memory_limit: str) -> list[dict[str, Any]]:
    """Median time of each metric view's unfiltered aggregate vs the same over fct_sessions."""
    import duckdb

    results = []
    with duckdb.connect(str(warehouse), read_only=True, config={"memory_limit": memory_limit}) as con:
        for view in sorted(session_grain_views()):  # the catalogue's session-grain views, in name order
            view_sql, fct_sql, skipped = bi_query_pair(con, view)
            if view_sql is None or fct_sql is None:
                print(f"  {view}: no column fct_sessions sums ({', '.join(skipped)}), not compared")
                continue
            plan = "\n".join(str(r[-1]) for r in con.execute(f"explain {view_sql}").fetchall())
            view_s, view_rows = _time_query(con, view_sql, repeat)
            fct_s, fct_rows = _time_query(con, fct_sql, repeat)
            results.append(
                {
                    "view": view,
                    "view_ms": view_s * 1000,
                    "fct_ms": fct_s * 1000,
                    "ratio": view_s / fct_s if fct_s else math.nan,
                    "scans_fct_sessions": "fct_sessions" in plan,
                    "same_result": _same_rows(view_rows, fct_rows),
                    "derived_columns": skipped,
                }
            )
    return results
