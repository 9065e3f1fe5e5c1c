"""Run the project's dbt commands against a given export and warehouse (for tests and tools)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from omnichannel_tools.paths import REPO_ROOT


@dataclass
class DbtResult:
    """Outcome of one dbt invocation."""

    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


def dbt_executable() -> str:
    """The dbt next to the running interpreter (the project's venv), else the one on PATH."""
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(
    args: list[str],
    *,
    warehouse: Path,
    export_path: Path,
    export_format: str = "parquet",
    extra_vars: dict[str, object] | None = None,
    target_path: Path | None = None,
    target: str = "duckdb",
    project_dir: Path | None = None,
) -> DbtResult:
    """Run `dbt <args>` on the project (or a copy of it in project_dir) with the export and warehouse
    given; never raises on failure."""
    variables: dict[str, object] = {
        "dataverse_path": str(export_path),
        "dataverse_format": export_format,
        **(extra_vars or {}),
    }
    env = {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_DUCKDB_PATH": str(warehouse),
        "DBT_DUCKDB_TEMP_DIRECTORY": str(warehouse.parent / "duckdb_tmp"),
        "DBT_TARGET": target,
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }
    command = [dbt_executable(), *args, "--vars", json.dumps(variables)]
    if target_path is not None:
        command += ["--target-path", str(target_path)]
    if project_dir is not None:
        command += ["--project-dir", str(project_dir)]
    completed = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    return DbtResult(completed.returncode, completed.stdout + completed.stderr)
