"""Corruption suite (issue items 4 and 6): a generated Dataverse export, corrupted in many ways.

A baseline export is generated once (Parquet, and the same data as CSV) and built once. Every
corruption is applied to a copy and built by dbt (`build --exclude test_type:unit`: the data tests,
the load-audit reconciliation among them, run too). Corruptions that touch disjoint rows share a
build, so the suite stays fast; each case still has its own test and its own expectations:

- build `neutral_parquet` and `neutral_csv`: corruptions that add only unusable or duplicate rows,
  or change only how values are written: every mart must equal the baseline's (the CSV build is
  compared with the Parquet baseline: the same data in another format);
- build `faulty_csv`: corruptions that change some sessions: those sessions are checked field by
  field, every other session and every metric row of an untouched grain must equal the baseline's;
- error builds: the build stops with one message naming the table, column, path or var.

For every build that succeeds, dataverse_load_audit must equal what the files imply, computed here
independently (tests/python/corruptions.py): per table, the raw rows counted from the files; per
state and reason, the pristine export's states plus the change each corruption declares.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import corruptions as cx
from corruptions import CURRENT, DELETED, MALFORMED_KEY, NULL_KEY, ORPHAN, QUARANTINED, SUPERSEDED
from omnichannel_tools.dbt_runner import DbtResult, run_dbt
from omnichannel_tools.generator import generate_export

SESSIONS = 600
SEED = 11
BUILD = ["build", "--exclude", "test_type:unit"]
OCS, PART, CONV, SENT, USER, QUEUE = (
    "msdyn_ocsession", "msdyn_sessionparticipant", "msdyn_ocliveworkitem",
    "msdyn_ocsessionsentiment", "systemuser", "queue")
METRIC_VIEWS = [
    "metric_total_sessions", "metric_active_sessions", "metric_closed_sessions",
    "metric_engaged_sessions", "metric_session_transfer_rate", "metric_session_rejection_rate",
    "metric_session_time_to_reject", "metric_session_time_to_accept", "metric_session_timeout_rate",
    "metric_session_wait_time", "metric_avg_session_handle_time", "metric_customer_sentiment",
    "metric_sessions_handled_by_external_participant", "metric_session_closure_reasons",
]
MARTS = ["fct_sessions", "fct_conversations", "dim_agents", "dim_queues", "dim_channels",
         "dim_closure_reasons", *METRIC_VIEWS]
GRAIN = ("session_date", "queue_id", "channel_code", "agent_id")
PRIMARY = 192350002


def new_guid(n: int) -> str:
    """A fixed GUID no generated export holds (the generator's GUIDs are random v4)."""
    return str(uuid.UUID(int=(0xC0FFEE << 96) + n))


def braced_upper(guid: str) -> str:
    return "{" + guid.upper() + "}"


# --------------------------------------------------------------------------- builds
@dataclass
class Build:
    """One dbt build of one export, with what the corruptions declared about it."""

    name: str
    export: Path
    fmt: str
    warehouse: Path
    future: Future | None = None
    audit_delta: Counter = field(default_factory=Counter)
    touched: set[str] = field(default_factory=set)  # sessions whose fct row may differ
    added: set[str] = field(default_factory=set)  # sessions the baseline lacks
    facts: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def result(self) -> DbtResult:
        assert self.future is not None
        return self.future.result()

    def succeeded(self) -> None:
        assert self.result.ok, f"build {self.name} failed:\n{self.result.output[-6000:]}"


class Suite:
    """The shared work: exports, the baseline, the corrupted builds (two dbt processes at a time)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.builds: dict[str, Build] = {}
        self.started = time.monotonic()

    def submit(self, build: Build, extra_vars: dict[str, object] | None = None) -> Build:
        folder = self.root / "builds" / build.name
        folder.mkdir(parents=True, exist_ok=True)
        build.warehouse = folder / "warehouse.duckdb"

        def run() -> DbtResult:
            start = time.monotonic()
            result = run_dbt(BUILD, warehouse=build.warehouse, export_path=build.export,
                             export_format=build.fmt, extra_vars=extra_vars,
                             target_path=folder / "target")
            build.seconds = time.monotonic() - start
            return result

        build.future = self.pool.submit(run)
        self.builds[build.name] = build
        return build


@dataclass
class Baseline:
    parquet: Path
    csv: Path
    build: Build
    audit: Counter  # what the pristine files imply
    states: dict[str, list[tuple[dict[str, object], str, str | None]]]
    fct_columns: list[str] = field(default_factory=list)
    fct: dict[str, tuple] = field(default_factory=dict)
    marts: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def warehouse(self) -> Path:
        return self.build.warehouse

    def session(self, session_id: str) -> dict[str, object]:
        return dict(zip(self.fct_columns, self.fct[session_id]))

    def current_rows(self, table: str) -> dict[str, dict[str, object]]:
        key = cx.TABLE_KEYS[table]
        return {cx.norm_guid(r[key]): r for r, s, _ in self.states[table] if s == CURRENT}

    def count(self, table: str, state: str, reason: str | None = None) -> int:
        return self.audit[(table, state, reason)]


@pytest.fixture(scope="module")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Suite:
    s = Suite(tmp_path_factory.mktemp("corruption"))
    yield s
    s.pool.shutdown(wait=True)
    print(f"\ncorruption suite: {len(s.builds)} dbt builds in {time.monotonic() - s.started:.0f} s: "
          + ", ".join(f"{b.name} {b.seconds:.0f}s" for b in s.builds.values()))


@pytest.fixture(scope="module")
def baseline(suite: Suite) -> Baseline:
    parquet, csv = suite.root / "pristine_parquet", suite.root / "pristine_csv"
    generate_export(parquet, sessions=SESSIONS, seed=SEED, fmt="parquet")
    generate_export(csv, sessions=SESSIONS, seed=SEED, fmt="csv")
    build = suite.submit(Build("baseline", parquet, "parquet", Path()))
    # The error builds need nothing from the baseline: they run while it builds.
    _submit_error_builds(suite, parquet, csv)
    build.succeeded()
    base = Baseline(parquet, csv, build, cx.expected_audit(parquet, "parquet"),
                    cx.expected_row_states(parquet, "parquet"))
    base.fct_columns, base.fct = cx.rows_by_key(build.warehouse, "fct_sessions", "session_id")
    base.marts = {m: cx.relation_rows(build.warehouse, m) for m in MARTS}
    return base


@pytest.fixture(scope="module")
def builds(suite: Suite, baseline: Baseline) -> dict[str, Build]:
    """The corrupted exports, prepared from the baseline and built two at a time."""
    for prepare in (prepare_neutral_parquet, prepare_neutral_csv, prepare_faulty_csv):
        suite.submit(prepare(suite.root, baseline))
    return suite.builds


# --------------------------------------------------------------------------- comparisons
def fct_of(build: Build) -> tuple[list[str], dict[str, tuple]]:
    if "fct" not in build.facts:
        build.facts["fct"] = cx.rows_by_key(build.warehouse, "fct_sessions", "session_id")
    return build.facts["fct"]


def session_of(build: Build, session_id: str) -> dict[str, object] | None:
    columns, rows = fct_of(build)
    return dict(zip(columns, rows[session_id])) if session_id in rows else None


def assert_untouched_sessions_unchanged(base: Baseline, build: Build) -> None:
    """Every fct_sessions row of a session no corruption touched equals the baseline's (all columns)."""
    columns, rows = fct_of(build)
    assert columns == base.fct_columns
    untouched = set(base.fct) - build.touched
    missing = sorted(untouched - set(rows))
    changed = sorted(s for s in untouched & set(rows) if rows[s] != base.fct[s])
    unexpected = sorted(set(rows) - set(base.fct) - build.added)
    assert not missing, f"{build.name}: untouched sessions lost: {missing[:5]}"
    assert not changed, (f"{build.name}: {len(changed)} untouched sessions changed, e.g. "
                         f"{base.session(changed[0])} -> {dict(zip(columns, rows[changed[0]]))}")
    assert not unexpected, f"{build.name}: sessions from nowhere: {unexpected[:5]}"
    assert len(untouched) > SESSIONS * 0.8  # the comparison covers most of the export


def assert_marts_equal_baseline(base: Baseline, build: Build, except_marts: tuple[str, ...] = ()) -> None:
    """Every mart (fct, dims, every metric view) row for row equal to the baseline's."""
    for mart in MARTS:
        if mart in except_marts:
            continue
        assert cx.same_rows(cx.relation_rows(build.warehouse, mart), base.marts[mart]), f"{build.name}: {mart} differs"


def touched_grains(base: Baseline, build: Build) -> set[tuple]:
    columns, rows = fct_of(build)
    index = [columns.index(c) for c in GRAIN]
    grains = set()
    for session in build.touched | build.added:
        for row in (base.fct.get(session), rows.get(session)):
            if row is not None:
                grains.add(tuple(row[i] for i in index))
    return grains


def assert_untouched_metric_rows_unchanged(base: Baseline, build: Build) -> None:
    """In every metric view, the rows of grains holding no touched session equal the baseline's."""
    grains = touched_grains(base, build)
    for view in METRIC_VIEWS:
        index = [cx.relation_columns(build.warehouse, view).index(c) for c in GRAIN]

        def untouched(rows: list[tuple]) -> list[tuple]:
            return [r for r in rows if tuple(r[i] for i in index) not in grains]

        before, after = untouched(base.marts[view]), untouched(cx.relation_rows(build.warehouse, view))
        assert cx.same_rows(after, before), f"{build.name}: {view} changed outside the touched grains"
        assert len(before) > 0


def assert_audit_reconciles(base: Baseline, build: Build) -> None:
    """dataverse_load_audit = the raw rows counted from the files, in the states the files imply."""
    loaded = cx.loaded_audit(build.warehouse)
    per_table = Counter()
    for (table, _state, _reason), rows in loaded.items():
        per_table[table] += rows
    assert dict(per_table) == cx.raw_row_counts(build.export, build.fmt), build.name
    assert loaded == cx.expected_audit(build.export, build.fmt), build.name
    declared = base.audit + Counter()
    declared.update(build.audit_delta)  # Counter.update adds (and keeps negative deltas)
    declared = Counter({k: v for k, v in declared.items() if v})
    assert loaded == declared, f"{build.name}: audit {loaded - declared} / expected {declared - loaded}"


def case(builds: dict[str, Build], base: Baseline, name: str) -> Build:
    """A successful build with the checks every case of it shares."""
    build = builds[name]
    build.succeeded()
    if not build.facts.get("checked"):
        assert_audit_reconciles(base, build)
        assert_untouched_sessions_unchanged(base, build)
        build.facts["checked"] = True
    return build


def fault_rows(build: Build) -> set[tuple]:
    if "faults" not in build.facts:
        build.facts["faults"] = cx.faults(build.warehouse)
    return build.facts["faults"]


# =========================================================================== build 1: Parquet, neutral
def prepare_neutral_parquet(root: Path, base: Baseline) -> Build:
    """Unusable and duplicate rows, ids in other spellings, schema drift, extra and missing
    optional columns, an empty file: none may change a mart."""
    export = cx.copy_export(base.parquet, root / "neutral_parquet")
    build = Build("neutral_parquet", export, "parquet", Path())
    pick = cx.Picker(base.warehouse)
    facts = build.facts
    paths = {t: export / t / "part-00000.parquet" for t in cx.TABLE_KEYS}
    schemas, rows = {}, {}
    for table, path in paths.items():
        schemas[table], rows[table] = cx.read_parquet_rows(path)
    raw_rows_per_key = Counter(cx.norm_guid(r["activityid"]) for r in rows[OCS])

    # Braces and upper case: GUIDs of keys and references written {UPPER} / UPPER, on some rows
    # of a key only (an older version keeps the lower-case spelling).
    with_history = {k for k, n in raw_rows_per_key.items() if n > 1}
    braced = pick.sessions("not is_bot_session and is_engaged and customer_sentiment_pulse is not null "
                           "and agent_id is not null", 1, among=with_history)
    braced += pick.sessions("not is_bot_session and is_engaged and customer_sentiment_pulse is not null "
                            "and agent_id is not null", 3)
    facts["braced"] = braced
    sessions_braced = {s: base.session(s) for s in braced}
    latest = {}
    for r in rows[OCS]:
        key = r["activityid"]
        if key in sessions_braced and (key not in latest or r["versionnumber"] > latest[key]["versionnumber"]):
            latest[key] = r
    for r in latest.values():
        r["activityid"] = braced_upper(r["activityid"])
        r["msdyn_liveworkitemid"] = r["msdyn_liveworkitemid"].upper()
        r["msdyn_queueid"] = "{" + r["msdyn_queueid"] + "}"
    agents = {sessions_braced[s]["agent_id"] for s in braced}
    for r in rows[PART]:
        if r["msdyn_omnichannelsession"] in sessions_braced:
            r["msdyn_omnichannelsession"] = braced_upper(r["msdyn_omnichannelsession"])
            r["msdyn_sessionparticipantid"] = r["msdyn_sessionparticipantid"].upper()
            if r["msdyn_agentid"]:
                r["msdyn_agentid"] = braced_upper(r["msdyn_agentid"])
    for r in rows[SENT]:
        if r["msdyn_omnichannelsession"] in sessions_braced:
            r["msdyn_omnichannelsession"] = r["msdyn_omnichannelsession"].upper()
            r["msdyn_ocsessionsentimentid"] = "{" + r["msdyn_ocsessionsentimentid"] + "}"
    conversations = {sessions_braced[s]["conversation_id"] for s in braced}
    for r in rows[CONV]:
        if r["activityid"] in conversations:
            r["activityid"] = braced_upper(r["activityid"])
    for r in rows[USER]:
        if r["systemuserid"] in agents:
            r["systemuserid"] = r["systemuserid"].upper()
    braced_queue = sessions_braced[braced[0]]["queue_id"]
    for r in rows[QUEUE]:
        if r["queueid"] == braced_queue:
            r["queueid"] = braced_upper(r["queueid"])

    # Stale versions of an agent (older versionnumber; same versionnumber, older sinkmodifiedon;
    # no versionnumber): superseded, the agent keeps the current name.
    stale_agent = base.session(pick.one("agent_id is not null and not is_bot_session"))["agent_id"]
    facts["stale_agent"] = stale_agent
    current = next(r for r in rows[USER] if r["systemuserid"] == stale_agent
                   and r["versionnumber"] == max(x["versionnumber"] for x in rows[USER]
                                                 if x["systemuserid"] == stale_agent))
    for name, version, sink in (
            ("Stale Name A", current["versionnumber"] - 10, current["sinkmodifiedon"]),
            ("Stale Name B", current["versionnumber"], current["sinkmodifiedon"] - timedelta(days=1)),
            ("Stale Name C", None, current["sinkmodifiedon"] + timedelta(days=1))):
        rows[USER].append({**current, "fullname": name, "versionnumber": version, "sinkmodifiedon": sink})
    build.audit_delta[(USER, SUPERSEDED, None)] += 3

    # Resurrected key, neutral: a conversation deleted (tombstone) and written again, unchanged.
    conv_versions = Counter(cx.norm_guid(r["activityid"]) for r in rows[CONV])
    resurrected_session = pick.one("not is_bot_session and is_closed and conversation_id is not null",
                                   where=lambda s: conv_versions[base.session(s)["conversation_id"]] == 1)
    conversation = base.session(resurrected_session)["conversation_id"]
    original = next(r for r in rows[CONV] if r["activityid"] == conversation)
    tombstone = {k: None for k in original}
    tombstone.update(activityid=conversation, isdelete=True,
                     versionnumber=original["versionnumber"] + 1,
                     sinkmodifiedon=original["sinkmodifiedon"] + timedelta(minutes=1))
    again = {**original, "versionnumber": original["versionnumber"] + 2,
             "sinkmodifiedon": original["sinkmodifiedon"] + timedelta(minutes=2)}
    rows[CONV] += [tombstone, again]
    facts["resurrected_conversation"] = conversation
    build.audit_delta[(CONV, SUPERSEDED, None)] += 2

    # Extra columns in systemuser: ignored.
    extra = [("cr5e1_customfield", pa.string(), "x"), ("msdyn_newfield", pa.int64(), 7),
             ("createdon", pa.timestamp("us", tz="UTC"), datetime(2025, 1, 1))]
    schemas[USER] = pa.schema(list(schemas[USER]) + [pa.field(n, t) for n, t, _ in extra])
    for r in rows[USER]:
        r.update({n: v for n, _, v in extra})

    for table in (USER, CONV, QUEUE, PART, SENT):
        cx.write_parquet_rows(paths[table], schemas[table], rows[table])

    # Duplicated file: the sentiment table exported twice.
    assert base.count(SENT, QUARANTINED, ORPHAN) == 0
    shutil.copy(paths[SENT], export / SENT / "part-00000-exported-again.parquet")
    build.audit_delta[(SENT, SUPERSEDED, None)] += base.count(SENT, CURRENT) + base.count(SENT, SUPERSEDED)
    build.audit_delta[(SENT, DELETED, None)] += base.count(SENT, DELETED)

    # Schema drift: the older half of the session keys in a file without the optional columns
    # msdyn_channelinstanceid and statuscode; the newer half in a file with them.
    last_change: dict[str, datetime] = {}
    for r in rows[OCS]:
        key = cx.norm_guid(r["activityid"])
        last_change[key] = max(last_change.get(key, r["sinkmodifiedon"]), r["sinkmodifiedon"])
    ordered = sorted(last_change, key=lambda k: (last_change[k], k))
    old_keys = set(ordered[: len(ordered) // 2])
    facts["drift_old_keys"] = old_keys
    old_schema = pa.schema([f for f in schemas[OCS] if f.name not in ("msdyn_channelinstanceid", "statuscode")])
    cx.write_parquet_rows(paths[OCS], old_schema,
                          [{k: r[k] for k in old_schema.names} for r in rows[OCS]
                           if cx.norm_guid(r["activityid"]) in old_keys])
    cx.write_parquet_rows(export / OCS / "part-00001.parquet", schemas[OCS],
                          [r for r in rows[OCS] if cx.norm_guid(r["activityid"]) not in old_keys])

    # An empty file (a valid Parquet file with no rows).
    cx.write_parquet_rows(export / OCS / "part-00002.parquet", schemas[OCS], [])

    # NULL and malformed primary keys: full rows that would add a session if they were used.
    template = dict(next(r for r in rows[OCS] if r["activityid"] == pick.one("not is_bot_session")))
    good = template["activityid"]
    null_keys = [None, "", "{}", "   "]
    malformed = ["not-a-guid", good[:-1], good + "0", good.replace("-", ""), "g" + good[1:],
                 "session-000001"]
    bad_rows = [{**template, "activityid": k, "msdyn_sessionid": f"corrupt-{i}",
                 "versionnumber": template["versionnumber"] + 1000}
                for i, k in enumerate(null_keys + malformed)]
    cx.write_parquet_rows(export / OCS / "part-00003-bad-keys.parquet", schemas[OCS], bad_rows)
    build.audit_delta[(OCS, QUARANTINED, NULL_KEY)] += len(null_keys)
    build.audit_delta[(OCS, QUARANTINED, MALFORMED_KEY)] += len(malformed)
    queue_template = next(r for r in rows[QUEUE] if r["versionnumber"] is not None)
    cx.write_parquet_rows(export / QUEUE / "part-00001.parquet", schemas[QUEUE],
                          [{**queue_template, "queueid": None, "name": "Ghost queue"}])
    build.audit_delta[(QUEUE, QUARANTINED, NULL_KEY)] += 1

    # Participants with a NULL or malformed key on a real session, and orphans: none may count.
    target = pick.one("not is_bot_session and is_engaged and is_closed and agent_id is not null "
                      "and customer_sentiment_pulse is not null")
    facts["bad_key_participant_session"] = target
    primary = next(r for r in rows[PART] if r["msdyn_omnichannelsession"] == target
                   and r["msdyn_mode"] == PRIMARY)
    later = primary["msdyn_joinedon"] + timedelta(seconds=30)
    intruder = {**primary, "msdyn_agentid": new_guid(99), "msdyn_activetime": 77_777,
                "msdyn_joinedon": later, "msdyn_addedon": later,
                "versionnumber": primary["versionnumber"] + 5}
    deleted_sessions = {cx.norm_guid(r["activityid"]) for r, s, _ in base.states[OCS] if s == DELETED}
    assert deleted_sessions
    participant_rows = [
        {**intruder, "msdyn_sessionparticipantid": None},
        {**intruder, "msdyn_sessionparticipantid": "participant-1"},
        {**intruder, "msdyn_sessionparticipantid": new_guid(1), "msdyn_omnichannelsession": new_guid(2)},
        {**intruder, "msdyn_sessionparticipantid": new_guid(3),
         "msdyn_omnichannelsession": sorted(deleted_sessions)[0]},
    ]
    build.audit_delta[(PART, QUARANTINED, NULL_KEY)] += 1
    build.audit_delta[(PART, QUARANTINED, MALFORMED_KEY)] += 1
    build.audit_delta[(PART, QUARANTINED, ORPHAN)] += 2
    sentiment = next(r for r in rows[SENT] if r["msdyn_omnichannelsession"] == target)
    cx.write_parquet_rows(export / SENT / "part-00001-orphans.parquet", schemas[SENT], [
        {**sentiment, "msdyn_ocsessionsentimentid": new_guid(4), "msdyn_omnichannelsession": new_guid(5),
         "createdon": sentiment["createdon"] + timedelta(hours=1), "msdyn_sentimentpulse": 1.0},
        {**sentiment, "msdyn_ocsessionsentimentid": new_guid(6), "msdyn_omnichannelsession": "not-a-session",
         "createdon": sentiment["createdon"] + timedelta(hours=1), "msdyn_sentimentpulse": 1.0},
    ])
    build.audit_delta[(SENT, QUARANTINED, ORPHAN)] += 2

    # A missing optional column: no participant file has msdyn_externalparticipantchanneltype.
    part_schema = pa.schema([f for f in schemas[PART] if f.name != "msdyn_externalparticipantchanneltype"])
    for path, part_rows in ((paths[PART], rows[PART]),
                            (export / PART / "part-00001-corrupt.parquet", participant_rows)):
        cx.write_parquet_rows(path, part_schema, [{k: r[k] for k in part_schema.names} for r in part_rows])
    return build


@pytest.fixture(scope="module")
def neutral_parquet(builds: dict[str, Build], baseline: Baseline) -> Build:
    build = case(builds, baseline, "neutral_parquet")
    if not build.facts.get("marts_checked"):
        assert_marts_equal_baseline(baseline, build)
        build.facts["marts_checked"] = True
    return build


def test_baseline_audit_matches_the_files(baseline: Baseline) -> None:
    loaded = cx.loaded_audit(baseline.warehouse)
    assert loaded == baseline.audit
    assert sum(loaded.values()) == sum(cx.raw_row_counts(baseline.parquet, "parquet").values())
    assert baseline.count(OCS, CURRENT) > SESSIONS * 0.95


def test_duplicated_file_rows_are_superseded_and_metrics_unchanged(neutral_parquet: Build, baseline: Baseline) -> None:
    loaded = cx.loaded_audit(neutral_parquet.warehouse)
    assert loaded[(SENT, CURRENT, None)] == baseline.count(SENT, CURRENT)
    assert loaded[(SENT, SUPERSEDED, None)] == 2 * baseline.count(SENT, SUPERSEDED) + baseline.count(SENT, CURRENT)
    assert loaded[(SENT, DELETED, None)] == 2 * baseline.count(SENT, DELETED)


def test_empty_parquet_file_loads_nothing(neutral_parquet: Build) -> None:
    assert pq.read_metadata(neutral_parquet.export / OCS / "part-00002.parquet").num_rows == 0


def test_null_primary_keys_are_quarantined(neutral_parquet: Build, baseline: Baseline) -> None:
    loaded = cx.loaded_audit(neutral_parquet.warehouse)
    assert loaded[(OCS, QUARANTINED, NULL_KEY)] == 4
    assert loaded[(QUEUE, QUARANTINED, NULL_KEY)] == 1
    assert loaded[(PART, QUARANTINED, NULL_KEY)] == 1
    names = {r[0] for r in cx.query(neutral_parquet.warehouse, "select queue_name from dim_queues")}
    assert "Ghost queue" not in names


def test_malformed_primary_keys_are_quarantined(neutral_parquet: Build, baseline: Baseline) -> None:
    loaded = cx.loaded_audit(neutral_parquet.warehouse)
    assert loaded[(OCS, QUARANTINED, MALFORMED_KEY)] == 6
    assert loaded[(PART, QUARANTINED, MALFORMED_KEY)] == 1
    displayed = {r[0] for r in cx.query(neutral_parquet.warehouse, "select session_display_id from fct_sessions")}
    assert not {d for d in displayed if d.startswith("corrupt-")}
    # The unusable participants on a real session changed neither its agent nor its handle time.
    target = neutral_parquet.facts["bad_key_participant_session"]
    assert session_of(neutral_parquet, target) == baseline.session(target)


def test_orphan_participants_and_sentiments_are_quarantined(neutral_parquet: Build, baseline: Baseline) -> None:
    loaded = cx.loaded_audit(neutral_parquet.warehouse)
    assert loaded[(PART, QUARANTINED, ORPHAN)] == baseline.count(PART, QUARANTINED, ORPHAN) + 2
    assert loaded[(SENT, QUARANTINED, ORPHAN)] == 2
    assert not cx.query(neutral_parquet.warehouse,
                        "select * from dim_agents where agent_id = ?", [new_guid(99)])


def test_braced_upper_case_guids_join_as_the_same_ids(neutral_parquet: Build, baseline: Baseline) -> None:
    for session in neutral_parquet.facts["braced"]:
        row = session_of(neutral_parquet, session)
        assert row == baseline.session(session)
        assert row["agent_name"] is not None and row["queue_name"] is not None
        assert row["customer_sentiment_pulse"] is not None
    ids = cx.query(neutral_parquet.warehouse,
                   "select session_id from fct_sessions union all select conversation_id from fct_conversations "
                   "union all select agent_id from dim_agents union all select queue_id from dim_queues")
    assert all(i[0] == i[0].lower() and "{" not in i[0] for i in ids if i[0] is not None)


def test_stale_versions_are_superseded(neutral_parquet: Build, baseline: Baseline) -> None:
    agent = neutral_parquet.facts["stale_agent"]
    name = cx.query(neutral_parquet.warehouse, "select agent_name from dim_agents where agent_id = ?", [agent])
    assert name and not name[0][0].startswith("Stale Name")
    assert name == cx.query(baseline.warehouse, "select agent_name from dim_agents where agent_id = ?", [agent])


def test_resurrected_key_after_tombstone_is_current_again(neutral_parquet: Build) -> None:
    conversation = neutral_parquet.facts["resurrected_conversation"]
    rows = cx.query(neutral_parquet.warehouse,
                    "select conversation_created_at from fct_conversations where conversation_id = ?", [conversation])
    assert len(rows) == 1 and rows[0][0] is not None


def test_extra_columns_are_ignored(neutral_parquet: Build) -> None:
    names = {f.name for f in pq.read_schema(neutral_parquet.export / USER / "part-00000.parquet")}
    assert {"cr5e1_customfield", "msdyn_newfield", "createdon"} <= names
    assert "cr5e1_customfield" not in cx.relation_columns(neutral_parquet.warehouse, "dim_agents")


def test_schema_drift_older_files_read_null(neutral_parquet: Build, baseline: Baseline) -> None:
    old_keys = neutral_parquet.facts["drift_old_keys"]
    expected = {}
    for key, r in baseline.current_rows(OCS).items():
        old = key in old_keys
        expected[key] = (None if old else cx.norm_guid(r["msdyn_channelinstanceid"]),
                         None if old else r["statuscode"])
    loaded = {s: (i, c) for s, i, c in cx.query(
        neutral_parquet.warehouse, "select session_id, channel_instance_id, status_code from stg_dataverse__sessions")}
    assert loaded == expected
    assert any(v[0] is not None for v in loaded.values()) and any(v[1] is None for v in loaded.values())


def test_missing_optional_column_reads_null(neutral_parquet: Build) -> None:
    values = cx.query(neutral_parquet.warehouse,
                      "select count(*), count(external_participant_channel_type_code) "
                      "from stg_dataverse__session_participants")
    assert values[0][0] > 0 and values[0][1] == 0


# =========================================================================== build 2: CSV, neutral
TS_STYLES = ("z7", "offset0", "naive", "space", "z6", "plus2", "minus0530", "digit7")


def restyle_timestamp(text: str, style: str) -> str:
    """The same instant written another way (the generator writes 2025-01-01T03:47:28.2450520Z)."""
    moment = cx.to_utc(text)
    assert moment is not None and text.endswith("0Z"), text
    body = moment.strftime("%Y-%m-%dT%H:%M:%S.%f")
    if style == "z7":
        return body + "0Z"
    if style == "offset0":
        return body + "0+00:00"
    if style == "naive":
        return body + "0"
    if style == "space":
        return body.replace("T", " ") + "Z"
    if style == "z6":
        return body + "Z"
    if style == "plus2":
        return (moment + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%S.%f") + "0+02:00"
    if style == "minus0530":
        return (moment - timedelta(hours=5, minutes=30)).strftime("%Y-%m-%dT%H:%M:%S.%f") + "-05:30"
    if style == "digit7":  # a 7th digit below 5: truncating and rounding agree
        return body + "4Z"
    raise ValueError(style)


TRUE_STYLES, FALSE_STYLES = ("true", "1", "TRUE", "True"), ("false", "0", "FALSE", "False")
TIMESTAMPS = {
    OCS: ["msdyn_sessioncreatedon", "msdyn_agentassignedon", "msdyn_agentacceptedon",
          "msdyn_sessionclosedon", "sinkmodifiedon"],
    PART: ["msdyn_addedon", "msdyn_joinedon", "msdyn_lefton", "sinkmodifiedon"],
    SENT: ["createdon", "sinkmodifiedon"],
    CONV: ["msdyn_createdon", "msdyn_closedon", "sinkmodifiedon"],
}
NUMBERS_AS_TEXT = {
    OCS: ["msdyn_state", "msdyn_closurereason", "msdyn_channel", "versionnumber"],
    PART: ["msdyn_activetime", "msdyn_mode"],
    SENT: ["msdyn_sentimentpulse"],
}


def prepare_neutral_csv(root: Path, base: Baseline) -> Build:
    """The same data as the baseline, written the many ways a CSV export writes it."""
    export = cx.copy_export(base.csv, root / "neutral_csv")
    build = Build("neutral_csv", export, "csv", Path())
    pick = cx.Picker(base.warehouse)
    tables = {t: cx.CsvTable(export / t / "part-00000.csv") for t in cx.TABLE_KEYS}
    counts = Counter()

    # Timestamps: 7 digits with Z, +00:00, no suffix, a space separator, 6 digits, a non-zero offset.
    for table, columns in TIMESTAMPS.items():
        t = tables[table]
        for i, record in enumerate(t.records):
            for j, column in enumerate(columns):
                value = t.get(record, column)
                if value:
                    style = TS_STYLES[(i + j) % len(TS_STYLES)]
                    t.set(record, column, restyle_timestamp(value, style))
                    counts[style] += 1
    # Numbers as text: a '.0' tail, blanks around.
    for table, columns in NUMBERS_AS_TEXT.items():
        t = tables[table]
        for i, record in enumerate(t.records):
            for j, column in enumerate(columns):
                value = t.get(record, column)
                if value and (i + j) % 2 == 0:
                    whole = column != "msdyn_sentimentpulse"
                    t.set(record, column, f"{value}.0" if whole and i % 4 == 0 else f" {value} ")
                    counts["number"] += 1
    # Booleans: True/False, true/false, 1/0 in any case.
    for table in cx.TABLE_KEYS:
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
    # Braces and upper case in the conversation keys and the sessions' references to them.
    for i, record in enumerate(tables[CONV].records):
        if i % 2 == 0:
            tables[CONV].set(record, "activityid", braced_upper(tables[CONV].get(record, "activityid")))
    for i, record in enumerate(tables[OCS].records):
        value = tables[OCS].get(record, "msdyn_liveworkitemid")
        if value and i % 3 == 0:
            tables[OCS].set(record, "msdyn_liveworkitemid", value.upper())

    # Quoted fields with commas, quotes and newlines: a queue name and an agent's full name.
    # (the smallest agent queue, so that most sessions stay untouched)
    (small_queue,) = cx.query(base.warehouse, "select queue_id from fct_sessions where not is_bot_session "
                                              "group by queue_id having count(*) > 1 order by count(*), queue_id limit 1")[0]
    queue_session = base.session(pick.one(f"not is_bot_session and queue_id = '{small_queue}'"))
    agent_session = base.session(pick.one(f"not is_bot_session and agent_id is not null "
                                          f"and queue_id <> '{queue_session['queue_id']}'"))
    queue_name = 'Billing, Payments\nand "Refunds"'
    agent_name = 'López, Ana María\n(Tier 2, "Escalations")'
    for t, key, column, target, value in (
            (tables[QUEUE], "queueid", "name", queue_session["queue_id"], queue_name),
            (tables[USER], "systemuserid", "fullname", agent_session["agent_id"], agent_name)):
        versions = t.where(key, lambda v, target=target: v == target)
        newest = max(versions, key=lambda r: int(t.get(r, "versionnumber")))
        t.set(newest, column, value)
    build.facts.update(queue_id=queue_session["queue_id"], queue_name=queue_name,
                       agent_id=agent_session["agent_id"], agent_name=agent_name, counts=counts)
    build.touched = {s for s, row in base.fct.items()
                     if base.session(s)["queue_id"] == queue_session["queue_id"]
                     or base.session(s)["agent_id"] == agent_session["agent_id"]}

    # BOM and CRLF line endings (the session and systemuser files), every field quoted in one.
    for table, t in tables.items():
        if table in (OCS, USER):
            t.write(bom=True, line_end="\r\n", quote_all=table == USER)
        else:
            t.write()
    # A header-only CSV file and an empty (0-byte) CSV file.
    (export / SENT / "part-00001.csv").write_text(",".join(tables[SENT].header) + "\n", encoding="utf-8")
    (export / QUEUE / "part-00001.csv").write_bytes(b"")
    return build


@pytest.fixture(scope="module")
def neutral_csv(builds: dict[str, Build], baseline: Baseline) -> Build:
    build = case(builds, baseline, "neutral_csv")
    if not build.facts.get("marts_checked"):
        assert_marts_equal_baseline(baseline, build, except_marts=("fct_sessions", "dim_queues", "dim_agents"))
        build.facts["marts_checked"] = True
    return build


def test_csv_header_only_and_empty_files_load_nothing(neutral_csv: Build, baseline: Baseline) -> None:
    assert (neutral_csv.export / QUEUE / "part-00001.csv").stat().st_size == 0
    assert cx.read_csv_file(neutral_csv.export / SENT / "part-00001.csv")[1] == []
    loaded = cx.loaded_audit(neutral_csv.warehouse)
    assert loaded[(SENT, CURRENT, None)] == baseline.count(SENT, CURRENT)
    assert loaded[(QUEUE, CURRENT, None)] == baseline.count(QUEUE, CURRENT)


def test_csv_bom_and_crlf(neutral_csv: Build, baseline: Baseline) -> None:
    data = (neutral_csv.export / OCS / "part-00000.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf\"activityid\"") or data.startswith(b"\xef\xbb\xbfactivityid")
    assert data.count(b"\r\n") >= baseline.count(OCS, CURRENT)
    # The key column behind the BOM and the last column before CR LF (isdelete) both read:
    loaded = cx.loaded_audit(neutral_csv.warehouse)
    assert loaded[(OCS, DELETED, None)] == baseline.count(OCS, DELETED) > 0
    assert not [f for f in fault_rows(neutral_csv) if f[2] == "unparseable value"]


def test_csv_quoted_fields_with_commas_and_newlines(neutral_csv: Build, baseline: Baseline) -> None:
    facts = neutral_csv.facts
    columns, rows = fct_of(neutral_csv)
    names = ("queue_name", "agent_name")
    for session in neutral_csv.touched:
        row, before = session_of(neutral_csv, session), baseline.session(session)
        assert {k: v for k, v in row.items() if k not in names} == {k: v for k, v in before.items() if k not in names}
        if row["queue_id"] == facts["queue_id"]:
            assert row["queue_name"] == facts["queue_name"]
        if row["agent_id"] == facts["agent_id"]:
            assert row["agent_name"] == facts["agent_name"]
    assert cx.query(neutral_csv.warehouse, "select queue_name from dim_queues where queue_id = ?",
                    [facts["queue_id"]]) == [(facts["queue_name"],)]
    assert cx.query(neutral_csv.warehouse, "select agent_name from dim_agents where agent_id = ?",
                    [facts["agent_id"]]) == [(facts["agent_name"],)]
    assert len(neutral_csv.touched) > 0


def test_csv_numbers_as_text(neutral_csv: Build) -> None:
    assert neutral_csv.facts["counts"]["number"] > 500
    assert not [f for f in fault_rows(neutral_csv) if f[2] == "unparseable value"]


def test_csv_timestamp_styles_read_as_the_same_instants(neutral_csv: Build) -> None:
    counts = neutral_csv.facts["counts"]
    assert all(counts[style] > 100 for style in TS_STYLES)
    # Same instants: every mart equals the Parquet baseline's (checked by the fixture), and
    # the sub-second parts survived in fct_sessions.
    micros = cx.query(neutral_csv.warehouse,
                      "select count(*) from fct_sessions where microsecond(created_at) % 1000000 <> 0")
    assert micros[0][0] > SESSIONS * 0.5


def test_csv_booleans_in_every_spelling(neutral_csv: Build, baseline: Baseline) -> None:
    counts = neutral_csv.facts["counts"]
    assert counts["bool True"] > 0 and counts["bool False"] > 0
    loaded = cx.loaded_audit(neutral_csv.warehouse)
    for table in cx.TABLE_KEYS:
        assert loaded[(table, DELETED, None)] == baseline.count(table, DELETED)


def test_csv_marts_equal_the_parquet_baseline(neutral_csv: Build, baseline: Baseline) -> None:
    assert_untouched_sessions_unchanged(baseline, neutral_csv)
    assert_marts_equal_baseline(baseline, neutral_csv, except_marts=("fct_sessions", "dim_queues", "dim_agents"))


# =========================================================================== build 3: CSV, faults
def prepare_faulty_csv(root: Path, base: Baseline) -> Build:
    """Faults that change some sessions: each changed as specified, the others untouched."""
    export = cx.copy_export(base.csv, root / "faulty_csv")
    build = Build("faulty_csv", export, "csv", Path())
    pick = cx.Picker(base.warehouse)
    facts = build.facts
    tables = {t: cx.CsvTable(export / t / "part-00000.csv") for t in cx.TABLE_KEYS}
    ocs, part, sent = tables[OCS], tables[PART], tables[SENT]
    single_row = {k for k, n in Counter(r[ocs.col("activityid")] for r in ocs.records).items() if n == 1}

    def session_record(session: str) -> list[str]:
        (record,) = ocs.where("activityid", lambda v: v == session)
        return record

    def primaries(session: str) -> list[list[str]]:
        return [r for r in part.where("msdyn_omnichannelsession", lambda v: v == session)
                if part.get(r, "msdyn_mode") == str(PRIMARY)]

    one_primary = {s for s in base.fct if len(primaries(s)) == 1}
    children = {}
    for table in (PART, SENT):
        children[table] = Counter(cx.norm_guid(r[cx.SESSION_REFERENCES[table]])
                                  for r, s, _ in base.states[table] if s == CURRENT)
    agent_closed = "not is_bot_session and is_closed and is_engaged and channel_code is not null"

    # A tombstone as the newest version: the session no longer exists; its participants and
    # sentiments become orphans.
    gone = pick.one(agent_closed + " and customer_sentiment_pulse is not null", among=single_row & one_primary)
    record = session_record(gone)
    ocs.append({"activityid": gone, "versionnumber": int(ocs.get(record, "versionnumber")) + 1,
                "sinkmodifiedon": cx.iso_z(cx.to_utc(ocs.get(record, "sinkmodifiedon")) + timedelta(minutes=5)),
                "isdelete": "True"})
    build.touched.add(gone)
    facts["tombstoned"] = gone
    build.audit_delta[(OCS, CURRENT, None)] -= 1
    build.audit_delta[(OCS, DELETED, None)] += 2
    for table in (PART, SENT):
        n = children[table][gone]
        assert n > 0
        build.audit_delta[(table, CURRENT, None)] -= n
        build.audit_delta[(table, QUARANTINED, ORPHAN)] += n

    # A resurrected key: a session deleted in the export gets a newer, living version.
    deleted = {}
    for r, state, _ in base.states[OCS]:
        if state == DELETED:
            deleted.setdefault(cx.norm_guid(r["activityid"]), []).append(r)
    candidates = sorted(k for k, rs in deleted.items()
                        if any(not r["isdelete"] and r["msdyn_channel"] not in (None, 192350000) for r in rs))
    assert candidates, "the baseline export has no deleted in-scope session to resurrect"
    revived = candidates[0]
    versions = deleted[revived]
    living = max((r for r in versions if not r["isdelete"]), key=lambda r: r["versionnumber"])
    newest = max(versions, key=lambda r: r["versionnumber"])
    (text_record,) = [r for r in ocs.where("activityid", lambda v: v == revived)
                      if ocs.get(r, "isdelete") == "False" and int(ocs.get(r, "versionnumber")) == living["versionnumber"]]
    again = list(text_record)
    ocs.set(again, "versionnumber", newest["versionnumber"] + 1)
    ocs.set(again, "sinkmodifiedon", cx.iso_z(cx.to_utc(newest["sinkmodifiedon"]) + timedelta(minutes=1)))
    ocs.records.append(again)
    facts["resurrected"] = (revived, living)
    build.added.add(revived)
    build.audit_delta[(OCS, DELETED, None)] -= len(versions)
    build.audit_delta[(OCS, SUPERSEDED, None)] += len(versions)
    build.audit_delta[(OCS, CURRENT, None)] += 1
    for table in (PART, SENT):  # its children were orphans; now their session exists
        revived_children = sum(1 for r, s, reason in base.states[table]
                               if reason == ORPHAN and cx.norm_guid(r["msdyn_omnichannelsession"]) == revived)
        build.audit_delta[(table, QUARANTINED, ORPHAN)] -= revived_children
        build.audit_delta[(table, CURRENT, None)] += revived_children
        facts[f"revived_{table}"] = revived_children

    def fault(name: str, condition: str, among: set[str] | None = None) -> tuple[str, list[str]]:
        session = pick.one(condition, among=(among or set(base.fct)) & single_row)
        build.touched.add(session)
        facts[name] = session
        return session, session_record(session)

    # An unparseable timestamp: the field becomes NULL, the session still counts.
    session, record = fault("unparseable_ts", agent_closed)
    ocs.set(record, "msdyn_agentacceptedon", "2025-02-30T25:61:00Z")
    # End before start: wait time (created after accepted), time to accept, time to reject.
    session, record = fault("wait_end_before_start", agent_closed + " and wait_time_seconds > 2")
    accepted = cx.to_utc(ocs.get(record, "msdyn_agentacceptedon"))
    ocs.set(record, "msdyn_sessioncreatedon", cx.iso_z(accepted + timedelta(seconds=1)))
    session, record = fault("accept_end_before_start",
                            agent_closed + " and epoch(assigned_at) - epoch(created_at) > 5")
    assigned = cx.to_utc(ocs.get(record, "msdyn_agentassignedon"))
    ocs.set(record, "msdyn_agentacceptedon", cx.iso_z(assigned - timedelta(seconds=1)))
    session, record = fault("reject_end_before_start",
                            "not is_bot_session and is_rejected and epoch(assigned_at) - epoch(created_at) > 5")
    ocs.set(record, "msdyn_sessionclosedon", cx.iso_z(assigned_at(ocs, record) - timedelta(seconds=1)))
    # Unknown closure reason and channel codes: labelled / kept, recorded.
    session, record = fault("unknown_closure", agent_closed + " and closure_reason_code = 192350004")
    ocs.set(record, "msdyn_closurereason", "192350777")
    session, record = fault("unknown_channel", agent_closed + " and channel_code = 192360000")
    ocs.set(record, "msdyn_channel", "192999999")
    # Negative and absurd activetime on a session's only Primary participant.
    for name, value in (("negative_activetime", "-5"), ("absurd_activetime", "9999999")):
        session = pick.one(agent_closed + " and handle_time_seconds > 0", among=one_primary)
        build.touched.add(session)
        (primary,) = primaries(session)
        part.set(primary, "msdyn_activetime", value)
        facts[name] = (session, part.get(primary, "msdyn_sessionparticipantid"), int(value))
    # Text where a number belongs: the latest sentiment's pulse.
    session = pick.one("not is_bot_session and customer_sentiment_pulse is not null")
    build.touched.add(session)
    readings = sent.where("msdyn_omnichannelsession", lambda v: v == session)
    latest = max(readings, key=lambda r: cx.to_utc(sent.get(r, "createdon")))
    sent.set(latest, "msdyn_sentimentpulse", "n/a")
    facts["pulse_as_text"] = (session, sent.get(latest, "msdyn_ocsessionsentimentid"))

    # Schema drift on a required column: the participants of two sessions (one handled by an
    # external participant) in an older file without msdyn_externalparticipantchannel.
    external = pick.one("is_handled_by_external_participant")
    plain = pick.one("not is_bot_session and is_engaged and agent_id is not null")
    build.touched.update({external, plain})
    facts["drift"] = (external, plain)
    moved = [r for r in part.records if r[part.col("msdyn_omnichannelsession")] in (external, plain)]
    part.records = [r for r in part.records if r not in moved]
    older = cx.CsvTable.__new__(cx.CsvTable)
    older.path, older.header, older.records = export / PART / "part-00001.csv", list(part.header), [list(r) for r in moved]
    older.drop_column("msdyn_externalparticipantchannel")
    older.write()

    for t in tables.values():
        t.write()
    return build


def assigned_at(ocs: cx.CsvTable, record: list[str]) -> datetime:
    return cx.to_utc(ocs.get(record, "msdyn_agentassignedon"))


@pytest.fixture(scope="module")
def faulty(builds: dict[str, Build], baseline: Baseline) -> Build:
    build = case(builds, baseline, "faulty_csv")
    if not build.facts.get("metrics_checked"):
        assert_untouched_metric_rows_unchanged(baseline, build)
        build.facts["metrics_checked"] = True
    return build


def changed_fields(build: Build, base: Baseline, session: str) -> dict[str, tuple]:
    before, after = base.session(session), session_of(build, session)
    assert after is not None, f"{session} is no longer in fct_sessions"
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def seconds(a: datetime, b: datetime) -> float:
    return (b - a) / timedelta(seconds=1)


def test_tombstone_as_newest_version_deletes_the_session(faulty: Build, baseline: Baseline) -> None:
    gone = faulty.facts["tombstoned"]
    assert session_of(faulty, gone) is None
    assert not cx.query(faulty.warehouse, "select * from stg_dataverse__sessions where session_id = ?", [gone])
    assert not cx.query(faulty.warehouse, "select * from stg_dataverse__session_participants where session_id = ?", [gone])
    total = cx.query(faulty.warehouse, "select sum(total_sessions) from metric_total_sessions")[0][0]
    before = cx.query(baseline.warehouse, "select sum(total_sessions) from metric_total_sessions")[0][0]
    revived = session_of(faulty, faulty.facts["resurrected"][0])
    assert total == before - 1 + (0 if revived["is_bot_session"] else 1)


def test_resurrected_key_after_tombstone_is_a_session_again(faulty: Build, baseline: Baseline) -> None:
    key, living = faulty.facts["resurrected"]
    assert key not in baseline.fct
    row = session_of(faulty, key)
    assert row is not None
    assert row["session_display_id"] == living["msdyn_sessionid"]
    assert row["channel_code"] == living["msdyn_channel"]
    assert row["created_at"] == cx.to_utc(living["msdyn_sessioncreatedon"])
    assert row["closed_at"] == cx.to_utc(living["msdyn_sessionclosedon"])
    assert faulty.facts[f"revived_{PART}"] == 0 or row["agent_id"] is not None


def test_unparseable_timestamp_becomes_null_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["unparseable_ts"]
    before = baseline.session(session)
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("accepted_at")[1] is None
    assert changed.pop("is_engaged") == (True, False)
    assert changed.pop("handle_time_seconds")[1] is None
    assert changed.pop("time_to_accept_seconds")[1] is None
    wait = changed.pop("wait_time_seconds")[1]
    assert wait == pytest.approx(seconds(before["created_at"], before["closed_at"]), abs=1e-6)
    assert not changed
    faults = [f for f in fault_rows(faulty) if f[:3] == (OCS, session, "unparseable value")]
    assert len(faults) == 1 and "msdyn_agentacceptedon" in faults[0][3]


def test_wait_end_before_start_nulls_the_duration_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["wait_end_before_start"]
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("wait_time_seconds")[1] is None
    assert changed.pop("created_at")[1] == baseline.session(session)["accepted_at"] + timedelta(seconds=1)
    changed.pop("session_date", None)
    assert not changed, changed  # time to accept, handle time, flags: as before
    assert (OCS, session, "wait time end before start") in {f[:3] for f in fault_rows(faulty)}


def test_accept_end_before_start_nulls_time_to_accept_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["accept_end_before_start"]
    before = baseline.session(session)
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("time_to_accept_seconds")[1] is None
    accepted = changed.pop("accepted_at")[1]
    assert accepted == before["assigned_at"] - timedelta(seconds=1)
    assert changed.pop("wait_time_seconds")[1] == pytest.approx(seconds(before["created_at"], accepted), abs=1e-6)
    assert not changed, changed
    assert (OCS, session, "time to accept end before start") in {f[:3] for f in fault_rows(faulty)}


def test_reject_end_before_start_nulls_time_to_reject_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["reject_end_before_start"]
    before = baseline.session(session)
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("time_to_reject_seconds")[1] is None
    closed = changed.pop("closed_at")[1]
    assert closed == before["assigned_at"] - timedelta(seconds=1)
    if "wait_time_seconds" in changed:
        assert changed.pop("wait_time_seconds")[1] == pytest.approx(seconds(before["created_at"], closed), abs=1e-6)
    assert not changed, changed
    row = session_of(faulty, session)
    assert row["is_rejected"] and row["is_closed"]
    assert (OCS, session, "time to reject end before start") in {f[:3] for f in fault_rows(faulty)}


def test_unknown_closure_code_is_labelled_unknown_and_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["unknown_closure"]
    changed = changed_fields(faulty, baseline, session)
    assert changed == {"closure_reason_code": (192350004, 192350777),
                       "closure_reason_label": ("AgentClosed", "Unknown")}
    assert (OCS, session, "unknown closure reason code") in {f[:3] for f in fault_rows(faulty)}
    row = session_of(faulty, session)
    counted = cx.query(faulty.warehouse,
                       "select sum(sessions) from metric_session_closure_reasons where closure_reason_code = 192350777 "
                       "and closure_reason_label = 'Unknown' and queue_id = ? and agent_id = ?",
                       [row["queue_id"], row["agent_id"]])
    assert counted == [(1,)]


def test_unknown_channel_code_is_kept_and_recorded(faulty: Build, baseline: Baseline) -> None:
    session = faulty.facts["unknown_channel"]
    changed = changed_fields(faulty, baseline, session)
    assert changed.pop("channel_code") == (192360000, 192999999)
    name = changed.pop("channel_name")
    assert name[0] == "Live chat" and name[1] in (None, "Unknown")
    assert not changed
    assert (OCS, session, "unknown channel code") in {f[:3] for f in fault_rows(faulty)}
    counted = cx.query(faulty.warehouse,
                       "select sum(total_sessions) from metric_total_sessions where channel_code = 192999999")
    assert counted == [(1,)]


def test_negative_activetime_counts_zero_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session, participant, value = faulty.facts["negative_activetime"]
    changed = changed_fields(faulty, baseline, session)
    assert changed == {"handle_time_seconds": (baseline.session(session)["handle_time_seconds"], 0.0)}
    assert (PART, participant, "negative activetime", str(value)) in fault_rows(faulty)


def test_absurd_activetime_is_kept_and_recorded(faulty: Build, baseline: Baseline) -> None:
    session, participant, value = faulty.facts["absurd_activetime"]
    changed = changed_fields(faulty, baseline, session)
    assert changed == {"handle_time_seconds": (baseline.session(session)["handle_time_seconds"], float(value))}
    assert (PART, participant, "absurd activetime", str(value)) in fault_rows(faulty)


def test_text_in_a_number_column_becomes_null_and_is_recorded(faulty: Build, baseline: Baseline) -> None:
    session, sentiment = faulty.facts["pulse_as_text"]
    changed = changed_fields(faulty, baseline, session)
    assert changed == {"customer_sentiment_pulse": (baseline.session(session)["customer_sentiment_pulse"], None)}
    faults = [f for f in fault_rows(faulty) if f[:3] == (SENT, sentiment, "unparseable value")]
    assert len(faults) == 1 and "msdyn_sentimentpulse" in faults[0][3]


def test_required_column_missing_from_older_files_reads_null(faulty: Build, baseline: Baseline) -> None:
    external, plain = faulty.facts["drift"]
    assert changed_fields(faulty, baseline, external) == {"is_handled_by_external_participant": (True, False)}
    assert changed_fields(faulty, baseline, plain) == {}
    channels = cx.query(faulty.warehouse,
                        "select count(*), count(external_participant_channel) from stg_dataverse__session_participants "
                        "where session_id in (?, ?)", [external, plain])
    assert channels[0][0] > 0 and channels[0][1] == 0


def test_faults_are_recorded_only_where_introduced(faulty: Build, baseline: Baseline) -> None:
    """Every fault of the corrupted build is a baseline fault or one a corruption introduced."""
    before = cx.faults(baseline.warehouse)
    introduced = {f[1] for f in fault_rows(faulty) - before}
    facts = faulty.facts
    expected = {facts[k] for k in ("unparseable_ts", "wait_end_before_start", "accept_end_before_start",
                                   "reject_end_before_start", "unknown_closure", "unknown_channel")}
    expected |= {facts["negative_activetime"][1], facts["absurd_activetime"][1], facts["pulse_as_text"][1]}
    assert introduced == expected


# =========================================================================== errors
ERRORS: dict[str, dict[str, object]] = {}


def _submit_error_builds(suite: Suite, parquet: Path, csv: Path) -> None:
    """Exports that cannot serve; each build must stop with one message naming the problem."""
    root = suite.root / "errors"

    def export(name: str, source: Path) -> Path:
        return cx.copy_export(source, root / name)

    e = export("missing_table", parquet)
    shutil.rmtree(e / QUEUE)
    ERRORS["missing_table"] = dict(export=e, fmt="parquet", needles=["'queue'", f"{e}/queue"])

    e = export("missing_required_columns", csv)
    for table, column in ((OCS, "msdyn_agentacceptedon"), (USER, "fullname")):
        t = cx.CsvTable(e / table / "part-00000.csv")
        t.drop_column(column)
        t.write()
    ERRORS["missing_required_columns"] = dict(
        export=e, fmt="csv", needles=["'msdyn_ocsession'", "'msdyn_agentacceptedon'", "'systemuser'", "'fullname'"])

    e = export("unreadable_file", parquet)
    bad = e / USER / "part-00001.parquet"
    bad.write_bytes((parquet / USER / "part-00000.parquet").read_bytes()[:200])  # truncated
    ERRORS["unreadable_file"] = dict(export=e, fmt="parquet", needles=[str(bad)])

    e = export("malformed_csv", csv)
    good = cx.read_csv_file(csv / QUEUE / "part-00000.csv")
    bad = e / QUEUE / "part-00001.csv"
    cx.write_csv_file(bad, good[0], good[1][:3] + [[new_guid(7), "Ragged, row", "1", "2025-01-01T00:00:00Z",
                                                     "False", "one field too many"]] + good[1][3:])
    ERRORS["malformed_csv"] = dict(export=e, fmt="csv", needles=[str(bad)])

    nowhere = root / "no_such_folder"
    ERRORS["path_nowhere"] = dict(export=nowhere, fmt="parquet", needles=["dataverse_path", str(nowhere)])

    ERRORS["unsupported_format"] = dict(export=parquet, fmt="json", needles=["dataverse_format", "'json'"])

    for name, spec in ERRORS.items():
        suite.submit(Build(f"error_{name}", spec["export"], spec["fmt"], Path()))


@pytest.mark.parametrize("name", ["missing_table", "missing_required_columns", "unreadable_file",
                                  "malformed_csv", "path_nowhere", "unsupported_format"])
def test_input_that_cannot_serve_stops_the_build_with_a_clear_message(
        name: str, suite: Suite, baseline: Baseline) -> None:
    build = suite.builds[f"error_{name}"]
    result = build.result
    assert not result.ok
    # One message: dbt reports a single error, and it names the table, column, path or var.
    errors = result.output.count("Encountered an error")
    assert errors == 1, result.output[-3000:]
    message = result.output[result.output.index("Encountered an error"):]
    for needle in ERRORS[name]["needles"]:
        assert needle in message, f"{needle!r} not in:\n{message}"
    # Nothing was built.
    if build.warehouse.exists():
        assert "fct_sessions" not in cx.relations(build.warehouse)
