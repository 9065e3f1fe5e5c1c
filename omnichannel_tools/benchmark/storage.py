"""How big is a built warehouse, table by table, and how big would it be with GUID keys as DuckDB UUID?

A measurement outside dbt (the models keep their text keys): every table of the warehouse is
copied alone into a fresh DuckDB file twice, as built and with each GUID column cast to UUID
(16 bytes instead of 36 characters), and each file's size is taken after a checkpoint. A GUID
column is a VARCHAR column whose every non-empty value is a canonical lower-case GUID; an empty
string (the base tables' key of a row that has none) becomes NULL in the UUID copy, which a real
design would have to keep apart (a flag, or the raw text on the quarantined rows only).

    python -m omnichannel_tools.benchmark.storage --warehouse W.duckdb --export DIR [--json OUT]
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path
from typing import Any

import duckdb

GUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
MIB = 1024**2


def folder_bytes(root: Path) -> int:
    """Bytes of every file under a folder (what du -b counts, symlinks followed)."""
    return sum(p.stat().st_size for p in root.rglob("*") if p.is_file())


def guid_columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    """The VARCHAR columns of a table holding only GUIDs (or '' / NULL), with at least one GUID."""
    names = [
        row[0]
        for row in con.execute(
            "select column_name from duckdb_columns() where table_name = ? and data_type = 'VARCHAR' "
            "and schema_name = 'main' and database_name = 'wh'",
            [table],
        ).fetchall()
    ]
    found = []
    for name in names:
        q = f'"{name}"'
        ok, any_guid = con.execute(
            f"select coalesce(bool_and({q} is null or {q} = '' or regexp_matches({q}, '{GUID}')), true), "
            f"count(*) filter (where regexp_matches({q}, '{GUID}')) > 0 from main.\"{table}\""
        ).fetchone()
        if ok and any_guid:
            found.append(name)
    return found


def _distinct(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    return con.execute(f'select approx_count_distinct("{column}") from main."{table}"').fetchone()[0]


def copied_size(con: duckdb.DuckDBPyConnection, table: str, select: str, work: Path, tag: str) -> int:
    """Size of a fresh DuckDB file holding one table made by ``select`` (after a checkpoint)."""
    path = work / f"{table}_{tag}.duckdb"
    path.unlink(missing_ok=True)
    con.execute(f"attach '{path}' as copy_db (read_write)")
    try:
        con.execute(f'create table copy_db."{table}" as {select}')
        con.execute("checkpoint copy_db")
    finally:
        con.execute("detach copy_db")
    size = path.stat().st_size
    path.unlink()
    return size


def measure(warehouse: Path, export: Path) -> dict[str, Any]:
    """Per table: rows, GUID columns, file size as built and with UUID keys; the totals."""
    result: dict[str, Any] = {
        "warehouse_bytes": warehouse.stat().st_size,
        "export_bytes": folder_bytes(export),
        "tables": {},
    }
    with duckdb.connect() as con, tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        con.execute(f"attach '{warehouse}' as wh (read_only)")
        con.execute("use wh")
        sizes = con.execute("select * from pragma_database_size() where database_name = 'wh'")
        result["database_size"] = dict(zip([d[0] for d in sizes.description], sizes.fetchone(), strict=True))
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where database_name = 'wh' and schema_name = 'main' "
                "order by table_name"
            ).fetchall()
        ]
        for table in tables:
            rows = con.execute(f'select count(*) from main."{table}"').fetchone()[0]
            keys = guid_columns(con, table)
            cols = [r[0] for r in con.execute(f'describe main."{table}"').fetchall()]
            casts = ", ".join(
                f'try_cast(nullif("{c}", \'\') as uuid) as "{c}"' if c in keys else f'"{c}"' for c in cols
            )
            # Low-cardinality GUID columns (queue, agent) are dictionary-compressed as text: a UUID
            # there may cost more. The second variant casts only the columns with many values.
            many = [c for c in keys if _distinct(con, table, c) * 10 > rows]
            wide = ", ".join(f'try_cast(nullif("{c}", \'\') as uuid) as "{c}"' if c in many else f'"{c}"' for c in cols)
            as_built = copied_size(con, table, f'select * from main."{table}"', work, "text")
            as_uuid = copied_size(con, table, f'select {casts} from main."{table}"', work, "uuid") if keys else as_built
            as_keys = copied_size(con, table, f'select {wide} from main."{table}"', work, "keys") if many else as_built
            result["tables"][table] = {
                "rows": rows,
                "guid_columns": keys,
                "high_cardinality_guid_columns": many,
                "text_bytes": as_built,
                "uuid_bytes": as_uuid,
                "uuid_keys_bytes": as_keys,
            }
    result["tables_text_bytes"] = sum(t["text_bytes"] for t in result["tables"].values())
    result["tables_uuid_bytes"] = sum(t["uuid_bytes"] for t in result["tables"].values())
    result["tables_uuid_keys_bytes"] = sum(t["uuid_keys_bytes"] for t in result["tables"].values())
    return result


def render(result: dict[str, Any]) -> str:
    """A Markdown table of the measurement."""
    lines = [
        f"Export {result['export_bytes'] / MIB:,.0f} MiB; warehouse file {result['warehouse_bytes'] / MIB:,.0f} MiB "
        f"({result['warehouse_bytes'] / result['export_bytes']:.2f}× the export).",
        "",
        "| table | rows | GUID columns (many values) | alone, as built (MiB) | every GUID as UUID (MiB) | "
        "GUIDs with many values as UUID (MiB) | saved |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    ordered = sorted(result["tables"].items(), key=lambda kv: -kv[1]["text_bytes"])
    for name, t in ordered:
        best = min(t["uuid_bytes"], t["uuid_keys_bytes"])
        saved = 1 - best / t["text_bytes"] if t["text_bytes"] else 0
        lines.append(
            f"| {name} | {t['rows']:,} | {len(t['guid_columns'])} ({len(t['high_cardinality_guid_columns'])}) | "
            f"{t['text_bytes'] / MIB:,.1f} | {t['uuid_bytes'] / MIB:,.1f} | {t['uuid_keys_bytes'] / MIB:,.1f} | "
            f"{saved:.0%} |"
        )
    text, uuid, keys = result["tables_text_bytes"], result["tables_uuid_bytes"], result["tables_uuid_keys_bytes"]
    lines.append(
        f"| all tables | | | {text / MIB:,.1f} | {uuid / MIB:,.1f} | {keys / MIB:,.1f} | {1 - keys / text:.0%} |"
    )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m omnichannel_tools.benchmark.storage", description=__doc__)
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--export", type=Path, required=True)
    parser.add_argument("--json", type=Path, default=None, help="also write the figures as JSON here")
    args = parser.parse_args(argv)
    result = measure(args.warehouse, args.export)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n")
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
