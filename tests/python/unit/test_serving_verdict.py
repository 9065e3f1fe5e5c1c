"""The publish gate: which dbt builds are green, read from run_results.json and manifest.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from omnichannel_tools.serving.publish import NotPublishedError, served_models
from omnichannel_tools.serving.verdict import build_verdict

P = "omnichannel_analytics"


def _node(kind: str, name: str, folder: str, materialized: str = "table", reads: tuple[str, ...] = ()) -> dict:
    return {
        "resource_type": kind,
        "package_name": P,
        "name": name,
        "schema": "main",
        "alias": name,
        "fqn": [P, folder, name],
        "config": {"materialized": materialized},
        "depends_on": {"nodes": [f"model.{P}.{r}" for r in reads]},
    }


MANIFEST = {
    "nodes": {
        f"seed.{P}.dataverse_channels": _node("seed", "dataverse_channels", "dataverse_channels"),
        f"model.{P}.stg_sessions": _node("model", "stg_sessions", "staging", "view"),
        f"model.{P}.fct_daily": _node("model", "fct_daily", "marts", reads=("stg_sessions",)),
        f"model.{P}.metric_total": _node("model", "metric_total", "marts", "view", reads=("fct_daily",)),
    }
}
GREEN = [
    (f"seed.{P}.dataverse_channels", "success"),
    (f"model.{P}.stg_sessions", "success"),
    (f"model.{P}.fct_daily", "success"),
    (f"model.{P}.metric_total", "success"),
    (f"test.{P}.unique_fct_daily_key.1", "pass"),
    (f"test.{P}.orphan_queue.2", "warn"),
    (f"unit_test.{P}.fct_daily.counts", "pass"),
]


def _artifacts(tmp_path: Path, results: list[tuple[str, str]], which: str = "build") -> Path:
    run_results = {
        "args": {"which": which},
        "results": [{"unique_id": u, "status": s, "message": f"{s} message"} for u, s in results],
    }
    (tmp_path / "run_results.json").write_text(json.dumps(run_results))
    (tmp_path / "manifest.json").write_text(json.dumps(MANIFEST))
    return tmp_path


def test_a_build_whose_tests_pass_or_warn_is_green(tmp_path: Path) -> None:
    verdict = build_verdict(_artifacts(tmp_path, GREEN))
    assert verdict.green and verdict.reasons == []
    assert verdict.warnings == [f"test.{P}.orphan_queue.2 warned: warn message"]


@pytest.mark.parametrize(
    ("unique_id", "status"),
    [
        (f"test.{P}.unique_fct_daily_key.1", "fail"),
        (f"test.{P}.unique_fct_daily_key.1", "error"),
        (f"test.{P}.unique_fct_daily_key.1", "skipped"),
        (f"unit_test.{P}.fct_daily.counts", "fail"),
        (f"model.{P}.fct_daily", "error"),
        (f"model.{P}.metric_total", "skipped"),
        (f"seed.{P}.dataverse_channels", "error"),
    ],
)
def test_one_failure_is_not_green_and_is_named(tmp_path: Path, unique_id: str, status: str) -> None:
    results = [(u, status if u == unique_id else s) for u, s in GREEN]
    verdict = build_verdict(_artifacts(tmp_path, results))
    assert not verdict.green
    assert len(verdict.reasons) == 1 and unique_id in verdict.reasons[0] and status in verdict.reasons[0]


def test_a_model_left_out_of_the_build_is_not_green(tmp_path: Path) -> None:
    results = [(u, s) for u, s in GREEN if not u.endswith("metric_total")]
    verdict = build_verdict(_artifacts(tmp_path, results))
    assert verdict.reasons == [f"model model.{P}.metric_total was not built by the last `dbt build`"]


def test_only_a_build_can_be_published(tmp_path: Path) -> None:
    assert not build_verdict(_artifacts(tmp_path, GREEN, which="run")).green
    assert "not found" in build_verdict(tmp_path / "nowhere").reasons[0]


def test_the_served_models_are_the_marts_tables_first() -> None:
    models = served_models(MANIFEST)
    assert [(m.name, m.is_view, m.depends_on) for m in models] == [
        ("fct_daily", False, ()),
        ("metric_total", True, ("fct_daily",)),
    ]


def test_a_served_view_reading_outside_the_marts_is_refused() -> None:
    manifest = json.loads(json.dumps(MANIFEST))
    manifest["nodes"][f"model.{P}.metric_total"]["depends_on"]["nodes"].append(f"model.{P}.stg_sessions")
    with pytest.raises(NotPublishedError, match="metric_total reads model.omnichannel_analytics.stg_sessions"):
        served_models(manifest)
