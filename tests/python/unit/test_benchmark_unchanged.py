"""The benchmark's incremental build after no change: the fixed cost under any incremental run,
reported next to the incremental build after a change."""

from __future__ import annotations

from omnichannel_tools.benchmark.report import render_incremental
from omnichannel_tools.benchmark.settings import GIB


def _inc(**extra: object) -> dict:
    def run(seconds: float) -> dict:
        return {"wall_s": seconds, "walls_s": [seconds], "peak_rss": GIB}

    return {
        "change_share": 0.001,
        "agreement": {"incremental": [], "inc_full": []},
        "models_are_incremental": ["fct_sessions"],
        "delta_rows": {"msdyn_ocsession": 10},
        "base": run(300.0),
        "incremental": run(50.0),
        "full": run(250.0),
        "floor": run(60.0),
        **extra,
    }


def test_the_no_change_run_is_a_row_and_a_share_of_the_full_build() -> None:
    text = "\n".join(
        render_incremental(
            _inc(
                unchanged={"wall_s": 37.5, "walls_s": [37.5], "peak_rss": GIB},
                unchanged_agreement={"unchanged": []},
            )
        )
    )
    assert "| project: `dbt build` models, incremental after no change | 37.5 s | 37.5 | 1.00 GiB |" in text
    assert "Incremental after no change ÷ full: 15.00 %" in text
    assert "Its metric totals vs the build before the change: identical." in text


def test_a_no_change_run_whose_totals_moved_says_so() -> None:
    text = "\n".join(
        render_incremental(
            _inc(
                unchanged={"wall_s": 37.5, "walls_s": [37.5], "peak_rss": GIB},
                unchanged_agreement={"unchanged": ["total_sessions: 10 vs 9"]},
            )
        )
    )
    assert "Its metric totals vs the build before the change: differ: total_sessions: 10 vs 9." in text


def test_results_written_before_the_no_change_run_render_as_before() -> None:
    text = "\n".join(render_incremental(_inc()))
    assert "after no change" not in text
    assert "| project: `dbt build` models, incremental after a 0.1 % change | 50.0 s |" in text
