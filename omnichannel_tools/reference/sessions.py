"""The session fact: one row per current in-scope session, every field of the definition."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from omnichannel_tools.reference.loading import latest_mask
from omnichannel_tools.reference.parsing import as_text
from omnichannel_tools.reference.schema import (
    CHANNEL_ENTITY_RECORDS,
    CLOSURE_REJECT,
    CLOSURE_TIMEOUT,
    CLOSURE_TRANSFER,
    DEFAULT_SEED,
    FACT_COLUMNS,
    MODE_PRIMARY,
    SESSION_COLUMNS,
    STATE_CLOSED,
)


def _epoch_us(values: pd.Series) -> np.ndarray:
    """Whole epoch microseconds of a datetime column; NaT gives garbage that the callers mask."""
    return values.astype("datetime64[us]").to_numpy().view("int64")


def seconds_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Exact seconds from start to end, at microsecond precision (the finest DuckDB and Spark hold).

    NULL when either end is NULL or when end is before start (a data fault).
    """
    diff = (_epoch_us(end) - _epoch_us(start)) / 1_000_000.0
    invalid = start.isna().to_numpy() | end.isna().to_numpy() | (diff < 0)
    return pd.Series(np.where(invalid, np.nan, diff), index=start.index, dtype="float64")


def _session_codes(session_ids: pd.Series, references: pd.Series) -> np.ndarray:
    """Position of each referenced session in ``session_ids`` (-1 when absent/NULL)."""
    return pd.Index(session_ids).get_indexer(references)


def _latest_per_session(frame: pd.DataFrame, codes: np.ndarray, order: list[str], n_sessions: int) -> pd.DataFrame:
    """The latest row of every session (by ``order`` descending, NULLs last).

    Returns a frame aligned with the sessions (RangeIndex of ``n_sessions``), all NULL
    for a session without rows.
    """
    mask = latest_mask(codes, frame, order)
    latest = frame[mask].set_axis(codes[mask])
    return latest.reindex(pd.RangeIndex(n_sessions))


def primary_participants(participants: pd.DataFrame, session_ids: pd.Series) -> pd.DataFrame:
    """Per session (aligned with ``session_ids``): its Primary participants' facts.

    agent_id and is_external come from the latest Primary (joinedon, then addedon,
    then participant id, all descending with NULLs last); is_external means that
    Primary has a non-empty external channel and joined. active_time_sum adds
    msdyn_activetime over all Primaries (NULL or negative counts 0).
    """
    needed = [
        "msdyn_omnichannelsession",
        "msdyn_agentid",
        "msdyn_joinedon",
        "msdyn_addedon",
        "msdyn_sessionparticipantid",
        "msdyn_activetime",
        "msdyn_externalparticipantchannel",
    ]
    primary = participants.loc[_flag(participants["msdyn_mode"].eq(MODE_PRIMARY)), needed]
    codes = _session_codes(session_ids, primary["msdyn_omnichannelsession"])
    n = len(session_ids)
    latest = _latest_per_session(primary, codes, ["msdyn_joinedon", "msdyn_addedon", "msdyn_sessionparticipantid"], n)
    active = primary["msdyn_activetime"].to_numpy(dtype="float64", na_value=np.nan)
    active = np.where(np.isnan(active) | (active < 0), 0.0, active)
    found = codes >= 0
    active_sum = np.bincount(codes[found], weights=active[found], minlength=n)
    return pd.DataFrame(
        {
            "agent_id": as_text(latest["msdyn_agentid"]),
            "is_external": (
                latest["msdyn_externalparticipantchannel"].notna() & latest["msdyn_joinedon"].notna()
            ).to_numpy(dtype=bool),
            "active_time_sum": active_sum,
        }
    )


def latest_sentiment(sentiment: pd.DataFrame, session_ids: pd.Series) -> pd.DataFrame:
    """Per session (aligned with ``session_ids``): pulse and zone of the latest
    sentiment row (createdon, then sentiment id, descending, NULLs last)."""
    codes = _session_codes(session_ids, sentiment["msdyn_omnichannelsession"])
    order = ["createdon", "msdyn_ocsessionsentimentid"]
    needed = sentiment[[*order, "msdyn_sentimentpulse", "msdyn_sentimentzone"]]
    latest = _latest_per_session(needed, codes, order, len(session_ids))
    return latest[["msdyn_sentimentpulse", "msdyn_sentimentzone"]]


def bot_user_ids(systemusers: pd.DataFrame) -> pd.Index:
    """Ids of the system users that are bots (non-empty msdyn_botapplicationid)."""
    bots = systemusers["msdyn_botapplicationid"].notna()
    return pd.Index(systemusers.loc[bots, "systemuserid"])


def closure_labels(seed: Path = DEFAULT_SEED) -> pd.Series:
    """Closure reason label by code, from the glossary seed."""
    glossary = pd.read_csv(seed, dtype={"code": "int64", "label": "str"})
    return glossary.set_index("code")["label"]


def _label_closure(codes: pd.Series, labels: pd.Series) -> pd.Series:
    """Label each code; 'Unknown' for a code the glossary lacks, NULL for NULL."""
    mapped = codes.astype("float64").map(labels.set_axis(labels.index.astype("float64")))
    mapped = as_text(mapped)
    return mapped.where(codes.isna().to_numpy() | mapped.notna().to_numpy(), "Unknown")


