"""Comparisons of a built warehouse with the pandas reference (session by session, grain by grain)."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd

from omnichannel_tools import reference
from omnichannel_tools.catalogue import session_metrics
from omnichannel_tools.reference.schema import GRAIN

FACT_COLUMNS = [
    "session_id", "conversation_id", "queue_id", "channel_code", "agent_id", "is_bot_session",
    "created_at", "assigned_at", "accepted_at", "closed_at", "session_date", "is_closed", "is_active",
    "is_assigned", "is_engaged", "closure_reason_code", "closure_reason_label", "is_transferred_out",
    "is_rejected", "is_timed_out", "wait_time_seconds", "time_to_accept_seconds", "time_to_reject_seconds",
    "handle_time_seconds", "is_handled_by_external_participant", "customer_sentiment_pulse",
    "customer_sentiment_zone",
]  # fmt: skip
FLOAT_COLUMNS = [
    "wait_time_seconds",
    "time_to_accept_seconds",
    "time_to_reject_seconds",
    "handle_time_seconds",
    "customer_sentiment_pulse",
]
# A view column named otherwise than the reference's part.
VIEW_PART_ALIASES = {"handled_sessions": "engaged_sessions"}


def normalised_facts(frame: pd.DataFrame) -> pd.DataFrame:
    """Fact rows with comparable dtypes, in session order."""
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


def _as_objects(values: pd.Series) -> pd.Series:
    return values.astype(object).where(values.notna(), None)


def assert_facts_equal(ours: pd.DataFrame, theirs: pd.DataFrame, min_sessions: int = 1) -> None:
    """Every field of every session equal (floats within 1e-9 relative)."""
    ours, theirs = normalised_facts(ours), normalised_facts(theirs)
    assert len(ours) == len(theirs) >= min_sessions
    assert ours["session_id"].tolist() == theirs["session_id"].tolist()
    for column in FACT_COLUMNS:
        if column in FLOAT_COLUMNS:
            np.testing.assert_allclose(ours[column], theirs[column], rtol=1e-9, equal_nan=True, err_msg=column)
        else:
            left, right = _as_objects(ours[column]), _as_objects(theirs[column])
            mismatched = (left != right) & ~(left.isna() & right.isna())
            assert not mismatched.any(), (column, ours.loc[mismatched, ["session_id", column]].head())


def warehouse_facts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.sql(f"select {', '.join(FACT_COLUMNS)} from fct_sessions").df()


def _grain_keyed(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    frame = frame.copy()
    frame["session_date"] = pd.to_datetime(frame["session_date"]).dt.date
    frame["channel_code"] = frame["channel_code"].astype("Int64")
    for key in keys:
        frame[key] = frame[key].astype(object).where(frame[key].notna(), "<null>").astype(str)
    return frame.set_index(keys).sort_index()


def assert_metric_views_equal(con: duckdb.DuckDBPyConnection, facts: pd.DataFrame) -> list[str]:
    """Every session metric view, grain row by grain row, equal to the reference's parts; the views compared."""
    parts = _grain_keyed(reference.metric_parts(facts), GRAIN)
    compared = []
    for metric in session_metrics():
        view = con.sql(f"select * from {metric.view}").df()
        if metric.breakdown:
            keys = [*GRAIN, "closure_reason_code"]
            expected = _grain_keyed(reference.closure_reason_counts(facts), keys)["sessions"]
            actual = _grain_keyed(view, keys)["sessions"]
            assert actual.index.equals(expected.index), metric.view
            assert (actual.astype("int64").to_numpy() == expected.astype("int64").to_numpy()).all(), metric.view
        else:
            actual = _grain_keyed(view, GRAIN)
            assert actual.index.equals(parts.index), metric.view
            for column in [metric.summed_column, metric.denominator]:
                if column is None:
                    continue
                expected_part = parts[VIEW_PART_ALIASES.get(column, column)].astype("float64").to_numpy()
                np.testing.assert_allclose(
                    actual[column].astype("float64"), expected_part, rtol=1e-9, atol=1e-9, err_msg=metric.view
                )
            if metric.is_ratio:
                numerator = parts[VIEW_PART_ALIASES.get(metric.numerator, metric.numerator)].astype("float64")
                denominator = parts[VIEW_PART_ALIASES.get(metric.denominator, metric.denominator)].astype("float64")
                expected_value = (numerator / denominator.where(denominator != 0)).to_numpy()
                np.testing.assert_allclose(
                    actual[metric.value_column].astype("float64"), expected_value, rtol=1e-9, equal_nan=True,
                    err_msg=metric.view,
                )  # fmt: skip
        compared.append(metric.view)
    return compared
