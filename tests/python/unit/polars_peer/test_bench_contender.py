"""The Polars peer is a contender of the benchmark: run like the pandas peer, reported against the model build."""

from __future__ import annotations

from omnichannel_tools.benchmark.report import render_targets
from omnichannel_tools.benchmark.settings import CONTENDERS, LABELS, SKIPPABLE


def _contenders(**walls: float) -> dict:
    return {name: {"wall_s": wall, "peak_rss": 2**30, "failures": []} for name, wall in walls.items()}


def test_polars_is_a_skippable_contender_with_a_label() -> None:
    assert "polars" in CONTENDERS and "polars" in SKIPPABLE
    assert "Polars" in LABELS["polars"]


def test_the_report_compares_the_model_build_with_the_polars_peer() -> None:
    slower = render_targets({"sessions": 1000, "contenders": _contenders(floor=1.0, models=4.0, polars=2.0)}, {})
    faster = render_targets({"sessions": 1000, "contenders": _contenders(floor=1.0, models=2.0, polars=3.0)}, {})
    assert "| model build faster than the Polars peer | 0.50× (Polars ÷ model build) | **missed** |" in slower
    assert "| model build faster than the Polars peer | 1.50× (Polars ÷ model build) | **met** |" in faster
    without = render_targets({"sessions": 1000, "contenders": _contenders(floor=1.0, models=2.0)}, {})
    assert not any("Polars" in row for row in without)
