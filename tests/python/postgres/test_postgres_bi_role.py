"""Least privilege: the BI role reads every metric view and the marts, and nothing else.

`make test-postgres` creates the role (NOLOGIN) and builds with `--vars '{bi_role: ...}'`, so
dbt's grants give it select on the marts and the metric views; the publish gives it usage on the marts schema.
This test gives the role a password of its own making (an env var it sets, never a file), logs
in as the role, and checks what it may and may not do.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator

import pytest

from omnichannel_tools.catalogue import metric_views, session_grain_views
from omnichannel_tools.loaders.postgres import quote_ident

SCHEMA = os.environ.get("OMNICHANNEL_POSTGRES_BUILDS", "parquet::omnichannel").split()[0].split(":")[2]
ROLE = os.environ.get("BI_ROLE", "bi_reader")
REFUSED = [
    f"{SCHEMA}_staging.stg_dataverse__sessions",
    f"{SCHEMA}_staging.base_dataverse__sessions",
    f"{SCHEMA}_intermediate.int_session_participants_rolled_up",
    f"{SCHEMA}_audit.dataverse_load_audit",
    f"{SCHEMA}_audit.dataverse_data_faults",
    f"{SCHEMA}.dataverse_closure_reasons",
    "dataverse.msdyn_ocsession",
]
WRITES = [
    f"create table {SCHEMA}_marts.bi_scratch (x integer)",
    "create table public.bi_scratch (x integer)",
    f"create schema {SCHEMA}_bi_scratch",
    f"insert into {SCHEMA}_marts.dim_queues (queue_id) values ('x')",
    f"update {SCHEMA}_marts.fct_sessions set session_id = session_id",
    f"delete from {SCHEMA}_marts.fct_sessions",
    f"drop view {SCHEMA}_marts.metric_total_sessions",
    f"drop table {SCHEMA}_marts.fct_sessions",
    f"create or replace view {SCHEMA}_marts.metric_total_sessions as select 1 as x",
    f"truncate {SCHEMA}_marts.fct_sessions",
]


@pytest.fixture(scope="module")
def bi(pg) -> Iterator[object]:  # noqa: ANN001
    """A connection logged in as the BI role, with a password set for this test only."""
    import psycopg2

    os.environ["OMNICHANNEL_TEST_BI_PASSWORD"] = secrets.token_urlsafe(18)
    with pg.cursor() as cursor:
        cursor.execute(
            f"alter role {quote_ident(ROLE)} login password %s", [os.environ["OMNICHANNEL_TEST_BI_PASSWORD"]]
        )
    connection = psycopg2.connect(
        host=os.environ["DBT_POSTGRES_HOST"],
        port=int(os.environ["DBT_POSTGRES_PORT"]),
        dbname=os.environ["DBT_POSTGRES_DATABASE"],
        user=ROLE,
        password=os.environ["OMNICHANNEL_TEST_BI_PASSWORD"],
    )
    connection.autocommit = True
    yield connection
    connection.close()
    with pg.cursor() as cursor:
        cursor.execute(f"alter role {quote_ident(ROLE)} nologin password null")


def _refused(connection, sql: str) -> str | None:  # noqa: ANN001
    """The SQLSTATE when sql is refused for lack of privilege, else None (it ran)."""
    import psycopg2

    try:
        with connection.cursor() as cursor:
            cursor.execute(sql)
    except psycopg2.Error as error:
        return error.pgcode
    return None


@pytest.mark.parametrize("view", sorted(metric_views()))
def test_the_bi_role_reads_every_metric_view(bi, pg, view: str) -> None:  # noqa: ANN001
    with bi.cursor() as cursor:
        date_column = "session_date" if view in session_grain_views() else "conversation_date"
        cursor.execute(f"select count(*), count(distinct {date_column}) from {SCHEMA}_marts.{view}")
        rows, dates = cursor.fetchone()
    with pg.cursor() as cursor:
        cursor.execute(f"select count(*) from {SCHEMA}_marts.{view}")
        assert rows == cursor.fetchone()[0] > 0 and dates > 0


def test_the_bi_role_reads_the_marts(bi) -> None:  # noqa: ANN001
    with bi.cursor() as cursor:
        for mart in ("fct_sessions", "fct_conversations", "dim_agents", "dim_queues", "dim_channels"):
            cursor.execute(f"select count(*) from {SCHEMA}_marts.{mart}")
            assert cursor.fetchone()[0] > 0, mart


@pytest.mark.parametrize("relation", REFUSED)
def test_the_bi_role_is_refused_everything_else(bi, relation: str) -> None:  # noqa: ANN001
    assert _refused(bi, f"select * from {relation} limit 1") == "42501", relation  # insufficient_privilege


@pytest.mark.parametrize("sql", WRITES)
def test_the_bi_role_cannot_write(bi, sql: str) -> None:  # noqa: ANN001
    assert _refused(bi, sql) == "42501", sql
