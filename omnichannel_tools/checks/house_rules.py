"""The project's house rules, checked from dbt's manifest.json (run after `dbt build` or `dbt parse`).

Rules (after dbt-project-evaluator's):
- layers run one way: each model reads only the layers its layer may read (LAYER_PARENTS);
  only base models read sources, and no mart reads a base model;
- every model has a primary-key test (unique + not_null on a column, or a
  unique_combination_of_columns / a test named in PRIMARY_KEY_TESTS at model level);
- every model and every declared column has a description; with --warehouse, every column
  of every built model is declared;
- a model's tests live in the YAML beside it (same folder);
- model names carry their layer's prefix;
- no chain of more than two views;
- no model fans out to more than MAX_FANOUT models, but the exceptions listed;
- every unit test pins (overrides: vars:) each var its model reads, directly or through macros.

Deliberate exceptions are listed in EXCEPTIONS with their reasons.

    python -m omnichannel_tools.checks.house_rules --manifest target/manifest.json [--warehouse W]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

PROJECT = "omnichannel_analytics"

# Folder (prefix of the model's path under models/) -> layer. The longest match wins.
LAYER_FOLDERS: dict[str, str] = {
    "staging/dataverse/base": "base",
    "staging": "staging",
    "intermediate": "intermediate",
    "marts/metrics": "metrics",
    "marts": "marts",
    "audit": "audit",
}

# The layers (and "source", "seed") each layer may read.
LAYER_PARENTS: dict[str, set[str]] = {
    "base": {"source"},
    "staging": {"base", "seed"},
    "intermediate": {"staging", "intermediate", "seed"},
    "marts": {"staging", "intermediate", "marts", "seed"},
    "metrics": {"marts"},
    "audit": {"staging", "intermediate", "marts", "seed"},
}

LAYER_PREFIXES: dict[str, tuple[str, ...]] = {
    "base": ("base_",),
    "staging": ("stg_",),
    "intermediate": ("int_",),
    "marts": ("fct_", "dim_"),
    "metrics": ("metric_",),
    "audit": ("dataverse_",),
}

PRIMARY_KEY_TESTS = {"unique_combination_of_columns"}
MAX_FANOUT = 3
MAX_VIEW_CHAIN = 2

# Deliberate exceptions: rule -> {model: reason}.
EXCEPTIONS: dict[str, dict[str, str]] = {
    "primary key": {
        "stg_dataverse__row_states": (
            "a view over the union of the base tables: its key (table, record_id, version_rank) is each base "
            "model's own grain test; the same group-by over every raw row ran out of 3GB at 10M sessions"
        ),
        "stg_dataverse__row_changes": (
            "the same union as stg_dataverse__row_states, fewer columns: its key is each base model's grain test"
        ),
    },
    "fanout": {
        "fct_session_metrics_daily": (
            "the one shared aggregate: every session metric view selects its parts, so each definition is written once"
        ),
        "fct_sessions": "the session fact: the aggregates, the conversation mart and the faults read it",
        "base_dataverse__sessions": (
            "the session table: its staging model, the child tables' orphan check and the row states read it"
        ),
        "stg_dataverse__sessions": "the current sessions: the fact, the intermediate and the audit read them",
        "stg_dataverse__session_participants": (
            "the current participants: the session roll-up, the conversation times, the consult fact and the faults"
        ),
        "stg_dataverse__row_changes": (
            "when each raw row's key changed: every incremental model's change tracking reads it"
        ),
        "int_session_changes_rolled_up": (
            "the session change tracking: every session-keyed incremental model asks it which sessions changed"
        ),
        "fct_conversation_metrics_daily": (
            "the one shared conversation aggregate: every metric_conversation_* view selects its parts"
        ),
        "fct_agent_presence_daily": (
            "the agent availability aggregate: every metric_agent_ view selects its parts, each definition written once"
        ),
        "fct_consults_daily": (
            "the consult and monitor aggregate: every metric_consult_ / metric_monitor_ view selects its parts"
        ),
    },
    "prefix": {
        # metric_ is the layer's own prefix (LAYER_PREFIXES): the views BI tools query are named
        # after the metric, not fct_/dim_, so a BI user finds a metric by its name.
    },
}


@dataclass(frozen=True)
class Finding:
    rule: str
    node: str
    message: str

    def __str__(self) -> str:
        return f"[{self.rule}] {self.node}: {self.message}"


def model_layer(node: dict) -> str | None:
    path = PurePosixPath(node["original_file_path"])
    relative = "/".join(path.parts[1:-1])  # below models/, without the file name
    best = None
    for folder, layer in LAYER_FOLDERS.items():
        if (relative == folder or relative.startswith(folder + "/")) and (best is None or len(folder) > len(best[0])):
            best = (folder, layer)
    return best[1] if best else None


class Manifest:
    def __init__(self, data: dict) -> None:
        self.data = data
        self.nodes: dict[str, dict] = data["nodes"]
        self.models = {uid: n for uid, n in self.nodes.items() if n["resource_type"] == "model"}
        self.tests = {uid: n for uid, n in self.nodes.items() if n["resource_type"] == "test"}
        self.unit_tests: dict[str, dict] = data.get("unit_tests", {})
        self.macros: dict[str, dict] = data["macros"]
        self.child_map: dict[str, list[str]] = data["child_map"]

    def kind(self, uid: str) -> str:
        if uid.startswith("source."):
            return "source"
        if uid.startswith("seed."):
            return "seed"
        node = self.nodes.get(uid)
        if node and node["resource_type"] == "model":
            return model_layer(node) or "unknown"
        return uid.split(".")[0]


def check_layers(manifest: Manifest) -> Iterable[Finding]:
    for node in manifest.models.values():
        layer = model_layer(node)
        if layer is None:
            yield Finding("layers", node["name"], f"{node['original_file_path']} is in no known layer folder")
            continue
        for parent in node["depends_on"]["nodes"]:
            kind = manifest.kind(parent)
            if kind not in LAYER_PARENTS[layer]:
                yield Finding("layers", node["name"], f"a {layer} model reads {parent.split('.')[-1]} ({kind})")


def check_primary_keys(manifest: Manifest) -> Iterable[Finding]:
    columns_tested: dict[str, dict[str, set[str]]] = {}
    model_level: dict[str, set[str]] = {}
    for test in manifest.tests.values():
        meta = test.get("test_metadata") or {}
        attached = test.get("attached_node")
        if not attached:
            continue
        name = meta.get("name", "")
        column = test.get("column_name")
        if column:
            columns_tested.setdefault(attached, {}).setdefault(column, set()).add(name)
        else:
            model_level.setdefault(attached, set()).add(name)
    for uid, node in manifest.models.items():
        if node["name"] in EXCEPTIONS["primary key"]:
            continue
        per_column = columns_tested.get(uid, {})
        has_column_key = any({"unique", "not_null"} <= names for names in per_column.values())
        has_model_key = bool(model_level.get(uid, set()) & PRIMARY_KEY_TESTS)
        if not (has_column_key or has_model_key):
            yield Finding("primary key", node["name"], "no primary-key test (unique + not_null, or a grain test)")


def check_documentation(manifest: Manifest) -> Iterable[Finding]:
    for node in manifest.models.values():
        if not node.get("description", "").strip():
            yield Finding("documentation", node["name"], "the model has no description")
        for column in node.get("columns", {}).values():
            if not column.get("description", "").strip():
                yield Finding("documentation", node["name"], f"column {column['name']} has no description")


def check_built_columns(manifest: Manifest, warehouse: Path) -> Iterable[Finding]:
    import duckdb

    with duckdb.connect(str(warehouse), read_only=True) as con:
        built: dict[str, set[str]] = {}
        for table, column in con.execute("select table_name, column_name from information_schema.columns").fetchall():
            built.setdefault(table, set()).add(column.lower())
    for node in manifest.models.values():
        columns = built.get(node["alias"] or node["name"])
        if columns is None:
            continue
        declared = {name.lower() for name in node.get("columns", {})}
        for column in sorted(columns - declared):
            yield Finding("documentation", node["name"], f"built column {column} is not declared in its YAML")


def check_test_placement(manifest: Manifest) -> Iterable[Finding]:
    for test in manifest.tests.values():
        attached = test.get("attached_node")
        if not attached or attached not in manifest.models:
            continue
        model = manifest.models[attached]
        test_folder = PurePosixPath(test["original_file_path"]).parent
        model_folder = PurePosixPath(model["original_file_path"]).parent
        if str(test_folder).startswith("tests"):
            continue  # singular tests
        if test_folder != model_folder:
            yield Finding("test placement", model["name"], f"{test['name']} is declared in {test_folder}")
    for unit_test in manifest.unit_tests.values():
        model = next((m for m in manifest.models.values() if m["name"] == unit_test["model"]), None)
        if (
            model
            and PurePosixPath(unit_test["original_file_path"]).parent
            != PurePosixPath(model["original_file_path"]).parent
        ):
            yield Finding("test placement", model["name"], f"unit test {unit_test['name']} lives elsewhere")


def check_prefixes(manifest: Manifest) -> Iterable[Finding]:
    for node in manifest.models.values():
        layer = model_layer(node)
        if layer and not node["name"].startswith(LAYER_PREFIXES[layer]):
            if node["name"] in EXCEPTIONS["prefix"]:
                continue
            yield Finding("naming", node["name"], f"a {layer} model is named {'/'.join(LAYER_PREFIXES[layer])}*")


def check_fanout_and_view_chains(manifest: Manifest) -> Iterable[Finding]:
    for uid, node in manifest.models.items():
        children = [c for c in manifest.child_map.get(uid, []) if c in manifest.models]
        if len(children) > MAX_FANOUT and node["name"] not in EXCEPTIONS["fanout"]:
            yield Finding("fanout", node["name"], f"{len(children)} models read it (more than {MAX_FANOUT})")

    def view_depth(uid: str) -> int:
        node = manifest.models.get(uid)
        if not node or node["config"]["materialized"] != "view":
            return 0
        parents = [p for p in node["depends_on"]["nodes"] if p in manifest.models]
        return 1 + max((view_depth(p) for p in parents), default=0)

    for uid, node in manifest.models.items():
        if view_depth(uid) > MAX_VIEW_CHAIN:
            yield Finding("view chain", node["name"], f"a chain of {view_depth(uid)} views")


VAR_PATTERN = re.compile(r"""\bvar\(\s*['"]([A-Za-z_][A-Za-z0-9_]*)['"]""")


def vars_read(manifest: Manifest, node: dict) -> set[str]:
    """The vars a model reads, in its own code and through the project's macros it calls."""
    found = set(VAR_PATTERN.findall(node.get("raw_code", "")))
    seen: set[str] = set()
    pending = [m for m in node["depends_on"].get("macros", []) if m.startswith(f"macro.{PROJECT}.")]
    while pending:
        uid = pending.pop()
        if uid in seen or uid not in manifest.macros:
            continue
        seen.add(uid)
        macro = manifest.macros[uid]
        found |= set(VAR_PATTERN.findall(macro.get("macro_sql", "")))
        pending += [m for m in macro["depends_on"].get("macros", []) if m.startswith(f"macro.{PROJECT}.")]
    return found


def check_unit_test_vars(manifest: Manifest) -> Iterable[Finding]:
    models_by_name = {node["name"]: node for node in manifest.models.values()}
    for unit_test in manifest.unit_tests.values():
        model = models_by_name.get(unit_test["model"])
        if model is None:
            continue
        pinned = set((unit_test.get("overrides") or {}).get("vars") or {})
        missing = sorted(vars_read(manifest, model) - pinned)
        if missing:
            yield Finding(
                "unit test vars", unit_test["name"], f"does not pin {', '.join(missing)} (read by {model['name']})"
            )


CHECKS = (
    check_layers,
    check_primary_keys,
    check_documentation,
    check_test_placement,
    check_prefixes,
    check_fanout_and_view_chains,
    check_unit_test_vars,
)


def run_checks(manifest_path: Path, warehouse: Path | None = None) -> list[Finding]:
    manifest = Manifest(json.loads(manifest_path.read_text()))
    findings = [finding for check in CHECKS for finding in check(manifest)]
    if warehouse is not None:
        findings += list(check_built_columns(manifest, warehouse))
    return findings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--manifest", type=Path, default=Path("target/manifest.json"))
    parser.add_argument("--warehouse", type=Path, help="a built DuckDB warehouse: every built column declared")
    args = parser.parse_args(argv)
    findings = run_checks(args.manifest, args.warehouse)
    for finding in findings:
        print(finding)
    print(f"house rules: {len(findings)} finding(s)")
    return 1 if findings else 0


if __name__ == "__main__":
    sys.exit(main())
