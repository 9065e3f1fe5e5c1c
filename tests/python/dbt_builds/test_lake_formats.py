"""One simulated export written in every lake format builds the same marts.

The generator writes one simulated contact centre as Parquet, as CSV with a header row, as a Synapse
Link CDM container (headerless CSV described by model.json, snapshots, incremental folders, one
still in progress, an added column, retries) and as Fabric Link Delta tables (updates and deletes
through the log, the removed files left in the folders). Each is built with dataverse_format auto.
Every metric view, fct_sessions and the load audit's current rows must equal the Parquet build's.

One column is lake bookkeeping rather than contact-centre data: fct_sessions.source_modified_at,
when the lake last wrote a row of the session. The lake formats write different rows for the same
changes (a CDM retry writes a row again seconds later; a Delta hard delete erases the tombstone),
so it is compared by its own rule (test_source_modified_at_follows_the_lake_writes).

A reader that globs a Delta table's folder as Parquet reads the removed files too: its build is
made here and must differ (test_a_glob_reader_of_the_delta_folder_gets_other_marts).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest

from omnichannel_tools.catalogue import metric_views
from omnichannel_tools.dbt_runner import DbtResult, run_dbt
from omnichannel_tools.generator import generate_export
from omnichannel_tools.lake.delta import active_files

from .corruption.warehouse import query, relation_columns, same_rows

SESSIONS = 1_200
SEED = 31
FORMATS = ("parquet", "csv", "cdm", "delta")
BUILD = ["build", "--exclude", "test_type:unit"]
# CSV is tested by the corruption suite and the glob reader only has to show other numbers: models only.
MODELS_ONLY = ["build", "--resource-type", "seed", "--resource-type", "model"]
METRIC_VIEWS = metric_views()
LAKE_COLUMN = "source_modified_at"


@dataclass(frozen=True)
class FormatBuild:
    """One export and the warehouse dbt built from it."""

    export: Path
    warehouse: Path
    result: DbtResult


@pytest.fixture(scope="module")
def builds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, FormatBuild]:
    """The same simulated export in every format, each built (two dbt builds at a time), plus the glob reader."""
    root = tmp_path_factory.mktemp("lake_formats")
    for fmt in FORMATS:
        generate_export(root / fmt, sessions=SESSIONS, seed=SEED, fmt=fmt, rows_per_file=400)
    plan = {fmt: (root / fmt, "auto") for fmt in FORMATS}
    plan["delta_read_as_parquet"] = (root / "delta", "parquet")

    def build(name: str) -> FormatBuild:
        export, fmt = plan[name]
        warehouse = root / f"{name}.duckdb"
        result = run_dbt(
            BUILD if name in ("parquet", "cdm", "delta") else MODELS_ONLY,
            warehouse=warehouse,
            export_path=export,
            export_format=fmt,
            target_path=root / f"target_{name}",
        )
        return FormatBuild(export, warehouse, result)

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(zip(plan, pool.map(build, plan), strict=True))


def _rows(build: FormatBuild, relation: str, exclude: tuple[str, ...] = ()) -> list[tuple]:
    columns = [c for c in relation_columns(build.warehouse, relation) if c not in exclude]
    return query(build.warehouse, f"select {', '.join(columns)} from {relation} order by all")


def _current_audit(build: FormatBuild) -> list[tuple]:
    return query(
        build.warehouse,
        "select table_name, raw_rows from dataverse_load_audit where load_state = 'current' order by all",
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_builds_and_auto_names_it(fmt: str, builds: dict[str, FormatBuild]) -> None:
    build = builds[fmt]
    assert build.result.ok, build.result.output[-5000:]
    assert f"Dataverse export: reading format {fmt} (" in build.result.output


@pytest.mark.parametrize("fmt", FORMATS[1:])
def test_every_format_gives_the_parquet_marts(fmt: str, builds: dict[str, FormatBuild]) -> None:
    parquet, other = builds["parquet"], builds[fmt]
    assert parquet.result.ok and other.result.ok
    different = [view for view in METRIC_VIEWS if not same_rows(_rows(parquet, view), _rows(other, view))]
    assert different == [], f"{fmt}: metric views differ from the Parquet build: {different}"
    sessions = _rows(parquet, "fct_sessions", (LAKE_COLUMN,))
    assert len(sessions) > SESSIONS * 0.9
    assert same_rows(sessions, _rows(other, "fct_sessions", (LAKE_COLUMN,))), f"{fmt}: fct_sessions differs"
    assert _current_audit(other) == _current_audit(parquet)


CHOICE_WARNING = "Dataverse export: choice codes in the export's option-set metadata that the glossary seeds lack: "


def test_cdm_choice_codes_missing_from_the_glossaries_are_reported(builds: dict[str, FormatBuild]) -> None:
    """The generator's option-set metadata defines two codes our seeds lack (one only in the JSON); a code the
    seeds know, with a Spanish label beside the English one, is not reported. Other formats report nothing."""
    output = builds["cdm"].result.output
    assert output.count(CHOICE_WARNING) == 1
    reported = output[output.index(CHOICE_WARNING) + len(CHOICE_WARNING) :].split(". They read as unknown")[0]
    assert reported.split(", ") == [
        "msdyn_ocsession.msdyn_closurereason 192350099 'SimulatedNewReason' (seed dataverse_closure_reasons)",
        "msdyn_sessionparticipant.msdyn_mode 192350009 'SimulatedNewMode' (seed dataverse_participant_modes)",
    ]
    assert all(CHOICE_WARNING not in builds[fmt].result.output for fmt in ("parquet", "csv", "delta"))


def _lake_times(build: FormatBuild) -> dict[str, object]:
    return dict(query(build.warehouse, f"select session_id, {LAKE_COLUMN} from fct_sessions"))


def test_source_modified_at_follows_the_lake_writes(builds: dict[str, FormatBuild]) -> None:
    """CDM: retries write rows again up to 2 s later (never earlier); Delta: a hard delete's tombstone is
    gone, so never later; CSV: the Parquet value. Some sessions differ in each lake format."""
    parquet = _lake_times(builds["parquet"])
    assert _lake_times(builds["csv"]) == parquet
    cdm, delta = _lake_times(builds["cdm"]), _lake_times(builds["delta"])
    assert cdm.keys() == delta.keys() == parquet.keys()
    later = {s for s in parquet if cdm[s] != parquet[s]}
    assert later and all(timedelta(0) < cdm[s] - parquet[s] <= timedelta(seconds=2) for s in later)
    earlier = {s for s in parquet if delta[s] != parquet[s]}
    assert earlier and all(delta[s] < parquet[s] for s in earlier)


def test_a_glob_reader_of_the_delta_folder_gets_other_marts(builds: dict[str, FormatBuild]) -> None:
    """The Delta folders hold files the log removed; the Parquet reader pointed at them reads them again."""
    delta = builds["delta"]
    folder = delta.export / "msdyn_ocsession"
    assert len(list(folder.glob("*.parquet"))) > len(active_files(folder))
    globbed = builds["delta_read_as_parquet"]
    assert globbed.result.ok, globbed.result.output[-5000:]
    assert _current_audit(globbed) != _current_audit(builds["parquet"])
    different = [view for view in METRIC_VIEWS if not same_rows(_rows(delta, view), _rows(globbed, view))]
    assert different, "the glob reader's metric views equal the Delta build's: the test cannot tell them apart"
