"""The publish command: publish the last green dbt build to the serving file, or say why not."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from omnichannel_tools.serving.publish import NotPublishedError, publish

DEFAULT_SERVING = "warehouse/serving.duckdb"


def _mib(size: int) -> str:
    return f"{size / 2**20:,.1f} MiB"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("DBT_DUCKDB_PATH", "warehouse/omnichannel.duckdb")),
        help="the build warehouse (default: $DBT_DUCKDB_PATH)",
    )
    parser.add_argument(
        "--serving",
        type=Path,
        default=Path(os.environ.get("DBT_DUCKDB_SERVING_PATH", DEFAULT_SERVING)),
        help=f"the serving file BI tools open (default: $DBT_DUCKDB_SERVING_PATH or {DEFAULT_SERVING})",
    )
    parser.add_argument("--target-dir", type=Path, default=Path("target"), help="dbt's artifacts of the build")
    args = parser.parse_args(argv)
    serving = args.serving.resolve()
    try:
        report = publish(args.warehouse.resolve(), serving, args.target_dir.resolve())
    except NotPublishedError as error:
        print(f"\nNothing published; the serving file {serving} is unchanged. Why: {error}", file=sys.stderr)
        print("The failing tests and dataverse_load_audit in the build warehouse tell what to fix.", file=sys.stderr)
        return 1
    print(
        f"\nPublished {report.tables} tables and {report.views} views in {report.seconds:.1f} s"
        f" ({_mib(report.serving_bytes)}; build warehouse {_mib(report.warehouse_bytes)})."
    )
    if report.warnings:
        print(f"{len(report.warnings)} warn-level tests reported data faults (published all the same).")
    print(f"Serving file (open it read-only from your BI tool): {serving}")
    return 0
