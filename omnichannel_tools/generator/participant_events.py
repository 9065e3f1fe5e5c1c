"""Talk, hold, inactive and active wrap-up times of participants, and msdyn_ocsessionparticipantevent rows.

Drawn from a random stream of their own (``details_rng``), so adding them leaves every other value of
an export unchanged. Voice Primary participants who joined put the customer on hold now and then
(agent-initiated Hold events; one still open on a participant still on the call); a transferred
voice session ends with a "session transfer in transit" Hold event, which no hold time counts.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from omnichannel_tools.generator.arrays import Columns, microseconds, random_guids, take
from omnichannel_tools.generator.behaviour import CHANNEL_GROUP, GROUP_VOICE
from omnichannel_tools.generator.dimensions import Context
from omnichannel_tools.generator.schema import (
    CLOSURE_REASONS,
    MODE_PRIMARY,
    NULL_CODE,
    NULL_TIMESTAMP,
    SCHEMAS,
    SECOND,
)
from omnichannel_tools.generator.tables import export_mechanics, to_arrow, tombstones

EVENT_TYPE_HOLD = 192350001
EVENT_REASON_AGENT = 192350000
EVENT_REASON_TRANSFER_IN_TRANSIT = 192350001
TRANSFERS = (CLOSURE_REASONS["AgentTransfered"], CLOSURE_REASONS["AgentTransferToQueue"])


def participant_times(rng: np.random.Generator, s: Columns, r: Columns) -> tuple[Columns, Columns]:
    """The new participant columns (seconds, NULL_CODE = NULL) and the hold events as numpy columns."""
    n = r["session"].size
    voice = CHANNEL_GROUP[s["channel"]][r["session"]] == GROUP_VOICE
    joined, left = r["joined"], r["left"]
    worked = (joined != NULL_TIMESTAMP) & (r["active"] >= 0)
    primary = r["mode"] == MODE_PRIMARY
    holding = voice & primary & (joined != NULL_TIMESTAMP) & (rng.random(n) < 0.35)
    starts, ends, owners = [], [], []
    for k in (1, 2):  # up to two agent-initiated holds per participant
        who = np.flatnonzero(holding & (rng.random(n) < (1.0 if k == 1 else 0.3)))
        stop = np.where(left[who] != NULL_TIMESTAMP, left[who], joined[who] + 600 * SECOND)
        start = joined[who] + ((stop - joined[who]) * rng.uniform(0.1 * k, 0.4 * k, who.size)).astype(np.int64)
        end = np.minimum(start + microseconds(rng.lognormal(np.log(35.0), 0.6, who.size)), stop)
        still_open = (left[who] == NULL_TIMESTAMP) & (k == 1)
        end[still_open] = NULL_TIMESTAMP
        starts.append(start), ends.append(end), owners.append(who)
    start, end, owner = np.concatenate(starts), np.concatenate(ends), np.concatenate(owners)
    closed_hold = end != NULL_TIMESTAMP
    hold = np.zeros(n, np.int64)
    np.add.at(hold, owner[closed_hold], (end[closed_hold] - start[closed_hold]) // SECOND)
    transfer = np.flatnonzero(
        voice
        & primary
        & (left != NULL_TIMESTAMP)
        & (joined != NULL_TIMESTAMP)
        & np.isin(s["closure"][r["session"]], TRANSFERS)
    )
    transit_start = np.maximum(left[transfer] - microseconds(rng.uniform(2.0, 20.0, transfer.size)), joined[transfer])
    events = {
        "owner": np.concatenate([owner, transfer]),
        "start": np.concatenate([start, transit_start]),
        "end": np.concatenate([end, left[transfer]]),
        "reason": np.concatenate(
            [np.full(owner.size, EVENT_REASON_AGENT), np.full(transfer.size, EVENT_REASON_TRANSFER_IN_TRANSIT)]
        ),
    }
    active = r["active"]
    talk = np.where(voice & worked, np.maximum(active - hold, 0), NULL_CODE)
    wrapup = np.where(
        worked & primary & (left != NULL_TIMESTAMP), (rng.lognormal(np.log(25.0), 0.7, n)).astype(np.int64), NULL_CODE
    )
    inactive = np.where(worked, (rng.random(n) * 0.2 * np.maximum(active, 0)).astype(np.int64), NULL_CODE)
    columns = {
        "msdyn_inactivetime": inactive,
        "msdyn_talktime": talk,
        "msdyn_holdtime": np.where(voice & worked, hold, NULL_CODE),
        "msdyn_activewrapuptime": wrapup,
    }
    return columns, events


def event_table(
    rng: np.random.Generator,
    context: Context,
    r: Columns,
    events: Columns,
    participant_ids: pa.Array,
    session_ids: pa.Array,
) -> pa.Table:
    """msdyn_ocsessionparticipantevent rows (current and a few tombstones)."""
    owner = events["owner"]
    order = np.lexsort((owner, events["start"]))
    owner, start, end, reason = owner[order], events["start"][order], events["end"][order], events["reason"][order]
    ids = random_guids(rng, owner.size)
    duration = np.where(end != NULL_TIMESTAMP, (end - start) // SECOND, NULL_CODE)
    columns: Columns = {
        "msdyn_ocsessionparticipanteventid": ids,
        "msdyn_sessionid": take(session_ids, r["session"][owner]),
        "msdyn_sessionparticipantid": take(participant_ids, owner),
        "msdyn_eventtype": np.full(owner.size, EVENT_TYPE_HOLD, np.int32),
        "msdyn_eventreason": reason.astype(np.int32),
        "msdyn_eventstarttime": start,
        "msdyn_eventendtime": end,
        "msdyn_eventduration": duration.astype(np.int32),
    }
    change = np.where(end != NULL_TIMESTAMP, end, start)
    version, sink = export_mechanics(rng, change)
    schema = SCHEMAS["msdyn_ocsessionparticipantevent"]
    deleted = tombstones(rng, context.end_us, schema, ids, change, 0.002)
    return pa.concat_tables([to_arrow(schema, columns, version, sink), deleted])
