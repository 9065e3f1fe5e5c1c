"""The SQL of every dashboard panel, against the metric views and dims only (never fct_sessions).

Counts are summed over their view; rates and averages are recomputed from the summed numerator
and denominator of their view (never averaged ratios), so any slice is exact. The metrics, their
views and part columns come from the metric catalogue (omnichannel_tools.catalogue).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from omnichannel_tools.catalogue import Metric, session_metrics
from omnichannel_tools.dashboard.filters import Filters, where_clause
from omnichannel_tools.dashboard.source import Source

GRAIN_COLUMNS = ("session_date", "queue_id", "channel_code", "agent_id")
SENTIMENT_ZONES = (
    ("very_negative", "Very negative"),
    ("negative", "Negative"),
    ("slightly_negative", "Slightly negative"),
    ("neutral", "Neutral"),
    ("slightly_positive", "Slightly positive"),
    ("positive", "Positive"),
    ("very_positive", "Very positive"),
    ("other", "No zone"),
)


@functools.cache
def _catalogue() -> tuple[Metric, ...]:
    # Read once per process: the catalogue is parsed from the project's YAML files.
    return tuple(session_metrics())


def headline_metrics() -> list[Metric]:
    """The session metrics with one figure each (closure reasons, a breakdown, are the exception)."""
    return [metric for metric in _catalogue() if metric.breakdown is None]


def closure_reason_metric() -> Metric:
    """The closure-reason metric of the catalogue (a breakdown by closure_reason_label)."""
    return next(metric for metric in _catalogue() if metric.breakdown is not None)


def metric_aggregates(
    source: Source, filters: Filters, group_by: tuple[str, ...] = (), metrics: list[Metric] | None = None
) -> pd.DataFrame:
    """One row per (group, metric): numerator, denominator and value, in one round trip."""
    unknown = set(group_by) - set(GRAIN_COLUMNS)
    if unknown:
        raise ValueError(f"group_by {sorted(unknown)}: only grain columns {GRAIN_COLUMNS}")
    where, params = where_clause(filters)
    keys = "".join(f"{column}, " for column in group_by)
    group = f"group by {', '.join(group_by)}" if group_by else ""
    parts = []
    for metric in metrics or headline_metrics():
        denominator = f"cast(sum({metric.denominator}) as double)" if metric.is_ratio else "cast(null as double)"
        parts.append(
            f"select {keys}'{metric.name}' as metric, cast(sum({metric.summed_column}) as double) as numerator,"
            f" {denominator} as denominator from {metric.view} {where} {group}"
        )
    frame = source.query("\nunion all\n".join(parts), params)
    ratios = {metric.name for metric in metrics or headline_metrics() if metric.is_ratio}
    is_ratio = frame["metric"].isin(ratios)
    denominator = frame["denominator"].where(frame["denominator"] != 0)
    frame["value"] = np.where(is_ratio, frame["numerator"] / denominator, frame["numerator"].fillna(0.0))
    return frame


def to_wide(frame: pd.DataFrame, column: str) -> pd.DataFrame:
    """metric_aggregates grouped by one column, as one row per value and one column per metric."""
    wide = frame.pivot_table(index=column, columns="metric", values="value", dropna=False, aggfunc="first")
    names = [metric.name for metric in headline_metrics()]
    return wide.reindex(columns=names).reset_index().rename_axis(columns=None)


def closure_reasons(source: Source, filters: Filters) -> pd.DataFrame:
    """Sessions per closure reason (code, glossary label), most frequent first."""
    metric = closure_reason_metric()
    where, params = where_clause(filters)
    return source.query(
        f"select closure_reason_code, {metric.breakdown} as closure_reason_label,"
        f" cast(sum({metric.value_column}) as bigint) as sessions from {metric.view} {where}"
        " group by closure_reason_code, closure_reason_label order by sessions desc, closure_reason_code",
        params,
    )


def sentiment_zones(source: Source, filters: Filters) -> pd.DataFrame:
    """Sessions per sentiment zone of the latest pulse, from the customer-sentiment view."""
    where, params = where_clause(filters)
    sums = ", ".join(
        f"cast(coalesce(sum(sentiment_zone_{zone}_sessions), 0) as bigint) as {zone}" for zone, _ in SENTIMENT_ZONES
    )
    row = source.query(f"select {sums} from metric_customer_sentiment {where}", params).iloc[0]
    return pd.DataFrame(
        {"zone": [label for _, label in SENTIMENT_ZONES], "sessions": [int(row[z]) for z, _ in SENTIMENT_ZONES]}
    )


@dataclass(frozen=True)
class FilterOptions:
    """What the filters offer: the dates with data, and the dims' queues, channels and agents."""

    first_date: dt.date | None
    last_date: dt.date | None
    queues: dict[str, str]  # queue_id -> queue_name
    channels: dict[int, str]  # channel_code -> channel_name
    agents: dict[str, str]  # agent_id -> agent_name


def filter_options(source: Source) -> FilterOptions:
    """The filters' choices, from the dims and the dates present in the total-sessions view."""
    dates = source.query(
        "select min(session_date) as first_date, max(session_date) as last_date from metric_total_sessions"
    )
    queues = source.query(
        "select queue_id, coalesce(queue_name, queue_id) as name from dim_queues order by name, queue_id"
    )
    channels = source.query(
        "select channel_code, channel_name from dim_channels where not is_entity_records order by channel_name"
    )
    agents = source.query(
        "select agent_id, coalesce(agent_name, agent_id) as name from dim_agents where not coalesce(is_bot, false)"
        " order by name, agent_id"
    )

    def as_date(value: object) -> dt.date | None:
        return None if pd.isna(value) else pd.Timestamp(value).date()

    return FilterOptions(
        first_date=as_date(dates["first_date"].iloc[0]),
        last_date=as_date(dates["last_date"].iloc[0]),
        queues=dict(zip(queues["queue_id"], queues["name"], strict=True)),
        channels={
            int(code): name for code, name in zip(channels["channel_code"], channels["channel_name"], strict=True)
        },
        agents=dict(zip(agents["agent_id"], agents["name"], strict=True)),
    )


@dataclass(frozen=True)
class DataQuality:
    """The load audit and the data faults, summed (None where the source does not publish them)."""

    rows_by_state: pd.DataFrame | None  # table_name, load_state, raw_rows
    quarantined: pd.DataFrame | None  # table_name, quarantine_reason, raw_rows
    faults: pd.DataFrame | None  # table_name, fault, records


def data_quality(source: Source) -> DataQuality:
    """Rows per load state, quarantined rows per reason, data faults per kind (whole export: no filter)."""
    audit = faults = quarantined = None
    if source.has_relation("dataverse_load_audit"):
        audit = source.query(
            "select table_name, load_state, cast(sum(raw_rows) as bigint) as raw_rows from dataverse_load_audit"
            " group by table_name, load_state order by table_name, load_state"
        )
        quarantined = source.query(
            "select table_name, quarantine_reason, cast(sum(raw_rows) as bigint) as raw_rows from dataverse_load_audit"
            " where load_state = 'quarantined' group by table_name, quarantine_reason"
            " order by raw_rows desc, table_name, quarantine_reason"
        )
    if source.has_relation("dataverse_data_faults"):
        faults = source.query(
            "select table_name, fault, cast(count(*) as bigint) as records from dataverse_data_faults"
            " group by table_name, fault order by records desc, table_name, fault"
        )
    return DataQuality(audit, quarantined, faults)
