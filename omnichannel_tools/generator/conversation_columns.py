"""The conversation-level columns of msdyn_ocliveworkitem, derived from the conversation's sessions.

Deterministic (no random draws), so adding them leaves every other value of an export unchanged:
first-wait start, active-agent assignment, wrap-up start, transfer count, the abandoned and
agent-accepted flags, queue and active agent, and the precomputed first wait in seconds.
"""

from __future__ import annotations

import numpy as np

from omnichannel_tools.generator.arrays import Columns, take
from omnichannel_tools.generator.dimensions import Context
from omnichannel_tools.generator.schema import CLOSURE_REASONS, CONVERSATION_CLOSED, NULL_CODE, NULL_TIMESTAMP, SECOND

TRANSFER_REASONS = (CLOSURE_REASONS["AgentTransfered"], CLOSURE_REASONS["AgentTransferToQueue"])
_LATEST = np.iinfo(np.int64).max


def _first(values: np.ndarray, owner: np.ndarray, n: int) -> np.ndarray:
    """The smallest non-NULL value per owner; NULL_TIMESTAMP where none."""
    out = np.full(n, _LATEST, np.int64)
    valid = values != NULL_TIMESTAMP
    np.minimum.at(out, owner[valid], values[valid])
    out[out == _LATEST] = NULL_TIMESTAMP
    return out


def _last_index(order_key: np.ndarray, owner: np.ndarray, rows: np.ndarray, n: int) -> np.ndarray:
    """Per owner, the index (into the session columns) of its row in ``rows`` with the largest key; -1 if none."""
    out = np.full(n, NULL_CODE, np.int64)
    picked = rows[np.lexsort((rows, order_key[rows], owner[rows]))]  # by owner, then key, then index
    if picked.size:
        last = np.r_[owner[picked][1:] != owner[picked][:-1], True]
        out[owner[picked][last]] = picked[last]
    return out


def conversation_columns(context: Context, conversations: Columns, s: Columns) -> Columns:
    """The new msdyn_ocliveworkitem columns, one value per simulated conversation (simulation order)."""
    n = conversations["createdon"].size
    owner = s["conversation"]
    human = ~s["is_bot"]
    rows = np.arange(owner.size)
    agent_rows = rows[human]
    never = np.full(owner.size, NULL_TIMESTAMP, np.int64)
    first_wait = _first(np.where(human, s["created"], never), owner, n)
    first_accept = _first(np.where(human, s["accepted"], never), owner, n)
    transfers = np.zeros(n, np.int64)
    np.add.at(transfers, owner[human & np.isin(s["closure"], TRANSFER_REASONS)], 1)
    has_agent = np.zeros(n, bool)
    has_agent[owner[agent_rows]] = True
    accepted = first_accept != NULL_TIMESTAMP
    incoming = has_agent & ~conversations["outbound"]
    closed = conversations["status"] == CONVERSATION_CLOSED
    last_session = _last_index(s["created"], owner, rows, n)
    last_accepted = _last_index(s["accepted"], owner, agent_rows[s["accepted"][agent_rows] != NULL_TIMESTAMP], n)
    last_agent_closed = np.where(last_accepted >= 0, s["closed"][np.maximum(last_accepted, 0)], NULL_TIMESTAMP)
    wrapup = np.where(closed & (last_accepted >= 0), last_agent_closed, NULL_TIMESTAMP)
    wait = np.where(incoming & accepted, (first_accept - first_wait) // SECOND, NULL_CODE)
    return {
        "msdyn_firstwaitstartedon": first_wait,
        "msdyn_activeagentassignedon": first_accept,
        "msdyn_wrapupinitiatedon": wrapup,
        "msdyn_transfercount": np.where(has_agent, transfers, NULL_CODE).astype(np.int32),
        "msdyn_isabandoned": incoming & closed & ~accepted,
        "msdyn_isagentaccepted": accepted,
        "msdyn_cdsqueueid": take(context.queue_ids, np.where(last_session >= 0, s["queue"][last_session], NULL_CODE)),
        "msdyn_activeagentid": take(
            context.user_ids, np.where(last_accepted >= 0, s["agent"][np.maximum(last_accepted, 0)], NULL_CODE)
        ),
        "msdyn_conversationfirstwaittimeinseconds": wait.astype(np.int32),
        # Not simulated (an older export's shape): present and NULL.
        "msdyn_conversationhandletimeinseconds": np.full(n, NULL_CODE, np.int32),
        "msdyn_conversationholdtimeinseconds": np.full(n, NULL_CODE, np.int32),
        "msdyn_conversationtalktimeinseconds": np.full(n, NULL_CODE, np.int32),
        "msdyn_conversationwrapuptimeinseconds": np.full(n, NULL_CODE, np.int32),
    }
