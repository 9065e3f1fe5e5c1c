"""In every lake format, an incremental build reads only what is new and equals a full refresh.

One simulated export per format (Parquet and CSV folders of three files per table, a Synapse Link
CDM container, Fabric Link Delta tables) is built, then the next sync lands as that format writes
it: Parquet a new file per table (and one participants file rewritten as two, as a compaction
does); CSV a new file per table and rows appended in place to an old sessions file (the file grows);
CDM a new incremental folder (the folder in progress completes); Delta a merge through the log
(rewritten files replace removed ones). The change itself is the same everywhere
(omnichannel_tools.change on a Parquet twin of the export: new versions, tombstones, new
conversations, late participants and sentiment).

Checked: the incremental base models and marts equal a full refresh of the changed export row for
row; the files each base model read in the incremental run are exactly the new or changed ones
(from the compiled SQL); a removed file, or a Delta hard delete, stops the incremental build with
a message naming the table and asking for --full-refresh.
"""

from __future__ import annotations

import re
import shutil
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from omnichannel_tools.change import apply_change
from omnichannel_tools.dbt_runner import DbtResult, run_dbt
from omnichannel_tools.generator import SCHEMAS, TABLES, generate_export
from omnichannel_tools.generator import cdm as cdm_writer
from omnichannel_tools.generator import delta as delta_writer
from omnichannel_tools.generator.writers import write_csv
from omnichannel_tools.lake.delta import active_files

from .corruption.warehouse import query, relation_columns
from .test_incremental import MARTS, assert_same_rows

