"""Independent pandas reference implementation of the session metrics.

This module recomputes the session fact and the additive metric parts straight from a
Dataverse export (one folder per table, Parquet or CSV), following the binding
definitions in ``session-metrics.md`` and the input contract in
``dataverse-export.md``. It deliberately shares no code with the dbt models: it is a
correctness oracle for the tests and the "pandas peer" of the benchmark.

Everything is vectorised (no per-row Python loops), so it scales to millions of
sessions.

Command line::

    python -m omnichannel_tools.reference --export DIR [--format parquet|csv]
        [--reporting-timezone UTC] [--include-entity-records]

prints the column totals of :func:`metric_parts` as JSON.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import Callable, Iterable, Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

# --------------------------------------------------------------------------------------
# Constants from the specs
# --------------------------------------------------------------------------------------

MODE_PRIMARY = 192350002
STATE_CLOSED = 192350002
CHANNEL_ENTITY_RECORDS = 192350000
CLOSURE_REJECT = 192350001
CLOSURE_TIMEOUT = 192350002
CLOSURE_TRANSFER = (192350006, 192350010)

DEFAULT_SEED = Path(__file__).resolve().parents[1] / "seeds" / "dataverse_closure_reasons.csv"

GUID_PATTERN = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
TRUE_TEXT = frozenset({"true", "1", "t", "yes", "y"})
FALSE_TEXT = frozenset({"false", "0", "f", "no", "n"})

# Column kinds: guid, text, ts (timestamp), int (choice / bigint), float, bool.
MECHANICS: dict[str, str] = {"versionnumber": "int", "sinkmodifiedon": "ts", "isdelete": "bool"}

TABLES: dict[str, dict[str, str]] = {
    "msdyn_ocsession": {
        "activityid": "guid",
        "msdyn_sessionid": "text",
        "msdyn_liveworkitemid": "guid",
        "msdyn_queueid": "guid",
        "msdyn_channel": "int",
        "msdyn_channelinstanceid": "guid",
        "msdyn_sessioncreatedon": "ts",
        "msdyn_agentassignedon": "ts",
        "msdyn_agentacceptedon": "ts",
        "msdyn_sessionclosedon": "ts",
        "msdyn_state": "int",
        "msdyn_closurereason": "int",
        "statuscode": "int",
    },
    "msdyn_sessionparticipant": {
        "msdyn_sessionparticipantid": "guid",
        "msdyn_omnichannelsession": "guid",
        "msdyn_agentid": "guid",
        "msdyn_mode": "int",
        "msdyn_addedon": "ts",
        "msdyn_joinedon": "ts",
        "msdyn_lefton": "ts",
        "msdyn_leftonreason": "text",
        "msdyn_activetime": "float",
        "msdyn_externalparticipantchannel": "text",
        "msdyn_externalparticipantchanneltype": "int",
    },
    "msdyn_ocliveworkitem": {
        "activityid": "guid",
        "msdyn_isoutbound": "bool",
        "statuscode": "int",
        "msdyn_createdon": "ts",
        "msdyn_closedon": "ts",
    },
    "msdyn_ocsessionsentiment": {
        "msdyn_ocsessionsentimentid": "guid",
        "msdyn_omnichannelsession": "guid",
        "msdyn_sentimentpulse": "float",
        "msdyn_sentimentzone": "text",
        "createdon": "ts",
    },
    "systemuser": {
        "systemuserid": "guid",
        "fullname": "text",
        "msdyn_botapplicationid": "text",
    },
    "queue": {"queueid": "guid", "name": "text"},
}

PRIMARY_KEYS: dict[str, str] = {
    "msdyn_ocsession": "activityid",
    "msdyn_sessionparticipant": "msdyn_sessionparticipantid",
    "msdyn_ocliveworkitem": "activityid",
    "msdyn_ocsessionsentiment": "msdyn_ocsessionsentimentid",
    "systemuser": "systemuserid",
    "queue": "queueid",
}

# Columns without which the metrics cannot be computed; every other column is optional.
REQUIRED: dict[str, tuple[str, ...]] = {
    "msdyn_ocsession": ("activityid", "msdyn_sessioncreatedon"),
    "msdyn_sessionparticipant": (
        "msdyn_sessionparticipantid",
        "msdyn_omnichannelsession",
        "msdyn_mode",
    ),
    "msdyn_ocliveworkitem": ("activityid",),
    "msdyn_ocsessionsentiment": ("msdyn_ocsessionsentimentid", "msdyn_omnichannelsession"),
    "systemuser": ("systemuserid",),
    "queue": ("queueid",),
}

# The tables session_facts reads.
METRIC_TABLES = (
    "msdyn_ocsession",
    "msdyn_sessionparticipant",
    "msdyn_ocsessionsentiment",
    "systemuser",
)

# Only the session table must be present; a missing folder for another table is empty.
REQUIRED_TABLES = ("msdyn_ocsession",)

# Session columns the fact needs.
SESSION_COLUMNS = [
    "activityid",
    "msdyn_liveworkitemid",
    "msdyn_queueid",
    "msdyn_channel",
    "msdyn_sessioncreatedon",
    "msdyn_agentassignedon",
    "msdyn_agentacceptedon",
    "msdyn_sessionclosedon",
    "msdyn_state",
    "msdyn_closurereason",
]

GRAIN = ["session_date", "queue_id", "channel_code", "agent_id"]

FACT_COLUMNS = [
    "session_id",
    "conversation_id",
    "queue_id",
    "channel_code",
    "agent_id",
    "is_bot_session",
    "created_at",
    "assigned_at",
    "accepted_at",
    "closed_at",
    "session_date",
    "is_closed",
    "is_active",
    "is_assigned",
    "is_engaged",
    "closure_reason_code",
    "closure_reason_label",
    "is_transferred_out",
    "is_rejected",
    "is_timed_out",
    "wait_time_seconds",
    "time_to_accept_seconds",
    "time_to_reject_seconds",
    "handle_time_seconds",
    "is_handled_by_external_participant",
    "customer_sentiment_pulse",
    "customer_sentiment_zone",
]

PART_COLUMNS = [
    "total_sessions",
    "active_sessions",
    "closed_sessions",
    "engaged_sessions",
    "assigned_sessions",
    "transferred_sessions",
    "rejected_sessions",
    "timeout_sessions",
    "time_to_reject_seconds_sum",
    "time_to_reject_count",
    "time_to_accept_seconds_sum",
    "time_to_accept_count",
    "wait_time_seconds_sum",
    "wait_time_count",
    "handle_time_seconds_sum",
    "handle_time_count",
    "sentiment_pulse_sum",
    "sentiment_count",
    "external_handled_sessions",
]


# --------------------------------------------------------------------------------------
# Column parsing (one function per kind; each accepts any input dtype)
# --------------------------------------------------------------------------------------


def _as_text(values: pd.Series) -> pd.Series:
    """Cast to the pandas string dtype, keeping missing values missing."""
    if values.dtype != "str":
        values = values.astype("str")
    return values


def parse_text(values: pd.Series) -> pd.Series:
    """Text column: an empty string is NULL."""
    text = _as_text(values)
    return text.where(text != "")


def parse_guid(values: pd.Series) -> pd.Series:
    """GUID column: trimmed, braces removed, lower case; an empty string is NULL."""
    text = _as_text(values).str.strip(" \t\r\n{}").str.lower()
    return text.where(text != "")


def parse_timestamp(values: pd.Series) -> pd.Series:
    """Timestamp column to naive UTC ``datetime64[us]``.

    Accepts tz-aware or naive datetimes (naive = UTC) and ISO-8601 text with an
    optional 'Z' / '+00:00' suffix and up to 7 fractional digits. Unparseable text is
    NULL.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        result = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        result = values
    else:
        text = _as_text(values).str.strip()
        text = text.where(text != "")
        result = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        result = result.dt.tz_localize(None)
    return result.astype("datetime64[us]")


