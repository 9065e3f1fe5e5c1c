"""Command line of the benchmark: ``python -m omnichannel_tools.benchmark`` (also bench/run_bench.py)."""

from __future__ import annotations

import argparse
from pathlib import Path

from omnichannel_tools.benchmark.contenders import floor_worker
from omnichannel_tools.benchmark.report import load_results, render_section, write_benchmarks
from omnichannel_tools.benchmark.run import run_benchmark
from omnichannel_tools.benchmark.settings import BENCHMARKS_MD, CACHE, REPO, SKIPPABLE

DESCRIPTION = "Benchmark of the project against the floor (hand-written DuckDB SQL) and the peer (pandas)."


def main(argv: list[str] | None = None, prog: str | None = None) -> int:
    """Run the benchmark of one size, or re-render its section, or (internal) run the floor once."""
    args = parse_args(argv, prog)
    if args.command == "floor-worker":
        floor_worker(args.export, args.db, args.out, args.memory_limit, args.temp_directory)
        return 0
    if args.render_only:
        results = load_results()
        if args.sessions not in results:
            raise SystemExit(f"no bench/results/{args.sessions}.json to render")
        write_benchmarks(args.sessions, render_section(results[args.sessions], results))
        print(f"rewrote the {args.sessions:,}-session section of {BENCHMARKS_MD.name}")
        return 0
    return run_benchmark(args)


def parse_args(argv: list[str] | None, prog: str | None = None) -> argparse.Namespace:
    """The options (see --help); ``command`` is 'bench' unless the internal floor-worker is asked for."""
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION)
    sub = parser.add_subparsers(dest="command")
    worker = sub.add_parser("floor-worker", help="(internal) run bench/floor.sql once")
    worker.add_argument("--export", type=Path, required=True)
    worker.add_argument("--db", type=Path, required=True)
    worker.add_argument("--out", type=Path, required=True)
    worker.add_argument("--memory-limit", default="3GB")
    worker.add_argument("--temp-directory", default=str(CACHE / "duckdb_tmp"))
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (median)")
    parser.add_argument(
        "--inc-repeat", type=int, default=1, help="incremental + full builds after the 1 %% change (median)"
    )
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip", default="", help=f"comma-separated: {', '.join(SKIPPABLE)}")
    parser.add_argument(
        "--peer-max-sessions", type=int, default=20_000_000, help="skip the pandas peer above this size"
    )
    parser.add_argument(
        "--rss-cap-gib",
        type=float,
        default=None,
        help="kill a run whose process tree exceeds this (default: available - 2 GiB)",
    )
    parser.add_argument("--timeout", type=float, default=None, help="kill a run after this many s")
    parser.add_argument(
        "--render-only",
        action="store_true",
        help="rewrite this size's BENCHMARKS.md section from bench/results/<N>.json",
    )
    parser.add_argument(
        "--keep-warehouses",
        action="store_true",
        help="keep the warehouse files of the runs (deleted at the end by default)",
    )
    parser.add_argument(
        "--profiles-dir", type=Path, default=REPO, help="folder of the profiles.yml dbt uses (default: the repo's)"
    )
    parser.add_argument(
        "--change-share",
        type=float,
        default=0.01,
        help="share of the sessions the incremental measurement changes (0.01: 1 %%; 0.001: 0.1 %%)",
    )
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "bench"
    return args
