"""Build 1, Parquet, neutral: unusable and duplicate rows, ids in other spellings, schema drift, extra and
missing optional columns, an empty file. None may change a mart.

Each corruption is one function; prepare_neutral_parquet applies them in order (the order decides
which sessions the picker hands out, so it is part of the case).
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa

from .expected_states import CURRENT, DELETED, MALFORMED_KEY, NULL_KEY, ORPHAN, QUARANTINED, SUPERSEDED
from .export_files import TABLE_KEYS, copy_export, norm_guid, read_parquet_rows, write_parquet_rows
from .suite import CONV, OCS, PART, PRIMARY, QUEUE, SENT, USER, Baseline, Build, braced_upper, new_guid
from .warehouse import Picker

ENGAGED_WITH_SENTIMENT = (
    "not is_bot_session and is_engaged and customer_sentiment_pulse is not null and agent_id is not null"
)


@dataclass
class ParquetEdit:
    """The export being corrupted: the rows of every table's part-00000.parquet, edited in memory."""

    build: Build
    base: Baseline
    pick: Picker
    paths: dict[str, Path]
    schemas: dict[str, pa.Schema]
    rows: dict[str, list[dict[str, object]]]

    @property
    def export(self) -> Path:
        return self.build.export

    def write(self, table: str, name: str, rows: list[dict[str, object]], schema: pa.Schema | None = None) -> None:
        """Write rows as <export>/<table>/<name> (by default with the table's schema)."""
        write_parquet_rows(self.export / table / name, schema or self.schemas[table], rows)


def open_edit(root: Path, base: Baseline) -> ParquetEdit:
    """A copy of the pristine Parquet export, its first files read into rows."""
    export = copy_export(base.parquet, root / "neutral_parquet")
    build = Build("neutral_parquet", export, "parquet", Path())
    paths = {t: export / t / "part-00000.parquet" for t in TABLE_KEYS}
    schemas, rows = {}, {}
    for table, path in paths.items():
        schemas[table], rows[table] = read_parquet_rows(path)
    return ParquetEdit(build, base, Picker(base.warehouse), paths, schemas, rows)


# --------------------------------------------------------------------------- braces and upper case
def pick_braced_sessions(edit: ParquetEdit) -> dict[str, dict[str, object]]:
    """Four engaged sessions with sentiment and an agent, one of them with several versions."""
    raw_rows_per_key = Counter(norm_guid(r["activityid"]) for r in edit.rows[OCS])
    with_history = {k for k, n in raw_rows_per_key.items() if n > 1}
    braced = edit.pick.sessions(ENGAGED_WITH_SENTIMENT, 1, among=with_history)
    braced += edit.pick.sessions(ENGAGED_WITH_SENTIMENT, 3)
    edit.build.facts["braced"] = braced
    return {s: edit.base.session(s) for s in braced}


def brace_latest_session_versions(edit: ParquetEdit, sessions: dict[str, dict[str, object]]) -> None:
    """The latest version of each session: its key {UPPER}, its conversation UPPER, its queue {lower}."""
    latest = {}
    for r in edit.rows[OCS]:
        key = r["activityid"]
        if key in sessions and (key not in latest or r["versionnumber"] > latest[key]["versionnumber"]):
            latest[key] = r
    for r in latest.values():
        r["activityid"] = braced_upper(r["activityid"])
        r["msdyn_liveworkitemid"] = r["msdyn_liveworkitemid"].upper()
        r["msdyn_queueid"] = "{" + r["msdyn_queueid"] + "}"


def brace_session_children(edit: ParquetEdit, sessions: dict[str, dict[str, object]]) -> None:
    """The sessions' participants and sentiments: keys and references in other spellings."""
    for r in edit.rows[PART]:
        if r["msdyn_omnichannelsession"] in sessions:
            r["msdyn_omnichannelsession"] = braced_upper(r["msdyn_omnichannelsession"])
            r["msdyn_sessionparticipantid"] = r["msdyn_sessionparticipantid"].upper()
            if r["msdyn_agentid"]:
                r["msdyn_agentid"] = braced_upper(r["msdyn_agentid"])
    for r in edit.rows[SENT]:
        if r["msdyn_omnichannelsession"] in sessions:
            r["msdyn_omnichannelsession"] = r["msdyn_omnichannelsession"].upper()
            r["msdyn_ocsessionsentimentid"] = "{" + r["msdyn_ocsessionsentimentid"] + "}"


