"""What the lake readers share: the error type, column names, and batches conformed to a table's schema."""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa


class LakeError(ValueError):
    """An export that cannot be read as asked; the message names the table and the file."""


def lower_names(schema: pa.Schema) -> pa.Schema:
    """The schema with lower-case column names (Dataverse logical names; Id, SinkModifiedOn... as id, ...)."""
    return pa.schema([field.with_name(field.name.lower()) for field in schema.remove_metadata()])


def union_schema(schemas: Iterable[pa.Schema]) -> pa.Schema:
    """Columns by name in order of first appearance; a column whose types cannot be unified becomes text."""
    fields: dict[str, list[pa.DataType]] = {}
    for schema in schemas:
        for field in schema:
            fields.setdefault(field.name, []).append(field.type)
    unified = []
    for name, types in fields.items():
        try:
            field = pa.unify_schemas([pa.schema([(name, t)]) for t in types], promote_options="permissive")[0]
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            field = pa.field(name, pa.string())
        if pa.types.is_dictionary(field.type):
            field = field.with_type(field.type.value_type)
        unified.append(field.with_nullable(True))
    return pa.schema(unified)


def conform(batch: pa.RecordBatch, schema: pa.Schema) -> pa.RecordBatch:
    """A batch with exactly the schema's columns: missing ones NULL, the others cast (names compared lower-case)."""
    present = {name.lower(): i for i, name in enumerate(batch.schema.names)}
    arrays = []
    for field in schema:
        if field.name in present:
            column = batch.column(present[field.name])
            arrays.append(column if column.type == field.type else column.cast(field.type))
        else:
            arrays.append(pa.nulls(batch.num_rows, field.type))
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
