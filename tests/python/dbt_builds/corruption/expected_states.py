"""What the load must make of an export, computed from the files (the rules of docs/metrics.md ("Reading the export")
and DECISIONLOG.md), never by the dbt project:

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

import re
from collections import Counter, defaultdict
from datetime import datetime
from pathlib import Path

from .export_files import TABLE_KEYS, norm_guid, read_rows, table_files, to_bool, to_int, to_utc

SESSION_REFERENCES = {
    "msdyn_sessionparticipant": "msdyn_omnichannelsession",
    "msdyn_ocsessionsentiment": "msdyn_omnichannelsession",
    "msdyn_ocsessionparticipantevent": "msdyn_sessionid",
}
CANONICAL_GUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
CURRENT, SUPERSEDED, DELETED, QUARANTINED = "current", "superseded", "deleted", "quarantined"
NULL_KEY, MALFORMED_KEY, ORPHAN = "null primary key", "malformed primary key", "orphan: session not found"


def _version_order(row: dict[str, object]) -> tuple:
    """Sort key of a version: greatest versionnumber, latest sinkmodifiedon, NULLs last, tombstone first."""
    version = to_int(row.get("versionnumber"))
    sink = to_utc(row.get("sinkmodifiedon"))
    return (
        version is not None,
        version or 0,
        sink is not None,
        sink or datetime.min,
        bool(to_bool(row.get("isdelete"))),
    )


def expected_row_states(export: Path, fmt: str) -> dict[str, list[tuple[dict[str, object], str, str | None]]]:
    """Every raw row of every table with the load state and quarantine reason it must get."""
    rows = {table: [r for path in table_files(export, table, fmt) for r in read_rows(path)] for table in TABLE_KEYS}
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