SESSIONS = 1_200
SEED = 23
FORMATS = ("parquet", "csv", "cdm", "delta")
BUILD = ["build", "--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
BASE_MODELS = {
    "msdyn_ocsession": "base_dataverse__sessions",
    "msdyn_sessionparticipant": "base_dataverse__session_participants",
    "msdyn_ocsessionsentiment": "base_dataverse__session_sentiments",
    "msdyn_ocliveworkitem": "base_dataverse__conversations",
    "msdyn_ocsessionparticipantevent": "base_dataverse__session_participant_events",
    "msdyn_presence": "base_dataverse__presences",
    "msdyn_agentstatushistory": "base_dataverse__agent_status_history",
    "systemuser": "base_dataverse__system_users",
    "queue": "base_dataverse__queues",
}
GROWN_CSV = "part-00001.csv"  # the sessions file the CSV change appends to in place
SPLIT_PARQUET = "part-00000.parquet"  # the participants file the Parquet change rewrites as two
REWRITTEN_CSV = ("queue", "part-00000.csv")  # a file the CSV change rewrites in place (one row updated)
# When a row's file was read: the same file reads with another stamp after it grew (kept rows keep theirs).
STAMPS = ("_source_file_size", "_source_file_modified_at_us")


@dataclass(frozen=True)
class FormatRun:
    """One format: the changed export, its incremental and full-refresh warehouses, the files new to the reader."""

    fmt: str
    export: Path
    incremental: Path
    full: Path
    incremental_result: DbtResult
    expected_reads: dict[str, set[str]]


def _build(fmt: str, export: Path, warehouse: Path, *extra: str) -> DbtResult:
    return run_dbt(
        [*BUILD, *extra],
        warehouse=warehouse,
        export_path=export,
        export_format=fmt,
        target_path=warehouse.parent / f"target-{warehouse.stem}",
    )


def _the_change(root: Path) -> dict[str, pa.Table]:
    """The next sync's rows (generator schemas): apply_change on a Parquet twin of the export."""
    twin = root / "parquet-twin"
    generate_export(twin, sessions=SESSIONS, seed=SEED, fmt="parquet", chunk_sessions=400)
    apply_change(twin, fraction=0.05, seed=9)
    return {
        table: pq.read_table(next((twin / table).glob("part-change-*.parquet"))).cast(SCHEMAS[table])
        for table in TABLES
    }


def _soft_deletes_only(table: str, rows: pa.Table) -> pa.Table:
    """The change without the tombstones Fabric Link turns into hard deletes (removed rows)."""
    key = SCHEMAS[table].names[0]
    deleted = pc.fill_null(rows.column("isdelete"), False).to_numpy(zero_copy_only=False)
    hard = deleted & delta_writer.is_hard_delete(rows.column(key))
    return rows.filter(pa.array(~hard))


def _listing(export: Path, fmt: str) -> dict[str, set[str]]:
    """Per table, the files (relative to the export) the format's reader would read, as far as the test can tell."""
    if fmt == "delta":
        return {table: {str(Path(f).relative_to(export)) for f in active_files(export / table)} for table in TABLES}
    if fmt == "cdm":
        return {table: {str(f.relative_to(export)) for f in export.glob(f"**/{table}/*.csv")} for table in TABLES}
    return {table: {str(f.relative_to(export)) for f in (export / table).glob(f"*.{fmt}")} for table in TABLES}


def root_twin(export: Path) -> Path:
    """The Parquet twin of the exports (same simulation, same files), written by _the_change."""
    return export.parent / "parquet-twin"


def _update_one_row_in_place(path: Path, original: Path) -> None:
    """Synapse Link's in-place update mode: a file rewritten with one row replaced by its newer version."""
    rows = pq.read_table(original)
    versions = rows.column("versionnumber").to_pylist()
    written = pc.max(rows.column("sinkmodifiedon")).as_py()
    updated = rows.to_pylist()
    updated[0].update({"versionnumber": max(versions) + 1_000_000, "sinkmodifiedon": written.replace(year=2031)})
    write_csv(pa.Table.from_pylist(updated, schema=rows.schema), path)


def _change_export(fmt: str, export: Path, change: dict[str, pa.Table]) -> dict[str, set[str]]:
    """Land the change as the format's writer would; return per table the files new or changed for the reader."""
    before = _listing(export, fmt)
    if fmt == "parquet":
        for table, rows in change.items():
            pq.write_table(rows, export / table / "part-change.parquet")
        folder = export / "msdyn_sessionparticipant"
        rows = pq.read_table(folder / SPLIT_PARQUET)
        half = rows.num_rows // 2
        pq.write_table(rows.slice(0, half), folder / "moved-a.parquet")
        pq.write_table(rows.slice(half), folder / "moved-b.parquet")
        (folder / SPLIT_PARQUET).unlink()
        return {table: _listing(export, fmt)[table] - before[table] for table in TABLES}
    if fmt == "csv":
        expected = {table: {f"{table}/part-change.csv"} for table in TABLES}
        for table, rows in change.items():
            if table == "msdyn_ocsession":
                appended, rows = rows.slice(0, rows.num_rows // 2), rows.slice(rows.num_rows // 2)
                grown = export / table / GROWN_CSV
                scratch = export.parent / "appended.csv"
                write_csv(appended, scratch)
                with grown.open("a", encoding="utf-8") as out:
                    out.writelines(scratch.read_text(encoding="utf-8").splitlines(keepends=True)[1:])
                scratch.unlink()
                expected[table].add(f"{table}/{GROWN_CSV}")
            write_csv(rows, export / table / "part-change.csv")
        table, name = REWRITTEN_CSV
        _update_one_row_in_place(export / table / name, root_twin(export) / table / name.replace(".csv", ".parquet"))
        expected[table].add(f"{table}/{name}")
        return expected
    if fmt == "cdm":
        in_progress = (export / "Changelog" / "changelog.info").read_text().strip()
        cdm_writer.append_change(export, change)
        after = _listing(export, fmt)
        # New files, and the folder that was still being written (now complete, read for the first time).
        return {
            table: (after[table] - before[table]) | {f for f in after[table] if f.startswith(in_progress + "/")}
            for table in TABLES
        }
    delta_writer.append_change(export, {table: _soft_deletes_only(table, rows) for table, rows in change.items()})
    return {table: _listing(export, fmt)[table] - before[table] for table in TABLES}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FormatRun]:
    root = tmp_path_factory.mktemp("incremental_formats")
    change = _the_change(root)

    def run(fmt: str) -> FormatRun:
        export = root / fmt
        generate_export(export, sessions=SESSIONS, seed=SEED, fmt=fmt, chunk_sessions=400, rows_per_file=400)
        incremental, full = root / f"{fmt}-incremental.duckdb", root / f"{fmt}-full.duckdb"
        first = _build(fmt, export, incremental)
        assert first.ok, first.output[-4000:]
        expected = _change_export(fmt, export, change)
        second = _build(fmt, export, incremental)
        assert second.ok, second.output[-4000:]
        refreshed = _build(fmt, export, full, "--full-refresh")
        assert refreshed.ok, refreshed.output[-4000:]
        return FormatRun(fmt, export, incremental, full, second, expected)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(FORMATS, pool.map(run, FORMATS), strict=True))


