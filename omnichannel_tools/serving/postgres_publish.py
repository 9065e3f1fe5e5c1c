"""Publish on green, PostgreSQL: the marts dbt built become the schema BI reads, in one transaction.

    python -m omnichannel_tools.serving.postgres_publish --target-dir DIR --schema omnichannel --role bi_reader

dbt builds the marts and metric views in ``<schema>_marts_build`` (dbt_project.yml). When the
build is fully green (the same verdict as the DuckDB publish: omnichannel_tools.serving.verdict),
this renames ``<schema>_marts`` (the published marts BI reads) to ``<schema>_marts_retired`` and
``<schema>_marts_build`` to ``<schema>_marts``, gives the BI role usage on it, and commits; then
drops the retired schema. Views follow their tables (PostgreSQL binds them by object, not by
name), grants travel with the objects, and a query already running keeps reading the old
tables: the drop waits for it. Readers never see a build in progress, nor two builds in one
query. A build that is not green publishes nothing and says why. The next build recreates
``<schema>_marts_build`` from scratch (on PostgreSQL the marts are plain tables).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from omnichannel_tools.loaders.postgres import connect, quote_ident
from omnichannel_tools.serving.publish import NotPublishedError
from omnichannel_tools.serving.verdict import build_verdict


def schema_names(schema: str) -> tuple[str, str, str]:
    """(build, published, retired) schema names of the marts for a target schema."""
    return f"{schema}_marts_build", f"{schema}_marts", f"{schema}_marts_retired"


def _exists(cursor, schema: str) -> bool:  # noqa: ANN001
    cursor.execute("select 1 from pg_namespace where nspname = %s", [schema])
    return cursor.fetchone() is not None


def publish_postgres(connection, target_dir: Path, schema: str, role: str | None) -> float:  # noqa: ANN001
    """Swap the green build's marts in; return the seconds the swap took. Raises NotPublishedError."""
    verdict = build_verdict(target_dir)
    if not verdict.green:
        raise NotPublishedError("the last dbt build is not green:\n  " + "\n  ".join(verdict.reasons))
    build, published, retired = (quote_ident(name) for name in schema_names(schema))
    started = time.perf_counter()
    with connection.cursor() as cursor:
        if not _exists(cursor, schema_names(schema)[0]):
            raise NotPublishedError(f"schema {schema_names(schema)[0]} not found: nothing built to publish")
        cursor.execute(f"drop schema if exists {retired} cascade")
        if _exists(cursor, schema_names(schema)[1]):
            cursor.execute(f"alter schema {published} rename to {retired}")
        cursor.execute(f"alter schema {build} rename to {published}")
        if role:
            cursor.execute(f"grant usage on schema {published} to {quote_ident(role)}")
    connection.commit()
    with connection.cursor() as cursor:
        cursor.execute(f"drop schema if exists {retired} cascade")  # waits for queries still reading it
    connection.commit()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target-dir", type=Path, required=True, help="dbt's artifacts of the PostgreSQL build")
    parser.add_argument("--schema", required=True, help="the target schema (DBT_POSTGRES_SCHEMA)")
    parser.add_argument("--role", default="", help="the BI role (dbt var bi_role) given usage on the marts")
    args = parser.parse_args(argv)
    connection = connect()
    try:
        seconds = publish_postgres(connection, args.target_dir.resolve(), args.schema, args.role or None)
    except NotPublishedError as error:
        print(f"Nothing published; {schema_names(args.schema)[1]} is unchanged. Why: {error}", file=sys.stderr)
        return 1
    finally:
        connection.close()
    print(f"Published {schema_names(args.schema)[0]} as {schema_names(args.schema)[1]} ({seconds:.2f} s).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
