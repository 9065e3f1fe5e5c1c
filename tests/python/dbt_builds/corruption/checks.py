"""The comparisons every case of a build shares: the audit reconciles, untouched sessions and metric rows
are unchanged, every mart equals the baseline's."""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from .expected_states import expected_audit
from .export_files import raw_row_counts
from .suite import GRAIN, MARTS, METRIC_VIEWS, SESSIONS, Baseline, Build
from .warehouse import data_faults, loaded_audit, relation_columns, relation_rows, rows_by_key, same_rows


def fct_of(build: Build) -> tuple[list[str], dict[str, tuple]]:
    if "fct" not in build.facts:
        build.facts["fct"] = rows_by_key(build.warehouse, "fct_sessions", "session_id")
    return build.facts["fct"]


def session_of(build: Build, session_id: str) -> dict[str, object] | None:
    columns, rows = fct_of(build)
    return dict(zip(columns, rows[session_id], strict=True)) if session_id in rows else None


def assert_untouched_sessions_unchanged(base: Baseline, build: Build) -> None:
    """Every fct_sessions row of a session no corruption touched equals the baseline's (all columns)."""
    columns, rows = fct_of(build)
    assert columns == base.fct_columns
    untouched = set(base.fct) - build.touched
    missing = sorted(untouched - set(rows))
    changed = sorted(s for s in untouched & set(rows) if rows[s] != base.fct[s])
    unexpected = sorted(set(rows) - set(base.fct) - build.added)
    assert not missing, f"{build.name}: untouched sessions lost: {missing[:5]}"
    assert not changed, (
        f"{build.name}: {len(changed)} untouched sessions changed, e.g. "
        f"{base.session(changed[0])} -> {dict(zip(columns, rows[changed[0]], strict=True))}"
    )
    assert not unexpected, f"{build.name}: sessions from nowhere: {unexpected[:5]}"
    assert len(untouched) > SESSIONS * 0.8  # the comparison covers most of the export


def assert_marts_equal_baseline(base: Baseline, build: Build, except_marts: tuple[str, ...] = ()) -> None:
    """Every mart (fct, dims, every metric view) row for row equal to the baseline's."""
    for mart in MARTS:
        if mart in except_marts:
            continue
        assert same_rows(relation_rows(build.warehouse, mart), base.marts[mart]), f"{build.name}: {mart} differs"


def touched_grains(base: Baseline, build: Build) -> set[tuple]:
    columns, rows = fct_of(build)
    index = [columns.index(c) for c in GRAIN]
    grains = set()
    for session in build.touched | build.added:
        for row in (base.fct.get(session), rows.get(session)):
            if row is not None:
                grains.add(tuple(row[i] for i in index))
    return grains


def assert_untouched_metric_rows_unchanged(base: Baseline, build: Build) -> None:
    """In every metric view, the rows of grains holding no touched session equal the baseline's."""
    grains = touched_grains(base, build)
    for view in METRIC_VIEWS:
        index = [relation_columns(build.warehouse, view).index(c) for c in GRAIN]

        def untouched(rows: list[tuple], index: list[int] = index) -> list[tuple]:
            return [r for r in rows if tuple(r[i] for i in index) not in grains]

        before, after = untouched(base.marts[view]), untouched(relation_rows(build.warehouse, view))
        assert same_rows(after, before), f"{build.name}: {view} changed outside the touched grains"
        assert len(before) > 0


def assert_audit_reconciles(base: Baseline, build: Build) -> None:
    """dataverse_load_audit = the raw rows counted from the files, in the states the files imply."""
    loaded = loaded_audit(build.warehouse)
    per_table = Counter()
    for (table, _state, _reason), rows in loaded.items():
        per_table[table] += rows
    assert dict(per_table) == raw_row_counts(build.export, build.fmt), build.name
    assert loaded == expected_audit(build.export, build.fmt), build.name
    declared = base.audit + Counter()
    declared.update(build.audit_delta)  # Counter.update adds (and keeps negative deltas)
    declared = Counter({k: v for k, v in declared.items() if v})
    assert loaded == declared, f"{build.name}: audit {loaded - declared} / expected {declared - loaded}"


def case(builds: dict[str, Build], base: Baseline, name: str) -> Build:
    """A successful build with the checks every case of it shares."""
    build = builds[name]
    build.succeeded()
    if not build.facts.get("checked"):
        assert_audit_reconciles(base, build)
        assert_untouched_sessions_unchanged(base, build)
        build.facts["checked"] = True
    return build


def fault_rows(build: Build) -> set[tuple]:
    if "faults" not in build.facts:
        build.facts["faults"] = data_faults(build.warehouse)
    return build.facts["faults"]


def changed_fields(build: Build, base: Baseline, session: str) -> dict[str, tuple]:
    before, after = base.session(session), session_of(build, session)
    assert after is not None, f"{session} is no longer in fct_sessions"
    return {k: (before[k], after[k]) for k in before if before[k] != after[k]}


def seconds(a: datetime, b: datetime) -> float:
    return (b - a) / timedelta(seconds=1)
