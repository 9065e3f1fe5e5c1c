#!/usr/bin/env python3
"""Benchmark of the project against the floor (hand-written DuckDB SQL) and the peer (pandas).

    python bench/run_bench.py --sessions 1000000 --repeat 3

Generates (and caches under bench/cache/<N>/export) a Parquet demo export of N sessions, then
measures, alternating the contenders and repeating each ``--repeat`` times (median):

- floor:    bench/floor.sql, one DuckDB process, fct_sessions + the metric aggregate;
- models:   the project's ``dbt build`` of seeds and models, no tests, into a fresh warehouse;
- full:     the project's full ``dbt build`` (with every data and unit test), fresh warehouse;
- peer:     omnichannel_tools.reference, the plain pandas implementation.

It checks that the three implementations give the same metric totals, times the BI queries on
every metric view (pre-aggregated table vs the same aggregate over fct_sessions), an incremental
``dbt build`` after a 1 % change of the export vs a full one, and ``dbt parse`` with and without
partial parsing; prints the tables and writes them into BENCHMARKS.md (one section per size,
replaced on re-run) and the raw figures into bench/results/<N>.json.

Peak RSS is that of the whole process tree: a sampler thread sums the resident set of the
process and all its descendants (/proc/<pid>/statm, every 50 ms); the figure reported is the
larger of that sampled peak and the exact high-water mark of the largest single process of the
tree (``ru_maxrss`` from ``wait4``), so a spike shorter than the sampling period is not missed
when one process does the work (dbt + DuckDB, the floor, the peer all do).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable

REPO = Path(__file__).resolve().parents[1]
BENCH = REPO / "bench"
CACHE = BENCH / "cache"
RESULTS = BENCH / "results"
FLOOR_SQL = BENCH / "floor.sql"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
SEEDS = REPO / "seeds"
GIB = 1024**3
MIB = 1024**2
PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_PERIOD_S = 0.05

sys.path.insert(0, str(REPO))  # the project's own package, without installing it
from omnichannel_tools.generator import TABLES  # noqa: E402
from omnichannel_tools.reference import PART_COLUMNS  # noqa: E402

SUM_TOLERANCE = 1e-9
CONTENDERS = ("floor", "models", "full", "peer")
LABELS = {
    "floor": "floor: hand-written DuckDB SQL (bench/floor.sql)",
    "models": "project: `dbt build`, seeds + models, no tests",
    "full": "project: `dbt build`, with all tests",
    "peer": "peer: pandas (omnichannel_tools.reference)",
    "inc_base": "project: `dbt build` models, before the change (fresh)",
    "incremental": "project: `dbt build` models, incremental after a 1 % change",
    "inc_full": "project: `dbt build` models, full on the changed export (fresh)",
    "inc_floor": "floor on the changed export",
}
SKIPPABLE = ("floor", "models", "full", "peer", "incremental", "bi", "parse")
MODELS_ONLY = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
GRAIN = ("session_date", "queue_id", "channel_code", "agent_id")


# ----------------------------------------------------------------------------- measuring


@dataclass
class Measurement:
    """One timed run of a command."""

    name: str
    wall_s: float
    peak_rss: int
    max_process_rss: int
    returncode: int
    killed: str | None = None
    log: str = ""
    totals: dict[str, float] | None = None

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and self.killed is None


def _children(pid: int) -> list[int]:
    """Direct children of a process (all its threads), from /proc."""
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for tid in tasks:
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as handle:
                found.extend(int(c) for c in handle.read().split())
        except OSError:
            continue
    return found


def _tree_rss(root: int) -> int:
    """Sum of the resident set sizes of a process and all its descendants, in bytes."""
    total, stack, seen = 0, [root], set()
    while stack:
        pid = stack.pop()
        if pid in seen:
            continue
        seen.add(pid)
        try:
            with open(f"/proc/{pid}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        stack.extend(_children(pid))
    return total


def mem_available() -> int:
    """MemAvailable of the machine, in bytes."""
    with open("/proc/meminfo") as handle:
        for line in handle:
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return 0


def run_measured(
    name: str,
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    log_path: Path,
    rss_cap: int | None = None,
    timeout_s: float | None = None,
) -> Measurement:
    """Run a command (its own process group), timing it and sampling its tree's RSS.

    stdout goes to ``log_path``, stderr to ``log_path`` + '.err'. A run whose tree exceeds
    ``rss_cap`` bytes or ``timeout_s`` seconds is killed and reported as such.
    """
    log_path.parent.mkdir(parents=True, exist_ok=True)
    err_path = log_path.with_name(log_path.name + ".err")
    with open(log_path, "w") as out, open(err_path, "w") as err:
        start = time.perf_counter()
        proc = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=out, stderr=err, start_new_session=True
        )
        state: dict[str, Any] = {"peak": 0, "killed": None}
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                rss = _tree_rss(proc.pid)
                state["peak"] = max(state["peak"], rss)
                elapsed = time.perf_counter() - start
                reason = None
                if rss_cap and rss > rss_cap:
                    reason = f"killed: tree RSS above {rss_cap / GIB:.1f} GiB after {elapsed:.0f} s"
                elif timeout_s and elapsed > timeout_s:
                    reason = f"killed: still running after {timeout_s:.0f} s"
                if reason and state["killed"] is None:
                    state["killed"] = reason
                    try:
                        os.killpg(proc.pid, signal.SIGKILL)
                    except ProcessLookupError:
                        pass
                done.wait(SAMPLE_PERIOD_S)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        done.set()
        sampler.join()
    max_process = usage.ru_maxrss * 1024  # kilobytes on Linux
    return Measurement(
        name=name,
        wall_s=wall,
        peak_rss=max(state["peak"], max_process),
        max_process_rss=max_process,
        returncode=proc.returncode,
        killed=state["killed"],
        log=str(log_path),
    )


def median(values: Iterable[float]) -> float:
    values = list(values)
    return statistics.median(values) if values else math.nan


# ----------------------------------------------------------------------------- the export


def export_dir(sessions: int) -> Path:
    return CACHE / str(sessions) / "export"


def ensure_export(sessions: int, seed: int) -> tuple[Path, float | None]:
    """The cached export of ``sessions`` sessions, generated if missing; (path, seconds)."""
    root = export_dir(sessions)
    stamp = root / "_COMPLETE"
    if stamp.exists() and stamp.read_text().strip() == f"seed={seed}":
        return root, None
    stamp.unlink(missing_ok=True)
    print(f"generating a {sessions:,}-session export into {root} ...", flush=True)
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "omnichannel_tools.generator", "--out", str(root),
         "--sessions", str(sessions), "--seed", str(seed), "--format", "parquet"],
        cwd=REPO, check=True,
    )
    stamp.write_text(f"seed={seed}\n")
    return root, time.perf_counter() - start


def export_stats(root: Path) -> dict[str, Any]:
    """Files, bytes and rows per table of an export."""
    import pyarrow.parquet as pq

    stats: dict[str, Any] = {"bytes": 0, "tables": {}}
    for table in TABLES:
        files = sorted((root / table).glob("*.parquet"))
        rows = sum(pq.ParquetFile(f).metadata.num_rows for f in files)
        size = sum(f.stat().st_size for f in files)
        stats["tables"][table] = {"files": len(files), "rows": rows, "bytes": size}
        stats["bytes"] += size
    return stats


def warm_page_cache(root: Path) -> None:
    """Read every file of the export once, so no contender pays the cold disk read alone."""
    for path in root.rglob("*.parquet"):
        with open(path, "rb") as handle:
            while handle.read(16 * MIB):
                pass


# ----------------------------------------------------------------------------- the contenders


@dataclass
class Context:
    """Where one size's runs read and write."""

    sessions: int
    export: Path
    work: Path
    memory_limit: str
    rss_cap: int
    timeout_s: float | None
    profiles_dir: Path = REPO

    @property
    def temp_dir(self) -> Path:
        return self.work / "duckdb_tmp"

    def dbt_env(self, warehouse: Path) -> dict[str, str]:
        return {
            **os.environ,
            "DBT_PROFILES_DIR": str(self.profiles_dir),
            "DBT_TARGET": "duckdb",
            "DBT_DUCKDB_PATH": str(warehouse),
            "DBT_DUCKDB_MEMORY_LIMIT": self.memory_limit,
            "DBT_DUCKDB_TEMP_DIRECTORY": str(self.temp_dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }


def dbt_executable() -> str:
    candidate = Path(sys.executable).with_name("dbt")
    return str(candidate) if candidate.exists() else "dbt"


def dbt_command(args: list[str], export: Path, target: Path) -> list[str]:
    variables = {"dataverse_path": str(export), "dataverse_format": "parquet"}
    return [dbt_executable(), *args, "--vars", json.dumps(variables),
            "--target-path", str(target), "--log-path", str(target / "logs")]


def fresh_warehouse(path: Path) -> Path:
    """Delete a warehouse file (and its WAL) so the next build starts from nothing."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        candidate.unlink(missing_ok=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def warehouse_totals(warehouse: Path) -> dict[str, float]:
    """Metric totals of the project: column sums of fct_session_metrics_daily."""
    import duckdb

    sums = ", ".join(f"sum({c}) as {c}" for c in PART_COLUMNS)
    with duckdb.connect(str(warehouse), read_only=True) as con:
        row = con.execute(f"select {sums} from main.fct_session_metrics_daily").fetchone()
    return {c: float(v or 0) for c, v in zip(PART_COLUMNS, row)}


def run_dbt_build(ctx: Context, name: str, warehouse: Path, args: list[str],
                  export: Path | None = None, target: Path | None = None,
                  fresh: bool = True) -> Measurement:
    """Time one ``dbt build`` and read the project's metric totals after it."""
    if fresh:
        fresh_warehouse(warehouse)
    export = export or ctx.export
    target = target or ctx.work / "target"
    m = run_measured(
        name, dbt_command(["build", *args], export, target), env=ctx.dbt_env(warehouse),
        log_path=ctx.work / "logs" / f"{name}.log", rss_cap=ctx.rss_cap, timeout_s=ctx.timeout_s,
    )
    if m.killed is None and warehouse.exists():
        try:
            m.totals = warehouse_totals(warehouse)
        except Exception as exc:  # the aggregate is missing when the build failed early
            print(f"  ({name}: no totals: {exc})", flush=True)
    return m


def run_floor(ctx: Context, name: str = "floor", export: Path | None = None) -> Measurement:
    """Time bench/floor.sql in a fresh DuckDB file (a child process running floor_worker)."""
    db = fresh_warehouse(ctx.work / f"{name}.duckdb")
    out = ctx.work / f"{name}_totals.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, str(Path(__file__).resolve()), "floor-worker",
               "--export", str(export or ctx.export), "--db", str(db), "--out", str(out),
               "--memory-limit", ctx.memory_limit, "--temp-directory", str(ctx.temp_dir)]
    m = run_measured(name, command, log_path=ctx.work / "logs" / f"{name}.log",
                     rss_cap=ctx.rss_cap, timeout_s=ctx.timeout_s)
    if m.ok and out.exists():
        m.totals = json.loads(out.read_text())
    return m


