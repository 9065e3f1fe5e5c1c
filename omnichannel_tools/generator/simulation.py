"""The contact centre, simulated in rounds: every round creates one session per conversation in flight.

A round draws each session's outcome (a bot ends the conversation or escalates it; an agent
session is abandoned, moved by a supervisor, rejected, timed out, or accepted and closed, maybe
with a transfer); the outcomes that hand the conversation on feed the next round. Sessions still
running at the end of the range stay open.

Sessions are a dict of numpy columns (NULL as a sentinel): ``conversation`` (index),
``channel`` (index into behaviour.CHANNELS), ``queue``, ``agent`` (user index), ``is_bot``,
``created``, ``assigned``, ``accepted``, ``closed`` (µs), ``closure`` (code), ``continues``,
``next_queue``, ``next_time``; after the snapshot also ``is_open`` and ``state``.
"""

from __future__ import annotations

import numpy as np

from omnichannel_tools.generator.arrays import Columns, draw_category, microseconds
from omnichannel_tools.generator.behaviour import (
    ABANDON_CLOSURES,
    ABANDON_MEDIAN_S,
    ABANDON_WEIGHTS,
    ACCEPT_MEDIAN_S,
    ACCEPTED_CLOSURES,
    ACCEPTED_THEN,
    ACCEPTED_WEIGHTS,
    BOT_CLOSURES,
    BOT_QUEUE,
    BOT_WEIGHTS,
    BOTS,
    CHANNEL_BOT_SHARE,
    CHANNEL_GROUP,
    CHANNEL_OUTBOUND_SHARE,
    CHANNEL_WEIGHTS,
    FINAL_ACCEPTED_WEIGHTS,
    FINAL_OUTCOME_WEIGHTS,
    FIRST_QUEUE_WEIGHTS,
    GROUP_CHAT,
    GROUP_MESSAGING,
    GROUP_VOICE,
    HANDLE_MEDIAN_S,
    HANDLE_SIGMA,
    HUMAN_AGENTS,
    MAX_ROUNDS,
    OUTCOME_ABANDON,
    OUTCOME_ACCEPT,
    OUTCOME_REJECT,
    OUTCOME_SUPERVISOR_MOVE,
    OUTCOME_TIMEOUT,
    OUTCOME_WEIGHTS,
    QUEUE_WAIT_FACTOR,
    QUEUES_BY_GROUP,
    SESSIONS_PER_CONVERSATION,
    THEN_END,
    THEN_OTHER_QUEUE,
    THEN_SAME_QUEUE,
    TIMEOUT_AFTER_S,
    WAIT_MEDIAN_S,
    WAIT_SIGMA,
)
from omnichannel_tools.generator.dimensions import Context
from omnichannel_tools.generator.schema import (
    CLOSURE_REASONS,
    CONVERSATION_ACTIVE,
    CONVERSATION_CLOSED,
    CONVERSATION_OPEN,
    CONVERSATION_WAITING,
    CONVERSATION_WRAPUP,
    DAY,
    NULL_CODE,
    NULL_TIMESTAMP,
    SECOND,
    STATE_ACTIVE,
    STATE_CLOSED,
    STATE_NEW,
    STATE_WRAPUP,
)


def _arrivals(rng: np.random.Generator, context: Context, group: np.ndarray) -> np.ndarray:
    """Conversation arrival times: the daily weights and a per-channel-group curve over the day."""
    n = group.size

    def bump(mu: float, sd: float) -> np.ndarray:
        return np.exp(-0.5 * ((np.arange(24) - mu) / sd) ** 2)

    hour_weights = np.array(
        [
            0.04 + bump(11, 3) + 0.6 * bump(19, 2.5),
            0.02 + bump(10.5, 2.5) + 0.8 * bump(15, 2.5),
            0.08 + bump(13, 4.5),
            0.01 + bump(12, 3),
        ]
    )
    hour = np.empty(n, np.int64)
    for g in range(len(hour_weights)):
        members = group == g
        hour[members] = rng.choice(24, size=int(members.sum()), p=hour_weights[g] / hour_weights[g].sum())
    day = rng.choice(context.day_weights.size, size=n, p=context.day_weights)
    return context.start_us + day * DAY + hour * 3600 * SECOND + (rng.random(n) * 3600 * SECOND).astype(np.int64)


