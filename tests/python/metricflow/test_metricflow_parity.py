"""MetricFlow (`mf query`) answers every session metric of the semantic layer as the SQL views do.

For each of the 14 documented metrics, at day grain and by queue: counts equal, rates and averages within
1e-9 (relative). The reference is the metric view the catalogue names for the metric, re-aggregated here
by SQL (summed parts, never averaged ratios). Marker metricflow: `make test-metricflow` installs the extra.
"""

from __future__ import annotations

import csv
import math
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest

from omnichannel_tools.catalogue import Metric, session_metrics
from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.paths import REPO_ROOT
from tests.python.dbt_builds.conftest import BuiltProject, built_project, built_warehouse  # noqa: F401  (fixtures)

METRICS = session_metrics()
SIMPLE = [metric for metric in METRICS if metric.breakdown is None]
BREAKDOWN = [metric for metric in METRICS if metric.breakdown is not None]
GRAINS = {"day": ("metric_time__day", "session_date"), "queue": ("queue", "queue_id")}
TOLERANCE = 1e-9


@pytest.fixture(scope="module")
def mf_env(built_project: BuiltProject) -> dict[str, str]:  # noqa: F811
    """dbt parse (MetricFlow reads target/semantic_manifest.json), and the environment `mf` runs in."""
    parsed = run_dbt(["parse"], warehouse=built_project.warehouse, export_path=built_project.export)
    assert parsed.ok, parsed.output[-3000:]
    return {
        **os.environ,
        "DBT_PROFILES_DIR": str(REPO_ROOT),
        "DBT_DUCKDB_PATH": str(built_project.warehouse),
        "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    }


@pytest.fixture
def views(built_warehouse: Path) -> Iterator[Callable[[], duckdb.DuckDBPyConnection]]:  # noqa: F811
    """Opens the warehouse read-only when called, after `mf` (which opens it read-write) has finished."""
    opened: list[duckdb.DuckDBPyConnection] = []

    def connect() -> duckdb.DuckDBPyConnection:
        opened.append(duckdb.connect(str(built_warehouse), read_only=True))
        return opened[-1]

    yield connect
    for con in opened:
        con.close()


def mf_query(env: dict[str, str], metrics: list[str], group_by: list[str], out: Path) -> list[dict[str, str]]:
    command = [str(Path(sys.executable).with_name("mf")), "query", "--metrics", ",".join(metrics)]
    command += ["--group-by", ",".join(group_by), "--csv", str(out)]
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, check=False)
    assert done.returncode == 0 and out.exists(), (done.stdout + done.stderr)[-3000:]
    with out.open(newline="") as handle:
        return list(csv.DictReader(handle))


def key(value: object) -> str | None:
    """A group key as text, the day without a time, NULL as None."""
    if value is None or value == "":
        return None
    text = str(value)
    return text[:10] if len(text) >= 10 and text[4] == "-" and text[7] == "-" else text


def view_values(con: duckdb.DuckDBPyConnection, metric: Metric, column: str, extra: str = "") -> dict[tuple, float]:
    numerator = f"sum({metric.summed_column})"
    value = f"cast({numerator} as double) / nullif(sum({metric.denominator}), 0)" if metric.is_ratio else numerator
    groups = ", ".join(filter(None, [column, extra]))
    rows = con.execute(f"select {groups}, {value} from {metric.view} group by {groups}").fetchall()
    return {tuple(key(part) for part in row[:-1]): row[-1] for row in rows}


def assert_equal(metric: Metric, expected: dict[tuple, float | None], got: dict[tuple, float | None]) -> None:
    assert set(got) == set(expected), f"{metric.name}: groups differ: {sorted(set(got) ^ set(expected), key=str)[:5]}"
    for group, want in expected.items():
        have = got[group]
        if want is None or have is None:
            assert want is None and have is None, (metric.name, group, want, have)
        elif metric.is_ratio:
            assert math.isclose(have, want, rel_tol=TOLERANCE, abs_tol=TOLERANCE), (metric.name, group, want, have)
        else:
            assert have == want, (metric.name, group, want, have)


def test_the_catalogue_has_the_14_metrics() -> None:
    assert len(METRICS) == 14 and len(SIMPLE) == 13 and len(BREAKDOWN) == 1


@pytest.mark.parametrize("grain", list(GRAINS))
def test_headline_metrics_equal_the_views(
    grain: str, mf_env: dict[str, str], views: Callable[[], duckdb.DuckDBPyConnection], tmp_path: Path
) -> None:
    group_by, column = GRAINS[grain]
    rows = mf_query(mf_env, [metric.name for metric in SIMPLE], [group_by], tmp_path / "mf.csv")
    con = views()
    for metric in SIMPLE:
        got = {}
        for row in rows:
            raw = row[metric.name]
            if raw == "" and not metric.is_ratio:
                continue  # MetricFlow's outer join of metrics: no row of this metric in the group
            got[(key(row[group_by]),)] = None if raw == "" else (float(raw) if metric.is_ratio else int(float(raw)))
        assert_equal(metric, view_values(con, metric, column), got)


@pytest.mark.parametrize("grain", list(GRAINS))
def test_closure_reasons_equal_the_view(
    grain: str, mf_env: dict[str, str], views: Callable[[], duckdb.DuckDBPyConnection], tmp_path: Path
) -> None:
    (metric,) = BREAKDOWN
    group_by, column = GRAINS[grain]
    label = f"session_closure_reason_grain__{metric.breakdown}"
    rows = mf_query(mf_env, [metric.name], [group_by, label], tmp_path / "mf.csv")
    got = {(key(row[group_by]), key(row[label])): int(float(row[metric.name])) for row in rows}
    assert_equal(metric, view_values(views(), metric, column, metric.breakdown), got)
