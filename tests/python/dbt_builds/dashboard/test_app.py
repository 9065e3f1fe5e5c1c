"""The dashboard in Streamlit's AppTest: every widget, every filter combination, numbers equal to the views."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import duckdb
import pytest
import yaml
from streamlit.testing.v1 import AppTest

from tests.python.dashboard_support import expected_text, headline_values, where
from tests.python.dbt_builds.dashboard.conftest import APP

CATALOGUE = APP.parents[2] / "models" / "marts" / "metrics" / "_metrics__catalogue.yml"
TIMEOUT = 120


def run_app() -> AppTest:
    app = AppTest.from_file(str(APP), default_timeout=TIMEOUT).run()
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    return app


def shown_headline(app: AppTest) -> dict[str, str]:
    return {metric.label: metric.value for metric in app.metric}


@pytest.fixture(scope="module")
def choices(dashboard_database: Path) -> dict[str, object]:
    """A busy queue, channel and agent, and the first fortnight: picked from the fact behind the views."""
    con = duckdb.connect(str(dashboard_database), read_only=True)
    try:

        def busiest(column: str) -> object:
            sql = (
                f"select {column} from metric_total_sessions where {column} is not null"
                f" group by {column} order by sum(total_sessions) desc, {column} limit 1"
            )
            return con.execute(sql).fetchone()[0]

        first = con.execute("select min(session_date) from metric_total_sessions").fetchone()[0]
        return {
            "dates": (first, first + dt.timedelta(days=13)),
            "queues": (busiest("queue_id"),),
            "channels": (int(busiest("channel_code")),),
            "agents": (busiest("agent_id"),),
        }
    finally:
        con.close()


def test_headline_row_is_every_documented_metric_with_its_definition(dashboard_env: Path) -> None:
    app = run_app()
    documented = [
        m
        for m in yaml.safe_load(CATALOGUE.read_text())["metrics"]
        if (m.get("config") or {}).get("meta", {}).get("family", "session") == "session"
    ]
    assert len(documented) == 14
    cards = {metric.label: metric.proto.help for metric in app.metric}
    for metric in documented:
        assert cards[metric["label"]].startswith(metric["description"])


def test_widgets_and_time_zone(dashboard_env: Path, views: duckdb.DuckDBPyConnection) -> None:
    app = run_app()
    assert [w.key for w in app.multiselect] == ["queues", "channels", "agents"]
    first, last = views.execute("select min(session_date), max(session_date) from metric_total_sessions").fetchone()
    assert app.date_input(key="date_range").value == (first, last)
    queue_ids = [row[0] for row in views.execute("select queue_id from dim_queues").fetchall()]
    assert sorted(app.multiselect(key="queues").options) == sorted(
        name for (name,) in views.execute("select coalesce(queue_name, queue_id) from dim_queues").fetchall()
    )
    assert len(queue_ids) == len(app.multiselect(key="queues").options)
    assert any("reporting time zone **UTC**" in caption.value for caption in app.caption)


def combinations() -> list[tuple[str, ...]]:
    names = ("dates", "queues", "channels", "agents")
    return [combo for size in range(len(names) + 1) for combo in itertools.combinations(names, size)]


@pytest.mark.parametrize("combination", combinations(), ids=lambda combo: "+".join(combo) or "all")
def test_every_filter_combination_shows_the_views_figures(
    combination: tuple[str, ...], choices: dict[str, object], dashboard_env: Path, views: duckdb.DuckDBPyConnection
) -> None:
    app = run_app()
    selected = {name: choices[name] for name in combination}
    if "dates" in selected:
        app.date_input(key="date_range").set_value(selected["dates"])
    for name in ("queues", "channels", "agents"):
        if name in selected:
            app.multiselect(key=name).set_value(list(selected[name]))
    app.run(timeout=TIMEOUT)
    assert not app.exception, [e.message for e in app.exception]
    start, end = selected.get("dates", (None, None))
    selection = where(start, end, selected.get("queues", ()), selected.get("channels", ()), selected.get("agents", ()))
    expected = {label: expected_text(unit, value) for label, (unit, value) in headline_values(views, selection).items()}
    shown = shown_headline(app)
    assert {label: shown[label] for label in expected} == expected


def test_an_empty_selection_shows_zero_and_undefined(dashboard_env: Path, views: duckdb.DuckDBPyConnection) -> None:
    queue, agent = views.execute(
        "select q.queue_id, a.agent_id from dim_queues q cross join dim_agents a where not exists"
        " (select 1 from metric_total_sessions m where m.queue_id = q.queue_id and m.agent_id = a.agent_id)"
        " and not a.is_bot order by 1, 2 limit 1"
    ).fetchone()
    app = run_app()
    app.multiselect(key="queues").set_value([queue])
    app.multiselect(key="agents").set_value([agent]).run(timeout=TIMEOUT)
    assert not app.exception
    shown = shown_headline(app)
    assert shown["Total sessions"] == "0"
    assert shown["Session transfer rate"] == "–"
    assert shown["Session closure reason"] == "–"


@pytest.mark.parametrize("by", ["Queue", "Channel", "Agent"])
def test_breakdowns_sum_to_the_headline(by: str, dashboard_env: Path, views: duckdb.DuckDBPyConnection) -> None:
    app = run_app()
    app.radio(key="breakdown_by").set_value(by).run(timeout=TIMEOUT)
    assert not app.exception
    table = app.dataframe[0].value
    column = {"Queue": "queue_id", "Channel": "channel_code", "Agent": "agent_id"}[by]
    cells = views.execute(
        f"select count(distinct coalesce(cast({column} as varchar), '-')) from metric_total_sessions"
    ).fetchone()[0]
    assert len(table) == cells
    total = views.execute("select sum(total_sessions) from metric_total_sessions").fetchone()[0]
    assert sum(int(value.replace(",", "")) for value in table["Total sessions"]) == total
    assert table["Total sessions"].map(lambda v: int(v.replace(",", ""))).is_monotonic_decreasing


def test_trend_selector_offers_every_headline_metric(dashboard_env: Path) -> None:
    app = run_app()
    selector = app.selectbox(key="trend_metric")
    assert len(selector.options) == 13
    for label in selector.options:
        selector.set_value(label)
        app.run(timeout=TIMEOUT)
        assert not app.exception, label
        selector = app.selectbox(key="trend_metric")
        assert selector.value == label


def test_closure_reasons_with_glossary_labels_and_unknown_codes(
    dashboard_env: Path, views: duckdb.DuckDBPyConnection
) -> None:
    app = run_app()
    reasons = next(frame.value for frame in app.dataframe if "Closure reason" in frame.value.columns)
    shown = dict(zip(reasons["Closure reason"], reasons["Sessions"], strict=True))
    rows = views.execute(
        "select r.closure_reason_code, d.closure_reason_label, sum(r.sessions) from metric_session_closure_reasons r"
        " left join dim_closure_reasons d using (closure_reason_code) group by all"
    ).fetchall()
    expected = {}
    for code, label, sessions in rows:
        name = "(no closure reason)" if code is None else (label or f"Unknown ({code})")
        expected[name] = sessions
    assert shown == expected
    assert shown_headline(app)["Session closure reason"] == max(expected, key=expected.get)
    assert any(name.startswith("Unknown (") for name in shown), "the demo export has codes outside the glossary"


def test_data_quality_panel_from_the_load_audit_and_faults(
    dashboard_env: Path, views: duckdb.DuckDBPyConnection
) -> None:
    app = run_app()
    cards = shown_headline(app)
    quarantined = views.execute(
        "select sum(raw_rows) from dataverse_load_audit where load_state = 'quarantined'"
    ).fetchone()[0]
    faults = views.execute("select count(*) from dataverse_data_faults").fetchone()[0]
    assert cards["Rows quarantined"] == f"{int(quarantined or 0):,}"
    assert cards["Data faults"] == f"{faults:,}"