def _pick_agent(rng: np.random.Generator, context: Context, queue: np.ndarray) -> np.ndarray:
    """A random agent from each queue's staff."""
    return context.staff[queue, rng.integers(0, context.staff_size[queue])]


def _other_queue(rng: np.random.Generator, queue: np.ndarray, group: np.ndarray) -> np.ndarray:
    """Another agent queue serving the same channel group (for queue transfers)."""
    members = QUEUES_BY_GROUP[group]
    size = (members >= 0).sum(axis=1)
    position = np.argmax(members == queue[:, None], axis=1)
    k = rng.integers(0, size - 1)
    k += k >= position
    return members[np.arange(group.size), k]


def _bot_sessions(
    rng: np.random.Generator, conversation: np.ndarray, start: np.ndarray, channel: np.ndarray, agent_queue: np.ndarray
) -> Columns:
    """Bot sessions: accepted at once; the bot ends the conversation or escalates it."""
    n = conversation.size
    group = CHANNEL_GROUP[channel]
    assigned = start + microseconds(rng.uniform(0.05, 0.6, n))
    accepted = assigned + microseconds(rng.uniform(0.01, 0.3, n))
    closed = accepted + microseconds(np.maximum(rng.lognormal(np.log(100.0), 0.8, n), 8.0))
    closure = BOT_CLOSURES[draw_category(rng, BOT_WEIGHTS, n=n)]
    bot_group = np.array([bot[1] for bot in BOTS])
    voice_bots, chat_bots = (HUMAN_AGENTS + np.flatnonzero(bot_group == g) for g in (GROUP_VOICE, GROUP_CHAT))
    agent = np.where(
        group == GROUP_VOICE,
        voice_bots[rng.integers(0, voice_bots.size, n)],
        chat_bots[rng.integers(0, chat_bots.size, n)],
    )
    escalates = closure == CLOSURE_REASONS["BotTransferToAgent"]
    return {
        "conversation": conversation,
        "channel": channel,
        "queue": np.full(n, BOT_QUEUE),
        "agent": agent,
        "is_bot": np.ones(n, bool),
        "created": start,
        "assigned": assigned,
        "accepted": accepted,
        "closed": closed,
        "closure": closure,
        "continues": escalates,
        "next_queue": agent_queue,
        "next_time": closed + microseconds(rng.uniform(0.2, 3.0, n)),
    }


