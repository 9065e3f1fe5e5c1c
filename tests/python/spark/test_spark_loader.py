"""The Spark loader: files unioned by column name, CSV as text, malformed CSV stops the load.

Marked ``spark`` (run by `make test-spark` only): needs PySpark and writes a scratch schema
into the local catalog of DBT_SPARK_DIR, dropped afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

pytestmark = pytest.mark.spark

SCHEMA = "loader_test"


@pytest.fixture(scope="session")
def spark():
    """The process's PySpark session on the dbt spark target's catalog."""
    from omnichannel_tools.loaders.spark_session import spark_session

    return spark_session()


@pytest.fixture
def scratch_schema(spark):
    yield SCHEMA
    spark.sql(f"drop database if exists `{SCHEMA}` cascade")


def _rows(spark, table: str) -> list[dict]:
    return [row.asDict() for row in spark.table(f"`{SCHEMA}`.`{table}`").orderBy("queueid").collect()]


def test_parquet_files_unioned_by_name_missing_column_is_null(spark, scratch_schema, tmp_path: Path) -> None:
    from omnichannel_tools.loaders.spark import load_export

    folder = tmp_path / "queue"
    folder.mkdir()
    # An older file without versionnumber, its columns in another order; a newer one with it.
    pq.write_table(pa.table({"name": ["Old"], "queueid": ["q1"]}), folder / "part-00000.parquet")
    pq.write_table(
        pa.table({"queueid": ["q2"], "name": ["New"], "versionnumber": pa.array([7], pa.int64())}),
        folder / "part-00001.parquet",
    )
    counts = load_export(spark, tmp_path, "parquet", scratch_schema)
    assert counts == {"queue": 2}
    assert _rows(spark, "queue") == [
        {"name": "Old", "queueid": "q1", "versionnumber": None},
        {"name": "New", "queueid": "q2", "versionnumber": 7},
    ]
    types = dict(spark.table(f"`{SCHEMA}`.queue").dtypes)
    assert types["versionnumber"] == "bigint"


def test_csv_read_as_text_with_quotes_and_drift(spark, scratch_schema, tmp_path: Path) -> None:
    from omnichannel_tools.loaders.spark import load_export

    folder = tmp_path / "queue"
    folder.mkdir()
    (folder / "part-00000.csv").write_text('queueid,name\n{Q1}," Sales, ""EU"" "\n')
    (folder / "part-00001.csv").write_text('queueid,versionnumber,name\nq2, 192350004.0 ,"two\nlines"\n')
    load_export(spark, tmp_path, "csv", scratch_schema)
    assert set(dict(spark.table(f"`{SCHEMA}`.queue").dtypes).values()) == {"string"}
    assert _rows(spark, "queue") == [
        {"queueid": "q2", "name": "two\nlines", "versionnumber": " 192350004.0 "},
        {"queueid": "{Q1}", "name": ' Sales, "EU" ', "versionnumber": None},
    ]


def test_malformed_csv_stops_the_load_naming_the_table(spark, scratch_schema, tmp_path: Path) -> None:
    from omnichannel_tools.loaders.spark import load_export

    folder = tmp_path / "queue"
    folder.mkdir()
    (folder / "part-00000.csv").write_text("queueid,name\nq1,ok\nq2,too,many\n")
    with pytest.raises(RuntimeError, match="cannot load table queue"):
        load_export(spark, tmp_path, "csv", scratch_schema)


@pytest.mark.parametrize("fmt", ["cdm", "delta"])
def test_lake_layouts_load_the_rows_the_lake_readers_read(spark, scratch_schema, tmp_path: Path, fmt: str) -> None:
    """A Synapse Link container and Fabric Link Delta tables, detected (auto), load what omnichannel_tools.lake
    reads: the CDM rows as text (the in-progress folder and the live files beside the snapshots unread), the
    Delta tables' current snapshots, typed."""
    from omnichannel_tools import lake
    from omnichannel_tools.generator import TABLES, generate_export
    from omnichannel_tools.loaders.spark import load_export

    export = tmp_path / fmt
    generate_export(export, sessions=200, seed=3, fmt=fmt, rows_per_file=100)
    counts = load_export(spark, export, "auto", scratch_schema)
    expected = {table: lake.read_table(export, table, fmt).num_rows for table in TABLES}
    assert counts == expected
    types = dict(spark.table(f"`{SCHEMA}`.msdyn_ocsession").dtypes)
    assert types["sinkmodifiedon"] == ("string" if fmt == "cdm" else "timestamp")
    keys = spark.table(f"`{SCHEMA}`.msdyn_ocsession").select("id").distinct().count()
    assert keys == len(set(lake.read_table(export, "msdyn_ocsession", fmt).column("id").to_pylist()))
