"""The Polars peer: the session metrics of an export as a single Polars lazy query.

A second implementation a user might pick instead of the project (beside the pandas reference,
``omnichannel_tools.reference``): the same definitions (docs/metrics.md) written as one lazy
query over the export's Parquet files, as a competent Polars user would: ``scan_parquet``, the
current version of every key, the session fact and the additive metric parts at
(session_date, queue_id, channel_code, agent_id), collected once by the streaming engine. It
shares no code with the dbt models and only the spec's constants with the pandas reference.
Modules: columns (reading and parsing a table's files), query (the lazy query), cli.

Command line::

    python -m omnichannel_tools.polars_peer --export DIR [--reporting-timezone UTC]
        [--include-entity-records] [--engine streaming|in-memory]

prints the column totals of the metric parts as JSON (the same keys as the pandas reference).
"""

from omnichannel_tools.polars_peer.cli import main
from omnichannel_tools.polars_peer.query import metric_parts, metric_totals, session_facts

__all__ = ["main", "metric_parts", "metric_totals", "session_facts"]
