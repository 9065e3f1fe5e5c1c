"""A demo export as Microsoft Fabric Link writes it (``--format delta``): one Delta table per table.

The same simulated rows as the Parquet export, applied through the Delta log in time order: the
rows written before the first cut are the first commit, then each later slice is merged in (a
key's newest row updates it or inserts it), so the folder keeps the files the log has removed.
Deletes (the tombstones) are soft for half of the keys (the row stays, ``IsDelete`` true, the
export columns updated) and hard for the other half (the row is deleted from the table). Columns:
``Id`` (a copy of the primary key), the Dataverse columns, ``versionnumber``, ``SinkModifiedOn``,
``IsDelete`` (NULL on live rows), ``PartitionId``. Delta file names and commit times are not
deterministic; the rows are.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from omnichannel_tools.generator.schema import SCHEMAS

CUTS = (0.5, 0.7, 0.9)  # shares of the time range where a new commit starts
RENAMED = {"sinkmodifiedon": "SinkModifiedOn", "isdelete": "IsDelete"}


def delta_rows(table: str, rows: pa.Table) -> pa.Table:
    """Rows with Fabric Link's columns: Id first, SinkModifiedOn, IsDelete (true or NULL), PartitionId."""
    key = SCHEMAS[table].names[0]
    deleted = pc.fill_null(rows.column("isdelete"), False)
    out = rows.set_column(
        rows.schema.get_field_index("isdelete"), "isdelete", pc.if_else(deleted, True, pa.scalar(None, pa.bool_()))
    )
    out = out.rename_columns([RENAMED.get(name, name) for name in out.column_names])
    out = out.add_column(0, "Id", rows.column(key))
    return out.append_column("PartitionId", pa.nulls(rows.num_rows, pa.string()))


def _newest_per_key(rows: pa.Table) -> pa.Table:
    """Each key's newest row: greatest versionnumber, then latest SinkModifiedOn, a tombstone winning a tie."""
    deleted = pc.fill_null(rows.column("IsDelete"), False)
    ranked = rows.append_column("_deleted", deleted)
    order = pc.sort_indices(
        ranked,
        sort_keys=[
            ("Id", "ascending", "at_end"),
            ("versionnumber", "descending", "at_end"),
            ("SinkModifiedOn", "descending", "at_end"),
            ("_deleted", "descending", "at_end"),
        ],
    )
    ranked = ranked.take(order)
    ids = ranked.column("Id").to_numpy(zero_copy_only=False)
    first = np.ones(len(ids), bool)
    first[1:] = ids[1:] != ids[:-1]
    return ranked.filter(pa.array(first)).drop_columns(["_deleted"])


def is_hard_delete(ids: pa.Array) -> np.ndarray:
    """Half of the deleted keys are removed from the table (hard), the others kept with IsDelete (soft)."""
    first = pc.utf8_slice_codeunits(ids, 0, 1).to_numpy(zero_copy_only=False)
    return np.isin(first, list("01234567"))


def merge_rows(path: Path, rows: pa.Table) -> None:
    """One commit per kind of change: upserts (soft deletes update only the export columns), hard deletes."""
    from deltalake import DeltaTable, write_deltalake

    newest = _newest_per_key(rows)
    deleted = pc.fill_null(newest.column("IsDelete"), False).to_numpy(zero_copy_only=False)
    hard = deleted & is_hard_delete(newest.column("Id"))
    upserts, removals = newest.filter(pa.array(~hard)), newest.filter(pa.array(hard))
    if not (path / "_delta_log").is_dir():
        write_deltalake(str(path), upserts.filter(pc.invert(pc.fill_null(upserts.column("IsDelete"), False))))
        upserts = upserts.filter(pc.fill_null(upserts.column("IsDelete"), False))
    if upserts.num_rows:
        soft = {name: f"s.{name}" for name in ("versionnumber", "SinkModifiedOn", "IsDelete")}
        (
            DeltaTable(str(path))
            .merge(upserts, predicate="t.Id = s.Id", source_alias="s", target_alias="t")
            .when_matched_update(updates=soft, predicate="s.IsDelete = true")
            .when_matched_update_all(predicate="s.IsDelete is null")
            .when_not_matched_insert_all()
            .execute()
        )
    if removals.num_rows:
        (
            DeltaTable(str(path))
            .merge(removals.select(["Id"]), predicate="t.Id = s.Id", source_alias="s", target_alias="t")
            .when_matched_delete()
            .execute()
        )


def write_delta(out_dir: Path, tables: dict[str, pa.Table], start_us: int, end_us: int) -> dict[str, int]:
    """Write one Delta table per table, slice by slice; return the rows of each current snapshot."""
    from deltalake import DeltaTable

    counts = {}
    bounds = [start_us + int(share * (end_us - start_us)) for share in CUTS]
    for table, rows in tables.items():
        path = out_dir / table
        if path.exists():
            shutil.rmtree(path)
        rows = delta_rows(table, rows)
        sink = rows.column("SinkModifiedOn").cast(pa.int64()).to_numpy(zero_copy_only=False)
        edges = [np.iinfo(np.int64).min, *bounds, np.iinfo(np.int64).max]
        for low, high in zip(edges[:-1], edges[1:], strict=True):
            part = rows.filter(pa.array((sink >= low) & (sink < high)))
            if part.num_rows or not (path / "_delta_log").is_dir():
                merge_rows(path, part)
        counts[table] = DeltaTable(str(path)).to_pyarrow_table().num_rows
    return counts


def append_change(root: Path, tables: dict[str, pa.Table]) -> dict[str, int]:
    """The next sync merged into each table (rows in the generator's schemas); return the rows merged."""
    for table, rows in tables.items():
        if rows.num_rows:
            merge_rows(root / table, delta_rows(table, rows))
    return {table: rows.num_rows for table, rows in tables.items()}
