"""How consult requests end: accepted (joined), rejected, timed out, or withdrawn before anyone joined.

Drawn from a stream of its own, seeded by the consults' times, so the rest of the export is the
same draw for draw as without it. Shares: 72 % accepted, 12 % rejected (AgentReject), 10 % timed
out (AgentTimeout), 6 % never joined and no reason (the requester withdrew).
"""

from __future__ import annotations

import numpy as np

from omnichannel_tools.generator.arrays import microseconds
from omnichannel_tools.generator.schema import NULL_CODE, NULL_TIMESTAMP

ACCEPTED, REJECTED, TIMED_OUT, WITHDRAWN = range(4)
SHARES = np.array([0.72, 0.12, 0.10, 0.06])
# msdyn_leftonreason as an index (participants.py): 0 none, 1 AgentReject, 2 AgentTimeout.
REASON = np.array([0, 1, 2, 0])


def consult_outcomes(
    added: np.ndarray, joined: np.ndarray, left: np.ndarray, active: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """joined, left, reason index and active time of consult participants once their outcome is drawn."""
    rng = np.random.default_rng(np.random.SeedSequence([7_000_003, *(int(t) % 2**32 for t in added[:8])]))
    outcome = np.searchsorted(np.cumsum(SHARES), rng.random(added.size) * SHARES.sum(), side="right")
    outcome = np.minimum(outcome, len(SHARES) - 1)
    declined = outcome != ACCEPTED
    waited = np.where(outcome == TIMED_OUT, rng.uniform(60, 120, added.size), rng.uniform(2, 20, added.size))
    joined = np.where(declined, NULL_TIMESTAMP, joined)
    left = np.where(declined, added + microseconds(waited), left)
    active = np.where(declined, NULL_CODE, active)
    return joined, left, REASON[outcome], active
