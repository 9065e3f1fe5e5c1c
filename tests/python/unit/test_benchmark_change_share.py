"""The benchmark's change share (--change-share): the share of sessions its incremental measurement
changes, as bucket thresholds of the change SQL."""

from __future__ import annotations

import pytest

from omnichannel_tools.benchmark.incremental import bucket_bounds
from omnichannel_tools.benchmark.report import change_label


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