def parse_int(values: pd.Series) -> pd.Series:
    """Integer (choice / bigint) column to nullable ``Int64``; non-integers are NULL."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("Int64")
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("Int64")
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.astype("float64")
    else:
        text = _as_text(values).str.strip()
        numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
        if pd.api.types.is_integer_dtype(numbers.dtype):
            return numbers.astype("Int64")
        numbers = numbers.astype("float64")
    integral = numbers.notna() & (np.floor(numbers) == numbers)
    return numbers.where(integral).astype("Int64")


def parse_float(values: pd.Series) -> pd.Series:
    """Numeric column to ``float64`` (NaN = NULL); numbers may arrive as text."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(
        values.dtype
    ):
        return values.astype("float64")
    text = _as_text(values).str.strip()
    return pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")


def parse_bool(values: pd.Series) -> pd.Series:
    """Boolean column to nullable ``boolean``: True/False, true/false, 1/0 text."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values.dtype):
        return (values != 0).astype("boolean").mask(values.isna())
    text = _as_text(values).str.strip().str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[text.isin(TRUE_TEXT)] = True
    result[text.isin(FALSE_TEXT)] = False
    return result


PARSERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "guid": parse_guid,
    "text": parse_text,
    "ts": parse_timestamp,
    "int": parse_int,
    "float": parse_float,
    "bool": parse_bool,
}

EMPTY_DTYPES: dict[str, str] = {
    "guid": "str",
    "text": "str",
    "ts": "datetime64[us]",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
}


# --------------------------------------------------------------------------------------
# Reading files
# --------------------------------------------------------------------------------------


def _arrow_to_pandas(table: pa.Table) -> pd.DataFrame:
    """Convert an Arrow table, decoding dictionaries and decimals first."""
    columns = []
    for field, column in zip(table.schema, table.columns):
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


def _latest_mask(
    codes: np.ndarray, frame: pd.DataFrame, order: list[str]
) -> np.ndarray:
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
    keep = _latest_mask(codes, ranked, ["versionnumber", "sinkmodifiedon", "_tomb"])
    keep &= ~tomb.to_numpy()
    if not keep.all():
        frame = frame[keep]
    return frame.reset_index(drop=True)


def load_export(
    path: Path, fmt: str = "parquet", tables: Iterable[str] | None = None
) -> dict[str, pd.DataFrame]:
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
    if fmt not in ("parquet", "csv"):
        raise ValueError(f"unsupported format {fmt!r} (parquet or csv)")
    root = Path(path)
    return {
        table: current_rows(_read_table(root, table, fmt), PRIMARY_KEYS[table])
        for table in wanted
    }


# --------------------------------------------------------------------------------------
# Session fact
# --------------------------------------------------------------------------------------


def _epoch_us(values: pd.Series) -> np.ndarray:
    """Whole epoch microseconds of a datetime column; NaT gives garbage that the callers mask."""
    return values.astype("datetime64[us]").to_numpy().view("int64")


def seconds_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Exact seconds from start to end, at microsecond precision (the finest DuckDB and Spark hold).

    NULL when either end is NULL or when end is before start (a data fault).
    """
    diff = (_epoch_us(end) - _epoch_us(start)) / 1_000_000.0
    invalid = start.isna().to_numpy() | end.isna().to_numpy() | (diff < 0)
    return pd.Series(np.where(invalid, np.nan, diff), index=start.index, dtype="float64")


