"""Apply a realistic incremental change to a Parquet export, as the next Synapse Link sync would.

Appends one new file per table (``part-change-<seed>.parquet``), every row written to the lake
after everything already there (sinkmodifiedon above the export's latest), with:
- new versions of a share of existing sessions (open sessions closed; closed ones re-coded),
- brand-new conversations with their sessions, participants and sentiments,
- tombstones for a few sessions and participants,
- late participant and sentiment rows for existing sessions.
Used by the incremental-equals-full-refresh test and by the benchmark.
"""

from __future__ import annotations

import argparse
import tempfile
from datetime import timedelta
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from omnichannel_tools.generator import SCHEMAS, TABLES, generate_export

CLOSED_STATE = 192350002
AGENT_CLOSED = 192350004
AGENT_TRANSFERRED = 192350006
PRIMARY = 192350002
CONSULT = 192350003


def _read(export: Path, table: str) -> pa.Table:
    return ds.dataset(export / table, format="parquet").to_table()


def _latest_rows(table: pa.Table, key: str) -> pa.Table:
    """The row with the greatest versionnumber of every key."""
    order = pc.sort_indices(table, sort_keys=[(key, "ascending"), ("versionnumber", "descending")])
    table = table.take(order)
    keys = table.column(key).to_numpy(zero_copy_only=False)
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return table.filter(pa.array(first))


