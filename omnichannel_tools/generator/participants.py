"""msdyn_sessionparticipant: a Primary participant per assigned session, second Primaries, consults, monitors."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from omnichannel_tools.generator.arrays import Columns, latest, microseconds, random_guids, take
from omnichannel_tools.generator.behaviour import (
    ACTIVE_SHARE_RANGE,
    CHANNEL_GROUP,
    GROUP_VOICE,
    HUMAN_AGENTS,
    SUPERVISORS,
)
from omnichannel_tools.generator.consults import consult_outcomes
from omnichannel_tools.generator.dimensions import Context
from omnichannel_tools.generator.participant_events import event_table, participant_times
from omnichannel_tools.generator.schema import (
    CLOSURE_REASONS,
    EXTERNAL_CHANNEL_TYPE_PHONE,
    LEFT_ON_REASONS,
    MODE_CONSULT,
    MODE_MONITOR,
    MODE_PRIMARY,
    NULL_CODE,
    NULL_TIMESTAMP,
    SCHEMAS,
    SECOND,
)
from omnichannel_tools.generator.tables import export_mechanics, older_versions, to_arrow, tombstones, written_before

# msdyn_leftonreason as an index: 0 none, else LEFT_ON_REASONS[reason - 1].
LEFT_NORMALLY, LEFT_ON_REJECT, LEFT_ON_TIMEOUT = 0, 1, 2


def _primaries(rng: np.random.Generator, context: Context, s: Columns) -> tuple[Columns, np.ndarray, np.ndarray]:
    """The Primary participant of every assigned session; also its share of active time and engagement."""
    assigned = np.flatnonzero(s["assigned"] != NULL_TIMESTAMP)
    accepted, closed = s["accepted"][assigned], s["closed"][assigned]
    group, bot = CHANNEL_GROUP[s["channel"]][assigned], s["is_bot"][assigned]
    share = rng.uniform(ACTIVE_SHARE_RANGE[group, 0], ACTIVE_SHARE_RANGE[group, 1])
    worked = np.where(closed != NULL_TIMESTAMP, closed, context.end_us) - accepted
    is_accepted, is_closed = accepted != NULL_TIMESTAMP, closed != NULL_TIMESTAMP
    still_open = is_accepted & ~is_closed & (rng.random(assigned.size) < 0.3)
    active = np.select(
        [bot, still_open, is_accepted, is_closed], [worked // SECOND, NULL_CODE, worked * share // SECOND, 0], NULL_CODE
    )
    engaged = is_accepted & is_closed & ~bot
    active[engaged & (rng.random(assigned.size) < 0.005)] = NULL_CODE  # activetime not recorded
    closure = s["closure"][assigned]
    reason = np.select(
        [closure == CLOSURE_REASONS["AgentReject"], closure == CLOSURE_REASONS["AgentTimeout"]],
        [LEFT_ON_REJECT, LEFT_ON_TIMEOUT],
        LEFT_NORMALLY,
    )
    external = is_accepted & ~bot & (group == GROUP_VOICE) & (rng.random(assigned.size) < 0.02)
    primaries = {
        "session": assigned,
        "agent": np.where(external, NULL_CODE, s["agent"][assigned]),
        "mode": np.full(assigned.size, MODE_PRIMARY),
        "added": s["assigned"][assigned],
        "joined": accepted,
        "left": closed.copy(),
        "reason": reason,
        "active": active,
        "external": external,
    }
    return primaries, share, engaged


def _second_primaries(
    rng: np.random.Generator, context: Context, s: Columns, primaries: Columns, share: np.ndarray, engaged: np.ndarray
) -> Columns:
    """A second Primary participant on a few sessions: the work changes hands without a new session."""
    accepted, closed = primaries["joined"], primaries["left"].copy()
    span = closed - accepted
    chosen = np.flatnonzero(engaged & ~primaries["external"] & (span > 60 * SECOND) & (rng.random(span.size) < 0.006))
    handover = accepted[chosen] + (span[chosen] * rng.uniform(0.2, 0.6, chosen.size)).astype(np.int64)
    primaries["left"][chosen] = handover
    primaries["active"][chosen] = (handover - accepted[chosen]) * share[chosen] // SECOND
    joined = np.minimum(handover + microseconds(rng.lognormal(np.log(4.0), 0.5, chosen.size)), closed[chosen])
    queue = s["queue"][primaries["session"][chosen]]
    k = rng.integers(0, context.staff_size[queue])
    second = context.staff[queue, k]
    next_in_staff = context.staff[queue, (k + 1) % context.staff_size[queue]]
    second = np.where(second == primaries["agent"][chosen], next_in_staff, second)
    return {
        "session": primaries["session"][chosen],
        "agent": second,
        "mode": np.full(chosen.size, MODE_PRIMARY),
        "added": handover,
        "joined": joined,
        "left": closed[chosen],
        "reason": np.zeros(chosen.size, int),
        "active": (closed[chosen] - joined) * share[chosen] // SECOND,
        "external": np.zeros(chosen.size, bool),
    }


def _helpers(
    rng: np.random.Generator,
    primaries: Columns,
    closed: np.ndarray,
    engaged: np.ndarray,
    mode: int,
    share_of: float,
    min_span_s: int,
) -> Columns:
    """Consult or monitor participants on some engaged sessions (a monitor is a supervisor, joined when added)."""
    accepted = primaries["joined"]
    span = closed - accepted
    chosen = np.flatnonzero(engaged & (span > min_span_s * SECOND) & (rng.random(span.size) < share_of))
    added = accepted[chosen] + (span[chosen] * rng.uniform(0.05, 0.6, chosen.size)).astype(np.int64)
    joined = np.minimum(added + microseconds(rng.lognormal(np.log(6.0), 0.6, chosen.size)), closed[chosen])
    left = joined + ((closed[chosen] - joined) * rng.uniform(0.3, 1.0, chosen.size)).astype(np.int64)
    active = (left - joined) * rng.uniform(0.4, 1.0, chosen.size) // SECOND
    reason = np.zeros(chosen.size, int)
    if mode == MODE_MONITOR:
        who, joined = rng.integers(0, SUPERVISORS, chosen.size), added
    else:
        who = rng.integers(0, HUMAN_AGENTS, chosen.size)
        who = np.where(who == primaries["agent"][chosen], (who + 1) % HUMAN_AGENTS, who)
        joined, left, reason, active = consult_outcomes(added, joined, left, active)
    return {
        "session": primaries["session"][chosen],
        "agent": who,
        "mode": np.full(chosen.size, mode),
        "added": added,
        "joined": joined,
        "left": left,
        "reason": reason,
        "active": active,
        "external": np.zeros(chosen.size, bool),
    }


def participant_rows(rng: np.random.Generator, context: Context, s: Columns) -> Columns:
    """Participants as numpy columns, ordered by added time then mode."""
    primaries, share, engaged = _primaries(rng, context, s)
    closed = primaries["left"].copy()  # before a second Primary takes over
    groups = [primaries, _second_primaries(rng, context, s, primaries, share, engaged)]
    for mode, share_of, min_span_s in ((MODE_CONSULT, 0.05, 120), (MODE_MONITOR, 0.025, 60)):
        groups.append(_helpers(rng, primaries, closed, engaged, mode, share_of, min_span_s))
    rows = {name: np.concatenate([group[name] for group in groups]) for name in primaries}
    order = np.lexsort((rows["mode"], rows["added"]))
    return {name: values[order] for name, values in rows.items()}


def participant_table(
    rng: np.random.Generator, context: Context, s: Columns, session_ids: pa.Array, details_rng: np.random.Generator
) -> tuple[pa.Table, pa.Table]:
    """msdyn_sessionparticipant rows (current, older versions, tombstones) and their hold events
    (msdyn_ocsessionparticipantevent; drawn from ``details_rng``)."""
    r = participant_rows(rng, context, s)
    n = r["session"].size
    digits = pc.utf8_lpad(pa.array(rng.integers(0, 10_000, n)).cast(pa.string()), 4, padding="0")
    phones = pc.binary_join_element_wise("+1425555", digits, "")
    ids = random_guids(rng, n)
    columns: Columns = {
        "msdyn_sessionparticipantid": ids,
        "msdyn_omnichannelsession": take(session_ids, r["session"]),
        "msdyn_agentid": take(context.user_ids, r["agent"]),
        "msdyn_mode": r["mode"].astype(np.int32),
        "msdyn_addedon": r["added"],
        "msdyn_joinedon": r["joined"],
        "msdyn_lefton": r["left"],
        "msdyn_leftonreason": take(pa.array(LEFT_ON_REASONS), r["reason"] - 1),
        "msdyn_activetime": r["active"].astype(np.int64),
        "msdyn_externalparticipantchannel": pc.if_else(pa.array(r["external"]), phones, pa.scalar(None, pa.string())),
        "msdyn_externalparticipantchanneltype": np.where(r["external"], EXTERNAL_CHANNEL_TYPE_PHONE, NULL_CODE),
    }
    times, events = participant_times(details_rng, s, r)
    columns.update(times)
    change = latest(r["added"], r["joined"], r["left"])
    version, sink = export_mechanics(rng, change)
    schema = SCHEMAS["msdyn_sessionparticipant"]
    # Older versions: the participant before leaving (no lefton, no activetime yet).
    left = r["left"] != NULL_TIMESTAMP
    rows = np.flatnonzero((r["left"] - r["added"] > 5 * SECOND) & left & (rng.random(n) < 0.01))
    cut = written_before(rng, r["added"][rows], r["left"][rows])
    joined = np.where(r["joined"][rows] <= cut, r["joined"][rows], NULL_TIMESTAMP)
    old = older_versions(
        rng,
        schema,
        columns,
        rows,
        latest(r["added"][rows], joined),
        version,
        sink,
        {
            "msdyn_joinedon": joined,
            "msdyn_lefton": np.full(rows.size, NULL_TIMESTAMP),
            "msdyn_leftonreason": pa.nulls(rows.size, pa.string()),
            "msdyn_activetime": np.full(rows.size, NULL_CODE),
            **{name: np.full(rows.size, NULL_CODE) for name in times},
        },
    )
    deleted = tombstones(rng, context.end_us, schema, ids, change, 0.002)
    participants = pa.concat_tables([to_arrow(schema, columns, version, sink), old, deleted])
    return participants, event_table(details_rng, context, r, events, ids, session_ids)
