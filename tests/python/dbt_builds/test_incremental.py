"""A full build followed by an incremental build over the changed export gives the same marts as
a full refresh of the changed export."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from omnichannel_tools.catalogue import metric_views
from omnichannel_tools.change import apply_change
from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.generator import generate_export

MARTS = [
    "fct_sessions",
    "fct_conversations",
    "fct_session_metrics_daily",
    "fct_session_closure_reasons_daily",
    "fct_session_conversations_daily",
    "dim_agents",
    "dim_queues",
    "dataverse_load_audit",
    "dataverse_data_faults",
    *metric_views(),  # every metric view of the catalogue
    # The incremental intermediate tables: the same rows as a full refresh, not only the marts.
    "int_session_changes_rolled_up",
    "int_session_participants_rolled_up",
    "int_session_sentiments_latest",
    "int_session_participant_times",
]


def assert_same_rows(left: list[tuple], right: list[tuple], relation: str) -> None:
    """Row-for-row equality; floats (sums of sentiment pulses, added in another order) within 1e-12."""
    assert len(left) == len(right), relation
    for row_left, row_right in zip(left, right, strict=True):
        for a, b in zip(row_left, row_right, strict=True):
            if isinstance(a, float) and isinstance(b, float):
                assert math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12), (relation, row_left, row_right)
            else:
                assert a == b, (relation, row_left, row_right)


def _rows(warehouse: Path, relation: str) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(f"select * from {relation} order by all").fetchall()


def _build(export: Path, warehouse: Path, *extra: str) -> None:
    result = run_dbt(
        ["build", "--exclude", "test_type:unit", *extra],
        warehouse=warehouse,
        export_path=export,
        target_path=warehouse.parent / f"target-{warehouse.stem}",
    )
    assert result.ok, result.output[-4000:]


def _append_version_without_lake_time(export: Path) -> None:
    """A new version of one closed session, re-coded as a transfer, whose sinkmodifiedon is NULL."""
    sessions = pq.read_table(export / "msdyn_ocsession").to_pandas()
    touched = set(
        pq.read_table(next((export / "msdyn_ocsession").glob("part-change-*.parquet"))).column("activityid").to_pylist()
    )
    untouched = sessions[~sessions["activityid"].isin(touched)]
    closed = untouched[untouched["msdyn_closurereason"] == 192350004].sort_values("activityid").head(1).copy()
    closed["msdyn_closurereason"] = 192350006
    closed["versionnumber"] = sessions["versionnumber"].max() + 1
    closed["sinkmodifiedon"] = pd.NaT
    table = pa.Table.from_pandas(closed, preserve_index=False).cast(
        pq.read_schema(next((export / "msdyn_ocsession").glob("part-0*.parquet")))
    )
    pq.write_table(table, export / "msdyn_ocsession" / "part-late-no-lake-time.parquet")


def _latest_current(export: Path, table: str, key: str) -> pd.DataFrame:
    """The latest version of every key of a table, tombstoned keys left out."""
    rows = pq.read_table(export / table).to_pandas().sort_values([key, "versionnumber"])
    latest = rows.drop_duplicates(key, keep="last")
    return latest[~latest["isdelete"].fillna(False).astype(bool)]


def _write_late(export: Path, table: str, rows: pd.DataFrame, name: str) -> None:
    schema = pq.read_schema(next((export / table).glob("part-0*.parquet")))
    pq.write_table(pa.Table.from_pandas(rows, preserve_index=False).cast(schema), export / table / name)


def _spread_conversations_over_two_days(export: Path, conversations: int = 12) -> None:
    """Before the first build: in a few two-session conversations one session moves 40 days back (a new version, at
    its old lake time), so that these conversations hold agent sessions on a date nothing else touches."""
    sessions = _latest_current(export, "msdyn_ocsession", "activityid")
    sessions = sessions[sessions["msdyn_liveworkitemid"].notna() & sessions["msdyn_sessioncreatedon"].notna()]
    pairs = sessions.groupby("msdyn_liveworkitemid")["activityid"].transform("count") == 2
    spread = sessions[pairs].sort_values(["msdyn_liveworkitemid", "activityid"])
    spread = spread.drop_duplicates("msdyn_liveworkitemid", keep="last").head(conversations).copy()
    for column in ("msdyn_sessioncreatedon", "msdyn_agentassignedon", "msdyn_agentacceptedon", "msdyn_sessionclosedon"):
        spread[column] = spread[column] - pd.Timedelta(days=40)
    spread["versionnumber"] = spread["versionnumber"] + 1
    _write_late(export, "msdyn_ocsession", spread, "part-0-spread-over-two-days.parquet")


def _sessions_written_since_the_build(export: Path) -> set[str]:
    """The sessions of every key (session, participant, sentiment, event) the change or a late row wrote."""
    keys_and_sessions = {
        "msdyn_ocsession": ("activityid", "activityid"),
        "msdyn_sessionparticipant": ("msdyn_sessionparticipantid", "msdyn_omnichannelsession"),
        "msdyn_ocsessionsentiment": ("msdyn_ocsessionsentimentid", "msdyn_omnichannelsession"),
        "msdyn_ocsessionparticipantevent": ("msdyn_ocsessionparticipanteventid", "msdyn_sessionid"),
    }
    sessions: set[str] = set()
    for table, (key, column) in keys_and_sessions.items():
        parts = [*(export / table).glob("part-change-*.parquet"), *(export / table).glob("part-late-*.parquet")]
        written = {k for part in parts for k in pq.read_table(part, columns=[key]).column(key).to_pylist()}
        rows = pq.read_table(export / table, columns=list({key, column})).to_pandas()
        sessions |= set(rows.loc[rows[key].isin(written), column].dropna())
    return sessions


def _quiet_conversations(warehouse: Path, export: Path) -> tuple[str, list[str], str]:
    """From the build before the late rows: an agent session that alone holds its conversation's latest time, its
    conversation having an agent session on a date nothing else refreshes (moving the session away sends the
    conversation's time back, and only that tells the aggregate to refresh the date); the conversations
    untouched so far whose sessions are on none of that conversation's dates; and an agent session that does not
    hold its untouched conversation's latest time (deleting it changes only the conversation's session counts)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        sessions = con.execute(
            "select session_id, conversation_id, session_date, source_modified_at, is_bot_session from fct_sessions "
            "where conversation_id is not null"
        ).df()
    sessions["session_date"] = pd.to_datetime(sessions["session_date"]).dt.date
    written = _sessions_written_since_the_build(export)
    new_sessions = pq.read_table(export / "msdyn_ocsession", columns=["activityid", "msdyn_sessioncreatedon"])
    new_sessions = new_sessions.to_pandas()
    new_sessions = new_sessions[new_sessions["activityid"].isin(written - set(sessions["session_id"]))]
    touched_dates = set(sessions.loc[sessions["session_id"].isin(written), "session_date"]) | set(
        new_sessions["msdyn_sessioncreatedon"].dt.date.dropna()
    )
    touched_conversations = set(sessions.loc[sessions["session_id"].isin(written), "conversation_id"])
    quiet = sessions[~sessions["conversation_id"].isin(touched_conversations)]
    agents = quiet[~quiet["is_bot_session"]]
    for conversation, group in agents.groupby("conversation_id", sort=True):
        latest = group[group["source_modified_at"] == group["source_modified_at"].max()]
        known = len(group) == group["source_modified_at"].count()
        other_dates = set(group["session_date"]) - set(latest["session_date"]) - touched_dates
        if known and len(latest) == 1 and other_dates:
            dates = set(quiet.loc[quiet["conversation_id"] == conversation, "session_date"])
            elsewhere = quiet.groupby("conversation_id")["session_date"].agg(lambda d, dates=dates: dates.isdisjoint(d))
            elsewhere = sorted(elsewhere[elsewhere].index)
            others = agents[~agents["conversation_id"].isin({conversation, *elsewhere})]
            earlier = (
                others.groupby("conversation_id")["source_modified_at"].transform("max") > others["source_modified_at"]
            )
            return latest["session_id"].iloc[0], elsewhere, others.loc[earlier, "session_id"].sort_values().iloc[0]
    raise AssertionError("no conversation whose latest time one session holds, with a quiet date")