def _uuids(rng: np.random.Generator, n: int) -> pa.Array:
    raw = rng.integers(0, 256, size=(n, 16), dtype=np.uint8)
    hexes = [row.tobytes().hex() for row in raw]
    return pa.array([f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}" for h in hexes])


def _set(table: pa.Table, name: str, values: pa.Array | np.ndarray) -> pa.Table:
    field = table.schema.field(name)
    return table.set_column(table.schema.get_field_index(name), field, pa.array(values, type=field.type))


def _stamp(table: pa.Table, version: int, written_at: np.datetime64, deleted: bool = False) -> pa.Table:
    """Rows written to the lake now: version numbers from ``version`` on, in the rows' own version order."""
    n = table.num_rows
    previous = table.column("versionnumber").to_numpy(zero_copy_only=False)
    order = np.argsort(np.nan_to_num(previous.astype("float64"), nan=-1.0), kind="stable")
    versions = np.empty(n, dtype=np.int64)
    versions[order] = np.arange(version, version + n, dtype=np.int64)
    table = _set(table, "versionnumber", versions)
    table = _set(table, "sinkmodifiedon", np.full(n, written_at, dtype="datetime64[us]"))
    return _set(table, "isdelete", np.full(n, deleted))


def _tombstones(rows: pa.Table, key: str, version: int, written_at: np.datetime64) -> pa.Table:
    """Rows that carry only the key and the export mechanics: the key is deleted."""
    empty = {name: pa.nulls(rows.num_rows, rows.schema.field(name).type) for name in rows.schema.names}
    empty[key] = rows.column(key)
    table = pa.table(empty, schema=rows.schema)
    return _stamp(table, version, written_at, deleted=True)


def apply_change(export: Path, fraction: float = 0.01, seed: int = 1) -> dict[str, int]:
    """Append a change touching about ``fraction`` of the sessions; return rows appended per table."""
    export = Path(export)
    rng = np.random.default_rng(seed)
    sessions = _latest_rows(_read(export, "msdyn_ocsession"), "activityid")
    sessions = sessions.filter(pc.invert(pc.fill_null(sessions.column("isdelete"), False)))
    participants = _latest_rows(_read(export, "msdyn_sessionparticipant"), "msdyn_sessionparticipantid")
    participants = participants.filter(pc.invert(pc.fill_null(participants.column("isdelete"), False)))
    latest_write = max(pc.max(_read(export, table).column("sinkmodifiedon")).as_py() for table in TABLES)
    written_at = np.datetime64(latest_write.replace(tzinfo=None) + timedelta(hours=1), "us")
    version = int(max(pc.max(_read(export, table).column("versionnumber")).as_py() for table in TABLES)) + 1
    n_changed = max(1, int(sessions.num_rows * fraction))
    appended: dict[str, list[pa.Table]] = {table: [] for table in TABLES}

    # New versions of existing sessions: open ones get closed, closed ones re-coded.
    picked = sessions.take(rng.choice(sessions.num_rows, size=n_changed, replace=False))
    created = picked.column("msdyn_sessioncreatedon").to_numpy(zero_copy_only=False).astype("datetime64[us]")
    closed = picked.column("msdyn_sessionclosedon").to_numpy(zero_copy_only=False).astype("datetime64[us]")
    closed = np.where(np.isnat(closed), created + np.timedelta64(900, "s"), closed)
    updated = _set(picked, "msdyn_sessionclosedon", closed)
    updated = _set(updated, "msdyn_state", np.full(n_changed, CLOSED_STATE, dtype=np.int32))
    recoded = np.where(rng.random(n_changed) < 0.5, AGENT_CLOSED, AGENT_TRANSFERRED).astype(np.int32)
    updated = _set(updated, "msdyn_closurereason", recoded)
    appended["msdyn_ocsession"].append(_stamp(updated, version, written_at))
    version += n_changed

    # Tombstones: a tenth of the changed share of sessions and of participants.
    n_deleted = max(1, n_changed // 10)
    doomed = sessions.take(rng.choice(sessions.num_rows, size=n_deleted, replace=False))
    appended["msdyn_ocsession"].append(_tombstones(doomed, "activityid", version, written_at))
    version += n_deleted
    doomed_participants = participants.take(rng.choice(participants.num_rows, size=n_deleted, replace=False))
    appended["msdyn_sessionparticipant"].append(
        _tombstones(doomed_participants, "msdyn_sessionparticipantid", version, written_at)
    )
    version += n_deleted

    # Late rows: consult participants and sentiment readings for existing sessions.
    late = participants.take(rng.choice(participants.num_rows, size=n_deleted * 2, replace=False))
    late = _set(late, "msdyn_sessionparticipantid", _uuids(rng, late.num_rows))
    late = _set(late, "msdyn_mode", np.full(late.num_rows, CONSULT, dtype=np.int32))
    appended["msdyn_sessionparticipant"].append(_stamp(late, version, written_at))
    version += late.num_rows
    sentiment_schema = SCHEMAS["msdyn_ocsessionsentiment"]
    targets = picked.slice(0, max(1, n_changed // 3))
    pulse = rng.uniform(0, 100, targets.num_rows)
    sentiments = pa.table(
        {
            "msdyn_ocsessionsentimentid": _uuids(rng, targets.num_rows),
            "msdyn_omnichannelsession": targets.column("activityid"),
            "msdyn_sentimentpulse": pulse,
            "msdyn_sentimentzone": np.where(pulse < 45, "Negative", np.where(pulse < 55, "Neutral", "Positive")),
            "createdon": pa.array(np.full(targets.num_rows, written_at), type=pa.timestamp("us", tz="UTC")),
            "versionnumber": np.zeros(targets.num_rows, dtype=np.int64),
            "sinkmodifiedon": pa.array(np.full(targets.num_rows, written_at), type=pa.timestamp("us", tz="UTC")),
            "isdelete": np.zeros(targets.num_rows, dtype=bool),
        }
    ).cast(sentiment_schema)
    appended["msdyn_ocsessionsentiment"].append(_stamp(sentiments, version, written_at))
    version += targets.num_rows

    # Brand-new conversations: a small generated export, every row written now.
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh"
        generate_export(fresh, sessions=max(1, n_changed // 2), seed=seed + 1_000_003, fmt="parquet")
        for table in TABLES:
            rows = _read(fresh, table)
            if table in ("systemuser", "queue"):
                continue  # the new conversations use their own agents and queues below
            appended[table].append(_stamp(rows, version, written_at))
            version += rows.num_rows
        for table in ("systemuser", "queue"):
            appended[table].append(_stamp(_read(fresh, table), version, written_at))
            version += _read(fresh, table).num_rows

    counts: dict[str, int] = {}
    for table, parts in appended.items():
        combined = pa.concat_tables([part.cast(SCHEMAS[table]) for part in parts])
        pq.write_table(combined, export / table / f"part-change-{seed:04d}.parquet")
        counts[table] = combined.num_rows
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--export", type=Path, required=True)
    parser.add_argument("--fraction", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    for table, rows in apply_change(args.export, args.fraction, args.seed).items():
        print(f"{table}: {rows} rows appended")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
