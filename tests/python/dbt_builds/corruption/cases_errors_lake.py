"""Error builds of the lake formats: a Synapse Link CDM container or Fabric Link Delta tables that cannot
serve. Each case writes its export from a pristine one and returns (export, format, the texts the
message must contain); the builds run with the error builds of cases_errors (test_errors).
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

from omnichannel_tools.generator import generate_export

from .export_files import copy_export
from .suite import OCS, QUEUE, SEED, SESSIONS, USER

LakeCase = tuple[Path, str, list[str]]  # (export, format, needles of the message)


def pristine(root: Path, fmt: str) -> Path:
    """The suite's simulated export in a lake format (cdm or delta), written once."""
    export = root / f"pristine_{fmt}"
    if not export.exists():
        generate_export(export, sessions=SESSIONS, seed=SEED, fmt=fmt, rows_per_file=300)
    return export


def _root_entity(export: Path, table: str) -> dict:
    document = json.loads((export / "model.json").read_text())
    return next(e for e in document["entities"] if e["name"] == table)


def cdm_model_json_missing(root: Path) -> LakeCase:
    """The root model.json is gone; the incremental folders and the changelog remain: auto must not guess."""
    export = copy_export(pristine(root, "cdm"), root / "cdm_model_json_missing")
    (export / "model.json").unlink()
    return export, "auto", ["Synapse Link container", f"'{export}'", "model.json is missing"]


def cdm_model_json_unreadable(root: Path) -> LakeCase:
    export = copy_export(pristine(root, "cdm"), root / "cdm_model_json_unreadable")
    text = (export / "model.json").read_text()
    (export / "model.json").write_text(text[: len(text) // 2])  # cut mid-write
    return export, "cdm", ["Cannot read the CDM model", f"{export}/model.json"]


def cdm_table_folder_missing(root: Path) -> LakeCase:
    export = copy_export(pristine(root, "cdm"), root / "cdm_table_folder_missing")
    shutil.rmtree(export / USER)
    return export, "auto", [f"'{USER}'", f"{export}/model.json lists it", f"{export}/{USER} is missing"]


def cdm_row_too_many_fields(root: Path) -> LakeCase:
    """One record with a field more than model.json gives the table: the build stops naming file and line."""
    export = copy_export(pristine(root, "cdm"), root / "cdm_row_too_many_fields")
    location = _root_entity(export, QUEUE)["partitions"][0]["location"]
    bad = export / QUEUE / location.rsplit("/", 1)[-1]
    records = bad.read_text().splitlines(keepends=True)
    records[1] = records[1].rstrip("\n") + ',"one field too many"\n'
    bad.write_text("".join(records))
    return export, "auto", [str(bad), "Line: 2", "Expected Number of Columns"]


def cdm_partition_missing(root: Path) -> LakeCase:
    """A partition the root model.json lists (the latest snapshot) is gone; the live file beside it is not read."""
    export = copy_export(pristine(root, "cdm"), root / "cdm_partition_missing")
    partition = _root_entity(export, OCS)["partitions"][-1]
    gone = export / OCS / partition["location"].rsplit("/", 1)[-1]
    gone.unlink()
    return export, "cdm", [f"'{OCS}'", f"partition '{partition['name']}'", str(gone)]


def delta_log_unreadable(root: Path) -> LakeCase:
    export = copy_export(pristine(root, "delta"), root / "delta_log_unreadable")
    for commit in (export / QUEUE / "_delta_log").glob("*.json"):
        commit.write_text("{not json\n")
    return export, "auto", ["table queue", f"no readable Delta log in {export}/{QUEUE}"]


def delta_log_missing(root: Path) -> LakeCase:
    """With dataverse_format delta, a table folder of Parquet files without its log is not read by glob."""
    export = copy_export(pristine(root, "delta"), root / "delta_log_missing")
    shutil.rmtree(export / USER / "_delta_log")
    return export, "delta", [f"'{USER}'", f"'{export}/{USER}' is not a Delta table"]


CASES: dict[str, Callable[[Path], LakeCase]] = {
    case.__name__: case
    for case in (
        cdm_model_json_missing,
        cdm_model_json_unreadable,
        cdm_table_folder_missing,
        cdm_row_too_many_fields,
        cdm_partition_missing,
        delta_log_unreadable,
        delta_log_missing,
    )
}
