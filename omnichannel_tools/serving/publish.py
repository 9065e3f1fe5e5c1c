"""Write the serving file: the marts and metric views of a green build, in a DuckDB file of their own.

The serving file holds every model of the marts layer (models/marts: the metric views, the daily
aggregates they read, fct_sessions, fct_conversations, the dims) and of the audit layer
(models/audit: the load audit and the data faults, which the dashboard's data-quality panel
shows) and nothing else: no export row, no base, staging or intermediate model. It is written to
a new file beside the target, checked (every view binds
with the build warehouse detached), checkpointed, synced, then renamed over the old one: a reader
already connected keeps the file it opened (its snapshot), a new connection opens the new one,
and nobody ever sees a half-written file. The build warehouse is opened read-only.

The metric views are recreated from their definitions in the build warehouse, which DuckDB keeps
without a catalog (`select * from main.fct_session_metrics_daily`): inside the serving file they
resolve to its own tables, whatever name or folder a BI tool opens it under.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from graphlib import TopologicalSorter
from pathlib import Path

import duckdb

from omnichannel_tools.serving.verdict import PROJECT, build_verdict

BUILD_ALIAS = "omnichannel_build"
SERVED_LAYERS = ("marts", "audit")


class NotPublishedError(RuntimeError):
    """Raised when the build may not be published (not green) or the serving file cannot be made."""


@dataclass(frozen=True)
class ServedModel:
    """A model of the marts layer as the serving file holds it."""

    name: str
    schema: str
    identifier: str
    materialized: str
    depends_on: tuple[str, ...]  # names of the served models it reads

    @property
    def is_view(self) -> bool:
        return self.materialized == "view"


@dataclass(frozen=True)
class PublishReport:
    """What a publish wrote, and how long it took."""

    serving: Path
    tables: int
    views: int
    serving_bytes: int
    warehouse_bytes: int
    seconds: float
    warnings: list[str]


def _quoted(*parts: str) -> str:
    return ".".join('"' + part.replace('"', '""') + '"' for part in parts)


def served_models(manifest: dict) -> list[ServedModel]:
    """Every enabled model of the served layers, tables before the views that read them.

    Raises NotPublishedError when a served view reads a model outside the marts layer: it could not
    resolve inside the serving file.
    """
    nodes = {
        unique_id: node
        for unique_id, node in manifest["nodes"].items()
        if node["resource_type"] == "model" and node["package_name"] == PROJECT and node["fqn"][1] in SERVED_LAYERS
    }
    models: dict[str, ServedModel] = {}
    for node in nodes.values():
        reads = [d for d in node["depends_on"]["nodes"] if d.startswith("model.")]
        outside = [d for d in reads if d not in nodes]
        materialized = node["config"]["materialized"]
        if materialized == "view" and outside:
            raise NotPublishedError(
                f"view {node['name']} reads {', '.join(outside)}, outside the served layers {SERVED_LAYERS}"
            )
        depends_on = tuple(sorted(manifest["nodes"][d]["name"] for d in reads if d in nodes))
        models[node["name"]] = ServedModel(
            node["name"], node["schema"], node.get("alias") or node["name"], materialized, depends_on
        )
    order = TopologicalSorter({name: model.depends_on for name, model in models.items()}).static_order()
    return sorted((models[name] for name in order), key=lambda model: model.is_view)


def _connect(path: Path) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the build's memory limit and spill folder (the same env vars as dbt)."""
    config = {"memory_limit": os.environ.get("DBT_DUCKDB_MEMORY_LIMIT", "3GB")}
    temp_directory = os.environ.get("DBT_DUCKDB_TEMP_DIRECTORY")
    if temp_directory:
        config["temp_directory"] = temp_directory
    con = duckdb.connect(str(path), config=config)
    con.execute("set enable_progress_bar = false")  # a connection's setting, not a database's
    return con


def _view_definitions(con: duckdb.DuckDBPyConnection, views: list[ServedModel]) -> dict[str, str]:
    rows = con.execute(
        "select schema_name, view_name, sql from duckdb_views() where database_name = ? and not internal",
        [BUILD_ALIAS],
    ).fetchall()
    definitions = {(schema, name): sql for schema, name, sql in rows}
    missing = [v.identifier for v in views if (v.schema, v.identifier) not in definitions]
    if missing:
        raise NotPublishedError(f"views missing from the build warehouse: {', '.join(missing)}")
    return {v.name: definitions[(v.schema, v.identifier)] for v in views}


def _write(tmp: Path, warehouse: Path, models: list[ServedModel]) -> None:
    """Fill a new DuckDB file with the served models, copied from the build warehouse."""
    con = _connect(tmp)
    try:
        con.execute(f"attach {_literal(warehouse)} as {BUILD_ALIAS} (read_only)")
        definitions = _view_definitions(con, [m for m in models if m.is_view])
        for model in models:
            con.execute(f"create schema if not exists {_quoted(model.schema)}")
            if model.is_view:
                con.execute(f"use {_quoted(model.schema)}")
                con.execute(definitions[model.name])
            else:
                source = _quoted(BUILD_ALIAS, model.schema, model.identifier)
                con.execute(f"create table {_quoted(model.schema, model.identifier)} as select * from {source}")
        con.execute("use main")
        con.execute(f"detach {BUILD_ALIAS}")
        for model in models:  # every view binds with the build warehouse gone
            con.execute(f"select * from {_quoted(model.schema, model.identifier)} limit 0").fetchall()
        con.execute("checkpoint")
    finally:
        con.close()


def _literal(path: Path) -> str:
    return "'" + str(path).replace("'", "''") + "'"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def publish(warehouse: Path, serving: Path, target_dir: Path) -> PublishReport:
    """Publish the build in warehouse (artifacts in target_dir) to serving, or raise NotPublishedError."""
    started = time.perf_counter()
    verdict = build_verdict(target_dir)
    if not verdict.green:
        raise NotPublishedError("the last dbt build is not green:\n  " + "\n  ".join(verdict.reasons))
    if not warehouse.exists():
        raise NotPublishedError(f"build warehouse {warehouse} not found")
    with (target_dir / "manifest.json").open(encoding="utf-8") as handle:
        models = served_models(json.load(handle))
    serving.parent.mkdir(parents=True, exist_ok=True)
    tmp = serving.with_name(f".{serving.name}.publishing-{os.getpid()}")
    wal = tmp.with_name(tmp.name + ".wal")
    for leftover in (tmp, wal):
        leftover.unlink(missing_ok=True)
    try:
        _write(tmp, warehouse.resolve(), models)
        if wal.exists():
            raise NotPublishedError(f"{wal} left after the checkpoint: the serving file would not stand alone")
        _fsync(tmp)
        os.replace(tmp, serving)  # atomic on one file system: readers see the old file or the new one
        _fsync(serving.parent)
    finally:
        for leftover in (tmp, wal):
            leftover.unlink(missing_ok=True)
    return PublishReport(
        serving=serving,
        tables=sum(not m.is_view for m in models),
        views=sum(m.is_view for m in models),
        serving_bytes=serving.stat().st_size,
        warehouse_bytes=warehouse.stat().st_size,
        seconds=time.perf_counter() - started,
        warnings=verdict.warnings,
    )