def floor_worker(export: Path, db: Path, out: Path, memory_limit: str, temp_directory: str) -> None:
    """Child process of run_floor: run the script, write the totals it selects last."""
    import duckdb

    sql = FLOOR_SQL.read_text().replace("__EXPORT__", str(export)).replace("__SEEDS__", str(SEEDS))
    config = {"memory_limit": memory_limit, "temp_directory": temp_directory,
              "preserve_insertion_order": False}
    with duckdb.connect(str(db), config=config) as con:
        result = con.execute(sql)
        row = result.fetchone()
        names = [d[0] for d in result.description]
        result.fetchall()
    out.write_text(json.dumps({n: float(v or 0) for n, v in zip(names, row)}))


def run_peer(ctx: Context) -> Measurement:
    """Time the pandas reference (its CLI prints the metric totals as JSON)."""
    command = [sys.executable, "-m", "omnichannel_tools.reference", "--export", str(ctx.export)]
    log = ctx.work / "logs" / "peer.log"
    m = run_measured("peer", command, log_path=log, rss_cap=ctx.rss_cap, timeout_s=ctx.timeout_s)
    if m.ok:
        m.totals = {k: float(v) for k, v in json.loads(log.read_text()).items()}
    return m


# ----------------------------------------------------------------------------- checks


