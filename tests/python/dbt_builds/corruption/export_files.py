"""Reading and editing an export's files, independently of the dbt project.

Values are read the way docs/metrics.md ("Reading the export") says an export writes them: GUIDs compare after
normalisation (trimmed, lower case, no braces), integers and timestamps may arrive as text.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from omnichannel_tools.reference import PRIMARY_KEYS as TABLE_KEYS

ISO_TS = re.compile(r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?")


# --------------------------------------------------------------------------- values
def norm_guid(value: object) -> str | None:
    """A GUID as every comparison must see it: no braces, trimmed, lower case; '' is NULL."""
    if value is None:
        return None
    text = str(value).replace("{", "").replace("}", "").strip().lower()
    return text or None


def to_int(value: object) -> int | None:
    """An integer as exported: an int, or text such as ' 12 ' or '192350004.0'."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text:
        return None
    try:
        return int(text)
    except ValueError:
        try:
            number = float(text)
        except ValueError:
            return None
        return int(number) if number.is_integer() else None


def to_utc(value: object) -> datetime | None:
    """A timestamp as exported (a datetime, or ISO-8601 text) as a naive UTC datetime (µs)."""
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value
    match = ISO_TS.fullmatch(str(value).strip())
    if not match:
        return None
    year, month, day, hour, minute, second, fraction, offset = match.groups()
    micros = int((fraction or "0")[:6].ljust(6, "0"))
    moment = datetime(int(year), int(month), int(day), int(hour), int(minute), int(second), micros)
    if offset and offset != "Z":
        sign = 1 if offset[0] == "+" else -1
        digits = offset[1:].replace(":", "")
        moment -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return moment


def to_bool(value: object) -> bool | None:
    """A boolean as exported: a bool, or True/False, true/false, 1/0 text."""
    if value is None or isinstance(value, bool):
        return value
    return {"true": True, "1": True, "false": False, "0": False}.get(str(value).strip().lower())


def iso_z(moment: datetime, digits: int = 7) -> str:
    """A naive UTC datetime as Synapse Link writes it to CSV: 2025-03-01T10:00:00.1234560Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%f")[: 20 + min(digits, 6)] + "0" * max(digits - 6, 0) + "Z"


# --------------------------------------------------------------------------- files
def table_files(export: Path, table: str, fmt: str) -> list[Path]:
    """The files of a table the pipeline reads: <export>/<table>/*.<fmt>."""
    return sorted((export / table).glob(f"*.{fmt}"))


def read_csv_file(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and records of a CSV file (BOM, CRLF, quoted newlines understood); empty file: ([], [])."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        records = list(csv.reader(handle))
    if not records:
        return [], []
    return records[0], records[1:]


def write_csv_file(
    path: Path,
    header: list[str],
    records: Iterable[list[object]],
    *,
    bom: bool = False,
    line_end: str = "\n",
    quote_all: bool = False,
) -> None:
    """Write a CSV file; None is written as an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    writer.writerow(header)
    for record in records:
        writer.writerow(["" if v is None else v for v in record])
    data = buffer.getvalue().encode("utf-8")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + data)


def read_rows(path: Path) -> list[dict[str, object]]:
    """Every raw row of one file as a dict (column names lower case); CSV values are text."""
    if path.suffix == ".parquet":
        return [{k.lower(): v for k, v in row.items()} for row in pq.read_table(path).to_pylist()]
    header, records = read_csv_file(path)
    names = [name.lower() for name in header]
    return [dict(zip(names, record, strict=False)) for record in records]  # a ragged record as it is read


def raw_row_counts(export: Path, fmt: str) -> dict[str, int]:
    """Raw rows per table, counted from the files (not by DuckDB)."""
    return {table: sum(len(read_rows(path)) for path in table_files(export, table, fmt)) for table in TABLE_KEYS}


def read_parquet_rows(path: Path) -> tuple[pa.Schema, list[dict[str, object]]]:
    table = pq.read_table(path)
    return table.schema, table.to_pylist()


def write_parquet_rows(path: Path, schema: pa.Schema, rows: list[dict[str, object]]) -> None:
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)


def copy_export(source: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    return target


class CsvTable:
    """One CSV file of an export, as header and text records, to edit and write back."""

    def __init__(self, path: Path, header: list[str] | None = None, records: list[list[str]] | None = None) -> None:
        """The file at ``path`` as it is, or (header and records given) a new file to write there."""
        self.path = path
        if header is None:
            self.header, self.records = read_csv_file(path)
        else:
            self.header, self.records = header, records or []

    def col(self, name: str) -> int:
        return [h.lower() for h in self.header].index(name)

    def where(self, column: str, predicate: Callable[[str], bool]) -> list[list[str]]:
        index = self.col(column)
        return [r for r in self.records if predicate(r[index])]

    def get(self, record: list[str], column: str) -> str:
        return record[self.col(column)]

    def set(self, record: list[str], column: str, value: object) -> None:
        record[self.col(column)] = "" if value is None else str(value)

    def append(self, values: dict[str, object]) -> list[str]:
        record = ["" if values.get(h.lower()) is None else str(values[h.lower()]) for h in self.header]
        self.records.append(record)
        return record

    def drop_column(self, name: str) -> None:
        index = self.col(name)
        self.header.pop(index)
        for record in self.records:
            record.pop(index)

    def write(self, path: Path | None = None, **options: object) -> None:
        write_csv_file(path or self.path, self.header, self.records, **options)
