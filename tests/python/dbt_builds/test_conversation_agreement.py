"""The conversation metrics agree with the independent pandas reference, conversation by conversation
and grain row by grain row, on a generated export."""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

from omnichannel_tools import reference
from omnichannel_tools.catalogue import load_catalogue
from omnichannel_tools.reference.conversations import (
    CONVERSATION_GRAIN,
    conversation_facts,
    conversation_parts,
    grain_keys,
    service_level_rows,
)

FACT_FLAGS = [
    "is_voice", "is_closed", "is_incoming", "is_outgoing", "is_engaged", "is_abandoned",
    "is_abandoned_after_assignment", "is_transferred",
]  # fmt: skip
FACT_SECONDS = [
    "first_wait_seconds", "conversation_time_seconds", "conversation_handle_time_seconds", "hold_time_seconds",
    "talk_time_seconds", "wrap_up_time_seconds",
]  # fmt: skip
FACT_COUNTS = ["open_hold_events", "transfer_in_transit_events"]


@pytest.fixture(scope="module")
def reference_conversations(built_project) -> pd.DataFrame:
    tables = reference.load_export(built_project.export, "parquet")
    return conversation_facts(tables, reference.session_facts(tables))


@pytest.fixture(scope="module")
def warehouse(built_project) -> duckdb.DuckDBPyConnection:
    with duckdb.connect(str(built_project.warehouse), read_only=True) as con:
        yield con


def _keyed(frame: pd.DataFrame, extra: list[str] | None = None) -> pd.DataFrame:
    keyed = pd.concat([grain_keys(frame), frame.drop(columns=CONVERSATION_GRAIN)], axis=1)
    return keyed.set_index([*CONVERSATION_GRAIN, *(extra or [])]).sort_index()


def test_every_conversation_field_matches_the_reference(warehouse, reference_conversations) -> None:
    ours = warehouse.sql("select * from fct_conversations").df().set_index("conversation_id").sort_index()
    theirs = reference_conversations.set_index("conversation_id").sort_index()
    assert len(ours) == len(theirs) > 1000
    assert ours.index.equals(theirs.index)
    assert grain_keys(ours).equals(grain_keys(theirs))
    for column in FACT_FLAGS:
        assert (ours[column].astype(bool) == theirs[column].astype(bool)).all(), column
    for column in FACT_SECONDS:
        np.testing.assert_allclose(
            ours[column].astype("float64"), theirs[column].astype("float64"), rtol=1e-9, equal_nan=True, err_msg=column
        )
    for column in FACT_COUNTS:
        assert (ours[column].astype("int64") == theirs[column].astype("int64")).all(), column
    # The demo export holds every kind of conversation the definitions tell apart.
    for column in [
        "is_outgoing",
        "is_abandoned",
        "is_abandoned_after_assignment",
        "is_transferred",
        "is_voice",
        *FACT_COUNTS,
    ]:
        assert theirs[column].sum() > 0, column


def test_every_conversation_view_matches_the_reference_grain_by_grain(warehouse, reference_conversations) -> None:
    parts = conversation_parts(reference_conversations)
    compared = []
    for metric in (m for m in load_catalogue() if m.family == "conversation"):
        view = warehouse.sql(f"select * from {metric.view}").df()
        if metric.breakdown == "threshold_seconds":
            expected = service_level_rows(parts)
            actual = _keyed(view, ["threshold_seconds"])
        else:
            expected, actual = parts, _keyed(view)
        assert actual.index.equals(expected.index), metric.view
        for column in {metric.summed_column, metric.denominator} - {None}:
            np.testing.assert_allclose(
                actual[column].astype("float64"), expected[column].astype("float64"), rtol=1e-9, err_msg=metric.view
            )
        if metric.is_ratio:
            numerator = expected[metric.numerator].astype("float64")
            denominator = expected[metric.denominator].astype("float64")
            np.testing.assert_allclose(
                actual[metric.value_column].astype("float64"),
                numerator / denominator.where(denominator != 0),
                rtol=1e-9,
                equal_nan=True,
                err_msg=metric.view,
            )
        compared.append(metric.view)
    assert len(compared) == 16 and "metric_conversation_service_level" in compared


def test_the_aggregate_totals_match_the_reference(warehouse, reference_conversations) -> None:
    expected = conversation_parts(reference_conversations).sum()
    for name, value in expected.items():
        ours = warehouse.execute(f"select sum({name}) from fct_conversation_metrics_daily").fetchone()[0]
        assert float(ours) == pytest.approx(float(value), rel=1e-9, abs=1e-9), name