def compare_totals(reference: dict[str, float], other: dict[str, float]) -> list[str]:
    """Differences beyond the tolerance: counts exact, sums 1e-9 relative."""
    problems = []
    for col in PART_COLUMNS:
        a, b = reference.get(col), other.get(col)
        if a is None or b is None:
            problems.append(f"{col}: missing")
            continue
        if col.endswith("_sum"):
            if abs(a - b) > SUM_TOLERANCE * max(abs(a), abs(b), 1.0):
                problems.append(f"{col}: {a!r} vs {b!r}")
        elif a != b:
            problems.append(f"{col}: {a:.0f} vs {b:.0f}")
    return problems


def check_agreement(named_totals: dict[str, dict[str, float] | None]) -> dict[str, list[str]]:
    """Compare every implementation's totals with the floor's."""
    base = named_totals.get("floor")
    report: dict[str, list[str]] = {}
    for name, totals in named_totals.items():
        if name == "floor":
            continue
        if base is None or totals is None:
            report[name] = ["not compared (no totals)"]
        else:
            report[name] = compare_totals(base, totals)
    return report


# ----------------------------------------------------------------------------- BI queries


def _fct_expression(column: str) -> str | None:
    """The aggregate over fct_sessions (agent sessions) that a view's additive column sums."""
    flags = {
        "total_sessions": "count(*)",
        "active_sessions": "count_if(is_active)",
        "closed_sessions": "count_if(is_closed)",
        "engaged_sessions": "count_if(is_engaged)",
        "handled_sessions": "count_if(is_engaged)",
        "assigned_sessions": "count_if(is_assigned)",
        "transferred_sessions": "count_if(is_transferred_out)",
        "rejected_sessions": "count_if(is_rejected)",
        "timeout_sessions": "count_if(is_timed_out)",
        "external_handled_sessions": "count_if(is_handled_by_external_participant)",
        "sentiment_pulse_sum": "sum(customer_sentiment_pulse)",
        "sentiment_count": "count(customer_sentiment_pulse)",
        "handle_time_seconds_sum": "sum(handle_time_seconds) filter (where is_closed)",
        "handle_time_count": "count(handle_time_seconds) filter (where is_closed)",
        "sessions": "count(*)",
    }
    if column in flags:
        return flags[column]
    for measure in ("time_to_reject_seconds", "time_to_accept_seconds", "wait_time_seconds"):
        if column == f"{measure}_sum":
            return f"sum({measure})"
        if column == f"{measure.removesuffix('_seconds')}_count":
            return f"count({measure})"
    if column.startswith("sentiment_zone_") and column.endswith("_sessions"):
        zone = column.removeprefix("sentiment_zone_").removesuffix("_sessions")
        known = ("very negative", "negative", "slightly negative", "neutral",
                 "slightly positive", "positive", "very positive")
        normalised = "lower(trim(customer_sentiment_zone))"
        if zone == "other":
            listed = ", ".join(f"'{z}'" for z in known)
            return f"count_if(customer_sentiment_zone is not null and {normalised} not in ({listed}))"
        return f"count_if({normalised} = '{zone.replace('_', ' ')}')"
    return None


def bi_query_pair(con: Any, view: str) -> tuple[str, str, list[str]]:
    """The unfiltered aggregate query a BI tool sends to a view, and the same over fct_sessions."""
    columns = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'main' "
        "and table_name = ? order by ordinal_position", [view]).fetchall()]
    group = [c for c in ("closure_reason_code",) if c in columns]
    skipped = []
    view_parts, fct_parts = [], []
    for col in columns:
        if col in GRAIN or col in group or col == "closure_reason_label":
            continue
        expr = _fct_expression(col)
        if expr is None:
            skipped.append(col)  # rates / averages: a BI tool divides the summed parts
            continue
        view_parts.append(f"sum({col}) as {col}")
        fct_parts.append(f"{expr} as {col}")
    select_group = "".join(f"{g}, " for g in group)
    group_by = f" group by {', '.join(group)} order by {', '.join(group)}" if group else ""
    view_sql = f"select {select_group}{', '.join(view_parts)} from main.{view}{group_by}"
    fct_sql = (f"select {select_group}{', '.join(fct_parts)} from main.fct_sessions "
               f"where not is_bot_session{group_by}")
    return view_sql, fct_sql, skipped


def _time_query(con: Any, sql: str, repeat: int) -> tuple[float, list[tuple]]:
    rows = con.execute(sql).fetchall()  # warm-up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        con.execute(sql).fetchall()
        times.append(time.perf_counter() - start)
    return median(times), rows


def _same_rows(a: list[tuple], b: list[tuple]) -> bool:
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        for va, vb in zip(ra, rb):
            if isinstance(va, float) or isinstance(vb, float):
                if abs((va or 0) - (vb or 0)) > 1e-9 * max(abs(va or 0), abs(vb or 0), 1.0):
                    return False
            elif va != vb:
                return False
    return True