def _rows(warehouse: Path, relation: str, exclude: tuple[str, ...] = ()) -> list[tuple]:
    columns = [c for c in relation_columns(warehouse, relation) if c not in exclude]
    return query(warehouse, f"select {', '.join(columns)} from {relation} order by all")


def _files_read(run: FormatRun, model: str) -> set[str]:
    """The files the incremental run's base model read: the file filter of its compiled SQL."""
    compiled = next((run.incremental.parent / f"target-{run.incremental.stem}").glob(f"compiled/**/{model}.sql"))
    match = re.search(r"file_rows\._source_path in \(([^)]*)\)", compiled.read_text())
    if match is None:
        return set()
    prefix = str(run.export) + "/"
    return {path.removeprefix(prefix) for path in re.findall(r"'((?:[^']|'')*)'", match.group(1))}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("relation", [*BASE_MODELS.values(), *MARTS])
def test_incremental_build_equals_full_refresh(runs: dict[str, FormatRun], fmt: str, relation: str) -> None:
    run = runs[fmt]
    exclude = STAMPS if relation in BASE_MODELS.values() else ()
    assert_same_rows(
        _rows(run.incremental, relation, exclude), _rows(run.full, relation, exclude), f"{fmt}: {relation}"
    )


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("table", list(BASE_MODELS))
def test_an_incremental_build_reads_only_new_or_changed_files(runs: dict[str, FormatRun], fmt: str, table: str) -> None:
    run = runs[fmt]
    read = _files_read(run, BASE_MODELS[table])
    assert read == run.expected_reads[table], f"{fmt}: {table}"
    # The three big tables span several files; a Delta merge rewrites every file holding a matched row.
    if fmt != "delta" and table in ("msdyn_ocsession", "msdyn_sessionparticipant", "msdyn_ocsessionsentiment"):
        everything = query(run.full, f"select count(distinct _source_file) from {BASE_MODELS[table]}")[0][0]
        assert len(read) < everything, f"{fmt}: {table} read every file again"


def test_the_change_reached_every_table(runs: dict[str, FormatRun]) -> None:
    """The comparisons above would pass on a change nobody read: each format's change has new files for every table."""
    for fmt, run in runs.items():
        assert all(run.expected_reads[table] for table in TABLES), (fmt, run.expected_reads)
    # The file that grew was read from where it was read to: its first rows keep the stamp of the first read.
    stamps = query(
        runs["csv"].incremental,
        "select _source_file_size, count(*) from base_dataverse__sessions where _source_file = ? "
        "group by all order by 1",
        [f"msdyn_ocsession/{GROWN_CSV}"],
    )
    original = pq.read_metadata(root_twin(runs["csv"].export) / "msdyn_ocsession" / "part-00001.parquet").num_rows
    assert len(stamps) == 2 and stamps[0][1] == original and stamps[1][1] > 0, stamps
    # The file rewritten in place was read again whole: one stamp, the file's size now.
    table, name = REWRITTEN_CSV
    rewritten = query(
        runs["csv"].incremental,
        "select distinct _source_file_size from base_dataverse__queues where _source_file = ?",
        [f"{table}/{name}"],
    )
    assert rewritten == [((runs["csv"].export / table / name).stat().st_size,)]


