"""Spark and DuckDB give the same marts on the same export (run by `make test-spark` only).

`make test-spark` loads exports into Spark and builds the project there (``dbt build --target
spark``); for each such build this test builds the same export on DuckDB into a temporary
warehouse, then compares fct_sessions, fct_conversations, every metric view and the load audit
between the two engines: the same columns, the same keys (NULL is a key value of its own),
counts and every other non-float value exactly equal, floats within 1e-9 relative. Spark is
read through a PySpark session on the same catalog as dbt (omnichannel_tools.loaders.spark_session).

Marked ``spark``: plain `pytest` / `make test` deselect it (pyproject.toml), since it needs the
Spark requirements and the Spark builds. Environment: OMNICHANNEL_SPARK_BUILDS, one
``format:export_dir:spark_schema`` per build, space-separated (the export loaded into Spark in
that format, and the schema dbt built it into); DBT_SPARK_DIR (the catalog).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.parity import KEYS, MAY_BE_EMPTY
from omnichannel_tools.parity import keyed as _keyed
from omnichannel_tools.parity import same_value as _same_value

pytestmark = pytest.mark.spark


def _builds() -> list[tuple[str, str, str]]:
    """(format, export folder, Spark schema) of each Spark build to check."""
    builds = []
    for item in os.environ.get("OMNICHANNEL_SPARK_BUILDS", "").split():
        fmt, export, schema = item.split(":")
        builds.append((fmt, export, schema))
    return builds


BUILDS = _builds()


@pytest.fixture(scope="module", params=BUILDS, ids=[build[0] for build in BUILDS])
def build(request: pytest.FixtureRequest) -> tuple[str, Path, str]:
    fmt, export, schema = request.param
    if not Path(export).is_dir():
        pytest.fail(f"export folder {export} not found: run `make test-spark`")
    return fmt, Path(export).resolve(), schema


@pytest.fixture(scope="module")
def duckdb_connection(
    build: tuple[str, Path, str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[duckdb.DuckDBPyConnection]:
    """The same export built on DuckDB (models and seeds; the tests ran in `make test`)."""
    fmt, export, _ = build
    work = tmp_path_factory.mktemp(f"duckdb_parity_{fmt}")
    warehouse = work / "parity.duckdb"
    result = run_dbt(
        ["build", "--resource-type", "seed", "--resource-type", "model"],
        warehouse=warehouse,
        export_path=export,
        export_format=fmt,
        target_path=work / "target",
        target="duckdb",
    )
    assert result.ok, result.output[-5000:]
    connection = duckdb.connect(str(warehouse), read_only=True)
    yield connection
    connection.close()


@pytest.fixture(scope="session")
def spark():
    """A PySpark session on the catalog `dbt build --target spark` wrote (the process's one)."""
    from omnichannel_tools.loaders.spark_session import spark_session

    return spark_session()


def _duckdb_rows(connection: duckdb.DuckDBPyConnection, relation: str) -> tuple[list[str], list[tuple]]:
    """Rows with timestamps as epoch microseconds and dates as ISO text."""
    described = connection.execute(f"describe select * from main.{relation}").fetchall()
    columns = [row[0] for row in described]
    select = []
    for name, data_type, *_ in described:
        if data_type.upper().startswith("TIMESTAMP"):
            select.append(f'epoch_us("{name}") as "{name}"')
        elif data_type.upper() == "DATE":
            select.append(f'cast("{name}" as varchar) as "{name}"')
        else:
            select.append(f'"{name}"')
    return columns, connection.execute(f"select {', '.join(select)} from main.{relation}").fetchall()


def _spark_rows(spark, schema: str, relation: str) -> tuple[list[str], list[tuple]]:
    """Rows with timestamps as epoch microseconds and dates as ISO text (no local time zone involved)."""
    qualified = f"`{schema}`.`{relation}`"
    if not spark.catalog.tableExists(f"{schema}.{relation}"):
        pytest.fail(f"{schema}.{relation} is not in the Spark catalog: run `make test-spark`")
    fields = spark.table(qualified).schema.fields
    columns = [field.name for field in fields]
    select = []
    for field in fields:
        type_name = field.dataType.simpleString()
        if type_name.startswith("timestamp"):
            select.append(f"unix_micros(`{field.name}`) as `{field.name}`")
        elif type_name == "date":
            select.append(f"cast(`{field.name}` as string) as `{field.name}`")
        else:
            select.append(f"`{field.name}`")
    rows = spark.sql(f"select {', '.join(select)} from {qualified}").collect()
    return columns, [tuple(row) for row in rows]


def test_builds_are_given() -> None:
    assert BUILDS, "OMNICHANNEL_SPARK_BUILDS names no Spark build to compare: run `make test-spark`"


@pytest.mark.parametrize("relation", list(KEYS))
def test_spark_equals_duckdb(relation: str, build, duckdb_connection, spark) -> None:
    spark_schema = build[2]
    duck_columns, duck_rows = _duckdb_rows(duckdb_connection, relation)
    spark_columns, spark_rows = _spark_rows(spark, spark_schema, relation)
    assert spark_columns == duck_columns, f"{relation}: columns differ"
    assert duck_rows or relation in MAY_BE_EMPTY, f"{relation}: empty on DuckDB, nothing compared"

    key = KEYS[relation]
    duck = _keyed(duck_columns, duck_rows, key, "duckdb")
    sparks = _keyed(spark_columns, spark_rows, key, "spark")
    only_duckdb = sorted(map(repr, duck.keys() - sparks.keys()))[:5]
    only_spark = sorted(map(repr, sparks.keys() - duck.keys()))[:5]
    assert not only_duckdb and not only_spark, (
        f"{relation}: {len(duck)} DuckDB rows vs {len(sparks)} Spark rows; "
        f"keys only on DuckDB {only_duckdb}, only on Spark {only_spark}"
    )

    differences = []
    for row_key, duck_row in duck.items():
        spark_row = sparks[row_key]
        for column, left, right in zip(duck_columns, duck_row, spark_row, strict=True):
            if not _same_value(left, right):
                differences.append(f"{row_key} {column}: duckdb={left!r} spark={right!r}")
    assert not differences, f"{relation}: {len(differences)} values differ, e.g.\n  " + "\n  ".join(differences[:10])
