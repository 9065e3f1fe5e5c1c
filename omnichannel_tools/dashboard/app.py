"""The Streamlit page: filters, headline row, trends, breakdowns, closure reasons, sentiment, data quality.

Run with `make dashboard` (or `streamlit run omnichannel_tools/dashboard/app.py`). Reads the
source of omnichannel_tools.dashboard.source; every figure comes from omnichannel_tools.dashboard.queries.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from omnichannel_tools.catalogue import Metric
from omnichannel_tools.dashboard import queries
from omnichannel_tools.dashboard.filters import Filters
from omnichannel_tools.dashboard.formatting import format_figure
from omnichannel_tools.dashboard.source import Source, open_source, reporting_timezone, source_key

CACHE_SECONDS = 300  # a re-published serving file shows within five minutes
HEADLINE_COLUMNS = 5
BREAKDOWNS = {"Queue": "queue_id", "Channel": "channel_code", "Agent": "agent_id"}
NONE_LABELS = {"queue_id": "(no queue)", "channel_code": "(no channel)", "agent_id": "(no agent)"}


def _close(source: Source) -> None:
    source.close()


@st.cache_resource(on_release=_close)  # a cleared cache closes the connection (the file is free again)
def _source(key: str) -> Source:
    return open_source()


def _cached_source() -> Source:
    return _source(source_key())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _options(key: str) -> queries.FilterOptions:
    return queries.filter_options(_cached_source())


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _aggregates(key: str, filters: Filters, group_by: tuple[str, ...]) -> pd.DataFrame:
    return queries.metric_aggregates(_cached_source(), filters, group_by)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _closure_reasons(key: str, filters: Filters) -> pd.DataFrame:
    return queries.closure_reasons(_cached_source(), filters)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _sentiment(key: str, filters: Filters) -> pd.DataFrame:
    return queries.sentiment_zones(_cached_source(), filters)


@st.cache_data(ttl=CACHE_SECONDS, show_spinner=False)
def _quality(key: str) -> queries.DataQuality:
    return queries.data_quality(_cached_source())


def _namer(names: Mapping[Any, str]) -> Callable[[Any], str]:
    return lambda key: names.get(key, str(key))


def sidebar_filters(options: queries.FilterOptions) -> Filters:
    """The filter widgets; an empty multiselect means all."""
    st.sidebar.header("Filters")
    start, end = options.first_date, options.last_date
    if start is not None and end is not None:
        chosen = st.sidebar.date_input(
            "Session date", value=(start, end), min_value=start, max_value=end, key="date_range"
        )
        picked = tuple(chosen) if isinstance(chosen, tuple | list) else (chosen,)
        start = picked[0] if picked else start
        end = picked[1] if len(picked) > 1 else end
    queues = st.sidebar.multiselect(
        "Queue", list(options.queues), format_func=_namer(options.queues), key="queues", placeholder="All queues"
    )
    channels = st.sidebar.multiselect(
        "Channel",
        list(options.channels),
        format_func=_namer(options.channels),
        key="channels",
        placeholder="All channels",
    )
    agents = st.sidebar.multiselect(
        "Agent", list(options.agents), format_func=_namer(options.agents), key="agents", placeholder="All agents"
    )
    return Filters(start, end, tuple(queues), tuple(channels), tuple(agents))


def closure_label(code: object, label: object) -> str:
    """The glossary label; a code outside the glossary shown as unknown, with its code."""
    if pd.isna(code):
        return "(no closure reason)"
    if label is None or pd.isna(label) or label == "Unknown":
        return f"Unknown ({int(code)})"
    return str(label)


def headline_row(metrics: list[Metric], values: dict[str, float | None], reasons: pd.DataFrame) -> None:
    """Every session metric of the catalogue, its definition on hover."""
    st.subheader("Headline")
    cards: list[tuple[Metric, str]] = [
        (metric, format_figure(values.get(metric.name), metric.unit)) for metric in metrics
    ]
    reason_metric = queries.closure_reason_metric()
    top = "–"
    if not reasons.empty and reasons["sessions"].sum() > 0:
        first = reasons.iloc[0]
        top = closure_label(first["closure_reason_code"], first["closure_reason_label"])
    cards.append((reason_metric, top))
    for offset in range(0, len(cards), HEADLINE_COLUMNS):
        columns = st.columns(HEADLINE_COLUMNS)
        for column, (metric, shown) in zip(columns, cards[offset : offset + HEADLINE_COLUMNS], strict=False):
            note = " Shown: the most frequent reason (all of them below)." if metric.breakdown else ""
            column.metric(metric.label, shown, help=metric.description + note)


def trend_panel(metrics: list[Metric], by_day: pd.DataFrame) -> None:
    """One metric by day, chosen in a select box."""
    st.subheader("Trend by day")
    labels = {metric.label: metric for metric in metrics}
    chosen = labels[st.selectbox("Metric", list(labels), key="trend_metric")]
    series = by_day[by_day["metric"] == chosen.name].sort_values("session_date")
    scale = 100.0 if chosen.unit == "rate" else (1 / 60 if chosen.unit == "seconds" else 1.0)
    unit = {"rate": " (%)", "seconds": " (minutes)"}.get(chosen.unit, "")
    chart = pd.DataFrame(
        {"session_date": pd.to_datetime(series["session_date"]), chosen.label + unit: series["value"] * scale}
    )
    st.line_chart(chart, x="session_date", y=chosen.label + unit)


def breakdown_panel(metrics: list[Metric], wide: pd.DataFrame, column: str, names: dict[object, str]) -> None:
    """Every headline metric per queue, channel or agent, busiest first."""
    table = wide.sort_values("session_count", ascending=False, kind="stable")
    shown = pd.DataFrame(
        {"Name": [NONE_LABELS[column] if pd.isna(key) else names.get(key, str(key)) for key in table[column]]}
    )
    for metric in metrics:
        shown[metric.label] = [format_figure(None if pd.isna(v) else float(v), metric.unit) for v in table[metric.name]]
    st.dataframe(shown, hide_index=True, width="stretch")


def closure_panel(reasons: pd.DataFrame) -> None:
    """Sessions per closure reason, glossary labels, unknown codes shown as such."""
    st.subheader("Closure reasons")
    total = max(int(reasons["sessions"].sum()), 1)
    codes, labels = reasons["closure_reason_code"], reasons["closure_reason_label"]
    table = pd.DataFrame(
        {
            "Closure reason": [closure_label(code, label) for code, label in zip(codes, labels, strict=True)],
            "Sessions": reasons["sessions"],
            "Share": [format_figure(sessions / total, "rate") for sessions in reasons["sessions"]],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def quality_panel(quality: queries.DataQuality) -> None:
    """The load audit and the data faults of the whole export."""
    st.subheader("Data quality")
    if quality.rows_by_state is None and quality.faults is None:
        st.info("This source publishes no load audit or data faults.")
        return
    left, right = st.columns(2)
    if quality.rows_by_state is not None:
        quarantined = int(quality.quarantined["raw_rows"].sum()) if quality.quarantined is not None else 0
        left.metric(
            "Rows quarantined", f"{quarantined:,}", help="Raw rows kept out of the marts (dataverse_load_audit)."
        )
        left.dataframe(quality.rows_by_state, hide_index=True, width="stretch")
        if quarantined:
            left.dataframe(quality.quarantined, hide_index=True, width="stretch")
    if quality.faults is not None:
        total = int(quality.faults["records"].sum())
        right.metric(
            "Data faults", f"{total:,}", help="Rows kept with a faulty value set to NULL (dataverse_data_faults)."
        )
        right.dataframe(quality.faults, hide_index=True, width="stretch")


def main() -> None:
    st.set_page_config(page_title="Omnichannel sessions", layout="wide")
    st.title("Omnichannel sessions")
    try:
        source = _cached_source()
    except (FileNotFoundError, ValueError) as problem:
        st.error(str(problem))
        return
    key = source.description
    options = _options(key)
    filters = sidebar_filters(options)
    period = f"{filters.start} to {filters.end}" if filters.start else "no sessions"
    st.caption(f"Sessions dated {period} · reporting time zone **{reporting_timezone()}** · source: {key}")
    metrics = queries.headline_metrics()
    totals = _aggregates(key, filters, ())
    values = {row.metric: (None if pd.isna(row.value) else float(row.value)) for row in totals.itertuples()}
    reasons = _closure_reasons(key, filters)
    headline_row(metrics, values, reasons)
    trend_panel(metrics, _aggregates(key, filters, ("session_date",)))
    st.subheader("Breakdown")
    by = st.radio("By", list(BREAKDOWNS), horizontal=True, key="breakdown_by")
    column = BREAKDOWNS[by]
    names: dict[object, str] = {
        "queue_id": options.queues,
        "channel_code": options.channels,
        "agent_id": options.agents,
    }[column]
    wide = _aggregates(key, filters, (column,))
    breakdown_panel(metrics, queries.to_wide(wide, column), column, names)
    left, right = st.columns(2)
    with left:
        closure_panel(reasons)
    with right:
        st.subheader("Sentiment zones")
        zones = _sentiment(key, filters)
        st.bar_chart(zones, x="zone", y="sessions", sort=False)
    quality_panel(_quality(key))


main()
