"""dbt-duckdb plugin: the SQL function ``dataverse_delta_files(path)`` on every connection and cursor.

It returns the Parquet files of the current snapshot of the Delta table at ``path`` (read through
its transaction log by the ``deltalake`` package: omnichannel_tools.lake.delta.active_files), so that
the dbt project reads a Delta table with ``read_parquet([...files...])`` and never the files the
log has removed. A table it cannot serve correctly (no readable log, deletion vectors, column
mapping, partition columns) raises an error naming the table and path. DuckDB's own delta
extension cannot be installed offline; this needs only the pinned ``deltalake`` wheel.

profiles.yml::

    plugins:
      - module: omnichannel_tools.duckdb_plugins.delta_files
"""

from __future__ import annotations

import contextlib
from typing import Any

import duckdb
from dbt.adapters.duckdb.plugins import BasePlugin
from duckdb.sqltypes import VARCHAR

FUNCTION = "dataverse_delta_files"


def delta_files(path: str) -> list[str]:
    """The active files of the Delta table at ``path``."""
    from omnichannel_tools.lake.delta import active_files

    return active_files(path)


def register(connection: Any) -> None:
    """Create the function on one DuckDB connection or cursor (once)."""
    with contextlib.suppress(duckdb.CatalogException):  # already there
        connection.create_function(FUNCTION, delta_files, [VARCHAR], duckdb.list_type(VARCHAR), side_effects=True)


class Plugin(BasePlugin):
    """Registers dataverse_delta_files; dbt-duckdb copies cursors, which lose functions: each gets it again."""

    def configure_connection(self, conn: Any) -> None:
        register(conn)

    def configure_cursor(self, cursor: Any) -> None:
        register(cursor)
