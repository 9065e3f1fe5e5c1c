"""The conversation fact and the additive parts of the conversation metrics, in pandas.

Written from the definitions in ``docs/metrics.md`` (Conversation metrics), not from the SQL:
one row per conversation with an in-scope session (the session fact decides the scope), placed
in one grain cell (conversation_date, queue_id, channel_code, agent_id).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from omnichannel_tools.reference.conversation_times import conversation_times
from omnichannel_tools.reference.sessions import seconds_between, session_date

CONVERSATION_GRAIN = ["conversation_date", "queue_id", "channel_code", "agent_id"]
STATUS_CLOSED = 4
SERVICE_LEVEL_THRESHOLDS = (10, 20, 30, 40, 60, 120)


def _pick(sessions: pd.DataFrame, order: list[str], ascending: list[bool]) -> pd.DataFrame:
    """One session per conversation: the first in the given order (NULL times sort last)."""
    ranked = sessions.sort_values(order, ascending=ascending, na_position="last", kind="mergesort")
    return ranked.drop_duplicates("conversation_id", keep="first").set_index("conversation_id")


def conversation_facts(
    tables: Mapping[str, pd.DataFrame], session_facts: pd.DataFrame, reporting_timezone: str = "UTC"
) -> pd.DataFrame:
    """One row per conversation of the in-scope sessions (``session_facts``, the reference's session fact)."""
    sessions = session_facts[session_facts["conversation_id"].notna()].copy()
    agent = ~sessions["is_bot_session"]
    sessions["agent_created_at"] = sessions["created_at"].where(agent)
    sessions["agent_accepted_at"] = sessions["accepted_at"].where(agent)
    sessions["agent_engaged"] = sessions["is_engaged"] & agent
    sessions["agent_assigned"] = sessions["is_assigned"] & agent
    grouped = sessions.groupby("conversation_id")
    out = pd.DataFrame(
        {
            "session_count": grouped.size(),
            "agent_session_count": grouped["is_bot_session"].apply(lambda bots: int((~bots).sum())),
            "transferred_sessions": grouped["is_transferred_out"].sum().astype("int64"),
            "engaged_agent_sessions": grouped["agent_engaged"].sum().astype("int64"),
            "assigned_agent_sessions": grouped["agent_assigned"].sum().astype("int64"),
            "first_session_created_at": grouped["created_at"].min(),
            "first_agent_session_created_at": grouped["agent_created_at"].min(),
            "first_accepted_at": grouped["agent_accepted_at"].min(),
        }
    )
    first = _pick(sessions, ["created_at", "session_id"], [True, True])
    last = _pick(sessions, ["created_at", "session_id"], [False, False])
    engaged = sessions[sessions["agent_engaged"]]
    last_agent = _pick(engaged, ["accepted_at", "session_id"], [False, False])
    conv = tables["msdyn_ocliveworkitem"].set_index("activityid").reindex(out.index)
    out["channel_code"] = first["channel_code"].reindex(out.index)
    out["queue_id"] = conv["msdyn_cdsqueueid"].fillna(last["queue_id"].reindex(out.index))
    out["agent_id"] = conv["msdyn_activeagentid"].fillna(last_agent["agent_id"].reindex(out.index))
    created = conv["msdyn_createdon"]
    out["conversation_date"] = session_date(created.fillna(out["first_session_created_at"]), reporting_timezone)
    outbound = conv["msdyn_isoutbound"].fillna(False).astype(bool)
    out["is_closed"] = conv["statuscode"].eq(STATUS_CLOSED).fillna(False).astype(bool)
    out["is_incoming"] = (out["agent_session_count"] > 0) & ~outbound
    out["is_outgoing"] = outbound
    out["is_engaged"] = out["engaged_agent_sessions"] > 0
    out["is_abandoned"] = out["is_incoming"] & out["is_closed"] & ~out["is_engaged"]
    out["is_abandoned_after_assignment"] = out["is_abandoned"] & (out["assigned_agent_sessions"] > 0)
    wait_start = conv["msdyn_firstwaitstartedon"].fillna(out["first_agent_session_created_at"])
    answered = out["is_incoming"] & out["is_engaged"]
    out["first_wait_seconds"] = seconds_between(wait_start, out["first_accepted_at"]).where(answered)
    out["conversation_time_seconds"] = seconds_between(created, conv["msdyn_closedon"]).where(out["is_closed"])
    transfers = conv["msdyn_transfercount"].astype("Float64").fillna(out["transferred_sessions"].astype("Float64"))
    out["is_transferred"] = transfers.gt(0).fillna(False).astype(bool)
    out = out.rename_axis("conversation_id").reset_index()
    return out.merge(conversation_times(tables, sessions, out), on="conversation_id", how="left")


def grain_keys(frame: pd.DataFrame) -> pd.DataFrame:
    """The grain columns as comparable text: ISO dates, integer channel codes, NULL as '<null>'."""
    keys = pd.DataFrame(index=frame.index)
    keys["conversation_date"] = pd.to_datetime(frame["conversation_date"]).dt.strftime("%Y-%m-%d")
    keys["queue_id"] = frame["queue_id"]
    keys["channel_code"] = frame["channel_code"].astype("Int64").astype(object)
    keys["agent_id"] = frame["agent_id"]
    keys = keys.astype(object).where(keys.notna(), None)
    return keys.fillna("<null>").astype(str)


def conversation_parts(facts: pd.DataFrame) -> pd.DataFrame:
    """The additive parts of every conversation metric per grain cell (NULL keys kept as cells)."""
    f = facts.copy()
    answered = f["is_incoming"] & f["is_engaged"]
    wait = f["first_wait_seconds"]
    columns = {
        "total_conversations": pd.Series(1, index=f.index),
        "incoming_conversations": f["is_incoming"],
        "outgoing_conversations": f["is_outgoing"],
        "engaged_conversations": f["is_engaged"],
        "abandoned_conversations": f["is_abandoned"],
        "abandoned_after_assignment_conversations": f["is_abandoned_after_assignment"],
        "accepted_incoming_conversations": answered,
        **{f"answered_within_{x}s_conversations": answered & wait.le(x) for x in SERVICE_LEVEL_THRESHOLDS},
        "first_wait_count": wait.notna(),
        "speed_to_answer_count": wait.notna() & f["is_closed"],
        "conversation_time_count": f["conversation_time_seconds"].notna(),
        "transferred_conversations": f["is_transferred"] & f["is_engaged"] & f["is_closed"],
        "accepted_closed_conversations": f["is_engaged"] & f["is_closed"],
        "sessions": f["session_count"],
    }
    parts = pd.DataFrame({name: values.astype("int64") for name, values in columns.items()})
    parts["first_wait_seconds_sum"] = wait.fillna(0.0)
    parts["speed_to_answer_seconds_sum"] = wait.where(f["is_closed"]).fillna(0.0)
    parts["conversation_time_seconds_sum"] = f["conversation_time_seconds"].fillna(0.0)
    for name, column in (
        ("conversation_handle_time", "conversation_handle_time_seconds"),
        ("hold_time", "hold_time_seconds"),
        ("talk_time", "talk_time_seconds"),
        ("wrap_up_time", "wrap_up_time_seconds"),
    ):
        closed = f[column].where(f["is_closed"])
        parts[f"{name}_seconds_sum"] = closed.fillna(0.0)
        parts[f"{name}_count"] = closed.notna().astype("int64")
    parts = pd.concat([grain_keys(f), parts], axis=1)
    return parts.groupby(CONVERSATION_GRAIN, sort=True).sum(numeric_only=True)


def service_level_rows(parts: pd.DataFrame) -> pd.DataFrame:
    """The service level parts per grain cell and threshold (the long form of the service-level view)."""
    rows = []
    for x in SERVICE_LEVEL_THRESHOLDS:
        rows.append(
            pd.DataFrame(
                {
                    "threshold_seconds": x,
                    "answered_within_threshold_conversations": parts[f"answered_within_{x}s_conversations"],
                    "accepted_incoming_conversations": parts["accepted_incoming_conversations"],
                }
            )
        )
    long = pd.concat(rows).reset_index().set_index([*CONVERSATION_GRAIN, "threshold_seconds"]).sort_index()
    long["service_level"] = long["answered_within_threshold_conversations"] / long[
        "accepted_incoming_conversations"
    ].replace(0, np.nan)
    return long
