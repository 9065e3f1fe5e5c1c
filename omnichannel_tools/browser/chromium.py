"""Find and start headless Chromium with a DevTools port chosen by the browser itself."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

CANDIDATES = ("chromium", "chromium-browser", "google-chrome")


def chromium_executable() -> str | None:
    """CHROMIUM if set, else the first Chromium on PATH (Debian's package installs /usr/bin/chromium)."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return configured
    return next((found for name in CANDIDATES if (found := shutil.which(name))), None)


@contextlib.contextmanager
def headless_chromium(width: int = 1600, height: int = 1200, timeout: float = 30.0) -> Iterator[str]:
    """Start Chromium headless; yield the browser's DevTools WebSocket URL; stop it on exit."""
    executable = chromium_executable()
    if executable is None:
        raise FileNotFoundError("No Chromium found: `make test-browser` installs Debian's chromium package.")
    with tempfile.TemporaryDirectory(prefix="chromium-") as profile:
        command = [
            executable,
            "--headless=new",
            "--no-sandbox",  # CI runs as root
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--no-first-run",
            "--remote-debugging-address=127.0.0.1",
            "--remote-debugging-port=0",
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            "about:blank",
        ]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            yield _devtools_url(Path(profile) / "DevToolsActivePort", process, timeout)
        finally:
            stop(process)


def stop(process: subprocess.Popen, grace: float = 10.0) -> None:
    """Terminate a process we started; kill it if it has not exited after `grace` seconds."""
    process.terminate()
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _devtools_url(port_file: Path, process: subprocess.Popen[bytes], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode(errors="replace") if process.stderr else ""
            raise RuntimeError(f"Chromium exited with {process.returncode}: {error[-2000:]}")
        if port_file.exists():
            lines = port_file.read_text().splitlines()
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        time.sleep(0.1)
    raise TimeoutError(f"Chromium did not open its DevTools port within {timeout} s")
