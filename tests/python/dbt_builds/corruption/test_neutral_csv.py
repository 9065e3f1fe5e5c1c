"""Build 2, CSV, neutral (cases_neutral_csv): every way of writing the same data reads the same."""

from __future__ import annotations

from .cases_neutral_csv import TS_STYLES
from .checks import assert_marts_equal_baseline, assert_untouched_sessions_unchanged, fault_rows, fct_of, session_of
from .expected_states import CURRENT, DELETED
from .export_files import TABLE_KEYS, read_csv_file
from .suite import OCS, QUEUE, SENT, SESSIONS, Baseline, Build
from .warehouse import loaded_audit, query


def test_csv_header_only_and_empty_files_load_nothing(neutral_csv: Build, baseline: Baseline) -> None:
    assert (neutral_csv.export / QUEUE / "part-00001.csv").stat().st_size == 0
    assert read_csv_file(neutral_csv.export / SENT / "part-00001.csv")[1] == []
    loaded = loaded_audit(neutral_csv.warehouse)
    assert loaded[(SENT, CURRENT, None)] == baseline.count(SENT, CURRENT)
    assert loaded[(QUEUE, CURRENT, None)] == baseline.count(QUEUE, CURRENT)


def test_csv_bom_and_crlf(neutral_csv: Build, baseline: Baseline) -> None:
    data = (neutral_csv.export / OCS / "part-00000.csv").read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"activityid"') or data.startswith(b"\xef\xbb\xbfactivityid")
    assert data.count(b"\r\n") >= baseline.count(OCS, CURRENT)
    # The key column behind the BOM and the last column before CR LF (isdelete) both read:
    loaded = loaded_audit(neutral_csv.warehouse)
    assert loaded[(OCS, DELETED, None)] == baseline.count(OCS, DELETED) > 0
    assert not [f for f in fault_rows(neutral_csv) if f[2] == "unparseable value"]


def test_csv_quoted_fields_with_commas_and_newlines(neutral_csv: Build, baseline: Baseline) -> None:
    facts = neutral_csv.facts
    columns, rows = fct_of(neutral_csv)
    names = ("queue_name", "agent_name")
    for session in neutral_csv.touched:
        row, before = session_of(neutral_csv, session), baseline.session(session)
        assert {k: v for k, v in row.items() if k not in names} == {k: v for k, v in before.items() if k not in names}
        if row["queue_id"] == facts["queue_id"]:
            assert row["queue_name"] == facts["queue_name"]
        if row["agent_id"] == facts["agent_id"]:
            assert row["agent_name"] == facts["agent_name"]
    assert query(
        neutral_csv.warehouse, "select queue_name from dim_queues where queue_id = ?", [facts["queue_id"]]
    ) == [(facts["queue_name"],)]
    assert query(
        neutral_csv.warehouse, "select agent_name from dim_agents where agent_id = ?", [facts["agent_id"]]
    ) == [(facts["agent_name"],)]
    assert len(neutral_csv.touched) > 0


def test_csv_numbers_as_text(neutral_csv: Build) -> None:
    assert neutral_csv.facts["counts"]["number"] > 500
    assert not [f for f in fault_rows(neutral_csv) if f[2] == "unparseable value"]


def test_csv_timestamp_styles_read_as_the_same_instants(neutral_csv: Build) -> None:
    counts = neutral_csv.facts["counts"]
    assert all(counts[style] > 100 for style in TS_STYLES)
    # Same instants: every mart equals the Parquet baseline's (checked by the fixture), and
    # the sub-second parts survived in fct_sessions.
    micros = query(
        neutral_csv.warehouse, "select count(*) from fct_sessions where microsecond(created_at) % 1000000 <> 0"
    )
    assert micros[0][0] > SESSIONS * 0.5


def test_csv_booleans_in_every_spelling(neutral_csv: Build, baseline: Baseline) -> None:
    counts = neutral_csv.facts["counts"]
    assert counts["bool True"] > 0 and counts["bool False"] > 0
    loaded = loaded_audit(neutral_csv.warehouse)
    for table in TABLE_KEYS:
        assert loaded[(table, DELETED, None)] == baseline.count(table, DELETED)


def test_csv_marts_equal_the_parquet_baseline(neutral_csv: Build, baseline: Baseline) -> None:
    assert_untouched_sessions_unchanged(baseline, neutral_csv)
    assert_marts_equal_baseline(baseline, neutral_csv, except_marts=("fct_sessions", "dim_queues", "dim_agents"))