def _session_codes(session_ids: pd.Series, references: pd.Series) -> np.ndarray:
    """Position of each referenced session in ``session_ids`` (-1 when absent/NULL)."""
    return pd.Index(session_ids).get_indexer(references)


def _latest_per_session(
    frame: pd.DataFrame, codes: np.ndarray, order: list[str], n_sessions: int
) -> pd.DataFrame:
    """The latest row of every session (by ``order`` descending, NULLs last).

    Returns a frame aligned with the sessions (RangeIndex of ``n_sessions``), all NULL
    for a session without rows.
    """
    mask = _latest_mask(codes, frame, order)
    latest = frame[mask].set_axis(codes[mask])
    return latest.reindex(pd.RangeIndex(n_sessions))


def primary_participants(participants: pd.DataFrame, session_ids: pd.Series) -> pd.DataFrame:
    """Per session (aligned with ``session_ids``): its Primary participants' facts.

    agent_id and is_external come from the latest Primary (joinedon, then addedon,
    then participant id, all descending with NULLs last); is_external means that
    Primary has a non-empty external channel and joined. active_time_sum adds
    msdyn_activetime over all Primaries (NULL or negative counts 0).
    """
    needed = [
        "msdyn_omnichannelsession",
        "msdyn_agentid",
        "msdyn_joinedon",
        "msdyn_addedon",
        "msdyn_sessionparticipantid",
        "msdyn_activetime",
        "msdyn_externalparticipantchannel",
    ]
    primary = participants.loc[_flag(participants["msdyn_mode"].eq(MODE_PRIMARY)), needed]
    codes = _session_codes(session_ids, primary["msdyn_omnichannelsession"])
    n = len(session_ids)
    latest = _latest_per_session(
        primary, codes, ["msdyn_joinedon", "msdyn_addedon", "msdyn_sessionparticipantid"], n
    )
    active = primary["msdyn_activetime"].to_numpy(dtype="float64", na_value=np.nan)
    active = np.where(np.isnan(active) | (active < 0), 0.0, active)
    found = codes >= 0
    active_sum = np.bincount(codes[found], weights=active[found], minlength=n)
    return pd.DataFrame(
        {
            "agent_id": _as_text(latest["msdyn_agentid"]),
            "is_external": (
                latest["msdyn_externalparticipantchannel"].notna()
                & latest["msdyn_joinedon"].notna()
            ).to_numpy(dtype=bool),
            "active_time_sum": active_sum,
        }
    )