def bi_queries(warehouse: Path, repeat: int, memory_limit: str) -> list[dict[str, Any]]:
    """Median time of each metric view's unfiltered aggregate vs the same over fct_sessions."""
    import duckdb

    results = []
    with duckdb.connect(str(warehouse), read_only=True,
                        config={"memory_limit": memory_limit}) as con:
        views = [r[0] for r in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' "
            "and table_type = 'VIEW' and table_name like 'metric_%' order by 1").fetchall()]
        for view in views:
            view_sql, fct_sql, skipped = bi_query_pair(con, view)
            plan = "\n".join(str(r[-1]) for r in con.execute(f"explain {view_sql}").fetchall())
            view_s, view_rows = _time_query(con, view_sql, repeat)
            fct_s, fct_rows = _time_query(con, fct_sql, repeat)
            results.append({
                "view": view,
                "view_ms": view_s * 1000,
                "fct_ms": fct_s * 1000,
                "ratio": view_s / fct_s if fct_s else math.nan,
                "scans_fct_sessions": "fct_sessions" in plan,
                "same_result": _same_rows(view_rows, fct_rows),
                "derived_columns": skipped,
            })
    return results


# ----------------------------------------------------------------------------- dbt parse


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
        m = run_measured("parse_full", dbt_command(["parse", "--no-partial-parse"], ctx.export,
                         target), env=env, log_path=ctx.work / "logs" / f"parse_full_{i}.log")
        full.append(m.wall_s)
        load_full.append(perf_info(target).get("load_all_elapsed", math.nan))
    run_measured("parse_warm", dbt_command(["parse"], ctx.export, target), env=env,
                 log_path=ctx.work / "logs" / "parse_warm.log")
    for i in range(repeat):
        m = run_measured("parse_partial", dbt_command(["parse"], ctx.export, target), env=env,
                         log_path=ctx.work / "logs" / f"parse_partial_{i}.log")
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
            seconds = (dt.datetime.fromisoformat(step["completed_at"].replace("Z", "+00:00"))
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


# ----------------------------------------------------------------------------- incremental


DELTA_SQL = """
set TimeZone = 'UTC';
create temp macro fake_guid(x) as
    substr(md5(x), 1, 8) || '-' || substr(md5(x), 9, 4) || '-' || substr(md5(x), 13, 4) || '-'
    || substr(md5(x), 17, 4) || '-' || substr(md5(x), 21, 12);
create temp macro bucket(x) as hash(x || '/bench-delta') % 10000;
create temp table mark as
select max(v) + 1 as v0, max(t) + interval 1 hour as t0 from (
    {marks}
);
create temp table cur_sessions as
select * from read_parquet('{export}/msdyn_ocsession/*.parquet', union_by_name = true)
qualify row_number() over (
    partition by activityid order by versionnumber desc nulls last, sinkmodifiedon desc nulls last) = 1;
delete from cur_sessions where coalesce(isdelete, false);
create temp table participants as
select * from read_parquet('{export}/msdyn_sessionparticipant/*.parquet', union_by_name = true)
qualify row_number() over (partition by msdyn_sessionparticipantid
    order by versionnumber desc nulls last, sinkmodifiedon desc nulls last) = 1;
delete from participants where coalesce(isdelete, false);
create temp table sentiments as
select * from read_parquet('{export}/msdyn_ocsessionsentiment/*.parquet', union_by_name = true)
qualify row_number() over (partition by msdyn_ocsessionsentimentid
    order by versionnumber desc nulls last, sinkmodifiedon desc nulls last) = 1;
delete from sentiments where coalesce(isdelete, false);

-- 0.1 % tombstones, 0.7 % new versions (open sessions get closed, closed ones close 60 s later),
-- 0.2 % new sessions (clones with new ids of other sessions, with their participants and sentiment).
create temp table session_delta as
select * replace (
    true as isdelete,
    (select v0 from mark) + row_number() over (order by activityid) as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from cur_sessions where bucket(activityid) < 10
union all
select * replace (
    coalesce(msdyn_sessionclosedon + interval 60 second,
             greatest(msdyn_sessioncreatedon, msdyn_agentacceptedon) + interval 15 minute)
        as msdyn_sessionclosedon,
    192350002 as msdyn_state,
    coalesce(msdyn_closurereason, 192350000) as msdyn_closurereason,
    (select v0 from mark) + 1000000000 + row_number() over (order by activityid) as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from cur_sessions where bucket(activityid) between 10 and 79
union all
select * replace (
    fake_guid(activityid || '/new') as activityid,
    msdyn_sessionid || '-n' as msdyn_sessionid,
    (select v0 from mark) + 2000000000 + row_number() over (order by activityid) as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from cur_sessions where bucket(activityid) between 80 and 99;

-- Late rows: a second Primary participant for 0.3 % of sessions, a new sentiment pulse for 0.4 %,
-- and the children of the new sessions.
create temp table participant_delta as
select * replace (
    fake_guid(msdyn_sessionparticipantid || '/late') as msdyn_sessionparticipantid,
    msdyn_joinedon + interval 1 second as msdyn_joinedon,
    30 as msdyn_activetime,
    (select v0 from mark) + 3000000000 + row_number() over (order by msdyn_sessionparticipantid)
        as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from participants
where msdyn_mode = 192350002 and bucket(msdyn_omnichannelsession) between 10 and 39
union all
select * replace (
    fake_guid(msdyn_sessionparticipantid || '/new') as msdyn_sessionparticipantid,
    fake_guid(msdyn_omnichannelsession || '/new') as msdyn_omnichannelsession,
    (select v0 from mark) + 4000000000 + row_number() over (order by msdyn_sessionparticipantid)
        as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from participants where bucket(msdyn_omnichannelsession) between 80 and 99;

create temp table sentiment_delta as
select * replace (
    fake_guid(msdyn_ocsessionsentimentid || '/late') as msdyn_ocsessionsentimentid,
    createdon + interval 1 second as createdon,
    50.0 as msdyn_sentimentpulse,
    'Neutral' as msdyn_sentimentzone,
    (select v0 from mark) + 5000000000 + row_number() over (order by msdyn_ocsessionsentimentid)
        as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from sentiments
where bucket(msdyn_omnichannelsession) between 40 and 79
qualify row_number() over (partition by msdyn_omnichannelsession order by createdon desc nulls last) = 1
union all
select * replace (
    fake_guid(msdyn_ocsessionsentimentid || '/new') as msdyn_ocsessionsentimentid,
    fake_guid(msdyn_omnichannelsession || '/new') as msdyn_omnichannelsession,
    (select v0 from mark) + 6000000000 + row_number() over (order by msdyn_ocsessionsentimentid)
        as versionnumber,
    (select t0 from mark) as sinkmodifiedon)
from sentiments where bucket(msdyn_omnichannelsession) between 80 and 99;

copy session_delta to '{delta}/msdyn_ocsession/part-delta-00001.parquet' (format parquet);
copy participant_delta to '{delta}/msdyn_sessionparticipant/part-delta-00001.parquet' (format parquet);
copy sentiment_delta to '{delta}/msdyn_ocsessionsentiment/part-delta-00001.parquet' (format parquet);
"""

DELTA_TABLES = ("msdyn_ocsession", "msdyn_sessionparticipant", "msdyn_ocsessionsentiment")


def ensure_delta(ctx: Context) -> tuple[Path, dict[str, int]]:
    """The cached 1 % change of the export: one new file per changed table."""
    import duckdb
    import pyarrow.parquet as pq

    delta = ctx.export.parent / "delta"
    stamp = delta / "_COMPLETE"
    if not stamp.exists():
        shutil.rmtree(delta, ignore_errors=True)
        for table in DELTA_TABLES:
            (delta / table).mkdir(parents=True)
        marks = "\nunion all\n".join(
            f"select max(versionnumber) as v, max(sinkmodifiedon) as t "
            f"from read_parquet('{ctx.export}/{t}/*.parquet', union_by_name = true)" for t in TABLES)
        sql = DELTA_SQL.format(export=ctx.export, delta=delta, marks=marks)
        config = {"memory_limit": ctx.memory_limit, "temp_directory": str(ctx.temp_dir),
                  "preserve_insertion_order": False}
        with duckdb.connect(config=config) as con:
            con.execute(sql).fetchall()
        stamp.write_text("ok\n")
    rows = {t: sum(pq.ParquetFile(f).metadata.num_rows for f in (delta / t).glob("*.parquet"))
            for t in DELTA_TABLES}
    return delta, rows


def link_export(source: Path, dest: Path, extra: Path | None = None) -> Path:
    """A folder of symlinks to an export's files (plus a delta's), so the cache stays pristine."""
    shutil.rmtree(dest, ignore_errors=True)
    for table in TABLES:
        (dest / table).mkdir(parents=True)
        for folder in (source, extra):
            if folder is None or not (folder / table).is_dir():
                continue
            for path in (folder / table).glob("*.parquet"):
                (dest / table / path.name).symlink_to(path.resolve())
    return dest


def measure_incremental(ctx: Context, repeat: int) -> dict[str, Any]:
    """Incremental `dbt build` (models) after a 1 % change vs a full build of the changed export."""
    delta, delta_rows = ensure_delta(ctx)
    linked = ctx.work / "inc_export"
    target = ctx.work / "target_inc"
    base_wh = ctx.work / "inc_base.duckdb"
    run_wh = ctx.work / "inc_run.duckdb"
    full_wh = ctx.work / "inc_full.duckdb"
    link_export(ctx.export, linked)
    print("  incremental: full build before the change", flush=True)
    base = run_dbt_build(ctx, "inc_base", base_wh, MODELS_ONLY, export=linked, target=target)
    link_export(ctx.export, linked, delta)
    floor = run_floor(ctx, "inc_floor", export=linked)
    incremental, full = [], []
    for i in range(repeat):
        fresh_warehouse(run_wh)
        shutil.copyfile(base_wh, run_wh)
        print(f"  incremental: run {i + 1}/{repeat}", flush=True)
        incremental.append(run_dbt_build(ctx, "incremental", run_wh, MODELS_ONLY, export=linked,
                                         target=target, fresh=False))
        full.append(run_dbt_build(ctx, "inc_full", full_wh, MODELS_ONLY, export=linked,
                                  target=target))
    return {
        "delta_rows": delta_rows,
        "base": summarise([base]),
        "incremental": summarise(incremental),
        "full": summarise(full),
        "floor": summarise([floor]),
        "agreement": check_agreement({
            "floor": floor.totals,
            "incremental": incremental[-1].totals,
            "inc_full": full[-1].totals,
        }),
        "models_are_incremental": count_incremental_models(target),
    }


def count_incremental_models(target: Path) -> list[str]:
    path = target / "manifest.json"
    if not path.exists():
        return []
    nodes = json.loads(path.read_text())["nodes"].values()
    return sorted(n["name"] for n in nodes
                  if n["resource_type"] == "model" and n["config"].get("materialized") == "incremental")


# ----------------------------------------------------------------------------- orchestration


def summarise(runs: list[Measurement]) -> dict[str, Any]:
    """Median wall time and peak RSS of a contender's runs (failed or killed runs flagged)."""
    ok = [r for r in runs if r.ok]
    return {
        "runs": len(runs),
        "ok_runs": len(ok),
        "wall_s": median(r.wall_s for r in ok) if ok else None,
        "walls_s": [round(r.wall_s, 2) for r in runs],
        "peak_rss": max((r.peak_rss for r in runs), default=0),
        "max_process_rss": max((r.max_process_rss for r in runs), default=0),
        "failures": [r.killed or f"exit code {r.returncode} (log: {r.log})" for r in runs if not r.ok],
        "totals": next((r.totals for r in reversed(runs) if r.totals), None),
    }


def run_contender(ctx: Context, name: str) -> Measurement:
    runners: dict[str, Callable[[], Measurement]] = {
        "floor": lambda: run_floor(ctx),
        "models": lambda: run_dbt_build(ctx, "models", ctx.work / "models.duckdb", MODELS_ONLY,
                                        target=ctx.work / "target_models"),
        "full": lambda: run_dbt_build(ctx, "full", ctx.work / "full.duckdb", [],
                                      target=ctx.work / "target_full"),
        "peer": lambda: run_peer(ctx),
    }
    return runners[name]()


def run_rounds(ctx: Context, contenders: list[str], repeat: int) -> dict[str, list[Measurement]]:
    """Every contender ``repeat`` times, alternating, the order rotated each round."""
    runs: dict[str, list[Measurement]] = {name: [] for name in contenders}
    for round_index in range(repeat):
        shift = round_index % len(contenders)
        order = contenders[shift:] + contenders[:shift]
        for name in order:
            print(f"round {round_index + 1}/{repeat}: {name} ...", end=" ", flush=True)
            m = run_contender(ctx, name)
            runs[name].append(m)
            status = "ok" if m.ok else (m.killed or f"FAILED (exit {m.returncode}, {m.log})")
            print(f"{m.wall_s:.1f} s, peak RSS {m.peak_rss / GIB:.2f} GiB, {status}", flush=True)
            if not m.ok and name == "peer":
                print("  peer failed: not repeated", flush=True)
                break
    return runs


def git_revision() -> str:
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--", "models", "macros", "seeds",
                                "dbt_project.yml", "profiles.yml"], cwd=REPO,
                               capture_output=True, text=True, check=True).stdout.strip()
        return rev + (" + uncommitted model changes" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def machine() -> dict[str, Any]:
    with open("/proc/meminfo") as handle:
        total = int(handle.readline().split()[1]) * 1024
    return {"cpus": os.cpu_count(), "memory_gib": round(total / GIB, 1),
            "python": platform.python_version(), "loadavg": os.getloadavg()}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
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
    skip = set(filter(None, args.skip.split(",")))
    unknown = skip - set(SKIPPABLE)
    if unknown:
        raise SystemExit(f"--skip: unknown {', '.join(sorted(unknown))} (known: {', '.join(SKIPPABLE)})")
    if args.sessions > args.peer_max_sessions and "peer" not in skip:
        print(f"peer skipped above {args.peer_max_sessions:,} sessions (--peer-max-sessions)")
        skip.add("peer")
    export, gen_s = ensure_export(args.sessions, args.seed)
    work = CACHE / str(args.sessions) / "work"
    work.mkdir(parents=True, exist_ok=True)
    memory_limit = os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "3GB")
    rss_cap = args.rss_cap_gib * GIB if args.rss_cap_gib else max(mem_available() - 2 * GIB, GIB)
    ctx = Context(args.sessions, export, work, memory_limit, rss_cap, args.timeout,
                  args.profiles_dir.resolve())
    result: dict[str, Any] = {
        "sessions": args.sessions,
        "seed": args.seed,
        "repeat": args.repeat,
        "date": dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "revision": git_revision(),
        "machine": machine(),
        "memory_limit": memory_limit,
        "rss_cap_gib": round(rss_cap / GIB, 1),
        "generation_s": gen_s,
        "export": export_stats(export),
        "skipped": sorted(skip),
        "profiles_dir": str(ctx.profiles_dir.relative_to(REPO)) if ctx.profiles_dir.is_relative_to(REPO)
        else str(ctx.profiles_dir),
    }
    print(f"export: {export} ({result['export']['bytes'] / MIB:,.0f} MiB); warming the page cache")
    # A warehouse is ~2.1x the export (10M: 4.7 GiB); up to five live at once (models, full,
    # three incremental), plus spill.
    need, free = 15 * result["export"]["bytes"], shutil.disk_usage(work).free
    if free < need:
        print(f"warning: {free / GIB:.0f} GiB free on disk, the runs may need ~{need / GIB:.0f} GiB",
              flush=True)
    warm_page_cache(export)
    if "parse" not in skip:
        print("dbt parse ...", flush=True)
        result["parse"] = measure_parse(ctx, args.repeat)
        print(f"  full {result['parse']['full_s']:.1f} s, partial {result['parse']['partial_s']:.1f} s")
    # Warm the builds' own target folders (partial parsing state), untimed.
    for name in ("models", "full"):
        run_measured("warmup_parse", dbt_command(["parse"], export, work / f"target_{name}"),
                     env=ctx.dbt_env(work / f"{name}.duckdb"), log_path=work / "logs" / "warmup.log")
    contenders = [c for c in CONTENDERS if c not in skip]
    runs = run_rounds(ctx, contenders, args.repeat)
    result["contenders"] = {name: summarise(r) for name, r in runs.items()}
    result["agreement"] = check_agreement({n: s["totals"] for n, s in result["contenders"].items()})
    if "models" in runs:
        result["compile"] = compile_profile(work / "target_models")
    if "full" in runs:
        result["compile_full"] = compile_profile(work / "target_full")
    built = [work / f"{name}.duckdb" for name in ("full", "models")
             if name in runs and runs[name][-1].totals is not None]
    if "bi" not in skip and built:
        print("BI queries ...", flush=True)
        result["bi"] = bi_queries(built[0], max(args.repeat, 5), memory_limit)
    if "incremental" not in skip:
        print("incremental build after a 1 % change ...", flush=True)
        result["incremental"] = measure_incremental(ctx, args.inc_repeat)
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


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command")
    worker = sub.add_parser("floor-worker", help="(internal) run bench/floor.sql once")
    worker.add_argument("--export", type=Path, required=True)
    worker.add_argument("--db", type=Path, required=True)
    worker.add_argument("--out", type=Path, required=True)
    worker.add_argument("--memory-limit", default="3GB")
    worker.add_argument("--temp-directory", default=str(CACHE / "duckdb_tmp"))
    parser.add_argument("--sessions", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="runs per contender (median)")
    parser.add_argument("--inc-repeat", type=int, default=1,
                        help="incremental + full builds after the 1 %% change (median)")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--skip", default="", help=f"comma-separated: {', '.join(SKIPPABLE)}")
    parser.add_argument("--peer-max-sessions", type=int, default=20_000_000,
                        help="skip the pandas peer above this size")
    parser.add_argument("--rss-cap-gib", type=float, default=None,
                        help="kill a run whose process tree exceeds this (default: available - 2 GiB)")
    parser.add_argument("--timeout", type=float, default=None, help="kill a run after this many s")
    parser.add_argument("--render-only", action="store_true",
                        help="rewrite this size's BENCHMARKS.md section from bench/results/<N>.json")
    parser.add_argument("--keep-warehouses", action="store_true",
                        help="keep the warehouse files of the runs (deleted at the end by default)")
    parser.add_argument("--profiles-dir", type=Path, default=REPO,
                        help="folder of the profiles.yml dbt uses (default: the repo's)")
    args = parser.parse_args(argv)
    if args.command is None:
        args.command = "bench"
    return args


