"""Timing a command and the peak resident set of its whole process tree; summaries of repeated runs."""

from __future__ import annotations

import contextlib
import math
import os
import signal
import statistics
import subprocess
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from omnichannel_tools.benchmark.settings import GIB, REPO

PAGE = os.sysconf("SC_PAGE_SIZE")
SAMPLE_PERIOD_S = 0.05


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
        proc = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=err, start_new_session=True)
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
                    with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
                        os.killpg(proc.pid, signal.SIGKILL)
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
