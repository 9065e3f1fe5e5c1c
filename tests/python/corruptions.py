"""Helpers of the corruption suite: edit a Dataverse export, and read it back independently.

Nothing here reads the dbt project. What the load must make of an export (the load state of
every raw row, the raw row counts) is computed from the files themselves, in Python, with the
rules of spec/dataverse-export.md and DECISIONLOG.md:

- keys compare after normalisation (trimmed, lower case, no braces); a NULL key, or one that
  is not a canonical 8-4-4-4-12 hex GUID, is quarantined ('null primary key' /
  'malformed primary key');
- per key the current row has the greatest versionnumber, then the latest sinkmodifiedon
  (NULLs last in both), a tombstone winning a remaining tie; a key whose current row is a
  tombstone is deleted (every row of it), the other rows of a living key are superseded;
- the current row of a participant or sentiment whose session is not a current session is
  quarantined ('orphan: session not found').
"""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq

from omnichannel_tools.reference import PRIMARY_KEYS as TABLE_KEYS

SESSION_REFERENCES = {
    "msdyn_sessionparticipant": "msdyn_omnichannelsession",
    "msdyn_ocsessionsentiment": "msdyn_omnichannelsession",
}
CANONICAL_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
ISO_TS = re.compile(
    r"(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?\s*(Z|[+-]\d\d:?\d\d)?")

CURRENT, SUPERSEDED, DELETED, QUARANTINED = "current", "superseded", "deleted", "quarantined"
NULL_KEY, MALFORMED_KEY, ORPHAN = "null primary key", "malformed primary key", "orphan: session not found"


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
            value = value.astimezone(timezone.utc).replace(tzinfo=None)
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


