"""The headline figures `make run` prints (omnichannel_tools.figures), from the catalogue's views."""

from __future__ import annotations

import duckdb
import pytest

from omnichannel_tools.catalogue import Metric
from omnichannel_tools.figures import format_value, headline_figures, headline_metrics, render

CATALOGUE = [
    Metric("sessions", "Total sessions", "", "metric_total_sessions", "total_sessions", "count"),
    Metric("wait", "Session wait time", "", "metric_wait", "avg_wait", "seconds", "wait_sum", "wait_count"),
    Metric("rejected", "Rejection rate", "", "metric_rejection", "rate", "rate", "rejected", "assigned"),
    Metric("reasons", "Closure reasons", "", "metric_reasons", "sessions", "count", breakdown="label"),
]


@pytest.fixture()
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("create table metric_total_sessions as select * from (values (3), (4)) t(total_sessions)")
    con.execute("create table metric_wait as select * from (values (10.0, 2), (5.0, 1)) t(wait_sum, wait_count)")
    con.execute("create table metric_rejection as select * from (values (0, 0)) t(rejected, assigned)")
    return con


def test_metrics_with_a_breakdown_are_not_headline_figures() -> None:
    assert [m.name for m in headline_metrics(CATALOGUE)] == ["sessions", "wait", "rejected"]
    assert all(m.breakdown is None for m in headline_metrics())


def test_figures_sum_counts_and_divide_summed_parts(con: duckdb.DuckDBPyConnection) -> None:
    assert headline_figures(con, CATALOGUE) == [
        ("Total sessions", 7.0, "count"),
        ("Session wait time", 5.0, "seconds"),  # (10 + 5) / (2 + 1), not the average of averages
        ("Rejection rate", None, "rate"),  # a zero denominator
    ]


def test_values_are_formatted_by_unit() -> None:
    assert format_value(12345.0, "count") == "12,345"
    assert format_value(0.0875, "rate") == "8.8 %"
    assert format_value(1234.56, "seconds") == "1,234.6 s"
    assert format_value(57.64, "score") == "57.6"
    assert format_value(None, "rate") == "n/a"


def test_render_aligns_the_labels(con: duckdb.DuckDBPyConnection) -> None:
    lines = render(headline_figures(con, CATALOGUE)).splitlines()
    assert lines[0] == "metric            | value"
    assert lines[2] == "Total sessions    | 7"
    assert lines[4] == "Rejection rate    | n/a"
