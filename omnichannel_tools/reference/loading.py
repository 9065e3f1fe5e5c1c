"""Reading an export: every file of a table, parsed and unioned by name, then its current rows."""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from omnichannel_tools.reference.parsing import EMPTY_DTYPES, PARSERS
from omnichannel_tools.reference.schema import (
    FORMATS,
    GUID_PATTERN,
    MECHANICS,
    PRIMARY_KEYS,
    REQUIRED,
    REQUIRED_TABLES,
    TABLES,
)


def _arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Convert an Arrow table, decoding dictionaries and decimals first."""
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        if pa.types.is_dictionary(field.type):
            column = column.cast(field.type.value_type)
        if pa.types.is_decimal(column.type):
            column = column.cast(pa.float64())
        columns.append(column)
    table = pa.table(columns, names=[name.lower() for name in table.column_names])
    return table.to_pandas()


def _read_parquet_file(path: Path, wanted: set[str]) -> pd.DataFrame:
    """Read the known columns of one Parquet file (column names compared lower-case)."""
    names = pq.read_schema(path).names
    keep = [name for name in names if name.lower() in wanted]
    return _arrow_to_pandas(pq.read_table(path, columns=keep))


def _read_csv_file(path: Path, wanted: set[str]) -> pd.DataFrame:
    """Read the known columns of one CSV file, every column as text."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        header = next(csv.reader(handle), [])
    keep = [name for name in header if name.lower() in wanted]
    if not keep:
        return pd.DataFrame()
    table = pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            include_columns=keep,
            strings_can_be_null=False,
        ),
    )
    return _arrow_to_pandas(table)


def _table_files(folder: Path, fmt: str) -> list[Path]:
    """Data files of one table folder (recursively, sorted for a stable row order)."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.rglob(f"*.{fmt}") if p.is_file())


def _parse_frame(frame: pd.DataFrame, kinds: Mapping[str, str]) -> pd.DataFrame:
    """Parse every known column of one file and add missing columns as typed NULLs."""
    n = len(frame)
    out: dict[str, pd.Series] = {}
    for name, kind in kinds.items():
        if name in frame.columns:
            out[name] = PARSERS[kind](frame[name].reset_index(drop=True))
        else:
            out[name] = pd.Series(index=pd.RangeIndex(n), dtype=EMPTY_DTYPES[kind])
    return pd.DataFrame(out, index=pd.RangeIndex(n))


def _read_table(root: Path, table: str, fmt: str) -> pd.DataFrame:
    """Read, parse and union all files of one table folder."""
    kinds = {**TABLES[table], **MECHANICS}
    files = _table_files(root / table, fmt)
    if not files and table in REQUIRED_TABLES:
        raise FileNotFoundError(f"no *.{fmt} files for table {table} under {root / table}")
    reader = _read_parquet_file if fmt == "parquet" else _read_csv_file
    seen: set[str] = set()
    frames = []
    for path in files:
        raw = reader(path, set(kinds))
        seen.update(raw.columns)
        frames.append(_parse_frame(raw, kinds))
    if files:
        missing = [c for c in REQUIRED[table] if c not in seen]
        if missing:
            raise ValueError(f"table {table}: required column(s) missing: {', '.join(missing)}")
    if not frames:
        frames = [_parse_frame(pd.DataFrame(), kinds)]
    return pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]


def latest_mask(codes: np.ndarray, frame: pd.DataFrame, order: list[str]) -> np.ndarray:
    """Boolean mask selecting one row per code: greatest ``order`` values, NULLs last.

    Rows are compared on ``order`` column by column (descending; a NULL loses to any
    value). Instead of sorting everything, each step keeps, among the rows whose code
    is still duplicated, those equal to their group's maximum; a row read later wins a
    full tie. ``codes`` < 0 are never selected.
    """
    alive = codes >= 0
    for col in order:
        live_codes = pd.Series(codes[alive])
        dup = live_codes.duplicated(keep=False).to_numpy()
        if not dup.any():
            break
        positions = np.flatnonzero(alive)[dup]
        values = frame[col].iloc[positions].reset_index(drop=True)
        best = values.groupby(codes[positions]).transform("max")
        keep = ((values == best).fillna(False) | best.isna()).to_numpy(dtype=bool)
        alive[positions[~keep]] = False
    last = pd.Series(codes).where(alive).duplicated(keep="last").to_numpy()
    return alive & ~last


def current_rows(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """Keep the current version of every valid key and drop deleted keys.

    Rows with a NULL or non-GUID key are dropped. The current row of a key has the
    greatest versionnumber, ties broken by the latest sinkmodifiedon (NULLs last in
    both); on a full tie a tombstone wins, then the row read last. A key whose current
    row is a tombstone (isdelete true) is removed.
    """
    keys = frame[key]
    valid = (keys.notna() & keys.str.match(GUID_PATTERN).fillna(False)).to_numpy(dtype=bool)
    codes = np.where(valid, pd.factorize(keys)[0], -1)
    tomb = frame["isdelete"].fillna(False).astype(bool)
    ranked = frame[["versionnumber", "sinkmodifiedon"]].assign(_tomb=tomb)
    keep = latest_mask(codes, ranked, ["versionnumber", "sinkmodifiedon", "_tomb"])
    keep &= ~tomb.to_numpy()
    if not keep.all():
        frame = frame[keep]
    return frame.reset_index(drop=True)


def load_export(path: Path, fmt: str = "parquet", tables: Iterable[str] | None = None) -> dict[str, pd.DataFrame]:
    """Load the six Omnichannel tables of a Dataverse export (current rows only).

    ``path`` holds one folder per table; every ``*.parquet`` / ``*.csv`` file of a folder
    is read and unioned by column name (optional columns missing from a file are
    NULL). Values are parsed per the export contract: GUIDs lower-case without braces,
    timestamps naive UTC ``datetime64[us]``, booleans ``boolean``, choice and integer
    columns ``Int64``, numbers ``float64``, empty strings NULL. Only current, undeleted
    rows with a valid GUID key are returned. ``tables`` limits the tables read (default:
    all six; :data:`METRIC_TABLES` are the ones :func:`session_facts` needs).
    """
    wanted = list(TABLES) if tables is None else list(tables)
    unknown = sorted(set(wanted) - set(TABLES))
    if unknown:
        raise ValueError(f"unknown table(s): {', '.join(unknown)}")
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ValueError(f"unsupported format {fmt!r} (parquet or csv)")
    root = Path(path)
    loaded = {}
    for table in wanted:
        frame = current_rows(_read_table(root, table, fmt), PRIMARY_KEYS[table])
        frame.attrs["absent"] = not _table_files(root / table, fmt)  # an optional table the export lacks
        loaded[table] = frame
    return loaded
