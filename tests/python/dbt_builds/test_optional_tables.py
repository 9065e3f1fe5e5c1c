"""An export without the optional tables (agent status history, presences) still builds every session metric,
with the same values as with them, in Parquet and in CSV; the agent views are empty and the build says why."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from omnichannel_tools.catalogue import metric_views
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


def _rows(warehouse: Path, relation: str) -> list[tuple]:
    columns = relation_columns(warehouse, relation)
    return query(warehouse, f"select {', '.join(columns)} from {relation} order by all")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_session_metrics_are_unchanged_without_the_optional_tables(fmt: str, builds) -> None:
    (with_warehouse, with_result), (warehouse, result) = builds["with"], builds[fmt]
    assert with_result.ok, with_result.output[-5000:]
    assert result.ok, result.output[-5000:]
    assert len(_rows(with_warehouse, "metric_total_sessions")) > 50
    different = [v for v in metric_views() if not same_rows(_rows(with_warehouse, v), _rows(warehouse, v))]
    assert different == []
    assert _rows(with_warehouse, "fct_sessions") == _rows(warehouse, "fct_sessions")


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_agent_marts_are_empty_and_the_build_says_why(fmt: str, builds) -> None:
    (with_warehouse, _), (warehouse, result) = builds["with"], builds[fmt]
    for relation in AGENT_VIEWS:
        assert _rows(with_warehouse, relation), relation
        assert _rows(warehouse, relation) == [], relation
    absent = query(warehouse, "select table_name from dataverse_table_availability where not is_present order by 1")
    assert absent == [("msdyn_agentstatushistory",), ("msdyn_presence",)]
    assert query(with_warehouse, "select count(*) from dataverse_table_availability where not is_present") == [(0,)]
    for table in OPTIONAL_TABLES:
        line = f"Dataverse export: optional table {table} is absent"
        assert result.output.count(line) == 1, table
        assert f"optional_table_present_dataverse_table_availability_{table}" in result.output
    assert "fct_agent_presence_intervals" in result.output.split("optional table msdyn_agentstatushistory is absent")[1]
    assert result.output.count("WARN 1 optional_table_present_dataverse_table_availability_") == 2
