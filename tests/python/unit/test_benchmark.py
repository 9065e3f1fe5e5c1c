"""The benchmark's own logic (omnichannel_tools.benchmark), without running it: measuring a command,
comparing totals, the BI query pairs, and the report written from stored results."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from omnichannel_tools.benchmark import report
from omnichannel_tools.benchmark.agreement import check_agreement, compare_totals
from omnichannel_tools.benchmark.bi_queries import _fct_expression
from omnichannel_tools.benchmark.measure import run_measured, summarise
from omnichannel_tools.benchmark.parse_timing import node_name
from omnichannel_tools.benchmark.settings import RESULTS
from omnichannel_tools.reference import PART_COLUMNS


def test_a_measured_run_has_its_time_rss_and_log(tmp_path: Path) -> None:
    log = tmp_path / "logs" / "hello.log"
    run = run_measured("hello", [sys.executable, "-c", "print('hello')"], log_path=log)
    assert run.ok and run.wall_s > 0 and run.peak_rss > 0
    assert log.read_text() == "hello\n"
    failed = run_measured("fails", [sys.executable, "-c", "raise SystemExit(3)"], log_path=tmp_path / "f.log")
    summary = summarise([run, failed])
    assert (summary["runs"], summary["ok_runs"], summary["wall_s"]) == (2, 1, run.wall_s)
    assert summary["failures"][0].startswith("exit code 3")


def test_totals_agree_counts_exactly_and_sums_to_1e_9() -> None:
    floor = dict.fromkeys(PART_COLUMNS, 1000.0)
    assert compare_totals(floor, dict(floor)) == []
    close = {**floor, "wait_time_seconds_sum": 1000.0 * (1 + 1e-12)}
    assert compare_totals(floor, close) == []
    off = {**floor, "total_sessions": 999.0, "sentiment_pulse_sum": 1001.0}
    assert compare_totals(floor, off) == ["total_sessions: 1000 vs 999", "sentiment_pulse_sum: 1000.0 vs 1001.0"]
    assert check_agreement({"floor": floor, "peer": None, "models": floor}) == {
        "peer": ["not compared (no totals)"],
        "models": [],
    }


def test_bi_queries_compare_each_additive_column_with_its_fct_sessions_aggregate() -> None:
    assert _fct_expression("total_sessions") == "count(*)"
    assert _fct_expression("wait_time_seconds_sum") == "sum(wait_time_seconds)"
    assert _fct_expression("time_to_accept_count") == "count(time_to_accept_seconds)"
    assert _fct_expression("sentiment_zone_slightly_negative_sessions") == (
        "count_if(lower(trim(customer_sentiment_zone)) = 'slightly negative')"
    )
    assert _fct_expression("session_transfer_rate") is None  # a ratio: the BI tool divides the sums


def test_node_names_drop_the_test_hash() -> None:
    assert node_name("model.omnichannel_analytics.fct_sessions") == "fct_sessions"
    assert node_name("test.omnichannel_analytics.not_null_fct_sessions_session_id.1a2b3c4d5e") == (
        "not_null_fct_sessions_session_id"
    )


@pytest.mark.skipif(not any(RESULTS.glob("*.json")), reason="no stored benchmark results")
def test_sections_are_rendered_and_placed_by_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    results = report.load_results()
    target = tmp_path / "BENCHMARKS.md"
    monkeypatch.setattr(report, "BENCHMARKS_MD", target)
    for sessions in sorted(results, reverse=True):
        report.write_benchmarks(sessions, report.render_section(results[sessions], results))
    text = target.read_text()
    assert text.startswith(report.HEADER)
    starts = [text.index(f"<!-- bench:{n} start -->") for n in sorted(results)]
    assert starts == sorted(starts)  # sizes in increasing order, whatever the order written
    for sessions, result in results.items():
        assert f"## {sessions:,} sessions" in text
        assert json.loads((RESULTS / f"{sessions}.json").read_text())["sessions"] == result["sessions"]
    report.write_benchmarks(min(results), "replaced")
    assert f"<!-- bench:{min(results)} start -->\nreplaced\n<!-- bench:{min(results)} end -->" in target.read_text()