# ----------------------------------------------------------------------------- report


def load_results() -> dict[int, dict[str, Any]]:
    found = {}
    for path in RESULTS.glob("*.json"):
        try:
            data = json.loads(path.read_text())
            found[int(data["sessions"])] = data
        except (ValueError, KeyError):
            continue
    return found


def fmt_s(seconds: float | None) -> str:
    if seconds is None or (isinstance(seconds, float) and math.isnan(seconds)):
        return "—"
    if seconds >= 600:
        return f"{seconds / 60:.1f} min"
    return f"{seconds:.1f} s" if seconds >= 10 else f"{seconds:.2f} s"


def fmt_gib(size: int) -> str:
    return f"{size / GIB:.2f} GiB"


def ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a and b else None


def fmt_ratio(value: float | None, suffix: str = "×") -> str:
    return "—" if value is None else f"{value:.2f}{suffix}"


def verdict(value: float | None, limit: float, above: bool = False) -> str:
    if value is None:
        return "not measured"
    met = value >= limit if above else value <= limit
    return "**met**" if met else "**missed**"


def render_section(result: dict[str, Any], all_results: dict[int, dict[str, Any]]) -> str:
    """The BENCHMARKS.md section of one size."""
    n = result["sessions"]
    cont = result["contenders"]
    floor_s = cont.get("floor", {}).get("wall_s")
    lines = [
        f"## {n:,} sessions",
        "",
        f"Measured {result['date']} at {result['revision']}; {result['machine']['cpus']} cores, "
        f"{result['machine']['memory_gib']} GiB, load average at start "
        f"{', '.join(f'{x:.1f}' for x in result['machine']['loadavg'])}. "
        f"`DBT_DUCKDB_MEMORY_LIMIT={result['memory_limit']}`"
        + ("" if result.get("profiles_dir", ".") in (".", "") else
           f", dbt profile from `{result['profiles_dir']}/profiles.yml` (not the repo's)")
        + f". Median of {result['repeat']} "
        f"alternating runs. Export: {result['export']['bytes'] / MIB:,.0f} MiB of Parquet, "
        + ", ".join(f"{t} {v['rows']:,} rows" for t, v in result["export"]["tables"].items()
                    if t in ("msdyn_ocsession", "msdyn_sessionparticipant", "msdyn_ocsessionsentiment"))
        + (f" (generated in {fmt_s(result['generation_s'])})." if result.get("generation_s") else "."),
        "",
        "| run | wall time (median) | all runs (s) | peak RSS (tree) | × floor | metric totals vs floor |",
        "|---|---:|---|---:|---:|---|",
    ]
    for name in CONTENDERS:
        if name not in cont:
            continue
        s = cont[name]
        agreement = result["agreement"].get(name)
        if name == "floor":
            check = "(reference)"
        elif agreement:
            check = "differ: " + "; ".join(agreement[:3])
        else:
            check = "identical"
        wall = fmt_s(s["wall_s"]) if s["wall_s"] else "did not finish: " + "; ".join(s["failures"][:1])
        if s["failures"] and s["wall_s"]:
            wall += f" ({len(s['failures'])} failed: {s['failures'][0]})"
        lines.append(f"| {LABELS[name]} | {wall} | {', '.join(map(str, s['walls_s']))} | "
                     f"{fmt_gib(s['peak_rss'])} | {fmt_ratio(ratio(s['wall_s'], floor_s))} | {check} |")
    lines += ["", *render_targets(result, all_results)]
    if "incremental" in result:
        lines += ["", *render_incremental(result["incremental"])]
    if "bi" in result:
        lines += ["", *render_bi(result["bi"])]
    if "parse" in result or result.get("compile"):
        lines += ["", *render_parse(result.get("parse"), result.get("compile", {}))]
    full = result.get("compile_full")
    if full:
        slow = ", ".join(f"{uid} {s:.1f} s" for uid, s in full["slowest_execute"])
        lines.append(f"In the full build (dbt's elapsed {fmt_s(full['elapsed_s'])}), slowest nodes: {slow}.")
    return "\n".join(lines)


