"""Independent pandas reference implementation of the session metrics.

This package recomputes the session fact and the additive metric parts straight from a
Dataverse export (one folder per table, Parquet or CSV), following the binding
definitions in ``session-metrics.md`` and the input contract in
``dataverse-export.md``. It deliberately shares no code with the dbt models: it is a
correctness oracle for the tests and the "pandas peer" of the benchmark.

Everything is vectorised (no per-row Python loops), so it scales to millions of
sessions. Modules: schema (columns, keys, codes), parsing (one parser per column kind),
loading (files to current rows), sessions (the session fact), metrics (the additive
parts), cli.

Command line::

    python -m omnichannel_tools.reference --export DIR [--format parquet|csv]
        [--reporting-timezone UTC] [--include-entity-records]

prints the column totals of :func:`metric_parts` as JSON.
"""

from omnichannel_tools.reference.cli import main
from omnichannel_tools.reference.loading import current_rows, load_export
from omnichannel_tools.reference.metrics import closure_reason_counts, metric_parts, metric_totals
from omnichannel_tools.reference.parsing import (
    PARSERS,
    parse_bool,
    parse_float,
    parse_guid,
    parse_int,
    parse_text,
    parse_timestamp,
)
from omnichannel_tools.reference.schema import (
    FACT_COLUMNS,
    GRAIN,
    GUID_PATTERN,
    METRIC_TABLES,
    PART_COLUMNS,
    PRIMARY_KEYS,
    REQUIRED,
    TABLES,
)
from omnichannel_tools.reference.sessions import (
    bot_user_ids,
    closure_labels,
    in_scope_sessions,
    latest_sentiment,
    primary_participants,
    seconds_between,
    session_date,
    session_durations,
    session_facts,
    session_status,
)

__all__ = [
    "FACT_COLUMNS",
    "GRAIN",
    "GUID_PATTERN",
    "METRIC_TABLES",
    "PARSERS",
    "PART_COLUMNS",
    "PRIMARY_KEYS",
    "REQUIRED",
    "TABLES",
    "bot_user_ids",
    "closure_labels",
    "closure_reason_counts",
    "current_rows",
    "in_scope_sessions",
    "latest_sentiment",
    "load_export",
    "main",
    "metric_parts",
    "metric_totals",
    "parse_bool",
    "parse_float",
    "parse_guid",
    "parse_int",
    "parse_text",
    "parse_timestamp",
    "primary_participants",
    "seconds_between",
    "session_date",
    "session_durations",
    "session_facts",
    "session_status",
]
