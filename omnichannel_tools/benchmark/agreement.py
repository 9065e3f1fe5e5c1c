"""Do the contenders agree? Metric totals compared with the floor's: counts exact, sums to 1e-9 relative."""

from __future__ import annotations

from omnichannel_tools.benchmark.settings import SUM_TOLERANCE
from omnichannel_tools.reference import PART_COLUMNS


def compare_totals(reference: dict[str, float], other: dict[str, float]) -> list[str]:
    """Differences beyond the tolerance: counts exact, sums 1e-9 relative."""
    problems = []
    for col in PART_COLUMNS:
        a, b = reference.get(col), other.get(col)
        if a is None or b is None:
            problems.append(f"{col}: missing")
            continue
        if col.endswith("_sum"):
            if abs(a - b) > SUM_TOLERANCE * max(abs(a), abs(b), 1.0):
                problems.append(f"{col}: {a!r} vs {b!r}")
        elif a != b:
            problems.append(f"{col}: {a:.0f} vs {b:.0f}")
    return problems


def check_agreement(named_totals: dict[str, dict[str, float] | None]) -> dict[str, list[str]]:
    """Compare every implementation's totals with the floor's."""
    base = named_totals.get("floor")
    report: dict[str, list[str]] = {}
    for name, totals in named_totals.items():
        if name == "floor":
            continue
        if base is None or totals is None:
            report[name] = ["not compared (no totals)"]
        else:
            report[name] = compare_totals(base, totals)
    return report
