"""The text of a Synapse Link CSV partition: one line per row, no header, a trailing comma.

As Synapse Link writes it (third-party readers of real files agree; Microsoft documents the
timestamp forms): GUIDs, numbers and booleans unquoted; text and date-times quoted ('"' doubled
inside); NULL an empty unquoted field; SinkCreatedOn / SinkModifiedOn as ``M/d/yyyy h:mm:ss AM/PM``
(UTC, whole seconds), ``createdon`` as ``yyyy-MM-ddTHH:mm:ss.fffffff+00:00``, other date-times with
seven fractional digits and 'Z'; every line ends with a comma.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from omnichannel_tools.generator.writers import _csv_timestamps

SINK_COLUMNS = ("sinkcreatedon", "sinkmodifiedon")
OFFSET_COLUMNS = ("createdon",)  # dateTimeOffset since 07/29/2022


def is_guid_column(name: str, type_: pa.DataType) -> bool:
    """The Dataverse key and lookup columns (text GUIDs); msdyn_sessionid is a display id."""
    return pa.types.is_string(type_) and name.endswith("id") and name != "msdyn_sessionid"


def cdm_data_type(name: str, type_: pa.DataType) -> str:
    """The CDM dataType of a column (model.json attributes)."""
    if pa.types.is_timestamp(type_):
        return "dateTimeOffset" if name in OFFSET_COLUMNS else "dateTime"
    if pa.types.is_boolean(type_):
        return "boolean"
    if pa.types.is_integer(type_):
        return "int64"
    if pa.types.is_floating(type_):
        return "double"
    return "guid" if is_guid_column(name, type_) else "string"


def _quoted(text: pa.Array) -> pa.Array:
    escaped = pc.replace_substring(text, '"', '""')
    return pc.binary_join_element_wise('"', escaped, '"', "")


def _us_sink_times(timestamps: pa.Array) -> pa.Array:
    """M/d/yyyy h:mm:ss AM/PM, whole seconds (floored)."""
    ts = pc.floor_temporal(timestamps.cast(pa.timestamp("us", tz="UTC")), unit="second")
    hour = pc.hour(ts).to_numpy(zero_copy_only=False)
    hour12 = pa.array(np.where(hour % 12 == 0, 12, hour % 12)).cast(pa.string())
    designator = pa.array(np.where(hour < 12, "AM", "PM"))

    def two(values: pa.Array) -> pa.Array:
        return pc.utf8_lpad(values.cast(pa.string()), 2, "0")

    date = pc.binary_join_element_wise(
        pc.month(ts).cast(pa.string()), pc.day(ts).cast(pa.string()), pc.year(ts).cast(pa.string()), "/"
    )
    clock = pc.binary_join_element_wise(hour12, two(pc.minute(ts)), two(pc.second(ts)), ":")
    return pc.binary_join_element_wise(date, clock, designator, " ")


def field_text(name: str, column: pa.Array) -> pa.Array:
    """One column as its CSV fields (NULL -> empty)."""
    type_ = column.type
    if pa.types.is_timestamp(type_):
        if name in SINK_COLUMNS:
            text = _quoted(_us_sink_times(column))
        else:
            iso = _csv_timestamps(column)
            if name in OFFSET_COLUMNS:
                iso = pc.replace_substring_regex(iso, "Z$", "+00:00")
            text = _quoted(iso)
    elif pa.types.is_boolean(type_):
        text = pc.if_else(column, "True", "False")
    elif pa.types.is_string(type_) and not is_guid_column(name, type_):
        text = _quoted(column)
    else:
        text = column.cast(pa.string())
    return pc.fill_null(text, "")


def lines(table: pa.Table, columns: list[str], width: pa.Array | None = None) -> pa.Array:
    """The lines of a partition: the fields of ``columns`` joined by commas, a trailing comma, a line end.

    ``width``: per row, how many of the columns it was written with (rows written before a
    column was added have fewer fields); all of them when None.
    """
    fields = [field_text(name, table.column(name).combine_chunks()) for name in columns]
    line = fields[0]
    for i, field in enumerate(fields[1:], start=2):
        joined = pc.binary_join_element_wise(line, field, ",")
        line = joined if width is None else pc.if_else(pc.greater_equal(width, i), joined, line)
    return pc.binary_join_element_wise(line, ",\n", "")


def write_lines(path: Path, text: pa.Array) -> None:
    """Write the lines as they are (appending when the file exists)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = pa.concat_arrays([text.cast(pa.large_string())]) if len(text) else pa.array([], pa.large_string())
    with path.open("ab") as handle:
        if len(data):
            offsets = np.frombuffer(data.buffers()[1], np.int64)[data.offset : data.offset + len(data) + 1]
            handle.write(data.buffers()[2].to_pybytes()[offsets[0] : offsets[-1]])
