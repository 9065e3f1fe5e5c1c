"""Error builds: exports that cannot serve. Each build must stop with one message naming the problem.

Each case writes its export and returns (export, format, the texts the message must contain);
submit_error_builds starts their builds while the baseline builds.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from .cases_errors_lake import CASES as LAKE_CASES
from .export_files import CsvTable, copy_export, read_csv_file, write_csv_file
from .suite import OCS, QUEUE, USER, Build, Suite, new_guid

ErrorCase = tuple[Path, str, list[str]]  # (export, format, needles of the message)


def missing_table(root: Path, parquet: Path, csv: Path) -> ErrorCase:
    export = copy_export(parquet, root / "missing_table")
    shutil.rmtree(export / QUEUE)
    return export, "parquet", ["'queue'", f"{export}/queue"]


def missing_required_columns(root: Path, parquet: Path, csv: Path) -> ErrorCase:
    export = copy_export(csv, root / "missing_required_columns")
    for table, column in ((OCS, "msdyn_agentacceptedon"), (USER, "fullname")):
        t = CsvTable(export / table / "part-00000.csv")
        t.drop_column(column)
        t.write()
    return export, "csv", ["'msdyn_ocsession'", "'msdyn_agentacceptedon'", "'systemuser'", "'fullname'"]


def unreadable_file(root: Path, parquet: Path, csv: Path) -> ErrorCase:
    export = copy_export(parquet, root / "unreadable_file")
    bad = export / USER / "part-00001.parquet"
    bad.write_bytes((parquet / USER / "part-00000.parquet").read_bytes()[:200])  # truncated
    return export, "parquet", [str(bad)]


def malformed_csv(root: Path, parquet: Path, csv: Path) -> ErrorCase:
    export = copy_export(csv, root / "malformed_csv")
    header, records = read_csv_file(csv / QUEUE / "part-00000.csv")
    bad = export / QUEUE / "part-00001.csv"
    ragged = [new_guid(7), "Ragged, row", "1", "2025-01-01T00:00:00Z", "False", "one field too many"]
    write_csv_file(bad, header, records[:3] + [ragged] + records[3:])
    return export, "csv", [str(bad)]


def path_nowhere(root: Path, parquet: Path, csv: Path) -> ErrorCase:
    nowhere = root / "no_such_folder"
    return nowhere, "parquet", ["dataverse_path", str(nowhere)]


def unsupported_format(root: Path, parquet: Path, csv: Path) -> ErrorCase:
    return parquet, "json", ["dataverse_format", "'json'"]


CASES: dict[str, Callable[[Path, Path, Path], ErrorCase]] = {
    case.__name__: case
    for case in (
        missing_table,
        missing_required_columns,
        unreadable_file,
        malformed_csv,
        path_nowhere,
        unsupported_format,
    )
}
CASES.update(
    {name: (lambda root, parquet, csv, lake=lake: lake(root)) for name, lake in LAKE_CASES.items()}
)  # the CDM and Delta cases (cases_errors_lake) write their exports from their own pristine ones
NEEDLES: dict[str, list[str]] = {}  # filled by submit_error_builds


def submit_error_builds(suite: Suite, parquet: Path, csv: Path) -> None:
    """Write every error export and submit its build (named error_<case>)."""
    root = suite.root / "errors"
    for name, case in CASES.items():
        export, fmt, NEEDLES[name] = case(root, parquet, csv)
        suite.submit(Build(f"error_{name}", export, fmt, Path()))
