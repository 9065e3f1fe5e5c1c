"""The Python lake readers (omnichannel_tools.lake) on one small simulated export in every format.

Each format holds the same changes: Parquet and CSV every version; the CDM container the same
versions (plus retries, duplicates of a version) spread over the root, the completed incremental
folders and the snapshots, with an in-progress folder that must not be read; the Delta tables the
newest version of every key the log still holds (hard-deleted keys gone).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from omnichannel_tools import lake
from omnichannel_tools.generator import TABLES, generate_export
from omnichannel_tools.generator.schema import SCHEMAS

SESSIONS = 300
SEED = 5


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("lake")
    for fmt in lake.FORMATS:
        generate_export(root / fmt, sessions=SESSIONS, seed=SEED, fmt=fmt, rows_per_file=100)
    return {fmt: root / fmt for fmt in lake.FORMATS}


def _versions(export: Path, table: str, fmt: str) -> set[tuple[str, str]]:
    """(key, versionnumber) of every row read; a Synapse Link tombstone's key is in Id."""
    rows = lake.read_table(export, table, fmt)
    assert rows is not None
    key = rows.column(SCHEMAS[table].names[0]).cast(pa.string())
    if "id" in rows.column_names:
        key = pc.coalesce(key, rows.column("id").cast(pa.string()))
    return set(zip(key.to_pylist(), rows.column("versionnumber").cast(pa.string()).to_pylist(), strict=True))


@pytest.mark.parametrize("fmt", lake.FORMATS)
def test_auto_detects_every_format(fmt: str, exports: dict[str, Path]) -> None:
    detection = lake.detect_format(exports[fmt])
    assert detection.format == fmt
    assert detection.reason


@pytest.mark.parametrize("table", TABLES)
def test_csv_and_cdm_hold_the_parquet_versions(table: str, exports: dict[str, Path]) -> None:
    parquet = _versions(exports["parquet"], table, "parquet")
    assert parquet
    assert _versions(exports["csv"], table, "auto") == parquet
    assert _versions(exports["cdm"], table, "auto") == parquet


@pytest.mark.parametrize("table", TABLES)
def test_delta_holds_the_newest_version_of_each_kept_key(table: str, exports: dict[str, Path]) -> None:
    newest: dict[str, int] = {}
    for key, version in _versions(exports["parquet"], table, "parquet"):
        newest[key] = max(newest.get(key, 0), int(version))
    delta = _versions(exports["delta"], table, "auto")
    assert len({key for key, _ in delta}) == len(delta)  # one row per key: the snapshot
    assert delta and all(newest[key] == int(version) for key, version in delta)


def test_cdm_schema_has_the_added_column_and_case_insensitive_export_columns(exports: dict[str, Path]) -> None:
    schema = lake.table_schema(exports["cdm"], "msdyn_ocsession", "cdm")
    assert schema is not None
    assert {"id", "sinkcreatedon", "sinkmodifiedon", "isdelete", "msdyn_cdsqueueid"} <= set(schema.names)
    rows = lake.read_table(exports["cdm"], "msdyn_ocsession", "cdm")
    added = rows.column("msdyn_cdsqueueid")
    assert 0 < added.null_count < rows.num_rows  # older rows have one field fewer: NULL


def test_cdm_row_with_a_field_too_many_names_file_and_line(exports: dict[str, Path], tmp_path: Path) -> None:
    export = tmp_path / "cdm"
    shutil.copytree(exports["cdm"], export)
    bad = sorted((export / "queue").glob("*-T2.csv"))[0]
    lines = bad.read_text().splitlines(keepends=True)
    lines[0] = lines[0].rstrip("\n") + ',"extra"\n'
    bad.write_text("".join(lines))
    with pytest.raises(lake.LakeError, match=rf"table queue: {bad} line 1 has \d+ fields"):
        lake.read_table(export, "queue", "cdm")


def test_cdm_missing_partition_and_model_are_named(exports: dict[str, Path], tmp_path: Path) -> None:
    export = tmp_path / "cdm"
    shutil.copytree(exports["cdm"], export)
    gone = sorted((export / "systemuser").glob("*-T2.csv"))[0]
    gone.unlink()
    with pytest.raises(lake.LakeError, match=rf"table systemuser: partition .* is missing: {gone}"):
        lake.read_table(export, "systemuser", "cdm")
    (export / "model.json").unlink()
    with pytest.raises(lake.LakeError, match="looks like a Synapse Link container"):
        lake.detect_format(export)


def test_delta_without_a_readable_log_is_named(exports: dict[str, Path], tmp_path: Path) -> None:
    export = tmp_path / "delta"
    shutil.copytree(exports["delta"], export)
    for commit in (export / "queue" / "_delta_log").glob("*.json"):
        commit.write_text("{not json")
    with pytest.raises(lake.LakeError, match=f"table queue: no readable Delta log in {export / 'queue'}"):
        lake.read_table(export, "queue", "delta")
