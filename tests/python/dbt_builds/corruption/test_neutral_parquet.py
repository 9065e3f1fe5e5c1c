"""Build 1, Parquet, neutral (cases_neutral_parquet): unusable and duplicate rows change no mart."""

from __future__ import annotations

import pyarrow.parquet as pq

from .checks import session_of
from .expected_states import CURRENT, DELETED, MALFORMED_KEY, NULL_KEY, ORPHAN, QUARANTINED, SUPERSEDED
from .export_files import norm_guid, raw_row_counts
from .suite import OCS, PART, QUEUE, SENT, SESSIONS, USER, Baseline, Build, new_guid
from .warehouse import loaded_audit, query, relation_columns


def test_baseline_audit_matches_the_files(baseline: Baseline) -> None:
    loaded = loaded_audit(baseline.warehouse)
    assert loaded == baseline.audit
    assert sum(loaded.values()) == sum(raw_row_counts(baseline.parquet, "parquet").values())
    assert baseline.count(OCS, CURRENT) > SESSIONS * 0.95


def test_duplicated_file_rows_are_superseded_and_metrics_unchanged(neutral_parquet: Build, baseline: Baseline) -> None:
    loaded = loaded_audit(neutral_parquet.warehouse)
    assert loaded[(SENT, CURRENT, None)] == baseline.count(SENT, CURRENT)
    assert loaded[(SENT, SUPERSEDED, None)] == 2 * baseline.count(SENT, SUPERSEDED) + baseline.count(SENT, CURRENT)
    assert loaded[(SENT, DELETED, None)] == 2 * baseline.count(SENT, DELETED)


def test_empty_parquet_file_loads_nothing(neutral_parquet: Build) -> None:
    assert pq.read_metadata(neutral_parquet.export / OCS / "part-00002.parquet").num_rows == 0


def test_null_primary_keys_are_quarantined(neutral_parquet: Build, baseline: Baseline) -> None:
    loaded = loaded_audit(neutral_parquet.warehouse)
    assert loaded[(OCS, QUARANTINED, NULL_KEY)] == 4
    assert loaded[(QUEUE, QUARANTINED, NULL_KEY)] == 1
    assert loaded[(PART, QUARANTINED, NULL_KEY)] == 1
    names = {r[0] for r in query(neutral_parquet.warehouse, "select queue_name from dim_queues")}
    assert "Ghost queue" not in names


def test_malformed_primary_keys_are_quarantined(neutral_parquet: Build, baseline: Baseline) -> None:
    loaded = loaded_audit(neutral_parquet.warehouse)
    assert loaded[(OCS, QUARANTINED, MALFORMED_KEY)] == 6
    assert loaded[(PART, QUARANTINED, MALFORMED_KEY)] == 1
    displayed = {r[0] for r in query(neutral_parquet.warehouse, "select session_display_id from fct_sessions")}
    assert not {d for d in displayed if d.startswith("corrupt-")}
    # The unusable participants on a real session changed neither its agent nor its handle time.
    target = neutral_parquet.facts["bad_key_participant_session"]
    assert session_of(neutral_parquet, target) == baseline.session(target)


def test_orphan_participants_and_sentiments_are_quarantined(neutral_parquet: Build, baseline: Baseline) -> None:
    loaded = loaded_audit(neutral_parquet.warehouse)
    assert loaded[(PART, QUARANTINED, ORPHAN)] == baseline.count(PART, QUARANTINED, ORPHAN) + 2
    assert loaded[(SENT, QUARANTINED, ORPHAN)] == 2
    assert not query(neutral_parquet.warehouse, "select * from dim_agents where agent_id = ?", [new_guid(99)])


def test_braced_upper_case_guids_join_as_the_same_ids(neutral_parquet: Build, baseline: Baseline) -> None:
    for session in neutral_parquet.facts["braced"]:
        row = session_of(neutral_parquet, session)
        assert row == baseline.session(session)
        assert row["agent_name"] is not None and row["queue_name"] is not None
        assert row["customer_sentiment_pulse"] is not None
    ids = query(
        neutral_parquet.warehouse,
        "select session_id from fct_sessions union all select conversation_id from fct_conversations "
        "union all select agent_id from dim_agents union all select queue_id from dim_queues",
    )
    assert all(i[0] == i[0].lower() and "{" not in i[0] for i in ids if i[0] is not None)


def test_stale_versions_are_superseded(neutral_parquet: Build, baseline: Baseline) -> None:
    agent = neutral_parquet.facts["stale_agent"]
    name = query(neutral_parquet.warehouse, "select agent_name from dim_agents where agent_id = ?", [agent])
    assert name and not name[0][0].startswith("Stale Name")
    assert name == query(baseline.warehouse, "select agent_name from dim_agents where agent_id = ?", [agent])


def test_resurrected_key_after_tombstone_is_current_again(neutral_parquet: Build) -> None:
    conversation = neutral_parquet.facts["resurrected_conversation"]
    rows = query(
        neutral_parquet.warehouse,
        "select conversation_created_at from fct_conversations where conversation_id = ?",
        [conversation],
    )
    assert len(rows) == 1 and rows[0][0] is not None


def test_extra_columns_are_ignored(neutral_parquet: Build) -> None:
    names = {f.name for f in pq.read_schema(neutral_parquet.export / USER / "part-00000.parquet")}
    assert {"cr5e1_customfield", "msdyn_newfield", "createdon"} <= names
    assert "cr5e1_customfield" not in relation_columns(neutral_parquet.warehouse, "dim_agents")


def test_schema_drift_older_files_read_null(neutral_parquet: Build, baseline: Baseline) -> None:
    old_keys = neutral_parquet.facts["drift_old_keys"]
    expected = {}
    for key, r in baseline.current_rows(OCS).items():
        old = key in old_keys
        expected[key] = (None if old else norm_guid(r["msdyn_channelinstanceid"]), None if old else r["statuscode"])
    loaded = {
        s: (i, c)
        for s, i, c in query(
            neutral_parquet.warehouse,
            "select session_id, channel_instance_id, status_code from stg_dataverse__sessions",
        )
    }
    assert loaded == expected
    assert any(v[0] is not None for v in loaded.values()) and any(v[1] is None for v in loaded.values())


def test_missing_optional_column_reads_null(neutral_parquet: Build) -> None:
    values = query(
        neutral_parquet.warehouse,
        "select count(*), count(external_participant_channel_type_code) from stg_dataverse__session_participants",
    )
    assert values[0][0] > 0 and values[0][1] == 0
