"""The generator's output: deterministic, every spec column with its type, CSV as Synapse Link writes it,
chunked files without duplicate keys, the command line."""

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
from omnichannel_tools.paths import REPO_ROOT

from .exports import FACTS, KEYS, MECHANICS, SEED, SESSIONS, SPEC_COLUMNS, TS, connect_export, files_of, scalar


# ------------------------------------------------------------------ determinism
def test_same_seed_gives_identical_bytes(export: Path, tmp_path: Path) -> None:
    generate_export(tmp_path, SESSIONS, seed=SEED, fmt="parquet")
    assert files_of(tmp_path) == files_of(export)


def test_csv_is_deterministic(csv_export: Path, tmp_path: Path) -> None:
    generate_export(tmp_path, SESSIONS, seed=SEED, fmt="csv")
    assert files_of(tmp_path) == files_of(csv_export)


def test_different_seed_differs(export: Path, tmp_path: Path) -> None:
    generate_export(tmp_path, SESSIONS, seed=SEED + 1, fmt="parquet")
    mine, theirs = files_of(tmp_path), files_of(export)
    assert mine.keys() == theirs.keys()
    assert all(mine[f] != theirs[f] for f in mine)


# ------------------------------------------------------------------ layout and columns
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_every_table_has_every_spec_column(fmt: str, export: Path, csv_export: Path) -> None:
    root = export if fmt == "parquet" else csv_export
    con = connect_export(root, fmt)
    for table, columns in SPEC_COLUMNS.items():
        files = sorted((root / table).iterdir())
        assert [f.name for f in files] == [f"part-00000.{fmt}"]
        names = [r[0] for r in con.execute(f"describe select * exclude (filename) from {table}").fetchall()]
        assert names == columns + MECHANICS, table
        assert scalar(con, f"select count(*) from {table}") > 0


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
    bad = scalar(
        con,
        r"""select count(*) from msdyn_ocsession
        where not regexp_full_match(activityid,
            '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}')""",
    )
    assert bad == 0
    assert (
        scalar(
            con,
            "select count(*) from cur_msdyn_ocsession where not regexp_full_match(msdyn_sessionid, 'session-[0-9]{6}')",
        )
        == 0
    )


def test_session_count_close_to_target(con: duckdb.DuckDBPyConnection) -> None:
    current = scalar(con, "select count(*) from cur_msdyn_ocsession")
    assert abs(current - SESSIONS) <= 0.05 * SESSIONS
    assert scalar(con, "select count(distinct msdyn_sessionid) from cur_msdyn_ocsession") == current


def test_small_dimensions(con: duckdb.DuckDBPyConnection) -> None:
    agents = scalar(con, "select count(*) from cur_systemuser where msdyn_botapplicationid is null")
    bots = scalar(con, "select count(*) from cur_systemuser where msdyn_botapplicationid is not null")
    assert 50 <= agents <= 70 and 2 <= bots <= 6
    assert scalar(con, "select count(*) from cur_systemuser where fullname is null") == 0
    assert 6 <= scalar(con, "select count(distinct name) from cur_queue") <= 10


# ------------------------------------------------------------------ CSV
STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z")


def test_csv_timestamps_and_booleans(csv_export: Path) -> None:
    text = (csv_export / "msdyn_ocsession" / "part-00000.csv").read_text()
    lines = text.splitlines()
    header = [h.strip('"') for h in lines[0].split(",")]
    created, closed, isdelete = (
        header.index(c) for c in ("msdyn_sessioncreatedon", "msdyn_sessionclosedon", "isdelete")
    )
    rows = [[v.strip('"') for v in line.split(",")] for line in lines[1:]]
    assert all(STAMP.fullmatch(r[created]) for r in rows if r[created])
    assert all(STAMP.fullmatch(r[closed]) for r in rows if r[closed])
    assert any(r[closed] == "" for r in rows)  # NULL is an empty field
    assert {r[isdelete] for r in rows} == {"True", "False"}


def test_csv_holds_the_same_data_as_parquet(export: Path, csv_export: Path) -> None:
    pq_con, csv_con = connect_export(export), connect_export(csv_export, "csv")
    for table, key in KEYS.items():
        sql = f"""select count(*), count(distinct {key}), sum(versionnumber) from {table}"""
        assert pq_con.execute(sql).fetchone() == csv_con.execute(sql).fetchone(), table
    sql = """select sum(epoch_us(msdyn_sessioncreatedon)) , sum(epoch_us(msdyn_sessionclosedon))
             from msdyn_ocsession"""
    csv_sql = sql.replace("epoch_us(msdyn_sessioncreatedon)", "epoch_us(msdyn_sessioncreatedon::timestamptz)").replace(
        "epoch_us(msdyn_sessionclosedon)", "epoch_us(msdyn_sessionclosedon::timestamptz)"
    )
    assert pq_con.execute(sql).fetchone() == csv_con.execute(csv_sql).fetchone()


# ------------------------------------------------------------------ chunking and CLI
def test_chunking_splits_files_without_duplicate_keys(tmp_path: Path) -> None:
    counts = generate_export(tmp_path, SESSIONS, seed=SEED, chunk_sessions=1000)
    for table in FACTS:
        assert sorted(p.name for p in (tmp_path / table).iterdir()) == [
            "part-00000.parquet",
            "part-00001.parquet",
            "part-00002.parquet",
        ], table
    con = connect_export(tmp_path)
    for table in FACTS:
        key = KEYS[table]
        assert scalar(con, f"select count(*) from {table}") == counts[table]
        assert (
            scalar(
                con,
                f"""select count(*) from (select {key} from {table}
            group by 1 having count(distinct filename) > 1)""",
            )
            == 0
        ), table
        # A repeated key is an older version or a tombstone: distinct versions.
        assert (
            scalar(
                con,
                f"""select count(*) from (select {key} from {table} group by 1
            having count(*) <> count(distinct versionnumber))""",
            )
            == 0
        ), table
    current = scalar(con, "select count(*) from cur_msdyn_ocsession")
    assert abs(current - SESSIONS) <= 0.05 * SESSIONS
    assert scalar(con, "select count(distinct msdyn_sessionid) from cur_msdyn_ocsession") == current


def test_rerun_replaces_table_folders_only(tmp_path: Path) -> None:
    generate_export(tmp_path, 600, seed=1, chunk_sessions=200)
    (tmp_path / "README.txt").write_text("keep me")
    generate_export(tmp_path, 600, seed=1)
    assert [p.name for p in (tmp_path / "msdyn_ocsession").iterdir()] == ["part-00000.parquet"]
    assert (tmp_path / "README.txt").read_text() == "keep me"


def test_main_cli(tmp_path: Path) -> None:
    assert (
        main(
            [
                "--out",
                str(tmp_path / "a"),
                "--sessions",
                "500",
                "--seed",
                "3",
                "--format",
                "csv",
                "--start-date",
                "2024-06-01",
                "--days",
                "30",
                "--chunk-sessions",
                "250",
            ]
        )
        == 0
    )
    con = connect_export(tmp_path / "a", "csv")
    lo, hi = con.execute("""select min(msdyn_sessioncreatedon::timestamptz),
        max(msdyn_sessioncreatedon::timestamptz) from msdyn_ocsession""").fetchone()
    assert str(lo.date()) >= "2024-06-01" and str(hi.date()) <= "2024-06-30"
    assert len(list((tmp_path / "a" / "msdyn_ocsession").iterdir())) == 2


def test_module_entry_point(tmp_path: Path) -> None:
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "omnichannel_tools.generator",
            "--out",
            str(tmp_path),
            "--sessions",
            "200",
            "--seed",
            "5",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
