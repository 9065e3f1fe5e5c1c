"""Arrow tables from simulated columns, with the export mechanics: versions, lake times, tombstones."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from omnichannel_tools.generator.arrays import Columns, microseconds, take
from omnichannel_tools.generator.schema import NULL_CODE, NULL_TIMESTAMP, SECOND, VERSION_EPOCH_US


def to_arrow(
    schema: pa.Schema, columns: Columns, version: np.ndarray, sink: np.ndarray, isdelete: bool = False
) -> pa.Table:
    """A table of ``schema`` from numpy (sentinel NULLs) or Arrow columns, plus the export mechanics.

    sinkmodifiedon is rounded up to the whole second: Synapse Link's CSV writes it to the second
    (``M/d/yyyy h:mm:ss tt``), so every format of one simulated export carries the same value.
    """
    sink = -(-np.asarray(sink) // SECOND) * SECOND
    columns = dict(columns, versionnumber=version, sinkmodifiedon=sink, isdelete=np.full(version.size, isdelete))
    arrays = []
    for field in schema:
        values = columns[field.name]
        if isinstance(values, np.ndarray):
            if pa.types.is_timestamp(field.type):
                values = pa.array(values, field.type, mask=values == NULL_TIMESTAMP)
            elif pa.types.is_floating(field.type):
                values = pa.array(values, field.type, mask=np.isnan(values))
            elif pa.types.is_integer(field.type) and field.name != "versionnumber":
                values = pa.array(values.astype(field.type.to_pandas_dtype()), field.type, mask=values == NULL_CODE)
            else:
                values = pa.array(values, field.type)
        arrays.append(values.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


def export_mechanics(rng: np.random.Generator, change_us: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """versionnumber (grows with the change time) and sinkmodifiedon (written to the lake a little later)."""
    n = change_us.size
    version = (change_us - VERSION_EPOCH_US) // 1000 * 1000 + rng.integers(0, 1000, n)
    sink = change_us + microseconds(5 + rng.lognormal(np.log(60.0), 1.0, n))
    return version, sink


def written_before(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """A time in [start, end - 1 s): when an older version of a row was written."""
    return start + (rng.random(start.size) * (end - start - SECOND)).astype(np.int64)


def tombstones(
    rng: np.random.Generator, end_us: int, schema: pa.Schema, keys: pa.Array, change: np.ndarray, share: float
) -> pa.Table:
    """Newest rows that delete ``share`` of the keys: key and export columns only."""
    picked = np.flatnonzero(rng.random(change.size) < share)
    delay = (rng.random(picked.size) * np.maximum(end_us - change[picked], 0)).astype(np.int64)
    when = change[picked] + 60 * SECOND + delay
    version, sink = export_mechanics(rng, when)
    columns = {field.name: pa.nulls(picked.size, field.type) for field in schema}
    columns[schema.names[0]] = take(keys, picked)
    return to_arrow(schema, columns, version, sink, isdelete=True)


def older_versions(
    rng: np.random.Generator,
    schema: pa.Schema,
    columns: Columns,
    rows: np.ndarray,
    change: np.ndarray,
    current_version: np.ndarray,
    current_sink: np.ndarray,
    edits: Columns,
) -> pa.Table:
    """Older versions of the rows ``rows``: their columns with ``edits`` applied, written earlier."""
    old = {name: (v[rows] if isinstance(v, np.ndarray) else take(v, rows)) for name, v in columns.items()}
    old.update(edits)
    version, sink = export_mechanics(rng, change)
    version = np.minimum(version, current_version[rows] - 1)
    sink = np.maximum(np.minimum(sink, current_sink[rows] - SECOND), change)
    return to_arrow(schema, old, version, sink)
