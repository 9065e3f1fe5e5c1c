"""Writing a whole demo export: the dimensions once, then the fact tables chunk by chunk.

Parquet and CSV: one file per table per chunk (writers). CDM and Delta lay the rows out as
Synapse Link and Fabric Link do (cdm, delta): their tables are collected whole first (memory
grows with the export: about 1 GiB per million sessions).
"""

from __future__ import annotations

import math
import shutil
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa

from omnichannel_tools.generator import cdm, delta
from omnichannel_tools.generator.arrays import random_guids
from omnichannel_tools.generator.dimensions import Context, build_dimensions
from omnichannel_tools.generator.facts import conversation_table, sentiment_table, session_table
from omnichannel_tools.generator.participants import participant_table
from omnichannel_tools.generator.presence import presence_tables
from omnichannel_tools.generator.schema import TABLES
from omnichannel_tools.generator.simulation import simulate
from omnichannel_tools.generator.writers import WRITERS, write_part

# Formats written whole, from every table's rows: Synapse Link's CDM folder, Fabric Link's Delta tables.
LAYOUTS = {"cdm", "delta"}
FORMATS = (*WRITERS, *sorted(LAYOUTS))


def _chunk_tables(
    seed: int, chunk: int, context: Context, target: int, first_number: int, width: int
) -> Iterator[tuple[str, pa.Table]]:
    """The fact tables of one chunk (at most ``target`` sessions), one at a time."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 1, chunk]))
    conversations, sessions = simulate(rng, context, target)
    conversation_ids = random_guids(rng, conversations["createdon"].size)
    session_rows, session_ids = session_table(rng, context, sessions, conversation_ids, first_number, width)
    yield "msdyn_ocsession", session_rows
    del session_rows
    yield "msdyn_ocliveworkitem", conversation_table(rng, context, conversations, sessions, conversation_ids)
    del conversations, conversation_ids
    details_rng = np.random.default_rng(np.random.SeedSequence([seed, 2, chunk]))  # new columns: own stream
    participants, events = participant_table(rng, context, sessions, session_ids, details_rng)
    yield "msdyn_sessionparticipant", participants
    yield "msdyn_ocsessionparticipantevent", events
    del participants, events
    yield "msdyn_ocsessionsentiment", sentiment_table(rng, context, sessions, session_ids)


def generate_export(
    out_dir: Path,
    sessions: int,
    seed: int = 42,
    fmt: str = "parquet",
    start_date: date = date(2025, 1, 1),
    days: int = 90,
    chunk_sessions: int = 1_000_000,
    rows_per_file: int = 50_000,
) -> dict[str, int]:
    """Write a demo Dataverse export under ``out_dir``; return the rows written per table.

    ``sessions`` is the number of current msdyn_ocsession rows (hit to within a
    conversation per chunk); one file per table per chunk of ``chunk_sessions`` sessions.
    CDM: the rows a correct reader reads (retries included), partitions split every
    ``rows_per_file`` rows; Delta: the rows of each table's current snapshot.
    """
    if fmt not in FORMATS:
        raise ValueError(f"format must be {' or '.join(repr(name) for name in FORMATS)}, not {fmt!r}")
    if sessions < 1 or days < 1 or chunk_sessions < 1:
        raise ValueError("sessions, days and chunk_sessions must be positive")
    out_dir = Path(out_dir)
    collected: dict[str, list[pa.Table]] = {table: [] for table in TABLES}

    def write(data: pa.Table, table: str, part: int) -> None:
        if fmt in LAYOUTS:
            collected[table].append(data)
        else:
            write_part(data, out_dir / table, part, fmt)

    for table in TABLES if fmt not in LAYOUTS else ():
        folder = out_dir / table
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
    context, dimensions = build_dimensions(seed, start_date, days)
    counts = dict.fromkeys(TABLES, 0)
    for table, data in {**dimensions, **presence_tables(seed, context)}.items():
        write(data, table, 0)
        counts[table] = data.num_rows
    n_chunks = math.ceil(sessions / chunk_sessions)
    width = max(6, len(str(sessions)))
    first_number = 1  # session-000001 ...; a chunk never exceeds its target, so no overlap
    with ThreadPoolExecutor(max_workers=1) as writer:  # write one table, build the next
        pending: Future | None = None
        for chunk in range(n_chunks):
            target = sessions // n_chunks + (chunk < sessions % n_chunks)
            for table, data in _chunk_tables(seed, chunk, context, target, first_number, width):
                if pending is not None:
                    pending.result()
                pending = writer.submit(write, data, table, chunk)
                counts[table] += data.num_rows
                del data
            first_number += target
        if pending is not None:
            pending.result()
    if fmt in LAYOUTS:
        tables = {table: pa.concat_tables(parts) for table, parts in collected.items()}
        del collected
        if fmt == "cdm":
            return cdm.write_cdm(out_dir, tables, context.start_us, context.end_us, seed, rows_per_file)
        out_dir.mkdir(parents=True, exist_ok=True)
        return delta.write_delta(out_dir, tables, context.start_us, context.end_us)
    return counts
