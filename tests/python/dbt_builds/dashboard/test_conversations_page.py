"""The Conversations page in Streamlit's AppTest: every conversation metric shown, numbers equal to
hand-written SQL over the metric_conversation_* views, filters applied, a missing hold-event table said."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from omnichannel_tools.dashboard.formatting import format_figure
from tests.python.dbt_builds.dashboard.conftest import APP

PAGE = APP.parent / "pages" / "conversations.py"
TIMEOUT = 120
# label -> (unit, SQL over the views)
EXPECTED_SQL: dict[str, tuple[str, str]] = {
    "Total conversations": ("count", "select sum(total_conversations) from metric_conversation_total {w}"),
    "Incoming conversations": ("count", "select sum(incoming_conversations) from metric_conversation_incoming {w}"),
    "Abandoned conversations": ("count", "select sum(abandoned_conversations) from metric_conversation_abandoned {w}"),
    "Conversation abandon rate": (
        "rate",
        "select sum(abandoned_conversations) / sum(incoming_conversations) from metric_conversation_abandon_rate {w}",
    ),
    "Avg. speed to answer": (
        "seconds",
        "select sum(speed_to_answer_seconds_sum) / sum(speed_to_answer_count)"
        " from metric_conversation_speed_to_answer {w}",
    ),
    "Avg. conversation handle time": (
        "seconds",
        "select sum(conversation_handle_time_seconds_sum) / sum(conversation_handle_time_count)"
        " from metric_conversation_handle_time {w}",
    ),
    "Conversation transfer rate": (
        "rate",
        "select sum(transferred_conversations) / sum(accepted_closed_conversations)"
        " from metric_conversation_transfer_rate {w}",
    ),
}


def run_page() -> AppTest:
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
    assert not app.exception, [e.message for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    return app


def expected(views: duckdb.DuckDBPyConnection, where: str = "") -> dict[str, str]:
    out = {}
    for label, (unit, sql) in EXPECTED_SQL.items():
        value = views.execute(sql.format(w=where)).fetchone()[0]
        out[label] = format_figure(None if value is None else float(value), unit)
    return out


def test_every_conversation_metric_is_shown_with_the_views_numbers(
    dashboard_env: Path, views: duckdb.DuckDBPyConnection
) -> None:
    app = run_page()
    shown = {metric.label: metric.value for metric in app.metric}
    assert len(shown) == 15  # the 16 conversation metrics, the service level as a table
    for label, value in expected(views).items():
        assert shown[label] == value, label
    table = app.dataframe[0].value
    assert list(table["Threshold (s)"]) == [10, 20, 30, 40, 60, 120]
    accepted = views.execute(
        "select sum(accepted_incoming_conversations) from metric_conversation_service_level"
    ).fetchone()
    assert list(table["Accepted incoming"]) == [accepted[0] // 6] * 6
    assert not app.warning  # the demo export has the hold-event table


def test_a_queue_filter_narrows_every_figure(dashboard_env: Path, views: duckdb.DuckDBPyConnection) -> None:
    queue = views.execute(
        "select queue_id from metric_conversation_total where queue_id is not null"
        " group by queue_id order by sum(total_conversations) desc, queue_id limit 1"
    ).fetchone()[0]
    app = AppTest.from_file(str(PAGE), default_timeout=TIMEOUT).run()
    app.multiselect(key="conversation_queues").set_value([queue]).run()
    assert not app.exception, [e.message for e in app.exception]
    shown = {metric.label: metric.value for metric in app.metric}
    narrowed = expected(views, f"where queue_id = '{queue}'")
    for label, value in narrowed.items():
        assert shown[label] == value, label
    assert narrowed["Total conversations"] != expected(views)["Total conversations"]


def test_a_missing_hold_event_table_is_said(
    dashboard_env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / "no_events.duckdb"
    with duckdb.connect(str(copy)) as con:
        con.execute(f"attach '{dashboard_env}' as built (read_only)")
        served = con.execute(
            "select table_name from information_schema.tables where table_catalog = 'built' and table_schema = 'main'"
            " and (table_name like 'metric_conversation_%' or table_name like 'dim_%'"
            " or table_name in ('metric_total_sessions', 'dataverse_table_availability'))"
        ).fetchall()
        for (name,) in served:
            con.execute(f"create table main.{name} as select * from built.main.{name}")
        con.execute(
            "update main.dataverse_table_availability set is_present = false"
            " where table_name = 'msdyn_ocsessionparticipantevent'"
        )
    monkeypatch.setenv("DBT_DUCKDB_SERVING_PATH", str(copy))
    app = run_page()
    assert any("msdyn_ocsessionparticipantevent" in warning.value for warning in app.warning)
