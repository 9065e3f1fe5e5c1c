"""The dbt project agrees with the independent pandas reference of the spec, session by session
and metric by metric, on a generated export."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from omnichannel_tools import reference

FACT_COLUMNS = [
    "session_id",
    "conversation_id",
    "queue_id",
    "channel_code",
    "agent_id",
    "is_bot_session",
    "created_at",
    "assigned_at",
    "accepted_at",
    "closed_at",
    "session_date",
    "is_closed",
    "is_active",
    "is_assigned",
    "is_engaged",
    "closure_reason_code",
    "closure_reason_label",
    "is_transferred_out",
    "is_rejected",
    "is_timed_out",
    "wait_time_seconds",
    "time_to_accept_seconds",
    "time_to_reject_seconds",
    "handle_time_seconds",
    "is_handled_by_external_participant",
    "customer_sentiment_pulse",
    "customer_sentiment_zone",
]
FLOAT_COLUMNS = [
    "wait_time_seconds",
    "time_to_accept_seconds",
    "time_to_reject_seconds",
    "handle_time_seconds",
    "customer_sentiment_pulse",
]


@pytest.fixture(scope="module")
def project_facts(built_project) -> pd.DataFrame:
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        return con.sql(f"select {', '.join(FACT_COLUMNS)} from fct_sessions").df()


@pytest.fixture(scope="module")
def reference_facts(built_project) -> pd.DataFrame:
    tables = reference.load_export(built_project.export, "parquet")
    return reference.session_facts(tables)


def _normalised(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame[FACT_COLUMNS].copy()
    frame["session_date"] = pd.to_datetime(frame["session_date"]).dt.date
    for column in ["created_at", "assigned_at", "accepted_at", "closed_at"]:
        frame[column] = pd.to_datetime(frame[column]).astype("datetime64[us]")
    for column in ["channel_code", "closure_reason_code"]:
        frame[column] = frame[column].astype("Int64")
    for column in FLOAT_COLUMNS:
        frame[column] = frame[column].astype("float64")
    for column in frame.columns:
        if column.startswith("is_"):
            frame[column] = frame[column].astype(bool)
    return frame.sort_values("session_id").reset_index(drop=True)


def test_every_session_field_matches_the_reference(project_facts, reference_facts) -> None:
    ours = _normalised(project_facts)
    theirs = _normalised(reference_facts)
    assert len(ours) == len(theirs) > 1000
    assert ours["session_id"].tolist() == theirs["session_id"].tolist()
    for column in FACT_COLUMNS:
        if column in FLOAT_COLUMNS:
            np.testing.assert_allclose(ours[column], theirs[column], rtol=1e-9, equal_nan=True, err_msg=column)
        else:
            left = ours[column].astype(object).where(ours[column].notna(), None)
            right = theirs[column].astype(object).where(theirs[column].notna(), None)
            mismatched = (left != right) & ~(left.isna() & right.isna())
            assert not mismatched.any(), (column, ours.loc[mismatched, ["session_id", column]].head())


def test_metric_totals_match_the_reference(built_project, reference_facts) -> None:
    expected = reference.metric_totals(reference.metric_parts(reference_facts))
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        for name, value in expected.items():
            ours = con.execute(f"select sum({name}) from fct_session_metrics_daily").fetchone()[0]
            assert float(ours) == pytest.approx(float(value), rel=1e-9, abs=1e-9), name
