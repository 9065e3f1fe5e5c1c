"""Tests of the demo-data generator (omnichannel_tools.generator)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from omnichannel_tools.generator import generate_export
from omnichannel_tools.generator.cli import main

SESSIONS = 3000
SEED = 42
ROOT = Path(__file__).resolve().parents[2]

# The columns of spec/dataverse-export.md, plus the export mechanics.
MECHANICS = ["versionnumber", "sinkmodifiedon", "isdelete"]
SPEC_COLUMNS = {
    "msdyn_ocsession": [
        "activityid", "msdyn_sessionid", "msdyn_liveworkitemid", "msdyn_queueid", "msdyn_channel",
        "msdyn_channelinstanceid", "msdyn_sessioncreatedon", "msdyn_agentassignedon",
        "msdyn_agentacceptedon", "msdyn_sessionclosedon", "msdyn_state", "msdyn_closurereason",
        "statuscode"],
    "msdyn_sessionparticipant": [
        "msdyn_sessionparticipantid", "msdyn_omnichannelsession", "msdyn_agentid", "msdyn_mode",
        "msdyn_addedon", "msdyn_joinedon", "msdyn_lefton", "msdyn_leftonreason",
        "msdyn_activetime", "msdyn_externalparticipantchannel",
        "msdyn_externalparticipantchanneltype"],
    "msdyn_ocliveworkitem": [
        "activityid", "msdyn_isoutbound", "statuscode", "msdyn_createdon", "msdyn_closedon"],
    "msdyn_ocsessionsentiment": [
        "msdyn_ocsessionsentimentid", "msdyn_omnichannelsession", "msdyn_sentimentpulse",
        "msdyn_sentimentzone", "createdon"],
    "systemuser": ["systemuserid", "fullname", "msdyn_botapplicationid"],
    "queue": ["queueid", "name"],
}
KEYS = {t: cols[0] for t, cols in SPEC_COLUMNS.items()}
FACTS = ["msdyn_ocsession", "msdyn_sessionparticipant", "msdyn_ocliveworkitem",
         "msdyn_ocsessionsentiment"]
TS = pa.timestamp("us", tz="UTC")


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _connect(root: Path, fmt: str = "parquet") -> duckdb.DuckDBPyConnection:
    """Views per table (all rows, with file name) and cur_<table> (current, not deleted)."""
    con = duckdb.connect()
    for table, key in KEYS.items():
        glob = f"{root}/{table}/*.{fmt}"
        reader = (f"read_parquet('{glob}', filename=true)" if fmt == "parquet"
                  else f"read_csv('{glob}', header=true, filename=true)")
        con.execute(f"create view {table} as select * from {reader}")
        con.execute(f"""create view cur_{table} as select * from {table}
            qualify row_number() over (partition by {key}
                                       order by versionnumber desc, sinkmodifiedon desc) = 1
                and not isdelete""")
    return con


def _one(con: duckdb.DuckDBPyConnection, sql: str):
    return con.execute(sql).fetchone()[0]


@pytest.fixture(scope="module")
def export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("parquet")
    generate_export(out, SESSIONS, seed=SEED, fmt="parquet")
    return out


@pytest.fixture(scope="module")
def csv_export(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("csv")
    generate_export(out, SESSIONS, seed=SEED, fmt="csv")
    return out


@pytest.fixture(scope="module")
def con(export: Path) -> duckdb.DuckDBPyConnection:
    return _connect(export)


# ------------------------------------------------------------------ determinism
def test_same_seed_gives_identical_bytes(export: Path, tmp_path: Path) -> None:
    generate_export(tmp_path, SESSIONS, seed=SEED, fmt="parquet")
    assert _files(tmp_path) == _files(export)


def test_csv_is_deterministic(csv_export: Path, tmp_path: Path) -> None:
    generate_export(tmp_path, SESSIONS, seed=SEED, fmt="csv")
    assert _files(tmp_path) == _files(csv_export)


def test_different_seed_differs(export: Path, tmp_path: Path) -> None:
    generate_export(tmp_path, SESSIONS, seed=SEED + 1, fmt="parquet")
    mine, theirs = _files(tmp_path), _files(export)
    assert mine.keys() == theirs.keys()
    assert all(mine[f] != theirs[f] for f in mine)


# ------------------------------------------------------------------ layout and columns
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_table_has_every_spec_column(fmt: str, export: Path, csv_export: Path) -> None:
    root = export if fmt == "parquet" else csv_export
    con = _connect(root, fmt)
    for table, columns in SPEC_COLUMNS.items():
        files = sorted((root / table).iterdir())
        assert [f.name for f in files] == [f"part-00000.{fmt}"]
        names = [r[0] for r in con.execute(f"describe select * exclude (filename) from {table}")
                 .fetchall()]
        assert names == columns + MECHANICS, table
        assert _one(con, f"select count(*) from {table}") > 0


def test_parquet_types(export: Path) -> None:
    for table in SPEC_COLUMNS:
        schema = pq.read_schema(export / table / "part-00000.parquet")
        assert schema.field("versionnumber").type == pa.int64()
        assert schema.field("sinkmodifiedon").type == TS
        assert schema.field("isdelete").type == pa.bool_()
        assert schema.field(KEYS[table]).type == pa.string()
    s = pq.read_schema(export / "msdyn_ocsession" / "part-00000.parquet")
    for col in ("msdyn_channel", "msdyn_state", "msdyn_closurereason", "statuscode"):
        assert s.field(col).type == pa.int32()
    assert s.field("msdyn_sessioncreatedon").type == TS
    p = pq.read_schema(export / "msdyn_sessionparticipant" / "part-00000.parquet")
    for col in ("msdyn_mode", "msdyn_activetime", "msdyn_externalparticipantchanneltype"):
        assert p.field(col).type == pa.int32()
    t = pq.read_schema(export / "msdyn_ocsessionsentiment" / "part-00000.parquet")
    assert t.field("msdyn_sentimentpulse").type == pa.float64()
    c = pq.read_schema(export / "msdyn_ocliveworkitem" / "part-00000.parquet")
    assert c.field("msdyn_isoutbound").type == pa.bool_()


def test_guids_are_lower_case_uuid_text(con: duckdb.DuckDBPyConnection) -> None:
    bad = _one(con, r"""select count(*) from msdyn_ocsession
        where not regexp_full_match(activityid,
            '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}')""")
    assert bad == 0
    assert _one(con, "select count(*) from cur_msdyn_ocsession "
                     "where not regexp_full_match(msdyn_sessionid, 'session-[0-9]{6}')") == 0


def test_session_count_close_to_target(con: duckdb.DuckDBPyConnection) -> None:
    current = _one(con, "select count(*) from cur_msdyn_ocsession")
    assert abs(current - SESSIONS) <= 0.05 * SESSIONS
    assert _one(con, "select count(distinct msdyn_sessionid) from cur_msdyn_ocsession") == current


def test_small_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    agents = _one(con, "select count(*) from cur_systemuser where msdyn_botapplicationid is null")
    bots = _one(con, "select count(*) from cur_systemuser where msdyn_botapplicationid is not null")
    assert 50 <= agents <= 70 and 2 <= bots <= 6
    assert _one(con, "select count(*) from cur_systemuser where fullname is null") == 0
    assert 6 <= _one(con, "select count(distinct name) from cur_queue") <= 10


# ------------------------------------------------------------------ phenomena
PRIMARY = "p.msdyn_mode = 192350002"
BOT = """exists (select 1 from cur_msdyn_sessionparticipant p join cur_systemuser u
                 on u.systemuserid = p.msdyn_agentid
                 where p.msdyn_omnichannelsession = s.activityid and {primary}
                   and u.msdyn_botapplicationid is not null)""".format(primary=PRIMARY)
NEXT = """select s.*, lead(msdyn_queueid) over (partition by msdyn_liveworkitemid
                                              order by msdyn_sessioncreatedon) as next_queue
          from cur_msdyn_ocsession s"""
PHENOMENA = {
    "bot session": f"select count(*) from cur_msdyn_ocsession s where {BOT}",
    "bot escalation": f"""select count(*) from ({NEXT}) s
        where msdyn_closurereason = 192350026 and next_queue is not null and {BOT}""",
    "bot ends conversation": f"""select count(*) from cur_msdyn_ocsession s
        where msdyn_closurereason in (192350027, 192350009) and {BOT}""",
    "reject": """select count(*) from cur_msdyn_ocsession s join cur_msdyn_sessionparticipant p
        on p.msdyn_omnichannelsession = s.activityid
        where s.msdyn_closurereason = 192350001 and p.msdyn_leftonreason = 'AgentReject'
          and p.msdyn_joinedon is null""",
    "timeout": """select count(*) from cur_msdyn_ocsession s join cur_msdyn_sessionparticipant p
        on p.msdyn_omnichannelsession = s.activityid
        where s.msdyn_closurereason = 192350002 and p.msdyn_leftonreason = 'AgentTimeout'""",
    "abandon (closed, never assigned)": """select count(*) from cur_msdyn_ocsession
        where msdyn_state = 192350002 and msdyn_agentassignedon is null
          and msdyn_closurereason in (192350020, 192350003, 192350022)""",
    "agent transfer": f"""select count(*) from ({NEXT})
        where msdyn_closurereason = 192350006 and next_queue = msdyn_queueid""",
    "queue transfer to another queue": f"""select count(*) from ({NEXT})
        where msdyn_closurereason = 192350010 and next_queue <> msdyn_queueid""",
    "supervisor assign to queue": f"""select count(*) from ({NEXT})
        where msdyn_closurereason = 192350011 and next_queue <> msdyn_queueid""",
    "supervisor transfer to agent": """select count(*) from cur_msdyn_ocsession
        where msdyn_closurereason = 192350012""",
    "supervisor move of unaccepted work": """select count(*) from cur_msdyn_ocsession
        where msdyn_closurereason in (192350011, 192350012) and msdyn_agentacceptedon is null""",
    "consult participant": """select count(*) from cur_msdyn_sessionparticipant
        where msdyn_mode = 192350003 and msdyn_activetime is not null""",
    "monitor participant": """select count(*) from cur_msdyn_sessionparticipant
        where msdyn_mode = 192350004 and msdyn_activetime is not null""",
    "external participant handled": """select count(*) from cur_msdyn_sessionparticipant
        where msdyn_mode = 192350002 and msdyn_joinedon is not null
          and regexp_full_match(msdyn_externalparticipantchannel, '\\+1[0-9]{10}')
          and msdyn_externalparticipantchanneltype = 426120000""",
    "several sentiment rows": """select count(*) from (select msdyn_omnichannelsession
        from cur_msdyn_ocsessionsentiment group by 1 having count(*) >= 3)""",
    "entity records sessions": "select count(*) from cur_msdyn_ocsession "
                               "where msdyn_channel = 192350000",
    "open waiting unassigned": """select count(*) from cur_msdyn_ocsession
        where msdyn_state <> 192350002 and msdyn_sessionclosedon is null
          and msdyn_agentassignedon is null""",
    "open accepted": """select count(*) from cur_msdyn_ocsession
        where msdyn_state in (192350001, 192350004) and msdyn_sessionclosedon is null
          and msdyn_agentacceptedon is not null and statuscode = 1""",
    "open conversation": "select count(*) from cur_msdyn_ocliveworkitem "
                         "where statuscode in (1, 2, 3) and msdyn_closedon is null",
    "closed by state alone": """select count(*) from cur_msdyn_ocsession
        where msdyn_state = 192350002 and msdyn_sessionclosedon is null""",
    "superseded session versions": """select count(*) from (select activityid
        from msdyn_ocsession group by 1 having count(distinct versionnumber) > 1
           and not bool_or(isdelete))""",
    "superseded participant versions": """select count(*) from (select msdyn_sessionparticipantid
        from msdyn_sessionparticipant group by 1 having count(distinct versionnumber) > 1)""",
    "superseded conversation versions": """select count(*) from (select activityid
        from msdyn_ocliveworkitem group by 1 having count(distinct versionnumber) > 1)""",
    "session tombstones": "select count(*) from msdyn_ocsession where isdelete",
    "participant tombstones": "select count(*) from msdyn_sessionparticipant where isdelete",
    "two primary participants": """select count(*) from (select msdyn_omnichannelsession
        from cur_msdyn_sessionparticipant where msdyn_mode = 192350002
        group by 1 having count(*) = 2)""",
    "null activetime on accepted session": """select count(*)
        from cur_msdyn_sessionparticipant p join cur_msdyn_ocsession s
          on s.activityid = p.msdyn_omnichannelsession
        where p.msdyn_mode = 192350002 and s.msdyn_agentacceptedon is not null
          and s.msdyn_state = 192350002 and p.msdyn_activetime is null""",
    "unknown closure code": "select count(*) from cur_msdyn_ocsession "
                            "where msdyn_closurereason = 192350099",
    "codes outside the seed list": """select count(distinct msdyn_closurereason)
        from cur_msdyn_ocsession where msdyn_closurereason in (192350023, 192350035)""",
    "null closure on closed session": """select count(*) from cur_msdyn_ocsession
        where msdyn_state = 192350002 and msdyn_closurereason is null""",
    "outbound conversation": "select count(*) from cur_msdyn_ocliveworkitem where msdyn_isoutbound",
}


@pytest.mark.parametrize("name", PHENOMENA)
def test_phenomenon_occurs(name: str, con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, PHENOMENA[name]) > 0, name


def test_sentiment_rows_and_zones(con: duckdb.DuckDBPyConnection) -> None:
    zones = {r[0] for r in con.execute(
        "select distinct msdyn_sentimentzone from cur_msdyn_ocsessionsentiment").fetchall()}
    assert zones == {"Very negative", "Negative", "Slightly negative", "Neutral",
                     "Slightly positive", "Positive", "Very positive"}
    assert _one(con, """select count(*) from cur_msdyn_ocsessionsentiment
        where msdyn_sentimentpulse not between 0 and 100""") == 0
    assert _one(con, """select max(n) from (select count(*) n from cur_msdyn_ocsessionsentiment
        group by msdyn_omnichannelsession)""") <= 6
    # Same pulse, same zone; a higher pulse never has a lower zone.
    assert _one(con, """select count(*) from (select msdyn_sentimentzone z,
        min(msdyn_sentimentpulse) lo, max(msdyn_sentimentpulse) hi
        from cur_msdyn_ocsessionsentiment group by 1) a join (select msdyn_sentimentzone z,
        min(msdyn_sentimentpulse) lo, max(msdyn_sentimentpulse) hi
        from cur_msdyn_ocsessionsentiment group by 1) b
        on a.z <> b.z and a.lo <= b.hi and b.lo <= a.hi""") == 0


# ------------------------------------------------------------------ plausibility
CONSISTENCY = {
    "session times in order": """select count(*) from msdyn_ocsession
        where msdyn_agentassignedon < msdyn_sessioncreatedon
           or msdyn_agentacceptedon < msdyn_agentassignedon
           or msdyn_sessionclosedon < coalesce(msdyn_agentacceptedon, msdyn_agentassignedon,
                                               msdyn_sessioncreatedon)""",
    "participant times in order": """select count(*) from msdyn_sessionparticipant
        where msdyn_joinedon < msdyn_addedon or msdyn_lefton < coalesce(msdyn_joinedon,
                                                                         msdyn_addedon)""",
    "activetime within the participant's span": """select count(*) from msdyn_sessionparticipant
        where msdyn_activetime > epoch(msdyn_lefton) - epoch(coalesce(msdyn_joinedon,
                                                                       msdyn_addedon)) + 1""",
    "sink after the row's last change": """select count(*) from msdyn_ocsession
        where sinkmodifiedon < greatest(msdyn_sessioncreatedon, msdyn_agentassignedon,
                                        msdyn_agentacceptedon, msdyn_sessionclosedon)""",
    "participants reference sessions": """select count(*) from cur_msdyn_sessionparticipant p
        where not exists (select 1 from msdyn_ocsession s
                          where s.activityid = p.msdyn_omnichannelsession)""",
    "sessions reference conversations and queues": """select count(*) from cur_msdyn_ocsession s
        where not exists (select 1 from msdyn_ocliveworkitem c
                          where c.activityid = s.msdyn_liveworkitemid)
           or not exists (select 1 from cur_queue q where q.queueid = s.msdyn_queueid)""",
    "agents are users": """select count(*) from cur_msdyn_sessionparticipant p
        where p.msdyn_agentid is not null and not exists (
            select 1 from cur_systemuser u where u.systemuserid = p.msdyn_agentid)""",
    "sentiment within the session": """select count(*) from cur_msdyn_ocsessionsentiment t
        join cur_msdyn_ocsession s on s.activityid = t.msdyn_omnichannelsession
        where t.createdon < s.msdyn_agentacceptedon or t.createdon > s.msdyn_sessionclosedon""",
    "waiting-unassigned sessions have no participant": """select count(*)
        from cur_msdyn_ocsession s join cur_msdyn_sessionparticipant p
          on p.msdyn_omnichannelsession = s.activityid
        where s.msdyn_agentassignedon is null""",
    "tombstones are empty": """select count(*) from msdyn_ocsession where isdelete
        and (msdyn_sessionid is not null or msdyn_sessioncreatedon is not null
             or msdyn_state is not null)""",
    "tombstones are the newest row": """select count(*) from msdyn_ocsession d
        join msdyn_ocsession o on o.activityid = d.activityid and not o.isdelete
        where d.isdelete and (o.versionnumber >= d.versionnumber
                              or o.sinkmodifiedon >= d.sinkmodifiedon)""",
    "older versions are older": """select count(*) from msdyn_ocsession a join msdyn_ocsession b
        on a.activityid = b.activityid and a.versionnumber < b.versionnumber
        where a.sinkmodifiedon >= b.sinkmodifiedon""",
    "closed sessions are Completed": """select count(*) from cur_msdyn_ocsession
        where (msdyn_state = 192350002) <> (statuscode = 2)""",
}


@pytest.mark.parametrize("name", CONSISTENCY)
def test_consistency(name: str, con: duckdb.DuckDBPyConnection) -> None:
    assert _one(con, CONSISTENCY[name]) == 0, name


def test_plausible_distributions(con: duckdb.DuckDBPyConnection) -> None:
    handle = dict(con.execute("""select msdyn_channel, median(epoch(msdyn_sessionclosedon)
        - epoch(msdyn_agentacceptedon)) from cur_msdyn_ocsession s
        where msdyn_channel in (192360000, 192440000) and not ({bot}) group by 1""".format(
        bot=BOT)).fetchall())
    assert handle[192440000] > handle[192360000] > 60  # voice longer than chat, minutes
    wait = _one(con, """select median(epoch(msdyn_agentacceptedon) - epoch(msdyn_sessioncreatedon))
        from cur_msdyn_ocsession where msdyn_channel = 192360000""")
    assert 5 < wait < 600
    rates = con.execute("""select avg((msdyn_closurereason = 192350001)::int),
        avg((msdyn_closurereason = 192350002)::int) from cur_msdyn_ocsession
        where msdyn_agentassignedon is not null""").fetchone()
    assert all(0.005 < r < 0.08 for r in rates)
    entity = _one(con, "select avg((msdyn_channel = 192350000)::int) from cur_msdyn_ocsession")
    assert 0.005 < entity < 0.04
    versions = _one(con, """select count(*) filter (where n > 1) / count(*) from (
        select count(*) n from msdyn_ocsession group by activityid)""")
    assert 0.01 < versions < 0.05


# ------------------------------------------------------------------ CSV
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")


def test_csv_timestamps_and_booleans(csv_export: Path) -> None:
    text = (csv_export / "msdyn_ocsession" / "part-00000.csv").read_text()
    lines = text.splitlines()
    header = [h.strip('"') for h in lines[0].split(",")]
    created, closed, isdelete = (header.index(c) for c in
                                 ("msdyn_sessioncreatedon", "msdyn_sessionclosedon", "isdelete"))
    rows = [[v.strip('"') for v in line.split(",")] for line in lines[1:]]
    assert all(STAMP.fullmatch(r[created]) for r in rows if r[created])
    assert all(STAMP.fullmatch(r[closed]) for r in rows if r[closed])
    assert any(r[closed] == "" for r in rows)  # NULL is an empty field
    assert {r[isdelete] for r in rows} == {"True", "False"}


def test_csv_holds_the_same_data_as_parquet(export: Path, csv_export: Path) -> None:
    pq_con, csv_con = _connect(export), _connect(csv_export, "csv")
    for table, key in KEYS.items():
        sql = f"""select count(*), count(distinct {key}), sum(versionnumber) from {table}"""
        assert pq_con.execute(sql).fetchone() == csv_con.execute(sql).fetchone(), table
    sql = """select sum(epoch_us(msdyn_sessioncreatedon)) , sum(epoch_us(msdyn_sessionclosedon))
             from msdyn_ocsession"""
    csv_sql = sql.replace("epoch_us(msdyn_sessioncreatedon)",
                          "epoch_us(msdyn_sessioncreatedon::timestamptz)").replace(
        "epoch_us(msdyn_sessionclosedon)", "epoch_us(msdyn_sessionclosedon::timestamptz)")
    assert pq_con.execute(sql).fetchone() == csv_con.execute(csv_sql).fetchone()


# ------------------------------------------------------------------ chunking and CLI
def test_chunking_splits_files_without_duplicate_keys(tmp_path: Path) -> None:
    counts = generate_export(tmp_path, SESSIONS, seed=SEED, chunk_sessions=1000)
    for table in FACTS:
        assert sorted(p.name for p in (tmp_path / table).iterdir()) == [
            "part-00000.parquet", "part-00001.parquet", "part-00002.parquet"], table
    con = _connect(tmp_path)
    for table in FACTS:
        key = KEYS[table]
        assert _one(con, f"select count(*) from {table}") == counts[table]
        assert _one(con, f"""select count(*) from (select {key} from {table}
            group by 1 having count(distinct filename) > 1)""") == 0, table
        # A repeated key is an older version or a tombstone: distinct versions.
        assert _one(con, f"""select count(*) from (select {key} from {table} group by 1
            having count(*) <> count(distinct versionnumber))""") == 0, table
    current = _one(con, "select count(*) from cur_msdyn_ocsession")
    assert abs(current - SESSIONS) <= 0.05 * SESSIONS
    assert _one(con, "select count(distinct msdyn_sessionid) from cur_msdyn_ocsession") == current


def test_rerun_replaces_table_folders_only(tmp_path: Path) -> None:
    generate_export(tmp_path, 600, seed=1, chunk_sessions=200)
    (tmp_path / "README.txt").write_text("keep me")
    generate_export(tmp_path, 600, seed=1)
    assert [p.name for p in (tmp_path / "msdyn_ocsession").iterdir()] == ["part-00000.parquet"]
    assert (tmp_path / "README.txt").read_text() == "keep me"


def test_main_cli(tmp_path: Path) -> None:
    assert main(["--out", str(tmp_path / "a"), "--sessions", "500", "--seed", "3",
                 "--format", "csv", "--start-date", "2024-06-01", "--days", "30",
                 "--chunk-sessions", "250"]) == 0
    con = _connect(tmp_path / "a", "csv")
    lo, hi = con.execute("""select min(msdyn_sessioncreatedon::timestamptz),
        max(msdyn_sessioncreatedon::timestamptz) from msdyn_ocsession""").fetchone()
    assert str(lo.date()) >= "2024-06-01" and str(hi.date()) <= "2024-06-30"
    assert len(list((tmp_path / "a" / "msdyn_ocsession").iterdir())) == 2


def test_module_entry_point(tmp_path: Path) -> None:
    run = subprocess.run([sys.executable, "-m", "omnichannel_tools.generator", "--out",
                          str(tmp_path), "--sessions", "200", "--seed", "5"],
                         cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "queue" / "part-00000.parquet").exists()
