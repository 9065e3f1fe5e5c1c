"""Build 3, CSV, faults: corruptions that change some sessions, each as specified; the others untouched.

A tombstone as the newest version, a resurrected key, an unparseable timestamp, ends before
starts, unknown closure and channel codes, negative and absurd activetime, text in a number
column, and a required column missing from an older file. Each corruption is one function;
prepare_faulty_csv applies them in order (the order decides which sessions the picker hands out).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from .expected_states import CURRENT, DELETED, ORPHAN, QUARANTINED, SESSION_REFERENCES, SUPERSEDED
from .export_files import TABLE_KEYS, CsvTable, copy_export, iso_z, norm_guid, to_utc
from .suite import OCS, PART, PRIMARY, SENT, Baseline, Build
from .warehouse import Picker

AGENT_CLOSED = "not is_bot_session and is_closed and is_engaged and channel_code is not null"
ENTITY_RECORDS = 192350000


@dataclass
class CsvEdit:
    """The CSV export being corrupted, and what the picks may choose from."""

    build: Build
    base: Baseline
    pick: Picker
    tables: dict[str, CsvTable]
    single_row: set[str]  # sessions with one raw row (so a fault on it is the session's only version)
    one_primary: set[str]  # sessions with exactly one Primary participant

    @property
    def ocs(self) -> CsvTable:
        return self.tables[OCS]

    @property
    def part(self) -> CsvTable:
        return self.tables[PART]

    def session_record(self, session: str) -> list[str]:
        (record,) = self.ocs.where("activityid", lambda v: v == session)
        return record

    def primaries(self, session: str) -> list[list[str]]:
        participants = self.part.where("msdyn_omnichannelsession", lambda v: v == session)
        return [r for r in participants if self.part.get(r, "msdyn_mode") == str(PRIMARY)]

    def fault(self, name: str, condition: str) -> list[str]:
        """A single-row session where the condition holds, touched and recorded as ``name``: its record."""
        session = self.pick.one(condition, among=set(self.base.fct) & self.single_row)
        self.build.touched.add(session)
        self.build.facts[name] = session
        return self.session_record(session)


def open_edit(root: Path, base: Baseline) -> CsvEdit:
    """A copy of the pristine CSV export, its first files read as records."""
    export = copy_export(base.csv, root / "faulty_csv")
    tables = {t: CsvTable(export / t / "part-00000.csv") for t in TABLE_KEYS}
    ocs = tables[OCS]
    single_row = {k for k, n in Counter(r[ocs.col("activityid")] for r in ocs.records).items() if n == 1}
    edit = CsvEdit(Build("faulty_csv", export, "csv", Path()), base, Picker(base.warehouse), tables, single_row, set())
    edit.one_primary = {s for s in base.fct if len(edit.primaries(s)) == 1}
    return edit


def tombstoned_session(edit: CsvEdit) -> None:
    """A tombstone as the newest version: the session no longer exists; its children become orphans."""
    build, base = edit.build, edit.base
    children = {
        table: Counter(norm_guid(r[SESSION_REFERENCES[table]]) for r, s, _ in base.states[table] if s == CURRENT)
        for table in (PART, SENT)
    }
    condition = AGENT_CLOSED + " and customer_sentiment_pulse is not null"
    gone = edit.pick.one(condition, among=edit.single_row & edit.one_primary)
    record = edit.session_record(gone)
    sink = to_utc(edit.ocs.get(record, "sinkmodifiedon")) + timedelta(minutes=5)
    version = int(edit.ocs.get(record, "versionnumber")) + 1
    edit.ocs.append({"activityid": gone, "versionnumber": version, "sinkmodifiedon": iso_z(sink), "isdelete": "True"})
    build.touched.add(gone)
    build.facts["tombstoned"] = gone
    build.audit_delta[(OCS, CURRENT, None)] -= 1
    build.audit_delta[(OCS, DELETED, None)] += 2
    for table in (PART, SENT):
        n = children[table][gone]
        assert n > 0
        build.audit_delta[(table, CURRENT, None)] -= n
        build.audit_delta[(table, QUARANTINED, ORPHAN)] += n


def deleted_in_scope_session(base: Baseline) -> tuple[str, list[dict[str, object]]]:
    """The first deleted session (by key) that had a living version on an in-scope channel, and its versions."""
    deleted: dict[str, list[dict[str, object]]] = {}
    for r, state, _ in base.states[OCS]:
        if state == DELETED:
            deleted.setdefault(norm_guid(r["activityid"]), []).append(r)
    candidates = sorted(
        k
        for k, rows in deleted.items()
        if any(not r["isdelete"] and r["msdyn_channel"] not in (None, ENTITY_RECORDS) for r in rows)
    )
    assert candidates, "the baseline export has no deleted in-scope session to resurrect"
    return candidates[0], deleted[candidates[0]]


def resurrected_session(edit: CsvEdit) -> None:
    """A session deleted in the export gets a newer, living version: it exists again, with its children."""
    build, base, ocs = edit.build, edit.base, edit.ocs
    revived, versions = deleted_in_scope_session(base)
    living = max((r for r in versions if not r["isdelete"]), key=lambda r: r["versionnumber"])
    newest = max(versions, key=lambda r: r["versionnumber"])
    (text_record,) = [
        r
        for r in ocs.where("activityid", lambda v: v == revived)
        if ocs.get(r, "isdelete") == "False" and int(ocs.get(r, "versionnumber")) == living["versionnumber"]
    ]
    again = list(text_record)
    ocs.set(again, "versionnumber", newest["versionnumber"] + 1)
    ocs.set(again, "sinkmodifiedon", iso_z(to_utc(newest["sinkmodifiedon"]) + timedelta(minutes=1)))
    ocs.records.append(again)
    build.facts["resurrected"] = (revived, living)
    build.added.add(revived)
    build.audit_delta[(OCS, DELETED, None)] -= len(versions)
    build.audit_delta[(OCS, SUPERSEDED, None)] += len(versions)
    build.audit_delta[(OCS, CURRENT, None)] += 1
    for table in (PART, SENT):  # its children were orphans; now their session exists
        revived_children = sum(
            1
            for r, s, reason in base.states[table]
            if reason == ORPHAN and norm_guid(r["msdyn_omnichannelsession"]) == revived
        )
        build.audit_delta[(table, QUARANTINED, ORPHAN)] -= revived_children
        build.audit_delta[(table, CURRENT, None)] += revived_children
        build.facts[f"revived_{table}"] = revived_children


def assigned_at(ocs: CsvTable, record: list[str]) -> datetime:
    return to_utc(ocs.get(record, "msdyn_agentassignedon"))


def unreadable_and_inverted_times(edit: CsvEdit) -> None:
    """An unparseable timestamp (the field becomes NULL, the session still counts); ends before starts:
    wait time (created after accepted), time to accept, time to reject."""
    ocs = edit.ocs
    record = edit.fault("unparseable_ts", AGENT_CLOSED)
    ocs.set(record, "msdyn_agentacceptedon", "2025-02-30T25:61:00Z")
    record = edit.fault("wait_end_before_start", AGENT_CLOSED + " and wait_time_seconds > 2")
    accepted = to_utc(ocs.get(record, "msdyn_agentacceptedon"))
    ocs.set(record, "msdyn_sessioncreatedon", iso_z(accepted + timedelta(seconds=1)))
    record = edit.fault("accept_end_before_start", AGENT_CLOSED + " and epoch(assigned_at) - epoch(created_at) > 5")
    ocs.set(record, "msdyn_agentacceptedon", iso_z(assigned_at(ocs, record) - timedelta(seconds=1)))
    rejected = "not is_bot_session and is_rejected and epoch(assigned_at) - epoch(created_at) > 5"
    record = edit.fault("reject_end_before_start", rejected)
    ocs.set(record, "msdyn_sessionclosedon", iso_z(assigned_at(ocs, record) - timedelta(seconds=1)))


def unknown_codes(edit: CsvEdit) -> None:
    """Unknown closure reason and channel codes: labelled / kept, recorded."""
    record = edit.fault("unknown_closure", AGENT_CLOSED + " and closure_reason_code = 192350004")
    edit.ocs.set(record, "msdyn_closurereason", "192350777")
    record = edit.fault("unknown_channel", AGENT_CLOSED + " and channel_code = 192360000")
    edit.ocs.set(record, "msdyn_channel", "192999999")


def implausible_activetime(edit: CsvEdit) -> None:
    """Negative and absurd activetime on a session's only Primary participant."""
    for name, value in (("negative_activetime", "-5"), ("absurd_activetime", "9999999")):
        session = edit.pick.one(AGENT_CLOSED + " and handle_time_seconds > 0", among=edit.one_primary)
        edit.build.touched.add(session)
        (primary,) = edit.primaries(session)
        edit.part.set(primary, "msdyn_activetime", value)
        edit.build.facts[name] = (session, edit.part.get(primary, "msdyn_sessionparticipantid"), int(value))


