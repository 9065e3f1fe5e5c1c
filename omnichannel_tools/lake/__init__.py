"""Reading a Dataverse export in Python, whatever the lake format: the one module every tool that reads
exports uses (the pandas reference, the Spark loader, tests).

Formats, as the dbt var ``dataverse_format`` names them:

- ``parquet`` / ``csv``: one folder per table of ``*.parquet`` files, or of ``*.csv`` files with a
  header row (files module);
- ``cdm``: an Azure Synapse Link container: headerless CSV partitions described by ``model.json``,
  with optional incremental update folders (cdm module);
- ``delta``: one Delta table per Dataverse table, as Microsoft Fabric Link writes them; the current
  snapshot is read through the transaction log (delta module);
- ``auto``: detected by :func:`detect_format` (detect module), with the dbt project's rules.

API (small on purpose; every loader can adopt it):

- ``detect_format(root) -> Detection(format, reason)``
- ``table_schema(root, table, fmt) -> pyarrow.Schema | None``: the table's columns (lower-case
  Dataverse logical names, the export columns included: ``id``, ``sinkmodifiedon``, ``isdelete``,
  ...), or None when the export lacks the table;
- ``iter_batches(root, table, fmt, batch_rows=65_536) -> Iterator[pyarrow.RecordBatch]``: every raw
  row, in batches that all have ``table_schema``'s columns (a column an older file lacks is NULL);
- ``read_table(root, table, fmt) -> pyarrow.Table | None``: the same rows at once.

CSV and CDM values are text (parsing is the reader's job, as in the dbt project); Parquet and Delta
keep their types. Errors are :class:`LakeError` (a ValueError), naming the table and the file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from omnichannel_tools.lake import cdm, delta, files
from omnichannel_tools.lake.common import LakeError, conform
from omnichannel_tools.lake.detect import Detection, detect_format

FORMATS = ("parquet", "csv", "cdm", "delta")
_READERS = {"parquet": files, "csv": files, "cdm": cdm, "delta": delta}


def resolve_format(root: Path, fmt: str) -> str:
    """The format to read: ``fmt`` itself, or the detected one for ``auto``."""
    fmt = fmt.lower()
    if fmt == "auto":
        return detect_format(Path(root)).format
    if fmt not in FORMATS:
        raise LakeError(f"unsupported format {fmt!r}: use {', '.join(FORMATS)} or auto")
    return fmt


def table_schema(root: Path, table: str, fmt: str) -> pa.Schema | None:
    """The columns of one table (lower-case names), or None when the export lacks the table."""
    fmt = resolve_format(root, fmt)
    return _READERS[fmt].table_schema(Path(root), table, fmt)


def iter_batches(root: Path, table: str, fmt: str, batch_rows: int = 65_536) -> Iterator[pa.RecordBatch]:
    """Every raw row of one table, in record batches of ``table_schema`` (none when the table is absent)."""
    fmt = resolve_format(root, fmt)
    reader = _READERS[fmt]
    schema = reader.table_schema(Path(root), table, fmt)
    if schema is None:
        return
    for batch in reader.table_batches(Path(root), table, fmt, batch_rows):
        yield conform(batch, schema)


def read_table(root: Path, table: str, fmt: str) -> pa.Table | None:
    """Every raw row of one table at once, or None when the export lacks the table."""
    fmt = resolve_format(root, fmt)
    schema = table_schema(root, table, fmt)
    if schema is None:
        return None
    return pa.Table.from_batches(list(iter_batches(root, table, fmt)), schema=schema)


__all__ = [
    "FORMATS",
    "Detection",
    "LakeError",
    "detect_format",
    "iter_batches",
    "read_table",
    "resolve_format",
    "table_schema",
]