def render_targets(result: dict[str, Any], all_results: dict[int, dict[str, Any]]) -> list[str]:
    cont = result["contenders"]
    wall = {name: s.get("wall_s") for name, s in cont.items()}
    floor_s = wall.get("floor")
    rows = [
        "| target (the issue's, set for 10M) | measured here | |",
        "|---|---:|---|",
    ]
    models_ratio = ratio(wall.get("models"), floor_s)
    full_ratio = ratio(wall.get("full"), floor_s)
    rows.append(f"| model build ≤ 1.3× floor | {fmt_ratio(models_ratio)} | {verdict(models_ratio, 1.3)} |")
    rows.append(f"| full build with tests ≤ 2× floor | {fmt_ratio(full_ratio)} | {verdict(full_ratio, 2.0)} |")
    peak = max((cont[c]["peak_rss"] for c in ("models", "full") if c in cont), default=None)
    rows.append(f"| project peak RSS ≤ 4 GiB | {fmt_gib(peak) if peak else '—'} | "
                f"{verdict(peak / GIB if peak else None, 4.0)} |")
    speedup = ratio(wall.get("peer"), wall.get("models"))
    if "peer" in cont and not wall.get("peer"):
        rows.append(f"| project ≥ 10× faster than the pandas peer | peer did not finish "
                    f"({'; '.join(cont['peer']['failures'][:1])}) | — |")
    elif "peer" in cont:
        rows.append(f"| project ≥ 10× faster than the pandas peer | "
                    f"{fmt_ratio(speedup)} (peer ÷ model build) | {verdict(speedup, 10.0, above=True)} |")
    smaller = result["sessions"] // 10
    if smaller in all_results and "contenders" in all_results[smaller]:
        other = all_results[smaller]["contenders"]
        for name in ("models", "full", "floor"):
            if name in other and wall.get(name) and other[name].get("wall_s"):
                growth = wall[name] / other[name]["wall_s"]
                rows.append(f"| {name}: {result['sessions']:,} takes ≤ 11× {smaller:,} | "
                            f"{fmt_ratio(growth)} | {verdict(growth, 11.0)} |")
    inc = result.get("incremental")
    if inc:
        share = ratio(inc["incremental"]["wall_s"], inc["full"]["wall_s"])
        rows.append(f"| incremental build after a 1 % change ≤ 10 % of a full build | "
                    f"{fmt_ratio(share * 100 if share else None, ' %')} | {verdict(share, 0.10)} |")
    bi = result.get("bi")
    if bi:
        reading = [b["view"] for b in bi if b["scans_fct_sessions"]]
        rows.append(f"| every metric view reads the pre-aggregated table | "
                    f"{len(bi) - len(reading)}/{len(bi)} views | "
                    f"{'**met**' if not reading else '**missed**: ' + ', '.join(reading)} |")
    return rows


