"""The dimensions every chunk shares: agents and bots (systemuser), queues, staff, the arrival pattern."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import numpy as np
import pyarrow as pa

from omnichannel_tools.generator.arrays import Columns, microseconds, random_guids, take
from omnichannel_tools.generator.behaviour import (
    BOTS,
    CHANNEL_CODES,
    FIRST_NAMES,
    HUMAN_AGENTS,
    LAST_NAMES,
    QUEUES,
    SUPERVISORS,
)
from omnichannel_tools.generator.schema import DAY, NULL_CODE, SCHEMAS, SECOND
from omnichannel_tools.generator.tables import export_mechanics, to_arrow

CHANNEL_INSTANCES_PER_CHANNEL = 2
RENAMED_AGENTS = (7, 33)  # two agents changed their surname: an older systemuser version
RENAMED_QUEUES = {2: "Billing"}  # a queue renamed: an older queue version


@dataclass(frozen=True)
class Context:
    """Everything the chunks share: the time range and the dimension keys."""

    start_us: int
    end_us: int
    day_weights: np.ndarray  # arrival weight per day
    user_ids: pa.Array
    queue_ids: pa.Array
    instance_ids: pa.Array  # channel instances: row = channel * CHANNEL_INSTANCES_PER_CHANNEL + k
    staff: np.ndarray  # agents per queue (padded with NULL_CODE)
    staff_size: np.ndarray


def _day_weights(rng: np.random.Generator, start: date, days: int) -> np.ndarray:
    """Weekdays busier than weekends, a slow growth over the range, some noise."""
    weekday = (start.weekday() + np.arange(days)) % 7
    weights = np.where(weekday < 5, 1.0, np.where(weekday == 5, 0.55, 0.45))
    return weights * (1 + 0.15 * np.arange(days) / max(days, 1)) * rng.lognormal(0, 0.08, days)


def _agent_names(rng: np.random.Generator) -> list[str]:
    """Distinct first + last names of the human agents, then the bots' names."""
    combos = rng.permutation(len(FIRST_NAMES) * len(LAST_NAMES))[:HUMAN_AGENTS]
    names = [f"{FIRST_NAMES[c // len(LAST_NAMES)]} {LAST_NAMES[c % len(LAST_NAMES)]}" for c in combos]
    return names + [bot[0] for bot in BOTS]


def _queue_staff(rng: np.random.Generator, n_users: int) -> tuple[np.ndarray, np.ndarray]:
    """The agents of each queue (a matrix padded with NULL_CODE) and their number."""
    staff = [np.arange(HUMAN_AGENTS, n_users)]  # the bot queue (bots are drawn per channel)
    for queue in range(1, len(QUEUES)):
        members = rng.permutation(np.arange(SUPERVISORS, HUMAN_AGENTS))[: rng.integers(10, 19)]
        if QUEUES[queue].startswith("Tier 2"):
            members = np.concatenate([np.arange(SUPERVISORS), members[:8]])
        staff.append(np.sort(members))
    matrix = np.full((len(QUEUES), max(len(members) for members in staff)), NULL_CODE, np.int64)
    for queue, members in enumerate(staff):
        matrix[queue, : len(members)] = members
    return matrix, np.array([len(members) for members in staff])


def _with_older_names(
    rng: np.random.Generator, table: str, columns: Columns, start_us: int, renamed: dict[int, str]
) -> pa.Table:
    """Current rows changed a month before the range, and an older version of the renamed keys."""
    n = len(next(iter(columns.values())))
    change = start_us - microseconds(rng.uniform(20, 40, n) * 86_400)
    current = to_arrow(SCHEMAS[table], columns, *export_mechanics(rng, change))
    rows = np.array(sorted(renamed))
    old_columns = {name: take(values, rows) for name, values in columns.items()}
    old_columns["fullname" if table == "systemuser" else "name"] = pa.array([renamed[i] for i in rows])
    old = to_arrow(SCHEMAS[table], old_columns, *export_mechanics(rng, change[rows] - 150 * DAY))
    return pa.concat_tables([current, old])


def build_dimensions(seed: int, start: date, days: int) -> tuple[Context, dict[str, pa.Table]]:
    """The shared context and the systemuser and queue tables."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 0]))
    start_us = int(datetime(start.year, start.month, start.day, tzinfo=UTC).timestamp()) * SECOND
    day_weights = _day_weights(rng, start, days)

    n_users = HUMAN_AGENTS + len(BOTS)
    user_ids, queue_ids = random_guids(rng, n_users), random_guids(rng, len(QUEUES))
    names = _agent_names(rng)
    bot_applications = random_guids(rng, n_users).to_numpy(zero_copy_only=False).astype(object)
    bot_applications[:HUMAN_AGENTS] = None
    staff, staff_size = _queue_staff(rng, n_users)
    instance_ids = random_guids(rng, CHANNEL_INSTANCES_PER_CHANNEL * len(CHANNEL_CODES))
    context = Context(
        start_us,
        start_us + days * DAY,
        day_weights / day_weights.sum(),
        user_ids,
        queue_ids,
        instance_ids,
        staff,
        staff_size,
    )

    users: Columns = {
        "systemuserid": user_ids,
        "fullname": pa.array(names),
        "msdyn_botapplicationid": pa.array(bot_applications, pa.string()),
    }
    queues: Columns = {"queueid": queue_ids, "name": pa.array(QUEUES)}
    maiden_names = {
        i: f"{names[i].split()[0]} {LAST_NAMES[(LAST_NAMES.index(names[i].split()[1]) + 7) % len(LAST_NAMES)]}"
        for i in RENAMED_AGENTS
    }
    tables = {
        "systemuser": _with_older_names(rng, "systemuser", users, start_us, maiden_names),
        "queue": _with_older_names(rng, "queue", queues, start_us, RENAMED_QUEUES),
    }
    return context, tables
