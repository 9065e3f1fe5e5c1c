"""dbt's own overhead: `dbt parse` with and without partial parsing, Python start-up, compile times."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from omnichannel_tools.benchmark.contenders import Context, dbt_command
from omnichannel_tools.benchmark.measure import median, run_measured


def perf_info(target: Path) -> dict[str, Any]:
    path = target / "perf_info.json"
    return json.loads(path.read_text()) if path.exists() else {}


def measure_parse(ctx: Context, repeat: int) -> dict[str, Any]:
    """Wall time of `dbt parse` without and with partial parsing (median of ``repeat``)."""
    target = ctx.work / "target_parse"
    env = ctx.dbt_env(ctx.work / "parse.duckdb")
    full, partial = [], []
    load_full, load_partial = [], []
    for i in range(repeat):
        m = run_measured(
            "parse_full",
            dbt_command(["parse", "--no-partial-parse"], ctx.export, target),
            env=env,
            log_path=ctx.work / "logs" / f"parse_full_{i}.log",
        )
        full.append(m.wall_s)
        load_full.append(perf_info(target).get("load_all_elapsed", math.nan))
    run_measured(
        "parse_warm", dbt_command(["parse"], ctx.export, target), env=env, log_path=ctx.work / "logs" / "parse_warm.log"
    )
    for i in range(repeat):
        m = run_measured(
            "parse_partial",
            dbt_command(["parse"], ctx.export, target),
            env=env,
            log_path=ctx.work / "logs" / f"parse_partial_{i}.log",
        )
        partial.append(m.wall_s)
        load_partial.append(perf_info(target).get("load_all_elapsed", math.nan))
    info = perf_info(target)
    return {
        "full_s": median(full),
        "partial_s": median(partial),
        "full_load_all_s": median(load_full),
        "partial_load_all_s": median(load_partial),
        "python_startup_s": python_import_time(),
        "path_count": info.get("path_count"),
    }


def node_name(unique_id: str) -> str:
    """A node's name from its unique_id (tests end in a hash)."""
    parts = unique_id.split(".")
    if len(parts) > 3 and re.fullmatch(r"[0-9a-f]{10}", parts[-1]):
        return parts[-2]
    return ".".join(parts[2:]) if len(parts) > 2 else unique_id


def python_import_time() -> float:
    """Seconds to start Python and import dbt's CLI (the floor under every dbt command)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import dbt.cli.main"], check=True)
    return time.perf_counter() - start


def compile_profile(target: Path, top: int = 5) -> dict[str, Any]:
    """Per-node compile time of the last build (run_results.json): total and slowest nodes."""
    path = target / "run_results.json"
    if not path.exists():
        return {}
    data = json.loads(path.read_text())
    compile_times, execute_times = [], []
    for result in data.get("results", []):
        for step in result.get("timing", []):
            if not step.get("started_at") or not step.get("completed_at"):
                continue
            seconds = (
                dt.datetime.fromisoformat(step["completed_at"].replace("Z", "+00:00"))
                - dt.datetime.fromisoformat(step["started_at"].replace("Z", "+00:00"))
            ).total_seconds()
            bucket = compile_times if step["name"] == "compile" else execute_times
            bucket.append((seconds, result["unique_id"]))
    compile_times.sort(reverse=True)
    execute_times.sort(reverse=True)
    return {
        "elapsed_s": data.get("elapsed_time"),
        "compile_total_s": sum(s for s, _ in compile_times),
        "slowest_compile": [(node_name(uid), s) for s, uid in compile_times[:top]],
        "slowest_execute": [(node_name(uid), s) for s, uid in execute_times[:top]],
    }
