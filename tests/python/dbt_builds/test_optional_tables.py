"""An export without the optional tables (agent status history, presences, participant events) still builds every
session metric, with the same values as with them, in Parquet and in CSV; the agent views are empty, hold and talk
time are missing (NULL, never 0), and the build says why. fct_sessions.source_modified_at is lake bookkeeping (the
latest write of the session's rows, its participant events' included), compared by its own rule."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from omnichannel_tools.catalogue import session_grain_views
from omnichannel_tools.dbt_runner import DbtResult, run_dbt
from omnichannel_tools.generator import generate_export
from omnichannel_tools.generator.schema import OPTIONAL_TABLES

from .corruption.warehouse import query, relation_columns, same_rows

SESSIONS = 800
SEED = 23
BUILD = ["build", "--exclude", "test_type:unit"]
AGENT_VIEWS = ("metric_agent_logged_in_hours", "metric_agent_occupancy", "fct_agent_presence_intervals")


def _build(root: Path, name: str, export: Path, fmt: str) -> tuple[Path, DbtResult]:
    warehouse = root / f"{name}.duckdb"
    result = run_dbt(BUILD, warehouse=warehouse, export_path=export, export_format=fmt, target_path=root / name)
    return warehouse, result


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, DbtResult]]:
    root = tmp_path_factory.mktemp("optional_tables")
    built = {}
    for fmt in ("parquet", "csv"):
        export = root / fmt
        generate_export(export, sessions=SESSIONS, seed=SEED, fmt=fmt)
        if fmt == "parquet":
            built["with"] = _build(root, "with", export, fmt)
        for table in OPTIONAL_TABLES:
            shutil.rmtree(export / table)
        built[fmt] = _build(root, f"without_{fmt}", export, fmt)
    return built


LAKE_COLUMN = "source_modified_at"


def _rows(warehouse: Path, relation: str, exclude: tuple[str, ...] = ()) -> list[tuple]:
    columns = [column for column in relation_columns(warehouse, relation) if column not in exclude]
    return query(warehouse, f"select {', '.join(columns)} from {relation} order by all")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_session_metrics_are_unchanged_without_the_optional_tables(fmt: str, builds) -> None:
    (with_warehouse, with_result), (warehouse, result) = builds["with"], builds[fmt]
    assert with_result.ok, with_result.output[-5000:]
    assert result.ok, result.output[-5000:]
    assert len(_rows(with_warehouse, "metric_total_sessions")) > 50
    different = [v for v in session_grain_views() if not same_rows(_rows(with_warehouse, v), _rows(warehouse, v))]
    assert different == []
    assert _rows(with_warehouse, "fct_sessions", (LAKE_COLUMN,)) == _rows(warehouse, "fct_sessions", (LAKE_COLUMN,))
    # Without the event table a session's latest lake write can only be earlier (never unknown in the generator).
    lake_times = f"select session_id, {LAKE_COLUMN} from fct_sessions"
    with_times, times = dict(query(with_warehouse, lake_times)), dict(query(warehouse, lake_times))
    assert times.keys() == with_times.keys()
    assert all(times[s] <= with_times[s] for s in times)
    assert any(times[s] < with_times[s] for s in times)


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_agent_marts_are_empty_and_the_build_says_why(fmt: str, builds) -> None:
    (with_warehouse, _), (warehouse, result) = builds["with"], builds[fmt]
    for relation in AGENT_VIEWS:
        assert _rows(with_warehouse, relation), relation
        assert _rows(warehouse, relation) == [], relation
    absent = query(warehouse, "select table_name from dataverse_table_availability where not is_present order by 1")
    assert absent == [("msdyn_agentstatushistory",), ("msdyn_ocsessionparticipantevent",), ("msdyn_presence",)]
    assert query(with_warehouse, "select count(*) from dataverse_table_availability where not is_present") == [(0,)]
    for table in OPTIONAL_TABLES:
        line = f"Dataverse export: optional table {table} is absent"
        assert result.output.count(line) == 1, table
        assert f"optional_table_present_dataverse_table_availability_{table}" in result.output
    assert "fct_agent_presence_intervals" in result.output.split("optional table msdyn_agentstatushistory is absent")[1]
    assert result.output.count("WARN 1 optional_table_present_dataverse_table_availability_") == len(OPTIONAL_TABLES)


HOLD_MEASURES = {
    "metric_conversation_hold_time": ("hold_time_count", "avg_conversation_hold_time_seconds"),
    "metric_conversation_talk_time": ("talk_time_count", "avg_conversation_talk_time_seconds"),
}


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
@pytest.mark.parametrize("view", sorted(HOLD_MEASURES))
def test_hold_and_talk_time_are_missing_not_zero_without_the_hold_events(fmt: str, view: str, builds) -> None:
    (with_warehouse, _), (warehouse, _) = builds["with"], builds[fmt]
    measured, average = HOLD_MEASURES[view]
    with_events = query(with_warehouse, f"select count({average}), sum({measured}) from {view}")
    assert with_events[0][0] > 0 and with_events[0][1] > 0
    # The same conversations, but nothing to say how long they were on hold: NULL everywhere, never 0.
    assert query(warehouse, f"select count(*) from {view}") == query(with_warehouse, f"select count(*) from {view}")
    assert query(warehouse, f"select count({average}), sum({measured}) from {view}") == [(0, 0)]
    # The other conversation measures do not depend on the event table.
    for other in ("metric_conversation_total", "metric_conversation_first_wait_time"):
        assert same_rows(_rows(with_warehouse, other), _rows(warehouse, other)), other
