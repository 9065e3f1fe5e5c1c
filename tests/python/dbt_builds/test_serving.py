"""Publish on green: BI readers of the serving file never block or see a build, and a build that
fails its tests publishes nothing.

One small export is built and published; then, while two reader processes query every metric
view of the serving file (one holding a single read-only connection, one connecting anew for each
query), the export changes, dbt builds it again and the build is published. Last, a build of a
further change whose error-severity test fails (a copy of the project with one failing singular
test) must leave the serving file byte for byte as it was.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from omnichannel_tools.catalogue import metric_views
from omnichannel_tools.change import apply_change
from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.generator import generate_export
from omnichannel_tools.paths import REPO_ROOT
from omnichannel_tools.serving.cli import main as publish_main
from omnichannel_tools.serving.publish import NotPublishedError, publish

from .serving_reader import fingerprint_query

SESSIONS = 400
BUILD = ["build", "--exclude", "test_type:unit"]
READER = Path(__file__).with_name("serving_reader.py")
SERVED = {
    "fct_sessions",
    "fct_conversations",
    "fct_session_metrics_daily",
    "fct_session_closure_reasons_daily",
    "fct_session_conversations_daily",
    "fct_conversation_metrics_daily",
    "dim_agents",
    "dim_queues",
    "dim_channels",
    "dim_closure_reasons",
    "dim_dates",
    "dataverse_load_audit",
    "dataverse_data_faults",
    "dataverse_table_availability",
    *metric_views(),
    # Agent availability and consults (their views are not in the session-grain catalogue).
    "fct_agent_presence_intervals",
    "fct_agent_presence_daily",
    "fct_consults",
    "fct_consults_daily",
    *(f"metric_agent_{status}_hours" for status in ("logged_in", "available", "busy", "busy_dnd", "away", "offline")),
    "metric_agent_occupancy",
    "metric_consult_requests",
    "metric_consult_rates",
    "metric_consult_avg_time",
    "metric_monitor_sessions",
}


@dataclass
class Site:
    """An export, its build warehouse and artifacts, and the serving file."""

    export: Path
    warehouse: Path
    target: Path
    serving: Path

    def build(self, project_dir: Path | None = None) -> bool:
        result = run_dbt(
            BUILD, warehouse=self.warehouse, export_path=self.export, target_path=self.target, project_dir=project_dir
        )
        return result.ok

    def publish(self) -> int:
        return publish_main(
            ["--warehouse", str(self.warehouse), "--serving", str(self.serving), "--target-dir", str(self.target)]
        )


def fingerprint(database: Path) -> list[int]:
    with duckdb.connect(str(database), read_only=True) as con:
        return [int(v) for v in con.execute(fingerprint_query()).fetchone()]


def _wait_for(predicate, what: str, timeout: float = 120.0) -> None:  # noqa: ANN001
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.1)


def _readings(path: Path) -> list[dict]:
    lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    return [json.loads(line) for line in lines if line.endswith("}")]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    work = tmp_path_factory.mktemp("serving")
    (work / "warehouse").mkdir()
    built = Site(work / "export", work / "warehouse" / "build.duckdb", work / "target", work / "bi" / "serving.duckdb")
    generate_export(built.export, sessions=SESSIONS, seed=31, fmt="parquet")
    assert built.build()
    assert built.publish() == 0
    return built


@pytest.fixture(scope="module")
def rebuild_during_reads(site: Site) -> dict:
    """Readers run while the export changes, is built again and published."""
    old = fingerprint(site.serving)
    signals = site.serving.parent / "signals"
    signals.mkdir()
    stop, published = signals / "stop", signals / "published"
    logs = {mode: signals / f"{mode}.jsonl" for mode in ("hold", "loop")}
    readers = [
        subprocess.Popen([sys.executable, str(READER), str(site.serving), str(log), str(stop), str(published), mode])
        for mode, log in logs.items()
    ]
    try:
        _wait_for(lambda: all(_readings(log) for log in logs.values()), "the readers' first readings")
        apply_change(site.export, fraction=0.2, seed=5)
        built = site.build()
        published_code = site.publish() if built else None
        published.touch()
        _wait_for(lambda: sum(r.get("after_publish", False) for r in _readings(logs["loop"])) >= 3, "fresh readings")
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)
    return {
        "old": old,
        "new": fingerprint(site.serving),
        "warehouse": fingerprint(site.warehouse),
        "built": built,
        "published": published_code,
        "readers": [reader.returncode for reader in readers],
        "hold": _readings(logs["hold"]),
        "loop": _readings(logs["loop"]),
    }


def test_the_serving_file_holds_the_marts_the_audit_and_nothing_else(site: Site) -> None:
    with duckdb.connect(str(site.serving), read_only=True) as con:
        relations = {name for (name,) in con.execute("select table_name from information_schema.tables").fetchall()}
    assert relations == SERVED


def test_a_reader_holding_a_connection_does_not_break_the_next_build_and_publish(rebuild_during_reads: dict) -> None:
    assert rebuild_during_reads["built"], "dbt build failed while a reader held the serving file"
    assert rebuild_during_reads["published"] == 0
    assert rebuild_during_reads["readers"] == [0, 0]
    hold = rebuild_during_reads["hold"]
    assert hold and not [r for r in hold if "error" in r]
    # its snapshot is the file it opened: the old data to the end
    assert {tuple(r["fingerprint"]) for r in hold} == {tuple(rebuild_during_reads["old"])}


def test_a_reader_in_a_loop_never_errors_never_mixes_and_sees_the_new_totals(rebuild_during_reads: dict) -> None:
    old, new = rebuild_during_reads["old"], rebuild_during_reads["new"]
    assert old != new, "the change must move the totals"
    assert new == rebuild_during_reads["warehouse"], "the serving file holds what the build computed"
    loop = rebuild_during_reads["loop"]
    assert not [r for r in loop if "error" in r]
    assert {tuple(r["fingerprint"]) for r in loop} <= {tuple(old), tuple(new)}  # one snapshot per query
    assert [r["fingerprint"] for r in loop if r["after_publish"]] == [new] * sum(r["after_publish"] for r in loop)
    assert loop[0]["fingerprint"] == old


def test_a_build_with_a_failing_test_leaves_the_serving_file_unchanged(
    site: Site, rebuild_during_reads: dict, tmp_path: Path
) -> None:
    project = tmp_path / "project"
    project.mkdir()
    for item in ("dbt_project.yml", "models", "macros", "seeds"):
        copy = shutil.copytree if (REPO_ROOT / item).is_dir() else shutil.copy
        copy(REPO_ROOT / item, project / item)
    shutil.copytree(REPO_ROOT / "tests", project / "tests", ignore=shutil.ignore_patterns("python"))
    (project / "tests" / "assert_this_build_fails_a_test.sql").write_text(
        "-- error severity (the default): one failing row\nselect session_id from {{ ref('fct_sessions') }} limit 1\n"
    )
    before = site.serving.read_bytes()
    apply_change(site.export, fraction=0.2, seed=6)
    assert not site.build(project_dir=project)
    assert site.publish() == 1
    assert site.serving.read_bytes() == before
    assert not list(site.serving.parent.glob(".*publishing*")), "no half-written file left behind"
    with pytest.raises(NotPublishedError, match="assert_this_build_fails_a_test fail"):
        publish(site.warehouse, site.serving, site.target)


def test_every_view_resolves_under_another_name_and_folder(
    site: Site, rebuild_during_reads: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = tmp_path / "somewhere" / "else"
    elsewhere.mkdir(parents=True)
    copy = elsewhere / "contact_center_metrics.duckdb"
    shutil.copy(site.serving, copy)
    monkeypatch.chdir(elsewhere)
    assert fingerprint(copy) == rebuild_during_reads["new"]
    with duckdb.connect() as con:  # attached under an alias: no view may name the build's catalog
        con.execute(f"attach '{copy}' as bi (read_only)")
        for view in metric_views():
            assert con.execute(f"select count(*) from bi.main.{view}").fetchone()[0] > 0, view
