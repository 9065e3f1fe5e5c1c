"""The contenders: the project's dbt builds, the floor (bench/floor.sql) and the peer (pandas), in rounds."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from omnichannel_tools.benchmark.measure import Measurement, run_measured
from omnichannel_tools.benchmark.settings import FLOOR_SQL, GIB, MODELS_ONLY, REPO, SEEDS
from omnichannel_tools.dbt_runner import dbt_executable
from omnichannel_tools.reference import PART_COLUMNS


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
        """DuckDB's spill folder (the floor's too)."""
        return self.work / "duckdb_tmp"

    def dbt_env(self, warehouse: Path) -> dict[str, str]:
        """The environment of a dbt run into ``warehouse`` (the profile reads these variables)."""
        return {
            **os.environ,
            "DBT_PROFILES_DIR": str(self.profiles_dir),
            "DBT_TARGET": "duckdb",
            "DBT_DUCKDB_PATH": str(warehouse),
            "DBT_DUCKDB_MEMORY_LIMIT": self.memory_limit,
            "DBT_DUCKDB_TEMP_DIRECTORY": str(self.temp_dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
        }


def dbt_command(args: list[str], export: Path, target: Path) -> list[str]:
    """A dbt command line on a Parquet export, with its own target and log folders."""
    variables = {"dataverse_path": str(export), "dataverse_format": "parquet"}
    return [
        dbt_executable(),
        *args,
        "--vars",
        json.dumps(variables),
        "--target-path",
        str(target),
        "--log-path",
        str(target / "logs"),
    ]


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
    return {c: float(v or 0) for c, v in zip(PART_COLUMNS, row, strict=True)}


def run_dbt_build(
    ctx: Context,
    name: str,
    warehouse: Path,
    args: list[str],
    export: Path | None = None,
    target: Path | None = None,
    fresh: bool = True,
) -> Measurement:
    """Time one ``dbt build`` and read the project's metric totals after it."""
    if fresh:
        fresh_warehouse(warehouse)
    export = export or ctx.export
    target = target or ctx.work / "target"
    m = run_measured(
        name,
        dbt_command(["build", *args], export, target),
        env=ctx.dbt_env(warehouse),
        log_path=ctx.work / "logs" / f"{name}.log",
        rss_cap=ctx.rss_cap,
        timeout_s=ctx.timeout_s,
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
    command = [
        sys.executable,
        "-m",
        "omnichannel_tools.benchmark",
        "floor-worker",
        "--export",
        str(export or ctx.export),
        "--db",
        str(db),
        "--out",
        str(out),
        "--memory-limit",
        ctx.memory_limit,
        "--temp-directory",
        str(ctx.temp_dir),
    ]
    m = run_measured(
        name, command, log_path=ctx.work / "logs" / f"{name}.log", rss_cap=ctx.rss_cap, timeout_s=ctx.timeout_s
    )
    if m.ok and out.exists():
        m.totals = json.loads(out.read_text())
    return m


def floor_worker(export: Path, db: Path, out: Path, memory_limit: str, temp_directory: str) -> None:
    """Child process of run_floor: run the script, write the totals it selects last."""
    import duckdb

    sql = FLOOR_SQL.read_text().replace("__EXPORT__", str(export)).replace("__SEEDS__", str(SEEDS))
    config = {"memory_limit": memory_limit, "temp_directory": temp_directory, "preserve_insertion_order": False}
    with duckdb.connect(str(db), config=config) as con:
        result = con.execute(sql)
        row = result.fetchone()
        names = [d[0] for d in result.description]
        result.fetchall()
    out.write_text(json.dumps({n: float(v or 0) for n, v in zip(names, row, strict=True)}))


def _run_json_peer(ctx: Context, name: str, module: str) -> Measurement:
    """Time a peer whose command line prints the metric totals as JSON."""
    command = [sys.executable, "-m", module, "--export", str(ctx.export)]
    log = ctx.work / "logs" / f"{name}.log"
    m = run_measured(name, command, log_path=log, rss_cap=ctx.rss_cap, timeout_s=ctx.timeout_s)
    if m.ok:
        m.totals = {k: float(v) for k, v in json.loads(log.read_text()).items()}
    return m


def run_peer(ctx: Context) -> Measurement:
    """Time the pandas reference."""
    return _run_json_peer(ctx, "peer", "omnichannel_tools.reference")


def run_polars(ctx: Context) -> Measurement:
    """Time the Polars peer."""
    return _run_json_peer(ctx, "polars", "omnichannel_tools.polars_peer")


def run_contender(ctx: Context, name: str) -> Measurement:
    """One timed run of one contender."""
    runners: dict[str, Callable[[], Measurement]] = {
        "floor": lambda: run_floor(ctx),
        "models": lambda: run_dbt_build(
            ctx, "models", ctx.work / "models.duckdb", MODELS_ONLY, target=ctx.work / "target_models"
        ),
        "full": lambda: run_dbt_build(ctx, "full", ctx.work / "full.duckdb", [], target=ctx.work / "target_full"),
        "peer": lambda: run_peer(ctx),
        "polars": lambda: run_polars(ctx),
    }
    return runners[name]()


def run_rounds(ctx: Context, contenders: list[str], repeat: int) -> dict[str, list[Measurement]]:
    """Every contender ``repeat`` times, alternating, the order rotated each round."""
    runs: dict[str, list[Measurement]] = {name: [] for name in contenders}
    if not contenders:  # every contender skipped (e.g. only the incremental step is wanted)
        return runs
    for round_index in range(repeat):
        shift = round_index % len(contenders)
        order = contenders[shift:] + contenders[:shift]
        for name in order:
            print(f"round {round_index + 1}/{repeat}: {name} ...", end=" ", flush=True)
            m = run_contender(ctx, name)
            runs[name].append(m)
            status = "ok" if m.ok else (m.killed or f"FAILED (exit {m.returncode}, {m.log})")
            print(f"{m.wall_s:.1f} s, peak RSS {m.peak_rss / GIB:.2f} GiB, {status}", flush=True)
            if not m.ok and name in ("peer", "polars"):
                print(f"  {name} failed: not repeated", flush=True)
                break
    return runs