def write_csv_file(path: Path, header: list[str], records: Iterable[list[object]], *,
                   bom: bool = False, line_end: str = "\n", quote_all: bool = False) -> None:
    """Write a CSV file; None is written as an empty field."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator=line_end,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
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
    return [dict(zip(names, record)) for record in records]


def raw_row_counts(export: Path, fmt: str) -> dict[str, int]:
    """Raw rows per table, counted from the files (not by DuckDB)."""
    return {table: sum(len(read_rows(path)) for path in table_files(export, table, fmt))
            for table in TABLE_KEYS}


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


# --------------------------------------------------------------------------- expected states
def _version_order(row: dict[str, object]) -> tuple:
    """Sort key of a version: greatest versionnumber, latest sinkmodifiedon, NULLs last, tombstone first."""
    version = to_int(row.get("versionnumber"))
    sink = to_utc(row.get("sinkmodifiedon"))
    return (version is not None, version or 0, sink is not None, sink or datetime.min,
            bool(to_bool(row.get("isdelete"))))


def expected_row_states(export: Path, fmt: str) -> dict[str, list[tuple[dict[str, object], str, str | None]]]:
    """Every raw row of every table with the load state and quarantine reason it must get."""
    rows = {table: [r for path in table_files(export, table, fmt) for r in read_rows(path)]
            for table in TABLE_KEYS}
    states: dict[str, list[tuple[dict[str, object], str, str | None]]] = {}
    current_sessions: set[str] = set()
    # Sessions first: a child row is an orphan unless its session is a current session.
    for table in sorted(TABLE_KEYS, key=lambda t: t != "msdyn_ocsession"):
        key_column = TABLE_KEYS[table]
        out: list[tuple[dict[str, object], str, str | None]] = []
        by_key: dict[str, list[dict[str, object]]] = defaultdict(list)
        for row in rows[table]:
            key = norm_guid(row.get(key_column))
            if key is None:
                out.append((row, QUARANTINED, NULL_KEY))
            elif not CANONICAL_GUID.fullmatch(key):
                out.append((row, QUARANTINED, MALFORMED_KEY))
            else:
                by_key[key].append(row)
        for key, versions in by_key.items():
            versions = sorted(versions, key=_version_order, reverse=True)
            top = versions[0]
            if to_bool(top.get("isdelete")):
                out.extend((row, DELETED, None) for row in versions)
                continue
            reference = SESSION_REFERENCES.get(table)
            if reference and norm_guid(top.get(reference)) not in current_sessions:
                out.append((top, QUARANTINED, ORPHAN))
            else:
                out.append((top, CURRENT, None))
                if table == "msdyn_ocsession":
                    current_sessions.add(key)
            out.extend((row, SUPERSEDED, None) for row in versions[1:])
        states[table] = out
    return states


def expected_audit(export: Path, fmt: str) -> Counter:
    """Counter of (table, load_state, quarantine_reason) -> raw rows, as dataverse_load_audit must hold."""
    audit: Counter = Counter()
    for table, rows in expected_row_states(export, fmt).items():
        for _row, state, reason in rows:
            audit[(table, state, reason)] += 1
    return audit


# --------------------------------------------------------------------------- warehouse
def query(warehouse: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def relation_columns(warehouse: Path, relation: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [c[0] for c in con.execute(f"describe select * from {relation}").fetchall()]


def relation_rows(warehouse: Path, relation: str) -> list[tuple]:
    """All rows of a relation, ordered by every column."""
    return query(warehouse, f"select * from {relation} order by all")


def relations(warehouse: Path) -> list[str]:
    return [r[0] for r in query(
        warehouse,
        "select table_name from information_schema.tables where table_schema = 'main' order by 1")]


def loaded_audit(warehouse: Path) -> Counter:
    return Counter({(t, s, r): n for t, s, r, n in query(
        warehouse, "select table_name, load_state, quarantine_reason, raw_rows from dataverse_load_audit")})


def faults(warehouse: Path) -> set[tuple[str, str, str, str | None]]:
    return set(query(warehouse, "select table_name, record_id, fault, detail from dataverse_data_faults"))


def same_rows(left: list[tuple], right: list[tuple], rel: float = 1e-12) -> bool:
    """Row-for-row equality; floats equal to rel (a floating sum may differ in its last bits with
    the order of summation: DECISIONLOG, 'Duration sums'); everything else exactly."""
    if len(left) != len(right):
        return False
    for a_row, b_row in zip(left, right):
        if len(a_row) != len(b_row):
            return False
        for a, b in zip(a_row, b_row):
            if isinstance(a, float) and isinstance(b, float):
                if not math.isclose(a, b, rel_tol=rel, abs_tol=1e-9):
                    return False
            elif a != b:
                return False
    return True


def rows_by_key(warehouse: Path, relation: str, key: str) -> tuple[list[str], dict[object, tuple]]:
    columns = relation_columns(warehouse, relation)
    index = columns.index(key)
    rows = relation_rows(warehouse, relation)
    keyed = {row[index]: row for row in rows}
    assert len(keyed) == len(rows), f"{relation}.{key} is not unique"
    return columns, keyed


# --------------------------------------------------------------------------- picking targets
class Picker:
    """Hands out distinct sessions of a baseline warehouse matching a condition, deterministically."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = warehouse
        self.used: set[str] = set()

    def sessions(self, condition: str, n: int = 1, among: set[str] | None = None,
                 where: Callable[[str], bool] | None = None) -> list[str]:
        """n sessions of fct_sessions where the SQL condition holds (and in among, and where(session))."""
        candidates = [r[0] for r in query(
            self.warehouse, f"select session_id from fct_sessions where {condition} order by session_id")]
        chosen = [s for s in candidates if s not in self.used
                  and (among is None or s in among) and (where is None or where(s))][:n]
        assert len(chosen) == n, f"the baseline has too few sessions where {condition}"
        self.used.update(chosen)
        return chosen

    def one(self, condition: str, among: set[str] | None = None,
            where: Callable[[str], bool] | None = None) -> str:
        return self.sessions(condition, 1, among, where)[0]


class CsvTable:
    """One CSV file of an export, as header and text records, to edit and write back."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.header, self.records = read_csv_file(path)

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