def latest_sentiment(sentiment: pd.DataFrame, session_ids: pd.Series) -> pd.DataFrame:
    """Per session (aligned with ``session_ids``): pulse and zone of the latest
    sentiment row (createdon, then sentiment id, descending, NULLs last)."""
    codes = _session_codes(session_ids, sentiment["msdyn_omnichannelsession"])
    order = ["createdon", "msdyn_ocsessionsentimentid"]
    needed = sentiment[[*order, "msdyn_sentimentpulse", "msdyn_sentimentzone"]]
    latest = _latest_per_session(needed, codes, order, len(session_ids))
    return latest[["msdyn_sentimentpulse", "msdyn_sentimentzone"]]


def bot_user_ids(systemusers: pd.DataFrame) -> pd.Index:
    """Ids of the system users that are bots (non-empty msdyn_botapplicationid)."""
    bots = systemusers["msdyn_botapplicationid"].notna()
    return pd.Index(systemusers.loc[bots, "systemuserid"])


def closure_labels(seed: Path = DEFAULT_SEED) -> pd.Series:
    """Closure reason label by code, from the glossary seed."""
    glossary = pd.read_csv(seed, dtype={"code": "int64", "label": "str"})
    return glossary.set_index("code")["label"]


def _label_closure(codes: pd.Series, labels: pd.Series) -> pd.Series:
    """Label each code; 'Unknown' for a code the glossary lacks, NULL for NULL."""
    mapped = codes.astype("float64").map(labels.set_axis(labels.index.astype("float64")))
    mapped = _as_text(mapped)
    return mapped.where(codes.isna().to_numpy() | mapped.notna().to_numpy(), "Unknown")


def session_date(created_at: pd.Series, reporting_timezone: str = "UTC") -> pd.Series:
    """Calendar date of a UTC timestamp in the reporting time zone (midnight datetime)."""
    local = created_at
    if reporting_timezone.upper() != "UTC":
        local = created_at.dt.tz_localize("UTC").dt.tz_convert(reporting_timezone)
        local = local.dt.tz_localize(None)
    return local.dt.normalize().astype("datetime64[us]")


def _flag(values: pd.Series) -> pd.Series:
    """A never-NULL boolean flag: an unknown fact is false."""
    return values.fillna(False).astype(bool)


def in_scope_sessions(
    sessions: pd.DataFrame, exclude_entity_records: bool = True
) -> pd.DataFrame:
    """Current sessions in scope: not on the Entity Records channel (unless switched
    off); a session with no channel is in scope."""
    sessions = sessions[SESSION_COLUMNS]
    if exclude_entity_records:
        sessions = sessions[~_flag(sessions["msdyn_channel"].eq(CHANNEL_ENTITY_RECORDS))]
    return sessions.reset_index(drop=True)


