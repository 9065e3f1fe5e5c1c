"""The user's selection (date range, queues, channels, agents) as one SQL filter on the grain columns.

Every metric view and aggregate the dashboard reads has the same grain columns (session_date,
queue_id, channel_code, agent_id), so one filter serves every panel. An empty selection means
"all", NULL grains included (a session with no agent or no queue is still a session).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Filters:
    """A selection; the dates are inclusive, in the reporting time zone (session_date)."""

    start: dt.date | None = None
    end: dt.date | None = None
    queues: tuple[str, ...] = ()
    channels: tuple[int, ...] = ()
    agents: tuple[str, ...] = ()


def _in_list(column: str, prefix: str, values: tuple[Any, ...], params: dict[str, Any]) -> str:
    names = []
    for index, value in enumerate(values):
        name = f"{prefix}_{index}"
        params[name] = value
        names.append(f":{name}")
    return f"{column} in ({', '.join(names)})"


def where_clause(filters: Filters, date_column: str = "session_date") -> tuple[str, dict[str, Any]]:
    """`where ...` (or "" for no filter) and its named parameters; the conversation views filter on
    conversation_date (``date_column``)."""
    conditions: list[str] = []
    params: dict[str, Any] = {}
    if filters.start is not None:
        conditions.append(f"{date_column} >= :start_date")
        params["start_date"] = filters.start
    if filters.end is not None:
        conditions.append(f"{date_column} <= :end_date")
        params["end_date"] = filters.end
    if filters.queues:
        conditions.append(_in_list("queue_id", "queue", filters.queues, params))
    if filters.channels:
        conditions.append(_in_list("channel_code", "channel", filters.channels, params))
    if filters.agents:
        conditions.append(_in_list("agent_id", "agent", filters.agents, params))
    return ("where " + " and ".join(conditions) if conditions else ""), params
