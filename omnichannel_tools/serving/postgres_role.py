"""Create the BI role on PostgreSQL (a group role without login, if it is not there yet).

    python -m omnichannel_tools.serving.postgres_role --role bi_reader

dbt's grants (`dbt build --vars '{bi_role: bi_reader}'`) need the role to exist: this creates it
as NOLOGIN, owning nothing. Who logs in as BI is decided by whoever runs the cluster: give a
login role membership (`grant bi_reader to powerbi`), or a password to this one (the README).
Connection: the dbt postgres target's environment (DBT_POSTGRES_*).
"""

from __future__ import annotations

import argparse

from omnichannel_tools.loaders.postgres import connect, quote_ident


def ensure_role(connection, role: str) -> bool:  # noqa: ANN001
    """Create role (NOLOGIN) unless it exists; True when it was created."""
    with connection.cursor() as cursor:
        cursor.execute("select 1 from pg_roles where rolname = %s", [role])
        if cursor.fetchone():
            return False
        cursor.execute(f"create role {quote_ident(role)} nologin")
    connection.commit()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", required=True, help="the dbt var bi_role")
    args = parser.parse_args(argv)
    connection = connect()
    try:
        created = ensure_role(connection, args.role)
    finally:
        connection.close()
    print(f"role {args.role}: {'created (nologin)' if created else 'already there'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