def render_incremental(inc: dict[str, Any]) -> list[str]:
    share = ratio(inc["incremental"]["wall_s"], inc["full"]["wall_s"])
    agreement = inc["agreement"]
    check = "; ".join(f"{k}: {'identical' if not v else 'differ: ' + '; '.join(v[:2])}"
                      for k, v in agreement.items())
    models = inc["models_are_incremental"]
    return [
        "**Incremental build after a 1 % change** (`bench/run_bench.py` writes one new file per "
        "changed table next to the cached export: "
        + ", ".join(f"{t} {r:,} rows" for t, r in inc["delta_rows"].items())
        + f"; tombstones, closed sessions, new sessions, late participants and sentiment). "
        f"Incremental models in the project: {', '.join(models) if models else 'none'}.",
        "",
        "| run | wall time (median) | all runs (s) | peak RSS (tree) |",
        "|---|---:|---|---:|",
        *(f"| {LABELS[k]} | {fmt_s(inc[v]['wall_s'])} | {', '.join(map(str, inc[v]['walls_s']))} | "
          f"{fmt_gib(inc[v]['peak_rss'])} |"
          for k, v in (("inc_base", "base"), ("incremental", "incremental"), ("inc_full", "full"),
                       ("inc_floor", "floor"))),
        "",
        f"Incremental ÷ full: {fmt_ratio(share * 100 if share else None, ' %')}. "
        f"Metric totals vs the floor on the changed export: {check}.",
    ]


