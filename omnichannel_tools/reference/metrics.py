"""The additive metric parts of agent sessions at the reporting grain, and their totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from omnichannel_tools.reference.schema import GRAIN, PART_COLUMNS


def _agent_sessions(facts: pd.DataFrame) -> pd.DataFrame:
    """Sessions the metrics count: not bot sessions."""
    return facts[~facts["is_bot_session"]]


def _sum_and_count(values: pd.Series, mask: pd.Series | None = None) -> tuple[pd.Series, pd.Series]:
    """Values to sum (0 where excluded) and a 0/1 indicator of the counted rows."""
    counted = values.notna() if mask is None else values.notna() & mask
    return values.where(counted, 0.0).astype("float64"), counted.astype("int64")


def metric_parts(facts: pd.DataFrame) -> pd.DataFrame:
    """Additive metric parts of agent sessions at (session_date, queue, channel, agent).

    NULL grain values form their own groups. Counts are int64, sums float64 (0.0 over
    an empty set).
    """
    agent = _agent_sessions(facts)
    ttr_sum, ttr_count = _sum_and_count(agent["time_to_reject_seconds"])
    tta_sum, tta_count = _sum_and_count(agent["time_to_accept_seconds"])
    wait_sum, wait_count = _sum_and_count(agent["wait_time_seconds"])
    handle_sum, handle_count = _sum_and_count(agent["handle_time_seconds"], agent["is_closed"] & agent["is_engaged"])
    pulse_sum, pulse_count = _sum_and_count(agent["customer_sentiment_pulse"])
    values = pd.DataFrame(
        {
            **{col: agent[col] for col in GRAIN},
            "total_sessions": np.ones(len(agent), dtype="int64"),
            "active_sessions": agent["is_active"].astype("int64"),
            "closed_sessions": agent["is_closed"].astype("int64"),
            "engaged_sessions": agent["is_engaged"].astype("int64"),
            "assigned_sessions": agent["is_assigned"].astype("int64"),
            "transferred_sessions": agent["is_transferred_out"].astype("int64"),
            "rejected_sessions": agent["is_rejected"].astype("int64"),
            "timeout_sessions": agent["is_timed_out"].astype("int64"),
            "time_to_reject_seconds_sum": ttr_sum,
            "time_to_reject_count": ttr_count,
            "time_to_accept_seconds_sum": tta_sum,
            "time_to_accept_count": tta_count,
            "wait_time_seconds_sum": wait_sum,
            "wait_time_count": wait_count,
            "handle_time_seconds_sum": handle_sum,
            "handle_time_count": handle_count,
            "sentiment_pulse_sum": pulse_sum,
            "sentiment_count": pulse_count,
            "external_handled_sessions": agent["is_handled_by_external_participant"].astype("int64"),
        }
    )
    parts = values.groupby(GRAIN, dropna=False, sort=True).sum().reset_index()
    return parts[GRAIN + PART_COLUMNS]


def closure_reason_counts(facts: pd.DataFrame) -> pd.DataFrame:
    """Agent sessions per grain and closure reason (NULL codes included as a group)."""
    agent = _agent_sessions(facts)
    keys = GRAIN + ["closure_reason_code", "closure_reason_label"]
    return agent.groupby(keys, dropna=False, sort=True).size().rename("sessions").reset_index()


def metric_totals(parts: pd.DataFrame) -> dict[str, float]:
    """Column totals of the metric parts (every part column, as float)."""
    return {col: float(parts[col].sum()) for col in PART_COLUMNS}
