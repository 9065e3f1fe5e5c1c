"""Where the benchmark reads and writes, and what it runs: contenders, their labels, what can be skipped."""

from __future__ import annotations

from omnichannel_tools.paths import REPO_ROOT, SEEDS_DIR

REPO = REPO_ROOT
BENCH = REPO / "bench"
CACHE = BENCH / "cache"
RESULTS = BENCH / "results"
FLOOR_SQL = BENCH / "floor.sql"
BENCHMARKS_MD = REPO / "BENCHMARKS.md"
SEEDS = SEEDS_DIR
GIB = 1024**3
MIB = 1024**2

SUM_TOLERANCE = 1e-9
CONTENDERS = ("floor", "models", "full", "peer", "polars")
LABELS = {
    "floor": "floor: hand-written DuckDB SQL (bench/floor.sql)",
    "models": "project: `dbt build`, seeds + models, no tests",
    "full": "project: `dbt build`, with all tests",
    "peer": "peer: pandas (omnichannel_tools.reference)",
    "polars": "peer: Polars, one lazy query (omnichannel_tools.polars_peer)",
    "inc_base": "project: `dbt build` models, before the change (fresh)",
    "incremental": "project: `dbt build` models, incremental after a {change} change",
    "inc_unchanged": "project: `dbt build` models, incremental after no change",
    "inc_full": "project: `dbt build` models, full on the changed export (fresh)",
    "inc_floor": "floor on the changed export",
}
SKIPPABLE = ("floor", "models", "full", "peer", "incremental", "bi", "parse", "polars")
MODELS_ONLY = ["--exclude-resource-type", "test", "--exclude-resource-type", "unit_test"]
GRAIN = ("session_date", "queue_id", "channel_code", "agent_id")