def _append_conversation_side_changes(export: Path, warehouse: Path) -> None:
    """Changes the generic change never writes, in the lake after everything built before it: an agent session moved
    to another conversation (the one it leaves keeps sessions on another date and its latest time goes back), a new
    version of an existing conversation (its direction flipped), a new Hold event of an existing participant, and a
    tombstone of an agent session that does not hold its conversation's latest time."""
    change = pq.read_table(next((export / "msdyn_ocsession").glob("part-change-*.parquet"))).to_pandas()
    written_at = change["sinkmodifiedon"].max()
    version = int(change["versionnumber"].max()) + 1_000
    moved_id, elsewhere, doomed_id = _quiet_conversations(warehouse, export)
    sessions = _latest_current(export, "msdyn_ocsession", "activityid")
    moved = sessions[sessions["activityid"] == moved_id].copy()
    moved["msdyn_liveworkitemid"] = elsewhere[0]
    moved["versionnumber"], moved["sinkmodifiedon"] = version, written_at
    _write_late(export, "msdyn_ocsession", moved, "part-late-moved-session.parquet")
    doomed = sessions[sessions["activityid"] == doomed_id].copy()
    for column in doomed.columns.difference(["activityid", "versionnumber", "sinkmodifiedon", "isdelete"]):
        doomed[column] = None
    doomed["versionnumber"], doomed["sinkmodifiedon"], doomed["isdelete"] = version + 3, written_at, True
    _write_late(export, "msdyn_ocsession", doomed, "part-late-deleted-session.parquet")

    conversations = _latest_current(export, "msdyn_ocliveworkitem", "activityid")
    flipped = conversations[conversations["activityid"] == elsewhere[-1]].copy()
    assert len(flipped) == 1
    flipped["msdyn_isoutbound"] = ~flipped["msdyn_isoutbound"].fillna(False).astype(bool)
    flipped["versionnumber"], flipped["sinkmodifiedon"] = version + 1, written_at
    _write_late(export, "msdyn_ocliveworkitem", flipped, "part-late-flipped-conversation.parquet")

    participants = _latest_current(export, "msdyn_sessionparticipant", "msdyn_sessionparticipantid")
    primary = participants[
        (participants["msdyn_mode"] == 192350002)
        & participants["msdyn_omnichannelsession"].isin(
            set(sessions.loc[sessions["msdyn_liveworkitemid"].isin(elsewhere[1:-1]), "activityid"])
        )
    ].head(1)
    assert len(primary) == 1
    started = written_at - pd.Timedelta(minutes=10)
    event = pd.DataFrame(
        {
            "msdyn_ocsessionparticipanteventid": ["0e0e0e0e-0000-4000-8000-000000000001"],
            "msdyn_sessionid": primary["msdyn_omnichannelsession"].to_list(),
            "msdyn_sessionparticipantid": primary["msdyn_sessionparticipantid"].to_list(),
            "msdyn_eventtype": [192350001],  # Hold
            "msdyn_eventreason": [192350000],  # agent-initiated
            "msdyn_eventstarttime": [started],
            "msdyn_eventendtime": [started + pd.Timedelta(seconds=95)],
            "msdyn_eventduration": [95],
            "versionnumber": [version + 2],
            "sinkmodifiedon": [written_at],
            "isdelete": [False],
        }
    )
    _write_late(export, "msdyn_ocsessionparticipantevent", event, "part-late-hold-event.parquet")


