"""Delta tables (Microsoft Fabric Link, Synapse Link's Delta option): ``<root>/<table>/`` with ``_delta_log/``.

Only the current snapshot is read, through the transaction log (the ``deltalake`` package): files
the log has removed (older versions of updated rows, deleted rows) stay in the folder until a
vacuum, and a glob of ``*.parquet`` would read them again. Soft deletes are rows with ``IsDelete``
set; hard deletes are simply absent from the snapshot.

:func:`active_files` serves the dbt project on DuckDB (omnichannel_tools.duckdb_plugins.delta_files),
which reads the files itself with ``read_parquet``: it refuses what that cannot read correctly.
The Python readers here use deltalake's own reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa

from omnichannel_tools.lake.common import LakeError, lower_names


def open_table(path: Path, table: str | None = None):
    """The DeltaTable at ``path``; a LakeError naming the table and path when its log cannot be read."""
    from deltalake import DeltaTable

    name = table or path.name
    try:
        return DeltaTable(str(path))
    except Exception as error:  # deltalake raises its own types (TableNotFoundError, DeltaError, OSError)
        first = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise LakeError(f"table {name}: no readable Delta log in {path}: {first}") from error


def active_files(path: str | Path) -> list[str]:
    """The Parquet files of the table's current snapshot (absolute paths), for a plain Parquet reader.

    Refused, naming the table and path (a plain reader would get them wrong): deletion vectors in
    use, column mapping (physical column names differ from the logical ones), partition columns
    (their values live in the log, not in the files).
    """
    path = Path(path)
    table = open_table(path)
    problems = []
    mapping = (table.metadata().configuration or {}).get("delta.columnMapping.mode", "none")
    if mapping not in ("none", None):
        problems.append(f"column mapping mode {mapping!r}")
    if table.metadata().partition_columns:
        problems.append(f"partition columns {', '.join(table.metadata().partition_columns)}")
    features = table.protocol().reader_features or []
    if "deletionVectors" in features and table.deletion_vectors().read_all().num_rows > 0:
        problems.append("deletion vectors")
    if problems:
        raise LakeError(
            f"table {path.name}: the Delta table in {path} uses {' and '.join(problems)}, which this reader does not "
            "support; rewrite it without them (e.g. OPTIMIZE / REORG ... APPLY (PURGE)) or load it with the Spark "
            "loader"
        )
    return [uri.removeprefix("file://") for uri in table.file_uris()]


def table_schema(root: Path, table: str, fmt: str = "delta") -> pa.Schema | None:
    """The snapshot's columns (lower-case names); None when the table folder is absent."""
    folder = root / table
    if not folder.is_dir():
        return None
    return lower_names(pa.schema(open_table(folder, table).schema().to_arrow()))


def table_batches(root: Path, table: str, fmt: str = "delta", batch_rows: int = 65_536) -> Iterator[pa.RecordBatch]:
    """The rows of the current snapshot, through deltalake's reader."""
    dataset = open_table(root / table, table).to_pyarrow_dataset()
    for batch in dataset.to_batches(batch_size=batch_rows):
        yield batch.rename_columns([name.lower() for name in batch.schema.names])