def session_status(sessions: pd.DataFrame, closure_seed: Path = DEFAULT_SEED) -> pd.DataFrame:
    """Lifecycle flags and closure reason of each session."""
    code = sessions["msdyn_closurereason"]
    is_closed = _flag(
        sessions["msdyn_sessionclosedon"].notna() | sessions["msdyn_state"].eq(STATE_CLOSED)
    )
    return pd.DataFrame(
        {
            "is_closed": is_closed,
            "is_active": ~is_closed,
            "is_assigned": sessions["msdyn_agentassignedon"].notna(),
            "is_engaged": sessions["msdyn_agentacceptedon"].notna(),
            "closure_reason_code": code,
            "closure_reason_label": _label_closure(code, closure_labels(closure_seed)),
            "is_transferred_out": _flag(code.isin(CLOSURE_TRANSFER)),
            "is_rejected": _flag(code.eq(CLOSURE_REJECT)),
            "is_timed_out": _flag(code.eq(CLOSURE_TIMEOUT)),
        }
    )


def session_durations(
    sessions: pd.DataFrame, status: pd.DataFrame, active_time_sum: pd.Series
) -> pd.DataFrame:
    """Wait, accept, reject and handle times of each session (seconds, NaN = NULL)."""
    created = sessions["msdyn_sessioncreatedon"]
    assigned = sessions["msdyn_agentassignedon"]
    accepted = sessions["msdyn_agentacceptedon"]
    closed = sessions["msdyn_sessionclosedon"]
    return pd.DataFrame(
        {
            "wait_time_seconds": seconds_between(created, accepted.fillna(closed)).where(
                status["is_closed"]
            ),
            "time_to_accept_seconds": seconds_between(assigned, accepted),
            "time_to_reject_seconds": seconds_between(assigned, closed).where(
                status["is_rejected"]
            ),
            "handle_time_seconds": active_time_sum.astype("float64").where(status["is_engaged"]),
        }
    )


def session_facts(
    tables: Mapping[str, pd.DataFrame],
    reporting_timezone: str = "UTC",
    exclude_entity_records: bool = True,
    closure_seed: Path = DEFAULT_SEED,
) -> pd.DataFrame:
    """One row per current in-scope session with the columns of the session fact.

    ``tables`` is the output of :func:`load_export`. Timestamps are naive UTC,
    session_date is the local reporting date as a midnight ``datetime64``, durations
    are float seconds (NaN = NULL), flags are plain ``bool``.
    """
    sessions = in_scope_sessions(tables["msdyn_ocsession"], exclude_entity_records)
    sid = sessions["activityid"]
    primary = primary_participants(tables["msdyn_sessionparticipant"], sid)
    sentiment = latest_sentiment(tables["msdyn_ocsessionsentiment"], sid)
    status = session_status(sessions, closure_seed)
    durations = session_durations(sessions, status, primary["active_time_sum"])
    created = sessions["msdyn_sessioncreatedon"]
    facts = pd.concat(
        [
            pd.DataFrame(
                {
                    "session_id": sid,
                    "conversation_id": sessions["msdyn_liveworkitemid"],
                    "queue_id": sessions["msdyn_queueid"],
                    "channel_code": sessions["msdyn_channel"],
                    "agent_id": primary["agent_id"],
                    "is_bot_session": primary["agent_id"].isin(bot_user_ids(tables["systemuser"])),
                    "created_at": created,
                    "assigned_at": sessions["msdyn_agentassignedon"],
                    "accepted_at": sessions["msdyn_agentacceptedon"],
                    "closed_at": sessions["msdyn_sessionclosedon"],
                    "session_date": session_date(created, reporting_timezone),
                    "is_handled_by_external_participant": primary["is_external"],
                    "customer_sentiment_pulse": sentiment["msdyn_sentimentpulse"].astype(
                        "float64"
                    ),
                    "customer_sentiment_zone": _as_text(sentiment["msdyn_sentimentzone"]),
                }
            ),
            status,
            durations,
        ],
        axis=1,
    )
    return facts[FACT_COLUMNS]


