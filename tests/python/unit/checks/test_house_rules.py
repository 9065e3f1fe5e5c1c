"""The house-rules check (omnichannel_tools.checks.house_rules) on small hand-made manifests."""

from __future__ import annotations

import json
from pathlib import Path

from omnichannel_tools.checks.house_rules import run_checks

PROJECT = "omnichannel_analytics"


def model(
    name: str,
    folder: str,
    parents: list[str],
    columns: dict | None = None,
    raw_code: str = "",
    macros: list[str] | None = None,
    materialized: str = "table",
) -> tuple[str, dict]:
    uid = f"model.{PROJECT}.{name}"
    return uid, {
        "resource_type": "model",
        "name": name,
        "alias": name,
        "description": f"{name} described",
        "original_file_path": f"models/{folder}/{name}.sql",
        "raw_code": raw_code,
        "depends_on": {"nodes": parents, "macros": macros or []},
        "columns": columns if columns is not None else {"id": {"name": "id", "description": "key"}},
        "config": {"materialized": materialized},
    }


def key_tests(uid: str, folder: str) -> dict:
    name = uid.split(".")[-1]
    return {
        f"test.{PROJECT}.{kind}_{name}_id": {
            "resource_type": "test",
            "name": f"{kind}_{name}_id",
            "attached_node": uid,
            "column_name": "id",
            "test_metadata": {"name": kind},
            "original_file_path": f"models/{folder}/{name}.yml",
        }
        for kind in ("unique", "not_null")
    }


def write_manifest(
    tmp_path: Path,
    models: list[tuple[str, dict]],
    unit_tests: dict | None = None,
    macros: dict | None = None,
    extra_tests: dict | None = None,
) -> Path:
    nodes: dict = {}
    child_map: dict = {}
    for uid, node in models:
        nodes[uid] = node
        folder = str(Path(node["original_file_path"]).parent.relative_to("models"))
        nodes.update(key_tests(uid, folder))
        for parent in node["depends_on"]["nodes"]:
            child_map.setdefault(parent, []).append(uid)
    nodes.update(extra_tests or {})
    path = tmp_path / "manifest.json"
    path.write_text(
        json.dumps({"nodes": nodes, "unit_tests": unit_tests or {}, "macros": macros or {}, "child_map": child_map})
    )
    return path


SOURCE = f"source.{PROJECT}.dataverse.queue"


def clean_project() -> list[tuple[str, dict]]:
    base = model("base_dataverse__queues", "staging/dataverse/base", [SOURCE])
    staging = model("stg_dataverse__queues", "staging/dataverse", [base[0]], materialized="view")
    mart = model("dim_queues", "marts", [staging[0]])
    return [base, staging, mart]


def rules_of(findings) -> set[str]:
    return {finding.rule for finding in findings}


def test_a_clean_project_has_no_finding(tmp_path: Path) -> None:
    assert run_checks(write_manifest(tmp_path, clean_project())) == []


def test_a_mart_reading_a_base_model_breaks_the_layers(tmp_path: Path) -> None:
    project = clean_project()
    project.append(model("fct_queues", "marts", [project[0][0]]))
    findings = run_checks(write_manifest(tmp_path, project))
    assert [(f.rule, f.node) for f in findings] == [("layers", "fct_queues")]


def test_a_model_without_key_test_or_description_is_reported(tmp_path: Path) -> None:
    project = clean_project()
    uid, node = project[2]
    node["description"] = ""
    node["columns"]["id"]["description"] = ""
    path = write_manifest(tmp_path, project)
    manifest = json.loads(path.read_text())
    del manifest["nodes"][f"test.{PROJECT}.unique_dim_queues_id"]
    path.write_text(json.dumps(manifest))
    assert rules_of(run_checks(path)) == {"primary key", "documentation"}


def test_a_test_declared_in_another_folder_is_reported(tmp_path: Path) -> None:
    project = clean_project()
    stray = {
        f"test.{PROJECT}.accepted_range_dim_queues_id": {
            "resource_type": "test",
            "name": "accepted_range_dim_queues_id",
            "attached_node": project[2][0],
            "column_name": "id",
            "test_metadata": {"name": "accepted_range"},
            "original_file_path": "models/intermediate/_elsewhere.yml",
        }
    }
    assert rules_of(run_checks(write_manifest(tmp_path, project, extra_tests=stray))) == {"test placement"}


def test_a_unit_test_must_pin_the_vars_its_model_reads_through_macros(tmp_path: Path) -> None:
    project = clean_project()
    macro_uid = f"macro.{PROJECT}.to_reporting_date"
    project[2][1]["depends_on"]["macros"] = [macro_uid]
    macros = {macro_uid: {"macro_sql": "{{ var('reporting_timezone', 'UTC') }}", "depends_on": {"macros": []}}}
    unit_tests = {
        "unit_test.a": {
            "name": "pins_nothing",
            "model": "dim_queues",
            "overrides": {},
            "original_file_path": "models/marts/dim_queues.yml",
        },
        "unit_test.b": {
            "name": "pins_the_zone",
            "model": "dim_queues",
            "overrides": {"vars": {"reporting_timezone": "UTC"}},
            "original_file_path": "models/marts/dim_queues.yml",
        },
    }
    findings = run_checks(write_manifest(tmp_path, project, unit_tests=unit_tests, macros=macros))
    assert [(f.rule, f.node) for f in findings] == [("unit test vars", "pins_nothing")]


def test_a_chain_of_three_views_and_a_wide_fanout_are_reported(tmp_path: Path) -> None:
    project = clean_project()
    first = model("int_queues_a", "intermediate", [project[1][0]], materialized="view")
    second = model("int_queues_b", "intermediate", [first[0]], materialized="view")
    readers = [model(f"dim_queue_{i}", "marts", [project[2][0]]) for i in range(4)]
    findings = run_checks(write_manifest(tmp_path, [*project, first, second, *readers]))
    assert rules_of(findings) == {"view chain", "fanout"}