def session_date(created_at: pd.Series, reporting_timezone: str = "UTC") -> pd.Series:
    """Calendar date of a UTC timestamp in the reporting time zone (midnight datetime)."""
    local = created_at
    if reporting_timezone.upper() != "UTC":
        local = created_at.dt.tz_localize("UTC").dt.tz_convert(reporting_timezone)
        local = local.dt.tz_localize(None)
    return local.dt.normalize().astype("datetime64[us]")


def _flag(values: pd.Series) -> pd.Series:
    """A never-NULL boolean flag: an unknown fact is false."""
    return values.fillna(False).astype(bool)


def in_scope_sessions(
    sessions: pd.DataFrame, exclude_entity_records: bool = True, exclude_channel_instance_sessions: bool = False
) -> pd.DataFrame:
    """Current sessions in scope: not on the Entity Records channel (unless switched
    off); a session with no channel is in scope. With exclude_channel_instance_sessions,
    Microsoft's "SMS filter": only sessions without a channel instance."""
    sessions = sessions[SESSION_COLUMNS]
    if exclude_entity_records:
        sessions = sessions[~_flag(sessions["msdyn_channel"].eq(CHANNEL_ENTITY_RECORDS))]
    if exclude_channel_instance_sessions:
        sessions = sessions[sessions["msdyn_channelinstanceid"].isna()]
    return sessions.reset_index(drop=True)


def session_status(sessions: pd.DataFrame, closure_seed: Path = DEFAULT_SEED) -> pd.DataFrame:
    """Lifecycle flags and closure reason of each session."""
    code = sessions["msdyn_closurereason"]
    is_closed = _flag(sessions["msdyn_sessionclosedon"].notna() | sessions["msdyn_state"].eq(STATE_CLOSED))
    return pd.DataFrame(
        {
            "is_closed": is_closed,
            "is_active": ~is_closed,
            "is_assigned": sessions["msdyn_agentassignedon"].notna(),
            "is_engaged": sessions["msdyn_agentacceptedon"].notna(),
            "closure_reason_code": code,
            "closure_reason_label": _label_closure(code, closure_labels(closure_seed)),
            "is_transferred_out": _flag(code.isin(CLOSURE_TRANSFER)),
            "is_rejected": _flag(code.eq(CLOSURE_REJECT)),
            "is_timed_out": _flag(code.eq(CLOSURE_TIMEOUT)),
        }
    )


def session_durations(sessions: pd.DataFrame, status: pd.DataFrame, active_time_sum: pd.Series) -> pd.DataFrame:
    """Wait, accept, reject and handle times of each session (seconds, NaN = NULL)."""
    created = sessions["msdyn_sessioncreatedon"]
    assigned = sessions["msdyn_agentassignedon"]
    accepted = sessions["msdyn_agentacceptedon"]
    closed = sessions["msdyn_sessionclosedon"]
    return pd.DataFrame(
        {
            "wait_time_seconds": seconds_between(created, accepted.fillna(closed)).where(status["is_closed"]),
            "time_to_accept_seconds": seconds_between(assigned, accepted),
            "time_to_reject_seconds": seconds_between(assigned, closed).where(status["is_rejected"]),
            "handle_time_seconds": active_time_sum.astype("float64").where(status["is_engaged"]),
        }
    )


def session_facts(
    tables: Mapping[str, pd.DataFrame],
    reporting_timezone: str = "UTC",
    exclude_entity_records: bool = True,
    closure_seed: Path = DEFAULT_SEED,
    exclude_channel_instance_sessions: bool = False,
) -> pd.DataFrame:
    """One row per current in-scope session with the columns of the session fact.

    ``tables`` is the output of :func:`load_export`. Timestamps are naive UTC,
    session_date is the local reporting date as a midnight ``datetime64``, durations
    are float seconds (NaN = NULL), flags are plain ``bool``.
    """
    sessions = in_scope_sessions(tables["msdyn_ocsession"], exclude_entity_records, exclude_channel_instance_sessions)
    sid = sessions["activityid"]
    primary = primary_participants(tables["msdyn_sessionparticipant"], sid)
    sentiment = latest_sentiment(tables["msdyn_ocsessionsentiment"], sid)
    status = session_status(sessions, closure_seed)
    durations = session_durations(sessions, status, primary["active_time_sum"])
    created = sessions["msdyn_sessioncreatedon"]
    facts = pd.concat(
        [
            pd.DataFrame(
                {
                    "session_id": sid,
                    "conversation_id": sessions["msdyn_liveworkitemid"],
                    # the lookup to queue when exported, else the legacy omnichannel queue
                    "queue_id": sessions["msdyn_cdsqueueid"].fillna(sessions["msdyn_queueid"]),
                    "channel_code": sessions["msdyn_channel"],
                    "agent_id": primary["agent_id"],
                    "is_bot_session": primary["agent_id"].isin(bot_user_ids(tables["systemuser"])),
                    "created_at": created,
                    "assigned_at": sessions["msdyn_agentassignedon"],
                    "accepted_at": sessions["msdyn_agentacceptedon"],
                    "closed_at": sessions["msdyn_sessionclosedon"],
                    "session_date": session_date(created, reporting_timezone),
                    "is_handled_by_external_participant": primary["is_external"],
                    "customer_sentiment_pulse": sentiment["msdyn_sentimentpulse"].astype("float64"),
                    "customer_sentiment_zone": as_text(sentiment["msdyn_sentimentzone"]),
                }
            ),
            status,
            durations,
        ],
        axis=1,
    )
    return facts[FACT_COLUMNS]