def _copy(run: FormatRun, tmp_path: Path) -> tuple[Path, Path]:
    export, warehouse = tmp_path / "export", tmp_path / "warehouse.duckdb"
    shutil.copytree(run.export, export)
    shutil.copy(run.incremental, warehouse)
    return export, warehouse


def _assert_stops_asking_for_a_full_refresh(result: DbtResult, table: str, file_hint: str) -> None:
    assert not result.ok
    message = result.output[result.output.find(f"Dataverse table '{table}': rows loaded from") :]
    assert message.startswith(f"Dataverse table '{table}'"), result.output[-3000:]
    assert file_hint in message.splitlines()[0] and "--full-refresh" in message.splitlines()[0]


def test_a_removed_file_stops_the_incremental_build(runs: dict[str, FormatRun], tmp_path: Path) -> None:
    export, warehouse = _copy(runs["parquet"], tmp_path)
    # The warehouse was built with the copied export's original path: the same relative files.
    (export / "msdyn_ocsession" / "part-change.parquet").unlink()
    result = _build("parquet", export, warehouse)
    _assert_stops_asking_for_a_full_refresh(result, "msdyn_ocsession", "msdyn_ocsession/part-change.parquet")
    # A full refresh is what it asks for, and it builds.
    assert _build("parquet", export, warehouse, "--full-refresh").ok


def test_a_delta_hard_delete_stops_the_incremental_build(runs: dict[str, FormatRun], tmp_path: Path) -> None:
    """A session deleted by a merge that removes its row (Fabric Link's hard delete): its rows vanish from the log."""
    from deltalake import DeltaTable

    export, warehouse = _copy(runs["delta"], tmp_path)
    current = query(warehouse, "select activityid from base_dataverse__sessions where _load_state = 'current'")
    doomed = next(key for (key,) in sorted(current) if delta_writer.is_hard_delete(pa.array([key]))[0])
    version, written = query(warehouse, "select max(versionnumber), max(sinkmodifiedon) from base_dataverse__sessions")[
        0
    ]
    schema = SCHEMAS["msdyn_ocsession"]
    row = dict.fromkeys(schema.names)
    row.update({schema.names[0]: doomed, "versionnumber": version + 1, "sinkmodifiedon": written, "isdelete": True})
    delta_writer.append_change(export, {"msdyn_ocsession": pa.Table.from_pylist([row], schema=schema)})
    assert doomed not in DeltaTable(str(export / "msdyn_ocsession")).to_pyarrow_table().column("Id").to_pylist()
    result = _build("delta", export, warehouse)
    _assert_stops_asking_for_a_full_refresh(result, "msdyn_ocsession", "msdyn_ocsession/")


def test_nothing_new_reads_no_file(runs: dict[str, FormatRun], tmp_path: Path) -> None:
    for fmt in ("csv", "delta"):
        run = runs[fmt]
        warehouse = tmp_path / f"{fmt}.duckdb"
        shutil.copy(run.incremental, warehouse)
        result = _build(fmt, run.export, warehouse)
        assert result.ok, result.output[-3000:]
        compiled = next((tmp_path / f"target-{fmt}").glob("compiled/**/base_dataverse__sessions.sql")).read_text()
        assert "where false" in compiled and "_source_path in (" not in compiled
        assert_same_rows(_rows(warehouse, "fct_sessions"), _rows(run.incremental, "fct_sessions"), fmt)
