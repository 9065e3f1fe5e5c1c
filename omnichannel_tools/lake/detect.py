"""Which format an export root holds (``dataverse_format: auto``), with the dbt project's rules.

- a ``model.json`` at the root: ``cdm`` (an Azure Synapse Link container);
- else, when the root holds other marks of a Synapse Link container (incremental folders'
  ``model.json``, ``Changelog/changelog.info``), the root ``model.json`` is missing: an error;
- else a ``_delta_log`` folder in each table folder found: ``delta`` (Fabric Link's tables);
- else the files in the table folders decide: all ``*.parquet`` is ``parquet``, all ``*.csv`` is ``csv``.

Only the folders of the tables the project reads count. A mixed layout (a model.json beside Delta
tables, Delta beside plain folders, Parquet beside CSV) or one with no table folder raises a
LakeError naming what was found. The same rules: macros/dataverse/export/dataverse_format.sql.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from omnichannel_tools.generator.schema import TABLES
from omnichannel_tools.lake.common import LakeError

# What else marks a Synapse Link container: incremental folders' model.json, the changelog, the metadata.
SYNAPSE_MARKS = ("*/model.json", "Changelog/changelog.info", "Microsoft.Athena.TrickleFeedService/*")


@dataclass(frozen=True)
class Detection:
    """The format found and why."""

    format: str
    reason: str


def _folder_kinds(folder: Path) -> set[str]:
    if (folder / "_delta_log").is_dir():
        return {"delta"}
    return {fmt for fmt in ("parquet", "csv") if any(p.is_file() for p in folder.glob(f"*.{fmt}"))}


def detect_format(root: Path, tables: tuple[str, ...] = TABLES) -> Detection:
    """The format of the export under ``root``, or a LakeError naming what was found."""
    root = Path(root)
    if not root.is_dir():
        raise LakeError(f"export folder not found: {root}")
    kinds = {table: _folder_kinds(root / table) for table in tables if (root / table).is_dir()}
    kinds = {table: found for table, found in kinds.items() if found}
    found = ", ".join(f"{table}: {'+'.join(sorted(k))}" for table, k in sorted(kinds.items())) or "none"
    if (root / "model.json").is_file():
        if any("delta" in k for k in kinds.values()):
            raise LakeError(f"mixed layout in {root}: a model.json at the root and Delta tables ({found})")
        return Detection("cdm", f"{root / 'model.json'} exists (a Synapse Link CDM folder)")
    marks = [pattern for pattern in SYNAPSE_MARKS if any(root.glob(pattern))]
    if marks:
        raise LakeError(
            f"{root} looks like a Synapse Link container ({', '.join(marks)} found), but its root model.json is "
            "missing or not a file: without it the headerless CSV files cannot be read"
        )
    if not kinds:
        entries = sorted(p.name for p in root.iterdir())[:12]
        raise LakeError(
            f"unknown layout in {root}: no model.json and no folder of the tables read ({', '.join(tables)}) holding "
            f"a _delta_log, *.parquet or *.csv files; found: {', '.join(entries) or 'nothing'}"
        )
    formats = {k for found_kinds in kinds.values() for k in found_kinds}
    if len(formats) > 1:
        raise LakeError(f"mixed layout in {root}: the table folders hold {found}")
    fmt = formats.pop()
    if fmt == "delta":
        return Detection("delta", f"each of the {len(kinds)} table folders found has a _delta_log (Delta tables)")
    return Detection(fmt, f"the {len(kinds)} table folders found hold *.{fmt} files and no _delta_log")
