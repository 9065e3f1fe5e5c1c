"""Load a Dataverse export into PostgreSQL: one table per table folder, in one schema, by COPY.

On PostgreSQL the project reads the export from tables (``source('dataverse', ...)`` resolves to
``<dbt var dataverse_schema>.<table>``). This loader copies the files of an export
(``<export>/<table>/*.parquet`` or ``*.csv``) into tables of that schema, each replaced in one
transaction, streamed through ``COPY ... FROM STDIN`` (a file at a time, Parquet a record batch at
a time: memory stays flat whatever the export's size).

- Parquet keeps its types (strings text, integers integer / bigint, booleans, doubles, timestamps
  with time zone timestamptz, naive ones timestamp); CSV (header row) is loaded as text, and
  staging parses it, exactly as on DuckDB (``all_varchar``) and Spark.
- A table's files are unioned by column name: a file that lacks a column reads NULL there. A
  column whose Parquet type differs between files stops the load naming table and column.
- CSV dialect: comma, '"' quotes doubled inside a field (RFC 4180), a BOM and CRLF accepted; an
  unquoted empty field is NULL, a quoted one ''. A malformed file (a ragged row, an unterminated
  quote) stops the load naming the table and the file.
- A Dataverse table the export lacks is dropped from the schema, so that dbt reports it missing
  instead of reading a stale copy.

Connection: the dbt ``postgres`` target's environment (DBT_POSTGRES_HOST, _PORT, _USER,
_PASSWORD, _DATABASE).

CLI::

    python -m omnichannel_tools.loaders.postgres --export DIR --format parquet|csv --schema dataverse
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from omnichannel_tools.generator import TABLES
from omnichannel_tools.loaders.spark import FORMATS, export_tables

BATCH_ROWS = 65_536


def connect():  # noqa: ANN201 (psycopg2 is imported lazily: only the Postgres toolchain has it)
    """A psycopg2 connection from the dbt postgres target's environment variables."""
    import psycopg2

    return psycopg2.connect(
        host=os.environ.get("DBT_POSTGRES_HOST", "127.0.0.1"),
        port=int(os.environ.get("DBT_POSTGRES_PORT", "5432")),
        user=os.environ.get("DBT_POSTGRES_USER", "postgres"),
        password=os.environ.get("DBT_POSTGRES_PASSWORD", ""),
        dbname=os.environ.get("DBT_POSTGRES_DATABASE", "omnichannel"),
    )


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def postgres_type(arrow_type: pa.DataType) -> str:
    """The PostgreSQL column type of a Parquet (Arrow) column type."""
    if pa.types.is_boolean(arrow_type):
        return "boolean"
    if pa.types.is_integer(arrow_type):
        return "bigint" if arrow_type.bit_width > 32 or arrow_type == pa.uint32() else "integer"
    if pa.types.is_floating(arrow_type):
        return "double precision"
    if pa.types.is_decimal(arrow_type):
        return f"numeric({arrow_type.precision}, {arrow_type.scale})"
    if pa.types.is_timestamp(arrow_type):
        return "timestamp with time zone" if arrow_type.tz else "timestamp without time zone"
    if pa.types.is_date(arrow_type):
        return "date"
    return "text"


def csv_header(path: Path) -> list[str]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return next(csv.reader(handle), [])


def table_columns(table: str, files: list[Path], fmt: str) -> dict[str, str]:
    """Column name -> PostgreSQL type, the union of the files' columns in order of first appearance."""
    columns: dict[str, str] = {}
    for path in files:
        if fmt == "csv":
            found = dict.fromkeys(csv_header(path), "text")
        else:
            found = {field.name: postgres_type(field.type) for field in pq.read_schema(path)}
        for name, kind in found.items():
            if columns.setdefault(name, kind) != kind:
                raise RuntimeError(f"table {table}: column {name} is {columns[name]} in one file, {kind} in {path}")
    return columns


