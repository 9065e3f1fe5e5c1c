"""Vectorised building blocks of the generator: random draws, GUIDs, text and NULL-aware takes."""

from __future__ import annotations

import binascii

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from omnichannel_tools.generator.schema import SECOND

Column = np.ndarray | pa.Array  # numpy (NULL as a sentinel) or Arrow
Columns = dict[str, Column]


def microseconds(seconds: np.ndarray | float) -> np.ndarray:
    """Seconds (float) to integer microseconds."""
    return np.round(np.asarray(seconds) * SECOND).astype(np.int64)


def draw_category(
    rng: np.random.Generator, weights: np.ndarray, row: np.ndarray | None = None, n: int | None = None
) -> np.ndarray:
    """Draw category indices; ``weights`` is one row of weights, or a matrix indexed by ``row``."""
    cumulative = np.cumsum(weights / weights.sum(axis=-1, keepdims=True), axis=-1)
    cumulative[..., -1] = 1.0
    if row is None:
        return np.searchsorted(cumulative, rng.random(n), side="right")
    uniform = rng.random(row.size)
    return np.minimum((uniform[:, None] >= cumulative[row]).sum(axis=1), weights.shape[-1] - 1)


def fixed_width_text(matrix: np.ndarray, valid: np.ndarray | None = None) -> pa.Array:
    """An Arrow string array from an (n, width) uint8 matrix of ASCII bytes."""
    n, width = matrix.shape
    offsets = np.arange(0, (n + 1) * width, width, dtype=np.int64)
    bitmap = None if valid is None else pa.py_buffer(np.packbits(valid, bitorder="little"))
    text = pa.LargeStringArray.from_buffers(
        n, pa.py_buffer(offsets), pa.py_buffer(np.ascontiguousarray(matrix).tobytes()), bitmap
    )
    return text.cast(pa.string())


def random_guids(rng: np.random.Generator, n: int) -> pa.Array:
    """``n`` random version-4 GUIDs as lower-case text."""
    raw = np.frombuffer(rng.bytes(16 * n), np.uint8).reshape(n, 16).copy()
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80
    hexed = np.frombuffer(binascii.hexlify(raw.tobytes()), np.uint8).reshape(n, 32)
    out = np.full((n, 36), ord("-"), np.uint8)
    for source, target, width in ((0, 0, 8), (8, 9, 4), (12, 14, 4), (16, 19, 4), (20, 24, 12)):
        out[:, target : target + width] = hexed[:, source : source + width]
    return fixed_width_text(out)


def take(values: pa.Array, indices: np.ndarray) -> pa.Array:
    """``values[indices]``; a negative index (``NULL_CODE``) gives NULL."""
    return pc.take(values, pa.array(indices, pa.int64(), mask=indices < 0))


def latest(*timestamps: np.ndarray) -> np.ndarray:
    """Row-wise latest timestamp, NULLs ignored (NULL_TIMESTAMP is the smallest int64)."""
    return np.maximum.reduce(timestamps)
