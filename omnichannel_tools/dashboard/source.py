"""Where the dashboard's data is, and how it is opened: the one module that knows the engine.

The dashboard reads the published serving file (DuckDB, opened read-only) or, chosen by
``DASHBOARD_ENGINE=postgres``, the Postgres marts through the BI role (``DASHBOARD_POSTGRES_URL``,
a SQLAlchemy URL; the driver is the deployer's). Every query is written once in portable SQL with
``:name`` parameters; each engine binds them its own way.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import duckdb
import pandas as pd

from omnichannel_tools.paths import REPO_ROOT

DEFAULT_SERVING_PATH = REPO_ROOT / "warehouse" / "serving.duckdb"
_NAMED_PARAMETER = re.compile(r"(?<![:\w]):([A-Za-z_]\w*)")


def serving_path(environ: Mapping[str, str] | None = None) -> Path:
    """The DuckDB file the dashboard reads: DBT_DUCKDB_SERVING_PATH, else warehouse/serving.duckdb.

    This is the one place that decides the path (tests point the variable at the warehouse they built).
    """
    env = os.environ if environ is None else environ
    configured = env.get("DBT_DUCKDB_SERVING_PATH")
    return Path(configured).expanduser().resolve() if configured else DEFAULT_SERVING_PATH


class Source(Protocol):
    """A read-only connection that answers SQL with a DataFrame."""

    description: str

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame: ...

    def has_relation(self, name: str) -> bool: ...

    def close(self) -> None: ...


@dataclass
class DuckDBSource:
    """The serving file, opened read-only (many dashboard processes may read it at once)."""

    path: Path

    def __post_init__(self) -> None:
        if not self.path.exists():
            raise FileNotFoundError(
                f"No DuckDB file at {self.path}: run `make run` (and the publish step), or set DBT_DUCKDB_SERVING_PATH."
            )
        self._con = duckdb.connect(str(self.path), read_only=True)
        shown = self.path.relative_to(REPO_ROOT) if self.path.is_relative_to(REPO_ROOT) else self.path
        self.description = f"DuckDB {shown}"

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        # DuckDB's named parameters are $name; a cursor per query keeps concurrent sessions apart.
        cursor = self._con.cursor()
        try:
            return cursor.execute(_NAMED_PARAMETER.sub(r"$\1", sql), dict(params or {})).df()
        finally:
            cursor.close()

    def has_relation(self, name: str) -> bool:
        found = self.query(
            "select count(*) as n from information_schema.tables where table_name = :name", {"name": name}
        )
        return bool(found["n"].iloc[0])

    def close(self) -> None:
        self._con.close()


@dataclass
class SQLAlchemySource:
    """Postgres (or any SQLAlchemy URL) through the BI role: read-only is the role's grant."""

    url: str

    def __post_init__(self) -> None:
        from sqlalchemy import create_engine

        self._engine = create_engine(self.url)
        self.description = f"{self._engine.dialect.name} {self._engine.url.render_as_string(hide_password=True)}"

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        from sqlalchemy import text

        with self._engine.connect() as connection:
            return pd.read_sql_query(text(sql), connection, params=dict(params or {}))

    def has_relation(self, name: str) -> bool:
        from sqlalchemy import inspect

        inspector = inspect(self._engine)
        return name in inspector.get_table_names() or name in inspector.get_view_names()

    def close(self) -> None:
        self._engine.dispose()


def open_source(environ: Mapping[str, str] | None = None) -> Source:
    """The source chosen by DASHBOARD_ENGINE (duckdb, the default, or postgres)."""
    env = os.environ if environ is None else environ
    engine = env.get("DASHBOARD_ENGINE", "duckdb").lower()
    if engine == "duckdb":
        return DuckDBSource(serving_path(env))
    if engine == "postgres":
        url = env.get("DASHBOARD_POSTGRES_URL")
        if not url:
            raise ValueError("DASHBOARD_ENGINE=postgres needs DASHBOARD_POSTGRES_URL (a SQLAlchemy URL of the BI role)")
        return SQLAlchemySource(url)
    raise ValueError(f"DASHBOARD_ENGINE={engine!r}: expected duckdb or postgres")


def source_key(environ: Mapping[str, str] | None = None) -> str:
    """Which source the environment chooses, without opening it (the dashboard's cache key)."""
    env = os.environ if environ is None else environ
    engine = env.get("DASHBOARD_ENGINE", "duckdb").lower()
    return f"{engine}:{serving_path(env) if engine == 'duckdb' else env.get('DASHBOARD_POSTGRES_URL', '')}"


def reporting_timezone(environ: Mapping[str, str] | None = None) -> str:
    """The time zone of session_date: DASHBOARD_REPORTING_TIMEZONE, else the project's var default.

    The build's `--vars reporting_timezone` is not stored in the warehouse: whoever builds with
    another zone sets the same zone here.
    """
    env = os.environ if environ is None else environ
    if env.get("DASHBOARD_REPORTING_TIMEZONE"):
        return env["DASHBOARD_REPORTING_TIMEZONE"]
    import yaml

    project = yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())
    return str((project.get("vars") or {}).get("reporting_timezone", "UTC"))
