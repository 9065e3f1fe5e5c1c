"""Command line of the Polars peer: ``python -m omnichannel_tools.polars_peer --export DIR``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from omnichannel_tools.polars_peer.query import metric_parts, metric_totals, session_facts

DESCRIPTION = "The session metrics of a Parquet export as one Polars lazy query (the Polars peer)."


def main(argv: list[str] | None = None) -> int:
    """Print the metric totals of an export as JSON."""
    parser = argparse.ArgumentParser(prog="python -m omnichannel_tools.polars_peer", description=DESCRIPTION)
    parser.add_argument("--export", required=True, type=Path, help="export root folder (Parquet)")
    parser.add_argument("--reporting-timezone", default="UTC")
    parser.add_argument(
        "--include-entity-records",
        action="store_true",
        help="keep Entity Records sessions (the spec excludes them by default)",
    )
    parser.add_argument(
        "--engine", default="streaming", choices=("streaming", "in-memory"), help="Polars engine collecting the query"
    )
    args = parser.parse_args(argv)
    facts = session_facts(
        args.export,
        reporting_timezone=args.reporting_timezone,
        exclude_entity_records=not args.include_entity_records,
    )
    json.dump(metric_totals(metric_parts(facts), engine=args.engine), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