def _agent_sessions(
    rng: np.random.Generator,
    context: Context,
    conversation: np.ndarray,
    start: np.ndarray,
    queue: np.ndarray,
    channel: np.ndarray,
    outbound: np.ndarray,
    final: bool,
) -> Columns:
    """One queue-assignment attempt per conversation: wait, assignment, then the outcome."""
    n = conversation.size
    g = CHANNEL_GROUP[channel]
    wait = rng.lognormal(np.log(WAIT_MEDIAN_S[g] * QUEUE_WAIT_FACTOR[queue]), WAIT_SIGMA[g])
    wait = np.where(outbound, rng.uniform(0.5, 3.0, n), wait)
    outcome = draw_category(rng, FINAL_OUTCOME_WEIGHTS if final else OUTCOME_WEIGHTS, g)
    outcome[outbound & (outcome == OUTCOME_ABANDON)] = OUTCOME_ACCEPT
    moved_assigned = (outcome == OUTCOME_SUPERVISOR_MOVE) & (rng.random(n) < 0.5)
    moved_waiting = (outcome == OUTCOME_SUPERVISOR_MOVE) & ~moved_assigned
    is_assigned = (outcome >= OUTCOME_REJECT) | moved_assigned
    assigned = np.where(is_assigned, start + microseconds(wait), NULL_TIMESTAMP)
    accept_after = microseconds(rng.lognormal(np.log(ACCEPT_MEDIAN_S[g]), 0.7))
    accepted = np.where(outcome == OUTCOME_ACCEPT, assigned + accept_after, NULL_TIMESTAMP)
    handle = np.maximum(rng.lognormal(np.log(HANDLE_MEDIAN_S[g]), HANDLE_SIGMA[g]), 15.0)
    cases = [
        outcome == OUTCOME_ABANDON,
        moved_waiting,
        moved_assigned,
        outcome == OUTCOME_REJECT,
        outcome == OUTCOME_TIMEOUT,
    ]
    closed = np.select(
        cases,
        [
            start + microseconds(rng.lognormal(np.log(ABANDON_MEDIAN_S[g]), 1.0)),
            start + microseconds(rng.lognormal(np.log(240.0), 0.8, n)),
            assigned + microseconds(rng.uniform(10, 90, n)),
            assigned + microseconds(rng.lognormal(np.log(9.0), 0.6, n)),
            assigned + microseconds(TIMEOUT_AFTER_S[g] + rng.uniform(0, 1.5, n)),
        ],
        accepted + microseconds(handle),
    )
    accepted_outcome = draw_category(rng, FINAL_ACCEPTED_WEIGHTS if final else ACCEPTED_WEIGHTS, n=n)
    closure = np.select(
        cases,
        [
            ABANDON_CLOSURES[draw_category(rng, ABANDON_WEIGHTS, n=n)],
            CLOSURE_REASONS["SupervisorAssignToQueue"],
            CLOSURE_REASONS["SupervisorTransferToAgent"],
            CLOSURE_REASONS["AgentReject"],
            CLOSURE_REASONS["AgentTimeout"],
        ],
        ACCEPTED_CLOSURES[accepted_outcome],
    ).astype(np.int32)
    then = np.select(
        cases,
        [THEN_END, THEN_OTHER_QUEUE, THEN_SAME_QUEUE, THEN_SAME_QUEUE, THEN_SAME_QUEUE],
        ACCEPTED_THEN[accepted_outcome],
    )
    next_queue = np.where(then == THEN_OTHER_QUEUE, _other_queue(rng, queue, g), queue)
    agent = np.where(is_assigned, _pick_agent(rng, context, queue), NULL_CODE)
    return {
        "conversation": conversation,
        "channel": channel,
        "queue": queue,
        "agent": agent,
        "is_bot": np.zeros(n, bool),
        "created": start,
        "assigned": assigned,
        "accepted": accepted,
        "closed": closed,
        "closure": closure,
        "continues": then != THEN_END,
        "next_queue": next_queue,
        "next_time": closed + microseconds(rng.uniform(0.2, 3.0, n)),
    }


def _snapshot(rng: np.random.Generator, context: Context, sessions: Columns) -> Columns:
    """Leave sessions open at the export's end: those still running, plus some recent ones.

    Recent sessions (last three days, more likely the nearer the end) are cut at a
    lifecycle stage: waiting unassigned, assigned, accepted (active) or wrap-up.
    """
    s = sessions
    n = s["conversation"].size
    recent = np.clip((s["created"] - (context.end_us - 3 * DAY)) / (3 * DAY), 0, 1)
    cut_short = ~s["is_bot"] & (rng.random(n) < 0.6 * recent**2)
    stage = draw_category(rng, np.array([0.3, 0.15, 0.45, 0.1]), n=n)
    reached = np.where(s["assigned"] == NULL_TIMESTAMP, 0, np.where(s["accepted"] == NULL_TIMESTAMP, 1, 3))
    stage = np.minimum(stage, reached)
    cut = np.select([stage == 0, stage == 1], [s["created"], s["assigned"]], s["accepted"])
    cut = np.where(cut_short, np.minimum(cut, context.end_us), context.end_us)
    is_open = cut_short | (s["closed"] > context.end_us)
    s["is_open"] = is_open
    s["assigned"] = np.where(is_open & (s["assigned"] > cut), NULL_TIMESTAMP, s["assigned"])
    s["accepted"] = np.where(is_open & (s["accepted"] > cut), NULL_TIMESTAMP, s["accepted"])
    s["closed"] = np.where(is_open, NULL_TIMESTAMP, s["closed"])
    s["closure"] = np.where(is_open, NULL_CODE, s["closure"]).astype(np.int32)
    s["agent"] = np.where(s["assigned"] == NULL_TIMESTAMP, NULL_CODE, s["agent"])
    s["state"] = np.select(
        [~is_open, s["assigned"] == NULL_TIMESTAMP, cut_short & (stage == 3) & (s["accepted"] != NULL_TIMESTAMP)],
        [STATE_CLOSED, STATE_NEW, STATE_WRAPUP],
        STATE_ACTIVE,
    ).astype(np.int32)
    s["continues"] = s["continues"] & ~is_open
    return s