def pulse_as_text(edit: CsvEdit) -> None:
    """Text where a number belongs: the latest sentiment's pulse."""
    sent = edit.tables[SENT]
    session = edit.pick.one("not is_bot_session and customer_sentiment_pulse is not null")
    edit.build.touched.add(session)
    readings = sent.where("msdyn_omnichannelsession", lambda v: v == session)
    latest = max(readings, key=lambda r: to_utc(sent.get(r, "createdon")))
    sent.set(latest, "msdyn_sentimentpulse", "n/a")
    edit.build.facts["pulse_as_text"] = (session, sent.get(latest, "msdyn_ocsessionsentimentid"))


def required_column_drift(edit: CsvEdit) -> None:
    """The participants of two sessions (one handled by an external participant) in an older file without
    the required column msdyn_externalparticipantchannel."""
    part = edit.part
    external = edit.pick.one("is_handled_by_external_participant")
    plain = edit.pick.one("not is_bot_session and is_engaged and agent_id is not null")
    edit.build.touched.update({external, plain})
    edit.build.facts["drift"] = (external, plain)
    moved = [r for r in part.records if r[part.col("msdyn_omnichannelsession")] in (external, plain)]
    part.records = [r for r in part.records if r not in moved]
    older = CsvTable(edit.build.export / PART / "part-00001.csv", list(part.header), [list(r) for r in moved])
    older.drop_column("msdyn_externalparticipantchannel")
    older.write()


def prepare_faulty_csv(root: Path, base: Baseline) -> Build:
    """Apply every fault to a copy of the pristine CSV export."""
    edit = open_edit(root, base)
    tombstoned_session(edit)
    resurrected_session(edit)
    unreadable_and_inverted_times(edit)
    unknown_codes(edit)
    implausible_activetime(edit)
    pulse_as_text(edit)
    required_column_drift(edit)
    for t in edit.tables.values():
        t.write()
    return edit.build
