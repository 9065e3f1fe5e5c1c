"""The settings matrix: `dbt build` (every unit and data test) under each non-default setting a user may
choose gives fct_sessions and every metric view equal to the pandas reference for that setting.

One export covers March to November 2025, so every reporting time zone of the matrix crosses its
daylight-saving switches (America/Los_Angeles 9 Mar and 2 Nov, Europe/Berlin 30 Mar and 26 Oct,
Australia/Lord_Howe's half-hour shift 6 Apr and 5 Oct) and Asia/Kolkata its half-hour offset, with
sessions around every local midnight. Each value of each var is built at least once; the values are
spread over a few builds (one per row of SETTINGS) to keep `make test` fast.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import duckdb
import pytest
import yaml

from omnichannel_tools import reference
from omnichannel_tools.catalogue import session_metrics
from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.generator import generate_export
from omnichannel_tools.paths import REPO_ROOT

from .comparisons import assert_facts_equal, assert_metric_views_equal, warehouse_facts

MATRIX_SESSIONS = 3_000
MATRIX_START = date(2025, 3, 1)
MATRIX_DAYS = 250


@dataclass(frozen=True)
class Setting:
    """One build of the matrix: its vars (beyond the export's path) and its export format."""

    name: str
    fmt: str
    vars: dict[str, object] = field(default_factory=dict)

    @property
    def timezone(self) -> str:
        return str(self.vars.get("reporting_timezone", "UTC"))


SETTINGS = [
    Setting("utc_parquet", "parquet", {"reporting_timezone": "UTC"}),
    Setting("berlin_csv", "csv", {"reporting_timezone": "Europe/Berlin"}),
    Setting(
        "los_angeles_entity_records_kept",
        "parquet",
        {"reporting_timezone": "America/Los_Angeles", "exclude_entity_records": False},
    ),
    Setting(
        "kolkata_csv_sms_filter",
        "csv",
        {"reporting_timezone": "Asia/Kolkata", "exclude_channel_instance_sessions": True},
    ),
    Setting("lord_howe_parquet", "parquet", {"reporting_timezone": "Australia/Lord_Howe"}),
]

# Vars that change no mart (where the export is, a warning threshold), with the reason.
VARS_OUTSIDE_THE_MATRIX = {
    "dataverse_path": "where the export is: every build of the matrix sets it",
    "dataverse_format": "the export's format: the matrix builds CSV and Parquet",
    "dataverse_schema": "the schema of engines without file readers: proven by the Spark suite",
    "max_plausible_active_time_seconds": "a threshold of the data-faults report, not of a mart",
    "source_freshness_warn_after_hours": "a threshold of dbt source freshness, not of a mart",
    "bi_role": "who may read the marts on PostgreSQL (grants), not what they hold: proven by make test-postgres",
}


def project_vars() -> dict[str, object]:
    return yaml.safe_load((REPO_ROOT / "dbt_project.yml").read_text())["vars"]


def test_every_var_of_the_project_is_in_the_matrix() -> None:
    """A var the project adds joins the matrix (or says why it changes no mart)."""
    in_matrix = {name for setting in SETTINGS for name in setting.vars}
    missing = set(project_vars()) - in_matrix - set(VARS_OUTSIDE_THE_MATRIX)
    assert not missing, f"add these vars to SETTINGS: {sorted(missing)}"
    for name, default in project_vars().items():
        if name in in_matrix and isinstance(default, bool):
            values = {setting.vars.get(name, default) for setting in SETTINGS}
            assert values == {True, False}, f"{name}: the matrix must build both values"


def test_the_matrix_covers_the_time_zones_that_bite() -> None:
    zones = {setting.timezone for setting in SETTINGS}
    assert {"UTC", "Europe/Berlin", "America/Los_Angeles", "Asia/Kolkata", "Australia/Lord_Howe"} <= zones
    assert {setting.fmt for setting in SETTINGS} == {"csv", "parquet"}


@pytest.fixture(scope="module")
def matrix_exports(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("matrix_exports")
    exports = {}
    for fmt in ("parquet", "csv"):
        exports[fmt] = root / fmt
        generate_export(
            exports[fmt], sessions=MATRIX_SESSIONS, seed=11, fmt=fmt, start_date=MATRIX_START, days=MATRIX_DAYS
        )
    return exports


@pytest.mark.parametrize("setting", SETTINGS, ids=lambda setting: setting.name)
def test_a_build_under_the_setting_equals_the_reference(
    setting: Setting, matrix_exports: dict[str, Path], tmp_path: Path
) -> None:
    export = matrix_exports[setting.fmt]
    warehouse = tmp_path / "warehouse.duckdb"
    result = run_dbt(
        ["build"],
        warehouse=warehouse,
        export_path=export,
        export_format=setting.fmt,
        extra_vars=setting.vars,
        target_path=tmp_path / "target",
    )
    assert result.ok, result.output[-5000:]
    tables = reference.load_export(export, setting.fmt)
    facts = reference.session_facts(
        tables,
        reporting_timezone=setting.timezone,
        exclude_entity_records=bool(setting.vars.get("exclude_entity_records", True)),
        exclude_channel_instance_sessions=bool(setting.vars.get("exclude_channel_instance_sessions", False)),
    )
    with duckdb.connect(str(warehouse), read_only=True) as con:
        assert_facts_equal(warehouse_facts(con), facts, min_sessions=MATRIX_SESSIONS // 4)
        assert assert_metric_views_equal(con, facts) == [metric.view for metric in session_metrics()]


def test_the_matrix_export_crosses_every_switch(matrix_exports: dict[str, Path]) -> None:
    """The export spans the daylight-saving switches of every zone of the matrix."""
    tables = reference.load_export(matrix_exports["parquet"], "parquet")
    created = tables["msdyn_ocsession"]["msdyn_sessioncreatedon"].dropna()
    for switch in ["2025-03-09", "2025-03-30", "2025-04-06", "2025-10-05", "2025-10-26", "2025-11-02"]:
        day = created[created.dt.strftime("%Y-%m-%d") == switch]
        assert len(day) > 0, switch