def brace_referenced_keys(edit: ParquetEdit, sessions: dict[str, dict[str, object]]) -> None:
    """The keys the sessions reference: their conversations, agents and the first one's queue."""
    conversations = {s["conversation_id"] for s in sessions.values()}
    for r in edit.rows[CONV]:
        if r["activityid"] in conversations:
            r["activityid"] = braced_upper(r["activityid"])
    agents = {s["agent_id"] for s in sessions.values()}
    for r in edit.rows[USER]:
        if r["systemuserid"] in agents:
            r["systemuserid"] = r["systemuserid"].upper()
    braced_queue = sessions[edit.build.facts["braced"][0]]["queue_id"]
    for r in edit.rows[QUEUE]:
        if r["queueid"] == braced_queue:
            r["queueid"] = braced_upper(r["queueid"])


def braced_upper_case_ids(edit: ParquetEdit) -> None:
    """GUIDs of keys and references written {UPPER} / UPPER, on some rows of a key only (an older
    version keeps the lower-case spelling)."""
    sessions = pick_braced_sessions(edit)
    brace_latest_session_versions(edit, sessions)
    brace_session_children(edit, sessions)
    brace_referenced_keys(edit, sessions)


# --------------------------------------------------------------------------- versions
def stale_agent_versions(edit: ParquetEdit) -> None:
    """Stale versions of an agent (older versionnumber; same versionnumber, older sinkmodifiedon;
    no versionnumber): superseded, the agent keeps the current name."""
    users = edit.rows[USER]
    stale_agent = edit.base.session(edit.pick.one("agent_id is not null and not is_bot_session"))["agent_id"]
    edit.build.facts["stale_agent"] = stale_agent
    newest = max(x["versionnumber"] for x in users if x["systemuserid"] == stale_agent)
    current = next(r for r in users if r["systemuserid"] == stale_agent and r["versionnumber"] == newest)
    for name, version, sink in (
        ("Stale Name A", current["versionnumber"] - 10, current["sinkmodifiedon"]),
        ("Stale Name B", current["versionnumber"], current["sinkmodifiedon"] - timedelta(days=1)),
        ("Stale Name C", None, current["sinkmodifiedon"] + timedelta(days=1)),
    ):
        users.append({**current, "fullname": name, "versionnumber": version, "sinkmodifiedon": sink})
    edit.build.audit_delta[(USER, SUPERSEDED, None)] += 3


def resurrected_conversation(edit: ParquetEdit) -> None:
    """A conversation deleted (tombstone) and written again, unchanged: neutral."""
    conv_versions = Counter(norm_guid(r["activityid"]) for r in edit.rows[CONV])
    resurrected_session = edit.pick.one(
        "not is_bot_session and is_closed and conversation_id is not null",
        where=lambda s: conv_versions[edit.base.session(s)["conversation_id"]] == 1,
    )
    conversation = edit.base.session(resurrected_session)["conversation_id"]
    original = next(r for r in edit.rows[CONV] if r["activityid"] == conversation)
    tombstone = dict.fromkeys(original)
    tombstone.update(
        activityid=conversation,
        isdelete=True,
        versionnumber=original["versionnumber"] + 1,
        sinkmodifiedon=original["sinkmodifiedon"] + timedelta(minutes=1),
    )
    again = {
        **original,
        "versionnumber": original["versionnumber"] + 2,
        "sinkmodifiedon": original["sinkmodifiedon"] + timedelta(minutes=2),
    }
    edit.rows[CONV] += [tombstone, again]
    edit.build.facts["resurrected_conversation"] = conversation
    edit.build.audit_delta[(CONV, SUPERSEDED, None)] += 2


