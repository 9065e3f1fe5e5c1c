"""The fact tables built from the simulated sessions: msdyn_ocsession, msdyn_ocliveworkitem, sentiment."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from omnichannel_tools.generator.arrays import Columns, latest, random_guids, take
from omnichannel_tools.generator.behaviour import (
    CHANNEL_CODES,
    CHANNEL_GROUP,
    CHANNEL_HAS_INSTANCE,
    GROUP_ENTITY_RECORDS,
    SENTIMENT_ZONE_EDGES,
    SENTIMENT_ZONES,
)
from omnichannel_tools.generator.conversation_columns import conversation_columns
from omnichannel_tools.generator.dimensions import CHANNEL_INSTANCES_PER_CHANNEL, Context
from omnichannel_tools.generator.schema import (
    CONVERSATION_ACTIVE,
    NULL_CODE,
    NULL_TIMESTAMP,
    SCHEMAS,
    SECOND,
    SESSION_STATUS_COMPLETED,
    SESSION_STATUS_OPEN,
    STATE_ACTIVE,
    STATE_NEW,
)
from omnichannel_tools.generator.tables import export_mechanics, older_versions, to_arrow, tombstones, written_before


def _session_columns(
    rng: np.random.Generator, context: Context, s: Columns, conversation_ids: pa.Array, first_number: int, width: int
) -> Columns:
    """The current msdyn_ocsession row of every simulated session."""
    n = s["conversation"].size
    ids = random_guids(rng, n)
    group = CHANNEL_GROUP[s["channel"]]
    number = pc.utf8_lpad(pa.array(np.arange(first_number, first_number + n)).cast(pa.string()), width, padding="0")
    instance = s["channel"] * CHANNEL_INSTANCES_PER_CHANNEL + rng.integers(0, CHANNEL_INSTANCES_PER_CHANNEL, n)
    no_channel = (group != GROUP_ENTITY_RECORDS) & (rng.random(n) < 0.001)
    channel = np.where(no_channel, NULL_CODE, CHANNEL_CODES[s["channel"]])
    closed_out = s["closed"].copy()
    closed_by_state_alone = ~s["is_open"] & ~s["is_bot"] & (rng.random(n) < 0.003)
    closed_out[closed_by_state_alone] = NULL_TIMESTAMP
    return {
        "activityid": ids,
        "msdyn_sessionid": pc.binary_join_element_wise("session-", number, ""),
        "msdyn_liveworkitemid": take(conversation_ids, s["conversation"]),
        "msdyn_queueid": take(context.queue_ids, s["queue"]),
        "msdyn_channel": channel.astype(np.int32),
        "msdyn_channelinstanceid": take(
            context.instance_ids, np.where(CHANNEL_HAS_INSTANCE[s["channel"]], instance, NULL_CODE)
        ),
        "msdyn_sessioncreatedon": s["created"],
        "msdyn_agentassignedon": s["assigned"],
        "msdyn_agentacceptedon": s["accepted"],
        "msdyn_sessionclosedon": closed_out,
        "msdyn_state": s["state"],
        "msdyn_closurereason": s["closure"],
        "statuscode": np.where(s["is_open"], SESSION_STATUS_OPEN, SESSION_STATUS_COMPLETED).astype(np.int32),
    }


def session_table(
    rng: np.random.Generator, context: Context, s: Columns, conversation_ids: pa.Array, first_number: int, width: int
) -> tuple[pa.Table, pa.Array]:
    """msdyn_ocsession rows (current, older versions, tombstones) and the session keys."""
    columns = _session_columns(rng, context, s, conversation_ids, first_number, width)
    n = s["conversation"].size
    change = latest(s["created"], s["assigned"], s["accepted"], s["closed"])
    version, sink = export_mechanics(rng, change)
    schema = SCHEMAS["msdyn_ocsession"]
    # Older versions: the row as it was while still open (before it was closed).
    rows = np.flatnonzero(~s["is_open"] & (s["closed"] - s["created"] > 5 * SECOND) & (rng.random(n) < 0.025))
    cut = written_before(rng, s["created"][rows], s["closed"][rows])
    assigned = np.where(s["assigned"][rows] <= cut, s["assigned"][rows], NULL_TIMESTAMP)
    accepted = np.where(s["accepted"][rows] <= cut, s["accepted"][rows], NULL_TIMESTAMP)
    old = older_versions(
        rng,
        schema,
        columns,
        rows,
        latest(s["created"][rows], assigned, accepted),
        version,
        sink,
        {
            "msdyn_agentassignedon": assigned,
            "msdyn_agentacceptedon": accepted,
            "msdyn_sessionclosedon": np.full(rows.size, NULL_TIMESTAMP),
            "msdyn_state": np.where(assigned == NULL_TIMESTAMP, STATE_NEW, STATE_ACTIVE),
            "msdyn_closurereason": np.full(rows.size, NULL_CODE),
            "statuscode": np.full(rows.size, SESSION_STATUS_OPEN, np.int32),
        },
    )
    deleted = tombstones(rng, context.end_us, schema, columns["activityid"], change, 0.003)
    return pa.concat_tables([to_arrow(schema, columns, version, sink), old, deleted]), columns["activityid"]


def conversation_table(
    rng: np.random.Generator, context: Context, conversations: Columns, s: Columns, conversation_ids: pa.Array
) -> pa.Table:
    """msdyn_ocliveworkitem rows (current, older versions, tombstones), in creation order."""
    n = conversations["createdon"].size
    last = conversations["createdon"].copy()
    np.maximum.at(last, s["conversation"], latest(s["created"], s["assigned"], s["accepted"], s["closed"]))
    change = np.maximum(last, conversations["closed"])
    order = np.argsort(conversations["createdon"], kind="stable")
    columns: Columns = {
        "activityid": take(conversation_ids, order),
        "msdyn_isoutbound": conversations["outbound"][order],
        "statuscode": conversations["status"][order],
        "msdyn_createdon": conversations["createdon"][order],
        "msdyn_closedon": conversations["closed"][order],
    }
    for name, values in conversation_columns(context, conversations, s).items():
        columns[name] = values[order] if isinstance(values, np.ndarray) else take(values, order)
    change = change[order]
    version, sink = export_mechanics(rng, change)
    schema = SCHEMAS["msdyn_ocliveworkitem"]
    closed = columns["msdyn_closedon"]
    long_enough = (closed != NULL_TIMESTAMP) & (closed - columns["msdyn_createdon"] > 5 * SECOND)
    rows = np.flatnonzero(long_enough & (rng.random(n) < 0.01))
    cut = written_before(rng, columns["msdyn_createdon"][rows], closed[rows])
    old = older_versions(
        rng,
        schema,
        columns,
        rows,
        cut,
        version,
        sink,
        {
            "statuscode": np.full(rows.size, CONVERSATION_ACTIVE, np.int32),
            "msdyn_closedon": np.full(rows.size, NULL_TIMESTAMP),
            "msdyn_wrapupinitiatedon": np.full(rows.size, NULL_TIMESTAMP),
        },
    )
    deleted = tombstones(rng, context.end_us, schema, columns["activityid"], change, 0.001)
    return pa.concat_tables([to_arrow(schema, columns, version, sink), old, deleted])


def sentiment_table(rng: np.random.Generator, context: Context, s: Columns, session_ids: pa.Array) -> pa.Table:
    """msdyn_ocsessionsentiment: 1-6 rows over most engaged agent sessions (a random walk of the pulse)."""
    group = CHANNEL_GROUP[s["channel"]]
    eligible = (s["accepted"] != NULL_TIMESTAMP) & ~s["is_bot"] & (group != GROUP_ENTITY_RECORDS)
    sessions = np.flatnonzero(eligible & (rng.random(group.size) < 0.8))
    readings = 1 + rng.binomial(5, 0.3, sessions.size)
    owner = np.repeat(np.arange(sessions.size), readings)  # the session of each reading
    first = np.repeat(np.cumsum(readings) - readings, readings)
    start = s["accepted"][sessions][owner]
    stop = np.where(s["closed"][sessions] != NULL_TIMESTAMP, s["closed"][sessions], context.end_us)[owner]
    fraction = np.sort(owner + rng.random(owner.size)) - owner  # sorted within each session
    created = start + ((stop - start) * fraction).astype(np.int64)
    steps = np.where(np.arange(owner.size) == first, rng.normal(58, 18, owner.size), rng.normal(0, 11, owner.size))
    walk = np.cumsum(steps)
    firsts = np.cumsum(readings) - readings
    walk -= np.repeat(walk[firsts] - steps[firsts], readings)
    pulse = np.round(np.clip(walk, 0, 100), 2)
    ids = random_guids(rng, owner.size)
    columns: Columns = {
        "msdyn_ocsessionsentimentid": ids,
        "msdyn_omnichannelsession": take(session_ids, sessions[owner]),
        "msdyn_sentimentpulse": pulse,
        "msdyn_sentimentzone": take(SENTIMENT_ZONES, np.digitize(pulse, SENTIMENT_ZONE_EDGES)),
        "createdon": created,
    }
    version, sink = export_mechanics(rng, created)
    schema = SCHEMAS["msdyn_ocsessionsentiment"]
    deleted = tombstones(rng, context.end_us, schema, ids, created, 0.002)
    return pa.concat_tables([to_arrow(schema, columns, version, sink), deleted])
