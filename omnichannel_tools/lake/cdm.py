"""Azure Synapse Link for Dataverse, CSV ("CDM folder"): a container with a root ``model.json``.

What is read, per table (the same rules as macros/dataverse/export/dataverse_cdm.sql):

- the root ``model.json`` (CDM: ``entities[].attributes[].name`` in file-column order,
  ``entities[].partitions[].location``) and the ``model.json`` of every incremental update folder
  (a direct subfolder holding one), except the folder ``Changelog/changelog.info`` names: it is
  still being written;
- of each model.json's entity for the table (names compared case-insensitively), the partition
  files it lists: a location is an absolute URI in the customer's storage, matched to a local
  file by its path from the table folder on (``.../msdyn_ocsession/2025.csv`` is
  ``<model.json's folder>/msdyn_ocsession/2025.csv``). After hourly snapshots the root model.json
  lists the snapshot files, so the live files beside them (which may be mid-write) are not read.
  An incremental folder's entity that lists no partition: every ``*.csv`` of its table folder (the
  folder is complete);
- the files have no header row: the columns are the entity's attributes, in order; a row with
  fewer fields (written before a column was added) reads NULL in the missing ones; one trailing
  empty field (the trailing comma Synapse Link writes) is dropped; an empty field is NULL.

Errors (LakeError, naming table and file): the root model.json missing or unreadable; a table
listed in a model.json without its folder; a listed partition missing; a row with more fields
than the entity has attributes (file and line named). Everything is text.
"""

from __future__ import annotations

import csv
import itertools
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from omnichannel_tools.lake.common import LakeError

CHANGELOG = Path("Changelog") / "changelog.info"


@dataclass(frozen=True)
class Group:
    """The files of one table described by one model.json: read with its columns."""

    model_json: Path
    columns: tuple[str, ...]  # lower case, in file order
    files: tuple[Path, ...]


def _load_json(path: Path) -> dict:
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LakeError(f"cannot read the CDM model {path}: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("entities"), list):
        raise LakeError(f"cannot read the CDM model {path}: no 'entities' list")
    return document


def in_progress_folder(root: Path) -> str | None:
    """The incremental folder Synapse Link is still writing (Changelog/changelog.info), if any."""
    path = root / CHANGELOG
    if not path.is_file():
        return None
    return path.read_text(encoding="utf-8-sig").strip() or None


def model_files(root: Path) -> list[Path]:
    """The model.json files read: the root's, then each completed incremental folder's, by folder name."""
    root_model = root / "model.json"
    if not root_model.is_file():
        raise LakeError(
            f"no CDM model: {root_model} is missing (var dataverse_format cdm needs a Synapse Link container)"
        )
    skipped = in_progress_folder(root)
    folders = sorted(p.parent for p in root.glob("*/model.json") if p.is_file() and p.parent.name != skipped)
    return [root_model, *(folder / "model.json" for folder in folders)]


def partition_path(location: str, table_folder: Path) -> Path:
    """The local file of a partition location: its path from the table folder's segment on."""
    segments = [s for s in location.split("?", 1)[0].split("/") if s]
    for i in range(len(segments) - 2, -1, -1):
        if segments[i].lower() == table_folder.name.lower():
            return table_folder.joinpath(*segments[i + 1 :])
    return table_folder / segments[-1]


def _entity(document: dict, table: str) -> dict | None:
    for entity in document["entities"]:
        if isinstance(entity, dict) and str(entity.get("name", "")).lower() == table.lower():
            return entity
    return None


def table_groups(root: Path, table: str) -> list[Group] | None:
    """The groups of files to read for one table; None when no model.json lists the table."""
    groups, listed = [], False
    for model_json in model_files(root):
        entity = _entity(_load_json(model_json), table)
        if entity is None:
            continue
        listed = True
        folder = model_json.parent / str(entity["name"])
        if not folder.is_dir():
            raise LakeError(f"table {table}: {model_json} lists it, but its folder {folder} is missing")
        columns = tuple(str(a["name"]).lower() for a in entity.get("attributes", []))
        partitions = entity.get("partitions") or []
        if partitions:
            files = [partition_path(str(p.get("location", "")), folder) for p in partitions]
            for partition, path in zip(partitions, files, strict=True):
                if not path.is_file():
                    raise LakeError(
                        f"table {table}: partition {partition.get('name')!r} listed in {model_json} is missing: {path}"
                    )
        elif model_json.parent != root:
            files = sorted(p for p in folder.glob("*.csv") if p.is_file())
        else:
            files = []
        groups.append(Group(model_json, columns, tuple(files)))
    return groups if listed else None


def table_schema(root: Path, table: str, fmt: str = "cdm") -> pa.Schema | None:
    """Every column any model.json gives the table, in order of first appearance, as text."""
    groups = table_groups(root, table)
    if groups is None:
        return None
    names = dict.fromkeys(name for group in groups for name in group.columns)
    return pa.schema([(name, pa.string()) for name in names])


def _batch(records: list[list[str]], columns: tuple[str, ...]) -> pa.RecordBatch:
    transposed = list(itertools.zip_longest(*records, fillvalue=None))
    transposed += [(None,) * len(records)] * (len(columns) - len(transposed))
    arrays = []
    for values in transposed:
        array = pa.array(values, pa.string())
        arrays.append(pc.if_else(pc.equal(array, ""), pa.scalar(None, pa.string()), array))
    return pa.RecordBatch.from_arrays(arrays, names=list(columns))


def _file_batches(path: Path, table: str, group: Group, batch_rows: int) -> Iterator[pa.RecordBatch]:
    width = len(group.columns)
    records: list[list[str]] = []
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle, strict=True)
        try:
            for record in reader:
                if not record:
                    continue
                if len(record) > width:
                    if len(record) == width + 1 and record[-1] == "":
                        record = record[:width]
                    else:
                        raise LakeError(
                            f"table {table}: {path} line {reader.line_num} has {len(record)} fields, but "
                            f"{group.model_json} gives the table {width} columns"
                        )
                records.append(record)
                if len(records) == batch_rows:
                    yield _batch(records, group.columns)
                    records = []
        except csv.Error as error:
            raise LakeError(f"table {table}: {path} line {reader.line_num}: {error}") from error
    if records:
        yield _batch(records, group.columns)


def table_batches(root: Path, table: str, fmt: str = "cdm", batch_rows: int = 65_536) -> Iterator[pa.RecordBatch]:
    """The rows of every file of every group, as text batches of the group's columns."""
    for group in table_groups(root, table) or []:
        for path in group.files:
            yield from _file_batches(path, table, group, batch_rows)
