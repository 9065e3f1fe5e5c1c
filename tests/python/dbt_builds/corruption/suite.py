"""The suite's builds: one dbt build per corrupted export, two at a time, and the pristine baseline."""

from __future__ import annotations

import time
import uuid
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from omnichannel_tools.catalogue import session_grain_views
from omnichannel_tools.dbt_runner import DbtResult, run_dbt

from .expected_states import CURRENT
from .export_files import TABLE_KEYS, norm_guid

SESSIONS = 600
SEED = 11
BUILD = ["build", "--exclude", "test_type:unit"]
OCS, PART, CONV, SENT, USER, QUEUE = (
    "msdyn_ocsession",
    "msdyn_sessionparticipant",
    "msdyn_ocliveworkitem",
    "msdyn_ocsessionsentiment",
    "systemuser",
    "queue",
)
METRIC_VIEWS = session_grain_views()  # the views at GRAIN
MARTS = [
    "fct_sessions",
    "fct_conversations",
    "dim_agents",
    "dim_queues",
    "dim_channels",
    "dim_closure_reasons",
    *METRIC_VIEWS,
]
GRAIN = ("session_date", "queue_id", "channel_code", "agent_id")
PRIMARY = 192350002


def new_guid(n: int) -> str:
    """A fixed GUID no generated export holds (the generator's GUIDs are random v4)."""
    return str(uuid.UUID(int=(0xC0FFEE << 96) + n))


def braced_upper(guid: str) -> str:
    return "{" + guid.upper() + "}"


# --------------------------------------------------------------------------- builds
@dataclass
class Build:
    """One dbt build of one export, with what the corruptions declared about it."""

    name: str
    export: Path
    fmt: str
    warehouse: Path
    future: Future | None = None
    audit_delta: Counter = field(default_factory=Counter)
    touched: set[str] = field(default_factory=set)  # sessions whose fct row may differ
    added: set[str] = field(default_factory=set)  # sessions the baseline lacks
    facts: dict[str, object] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def result(self) -> DbtResult:
        assert self.future is not None
        return self.future.result()

    def succeeded(self) -> None:
        assert self.result.ok, f"build {self.name} failed:\n{self.result.output[-6000:]}"


class Suite:
    """The shared work: exports, the baseline, the corrupted builds (two dbt processes at a time)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.pool = ThreadPoolExecutor(max_workers=2)
        self.builds: dict[str, Build] = {}
        self.started = time.monotonic()

    def submit(self, build: Build, extra_vars: dict[str, object] | None = None) -> Build:
        folder = self.root / "builds" / build.name
        folder.mkdir(parents=True, exist_ok=True)
        build.warehouse = folder / "warehouse.duckdb"

        def run() -> DbtResult:
            start = time.monotonic()
            result = run_dbt(
                BUILD,
                warehouse=build.warehouse,
                export_path=build.export,
                export_format=build.fmt,
                extra_vars=extra_vars,
                target_path=folder / "target",
            )
            build.seconds = time.monotonic() - start
            return result

        build.future = self.pool.submit(run)
        self.builds[build.name] = build
        return build


@dataclass
class Baseline:
    parquet: Path
    csv: Path
    build: Build
    audit: Counter  # what the pristine files imply
    states: dict[str, list[tuple[dict[str, object], str, str | None]]]
    fct_columns: list[str] = field(default_factory=list)
    fct: dict[str, tuple] = field(default_factory=dict)
    marts: dict[str, list[tuple]] = field(default_factory=dict)

    @property
    def warehouse(self) -> Path:
        return self.build.warehouse

    def session(self, session_id: str) -> dict[str, object]:
        return dict(zip(self.fct_columns, self.fct[session_id], strict=True))

    def current_rows(self, table: str) -> dict[str, dict[str, object]]:
        key = TABLE_KEYS[table]
        return {norm_guid(r[key]): r for r, s, _ in self.states[table] if s == CURRENT}

    def count(self, table: str, state: str, reason: str | None = None) -> int:
        return self.audit[(table, state, reason)]