def render_bi(bi: list[dict[str, Any]]) -> list[str]:
    rows = [
        "**BI queries**: each metric view's unfiltered aggregate (the sum of every additive "
        "column; by closure reason for the closure view), median of 5 warm runs, vs the same "
        "aggregate computed from `fct_sessions`.",
        "",
        "| view | view (ms) | over fct_sessions (ms) | ratio | plan scans fct_sessions | same result |",
        "|---|---:|---:|---:|---|---|",
    ]
    for b in bi:
        rows.append(f"| {b['view']} | {b['view_ms']:.1f} | {b['fct_ms']:.1f} | {b['ratio']:.3f} | "
                    f"{'yes' if b['scans_fct_sessions'] else 'no'} | "
                    f"{'yes' if b['same_result'] else 'NO'} |")
    return rows


def render_parse(parse: dict[str, Any] | None, compile_info: dict[str, Any]) -> list[str]:
    lines = [] if parse is None else [
        f"**dbt overhead**: `dbt parse` {fmt_s(parse['full_s'])} without partial parsing "
        f"(dbt's own load_all {fmt_s(parse['full_load_all_s'])}), {fmt_s(parse['partial_s'])} "
        f"with it (load_all {fmt_s(parse['partial_load_all_s'])}); starting Python and importing "
        f"dbt alone takes {fmt_s(parse['python_startup_s'])}.",
    ]
    if compile_info:
        slow = ", ".join(f"{uid} {s:.2f} s" for uid, s in compile_info["slowest_compile"])
        slow_exec = ", ".join(f"{uid} {s:.1f} s" for uid, s in compile_info["slowest_execute"])
        lines.append(
            f"In the model build (dbt's elapsed {fmt_s(compile_info['elapsed_s'])}), compiling "
            f"the nodes took {fmt_s(compile_info['compile_total_s'])} in all; slowest to compile: "
            f"{slow}. Slowest to run: {slow_exec}.")
    return lines


START = "<!-- bench:{n} start -->"
END = "<!-- bench:{n} end -->"
HEADER = """# Benchmarks

Written by `make bench` (`bench/run_bench.py`); each size's section is replaced when that size
is re-run. How to run and what is measured: README.md (`make bench`) and the docstring of
`bench/run_bench.py`.
"""


def write_benchmarks(sessions: int, section: str) -> None:
    """Insert or replace the section of one size in BENCHMARKS.md (sizes in increasing order)."""
    text = BENCHMARKS_MD.read_text() if BENCHMARKS_MD.exists() else HEADER
    start, end = START.format(n=sessions), END.format(n=sessions)
    block = f"{start}\n{section}\n{end}"
    if start in text and end in text:
        before, rest = text.split(start, 1)
        text = before + block + rest.split(end, 1)[1]
    else:
        # Before the first section of a larger size, else at the end.
        position = len(text)
        for match in re.finditer(r"<!-- bench:(\d+) start -->", text):
            if int(match.group(1)) > sessions:
                position = match.start()
                break
        text = text[:position].rstrip("\n") + "\n\n" + block + "\n\n" + text[position:].lstrip("\n")
    BENCHMARKS_MD.write_text(text.rstrip("\n") + "\n")


if __name__ == "__main__":
    raise SystemExit(main())
