"""Print where the warehouse is and the headline session metrics, read from the metric views.

The metrics, their labels, units and part columns come from the metric catalogue
(omnichannel_tools.catalogue). Opens the DuckDB warehouse read-only, as a BI tool would. Rates
and averages are recomputed from the views' summed parts (never averaged ratios).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import duckdb

from omnichannel_tools.catalogue import Metric, session_metrics

Figure = tuple[str, float | None, str]  # (label, value, unit of the catalogue)


def headline_metrics(catalogue: list[Metric] | None = None) -> list[Metric]:
    """The session metrics with one figure each (a breakdown, such as closure reasons, has many)."""
    metrics = session_metrics() if catalogue is None else catalogue
    return [metric for metric in metrics if metric.breakdown is None and metric.family == "session"]


def headline_figures(con: duckdb.DuckDBPyConnection, catalogue: list[Metric] | None = None) -> list[Figure]:
    """The headline figures: a count summed over its view; a rate or average recomputed from the
    summed numerator and denominator (None on a zero denominator)."""
    figures: list[Figure] = []
    for metric in headline_metrics(catalogue):
        numerator = f"(select sum({metric.summed_column}) from {metric.view})"
        if metric.is_ratio:
            denominator = f"(select sum({metric.denominator}) from {metric.view})"
            value = con.execute(f"select cast({numerator} as double) / nullif({denominator}, 0)").fetchone()[0]
        else:
            value = con.execute(f"select cast({numerator} as double)").fetchone()[0]
        figures.append((metric.label, value, metric.unit))
    return figures


def format_value(value: float | None, unit: str) -> str:
    """A figure as printed: rates in percent, durations in seconds, counts whole, scores to one decimal."""
    if value is None:
        return "n/a"
    if unit == "rate":
        return f"{100 * value:.1f} %"
    if unit == "seconds":
        return f"{value:,.1f} s"
    if unit == "count" and float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def render(figures: list[Figure]) -> str:
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
        print(f"\nBuild warehouse: {warehouse}")
        print("dbt's own file (export rows, staging, audit). BI tools open the serving file `make publish` writes.\n")
        print(render(headline_figures(con)))
        print("\nData faults (rows kept, see dataverse_data_faults) and quarantined rows (see dataverse_load_audit):\n")
        print(render_faults(data_fault_counts(con)))
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
