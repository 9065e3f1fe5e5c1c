"""Idempotence: two builds in a row on the same export give identical marts.

The export is a generated one made harder to be deterministic on: the sentiment table exported
twice (exact duplicates), and versions of some sessions, participants and agents that tie on
versionnumber and sinkmodifiedon but differ in their values (the pipeline's tie-break decides),
some with no sinkmodifiedon (re-read on every run by the incremental base layer). Both builds
go into the same warehouse; every relation of the warehouse is compared row for row, ordered by
all its columns: identical, floats included.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest

from omnichannel_tools.catalogue import metric_views
from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.generator import generate_export

from .corruption.expected_states import expected_audit
from .corruption.export_files import read_parquet_rows, write_parquet_rows
from .corruption.warehouse import loaded_audit, relation_names, relation_rows

SESSIONS = 500
SEED = 23
BUILD = ["build", "--exclude", "test_type:unit"]
MARTS = [
    "fct_sessions",
    "fct_conversations",
    "dim_agents",
    "dim_queues",
    "dim_channels",
    "dim_closure_reasons",
    *metric_views(),
    "dataverse_load_audit",
    "dataverse_data_faults",
]


def _add_ties(export: Path) -> int:
    """Versions that tie on versionnumber (and sinkmodifiedon, or have none) but differ in value."""
    added = 0
    edits = {
        "msdyn_ocsession": lambda r, i: {
            "msdyn_closurereason": 192350005 + i % 3,
            "msdyn_sessionclosedon": r["msdyn_sessionclosedon"]
            and r["msdyn_sessionclosedon"] + timedelta(seconds=i + 1),
        },
        "msdyn_sessionparticipant": lambda r, i: {"msdyn_activetime": (r["msdyn_activetime"] or 0) + 11 * (i + 1)},
        "systemuser": lambda r, i: {"fullname": f"{r['fullname']} (tie {i})"},
    }
    for table, edit in edits.items():
        path = export / table / "part-00000.parquet"
        schema, rows = read_parquet_rows(path)
        living = [r for r in rows if not r["isdelete"]]
        living = living[:: max(1, len(living) // 6)][:6]
        ties = []
        for i, row in enumerate(living):
            tie = {**row, **edit(row, i)}
            if i % 2:  # no sinkmodifiedon on either version: re-read by every incremental run
                row["sinkmodifiedon"] = tie["sinkmodifiedon"] = None
            ties.append(tie)
        write_parquet_rows(path, schema, rows)
        write_parquet_rows(export / table / "part-00001-ties.parquet", schema, ties)
        added += len(ties)
    return added


def _snapshot(warehouse: Path) -> dict[str, list[tuple]]:
    return {relation: relation_rows(warehouse, relation) for relation in relation_names(warehouse)}


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, dict, Path, Path]:
    work = tmp_path_factory.mktemp("idempotence")
    export = work / "export"
    generate_export(export, sessions=SESSIONS, seed=SEED, fmt="parquet")
    assert _add_ties(export) == 18
    shutil.copy(
        export / "msdyn_ocsessionsentiment" / "part-00000.parquet",
        export / "msdyn_ocsessionsentiment" / "part-00000-exported-again.parquet",
    )
    warehouse = work / "warehouse" / "warehouse.duckdb"
    warehouse.parent.mkdir()
    snapshots = []
    for _ in range(2):
        result = run_dbt(BUILD, warehouse=warehouse, export_path=export, target_path=work / "target")
        assert result.ok, result.output[-6000:]
        snapshots.append(_snapshot(warehouse))
    return snapshots[0], snapshots[1], export, warehouse


def test_every_mart_is_built_and_not_empty(two_builds: tuple[dict, dict, Path, Path]) -> None:
    first, _second, _export, _warehouse = two_builds
    for mart in MARTS:
        assert mart in first, mart
        assert first[mart], f"{mart} is empty"


def test_second_build_gives_identical_relations(two_builds: tuple[dict, dict, Path, Path]) -> None:
    first, second, _export, _warehouse = two_builds
    assert sorted(second) == sorted(first)
    different = [name for name in first if first[name] != second[name]]
    assert not different, f"relations that changed between two builds of the same export: {different}"


def test_the_ties_were_loaded_and_audited(two_builds: tuple[dict, dict, Path, Path]) -> None:
    """The tied versions reached the build (so the comparison covers the tie-break)."""
    _first, _second, export, warehouse = two_builds
    expected = expected_audit(export, "parquet")
    assert loaded_audit(warehouse) == expected
    assert expected[("msdyn_ocsessionsentiment", "superseded", None)] > 0
