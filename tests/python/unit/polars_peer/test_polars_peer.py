"""The Polars peer computes what the pandas reference computes: grain by grain and in total, on a
generated export (several versions, tombstones, bots, Entity Records sessions) and on the
reference's edge-case export (braces, upper case, bad keys, ties, naive timestamps, decimals,
files with different columns), in UTC and in a reporting time zone with a daylight-saving change."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from omnichannel_tools import polars_peer, reference
from omnichannel_tools.generator import generate_export

from ..reference.edge_cases import PARTICIPANTS, SENTIMENTS, SESSIONS_PART0, SESSIONS_PART1
from ..reference.rows import QUEUES, USERS, write_export

GRAIN = reference.GRAIN


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("generated")
    generate_export(root, 3000, seed=7)
    return root


@pytest.fixture(scope="module")
def edge_cases(tmp_path_factory) -> Path:
    return write_export(
        tmp_path_factory.mktemp("edge_cases"),
        {
            "msdyn_ocsession": [SESSIONS_PART0, SESSIONS_PART1],
            "msdyn_sessionparticipant": [PARTICIPANTS],
            "msdyn_ocsessionsentiment": [SENTIMENTS],
            "systemuser": [USERS],
            "queue": [QUEUES],
        },
    )


def _reference_parts(export: Path, timezone: str, exclude_entity_records: bool = True) -> pd.DataFrame:
    tables = reference.load_export(export, "parquet", tables=reference.METRIC_TABLES)
    facts = reference.session_facts(tables, reporting_timezone=timezone, exclude_entity_records=exclude_entity_records)
    parts = reference.metric_parts(facts)
    parts["session_date"] = parts["session_date"].dt.date
    parts["channel_code"] = parts["channel_code"].astype("float64")
    return parts.sort_values(GRAIN, na_position="first").reset_index(drop=True)


def _polars_parts(export: Path, timezone: str, exclude_entity_records: bool = True) -> pd.DataFrame:
    facts = polars_peer.session_facts(
        export, reporting_timezone=timezone, exclude_entity_records=exclude_entity_records
    )
    parts = polars_peer.metric_parts(facts).collect(engine="streaming").to_pandas()
    parts["channel_code"] = parts["channel_code"].astype("float64")
    parts["agent_id"] = parts["agent_id"].astype("str")
    parts["queue_id"] = parts["queue_id"].astype("str")
    return parts.sort_values(GRAIN, na_position="first").reset_index(drop=True)


def _assert_same_parts(ours: pd.DataFrame, expected: pd.DataFrame) -> None:
    assert len(expected) > 0
    assert len(ours) == len(expected)
    for column in GRAIN:
        assert ours[column].astype("str").tolist() == expected[column].astype("str").tolist(), column
    for column in reference.PART_COLUMNS:
        if column.endswith("_sum"):
            assert ours[column].tolist() == pytest.approx(expected[column].tolist(), rel=1e-12, abs=1e-9), column
        else:
            assert ours[column].astype("int64").tolist() == expected[column].astype("int64").tolist(), column


@pytest.mark.parametrize("timezone", ["UTC", "America/New_York"])
def test_metric_parts_equal_the_reference_grain_by_grain(generated, timezone) -> None:
    _assert_same_parts(_polars_parts(generated, timezone), _reference_parts(generated, timezone))


def test_metric_totals_equal_the_reference(generated) -> None:
    ours = polars_peer.metric_totals(polars_peer.metric_parts(polars_peer.session_facts(generated)))
    tables = reference.load_export(generated, "parquet", tables=reference.METRIC_TABLES)
    expected = reference.metric_totals(reference.metric_parts(reference.session_facts(tables)))
    assert expected["total_sessions"] > 1000
    assert ours.keys() == expected.keys()
    for name, value in expected.items():
        assert ours[name] == pytest.approx(value, rel=1e-12, abs=1e-9), name


@pytest.mark.parametrize("timezone", ["UTC", "Europe/Paris"])
def test_edge_cases_equal_the_reference(edge_cases, timezone) -> None:
    _assert_same_parts(_polars_parts(edge_cases, timezone), _reference_parts(edge_cases, timezone))


def test_entity_records_switch_equals_the_reference(edge_cases) -> None:
    ours = _polars_parts(edge_cases, "UTC", exclude_entity_records=False)
    expected = _reference_parts(edge_cases, "UTC", exclude_entity_records=False)
    assert ours["total_sessions"].sum() > _reference_parts(edge_cases, "UTC")["total_sessions"].sum()
    _assert_same_parts(ours, expected)


def test_the_command_prints_the_totals(generated, capsys) -> None:
    assert polars_peer.main(["--export", str(generated), "--engine", "in-memory"]) == 0
    printed = capsys.readouterr().out
    assert '"total_sessions"' in printed and '"external_handled_sessions"' in printed
