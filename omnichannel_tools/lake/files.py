"""Folders of files: ``<root>/<table>/*.parquet``, or ``*.csv`` with a header row (all text).

The files of a table are unioned by column name (a column an older file lacks is NULL), as DuckDB's
``union_by_name`` does. CSV: comma, '"' quotes doubled inside a field, values may span lines; a
malformed file (a ragged row, an unterminated quote) raises a LakeError naming the table and file.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from omnichannel_tools.lake.common import LakeError, lower_names, union_schema


def table_files(root: Path, table: str, fmt: str) -> list[Path]:
    """The table's files the project reads: ``<root>/<table>/*.<fmt>``, sorted."""
    folder = root / table
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.glob(f"*.{fmt}") if path.is_file())


def _csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle), [])


def _file_schema(path: Path, fmt: str) -> pa.Schema:
    if fmt == "parquet":
        return lower_names(pq.read_schema(path))
    return pa.schema([(name.lower(), pa.string()) for name in _csv_header(path)])


def table_schema(root: Path, table: str, fmt: str) -> pa.Schema | None:
    """The union of the table's file schemas; None when the table has no file."""
    paths = table_files(root, table, fmt)
    if not paths:
        return None
    try:
        return union_schema(_file_schema(path, fmt) for path in paths)
    except (OSError, pa.ArrowException) as error:
        raise LakeError(f"table {table}: cannot read the {fmt} files in {root / table}: {error}") from error


def _csv_batches(path: Path, batch_rows: int) -> Iterator[pa.RecordBatch]:
    header = _csv_header(path)
    if not header:
        return
    reader = pacsv.open_csv(
        path,
        read_options=pacsv.ReadOptions(block_size=1 << 22),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=dict.fromkeys(header, pa.string())),
    )
    yield from reader


def table_batches(root: Path, table: str, fmt: str, batch_rows: int) -> Iterator[pa.RecordBatch]:
    """The rows of every file of the table, file by file (column names lower case)."""
    for path in table_files(root, table, fmt):
        try:
            if fmt == "parquet":
                batches = pq.ParquetFile(path).iter_batches(batch_size=batch_rows)
            else:
                batches = _csv_batches(path, batch_rows)
            for batch in batches:
                yield batch.rename_columns([name.lower() for name in batch.schema.names])
        except (OSError, pa.ArrowException) as error:
            raise LakeError(f"table {table}: cannot read {path}: {error}") from error
