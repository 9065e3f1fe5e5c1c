"""The benchmark's change share (--change-share): the share of sessions its incremental measurement
changes, as bucket thresholds of the change SQL."""

from __future__ import annotations

import pytest

from omnichannel_tools.benchmark.contenders import run_rounds
from omnichannel_tools.benchmark.incremental import bucket_bounds
from omnichannel_tools.benchmark.report import change_label, render_incremental, render_targets
from omnichannel_tools.benchmark.settings import GIB, MIB


def test_the_default_share_keeps_the_one_percent_change() -> None:
    assert bucket_bounds(0.01) == {"b10": 10, "b40": 40, "b80": 80, "b100": 100}


def test_a_tenth_of_a_percent_scales_every_part_of_the_change() -> None:
    assert bucket_bounds(0.001) == {"b10": 1, "b40": 4, "b80": 8, "b100": 10}


@pytest.mark.parametrize("share", [0.0, 0.0005, 0.6])
def test_a_share_the_buckets_cannot_express_is_refused(share: float) -> None:
    with pytest.raises(ValueError, match="change-share"):
        bucket_bounds(share)


def test_the_report_names_the_share_and_older_results_read_as_one_percent() -> None:
    assert change_label({"change_share": 0.001}) == "0.1 %"
    assert change_label({}) == "1 %"


def _result(**extra: object) -> dict:
    walls = {"floor": 10.0, "models": 12.0, "full": 17.0, "peer": 20.0}
    contenders = {n: {"wall_s": w, "peak_rss": 2 * GIB if n == "peer" else GIB // 4} for n, w in walls.items()}
    return {"sessions": 1000, "contenders": contenders, "export": {"bytes": 100 * MIB}, **extra}


def test_the_targets_are_the_issues() -> None:
    rows = "\n".join(render_targets(_result(storage={"warehouse_bytes": 150 * MIB}), {}))
    assert "| model build ≤ 1.3× floor | 1.20× | **met** |" in rows
    assert "| full build with tests ≤ 1.8× floor | 1.70× | **met** |" in rows
    assert "| model build faster than the pandas peer, at ≤ ¼ of its memory | 1.67× (peer ÷ model build), " in rows
    assert "memory 0.12× of the peer's | **met** |" in rows
    assert "| warehouse no bigger than the export | 150 MiB, 1.50× the export | **missed** |" in rows


@pytest.mark.parametrize(
    ("share", "seconds", "expected"),
    [
        (0.01, 4.0, "≤ 5 % of a full build | 4.00 % | **met**"),
        (0.001, 3.0, "≤ 2 % of a full build | 3.00 % | **missed**"),
    ],
)
def test_the_incremental_target_follows_the_change_share(share: float, seconds: float, expected: str) -> None:
    inc = {"change_share": share, "incremental": {"wall_s": seconds}, "full": {"wall_s": 100.0}}
    assert expected in "\n".join(render_targets(_result(incremental=inc), {}))


def test_the_incremental_table_names_the_change_it_measured() -> None:
    run = {"wall_s": 10.0, "walls_s": [10.0], "peak_rss": GIB}
    inc = {
        "change_share": 0.001,
        "agreement": {"incremental": []},
        "models_are_incremental": ["fct_sessions"],
        "delta_rows": {"msdyn_ocsession": 10},
        **{part: dict(run) for part in ("base", "incremental", "full", "floor")},
    }
    text = "\n".join(render_incremental(inc))
    assert "| project: `dbt build` models, incremental after a 0.1 % change | 10.0 s |" in text
    assert "a 1 % change" not in text


def test_rounds_with_every_contender_skipped_measure_nothing() -> None:
    assert run_rounds(None, [], 3) == {}  # type: ignore[arg-type]  # no contender, so no context is read
