"""Build 2, CSV, neutral: the same data as the baseline, written the many ways a CSV export writes it.

Timestamps in eight styles, numbers as text, booleans in every spelling, braced and upper-case
ids, quoted fields with commas, quotes and newlines, a BOM and CRLF line endings, a header-only
and an empty file. Every mart must equal the Parquet baseline's.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

from .export_files import TABLE_KEYS, CsvTable, copy_export, to_utc
from .suite import CONV, OCS, PART, QUEUE, SENT, USER, Baseline, Build, braced_upper
from .warehouse import Picker, query

TS_STYLES = ("z7", "offset0", "naive", "space", "z6", "plus2", "minus0530", "digit7")
TRUE_STYLES, FALSE_STYLES = ("true", "1", "TRUE", "True"), ("false", "0", "FALSE", "False")
TIMESTAMPS = {
    OCS: [
        "msdyn_sessioncreatedon",
        "msdyn_agentassignedon",
        "msdyn_agentacceptedon",
        "msdyn_sessionclosedon",
        "sinkmodifiedon",
    ],
    PART: ["msdyn_addedon", "msdyn_joinedon", "msdyn_lefton", "sinkmodifiedon"],
    SENT: ["createdon", "sinkmodifiedon"],
    CONV: ["msdyn_createdon", "msdyn_closedon", "sinkmodifiedon"],
}
NUMBERS_AS_TEXT = {
    OCS: ["msdyn_state", "msdyn_closurereason", "msdyn_channel", "versionnumber"],
    PART: ["msdyn_activetime", "msdyn_mode"],
    SENT: ["msdyn_sentimentpulse"],
}
QUEUE_NAME = 'Billing, Payments\nand "Refunds"'
AGENT_NAME = 'López, Ana María\n(Tier 2, "Escalations")'

Tables = dict[str, CsvTable]


def restyle_timestamp(text: str, style: str) -> str:
    """The same instant written another way (the generator writes 2025-01-01T03:47:28.2450520Z)."""
    moment = to_utc(text)
    assert moment is not None and text.endswith("0Z"), text
    body = moment.strftime("%Y-%m-%dT%H:%M:%S.%f")
    styles = {
        "z7": lambda: body + "0Z",
        "offset0": lambda: body + "0+00:00",
        "naive": lambda: body + "0",
        "space": lambda: body.replace("T", " ") + "Z",
        "z6": lambda: body + "Z",
        "plus2": lambda: (moment + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0+02:00",
        "minus0530": lambda: (moment - timedelta(hours=5, minutes=30)).strftime("%Y-%m-%dT%H:%M:%S.%f") + "-05:30",
        "digit7": lambda: body + "4Z",  # a 7th digit below 5: truncating and rounding agree
    }
    if style not in styles:
        raise ValueError(style)
    return styles[style]()


def timestamp_styles(tables: Tables, counts: Counter) -> None:
    """Timestamps: 7 digits with Z, +00:00, no suffix, a space separator, 6 digits, a non-zero offset."""
    for table, columns in TIMESTAMPS.items():
        t = tables[table]
        for i, record in enumerate(t.records):
            for j, column in enumerate(columns):
                value = t.get(record, column)
                if value:
                    style = TS_STYLES[(i + j) % len(TS_STYLES)]
                    t.set(record, column, restyle_timestamp(value, style))
                    counts[style] += 1


def numbers_as_text(tables: Tables, counts: Counter) -> None:
    """Numbers as text: a '.0' tail, blanks around."""
    for table, columns in NUMBERS_AS_TEXT.items():
        t = tables[table]
        for i, record in enumerate(t.records):
            for j, column in enumerate(columns):
                value = t.get(record, column)
                if value and (i + j) % 2 == 0:
                    whole = column != "msdyn_sentimentpulse"
                    t.set(record, column, f"{value}.0" if whole and i % 4 == 0 else f" {value} ")
                    counts["number"] += 1


def boolean_spellings(tables: Tables, counts: Counter) -> None:
    """Booleans: True/False, true/false, 1/0 in any case."""
    for table in TABLE_KEYS:
        t = tables[table]
        for column in ("isdelete", "msdyn_isoutbound"):
            if column not in [h.lower() for h in t.header]:
                continue
            for i, record in enumerate(t.records):
                value = t.get(record, column)
                styles = TRUE_STYLES if value == "True" else FALSE_STYLES if value == "False" else None
                if styles:
                    t.set(record, column, styles[i % len(styles)])
                    counts[f"bool {value}"] += 1


def braced_conversation_ids(tables: Tables) -> None:
    """Braces and upper case in the conversation keys and the sessions' references to them."""
    for i, record in enumerate(tables[CONV].records):
        if i % 2 == 0:
            tables[CONV].set(record, "activityid", braced_upper(tables[CONV].get(record, "activityid")))
    for i, record in enumerate(tables[OCS].records):
        value = tables[OCS].get(record, "msdyn_liveworkitemid")
        if value and i % 3 == 0:
            tables[OCS].set(record, "msdyn_liveworkitemid", value.upper())


