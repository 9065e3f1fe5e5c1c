"""Reading one table of a Parquet export into Polars: every file, columns by name, parsed per kind.

The parsing rules are docs/metrics.md's (the same as the SQL's and the pandas reference's): GUIDs
lose their braces and surrounding spaces and are lower-cased, text is trimmed of spaces, an empty
string is NULL, timestamps are naive UTC, a whole number may end in '.0...' but never in another
fraction, a value out of range is NULL (never rounded). A column missing from a file is NULL.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from omnichannel_tools.reference.parsing import DECIMAL_NUMBER, FALSE_TEXT, TRUE_TEXT, WHOLE_NUMBER
from omnichannel_tools.reference.schema import MECHANICS, REQUIRED, REQUIRED_TABLES, TABLES

DTYPES: dict[str, pl.DataType] = {
    "guid": pl.String(),
    "text": pl.String(),
    "ts": pl.Datetime("us"),
    "int": pl.Int32(),
    "bigint": pl.Int64(),
    "float": pl.Float64(),
    "bool": pl.Boolean(),
}


def _trimmed(column: pl.Expr) -> pl.Expr:
    """Text trimmed of spaces (not of other whitespace); an empty string is NULL."""
    text = column.cast(pl.String).str.strip_chars(" ")
    return pl.when(text != "").then(text)


def _guid(column: pl.Expr) -> pl.Expr:
    text = column.cast(pl.String).str.replace_all("{", "", literal=True).str.replace_all("}", "", literal=True)
    text = text.str.strip_chars(" ").str.to_lowercase()
    return pl.when(text != "").then(text)


def _timestamp(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if isinstance(dtype, pl.Datetime):
        if dtype.time_zone is not None:
            column = column.dt.convert_time_zone("UTC").dt.replace_time_zone(None)
        return column.cast(pl.Datetime("us"))
    if dtype == pl.Date:
        return column.cast(pl.Datetime("us"))
    # ISO-8601 text ('Z' or an offset allowed): to UTC, then naive.
    text = _trimmed(column)
    parsed = text.str.to_datetime(time_unit="us", time_zone="UTC", strict=False)
    return parsed.dt.replace_time_zone(None)


def _whole(column: pl.Expr, dtype: pl.DataType, target: pl.DataType) -> pl.Expr:
    if dtype == pl.Boolean or dtype.is_integer():
        return column.cast(target, strict=False)
    if dtype.is_float() or dtype.is_decimal():
        number = column.cast(pl.Float64)
        return pl.when(number == number.floor()).then(number).cast(target, strict=False)
    text = _trimmed(column)
    digits = pl.when(text.str.contains(f"^{WHOLE_NUMBER}$")).then(text.str.split(".").list.first())
    return digits.cast(target, strict=False)


def _float(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype.is_numeric():
        return column.cast(pl.Float64)
    text = _trimmed(column)
    return pl.when(text.str.contains(f"^{DECIMAL_NUMBER}$")).then(text).cast(pl.Float64, strict=False)


def _bool(column: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    if dtype == pl.Boolean:
        return column
    if dtype.is_numeric():
        return column != 0
    text = column.cast(pl.String).str.strip_chars(" ").str.to_lowercase()
    return pl.when(text.is_in(sorted(TRUE_TEXT))).then(True).when(text.is_in(sorted(FALSE_TEXT))).then(False)


def parse(column: pl.Expr, kind: str, dtype: pl.DataType) -> pl.Expr:
    """One column of one file, parsed to its kind's type."""
    if kind == "guid":
        return _guid(column)
    if kind == "text":
        return _trimmed(column)
    if kind == "ts":
        return _timestamp(column, dtype)
    if kind in ("int", "bigint"):
        return _whole(column, dtype, DTYPES[kind])
    if kind == "float":
        return _float(column, dtype)
    return _bool(column, dtype)


def _select(frame: pl.LazyFrame, schema: pl.Schema, kinds: dict[str, str]) -> pl.LazyFrame:
    """The known columns of one scan (names compared lower-case), parsed; the missing ones NULL."""
    by_lower = {name.lower(): name for name in schema.names()}
    columns = []
    for name, kind in kinds.items():
        if name in by_lower:
            source = by_lower[name]
            columns.append(parse(pl.col(source), kind, schema[source]).alias(name))
        else:
            columns.append(pl.lit(None, dtype=DTYPES[kind]).alias(name))
    return frame.select(columns)


def scan_table(root: Path, table: str, columns: list[str]) -> pl.LazyFrame:
    """The parsed ``columns`` (plus the versioning ones) of every Parquet file of one table folder.

    Files sharing one schema are read by one scan; otherwise each file is scanned and the
    parsed scans are concatenated (file order = sorted path, as the pandas reference reads).
    """
    kinds = {name: {**TABLES[table], **MECHANICS}[name] for name in [*columns, *MECHANICS]}
    folder = root / table
    files = sorted(p for p in folder.rglob("*.parquet") if p.is_file()) if folder.is_dir() else []
    if not files:
        if table in REQUIRED_TABLES:
            raise FileNotFoundError(f"no *.parquet files for table {table} under {folder}")
        return pl.LazyFrame(schema={name: DTYPES[kind] for name, kind in kinds.items()})
    schemas = [pl.read_parquet_schema(path) for path in files]
    seen = {name.lower() for schema in schemas for name in schema}
    missing = [c for c in REQUIRED[table] if c not in seen]
    if missing:
        raise ValueError(f"table {table}: required column(s) missing: {', '.join(missing)}")
    if all(schema == schemas[0] for schema in schemas):
        return _select(pl.scan_parquet(files), pl.Schema(schemas[0]), kinds)
    scans = [_select(pl.scan_parquet(path), pl.Schema(s), kinds) for path, s in zip(files, schemas, strict=True)]
    return pl.concat(scans, how="vertical")
