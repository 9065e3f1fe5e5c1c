"""Reads during a rebuild, PostgreSQL: a BI reader never errors, never mixes two builds in one
query, and sees the new totals once the new build is published.

A copy of the Parquet export of `make test-postgres` is loaded into its own schemas, built and
published; then a reader thread queries every metric view of the published marts in a loop (one
statement per query) while the export changes, is loaded again, rebuilt by dbt and published.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

import pytest

from omnichannel_tools.catalogue import metric_views
from omnichannel_tools.change import apply_change
from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.loaders.postgres import connect, load_export
from omnichannel_tools.serving.postgres_publish import publish_postgres, schema_names

SCHEMA = "omnichannel_reads"
RAW_SCHEMA = "dataverse_reads"
ROLE = os.environ.get("BI_ROLE", "bi_reader")


def fingerprint_query() -> str:
    marts = schema_names(SCHEMA)[1]
    counts = [f"(select count(*) from {marts}.{view})" for view in sorted(metric_views())]
    return f"select {', '.join(counts)}, (select sum(total_sessions) from {marts}.metric_total_sessions)"


class Reader(threading.Thread):
    """Queries every metric view in a loop on its own connection until stopped."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.stop, self.published = threading.Event(), threading.Event()
        self.readings: list[tuple[bool, tuple | str]] = []

    def run(self) -> None:
        import psycopg2

        connection = connect()
        connection.autocommit = True
        query = fingerprint_query()
        while not self.stop.is_set():
            after_publish = self.published.is_set()
            try:
                with connection.cursor() as cursor:
                    cursor.execute(query)
                    self.readings.append((after_publish, tuple(int(v) for v in cursor.fetchone())))
            except psycopg2.Error as error:
                self.readings.append((after_publish, f"{error.pgcode}: {error}"))
            time.sleep(0.02)
        connection.close()


def _build_and_publish(pg, export: Path, target: Path) -> None:  # noqa: ANN001
    load_export(pg, export, "parquet", RAW_SCHEMA)
    result = run_dbt(
        ["build", "--exclude", "test_type:unit"],
        warehouse=target / "unused.duckdb",
        export_path=export,
        extra_vars={"dataverse_schema": RAW_SCHEMA, "bi_role": ROLE},
        target_path=target,
        target="postgres",
    )
    assert result.ok, result.output[-5000:]
    publish_postgres(pg, target, SCHEMA, ROLE)


def _fingerprint(pg) -> tuple:  # noqa: ANN001
    with pg.cursor() as cursor:
        cursor.execute(fingerprint_query())
        return tuple(int(v) for v in cursor.fetchone())


@pytest.fixture(scope="module")
def rebuild(pg, tmp_path_factory: pytest.TempPathFactory) -> dict:  # noqa: ANN001
    builds = os.environ.get("OMNICHANNEL_POSTGRES_BUILDS", "").split()
    if not builds:
        pytest.fail("OMNICHANNEL_POSTGRES_BUILDS names no export: run `make test-postgres`")
    work = tmp_path_factory.mktemp("pg_reads")
    export = work / "export"
    shutil.copytree(builds[0].split(":")[1], export, ignore=shutil.ignore_patterns("_COMPLETE"))
    saved = os.environ.get("DBT_POSTGRES_SCHEMA")
    os.environ["DBT_POSTGRES_SCHEMA"] = SCHEMA
    try:
        _build_and_publish(pg, export, work / "target-1")
        old = _fingerprint(pg)
        reader = Reader()
        reader.start()
        try:
            while not reader.readings:
                time.sleep(0.05)
            apply_change(export, fraction=0.2, seed=9)
            _build_and_publish(pg, export, work / "target-2")
            reader.published.set()
            while sum(after for after, _ in reader.readings) < 3:
                time.sleep(0.05)
        finally:
            reader.stop.set()
            reader.join(timeout=30)
    finally:
        if saved is None:
            os.environ.pop("DBT_POSTGRES_SCHEMA")
        else:
            os.environ["DBT_POSTGRES_SCHEMA"] = saved
    return {"old": old, "new": _fingerprint(pg), "readings": reader.readings}


def test_the_reader_never_errors(rebuild: dict) -> None:
    errors = [reading for _, reading in rebuild["readings"] if isinstance(reading, str)]
    assert len(rebuild["readings"]) > 10 and not errors, errors[:3]


def test_every_query_sees_one_build_and_the_new_one_after_the_publish(rebuild: dict) -> None:
    old, new = rebuild["old"], rebuild["new"]
    assert old != new, "the change must move the totals"
    readings = rebuild["readings"]
    assert {reading for _, reading in readings} <= {old, new}
    assert readings[0][1] == old
    assert [reading for after, reading in readings if after] == [new] * sum(after for after, _ in readings)
