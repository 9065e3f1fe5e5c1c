"""The engine parity rules: keys, exact values of the same type, floats within 1e-9 relative."""

from __future__ import annotations

from omnichannel_tools.parity import differences, same_value

COLUMNS = ["conversation_id", "session_count", "handle_time_seconds"]
DUCK = (COLUMNS, [("a", 2, 10.0), ("b", 1, None), (None, 3, 1.5)])


def test_equal_relations_have_no_differences() -> None:
    other = (COLUMNS, [(None, 3, 1.5 * (1 + 1e-12)), ("b", 1, None), ("a", 2, 10.0)])
    assert differences("fct_conversations", DUCK, other, "pg") == []


def test_every_kind_of_difference_is_reported() -> None:
    assert "columns differ" in differences("fct_conversations", DUCK, (COLUMNS[::-1], DUCK[1]), "pg")[0]
    missing = differences("fct_conversations", DUCK, (COLUMNS, DUCK[1][:2]), "pg")
    assert "keys only on DuckDB ['(None,)']" in missing[0]
    changed = differences(
        "fct_conversations", DUCK, (COLUMNS, [("a", 2, 10.001), ("b", 1, None), (None, 3, 1.5)]), "pg"
    )
    assert changed == ["fct_conversations ('a',) handle_time_seconds: duckdb=10.0 pg=10.001"]
    empty = differences("fct_conversations", (COLUMNS, []), (COLUMNS, []), "pg")
    assert empty == ["fct_conversations: empty on DuckDB, nothing compared"]
    assert (
        differences(
            "dataverse_data_faults",
            (["table_name", "record_id", "fault"], []),
            (["table_name", "record_id", "fault"], []),
            "pg",
        )
        == []
    )


def test_values_of_another_type_differ() -> None:
    assert same_value(1.0, 1.0 + 1e-12) and not same_value(1.0, 1.0001)
    assert not same_value(True, 1)
    assert not same_value("1", 1)
    assert not same_value(None, 0.0)
