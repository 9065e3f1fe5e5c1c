"""The dbt project agrees with the independent pandas reference of the spec, session by session
and metric by metric, on a generated export."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from omnichannel_tools import reference
from omnichannel_tools.catalogue import session_metrics

from .comparisons import assert_facts_equal, assert_metric_views_equal, warehouse_facts


@pytest.fixture(scope="module")
def project_facts(built_project) -> pd.DataFrame:
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        return warehouse_facts(con)


@pytest.fixture(scope="module")
def reference_facts(built_project) -> pd.DataFrame:
    tables = reference.load_export(built_project.export, "parquet")
    return reference.session_facts(tables)


def test_every_session_field_matches_the_reference(project_facts, reference_facts) -> None:
    assert_facts_equal(project_facts, reference_facts, min_sessions=1000)


def test_every_metric_view_matches_the_reference_grain_by_grain(built_project, reference_facts) -> None:
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        assert assert_metric_views_equal(con, reference_facts) == [metric.view for metric in session_metrics()]


def test_metric_totals_match_the_reference(built_project, reference_facts) -> None:
    expected = reference.metric_totals(reference.metric_parts(reference_facts))
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        for name, value in expected.items():
            ours = con.execute(f"select sum({name}) from fct_session_metrics_daily").fetchone()[0]
            assert float(ours) == pytest.approx(float(value), rel=1e-9, abs=1e-9), name
