"""The Conversations page: headline conversation metrics, service level per threshold, a trend by day.

Every figure comes from omnichannel_tools.dashboard.conversation_queries (the metric_conversation_*
views); the filters are those of the main page, the dates being conversation dates.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from omnichannel_tools.dashboard import conversation_queries as cq
from omnichannel_tools.dashboard import queries
from omnichannel_tools.dashboard.filters import Filters
from omnichannel_tools.dashboard.formatting import format_figure
from omnichannel_tools.dashboard.source import Source, open_source, reporting_timezone

COLUMNS = 4


def _filters(source: Source) -> Filters:
    options = queries.filter_options(source)
    first, last = cq.date_range(source)
    start = None if pd.isna(first) else pd.Timestamp(first).date()
    end = None if pd.isna(last) else pd.Timestamp(last).date()
    st.sidebar.header("Filters")
    if start is not None and end is not None:
        chosen = st.sidebar.date_input(
            "Conversation date", value=(start, end), min_value=start, max_value=end, key="conversation_dates"
        )
        picked = tuple(chosen) if isinstance(chosen, tuple | list) else (chosen,)
        start = picked[0] if picked else start
        end = picked[1] if len(picked) > 1 else end
    queues = st.sidebar.multiselect(
        "Queue", list(options.queues), format_func=lambda k: options.queues.get(k, str(k)), key="conversation_queues"
    )
    channels = st.sidebar.multiselect(
        "Channel",
        list(options.channels),
        format_func=lambda k: options.channels.get(k, str(k)),
        key="conversation_channels",
    )
    agents = st.sidebar.multiselect(
        "Agent", list(options.agents), format_func=lambda k: options.agents.get(k, str(k)), key="conversation_agents"
    )
    return Filters(start, end, tuple(queues), tuple(channels), tuple(agents))


def main() -> None:
    st.title("Conversations")
    try:
        source = open_source()
    except (FileNotFoundError, ValueError) as problem:
        st.error(str(problem))
        return
    try:
        filters = _filters(source)
        st.caption(
            f"Conversations dated {filters.start} to {filters.end} (their creation) · reporting time zone"
            f" **{reporting_timezone()}** · each conversation counted once"
        )
        if cq.hold_events_missing(source):
            st.warning(
                "The export has no msdyn_ocsessionparticipantevent table: hold time is not known (shown as 0),"
                " talk time is active time."
            )
        totals = cq.conversation_aggregates(source, filters)
        values = {row.metric: (None if pd.isna(row.value) else float(row.value)) for row in totals.itertuples()}
        metrics = cq.headline_metrics()
        st.subheader("Headline")
        for offset in range(0, len(metrics), COLUMNS):
            for column, metric in zip(st.columns(COLUMNS), metrics[offset : offset + COLUMNS], strict=False):
                shown = format_figure(values.get(metric.name), metric.unit)
                column.metric(metric.label, shown, help=metric.description)
        st.subheader("Service level")
        levels = cq.service_levels(source, filters)
        st.dataframe(
            pd.DataFrame(
                {
                    "Threshold (s)": levels["threshold_seconds"],
                    "Answered within": levels["answered"],
                    "Accepted incoming": levels["accepted"],
                    "Service level": [format_figure(v, "rate") for v in levels["service_level"]],
                }
            ),
            hide_index=True,
            width="stretch",
        )
        st.subheader("Trend by day")
        labels = {metric.label: metric for metric in metrics}
        chosen = labels[st.selectbox("Metric", list(labels), key="conversation_trend_metric")]
        by_day = cq.conversation_aggregates(source, filters, (cq.DATE_COLUMN,))
        series = by_day[by_day["metric"] == chosen.name].sort_values(cq.DATE_COLUMN)
        chart = pd.DataFrame({"date": pd.to_datetime(series[cq.DATE_COLUMN]), chosen.label: series["value"]})
        st.line_chart(chart, x="date", y=chosen.label)
    finally:
        source.close()


main()