# --------------------------------------------------------------------------- columns and files
def extra_user_columns(edit: ParquetEdit) -> None:
    """Extra columns in systemuser: ignored."""
    extra = [
        ("cr5e1_customfield", pa.string(), "x"),
        ("msdyn_newfield", pa.int64(), 7),
        ("createdon", pa.timestamp("us", tz="UTC"), datetime(2025, 1, 1)),
    ]
    edit.schemas[USER] = pa.schema(list(edit.schemas[USER]) + [pa.field(n, t) for n, t, _ in extra])
    for r in edit.rows[USER]:
        r.update({n: v for n, _, v in extra})


def write_edited_tables(edit: ParquetEdit) -> None:
    """Write back the edited first files (sessions are written by schema_drift_sessions)."""
    for table in (USER, CONV, QUEUE, PART, SENT):
        write_parquet_rows(edit.paths[table], edit.schemas[table], edit.rows[table])


def duplicated_sentiment_file(edit: ParquetEdit) -> None:
    """The sentiment table exported twice: every row of the copy is superseded (or deleted)."""
    base = edit.base
    assert base.count(SENT, QUARANTINED, ORPHAN) == 0
    shutil.copy(edit.paths[SENT], edit.export / SENT / "part-00000-exported-again.parquet")
    edit.build.audit_delta[(SENT, SUPERSEDED, None)] += base.count(SENT, CURRENT) + base.count(SENT, SUPERSEDED)
    edit.build.audit_delta[(SENT, DELETED, None)] += base.count(SENT, DELETED)


