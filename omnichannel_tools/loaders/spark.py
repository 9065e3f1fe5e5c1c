"""Load a Dataverse export into Spark: one managed table per table folder, in one schema.

On Spark the project reads the export from tables (``source('dataverse', ...)`` resolves to
``<dbt var dataverse_schema>.<table>``), not from files. This loader registers the files of an
export (``<export>/<table>/*.parquet`` or ``*.csv``) as managed tables of that schema, in the
catalog of the dbt ``spark`` target (see omnichannel_tools.loaders.spark_session): the tables are
copies, so the warehouse never depends on the files' paths.

- Parquet is read typed; CSV (header row) is read as all-text, and staging parses it, exactly
  as on DuckDB (``all_varchar``).
- A table's files are unioned by column name: a file that lacks a column (an older export,
  schema drift) reads NULL there. Files are grouped by identical schema (Parquet) or header
  (CSV), each group read at once, and the groups unioned with ``allowMissingColumns``.
- CSV dialect: comma, '"' quotes doubled inside a field (RFC 4180), as DuckDB reads it; a
  malformed file (a ragged row, an unterminated quote) stops the load naming the table.
- A Synapse Link CDM container (``cdm``) and Fabric Link Delta tables (``delta``) are read by
  omnichannel_tools.lake, with the dbt project's rules (the partitions model.json lists, the
  incremental folders but the one in progress, headerless rows as text; a Delta table's current
  snapshot through its log), and handed to Spark as Arrow tables: each table passes through the
  driver's memory. ``auto`` detects the format as the dbt project does.
- A Dataverse table the export lacks is dropped from the schema, so that dbt reports it
  missing instead of reading a stale copy.

CLI::

    python -m omnichannel_tools.loaders.spark --export DIR --format auto|parquet|csv|cdm|delta --schema dataverse
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from functools import reduce
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow.parquet as pq

from omnichannel_tools import lake
from omnichannel_tools.generator import TABLES
from omnichannel_tools.loaders.spark_session import spark_session

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

FORMATS = ("auto", *lake.FORMATS)
FILE_FORMATS = ("parquet", "csv")  # read by Spark itself; the lake layouts through omnichannel_tools.lake


def export_tables(export: Path, fmt: str) -> dict[str, list[Path]]:
    """Table name -> its files (sorted), for every folder of the export holding *.<fmt> files."""
    tables = {}
    for folder in sorted(path for path in export.iterdir() if path.is_dir()):
        files = sorted(folder.glob(f"*.{fmt}"))
        if files:
            tables[folder.name] = files
    return tables


def _csv_header(path: Path) -> tuple[str, ...]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        return tuple(next(csv.reader(handle), ()))


def _parquet_schema(path: Path) -> str:
    return str(pq.read_schema(path).remove_metadata())


def _groups(files: list[Path], signature) -> list[list[Path]]:
    """Files grouped by signature, in order of first appearance."""
    grouped: dict[object, list[Path]] = {}
    for path in files:
        grouped.setdefault(signature(path), []).append(path)
    return list(grouped.values())


def _read_group(spark: SparkSession, files: list[Path], fmt: str) -> DataFrame:
    paths = [str(path) for path in files]
    if fmt == "parquet":
        return spark.read.parquet(*paths)
    from pyspark.sql.types import StringType, StructField, StructType

    header = _csv_header(files[0])
    schema = StructType([StructField(name, StringType(), True) for name in header])
    return (
        spark.read.schema(schema)
        .option("header", True)
        .option("enforceSchema", True)  # the group shares this header: columns by position
        .option("escape", '"')  # RFC 4180: a quote inside a quoted field is doubled
        .option("multiLine", True)
        .option("mode", "FAILFAST")  # a ragged row or an unterminated quote stops the load
        .csv(paths)
    )


def read_table(spark: SparkSession, files: list[Path], fmt: str) -> DataFrame:
    """The rows of every file of one table, unioned by column name (missing columns are NULL)."""
    signature = _parquet_schema if fmt == "parquet" else _csv_header
    frames = [_read_group(spark, group, fmt) for group in _groups(files, signature)]
    return reduce(lambda left, right: left.unionByName(right, allowMissingColumns=True), frames)


def read_lake_table(spark: SparkSession, export: Path, table: str, fmt: str) -> DataFrame | None:
    """A CDM or Delta table read by omnichannel_tools.lake, as a Spark DataFrame; None when the export lacks it."""
    rows = lake.read_table(export, table, fmt)
    if rows is None:
        return None
    return spark.createDataFrame(rows)


def _error_summary(error: Exception) -> str:
    """The Spark error classes of an exception's message ('[MALFORMED_CSV_RECORD] ...'), else its first line."""
    lines = [line.strip() for line in str(error).splitlines()]
    found = (re.search(r"\[[A-Z_.]+\]", line) for line in lines)
    unique = list(dict.fromkeys(match.string[match.start() :] for match in found if match))
    return "\n".join(unique[:3]) if unique else (lines[0] if lines else type(error).__name__)


def load_export(spark: SparkSession, export: Path, fmt: str, schema: str) -> dict[str, int]:
    """Replace the export's tables in schema; return the rows loaded per table."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {fmt!r}")
    if not export.is_dir():
        raise FileNotFoundError(f"export folder not found: {export}")
    fmt = lake.resolve_format(export, fmt)  # a LakeError (ValueError) names what auto found
    spark.sql(f"create database if not exists `{schema}`")
    counts: dict[str, int] = {}
    if fmt in FILE_FORMATS:
        frames = {
            table: (lambda files=files: read_table(spark, files, fmt))
            for table, files in export_tables(export, fmt).items()
        }
    else:
        frames = {table: (lambda table=table: read_lake_table(spark, export, table, fmt)) for table in TABLES}
    loaded = set()
    for table, frame in frames.items():
        qualified = f"`{schema}`.`{table}`"
        try:
            data = frame()
            if data is None:
                continue
            data.write.mode("overwrite").format("parquet").saveAsTable(qualified)
        except lake.LakeError:
            raise
        except Exception as error:  # Spark reads lazily: a bad file surfaces here
            raise RuntimeError(
                f"cannot load table {table} from the {fmt} export in {export}:\n" + _error_summary(error)
            ) from error
        loaded.add(table)
        counts[table] = spark.table(qualified).count()
    for table in TABLES:
        if table not in loaded:
            spark.sql(f"drop table if exists `{schema}`.`{table}`")
            print(f"{table}: not in the {fmt} export {export}; table dropped", file=sys.stderr)
    return counts


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m omnichannel_tools.loaders.spark --export DIR ...``."""
    parser = argparse.ArgumentParser(
        prog="python -m omnichannel_tools.loaders.spark",
        description="Register a Dataverse export's files as managed Spark tables of one schema.",
    )
    parser.add_argument("--export", type=Path, required=True, help="root folder of the export")
    parser.add_argument("--format", choices=FORMATS, default="auto")
    parser.add_argument("--schema", default="dataverse", help="the dbt var dataverse_schema")
    args = parser.parse_args(argv)
    spark = spark_session()
    try:
        counts = load_export(spark, args.export.resolve(), args.format, args.schema)
    except (FileNotFoundError, RuntimeError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    finally:
        spark.stop()
    for table, rows in counts.items():
        print(f"{args.schema}.{table}: {rows} rows", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
