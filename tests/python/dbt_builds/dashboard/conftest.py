"""The database the dashboard tests read, and the dashboard run in Streamlit's AppTest against it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from tests.python.dashboard_support import dashboard_database_path

APP = Path(__file__).resolve().parents[4] / "omnichannel_tools" / "dashboard" / "app.py"


@pytest.fixture(scope="session")
def dashboard_database(built_warehouse: Path) -> Path:
    """The DuckDB file the dashboard reads in these tests."""
    return dashboard_database_path(built_warehouse)


@pytest.fixture
def dashboard_env(dashboard_database: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The environment `make dashboard` sets: the serving path, the DuckDB engine."""
    monkeypatch.setenv("DBT_DUCKDB_SERVING_PATH", str(dashboard_database))
    monkeypatch.setenv("DASHBOARD_ENGINE", "duckdb")
    monkeypatch.delenv("DASHBOARD_REPORTING_TIMEZONE", raising=False)
    return dashboard_database


@pytest.fixture(scope="package", autouse=True)
def release_dashboard_connections() -> Iterator[None]:
    """After the dashboard tests, close the connection the app cached: DuckDB refuses a second
    connection to the same file with another configuration (the BI-client tests open one)."""
    yield
    import streamlit as st

    st.cache_resource.clear()


@pytest.fixture(scope="package")
def views(dashboard_database: Path) -> duckdb.DuckDBPyConnection:
    """A read-only connection of the test's own, for the expected figures."""
    con = duckdb.connect(str(dashboard_database), read_only=True)
    yield con
    con.close()
