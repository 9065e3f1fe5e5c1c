"""Generate a synthetic Dataverse export of the Omnichannel tables (demo data).

The output mimics Azure Synapse Link for Dataverse in append-only mode (see
``docs/metrics.md``, "Reading the export"): one folder per table under ``--out``, Parquet or CSV
files (``part-00000.parquet`` ...), the Dataverse logical column names plus the export
columns ``versionnumber``, ``sinkmodifiedon`` and ``isdelete``.

The contact centre is simulated, vectorised, in *rounds* (simulation.py): every round creates
one session (one queue-assignment attempt) for each conversation still in flight and draws
its outcome (bot end or escalation, abandon, reject, timeout, accept and close, agent or
queue transfer, supervisor move); the outcomes that hand the conversation on feed the
next round. Sessions still running at the end of the range stay open. Participants,
sentiment rows, older row versions and tombstones are derived from the sessions.

Output is deterministic: the same arguments and seed give byte-identical files. Large
exports are produced chunk by chunk (about ``chunk_sessions`` sessions per file), so
memory stays bounded whatever the total.

Modules: schema (tables and codes), behaviour (the distributions), dimensions (agents,
queues), simulation (sessions), facts and participants (the fact tables), tables (export
mechanics), writers (one per format), export (the whole export), cli.

CLI::

    python -m omnichannel_tools.generator --out DIR --sessions 20000 --seed 42 \\
        --format parquet [--start-date 2025-01-01] [--days 90] [--chunk-sessions 1000000]
"""

from omnichannel_tools.generator.export import generate_export
from omnichannel_tools.generator.schema import SCHEMAS, TABLES
from omnichannel_tools.generator.writers import FORMATS

__all__ = ["FORMATS", "SCHEMAS", "TABLES", "generate_export"]
