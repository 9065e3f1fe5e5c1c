"""Writing a table's part files, one writer per format.

A writer writes one part of one table into the table's folder, under a temporary name renamed
when complete (a reader never sees half a file). Register a new format in ``WRITERS``.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from omnichannel_tools.generator.arrays import fixed_width_text

Writer = Callable[[pa.Table, Path], None]  # (rows, path of the file to write)


def _csv_timestamps(timestamps: pa.Array) -> pa.Array:
    """ISO-8601 UTC text with 7 fractional digits and 'Z' (2025-03-01T10:00:00.1234560Z)."""
    valid = timestamps.is_valid().to_numpy(zero_copy_only=False)
    us = pc.fill_null(timestamps.cast(pa.int64()), 0).to_numpy(zero_copy_only=False)
    text = np.datetime_as_string(us.view("datetime64[us]"), unit="us").astype("S26")
    matrix = np.empty((us.size, 28), np.uint8)
    matrix[:, :26] = text.view(np.uint8).reshape(us.size, 26)
    matrix[:, 26], matrix[:, 27] = ord("0"), ord("Z")
    return fixed_width_text(matrix, valid)


def _csv_batch(batch: pa.RecordBatch) -> pa.RecordBatch:
    """CSV text for timestamps and booleans; other columns as they are."""
    columns = []
    for field, column in zip(batch.schema, batch.columns, strict=True):
        if pa.types.is_timestamp(field.type):
            column = _csv_timestamps(column)
        elif pa.types.is_boolean(field.type):
            column = pc.if_else(column, "True", "False")
        columns.append(column)
    return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)


def write_parquet(table: pa.Table, path: Path) -> None:
    """Parquet, zstd, dictionary encoding and statistics, row groups of 1 Mi rows."""
    pq.write_table(
        table,
        path,
        compression="zstd",
        compression_level=3,
        use_dictionary=True,
        write_statistics=True,
        row_group_size=1 << 20,
    )


def write_csv(table: pa.Table, path: Path) -> None:
    """CSV with a header row, quoted where needed; timestamps and booleans as Synapse Link writes them."""
    as_text = (pa.types.is_timestamp, pa.types.is_boolean)
    schema = pa.schema(
        [(f.name, pa.string() if any(test(f.type) for test in as_text) else f.type) for f in table.schema]
    )
    options = pacsv.WriteOptions(include_header=True, quoting_style="needed")
    with pacsv.CSVWriter(path, schema, write_options=options) as writer:
        for batch in table.to_batches(max_chunksize=1 << 18):
            writer.write_batch(_csv_batch(batch))


# Format name -> writer; the format name is also the files' extension.
WRITERS: dict[str, Writer] = {"parquet": write_parquet, "csv": write_csv}
FORMATS = tuple(WRITERS)


def write_part(table: pa.Table, folder: Path, part: int, fmt: str) -> None:
    """Write part ``part`` of a table as ``folder/part-<part>.<fmt>`` (renamed into place when complete)."""
    path = folder / f"part-{part:05d}.{fmt}"
    temporary = path.with_name(path.name + ".tmp")
    WRITERS[fmt](table, temporary)
    os.replace(temporary, path)
