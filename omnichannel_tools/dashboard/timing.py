"""Measure the dashboard's response time: the SQL of one interaction, and a whole page run uncached.

    python -m omnichannel_tools.dashboard.timing --warehouse warehouse/omnichannel.duckdb [--repeat 5]

An interaction reruns the page: the headline, the closure reasons, the trend by day, one breakdown,
the sentiment zones (the filter options and the data-quality panel are cached per source). Each
selection below is timed --repeat times with Streamlit's cache cleared; the report gives the median
and the slowest run. A measurement, never a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from omnichannel_tools.dashboard import queries
from omnichannel_tools.dashboard.filters import Filters
from omnichannel_tools.dashboard.source import DuckDBSource


def selections(source: DuckDBSource) -> dict[str, Filters]:
    """No filter; the first fortnight; the busiest queue; the busiest agent in the busiest channel."""
    options = queries.filter_options(source)
    busiest = {
        column: source.query(
            f"select {column} as v from metric_total_sessions where {column} is not null"
            f" group by {column} order by sum(total_sessions) desc limit 1"
        )["v"].iloc[0]
        for column in ("queue_id", "channel_code", "agent_id")
    }
    fortnight_end = options.first_date + (options.last_date - options.first_date) / 6 if options.first_date else None
    return {
        "all": Filters(),
        "first fortnight": Filters(options.first_date, fortnight_end),
        "one queue": Filters(queues=(busiest["queue_id"],)),
        "agent + channel": Filters(channels=(int(busiest["channel_code"]),), agents=(busiest["agent_id"],)),
    }


def interaction(source: DuckDBSource, filters: Filters, breakdown: str = "agent_id") -> None:
    """The queries one rerun of the page sends."""
    queries.metric_aggregates(source, filters)
    queries.closure_reasons(source, filters)
    queries.metric_aggregates(source, filters, ("session_date",))
    queries.metric_aggregates(source, filters, (breakdown,))
    queries.sentiment_zones(source, filters)


def timed(action: Callable[[], object], repeat: int) -> tuple[float, float]:
    seconds = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        seconds.append(time.perf_counter() - started)
    return statistics.median(seconds), max(seconds)


def page_run(warehouse: Path, repeat: int) -> tuple[float, float]:
    """A whole page run in Streamlit's AppTest with the cache cleared (the server's work, no browser)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    os.environ["DBT_DUCKDB_SERVING_PATH"] = str(warehouse)
    app_path = str(Path(__file__).with_name("app.py"))
    AppTest.from_file(app_path, default_timeout=300).run()  # imports and the cached source: not timed

    def run() -> None:
        st.cache_data.clear()
        AppTest.from_file(app_path, default_timeout=300).run()

    return timed(run, repeat)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    source = DuckDBSource(args.warehouse.resolve())
    sessions = int(source.query("select sum(total_sessions) as n from metric_total_sessions")["n"].iloc[0])
    print(f"{args.warehouse}: {sessions:,} agent sessions; median / slowest of {args.repeat}")
    for name, filters in selections(source).items():
        median, slowest = timed(lambda f=filters: interaction(source, f), args.repeat)
        print(f"  interaction SQL, {name:<16} {median * 1000:7.0f} ms / {slowest * 1000:7.0f} ms")
    source.close()
    median, slowest = page_run(args.warehouse.resolve(), args.repeat)
    print(f"  whole page run (AppTest, uncached) {median * 1000:7.0f} ms / {slowest * 1000:7.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
