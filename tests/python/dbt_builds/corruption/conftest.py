"""The corruption suite's fixtures, shared by its test modules (package scope): the suite of builds,
the baseline, and the three corrupted builds, each checked once by the checks all its cases share."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from omnichannel_tools.generator import generate_export

from .cases_errors import submit_error_builds
from .cases_faulty_csv import prepare_faulty_csv
from .cases_neutral_csv import prepare_neutral_csv
from .cases_neutral_parquet import prepare_neutral_parquet
from .checks import assert_marts_equal_baseline, assert_untouched_metric_rows_unchanged, case
from .expected_states import expected_audit, expected_row_states
from .suite import MARTS, SEED, SESSIONS, Baseline, Build, Suite
from .warehouse import relation_rows, rows_by_key


@pytest.fixture(scope="package")
def suite(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Suite]:
    s = Suite(tmp_path_factory.mktemp("corruption"))
    yield s
    s.pool.shutdown(wait=True)
    print(
        f"\ncorruption suite: {len(s.builds)} dbt builds in {time.monotonic() - s.started:.0f} s: "
        + ", ".join(f"{b.name} {b.seconds:.0f}s" for b in s.builds.values())
    )


@pytest.fixture(scope="package")
def baseline(suite: Suite) -> Baseline:
    parquet, csv = suite.root / "pristine_parquet", suite.root / "pristine_csv"
    generate_export(parquet, sessions=SESSIONS, seed=SEED, fmt="parquet")
    generate_export(csv, sessions=SESSIONS, seed=SEED, fmt="csv")
    build = suite.submit(Build("baseline", parquet, "parquet", Path()))
    # The error builds need nothing from the baseline: they run while it builds.
    submit_error_builds(suite, parquet, csv)
    build.succeeded()
    base = Baseline(parquet, csv, build, expected_audit(parquet, "parquet"), expected_row_states(parquet, "parquet"))
    base.fct_columns, base.fct = rows_by_key(build.warehouse, "fct_sessions", "session_id")
    base.marts = {m: relation_rows(build.warehouse, m) for m in MARTS}
    return base


@pytest.fixture(scope="package", autouse=True)
def builds(suite: Suite, baseline: Baseline) -> dict[str, Build]:
    """The corrupted exports, prepared from the baseline and built two at a time (autouse: whichever
    test runs first, they are submitted right after the baseline, while the error builds run)."""
    for prepare in (prepare_neutral_parquet, prepare_neutral_csv, prepare_faulty_csv):
        suite.submit(prepare(suite.root, baseline))
    return suite.builds


@pytest.fixture(scope="package")
def neutral_parquet(builds: dict[str, Build], baseline: Baseline) -> Build:
    build = case(builds, baseline, "neutral_parquet")
    if not build.facts.get("marts_checked"):
        assert_marts_equal_baseline(baseline, build)
        build.facts["marts_checked"] = True
    return build


@pytest.fixture(scope="package")
def neutral_csv(builds: dict[str, Build], baseline: Baseline) -> Build:
    build = case(builds, baseline, "neutral_csv")
    if not build.facts.get("marts_checked"):
        assert_marts_equal_baseline(baseline, build, except_marts=("fct_sessions", "dim_queues", "dim_agents"))
        build.facts["marts_checked"] = True
    return build


@pytest.fixture(scope="package")
def faulty(builds: dict[str, Build], baseline: Baseline) -> Build:
    build = case(builds, baseline, "faulty_csv")
    if not build.facts.get("metrics_checked"):
        assert_untouched_metric_rows_unchanged(baseline, build)
        build.facts["metrics_checked"] = True
    return build
