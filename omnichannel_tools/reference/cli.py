"""Command line of the reference: ``python -m omnichannel_tools.reference --export DIR``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from omnichannel_tools.reference.loading import load_export
from omnichannel_tools.reference.metrics import metric_parts, metric_totals
from omnichannel_tools.reference.schema import FORMATS, METRIC_TABLES
from omnichannel_tools.reference.sessions import session_facts

DESCRIPTION = "Independent pandas reference implementation of the session metrics."


def main(argv: list[str] | None = None) -> int:
    """Print the metric totals of an export as JSON."""
    parser = argparse.ArgumentParser(prog="python -m omnichannel_tools.reference", description=DESCRIPTION)
    parser.add_argument("--export", required=True, type=Path, help="export root folder")
    parser.add_argument("--format", default="parquet", choices=FORMATS)
    parser.add_argument("--reporting-timezone", default="UTC")
    parser.add_argument(
        "--include-entity-records",
        action="store_true",
        help="keep Entity Records sessions (the spec excludes them by default)",
    )
    args = parser.parse_args(argv)
    tables = load_export(args.export, args.format, tables=METRIC_TABLES)
    facts = session_facts(
        tables,
        reporting_timezone=args.reporting_timezone,
        exclude_entity_records=not args.include_entity_records,
    )
    del tables
    json.dump(metric_totals(metric_parts(facts)), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0