def quoted_names(tables: Tables, base: Baseline, build: Build) -> None:
    """Quoted fields with commas, quotes and newlines: a queue name and an agent's full name (the
    smallest agent queue, so that most sessions stay untouched)."""
    pick = Picker(base.warehouse)
    smallest = (
        "select queue_id from fct_sessions where not is_bot_session "
        "group by queue_id having count(*) > 1 order by count(*), queue_id limit 1"
    )
    (small_queue,) = query(base.warehouse, smallest)[0]
    queue_session = base.session(pick.one(f"not is_bot_session and queue_id = '{small_queue}'"))
    agent_session = base.session(
        pick.one(f"not is_bot_session and agent_id is not null and queue_id <> '{queue_session['queue_id']}'")
    )
    for t, key, column, target, value in (
        (tables[QUEUE], "queueid", "name", queue_session["queue_id"], QUEUE_NAME),
        (tables[USER], "systemuserid", "fullname", agent_session["agent_id"], AGENT_NAME),
    ):
        versions = t.where(key, lambda v, target=target: v == target)
        newest = max(versions, key=lambda r, t=t: int(t.get(r, "versionnumber")))
        t.set(newest, column, value)
    queue_id, agent_id = queue_session["queue_id"], agent_session["agent_id"]
    build.facts.update(queue_id=queue_id, queue_name=QUEUE_NAME, agent_id=agent_id, agent_name=AGENT_NAME)
    build.touched = {
        s for s in base.fct if base.session(s)["queue_id"] == queue_id or base.session(s)["agent_id"] == agent_id
    }


def write_with_bom_crlf_and_empty_files(tables: Tables, export: Path) -> None:
    """BOM and CRLF line endings (the session and systemuser files), every field quoted in one; a
    header-only CSV file and an empty (0-byte) CSV file."""
    for table, t in tables.items():
        if table in (OCS, USER):
            t.write(bom=True, line_end="\r\n", quote_all=table == USER)
        else:
            t.write()
    (export / SENT / "part-00001.csv").write_text(",".join(tables[SENT].header) + "\n", encoding="utf-8")
    (export / QUEUE / "part-00001.csv").write_bytes(b"")


def prepare_neutral_csv(root: Path, base: Baseline) -> Build:
    """Apply every neutral CSV corruption to a copy of the pristine CSV export."""
    export = copy_export(base.csv, root / "neutral_csv")
    build = Build("neutral_csv", export, "csv", Path())
    tables = {t: CsvTable(export / t / "part-00000.csv") for t in TABLE_KEYS}
    counts = Counter()
    timestamp_styles(tables, counts)
    numbers_as_text(tables, counts)
    boolean_spellings(tables, counts)
    braced_conversation_ids(tables)
    quoted_names(tables, base, build)
    build.facts["counts"] = counts
    write_with_bom_crlf_and_empty_files(tables, export)
    return build
