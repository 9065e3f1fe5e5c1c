"""Handle, hold, talk and wrap-up times of conversations, in pandas (definitions: ``docs/metrics.md``).

Only the Primary participants of a conversation's agent sessions count (consult and monitor time
is not handle time). Hold = sum of end - start of their Hold events, "session transfer in transit"
excluded; an open event (no end) adds nothing. Talk = the exported talk time, else active - hold.
Voice handle = talk + hold + active wrap-up; any other channel: active + active wrap-up. Wrap-up
time is the last agent's only: the last Primary of the last engaged agent session.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from omnichannel_tools.reference.schema import MODE_PRIMARY
from omnichannel_tools.reference.sessions import seconds_between

HOLD = 192350001
TRANSFER_IN_TRANSIT = 192350001
VOICE_CHANNELS = (192440000, 192370000)


def _non_negative(values: pd.Series) -> pd.Series:
    values = values.astype("Float64")
    return values.where(values >= 0)


def _participant_holds(tables: Mapping[str, pd.DataFrame]) -> pd.DataFrame:
    events = tables["msdyn_ocsessionparticipantevent"]
    current_sessions = set(tables["msdyn_ocsession"]["activityid"])
    events = events[events["msdyn_sessionid"].isin(current_sessions) & events["msdyn_eventtype"].eq(HOLD).fillna(False)]
    in_transit = events["msdyn_eventreason"].eq(TRANSFER_IN_TRANSIT).fillna(False).astype(bool)
    agent = events[~in_transit]
    length = seconds_between(agent["msdyn_eventstarttime"], agent["msdyn_eventendtime"])
    frame = pd.DataFrame(
        {
            "participant": pd.concat(
                [agent["msdyn_sessionparticipantid"], events.loc[in_transit, "msdyn_sessionparticipantid"]]
            ),
            "hold": pd.concat([length.fillna(0.0), pd.Series(0.0, index=events.index[in_transit])]),
            "open": pd.concat([agent["msdyn_eventendtime"].isna(), pd.Series(False, index=events.index[in_transit])]),
            "transit": pd.concat(
                [pd.Series(False, index=agent.index), pd.Series(True, index=events.index[in_transit])]
            ),
        }
    )
    return frame.groupby("participant").agg(hold=("hold", "sum"), open=("open", "sum"), transit=("transit", "sum"))


def session_times(tables: Mapping[str, pd.DataFrame], session_ids: pd.Series) -> pd.DataFrame:
    """Per session with a Primary participant: active, talk, hold, active wrap-up, last agent's wrap-up, events."""
    p = tables["msdyn_sessionparticipant"]
    p = p[p["msdyn_mode"].eq(MODE_PRIMARY).fillna(False) & p["msdyn_omnichannelsession"].isin(set(session_ids))].copy()
    holds = _participant_holds(tables).reindex(p["msdyn_sessionparticipantid"])
    hold = pd.Series(holds["hold"].to_numpy(), index=p.index).fillna(0.0)
    active = _non_negative(p["msdyn_activetime"]).fillna(0).astype("float64")
    exported_talk = _non_negative(p["msdyn_talktime"]).astype("float64")
    p["active"] = active
    p["talk"] = exported_talk.fillna(np.maximum(active - hold, 0.0))
    p["hold"] = hold
    p["wrapup"] = _non_negative(p["msdyn_activewrapuptime"]).astype("float64")
    p["open"] = pd.Series(holds["open"].to_numpy(), index=p.index).fillna(0).astype("int64")
    p["transit"] = pd.Series(holds["transit"].to_numpy(), index=p.index).fillna(0).astype("int64")
    ranked = p.sort_values(
        ["msdyn_joinedon", "msdyn_addedon", "msdyn_sessionparticipantid"],
        ascending=False,
        na_position="last",
        kind="mergesort",
    )
    last = ranked.drop_duplicates("msdyn_omnichannelsession").set_index("msdyn_omnichannelsession")["wrapup"]
    grouped = p.groupby("msdyn_omnichannelsession")
    out = pd.DataFrame(
        {
            "active": grouped["active"].sum(),
            "talk": grouped["talk"].sum(),
            "hold": grouped["hold"].sum(),
            "wrapup": grouped["wrapup"].sum(),
            "open": grouped["open"].sum(),
            "transit": grouped["transit"].sum(),
        }
    )
    out["last_wrapup"] = last.reindex(out.index)
    return out


def conversation_times(
    tables: Mapping[str, pd.DataFrame], session_facts: pd.DataFrame, conversations: pd.DataFrame
) -> pd.DataFrame:
    """The time columns of the conversation fact, one row per conversation of ``conversations``."""
    agent = session_facts[session_facts["conversation_id"].notna() & ~session_facts["is_bot_session"]]
    times = session_times(tables, agent["session_id"])
    s = agent.join(times, on="session_id", how="inner")
    grouped = s.groupby("conversation_id")
    sums = grouped[["active", "talk", "hold", "wrapup", "open", "transit"]].sum()
    engaged = s[s["is_engaged"]].sort_values(["accepted_at", "session_id"], ascending=False, kind="mergesort")
    last_wrapup = engaged.drop_duplicates("conversation_id").set_index("conversation_id")["last_wrapup"]
    c = conversations.set_index("conversation_id")
    sums = sums.reindex(c.index)
    voice = c["channel_code"].isin(VOICE_CHANNELS).fillna(False).astype(bool)
    is_engaged = c["is_engaged"]
    active, talk, hold, wrapup = (sums[k].fillna(0.0).astype("float64") for k in ("active", "talk", "hold", "wrapup"))
    # Without the hold-event table (optional) hold and talk time are unknown: NULL, not 0; voice
    # handle time is then active + active wrap-up (active time is talk + hold).
    events_exported = not tables["msdyn_ocsessionparticipantevent"].attrs.get("absent", False)
    handle = (talk + hold + wrapup).where(voice & events_exported, active + wrapup)
    out = pd.DataFrame(
        {
            "is_voice": voice,
            "conversation_handle_time_seconds": handle.where(is_engaged),
            "hold_time_seconds": hold.where(is_engaged & voice & events_exported),
            "talk_time_seconds": talk.where(is_engaged & voice & events_exported),
            "wrap_up_time_seconds": last_wrapup.reindex(c.index).astype("float64").where(is_engaged),
            "open_hold_events": sums["open"].fillna(0).astype("int64"),
            "transfer_in_transit_events": sums["transit"].fillna(0).astype("int64"),
        }
    )
    return out.reset_index()
