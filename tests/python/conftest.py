"""Shared fixtures: a small generated export and a warehouse built from it by dbt."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # `import omnichannel_tools` without installing it
    sys.path.insert(0, str(ROOT))

from omnichannel_tools.dbt_runner import run_dbt  # noqa: E402
from omnichannel_tools.generate import generate_export  # noqa: E402

SMALL_EXPORT_SESSIONS = 3_000


@pytest.fixture(scope="session")
def built_warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The warehouse `make test` built on the demo export, or one built here when run alone."""
    given = os.environ.get("OMNICHANNEL_TEST_WAREHOUSE")
    if given and Path(given).exists():
        return Path(given).resolve()
    work = tmp_path_factory.mktemp("warehouse")
    export = work / "dataverse"
    generate_export(export, sessions=SMALL_EXPORT_SESSIONS, seed=7, fmt="parquet")
    warehouse = work / "warehouse.duckdb"
    result = run_dbt(
        ["build", "--exclude", "test_type:unit"],
        warehouse=warehouse,
        export_path=export,
        target_path=work / "target",
    )
    assert result.ok, result.output[-5000:]
    return warehouse
