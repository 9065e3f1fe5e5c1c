"""The generated exports the generator's tests read (Parquet and CSV, same seed), generated once."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from omnichannel_tools.generator import generate_export

from .exports import SEED, SESSIONS, connect_export


@pytest.fixture(scope="package")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet")
    generate_export(out, SESSIONS, seed=SEED, fmt="parquet")
    return out


@pytest.fixture(scope="package")
def csv_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv")
    generate_export(out, SESSIONS, seed=SEED, fmt="csv")
    return out


@pytest.fixture(scope="package")
def con(export: Path) -> duckdb.DuckDBPyConnection:
    return connect_export(export)
