"""The Agents page in Streamlit's AppTest: hours and consult figures equal the views; "table missing" when the
export lacked the agent tables (their views are then empty, which must not read as zero hours)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from tests.python.dbt_builds.dashboard.conftest import APP

PAGE = APP.parent / "pages" / "agents.py"
TIMEOUT = 120


def run_page() -> AppTest:
    page = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
    assert not page.exception, [e.message for e in page.exception]
    assert not page.error, [e.value for e in page.error]
    return page


def test_the_agents_page_shows_the_views_figures(dashboard_env: Path, views: duckdb.DuckDBPyConnection) -> None:
    page = run_page()
    shown = {metric.label: metric.value for metric in page.metric}
    logged_in = views.execute("select sum(logged_in_seconds) / 3600.0 from metric_agent_logged_in_hours").fetchone()[0]
    assert logged_in > 0
    assert shown["Logged in hours"] == f"{logged_in:,.1f}"
    requests = views.execute("select sum(consult_requests) from metric_consult_requests").fetchone()[0]
    assert shown["Consult requests"] == f"{int(requests):,}"
    assert not page.warning


@pytest.fixture
def export_without_agent_tables(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A serving file as a build of an export without the agent tables leaves it: empty views, tables absent."""
    path = tmp_path / "serving.duckdb"
    con = duckdb.connect(str(path))
    con.execute(
        "create table dataverse_table_availability as select * from (values "
        "('msdyn_ocsession', true, true, ''), ('msdyn_agentstatushistory', false, false, 'fct_agent_presence_daily'), "
        "('msdyn_presence', false, false, 'fct_agent_presence_daily')) as t(table_name, is_required, is_present, "
        "dependent_marts)"
    )
    for view, columns in {
        "metric_consult_rates": "consult_requests, accepted_consults, rejected_consults, timed_out_consults",
        "metric_consult_avg_time": "consult_time_seconds_sum, consult_time_count",
        "metric_monitor_sessions": "monitor_sessions, monitor_time_seconds_sum, monitor_time_count",
    }.items():
        typed = ", ".join(f"{column} double" for column in columns.split(", "))
        con.execute(f"create table {view} ({typed})")
    con.close()
    monkeypatch.setenv("DBT_DUCKDB_SERVING_PATH", str(path))
    monkeypatch.setenv("DASHBOARD_ENGINE", "duckdb")
    return path


def test_a_missing_agent_table_is_reported_not_shown_as_zero(export_without_agent_tables: Path) -> None:
    page = run_page()
    assert len(page.warning) == 1
    text = page.warning[0].value
    assert text.startswith("Table missing") and "msdyn_agentstatushistory" in text and "msdyn_presence" in text
    labels = [metric.label for metric in page.metric]
    assert "Logged in hours" not in labels and "Agent occupancy" not in labels
    assert dict(zip(labels, [m.value for m in page.metric], strict=True))["Consult requests"] == "0"
