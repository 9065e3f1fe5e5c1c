"""A demo export as Azure Synapse Link for Dataverse writes a CDM folder (``--format cdm``).

The same simulated rows as the Parquet export, laid out as a Synapse Link container in
append-only mode (cdm_text for the CSV text):

- the root: per table a folder of partitions by the row's creation year (``2024.csv``,
  ``2025.csv``; ``1900.csv`` for rows without one, tombstones among them), split every
  ``rows_per_file`` rows (``2025_001.csv``, ...); two hourly snapshots of each (``<name>-T1.csv``,
  ``<name>-T2.csv``); the root ``model.json`` lists the latest snapshot files, while the live
  files also hold rows written after it (in flight: a reader of the live files counts them);
- the rows written after ``T_ROOT`` in incremental update folders named by their UTC start
  (``2025-03-08T00.00.00Z``), each with its own ``model.json``; one of them lists an entity
  without partitions (its files are read all the same); retries: a share of one folder's rows
  is written twice with the same versionnumber, a few seconds later; an empty folder (a retry);
- the folder still being written, named in ``Changelog/changelog.info``: newer versions of some
  sessions (in flight, not to be read);
- schema evolution: ``msdyn_cdsqueueid`` is added to msdyn_ocsession at ``T_ADD`` (the end of the
  attribute list; older rows have one field fewer); tombstones carry ``Id`` and the export columns,
  the primary-key column empty;
- the option-set metadata (cdm_metadata).

The rows a correct reader reads are exactly the Parquet export's, plus the retries' duplicates.
"""

from __future__ import annotations

import json
import re
import shutil
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from omnichannel_tools.generator.cdm_metadata import write_choice_metadata
from omnichannel_tools.generator.cdm_text import cdm_data_type, lines, write_lines
from omnichannel_tools.generator.schema import SCHEMAS, SECOND

CONTAINER_URL = "https://demo.dfs.core.windows.net/dataverse-demo-org"
T_SNAPSHOT_1, T_ADD, T_ROOT, T_FOLDERS = 0.5, 0.6, 0.75, (0.75, 0.85, 0.95)  # shares of the time range
ADDED_COLUMN, ADDED_FROM = "msdyn_cdsqueueid", "msdyn_queueid"  # msdyn_ocsession
CREATED = {
    "msdyn_ocsession": "msdyn_sessioncreatedon",
    "msdyn_sessionparticipant": "msdyn_addedon",
    "msdyn_ocliveworkitem": "msdyn_createdon",
    "msdyn_ocsessionsentiment": "createdon",
}
EXPORT_NAMES = {
    "id": "Id",
    "sinkcreatedon": "SinkCreatedOn",
    "sinkmodifiedon": "SinkModifiedOn",
    "isdelete": "IsDelete",
}
RETRY_SHARE = 0.01
TRANSFERRED = 192350006


def folder_name(us: int) -> str:
    """An incremental folder's name: its UTC start, as Synapse Link writes it (dots for colons)."""
    return datetime.fromtimestamp(us / SECOND, UTC).strftime("%Y-%m-%dT%H.%M.%SZ")


def cdm_columns(table: str) -> list[str]:
    """The table's columns in file order: Id and the sink columns, the data, versionnumber, IsDelete (+ added)."""
    data = [name for name in SCHEMAS[table].names if name not in ("versionnumber", "sinkmodifiedon", "isdelete")]
    added = [ADDED_COLUMN] if table == "msdyn_ocsession" else []
    return ["id", "sinkcreatedon", "sinkmodifiedon", *data, "versionnumber", "isdelete", *added]


def cdm_rows(table: str, rows: pa.Table) -> pa.Table:
    """The rows with Synapse Link's columns: Id, SinkCreatedOn, IsDelete NULL unless deleted;
    tombstones with an empty primary-key column."""
    key = SCHEMAS[table].names[0]
    deleted = pc.fill_null(rows.column("isdelete"), False)
    out = rows.append_column("id", rows.column(key)).append_column("sinkcreatedon", rows.column("sinkmodifiedon"))
    out = out.set_column(
        out.schema.get_field_index(key), key, pc.if_else(deleted, pa.scalar(None, pa.string()), rows.column(key))
    )
    out = out.set_column(
        out.schema.get_field_index("isdelete"), "isdelete", pc.if_else(deleted, True, pa.scalar(None, pa.bool_()))
    )
    if table == "msdyn_ocsession":
        out = out.append_column(ADDED_COLUMN, rows.column(ADDED_FROM))
    return out.select(cdm_columns(table))


def _years(table: str, rows: pa.Table) -> np.ndarray:
    if table not in CREATED:
        return np.full(rows.num_rows, 1900)
    years = pc.year(rows.column(CREATED[table])).to_numpy(zero_copy_only=False)
    deleted = pc.fill_null(rows.column("isdelete"), False).to_numpy(zero_copy_only=False)
    return np.where(np.isnan(years.astype("float64")) | deleted, 1900, years).astype(int)


