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
