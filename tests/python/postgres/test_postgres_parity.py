"""PostgreSQL and DuckDB give the same marts on the same export (run by `make test-postgres` only).

`make test-postgres` loads exports into PostgreSQL and builds the project there (``dbt build
--target postgres``); for each such build this test builds the same export on DuckDB into a
temporary warehouse, then compares fct_sessions, fct_conversations, every metric view, the load
audit and the data faults (omnichannel_tools.parity: same columns, same keys, counts and
non-float values exactly equal, floats within 1e-9 relative). Environment:
OMNICHANNEL_POSTGRES_BUILDS, one ``format:export_dir:schema`` per build (the target schema; the
layers are in <schema>_marts and <schema>_audit).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.parity import KEYS, Rows, differences

BUILDS = [tuple(item.split(":")) for item in os.environ.get("OMNICHANNEL_POSTGRES_BUILDS", "").split()]


@pytest.fixture(scope="module", params=BUILDS, ids=[build[0] for build in BUILDS])
def build(request: pytest.FixtureRequest) -> tuple[str, Path, str]:
    fmt, export, schema = request.param
    if not Path(export).is_dir():
        pytest.fail(f"export folder {export} not found: run `make test-postgres`")
    return fmt, Path(export).resolve(), schema


@pytest.fixture(scope="module")
def duckdb_connection(
    build: tuple[str, Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The same export built on DuckDB (models and seeds; the tests ran in `make test`)."""
    fmt, export, _ = build
    work = tmp_path_factory.mktemp(f"duckdb_parity_{fmt}")
    result = run_dbt(
        ["build", "--resource-type", "seed", "--resource-type", "model"],
        warehouse=work / "parity.duckdb",
        export_path=export,
        export_format=fmt,
        target_path=work / "target",
        target="duckdb",
    )
    assert result.ok, result.output[-5000:]
    connection = duckdb.connect(str(work / "parity.duckdb"), read_only=True)
    yield connection
    connection.close()


def _duckdb_rows(connection: duckdb.DuckDBPyConnection, relation: str) -> Rows:
    described = connection.execute(f"describe select * from main.{relation}").fetchall()
    select = []
    for name, data_type, *_ in described:
        if data_type.upper().startswith("TIMESTAMP"):
            select.append(f'epoch_us("{name}") as "{name}"')
        elif data_type.upper() == "DATE":
            select.append(f'cast("{name}" as varchar) as "{name}"')
        else:
            select.append(f'"{name}"')
    rows = connection.execute(f"select {', '.join(select)} from main.{relation}").fetchall()
    return [row[0] for row in described], rows


def _postgres_rows(pg, schema: str, relation: str) -> Rows:  # noqa: ANN001
    layer = "audit" if relation.startswith("dataverse_") else "marts"
    with pg.cursor() as cursor:
        cursor.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = %s and table_name = %s order by ordinal_position",
            [f"{schema}_{layer}", relation],
        )
        described = cursor.fetchall()
        assert described, f"{schema}_{layer}.{relation} not found: run `make test-postgres`"
        select = []
        for name, data_type in described:
            if data_type.startswith("timestamp"):
                select.append(f'cast(extract(epoch from "{name}") * 1000000 as bigint) as "{name}"')
            elif data_type == "date":
                select.append(f'cast("{name}" as text) as "{name}"')
            else:
                select.append(f'"{name}"')
        cursor.execute(f'select {", ".join(select)} from "{schema}_{layer}"."{relation}"')
        return [name for name, _ in described], cursor.fetchall()


def test_builds_are_given() -> None:
    assert BUILDS, "OMNICHANNEL_POSTGRES_BUILDS names no build to compare: run `make test-postgres`"


@pytest.mark.parametrize("relation", list(KEYS))
def test_postgres_equals_duckdb(relation: str, build, duckdb_connection, pg) -> None:  # noqa: ANN001
    found = differences(
        relation, _duckdb_rows(duckdb_connection, relation), _postgres_rows(pg, build[2], relation), "postgres"
    )
    assert not found, f"{len(found)} differences, e.g.\n  " + "\n  ".join(found[:10])