def _widths(table: str, rows: pa.Table, t_add: int) -> pa.Array | None:
    if table != "msdyn_ocsession":
        return None
    sink = rows.column("sinkmodifiedon").cast(pa.int64()).to_numpy(zero_copy_only=False)
    full = len(cdm_columns(table))
    return pa.array(np.where(sink >= t_add, full, full - 1))


def _entity(table: str, partitions: list[dict]) -> dict:
    attributes = []
    for name in cdm_columns(table):
        type_ = (
            SCHEMAS[table].field(ADDED_FROM if (table, name) == ("msdyn_ocsession", ADDED_COLUMN) else name).type
            if name not in EXPORT_NAMES
            else None
        )
        data_type = {"id": "guid", "isdelete": "boolean"}.get(
            name, "dateTime" if type_ is None else cdm_data_type(name, type_)
        )
        attributes.append({"name": EXPORT_NAMES.get(name, name), "dataType": data_type, "maxLength": -1})
    return {
        "$type": "LocalEntity",
        "name": table,
        "description": table,
        "annotations": [
            {"name": "Athena:PartitionGranularity", "value": "Year"},
            {"name": "Athena:InitialSyncState", "value": "Completed"},
        ],
        "attributes": attributes,
        "partitions": partitions,
    }


def _partition(relative: str, refreshed_us: int) -> dict:
    return {
        "name": Path(relative).stem,
        "refreshTime": datetime.fromtimestamp(refreshed_us / SECOND, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "location": f"{CONTAINER_URL}/{relative}",
        "fileFormatSettings": {
            "$type": "CsvFormatSettings",
            "columnHeaders": False,
            "delimiter": ",",
            "quoteStyle": "QuoteStyle.Csv",
            "csvStyle": "CsvStyle.QuoteAlways",
            "encoding": "UTF-8",
        },
    }


def write_model(path: Path, entities: list[dict], modified_us: int) -> None:
    modified = datetime.fromtimestamp(modified_us / SECOND, UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    document = {"name": "cdm", "description": "cdm", "version": "1.0", "modifiedTime": modified, "entities": entities}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2))


def _sorted_by_sink(rows: pa.Table) -> pa.Table:
    return rows.take(pc.sort_indices(rows, sort_keys=[("sinkmodifiedon", "ascending")]))


def _sink(rows: pa.Table) -> np.ndarray:
    return rows.column("sinkmodifiedon").cast(pa.int64()).to_numpy(zero_copy_only=False)


def _write_root_table(
    root: Path, table: str, rows: pa.Table, extra: pa.Table | None, cuts: dict, rows_per_file: int
) -> list[dict]:
    """Live partition files and their snapshots; the root model.json's partitions (the latest snapshots)."""
    partitions = []
    (root / table).mkdir(parents=True, exist_ok=True)
    years = _years(table, rows)
    for year in sorted(set(years.tolist())):
        part = _sorted_by_sink(rows.filter(pa.array(years == year)))
        chunks = [part.slice(i, rows_per_file) for i in range(0, part.num_rows, rows_per_file)]
        for k, chunk in enumerate(chunks):
            stem = f"{year}" if k == 0 else f"{year}_{k:03d}"
            text = lines(cdm_rows(table, chunk), cdm_columns(table), _widths(table, chunk, cuts["add"]))
            write_lines(root / table / f"{stem}-T2.csv", text)
            early = pa.array(_sink(chunk) < cuts["snapshot"])
            if pc.any(early).as_py():
                write_lines(root / table / f"{stem}-T1.csv", text.filter(early))
            write_lines(root / table / f"{stem}.csv", text)
            partitions.append(_partition(f"{table}/{stem}-T2.csv", cuts["root"]))
        if extra is not None and year == 2025 and chunks:
            in_flight = lines(cdm_rows(table, extra), cdm_columns(table))
            write_lines(root / table / f"{stem}.csv", in_flight)  # after the latest snapshot
    return partitions


def write_folder(
    root: Path, name: str, tables: dict[str, pa.Table], t_add: int, unlisted: tuple[str, ...] = ()
) -> None:
    """One incremental update folder: per table its rows by creation year, and the folder's model.json.

    Tables in ``unlisted`` are in the model.json without partitions (their files are there).
    """
    entities = []
    for table, rows in tables.items():
        if rows.num_rows == 0:
            continue
        years = _years(table, rows)
        partitions = []
        for year in sorted(set(years.tolist())):
            part = rows.filter(pa.array(years == year))
            write_lines(
                root / name / table / f"{year}.csv",
                lines(cdm_rows(table, part), cdm_columns(table), _widths(table, part, t_add)),
            )
            partitions.append(_partition(f"{name}/{table}/{year}.csv", int(_sink(part).max())))
        entities.append(_entity(table, [] if table in unlisted else partitions))
    write_model(root / name / "model.json", entities, max(int(_sink(r).max()) for r in tables.values() if r.num_rows))


