"""Is the last dbt build fully green? Read from dbt's artifacts (run_results.json, manifest.json).

Green means: the last dbt command was `build`; every seed and model of the project succeeded in
it (a model left out by a selector or skipped after a failure is not green); every data test and
unit test passed, or warned (a warning only arises from a `severity: warn` test, a data fault of
the export). A failed, errored or skipped test, or any error, is not green.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = "omnichannel_analytics"
BUILT_OK = {"success"}
TESTED_OK = {"pass", "warn"}


@dataclass(frozen=True)
class BuildVerdict:
    """Whether the build may be published, and if not, every reason why."""

    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def green(self) -> bool:
        return not self.reasons


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def _message(result: dict) -> str:
    text = (result.get("message") or "").strip().splitlines()
    return f": {text[0]}" if text else ""


def build_verdict(target_dir: Path) -> BuildVerdict:
    """The verdict on the build whose artifacts are in target_dir (dbt's --target-path)."""
    run_results_path, manifest_path = target_dir / "run_results.json", target_dir / "manifest.json"
    missing = [str(p) for p in (run_results_path, manifest_path) if not p.exists()]
    if missing:
        return BuildVerdict([f"no dbt build to publish: {', '.join(missing)} not found"])
    run_results, manifest = _load(run_results_path), _load(manifest_path)
    command = run_results.get("args", {}).get("which")
    if command != "build":
        return BuildVerdict([f"the last dbt command was `dbt {command}`, not `dbt build`"])
    reasons: list[str] = []
    warnings: list[str] = []
    results = {result["unique_id"]: result for result in run_results["results"]}
    for unique_id, result in sorted(results.items()):
        kind, status = unique_id.split(".", 1)[0], result["status"]
        if kind in ("test", "unit_test"):
            if status == "warn":
                warnings.append(f"{unique_id} warned{_message(result)}")
            elif status not in TESTED_OK:
                reasons.append(f"{kind.replace('_', ' ')} {unique_id} {status}{_message(result)}")
        elif kind in ("model", "seed", "snapshot") and status not in BUILT_OK:
            reasons.append(f"{kind} {unique_id} {status}{_message(result)}")
        elif status == "error":
            reasons.append(f"{unique_id} {status}{_message(result)}")
    for unique_id, node in sorted(manifest["nodes"].items()):
        if node["resource_type"] in ("model", "seed") and node["package_name"] == PROJECT and unique_id not in results:
            reasons.append(f"{node['resource_type']} {unique_id} was not built by the last `dbt build`")
    return BuildVerdict(reasons, warnings)
