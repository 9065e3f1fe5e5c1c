"""The PostgreSQL loader: files unioned by column name, CSV as text, malformed CSV stops the load."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from omnichannel_tools.loaders.postgres import load_export

SCHEMA = "loader_test"


@pytest.fixture
def scratch_schema(pg):  # noqa: ANN001
    yield SCHEMA
    with pg.cursor() as cursor:
        cursor.execute(f"drop schema if exists {SCHEMA} cascade")


def _rows(pg, table: str) -> list[tuple]:  # noqa: ANN001
    with pg.cursor() as cursor:
        cursor.execute(f"select * from {SCHEMA}.{table} order by 1")
        return cursor.fetchall()


def _types(pg, table: str) -> dict[str, str]:  # noqa: ANN001
    with pg.cursor() as cursor:
        cursor.execute(
            "select column_name, data_type from information_schema.columns where table_schema = %s and table_name = %s",
            [SCHEMA, table],
        )
        return dict(cursor.fetchall())


def test_parquet_files_unioned_by_name_types_kept(pg, scratch_schema: str, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "queue"
    folder.mkdir()
    stamp = pa.array([1_700_000_000_123_456], type=pa.timestamp("us", tz="UTC"))
    pq.write_table(
        pa.table(
            {"queueid": ["a"], "name": ['Says "hi", then\nleaves'], "versionnumber": [7], "sinkmodifiedon": stamp}
        ),
        folder / "part-0.parquet",
    )
    pq.write_table(pa.table({"queueid": ["b"], "isdelete": [True]}), folder / "part-1.parquet")
    counts = load_export(pg, tmp_path, "parquet", scratch_schema)
    assert counts == {"queue": 2}
    assert _types(pg, "queue") == {
        "queueid": "text",
        "name": "text",
        "versionnumber": "bigint",
        "sinkmodifiedon": "timestamp with time zone",
        "isdelete": "boolean",
    }
    rows = _rows(pg, "queue")
    assert rows[0][:3] == ("a", 'Says "hi", then\nleaves', 7)
    assert rows[0][3].timestamp() == 1_700_000_000.123456 and rows[0][4] is None
    assert rows[1] == ("b", None, None, None, True)


def test_csv_loads_as_text_empty_is_null_bom_and_crlf(pg, scratch_schema: str, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "queue"
    folder.mkdir()
    (folder / "part-0.csv").write_bytes(
        b'\xef\xbb\xbfqueueid,name,versionnumber\r\na,"x, ""y""",1.0\r\nb,,2\r\nc,"",3\r\n'
    )
    (folder / "part-1.csv").write_text("name,queueid\nlate,d\n")
    assert load_export(pg, tmp_path, "csv", scratch_schema) == {"queue": 4}
    assert set(_types(pg, "queue").values()) == {"text"}
    assert _rows(pg, "queue") == [("a", 'x, "y"', "1.0"), ("b", None, "2"), ("c", "", "3"), ("d", "late", None)]


def test_a_malformed_csv_stops_the_load_naming_table_and_file(pg, scratch_schema: str, tmp_path: Path) -> None:  # noqa: ANN001
    folder = tmp_path / "queue"
    folder.mkdir()
    bad = folder / "part-0.csv"
    bad.write_text("queueid,name\na,one\nb,two,one field too many\n")
    with pytest.raises(RuntimeError, match=rf"table queue from {bad}"):
        load_export(pg, tmp_path, "csv", scratch_schema)
