"""The Spark loader's file handling and the Spark session's parameters, without Spark."""

from __future__ import annotations

from pathlib import Path

import pytest

from omnichannel_tools.loaders.spark import _error_summary, _groups, export_tables
from omnichannel_tools.loaders.spark_session import spark_parameters, spark_target_schema

PROFILE = """
omnichannel_analytics:
  outputs:
    spark:
      type: spark
      schema: "{{ env_var('TEST_SPARK_SCHEMA', 'omnichannel') }}"
      server_side_parameters:
        spark.sql.session.timeZone: UTC
        spark.sql.warehouse.dir: "{{ env_var('DBT_SPARK_DIR') }}/warehouse"
"""


def test_export_tables_lists_folders_with_files_of_the_format(tmp_path: Path) -> None:
    for name in ("queue/part-00001.csv", "queue/part-00000.csv", "systemuser/part-00000.parquet", "notes.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
    (tmp_path / "empty").mkdir()
    assert export_tables(tmp_path, "csv") == {
        "queue": [tmp_path / "queue/part-00000.csv", tmp_path / "queue/part-00001.csv"]
    }
    assert list(export_tables(tmp_path, "parquet")) == ["systemuser"]


def test_files_are_grouped_by_signature_in_order_of_appearance() -> None:
    files = [Path(name) for name in ("a1", "b1", "a2", "c1", "b2")]
    assert _groups(files, lambda path: path.name[0]) == [
        [Path("a1"), Path("a2")],
        [Path("b1"), Path("b2")],
        [Path("c1")],
    ]


def test_error_summary_keeps_the_spark_error_classes() -> None:
    error = RuntimeError(
        "Job aborted.\n[MALFORMED_CSV_RECORD] Malformed CSV record: q2,too,many\nat ...\n[MALFORMED_CSV_RECORD] again"
    )
    assert (
        _error_summary(error)
        == "[MALFORMED_CSV_RECORD] Malformed CSV record: q2,too,many\n[MALFORMED_CSV_RECORD] again"
    )
    assert _error_summary(ValueError("plain message\nsecond line")) == "plain message"


def test_spark_parameters_are_the_profiles_rendered(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "profiles.yml").write_text(PROFILE)
    monkeypatch.setenv("DBT_SPARK_DIR", "/catalog")
    monkeypatch.delenv("TEST_SPARK_SCHEMA", raising=False)
    assert spark_parameters(tmp_path) == {
        "spark.sql.session.timeZone": "UTC",
        "spark.sql.warehouse.dir": "/catalog/warehouse",
        "spark.sql.ansi.enabled": "false",  # as dbt-spark sets it
    }
    assert spark_target_schema(tmp_path) == "omnichannel"
    monkeypatch.setenv("TEST_SPARK_SCHEMA", "elsewhere")
    assert spark_target_schema(tmp_path) == "elsewhere"
