"""Browser tests (marker browser, `make test-browser`): the running dashboard and the docs site in headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from omnichannel_tools.browser.chromium import headless_chromium, stop
from omnichannel_tools.browser.devtools import Page
from omnichannel_tools.paths import REPO_ROOT
from tests.python.dashboard_support import dashboard_database_path
from tests.python.dbt_builds.conftest import built_project, built_warehouse  # noqa: F401  (fixtures)

WIDTH, HEIGHT = 1600, 1000


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Where the screenshots go: OMNICHANNEL_TEST_ARTIFACTS, else target/test-artifacts."""
    folder = Path(os.environ.get("OMNICHANNEL_TEST_ARTIFACTS", REPO_ROOT / "target" / "test-artifacts"))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def dashboard_database(built_warehouse: Path) -> Path:  # noqa: F811
    return dashboard_database_path(built_warehouse)


@pytest.fixture(scope="session")
def views(dashboard_database: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(dashboard_database), read_only=True)
    yield con
    con.close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="session")
def dashboard_url(dashboard_database: Path) -> Iterator[str]:
    """The dashboard served as `make dashboard` serves it, on a free local port."""
    port = _free_port()
    env = {**os.environ, "DBT_DUCKDB_SERVING_PATH": str(dashboard_database), "DASHBOARD_ENGINE": "duckdb"}
    server = subprocess.Popen(
        [sys.executable, "-m", "omnichannel_tools.dashboard", "--address", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if server.poll() is not None:
                raise RuntimeError(f"the dashboard exited: {server.stdout.read() if server.stdout else ''}")
            with socket.socket() as probe:
                if probe.connect_ex(("127.0.0.1", port)) == 0:
                    break
            time.sleep(0.2)
        else:
            raise TimeoutError("the dashboard did not listen within 60 s")
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop(server)


@pytest.fixture(scope="session")
def browser() -> Iterator[str]:
    with headless_chromium(WIDTH, HEIGHT) as url:
        yield url


@pytest.fixture
def page(browser: str) -> Iterator[Page]:
    with Page(browser, WIDTH, HEIGHT) as tab:
        yield tab
