"""The dashboard reads only the metric views, the dims and the load audit: never a fact table for a KPI."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from omnichannel_tools.dashboard import queries
from omnichannel_tools.dashboard.filters import Filters
from omnichannel_tools.dashboard.source import DuckDBSource

RELATION = re.compile(r"\b(?:from|join)\s+([A-Za-z_][\w.]*)", re.IGNORECASE)
AUDIT = {"dataverse_load_audit", "dataverse_data_faults", "information_schema.tables"}


class RecordingSource(DuckDBSource):
    """The DuckDB source, noting every relation a query names."""

    relations: set[str]

    def query(self, sql: str, params: Mapping[str, Any] | None = None) -> pd.DataFrame:
        self.relations.update(match.lower() for match in RELATION.findall(sql))
        return super().query(sql, params)


def test_every_panel_reads_only_views_dims_and_audit(dashboard_database: Path) -> None:
    source = RecordingSource(dashboard_database)
    source.relations = set()
    try:
        selection = Filters(queues=("none",))
        queries.metric_aggregates(source, Filters())
        for column in ("session_date", "queue_id", "channel_code", "agent_id"):
            queries.metric_aggregates(source, selection, (column,))
        queries.closure_reasons(source, selection)
        queries.sentiment_zones(source, selection)
        queries.filter_options(source)
        queries.data_quality(source)
    finally:
        source.close()
    assert source.relations, "no query recorded"
    others = {r for r in source.relations if not r.startswith(("metric_", "dim_")) and r not in AUDIT}
    assert others == set()
    assert "metric_total_sessions" in source.relations and "dim_queues" in source.relations
