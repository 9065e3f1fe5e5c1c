"""The static docs site (`make docs`) in headless Chromium: a metric view's page and lineage, the exposure page."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from omnichannel_tools.browser.devtools import Page
from omnichannel_tools.paths import REPO_ROOT

SITE = REPO_ROOT / "target" / "static_index.html"
PROJECT = "omnichannel_analytics"
GRAPH_NODES = (
    "(function () {"
    " var scope = angular.element(document.querySelector('.launcher-embed').firstElementChild).scope();"
    " return scope.graph.elements.filter(e => e.group === 'nodes' || !e.data.source).map(e => e.data.id); })()"
)


@pytest.fixture(scope="module")
def site() -> str:
    assert SITE.exists(), "run `make docs` first (make test-browser does)"
    return SITE.as_uri()


def open_node(page: Page, site: str, unique_id: str, text: str) -> str:
    resource = unique_id.split(".")[0]
    page.goto(f"{site}#!/{resource}/{unique_id}")
    page.wait_for(f"!!document.body && document.body.innerText.includes({text!r})", timeout=60)
    return page.evaluate("document.body.innerText")


def test_metric_view_page_and_lineage(page: Page, site: str, artifacts: Path) -> None:
    view = f"model.{PROJECT}.metric_session_transfer_rate"
    body = open_node(page, site, view, "session_transfer_rate")
    assert "Session transfer rate: transferred sessions over handled" in body
    assert "ACCESS\npublic" in body
    assert "CONTRACT\nEnforced" in body
    page.evaluate("document.querySelector('[ng-click=\"onLauncherClick()\"]').click()")
    nodes = page.wait_for(
        f"(function () {{ try {{ return {GRAPH_NODES}; }} catch (e) {{ return null; }} }})()", timeout=30
    )
    assert view in nodes
    assert f"model.{PROJECT}.fct_session_metrics_daily" in nodes
    assert f"exposure.{PROJECT}.omnichannel_sessions_dashboard" in nodes
    assert f"exposure.{PROJECT}.bi_tools" in nodes
    assert page.evaluate("document.querySelectorAll('.launcher canvas').length") > 0
    time.sleep(1)
    page.screenshot(artifacts / "docs_lineage.png", full_page=False)


def test_exposure_page(page: Page, site: str, artifacts: Path) -> None:
    body = open_node(
        page, site, f"exposure.{PROJECT}.omnichannel_sessions_dashboard", "Omnichannel analytics maintainers"
    )
    assert "Omnichannel sessions dashboard" in body
    assert "MATURITY\nmedium" in body
    depends_on = page.evaluate("document.querySelector('#depends_on').parentElement.innerText").splitlines()
    expected = {
        "dim_agents",
        "dim_channels",
        "dim_queues",
        "dataverse_load_audit",
        "dataverse_data_faults",
        "metric_total_sessions",
        "metric_session_transfer_rate",
        "metric_session_closure_reasons",
        "metric_customer_sentiment",
    }
    assert expected <= set(depends_on)
    assert "fct_sessions" not in depends_on, "the dashboard reads no fact table"
    page.screenshot(artifacts / "docs_exposure.png", full_page=False)