def parquet_csv_chunks(path: Path) -> Iterator[bytes]:
    """A Parquet file as CSV text, a record batch at a time (non-null values quoted, NULL bare)."""
    options = pacsv.WriteOptions(include_header=False, quoting_style="all_valid")
    for batch in pq.ParquetFile(path).iter_batches(batch_size=BATCH_ROWS):
        sink = io.BytesIO()
        pacsv.write_csv(pa.Table.from_batches([batch]), sink, write_options=options)
        yield sink.getvalue()


class _ChunkReader(io.RawIOBase):
    """A file-like object over chunks of bytes, for psycopg2's copy_expert (which calls read)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self._chunks, self._buffer = chunks, b""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        while size < 0 or len(self._buffer) < size:
            chunk = next(self._chunks, None)
            if chunk is None:
                break
            self._buffer += chunk
        size = len(self._buffer) if size < 0 else size
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data


def _copy_file(cursor, qualified: str, path: Path, fmt: str) -> None:  # noqa: ANN001
    if fmt == "csv":
        header = csv_header(path)
        if not header:
            return  # an empty file: nothing to load
        columns = ", ".join(quote_ident(name) for name in header)
        sql = f"copy {qualified} ({columns}) from stdin with (format csv, header true, quote '\"', escape '\"')"
        with path.open("rb") as handle:
            if handle.read(3) != b"\xef\xbb\xbf":
                handle.seek(0)
            cursor.copy_expert(sql, handle, size=1 << 20)
    else:
        names = pq.read_schema(path).names
        columns = ", ".join(quote_ident(name) for name in names)
        sql = f"copy {qualified} ({columns}) from stdin with (format csv)"
        cursor.copy_expert(sql, _ChunkReader(parquet_csv_chunks(path)), size=1 << 20)


def load_export(connection, export: Path, fmt: str, schema: str) -> dict[str, int]:  # noqa: ANN001
    """Replace the export's tables in schema; return the rows loaded per table."""
    import psycopg2

    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if not export.is_dir():
        raise FileNotFoundError(f"export folder not found: {export}")
    tables = export_tables(export, fmt)
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute(f"create schema if not exists {quote_ident(schema)}")
        connection.commit()
        for table, files in tables.items():
            qualified = f"{quote_ident(schema)}.{quote_ident(table)}"
            columns = table_columns(table, files, fmt)
            definition = ", ".join(f"{quote_ident(name)} {kind}" for name, kind in columns.items())
            cursor.execute(f"drop table if exists {qualified}")
            cursor.execute(f"create table {qualified} ({definition})")
            for path in files:
                try:
                    _copy_file(cursor, qualified, path, fmt)
                except psycopg2.Error as error:
                    connection.rollback()
                    first = (error.pgerror or str(error)).strip().splitlines()[0]
                    raise RuntimeError(f"cannot load table {table} from {path}: {first}") from error
            cursor.execute(f"analyze {qualified}")
            cursor.execute(f"select count(*) from {qualified}")
            counts[table] = int(cursor.fetchone()[0])
            connection.commit()
        for table in TABLES:
            if table not in tables:
                cursor.execute(f"drop table if exists {quote_ident(schema)}.{quote_ident(table)}")
                print(f"{table}: no *.{fmt} files in {export / table}; table dropped", file=sys.stderr)
        connection.commit()
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m omnichannel_tools.loaders.postgres --export DIR ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m omnichannel_tools.loaders.postgres",
        description="Copy a Dataverse export's files into PostgreSQL tables of one schema (COPY, streamed).",
    )
    parser.add_argument("--export", type=Path, required=True, help="root folder of the export")
    parser.add_argument("--format", choices=FORMATS, default="parquet")
    parser.add_argument("--schema", default="dataverse", help="the dbt var dataverse_schema")
    args = parser.parse_args(argv)
    connection = connect()
    try:
        counts = load_export(connection, args.export.resolve(), args.format, args.schema)
    except (FileNotFoundError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    for table, rows in counts.items():
        print(f"{args.schema}.{table}: {rows} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
