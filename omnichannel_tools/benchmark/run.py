"""One benchmark run of one size: export, parse timings, the contenders' rounds, BI queries, incremental."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
from pathlib import Path
from typing import Any

from omnichannel_tools.benchmark.agreement import check_agreement
from omnichannel_tools.benchmark.bi_queries import bi_queries
from omnichannel_tools.benchmark.contenders import Context, dbt_command, run_rounds
from omnichannel_tools.benchmark.export import ensure_export, export_stats, warm_page_cache
from omnichannel_tools.benchmark.incremental import measure_incremental
from omnichannel_tools.benchmark.measure import mem_available, run_measured, summarise
from omnichannel_tools.benchmark.parse_timing import compile_profile, measure_parse
from omnichannel_tools.benchmark.report import load_results, render_section, write_benchmarks
from omnichannel_tools.benchmark.settings import BENCHMARKS_MD, CACHE, CONTENDERS, GIB, MIB, REPO, RESULTS, SKIPPABLE


def git_revision() -> str:
    """The commit measured, flagged when models, macros, seeds or the dbt config have uncommitted changes."""
    try:
        rev = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "models", "macros", "seeds", "dbt_project.yml", "profiles.yml"],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return rev + (" + uncommitted model changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, Any]:
    """Cores, memory, Python version and load average of the machine."""
    with open("/proc/meminfo") as handle:
        total = int(handle.readline().split()[1]) * 1024
    return {
        "cpus": os.cpu_count(),
        "memory_gib": round(total / GIB, 1),
        "python": platform.python_version(),
        "loadavg": os.getloadavg(),
    }


def skipped_runs(args: argparse.Namespace) -> set[str]:
    """The runs --skip names (validated), plus the peer above --peer-max-sessions."""
    skip = set(filter(None, args.skip.split(",")))
    unknown = skip - set(SKIPPABLE)
    if unknown:
        raise SystemExit(f"--skip: unknown {', '.join(sorted(unknown))} (known: {', '.join(SKIPPABLE)})")
    if args.sessions > args.peer_max_sessions and "peer" not in skip:
        print(f"peer skipped above {args.peer_max_sessions:,} sessions (--peer-max-sessions)")
        skip.add("peer")
    return skip


def describe_run(args: argparse.Namespace, ctx: Context, generation_s: float | None, skip: set[str]) -> dict[str, Any]:
    """The result's header: what was measured, where, on what."""
    return {
        "sessions": args.sessions,
        "seed": args.seed,
        "repeat": args.repeat,
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": git_revision(),
        "machine": machine(),
        "memory_limit": ctx.memory_limit,
        "rss_cap_gib": round(ctx.rss_cap / GIB, 1),
        "generation_s": generation_s,
        "export": export_stats(ctx.export),
        "skipped": sorted(skip),
        "profiles_dir": str(ctx.profiles_dir.relative_to(REPO))
        if ctx.profiles_dir.is_relative_to(REPO)
        else str(ctx.profiles_dir),
    }


def warn_if_disk_short(result: dict[str, Any], work: Path) -> None:
    """A warehouse is ~2.1x the export (10M: 4.7 GiB); up to five live at once (models, full,
    three incremental), plus spill."""
    need, free = 15 * result["export"]["bytes"], shutil.disk_usage(work).free
    if free < need:
        print(f"warning: {free / GIB:.0f} GiB free on disk, the runs may need ~{need / GIB:.0f} GiB", flush=True)


def measure_contenders(ctx: Context, args: argparse.Namespace, skip: set[str], result: dict[str, Any]) -> None:
    """Warm the builds' parse state, run the contenders' rounds, then the BI queries on a built warehouse."""
    work = ctx.work
    # Warm the builds' own target folders (partial parsing state), untimed.
    for name in ("models", "full"):
        run_measured(
            "warmup_parse",
            dbt_command(["parse"], ctx.export, work / f"target_{name}"),
            env=ctx.dbt_env(work / f"{name}.duckdb"),
            log_path=work / "logs" / "warmup.log",
        )
    contenders = [c for c in CONTENDERS if c not in skip]
    runs = run_rounds(ctx, contenders, args.repeat)
    result["contenders"] = {name: summarise(r) for name, r in runs.items()}
    result["agreement"] = check_agreement({n: s["totals"] for n, s in result["contenders"].items()})
    if "models" in runs:
        result["compile"] = compile_profile(work / "target_models")
    if "full" in runs:
        result["compile_full"] = compile_profile(work / "target_full")
    built = [
        work / f"{name}.duckdb" for name in ("full", "models") if name in runs and runs[name][-1].totals is not None
    ]
    if built:
        # The warehouse a user keeps (the models' build, or the full build's: the same tables), vs the export.
        result["storage"] = {"warehouse_bytes": built[-1].stat().st_size, "warehouse": built[-1].name}
    if "bi" not in skip and built:
        print("BI queries ...", flush=True)
        result["bi"] = bi_queries(built[0], max(args.repeat, 5), ctx.memory_limit)


def run_benchmark(args: argparse.Namespace) -> int:
    """Measure one size; write bench/results/<N>.json and the size's section of BENCHMARKS.md."""
    skip = skipped_runs(args)
    export, generation_s = ensure_export(args.sessions, args.seed)
    work = CACHE / str(args.sessions) / "work"
    work.mkdir(parents=True, exist_ok=True)
    memory_limit = os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "3GB")
    rss_cap = args.rss_cap_gib * GIB if args.rss_cap_gib else max(mem_available() - 2 * GIB, GIB)
    ctx = Context(args.sessions, export, work, memory_limit, rss_cap, args.timeout, args.profiles_dir.resolve())
    result = describe_run(args, ctx, generation_s, skip)
    print(f"export: {export} ({result['export']['bytes'] / MIB:,.0f} MiB); warming the page cache")
    warn_if_disk_short(result, work)
    warm_page_cache(export)
    if "parse" not in skip:
        print("dbt parse ...", flush=True)
        result["parse"] = measure_parse(ctx, args.repeat)
        print(f"  full {result['parse']['full_s']:.1f} s, partial {result['parse']['partial_s']:.1f} s")
    measure_contenders(ctx, args, skip, result)
    if "incremental" not in skip:
        print(f"incremental build after a {args.change_share:.1%} change ...", flush=True)
        result["incremental"] = measure_incremental(ctx, args.inc_repeat, args.change_share)
    if not args.keep_warehouses:
        for path in work.glob("*.duckdb*"):
            path.unlink()  # 2.1x the export's size each: a 10M run leaves 25 GB otherwise
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{args.sessions}.json").write_text(json.dumps(result, indent=2, default=str) + "\n")
    section = render_section(result, load_results())
    print()
    print(section)
    write_benchmarks(args.sessions, section)
    print(f"wrote {BENCHMARKS_MD.relative_to(REPO)} and bench/results/{args.sessions}.json")
    return 0
