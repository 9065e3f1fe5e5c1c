"""Markers by folder: unit/ (fast, no dbt build), dbt_builds/ (marker build: runs dbt builds), spark/ (make
test-spark only), postgres/ (make test-postgres only), browser/ (headless Chromium: make test-browser only),
metricflow/ (make test-metricflow only).

`make test-fast` runs `pytest -m unit`; `make test` runs every test but the Spark, PostgreSQL, browser and
MetricFlow ones (pyproject.toml).
"""

from __future__ import annotations

from pathlib import Path

import pytest

FOLDER_MARKERS = {
    "unit": "unit",
    "dbt_builds": "build",
    "spark": "spark",
    "postgres": "postgres",
    "browser": "browser",
    "metricflow": "metricflow",
}
TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)  # before -m selects by marker
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        folder = item.path.resolve().relative_to(TESTS).parts[0]
        if folder not in FOLDER_MARKERS:
            raise pytest.UsageError(f"{item.nodeid}: a test belongs in one of {', '.join(FOLDER_MARKERS)}/")
        item.add_marker(FOLDER_MARKERS[folder])