def simulate(rng: np.random.Generator, context: Context, target: int) -> tuple[Columns, Columns]:
    """Simulate conversations until about ``target`` sessions; return (conversations, sessions)."""
    n_conversations = int(target / SESSIONS_PER_CONVERSATION * 1.08) + 20
    channel = draw_category(rng, CHANNEL_WEIGHTS, n=n_conversations)
    group = CHANNEL_GROUP[channel]
    arrival = _arrivals(rng, context, group)
    outbound = rng.random(n_conversations) < CHANNEL_OUTBOUND_SHARE[channel]
    has_bot = ~outbound & (rng.random(n_conversations) < CHANNEL_BOT_SHARE[channel])
    first_queue = QUEUES_BY_GROUP[group, draw_category(rng, FIRST_QUEUE_WEIGHTS, group)]
    status = np.full(n_conversations, CONVERSATION_CLOSED, np.int32)  # unless the last session is open
    closed = np.full(n_conversations, NULL_TIMESTAMP)

    rounds: list[Columns] = []
    active = np.arange(n_conversations)
    start, queue, bot = arrival, np.where(has_bot, BOT_QUEUE, first_queue), has_bot
    for round_number in range(MAX_ROUNDS):
        if active.size == 0:
            break
        human = ~bot
        parts = [
            _bot_sessions(rng, active[bot], start[bot], channel[active[bot]], first_queue[active[bot]]),
            _agent_sessions(
                rng,
                context,
                active[human],
                start[human],
                queue[human],
                channel[active[human]],
                outbound[active[human]],
                round_number == MAX_ROUNDS - 1,
            ),
        ]
        s = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
        s = _snapshot(rng, context, s)
        rounds.append(s)
        ended = ~s["continues"]
        closed[s["conversation"][ended]] = s["closed"][ended]
        messaging = CHANNEL_GROUP[s["channel"]] == GROUP_MESSAGING
        status[s["conversation"][s["is_open"]]] = np.select(
            [
                s["state"] == STATE_WRAPUP,
                s["accepted"] == NULL_TIMESTAMP,
                messaging & (rng.random(messaging.size) < 0.3),
            ],
            [CONVERSATION_WRAPUP, CONVERSATION_OPEN, CONVERSATION_WAITING],
            CONVERSATION_ACTIVE,
        )[s["is_open"]]
        goes_on = s["continues"] & (s["next_time"] <= context.end_us)
        status[s["conversation"][s["continues"] & ~goes_on]] = CONVERSATION_OPEN  # next session not created yet
        active, start, queue = s["conversation"][goes_on], s["next_time"][goes_on], s["next_queue"][goes_on]
        bot = np.zeros(active.size, bool)
    return _keep_whole_conversations(rounds, target, n_conversations, arrival, outbound, status, closed)


def _keep_whole_conversations(
    rounds: list[Columns],
    target: int,
    n_conversations: int,
    arrival: np.ndarray,
    outbound: np.ndarray,
    status: np.ndarray,
    closed: np.ndarray,
) -> tuple[Columns, Columns]:
    """Whole conversations up to ``target`` sessions (arrivals are in random order), sessions by creation."""
    s = {name: np.concatenate([r[name] for r in rounds]) for name in rounds[0]}
    per_conversation = np.cumsum(np.bincount(s["conversation"], minlength=n_conversations))
    kept = int(np.searchsorted(per_conversation, target, side="right"))
    keep = s["conversation"] < kept
    order = np.argsort(np.where(keep, s["created"], np.iinfo(np.int64).max), kind="stable")
    s = {name: values[order[: int(keep.sum())]] for name, values in s.items()}
    conversations = {
        "createdon": arrival[:kept],
        "outbound": outbound[:kept],
        "status": status[:kept],
        "closed": closed[:kept],
    }
    return conversations, s