@pytest.fixture(scope="module")
def incremental_and_full(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    work = tmp_path_factory.mktemp("incremental")
    export = work / "export"
    generate_export(export, sessions=1_500, seed=11, fmt="parquet")
    _spread_conversations_over_two_days(export)
    incremental = work / "incremental.duckdb"
    _build(export, incremental)
    before = _rows(incremental, "fct_sessions")
    changed = apply_change(export, fraction=0.05, seed=5)
    _append_version_without_lake_time(export)
    _append_conversation_side_changes(export, incremental)
    _build(export, incremental)
    full = work / "full.duckdb"
    _build(export, full, "--full-refresh")
    assert _rows(incremental, "fct_sessions") != before  # the change reached the marts
    return incremental, full, changed


def test_the_change_touches_every_kind_of_row(incremental_and_full) -> None:
    _, full, changed = incremental_and_full
    assert all(rows > 0 for rows in changed.values()), changed
    states = dict(
        duckdb.connect(str(full), read_only=True)
        .execute("select load_state, sum(raw_rows) from dataverse_load_audit group by all")
        .fetchall()
    )
    assert states["deleted"] > 0 and states["superseded"] > 0


@pytest.mark.parametrize("relation", MARTS)
def test_incremental_build_equals_full_refresh(incremental_and_full, relation: str) -> None:
    incremental, full, _ = incremental_and_full
    assert_same_rows(_rows(incremental, relation), _rows(full, relation), relation)


def test_a_build_with_nothing_new_changes_nothing(incremental_and_full, tmp_path: Path) -> None:
    incremental, _, _ = incremental_and_full
    copy = tmp_path / "again.duckdb"
    shutil.copy(incremental, copy)
    export = incremental.parent / "export"
    _build(export, copy)
    for relation in MARTS:
        assert_same_rows(_rows(copy, relation), _rows(incremental, relation), relation)