def schema_drift_sessions(edit: ParquetEdit) -> None:
    """The older half of the session keys in a file without the optional columns
    msdyn_channelinstanceid and statuscode; the newer half in a file with them."""
    last_change: dict[str, datetime] = {}
    for r in edit.rows[OCS]:
        key = norm_guid(r["activityid"])
        last_change[key] = max(last_change.get(key, r["sinkmodifiedon"]), r["sinkmodifiedon"])
    ordered = sorted(last_change, key=lambda k: (last_change[k], k))
    old_keys = set(ordered[: len(ordered) // 2])
    edit.build.facts["drift_old_keys"] = old_keys
    dropped = ("msdyn_channelinstanceid", "statuscode")
    old_schema = pa.schema([f for f in edit.schemas[OCS] if f.name not in dropped])
    older = [{k: r[k] for k in old_schema.names} for r in edit.rows[OCS] if norm_guid(r["activityid"]) in old_keys]
    write_parquet_rows(edit.paths[OCS], old_schema, older)
    edit.write(OCS, "part-00001.parquet", [r for r in edit.rows[OCS] if norm_guid(r["activityid"]) not in old_keys])


def empty_session_file(edit: ParquetEdit) -> None:
    """A valid Parquet file with no rows."""
    edit.write(OCS, "part-00002.parquet", [])


# --------------------------------------------------------------------------- unusable rows
def unusable_session_and_queue_keys(edit: ParquetEdit) -> None:
    """NULL and malformed primary keys: full rows that would add a session (a queue) if they were used."""
    template = dict(next(r for r in edit.rows[OCS] if r["activityid"] == edit.pick.one("not is_bot_session")))
    good = template["activityid"]
    null_keys = [None, "", "{}", "   "]
    malformed = ["not-a-guid", good[:-1], good + "0", good.replace("-", ""), "g" + good[1:], "session-000001"]
    bad_rows = [
        {
            **template,
            "activityid": k,
            "msdyn_sessionid": f"corrupt-{i}",
            "versionnumber": template["versionnumber"] + 1000,
        }
        for i, k in enumerate(null_keys + malformed)
    ]
    edit.write(OCS, "part-00003-bad-keys.parquet", bad_rows)
    edit.build.audit_delta[(OCS, QUARANTINED, NULL_KEY)] += len(null_keys)
    edit.build.audit_delta[(OCS, QUARANTINED, MALFORMED_KEY)] += len(malformed)
    queue_template = next(r for r in edit.rows[QUEUE] if r["versionnumber"] is not None)
    edit.write(QUEUE, "part-00001.parquet", [{**queue_template, "queueid": None, "name": "Ghost queue"}])
    edit.build.audit_delta[(QUEUE, QUARANTINED, NULL_KEY)] += 1


def unusable_participants(edit: ParquetEdit, target: str) -> list[dict[str, object]]:
    """Participants with a NULL or malformed key on a real session, and orphans: none may count."""
    primary = next(r for r in edit.rows[PART] if r["msdyn_omnichannelsession"] == target and r["msdyn_mode"] == PRIMARY)
    later = primary["msdyn_joinedon"] + timedelta(seconds=30)
    intruder = {
        **primary,
        "msdyn_agentid": new_guid(99),
        "msdyn_activetime": 77_777,
        "msdyn_joinedon": later,
        "msdyn_addedon": later,
        "versionnumber": primary["versionnumber"] + 5,
    }
    deleted_sessions = {norm_guid(r["activityid"]) for r, s, _ in edit.base.states[OCS] if s == DELETED}
    assert deleted_sessions
    edit.build.audit_delta[(PART, QUARANTINED, NULL_KEY)] += 1
    edit.build.audit_delta[(PART, QUARANTINED, MALFORMED_KEY)] += 1
    edit.build.audit_delta[(PART, QUARANTINED, ORPHAN)] += 2
    return [
        {**intruder, "msdyn_sessionparticipantid": None},
        {**intruder, "msdyn_sessionparticipantid": "participant-1"},
        {**intruder, "msdyn_sessionparticipantid": new_guid(1), "msdyn_omnichannelsession": new_guid(2)},
        {
            **intruder,
            "msdyn_sessionparticipantid": new_guid(3),
            "msdyn_omnichannelsession": sorted(deleted_sessions)[0],
        },
    ]


def orphan_sentiments(edit: ParquetEdit, target: str) -> None:
    """Sentiment rows of sessions that do not exist: quarantined."""
    sentiment = next(r for r in edit.rows[SENT] if r["msdyn_omnichannelsession"] == target)
    later = sentiment["createdon"] + timedelta(hours=1)
    edit.write(
        SENT,
        "part-00001-orphans.parquet",
        [
            {
                **sentiment,
                "msdyn_ocsessionsentimentid": new_guid(4),
                "msdyn_omnichannelsession": new_guid(5),
                "createdon": later,
                "msdyn_sentimentpulse": 1.0,
            },
            {
                **sentiment,
                "msdyn_ocsessionsentimentid": new_guid(6),
                "msdyn_omnichannelsession": "not-a-session",
                "createdon": later,
                "msdyn_sentimentpulse": 1.0,
            },
        ],
    )
    edit.build.audit_delta[(SENT, QUARANTINED, ORPHAN)] += 2


def missing_optional_participant_column(edit: ParquetEdit, corrupt_participants: list[dict[str, object]]) -> None:
    """No participant file has msdyn_externalparticipantchanneltype (the corrupt rows in a file of their own)."""
    schema = pa.schema([f for f in edit.schemas[PART] if f.name != "msdyn_externalparticipantchanneltype"])
    for path, part_rows in (
        (edit.paths[PART], edit.rows[PART]),
        (edit.export / PART / "part-00001-corrupt.parquet", corrupt_participants),
    ):
        write_parquet_rows(path, schema, [{k: r[k] for k in schema.names} for r in part_rows])


def prepare_neutral_parquet(root: Path, base: Baseline) -> Build:
    """Apply every neutral Parquet corruption to a copy of the pristine export."""
    edit = open_edit(root, base)
    braced_upper_case_ids(edit)
    stale_agent_versions(edit)
    resurrected_conversation(edit)
    extra_user_columns(edit)
    write_edited_tables(edit)
    duplicated_sentiment_file(edit)
    schema_drift_sessions(edit)
    empty_session_file(edit)
    unusable_session_and_queue_keys(edit)
    condition = (
        "not is_bot_session and is_engaged and is_closed and agent_id is not null "
        "and customer_sentiment_pulse is not null"
    )
    target = edit.pick.one(condition)
    edit.build.facts["bad_key_participant_session"] = target
    corrupt_participants = unusable_participants(edit, target)
    orphan_sentiments(edit, target)
    missing_optional_participant_column(edit, corrupt_participants)
    return edit.build
