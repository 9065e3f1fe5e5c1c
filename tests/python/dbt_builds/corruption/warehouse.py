"""Reading a built warehouse (read-only), and picking sessions of the baseline to corrupt."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import duckdb


def query(warehouse: Path, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def relation_columns(warehouse: Path, relation: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [c[0] for c in con.execute(f"describe select * from {relation}").fetchall()]


def relation_rows(warehouse: Path, relation: str) -> list[tuple]:
    """All rows of a relation, ordered by every column."""
    return query(warehouse, f"select * from {relation} order by all")


def relation_names(warehouse: Path) -> list[str]:
    return [
        r[0]
        for r in query(
            warehouse, "select table_name from information_schema.tables where table_schema = 'main' order by 1"
        )
    ]


def loaded_audit(warehouse: Path) -> Counter:
    return Counter(
        {
            (t, s, r): n
            for t, s, r, n in query(
                warehouse, "select table_name, load_state, quarantine_reason, raw_rows from dataverse_load_audit"
            )
        }
    )


def data_faults(warehouse: Path) -> set[tuple[str, str, str, str | None]]:
    return set(query(warehouse, "select table_name, record_id, fault, detail from dataverse_data_faults"))


def same_rows(left: list[tuple], right: list[tuple], rel: float = 1e-12) -> bool:
    """Row-for-row equality; floats equal to rel (a floating sum may differ in its last bits with
    the order of summation: DECISIONLOG, 'Duration sums'); everything else exactly."""
    if len(left) != len(right):
        return False
    for a_row, b_row in zip(left, right, strict=True):
        if len(a_row) != len(b_row):
            return False
        for a, b in zip(a_row, b_row, strict=True):
            if isinstance(a, float) and isinstance(b, float):
                if not math.isclose(a, b, rel_tol=rel, abs_tol=1e-9):
                    return False
            elif a != b:
                return False
    return True


def rows_by_key(warehouse: Path, relation: str, key: str) -> tuple[list[str], dict[object, tuple]]:
    columns = relation_columns(warehouse, relation)
    index = columns.index(key)
    rows = relation_rows(warehouse, relation)
    keyed = {row[index]: row for row in rows}
    assert len(keyed) == len(rows), f"{relation}.{key} is not unique"
    return columns, keyed


# --------------------------------------------------------------------------- picking targets
class Picker:
    """Hands out distinct sessions of a baseline warehouse matching a condition, deterministically."""

    def __init__(self, warehouse: Path) -> None:
        self.warehouse = warehouse
        self.used: set[str] = set()

    def sessions(
        self, condition: str, n: int = 1, among: set[str] | None = None, where: Callable[[str], bool] | None = None
    ) -> list[str]:
        """n sessions of fct_sessions where the SQL condition holds (and in among, and where(session))."""
        candidates = [
            r[0]
            for r in query(self.warehouse, f"select session_id from fct_sessions where {condition} order by session_id")
        ]
        chosen = [
            s
            for s in candidates
            if s not in self.used and (among is None or s in among) and (where is None or where(s))
        ][:n]
        assert len(chosen) == n, f"the baseline has too few sessions where {condition}"
        self.used.update(chosen)
        return chosen

    def one(self, condition: str, among: set[str] | None = None, where: Callable[[str], bool] | None = None) -> str:
        return self.sessions(condition, 1, among, where)[0]