def _retries(rng: np.random.Generator, rows: pa.Table) -> pa.Table:
    """A share of the rows written again a few seconds later, with the same versionnumber."""
    picked = rows.filter(pa.array(rng.random(rows.num_rows) < RETRY_SHARE))
    later = pc.add(picked.column("sinkmodifiedon").cast(pa.int64()), 2 * SECOND).cast(
        picked.schema.field("sinkmodifiedon").type
    )
    return pa.concat_tables(
        [rows, picked.set_column(picked.schema.get_field_index("sinkmodifiedon"), "sinkmodifiedon", later)]
    )


def _in_flight(sessions: pa.Table, when_us: int, rng: np.random.Generator) -> pa.Table:
    """Newer versions of some sessions, re-coded as transfers: written after every other row."""
    live = sessions.filter(pc.invert(pc.fill_null(sessions.column("isdelete"), False)))
    picked = live.filter(pa.array(rng.random(live.num_rows) < 0.02))
    picked = picked.set_column(
        picked.schema.get_field_index("versionnumber"), "versionnumber", pc.add(picked.column("versionnumber"), 1)
    )
    picked = picked.set_column(
        picked.schema.get_field_index("msdyn_closurereason"),
        "msdyn_closurereason",
        pa.array(np.full(picked.num_rows, TRANSFERRED, np.int32)),
    )
    sink = pa.array(np.full(picked.num_rows, when_us)).cast(pa.timestamp("us", tz="UTC"))
    return picked.set_column(picked.schema.get_field_index("sinkmodifiedon"), "sinkmodifiedon", sink)


def clear_container(out_dir: Path) -> None:
    """Remove what a previous CDM export left in out_dir (only what this layout writes)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    ours = {*SCHEMAS, "model.json", "Changelog", "OptionsetMetadata", "Microsoft.Athena.TrickleFeedService"}
    for entry in out_dir.iterdir():
        if entry.name in ours or re.fullmatch(r"\d{4}-\d\d-\d\dT[0-9.:]+Z", entry.name):
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()


def write_cdm(
    out_dir: Path, tables: dict[str, pa.Table], start_us: int, end_us: int, seed: int, rows_per_file: int = 50_000
) -> dict[str, int]:
    """Write the whole container; return per table the rows a correct reader reads."""
    rng = np.random.default_rng(np.random.SeedSequence([seed, 7]))
    clear_container(out_dir)
    span = end_us - start_us
    cuts = {
        "snapshot": start_us + int(T_SNAPSHOT_1 * span),
        "add": start_us + int(T_ADD * span),
        "root": start_us + int(T_ROOT * span),
    }
    bounds = [start_us + int(share * span) for share in T_FOLDERS]
    last_write = max(int(_sink(rows).max()) for rows in tables.values())
    in_flight = _in_flight(tables["msdyn_ocsession"], last_write + 60 * SECOND, rng)
    counts, entities = {}, []
    folders: list[dict[str, pa.Table]] = [{} for _ in bounds]
    for table, rows in tables.items():
        sink = _sink(rows)
        root_rows = rows.filter(pa.array(sink < cuts["root"]))
        extra = in_flight if table == "msdyn_ocsession" else None
        entities.append(_entity(table, _write_root_table(out_dir, table, root_rows, extra, cuts, rows_per_file)))
        counts[table] = root_rows.num_rows
        for k, low in enumerate(bounds):
            high = bounds[k + 1] if k + 1 < len(bounds) else np.iinfo(np.int64).max
            part = rows.filter(pa.array((sink >= low) & (sink < high)))
            folders[k][table] = _retries(rng, part) if k == 0 else part
            counts[table] += folders[k][table].num_rows
    write_model(out_dir / "model.json", entities, cuts["root"])
    for k, low in enumerate(bounds):
        write_folder(
            out_dir, folder_name(low), folders[k], cuts["add"], unlisted=("msdyn_ocsessionsentiment",) if k == 1 else ()
        )
    (out_dir / folder_name(bounds[1] + SECOND)).mkdir()  # an empty folder left by a retry
    start_in_flight(out_dir, last_write + 60 * SECOND, {"msdyn_ocsession": in_flight}, cuts["add"])
    write_choice_metadata(out_dir)
    return counts


def start_in_flight(root: Path, when_us: int, tables: dict[str, pa.Table], t_add: int) -> str:
    """The folder Synapse Link is writing now (named in Changelog/changelog.info): not to be read yet."""
    name = folder_name(when_us)
    if any(rows.num_rows for rows in tables.values()):
        write_folder(root, name, tables, t_add)
    else:
        (root / name).mkdir(parents=True, exist_ok=True)
    (root / "Changelog").mkdir(exist_ok=True)
    (root / "Changelog" / "changelog.info").write_text(name)
    return name


def append_change(root: Path, tables: dict[str, pa.Table]) -> dict[str, int]:
    """The next sync: the folder in progress completes, the change lands in a new folder, a new one starts.

    ``tables`` are rows in the generator's schemas, all written after everything in the export.
    """
    written = max(int(_sink(rows).max()) for rows in tables.values() if rows.num_rows)
    write_folder(root, folder_name(written), tables, t_add=0)
    start_in_flight(root, written + 15 * 60 * SECOND, {}, t_add=0)
    return {table: rows.num_rows for table, rows in tables.items()}
