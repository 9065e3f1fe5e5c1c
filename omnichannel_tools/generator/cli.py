"""Command line of the generator: ``python -m omnichannel_tools.generator --out DIR ...``."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from omnichannel_tools.generator.export import FORMATS, generate_export


def main(argv: list[str] | None = None) -> int:
    """Write an export and print the rows written per table (stderr)."""
    parser = argparse.ArgumentParser(
        prog="python -m omnichannel_tools.generator",
        description="Write a synthetic Dataverse (Synapse Link) export of the Omnichannel tables.",
    )
    parser.add_argument("--out", type=Path, required=True, help="output root folder")
    parser.add_argument("--sessions", type=int, default=20_000, help="current sessions (~)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--format", choices=FORMATS, default="parquet")
    parser.add_argument("--start-date", type=date.fromisoformat, default=date(2025, 1, 1))
    parser.add_argument("--days", type=int, default=90)
    parser.add_argument(
        "--chunk-sessions", type=int, default=1_000_000, help="sessions per output file (bounds memory)"
    )
    args = parser.parse_args(argv)
    counts = generate_export(
        args.out, args.sessions, args.seed, args.format, args.start_date, args.days, args.chunk_sessions
    )
    for table, rows in counts.items():
        print(f"{table}: {rows} rows", file=sys.stderr)
    return 0
