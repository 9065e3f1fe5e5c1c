"""The storage measurement (omnichannel_tools.benchmark.storage) finds the GUID columns and sizes each
table alone, as built and with GUID keys as UUID, on a small warehouse it builds itself."""

from __future__ import annotations

import duckdb
import pytest

from omnichannel_tools.benchmark import storage


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("storage")
    path = tmp_path / "w.duckdb"
    with duckdb.connect(str(path)) as con:
        guid = (
            "regexp_replace(md5(cast({} as varchar)), "
            "'^(.{{8}})(.{{4}})(.{{4}})(.{{4}})(.{{12}})$', '\\1-\\2-\\3-\\4-\\5')"
        )
        con.execute(
            f"create table facts as select {guid.format('range')} as session_id, "
            f"{guid.format('range % 3')} as queue_id, 'label ' || range as label, cast(range as integer) as n "
            "from range(300000)"
        )
        con.execute("insert into facts values ('', null, 'no key', 0)")
        con.execute("create table labels as select 'x' || range as label from range(10)")
        con.execute("create view v as select * from facts")
    (tmp_path / "export").mkdir()
    (tmp_path / "export" / "part.parquet").write_bytes(b"0" * 1000)
    return path


def test_guid_columns_are_those_holding_only_guids(warehouse) -> None:
    path = warehouse
    with duckdb.connect() as con:
        con.execute(f"attach '{path}' as wh (read_only)")
        con.execute("use wh")
        assert storage.guid_columns(con, "facts") == ["session_id", "queue_id"]
        assert storage.guid_columns(con, "labels") == []


def test_uuid_keys_shrink_the_high_cardinality_key_and_every_table_is_sized(warehouse) -> None:
    result = storage.measure(warehouse, warehouse.parent / "export")
    assert result["export_bytes"] == 1000
    assert set(result["tables"]) == {"facts", "labels"}
    facts = result["tables"]["facts"]
    assert facts["rows"] == 300_001
    assert facts["high_cardinality_guid_columns"] == ["session_id"]
    assert 0 < facts["uuid_keys_bytes"] < facts["text_bytes"]
    assert "| facts | 300,001 | 2 (1) |" in storage.render(result)
