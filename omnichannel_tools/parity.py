"""Compare one relation as two engines built it: same columns, same keys, values equal.

Used by the engine parity tests (Spark, PostgreSQL):
keys identical (NULL is a key value of its own), counts and every non-float value exactly equal
and of the same Python type, floats within 1e-9 relative. Rows come as (columns, rows) with
timestamps as epoch microseconds and dates as ISO text, so no local time zone is involved.
"""

from __future__ import annotations

import math

from omnichannel_tools.catalogue import metric_views

RELATIVE_TOLERANCE = 1e-9
GRAIN = ("session_date", "queue_id", "channel_code", "agent_id")
CONVERSATION_GRAIN = ("conversation_date", "queue_id", "channel_code", "agent_id")
METRIC_VIEWS = sorted(metric_views())
KEYS: dict[str, tuple[str, ...]] = {
    "fct_sessions": ("session_id",),
    "fct_conversations": ("conversation_id",),
    **dict.fromkeys(METRIC_VIEWS, GRAIN),
    "metric_session_closure_reasons": (*GRAIN, "closure_reason_code"),
    **{view: CONVERSATION_GRAIN for view in METRIC_VIEWS if view.startswith("metric_conversation_")},
    "metric_conversation_service_level": (*CONVERSATION_GRAIN, "threshold_seconds"),
    "fct_conversation_metrics_daily": CONVERSATION_GRAIN,
    "dataverse_load_audit": ("table_name", "load_state", "quarantine_reason"),
    "dataverse_data_faults": ("table_name", "record_id", "fault"),
    # Agent availability and consults (not in the session-grain catalogue).
    "fct_agent_presence_intervals": ("agent_presence_interval_key",),
    "fct_agent_presence_daily": ("presence_date", "agent_id"),
    **{
        f"metric_agent_{status}_hours": ("presence_date", "agent_id")
        for status in ("logged_in", "available", "busy", "busy_dnd", "away", "offline")
    },
    "metric_agent_occupancy": ("presence_date", "agent_id"),
    "fct_consults": ("session_participant_id",),
    "fct_consults_daily": GRAIN,
    "dataverse_table_availability": ("table_name",),
}
# Relations that may rightly be empty (a clean export has no data faults).
MAY_BE_EMPTY = {"dataverse_data_faults"}
Rows = tuple[list[str], list[tuple]]


def same_value(left: object, right: object) -> bool:
    if isinstance(left, float) or isinstance(right, float):
        if left is None or right is None:
            return left is right
        left, right = float(left), float(right)
        if math.isnan(left) or math.isnan(right):
            return math.isnan(left) and math.isnan(right)
        return math.isclose(left, right, rel_tol=RELATIVE_TOLERANCE, abs_tol=1e-12)
    return left == right and type(left) is type(right)


def keyed(columns: list[str], rows: list[tuple], key: tuple[str, ...], engine: str) -> dict[tuple, tuple]:
    positions = [columns.index(name) for name in key]
    by_key = {tuple(row[i] for i in positions): row for row in rows}
    if len(by_key) != len(rows):
        raise AssertionError(f"{engine}: key {key} is not unique")
    return by_key


def differences(relation: str, reference: Rows, other: Rows, other_engine: str) -> list[str]:
    """Every way `other` differs from `reference` (DuckDB's), as messages; [] when they agree."""
    ref_columns, ref_rows = reference
    columns, rows = other
    if columns != ref_columns:
        return [f"{relation}: columns differ: duckdb {ref_columns} vs {other_engine} {columns}"]
    if not ref_rows and relation not in MAY_BE_EMPTY:
        return [f"{relation}: empty on DuckDB, nothing compared"]
    key = KEYS[relation]
    ref, oth = keyed(ref_columns, ref_rows, key, "duckdb"), keyed(columns, rows, key, other_engine)
    only_ref, only_other = (
        sorted(map(repr, ref.keys() - oth.keys()))[:5],
        sorted(map(repr, oth.keys() - ref.keys()))[:5],
    )
    if only_ref or only_other:
        return [
            f"{relation}: {len(ref)} DuckDB rows vs {len(oth)} {other_engine} rows; "
            f"keys only on DuckDB {only_ref}, only on {other_engine} {only_other}"
        ]
    found = []
    for row_key, ref_row in ref.items():
        for column, left, right in zip(ref_columns, ref_row, oth[row_key], strict=True):
            if not same_value(left, right):
                found.append(f"{relation} {row_key} {column}: duckdb={left!r} {other_engine}={right!r}")
    return found
