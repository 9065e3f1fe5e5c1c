"""Print where the warehouse is and the headline session metrics, read from the metric views.

Opens the DuckDB warehouse read-only, as a BI tool would. Rates and averages are recomputed
from the views' summed parts (never averaged ratios).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

# (label, numerator SQL, denominator SQL or None, unit) over the metric views.
HEADLINES: list[tuple[str, str, str | None, str]] = [
    ("Total sessions", "(select sum(total_sessions) from metric_total_sessions)", None, ""),
    ("Active sessions", "(select sum(active_sessions) from metric_active_sessions)", None, ""),
    ("Closed sessions", "(select sum(closed_sessions) from metric_closed_sessions)", None, ""),
    ("Engaged sessions", "(select sum(engaged_sessions) from metric_engaged_sessions)", None, ""),
    (
        "Session transfer rate",
        "(select sum(transferred_sessions) from metric_session_transfer_rate)",
        "(select sum(handled_sessions) from metric_session_transfer_rate)",
        "%",
    ),
    (
        "Session rejection rate",
        "(select sum(rejected_sessions) from metric_session_rejection_rate)",
        "(select sum(assigned_sessions) from metric_session_rejection_rate)",
        "%",
    ),
    (
        "Session timeout rate",
        "(select sum(timeout_sessions) from metric_session_timeout_rate)",
        "(select sum(assigned_sessions) from metric_session_timeout_rate)",
        "%",
    ),
    (
        "Avg. session wait time",
        "(select sum(wait_time_seconds_sum) from metric_session_wait_time)",
        "(select sum(wait_time_count) from metric_session_wait_time)",
        "s",
    ),
    (
        "Avg. session time to accept",
        "(select sum(time_to_accept_seconds_sum) from metric_session_time_to_accept)",
        "(select sum(time_to_accept_count) from metric_session_time_to_accept)",
        "s",
    ),
    (
        "Avg. session time to reject",
        "(select sum(time_to_reject_seconds_sum) from metric_session_time_to_reject)",
        "(select sum(time_to_reject_count) from metric_session_time_to_reject)",
        "s",
    ),
    (
        "Avg. session handle time",
        "(select sum(handle_time_seconds_sum) from metric_avg_session_handle_time)",
        "(select sum(handle_time_count) from metric_avg_session_handle_time)",
        "s",
    ),
    (
        "Avg. customer sentiment (0-100)",
        "(select sum(sentiment_pulse_sum) from metric_customer_sentiment)",
        "(select sum(sentiment_count) from metric_customer_sentiment)",
        "",
    ),
    (
        "Sessions handled by external participant",
        "(select sum(external_handled_sessions) from metric_sessions_handled_by_external_participant)",
        None,
        "",
    ),
]


def headline_figures(con: duckdb.DuckDBPyConnection) -> list[tuple[str, float | None, str]]:
    """The headline figures: (label, value, unit); a rate or average is None on a zero denominator."""
    figures: list[tuple[str, float | None, str]] = []
    for label, numerator, denominator, unit in HEADLINES:
        if denominator is None:
            value = con.execute(f"select cast({numerator} as double)").fetchone()[0]
        else:
            value = con.execute(
                f"select cast({numerator} as double) / nullif({denominator}, 0)"
            ).fetchone()[0]
        figures.append((label, value, unit))
    return figures


def format_value(value: float | None, unit: str) -> str:
    """A figure as printed: rates in percent, durations in seconds, counts whole."""
    if value is None:
        return "n/a"
    if unit == "%":
        return f"{100 * value:.1f} %"
    if unit == "s":
        return f"{value:,.1f} s"
    if unit == "" and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def render(figures: list[tuple[str, float | None, str]]) -> str:
    """A two-column text table of the figures."""
    width = max(len(label) for label, _, _ in figures)
    lines = [f"{'metric'.ljust(width)} | value", f"{'-' * width}-+-{'-' * 14}"]
    lines += [f"{label.ljust(width)} | {format_value(value, unit)}" for label, value, unit in figures]
    return "\n".join(lines)


def data_fault_counts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, int]]:
    """Rows per (table, fault) of dataverse_data_faults, and quarantined rows per (table, reason)."""
    faults = con.execute(
        "select table_name, fault, count(*) from dataverse_data_faults group by all order by all"
    ).fetchall()
    quarantined = con.execute(
        "select table_name, 'quarantined: ' || quarantine_reason, sum(raw_rows)::bigint"
        " from dataverse_load_audit where load_state = 'quarantined' group by all order by all"
    ).fetchall()
    return [(table, fault, int(rows)) for table, fault, rows in [*faults, *quarantined]]


def render_faults(counts: list[tuple[str, str, int]]) -> str:
    """A text table of data fault counts (or a line saying there are none)."""
    if not counts:
        return "No data faults and no quarantined rows."
    width_table = max(len(table) for table, _, _ in counts)
    width_fault = max(len(fault) for _, fault, _ in counts)
    lines = [f"{'table'.ljust(width_table)} | {'fault'.ljust(width_fault)} | rows"]
    lines.append(f"{'-' * width_table}-+-{'-' * width_fault}-+------")
    lines += [f"{t.ljust(width_table)} | {f.ljust(width_fault)} | {n:,}" for t, f, n in counts]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--warehouse", type=Path, required=True, help="the DuckDB warehouse file")
    args = parser.parse_args(argv)
    warehouse = args.warehouse.resolve()
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        print(f"\nWarehouse: {warehouse}")
        print("Open it read-only from a BI tool (DuckDB / duckdb-engine); the metric views are in schema main.\n")
        print(render(headline_figures(con)))
        print("\nData faults (rows kept, see dataverse_data_faults) and quarantined rows (see dataverse_load_audit):\n")
        print(render_faults(data_fault_counts(con)))
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