# --------------------------------------------------------------------------------------
# Metric parts
# --------------------------------------------------------------------------------------


def _agent_sessions(facts: pd.DataFrame) -> pd.DataFrame:
    """Sessions the metrics count: not bot sessions."""
    return facts[~facts["is_bot_session"]]


def _sum_and_count(values: pd.Series, mask: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Values to sum (0 where excluded) and a 0/1 indicator of the counted rows."""
    counted = values.notna() if mask is None else values.notna() & mask
    return values.where(counted, 0.0).astype("float64"), counted.astype("int64")


def metric_parts(facts: pd.DataFrame) -> pd.DataFrame:
    """Additive metric parts of agent sessions at (session_date, queue, channel, agent).

    NULL grain values form their own groups. Counts are int64, sums float64 (0.0 over
    an empty set).
    """
    agent = _agent_sessions(facts)
    ttr_sum, ttr_count = _sum_and_count(agent["time_to_reject_seconds"])
    tta_sum, tta_count = _sum_and_count(agent["time_to_accept_seconds"])
    wait_sum, wait_count = _sum_and_count(agent["wait_time_seconds"])
    handle_sum, handle_count = _sum_and_count(
        agent["handle_time_seconds"], agent["is_closed"] & agent["is_engaged"]
    )
    pulse_sum, pulse_count = _sum_and_count(agent["customer_sentiment_pulse"])
    values = pd.DataFrame(
        {
            **{col: agent[col] for col in GRAIN},
            "total_sessions": np.ones(len(agent), dtype="int64"),
            "active_sessions": agent["is_active"].astype("int64"),
            "closed_sessions": agent["is_closed"].astype("int64"),
            "engaged_sessions": agent["is_engaged"].astype("int64"),
            "assigned_sessions": agent["is_assigned"].astype("int64"),
            "transferred_sessions": agent["is_transferred_out"].astype("int64"),
            "rejected_sessions": agent["is_rejected"].astype("int64"),
            "timeout_sessions": agent["is_timed_out"].astype("int64"),
            "time_to_reject_seconds_sum": ttr_sum,
            "time_to_reject_count": ttr_count,
            "time_to_accept_seconds_sum": tta_sum,
            "time_to_accept_count": tta_count,
            "wait_time_seconds_sum": wait_sum,
            "wait_time_count": wait_count,
            "handle_time_seconds_sum": handle_sum,
            "handle_time_count": handle_count,
            "sentiment_pulse_sum": pulse_sum,
            "sentiment_count": pulse_count,
            "external_handled_sessions": agent["is_handled_by_external_participant"].astype(
                "int64"
            ),
        }
    )
    parts = values.groupby(GRAIN, dropna=False, sort=True).sum().reset_index()
    return parts[GRAIN + PART_COLUMNS]


def closure_reason_counts(facts: pd.DataFrame) -> pd.DataFrame:
    """Agent sessions per grain and closure reason (NULL codes included as a group)."""
    agent = _agent_sessions(facts)
    keys = GRAIN + ["closure_reason_code", "closure_reason_label"]
    return (
        agent.groupby(keys, dropna=False, sort=True)
        .size()
        .rename("sessions")
        .reset_index()
    )


def metric_totals(parts: pd.DataFrame) -> dict[str, float]:
    """Column totals of the metric parts (every part column, as float)."""
    return {col: float(parts[col].sum()) for col in PART_COLUMNS}


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    """Print the metric totals of an export as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--export", required=True, type=Path, help="export root folder")
    parser.add_argument("--format", default="parquet", choices=["parquet", "csv"])
    parser.add_argument("--reporting-timezone", default="UTC")
    parser.add_argument(
        "--include-entity-records",
        action="store_true",
        help="keep Entity Records sessions (the spec excludes them by default)",
    )
    args = parser.parse_args(argv)
    tables = load_export(args.export, args.format, tables=METRIC_TABLES)
    facts = session_facts(
        tables,
        reporting_timezone=args.reporting_timezone,
        exclude_entity_records=not args.include_entity_records,
    )
    del tables
    json.dump(metric_totals(metric_parts(facts)), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
