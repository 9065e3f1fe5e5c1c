"""Consult and monitor metrics recomputed with pandas (docs/metrics.md#consult-and-monitor-metrics).

A consult request is a Consult participant of an in-scope agent session; accepted when joined;
rejected / timed out by msdyn_leftonreason when not joined. Consult time: the consulted agent's
activetime of an accepted consult; monitor time: lefton - joinedon of a Monitor participant.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from omnichannel_tools.reference.sessions import seconds_between

MODE_CONSULT, MODE_MONITOR = 192350003, 192350004
GRAIN = ["session_date", "queue_id", "channel_code", "agent_id"]


def consults_daily(tables: Mapping[str, pd.DataFrame], facts: pd.DataFrame) -> pd.DataFrame:
    """The parts of the consult and monitor metrics at (session_date, queue_id, channel_code, agent_id)."""
    participants = tables["msdyn_sessionparticipant"]
    agent_sessions = facts.loc[~facts["is_bot_session"], ["session_id", "session_date", "queue_id", "channel_code"]]
    rows = participants[participants["msdyn_mode"].isin([MODE_CONSULT, MODE_MONITOR])].merge(
        agent_sessions, left_on="msdyn_omnichannelsession", right_on="session_id"
    )
    consult = (rows["msdyn_mode"] == MODE_CONSULT).to_numpy()
    monitor = ~consult
    joined = rows["msdyn_joinedon"].notna().to_numpy()
    reason = rows["msdyn_leftonreason"].astype("object")
    active = rows["msdyn_activetime"].astype("Float64")
    active = active.where(active >= 0).astype("float64")
    consult_time = active.where(consult & joined)
    monitor_time = seconds_between(rows["msdyn_joinedon"], rows["msdyn_lefton"]).where(monitor)
    parts = pd.DataFrame(
        {
            "session_date": rows["session_date"],
            "queue_id": rows["queue_id"],
            "channel_code": rows["channel_code"],
            "agent_id": rows["msdyn_agentid"],
            "consult_requests": consult.astype(int),
            "accepted_consults": (consult & joined).astype(int),
            "not_accepted_consults": (consult & ~joined).astype(int),
            "rejected_consults": (consult & ~joined & (reason == "AgentReject").to_numpy()).astype(int),
            "timed_out_consults": (consult & ~joined & (reason == "AgentTimeout").to_numpy()).astype(int),
            "consult_time_seconds_sum": consult_time.fillna(0.0),
            "consult_time_count": consult_time.notna().astype(int),
            "monitor_sessions": monitor.astype(int),
            "monitor_time_seconds_sum": monitor_time.fillna(0.0),
            "monitor_time_count": monitor_time.notna().astype(int),
        }
    )
    return parts.groupby(GRAIN, dropna=False, as_index=False).sum()
