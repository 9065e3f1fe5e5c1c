"""The SQL of the Conversations page, against the metric_conversation_* views only.

Each conversation is counted once, in one cell (conversation_date, queue_id, channel_code,
agent_id); counts are summed, rates and averages recomputed from their summed parts. The
metrics come from the catalogue's "conversation" family.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from omnichannel_tools.catalogue import Metric, load_catalogue
from omnichannel_tools.dashboard.filters import Filters, where_clause
from omnichannel_tools.dashboard.source import Source

DATE_COLUMN = "conversation_date"
GROUPS = (DATE_COLUMN, "queue_id", "channel_code", "agent_id")
HOLD_EVENTS_TABLE = "msdyn_ocsessionparticipantevent"
HOLD_METRICS = {"conversation_hold_time", "conversation_talk_time", "conversation_handle_time"}


@functools.cache
def conversation_metrics() -> tuple[Metric, ...]:
    """The conversation metrics of the catalogue, in declaration order."""
    return tuple(metric for metric in load_catalogue() if metric.family == "conversation")


def headline_metrics() -> list[Metric]:
    """The conversation metrics with one figure each (the service level has one per threshold)."""
    return [metric for metric in conversation_metrics() if metric.breakdown is None]


def service_level_metric() -> Metric:
    return next(metric for metric in conversation_metrics() if metric.breakdown == "threshold_seconds")


def conversation_aggregates(source: Source, filters: Filters, group_by: tuple[str, ...] = ()) -> pd.DataFrame:
    """One row per (group, metric): numerator, denominator, value."""
    unknown = set(group_by) - set(GROUPS)
    if unknown:
        raise ValueError(f"group_by {sorted(unknown)}: only {GROUPS}")
    where, params = where_clause(filters, DATE_COLUMN)
    keys = "".join(f"{column}, " for column in group_by)
    group = f"group by {', '.join(group_by)}" if group_by else ""
    parts = []
    for metric in headline_metrics():
        denominator = f"cast(sum({metric.denominator}) as double)" if metric.is_ratio else "cast(null as double)"
        parts.append(
            f"select {keys}'{metric.name}' as metric, cast(sum({metric.summed_column}) as double) as numerator,"
            f" {denominator} as denominator from {metric.view} {where} {group}"
        )
    frame = source.query("\nunion all\n".join(parts), params)
    ratios = {metric.name for metric in headline_metrics() if metric.is_ratio}
    denominator = frame["denominator"].where(frame["denominator"] != 0)
    frame["value"] = np.where(frame["metric"].isin(ratios), frame["numerator"] / denominator, frame["numerator"])
    frame["value"] = frame["value"].where(frame["metric"].isin(ratios), frame["numerator"].fillna(0.0))
    return frame


def service_levels(source: Source, filters: Filters) -> pd.DataFrame:
    """Per threshold: answered within it, accepted incoming, service level."""
    metric = service_level_metric()
    where, params = where_clause(filters, DATE_COLUMN)
    frame = source.query(
        f"select threshold_seconds, cast(sum({metric.numerator}) as bigint) as answered,"
        f" cast(sum({metric.denominator}) as bigint) as accepted from {metric.view} {where}"
        " group by threshold_seconds order by threshold_seconds",
        params,
    )
    frame["service_level"] = frame["answered"] / frame["accepted"].where(frame["accepted"] != 0)
    return frame


def date_range(source: Source) -> tuple[object, object]:
    row = source.query(f"select min({DATE_COLUMN}) as first, max({DATE_COLUMN}) as last from metric_conversation_total")
    return row["first"].iloc[0], row["last"].iloc[0]


def hold_events_missing(source: Source) -> bool:
    """True when the export had no msdyn_ocsessionparticipantevent table (hold times are then 0)."""
    if not source.has_relation("dataverse_table_availability"):
        return False
    frame = source.query(
        "select is_present from dataverse_table_availability where table_name = :table", {"table": HOLD_EVENTS_TABLE}
    )
    return not frame.empty and not bool(frame["is_present"].iloc[0])
