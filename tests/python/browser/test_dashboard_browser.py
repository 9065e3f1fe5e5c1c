"""The running dashboard in headless Chromium: it renders, shows no error, and its headline equals the views'."""

from __future__ import annotations

import time
from pathlib import Path

import duckdb

from omnichannel_tools.browser.devtools import Page
from tests.python.browser.conftest import WIDTH
from tests.python.dashboard_support import expected_text, headline_values

RENDERED = (
    "document.querySelectorAll('[data-testid=\"stMetricValue\"]').length >= 16"
    " && document.querySelectorAll('[data-testid=\"stVegaLiteChart\"]').length >= 2"
    " && !document.querySelector('[data-testid=\"stStatusWidget\"]')"
)
ERRORS = (
    'Array.from(document.querySelectorAll(\'[data-testid="stException"], [data-testid="stAlertContentError"],'
    ' [data-testid="stAlertContentWarning"]\')).map(e => e.innerText)'
)
HEADLINE = (
    "Array.from(document.querySelectorAll('[data-testid=\"stMetric\"]')).map(m =>"
    " [m.querySelector('[data-testid=\"stMetricLabel\"]').innerText.trim(),"
    " m.querySelector('[data-testid=\"stMetricValue\"]').innerText.trim()])"
)


def test_dashboard_renders_the_views_figures(
    page: Page, dashboard_url: str, views: duckdb.DuckDBPyConnection, artifacts: Path
) -> None:
    started = time.monotonic()
    page.goto(dashboard_url)
    page.wait_for(RENDERED, timeout=90)
    rendered_after = time.monotonic() - started
    time.sleep(1.5)  # charts finish drawing
    assert page.evaluate(ERRORS) == []
    shown = dict(page.evaluate(HEADLINE))
    expected = {label: expected_text(unit, value) for label, (unit, value) in headline_values(views, "").items()}
    assert {label: shown.get(label) for label in expected} == expected
    assert "reporting time zone UTC" in page.evaluate("document.body.innerText")
    height = page.evaluate("document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.command(
        "Emulation.setDeviceMetricsOverride",
        {"width": WIDTH, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    time.sleep(1.5)
    shot = page.screenshot(artifacts / "dashboard.png", full_page=False)
    assert shot.stat().st_size > 50_000, "a rendered page, not a blank one"
    print(f"dashboard rendered in {rendered_after:.1f} s; screenshot {shot}")
