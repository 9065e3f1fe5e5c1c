"""The metric catalogue (omnichannel_tools.catalogue): read from the dbt semantic layer's YAML."""

from __future__ import annotations

from pathlib import Path

from omnichannel_tools.catalogue import load_catalogue, metric_views, session_metrics

UNITS = {"count", "rate", "seconds", "score"}


def test_the_project_catalogue_declares_every_metric_view_once() -> None:
    metrics = load_catalogue()
    assert metrics
    assert len({m.name for m in metrics}) == len(metrics)
    views = metric_views()
    assert len(views) == len(set(views))
    assert views == list(dict.fromkeys(m.view for m in metrics))
    assert all(view.startswith("metric_") for view in views)


# Microsoft's session metrics page: the 14 metrics the project must always offer.
DOCUMENTED_SESSION_METRIC_VIEWS = {
    "metric_avg_session_handle_time",
    "metric_customer_sentiment",
    "metric_sessions_handled_by_external_participant",
    "metric_session_transfer_rate",
    "metric_session_rejection_rate",
    "metric_session_timeout_rate",
    "metric_session_time_to_accept",
    "metric_session_time_to_reject",
    "metric_session_wait_time",
    "metric_session_closure_reasons",
    "metric_active_sessions",
    "metric_closed_sessions",
    "metric_total_sessions",
    "metric_engaged_sessions",
}


def test_the_fourteen_documented_session_metrics_are_the_session_family() -> None:
    metrics = session_metrics()
    assert {m.view for m in metrics} >= DOCUMENTED_SESSION_METRIC_VIEWS
    assert {m.family for m in load_catalogue()} == {"session", "reconciliation", "conversation"}
    assert "metric_incoming_conversations" not in {m.view for m in metrics}


def test_every_metric_has_a_unit_and_its_parts() -> None:
    for metric in load_catalogue():
        assert metric.unit in UNITS, metric.name
        assert metric.label, metric.name
        if metric.unit in ("rate", "seconds", "score"):
            assert metric.is_ratio and metric.numerator, metric.name
            assert metric.summed_column == metric.numerator
        else:
            assert not metric.is_ratio and metric.summed_column == metric.value_column, metric.name


def test_a_catalogue_is_read_from_every_yaml_file_in_path_order(tmp_path: Path) -> None:
    (tmp_path / "models" / "b").mkdir(parents=True)
    (tmp_path / "models" / "a.yml").write_text(
        "metrics:\n"
        "  - name: first\n"
        "    config: {meta: {view: metric_first, value_column: n, unit: count}}\n"
        "  - name: not_served\n"  # no meta.view: not a headline metric
        "    label: Not served\n"
    )
    (tmp_path / "models" / "b" / "c.yml").write_text(
        "version: 2\n"
        "metrics:\n"
        "  - name: second\n"
        "    label: Second rate\n"
        "    description: a rate\n"
        "    config: {meta: {view: metric_second, value_column: r, numerator: x, denominator: y, unit: rate}}\n"
    )
    (tmp_path / "models" / "empty.yml").write_text("")
    metrics = load_catalogue(tmp_path)
    assert [m.name for m in metrics] == ["first", "second"]
    assert metrics[0].label == "first" and metrics[0].description == ""
    assert (metrics[1].label, metrics[1].numerator, metrics[1].denominator) == ("Second rate", "x", "y")
    assert metric_views(tmp_path) == ["metric_first", "metric_second"]
