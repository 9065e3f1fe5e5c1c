"""The Agents page: hours per presence status, agent occupancy, consults and monitors.

Says "table missing" when the export lacked the agent status history or the presences (the agent
views are then empty, which is not zero hours). Figures from omnichannel_tools.dashboard.agent_queries.
"""

from __future__ import annotations

import streamlit as st

from omnichannel_tools.dashboard import agent_queries
from omnichannel_tools.dashboard.source import open_source


def _rate(part: int, whole: int) -> str:
    return "–" if whole == 0 else f"{part / whole:.1%}"


def _seconds(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f} s"


def main() -> None:
    st.set_page_config(page_title="Agents", layout="wide")
    st.title("Agents")
    try:
        source = open_source()
    except (FileNotFoundError, ValueError) as problem:
        st.error(str(problem))
        return
    try:
        missing = agent_queries.missing_agent_tables(source)
        st.subheader("Availability")
        if missing:
            st.warning(
                f"Table missing: the export has no {' and no '.join(missing)}, so agent availability and occupancy "
                "cannot be shown (they are not zero)."
            )
        else:
            by_day = agent_queries.hours_by_day(source)
            totals = by_day.drop(columns="presence_date").sum()
            cards = st.columns(len(totals) + 1)
            for card, (label, hours) in zip(cards, totals.items(), strict=False):
                card.metric(f"{label} hours", f"{hours:,.1f}")
            occupancy = agent_queries.occupancy(source)
            cards[-1].metric(
                "Agent occupancy",
                "–" if occupancy is None else f"{occupancy:.1%}",
                help="Handle time of closed sessions / time Available, Busy or Busy - DND (docs/metrics.md).",
            )
            st.line_chart(by_day, x="presence_date", y=list(agent_queries.STATUS_VIEWS))
        st.subheader("Consults and monitors")
        figures = agent_queries.consult_figures(source)
        left, middle, right, fourth, fifth = st.columns(5)
        left.metric("Consult requests", f"{figures.requests:,}")
        middle.metric("Consults accepted", _rate(figures.accepted, figures.requests))
        right.metric("Consults rejected", _rate(figures.rejected, figures.requests))
        fourth.metric("Consults timed out", _rate(figures.timed_out, figures.requests))
        fifth.metric("Avg. consult time", _seconds(figures.avg_consult_seconds))
        st.metric(
            "Monitor sessions",
            f"{figures.monitors:,}",
            help=f"Avg. monitor time {_seconds(figures.avg_monitor_seconds)}",
        )
    finally:
        source.close()


main()
