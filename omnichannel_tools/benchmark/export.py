"""The benchmark's export: generated once per size and cached, its statistics, linked copies."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from omnichannel_tools.benchmark.settings import CACHE, MIB, REPO
from omnichannel_tools.generator import TABLES


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
        [
            sys.executable,
            "-m",
            "omnichannel_tools.generator",
            "--out",
            str(root),
            "--sessions",
            str(sessions),
            "--seed",
            str(seed),
            "--format",
            "parquet",
        ],
        cwd=REPO,
        check=True,
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
