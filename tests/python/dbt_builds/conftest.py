"""Shared fixtures: a small generated export and a warehouse built from it by dbt."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest

from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.generator import generate_export

SMALL_EXPORT_SESSIONS = 3_000


@dataclass(frozen=True)
class BuiltProject:
    """A Parquet export and the warehouse dbt built from it."""

    export: Path
    warehouse: Path


@pytest.fixture(scope="session")
def built_project(tmp_path_factory: pytest.TempPathFactory) -> BuiltProject:
    """The demo export and warehouse `make test` built, or a small pair built here when run alone."""
    warehouse = os.environ.get("OMNICHANNEL_TEST_WAREHOUSE")
    export = os.environ.get("OMNICHANNEL_TEST_EXPORT")
    if warehouse and export and Path(warehouse).exists():
        return BuiltProject(Path(export).resolve(), Path(warehouse).resolve())
    work = tmp_path_factory.mktemp("warehouse")
    built = BuiltProject(work / "dataverse", work / "warehouse.duckdb")
    generate_export(built.export, sessions=SMALL_EXPORT_SESSIONS, seed=7, fmt="parquet")
    result = run_dbt(
        ["build", "--exclude", "test_type:unit"],
        warehouse=built.warehouse,
        export_path=built.export,
        target_path=work / "target",
    )
    assert result.ok, result.output[-5000:]
    return built


@pytest.fixture(scope="session")
def built_warehouse(built_project: BuiltProject) -> Path:
    """The warehouse of built_project."""
    return built_project.warehouse
