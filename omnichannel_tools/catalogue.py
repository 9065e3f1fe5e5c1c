"""The metric catalogue: every metric declared once, in the dbt semantic layer's YAML.

Each metric under ``metrics:`` whose ``config.meta`` names a ``view`` is a headline metric:
the view serves it, ``value_column`` is its value, and ``numerator`` / ``denominator`` name
the view's part columns for rates and averages. Everything that lists metrics reads
:func:`load_catalogue` instead of keeping its own list.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from omnichannel_tools.paths import REPO_ROOT

PROJECT_DIR = REPO_ROOT  # the dbt project


@dataclass(frozen=True)
class Metric:
    """One headline metric and the SQL view that serves it."""

    name: str
    label: str
    description: str
    view: str
    value_column: str
    unit: str  # count, rate, seconds or score
    numerator: str | None = None
    denominator: str | None = None
    breakdown: str | None = None
    family: str = "session"  # "session": the documented session metrics; "reconciliation": Microsoft's variants

    @property
    def is_ratio(self) -> bool:
        """A rate or an average: recomputed from the summed numerator and denominator."""
        return self.denominator is not None

    @property
    def summed_column(self) -> str:
        """The view's additive column for a count metric, the numerator for a ratio."""
        return self.numerator or self.value_column


def _metric_entries(project_dir: Path) -> list[dict]:
    entries: list[dict] = []
    for path in sorted((project_dir / "models").rglob("*.yml")):
        document = yaml.safe_load(path.read_text()) or {}
        entries.extend(document.get("metrics") or [])
    return entries


def load_catalogue(project_dir: Path = PROJECT_DIR) -> list[Metric]:
    """The headline metrics in declaration order."""
    metrics: list[Metric] = []
    for entry in _metric_entries(project_dir):
        meta = (entry.get("config") or {}).get("meta") or {}
        if "view" not in meta:
            continue
        metrics.append(
            Metric(
                name=entry["name"],
                label=entry.get("label", entry["name"]),
                description=entry.get("description", ""),
                view=meta["view"],
                value_column=meta["value_column"],
                unit=meta["unit"],
                numerator=meta.get("numerator"),
                denominator=meta.get("denominator"),
                breakdown=meta.get("breakdown"),
                family=meta.get("family", "session"),
            )
        )
    return metrics


def session_metrics(project_dir: Path = PROJECT_DIR) -> list[Metric]:
    """The documented session metrics (family "session"), in declaration order."""
    return [metric for metric in load_catalogue(project_dir) if metric.family == "session"]


def metric_views(project_dir: Path = PROJECT_DIR) -> list[str]:
    """Every metric view, once each, in declaration order."""
    return list(dict.fromkeys(metric.view for metric in load_catalogue(project_dir)))


def session_grain_views(project_dir: Path = PROJECT_DIR) -> list[str]:
    """The metric views at the session grain (session_date, queue_id, channel_code, agent_id): every family
    but "conversation", whose views are at (conversation_date, queue_id, channel_code, agent_id)."""
    metrics = load_catalogue(project_dir)
    return list(dict.fromkeys(metric.view for metric in metrics if metric.family != "conversation"))
