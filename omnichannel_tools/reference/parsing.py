"""Column parsing: one function per column kind, each accepting any input dtype (typed Parquet or CSV text)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

TRUE_TEXT = frozenset({"true", "1", "t", "yes", "y"})
FALSE_TEXT = frozenset({"false", "0", "f", "no", "n"})


def as_text(values: pd.Series) -> pd.Series:
    """Cast to the pandas string dtype, keeping missing values missing."""
    if values.dtype != "str":
        values = values.astype("str")
    return values


def parse_text(values: pd.Series) -> pd.Series:
    """Text column: an empty string is NULL."""
    text = as_text(values)
    return text.where(text != "")


def parse_guid(values: pd.Series) -> pd.Series:
    """GUID column: trimmed, braces removed, lower case; an empty string is NULL."""
    text = as_text(values).str.strip(" \t\r\n{}").str.lower()
    return text.where(text != "")


# Synapse Link's sink columns: M/d/yyyy h:mm:ss tt (UTC), the hour also written 0 or 13-23.
US_TIMESTAMP = r"(\d{1,2})/(\d{1,2})/(\d{4}) (\d{1,2}):(\d{2}):(\d{2}) ([AaPp][Mm])"


def _us_timestamps(text: pd.Series) -> pd.Series:
    """Text of Synapse Link's US form to naive UTC; anything else NaT.

    Hours 1-11 are 12-hour (PM adds 12), 12 AM is midnight and 12 PM noon; 0 and 13-23 are
    read as written whatever the designator; a date or time that does not exist is NaT.
    """
    parts = text.str.extract(f"^{US_TIMESTAMP}$")
    parts.columns = ["month", "day", "year", "hour", "minute", "second", "designator"]
    hour = pd.to_numeric(parts["hour"], errors="coerce")
    pm = parts["designator"].str.upper() == "PM"
    hour = hour.where(~(pm & hour.between(1, 11)), hour + 12)
    hour = hour.where(~(~pm & (hour == 12)), 0)
    iso = (
        parts["year"]
        + "-"
        + parts["month"].str.zfill(2)
        + "-"
        + parts["day"].str.zfill(2)
        + " "
        + hour.astype("Int64").astype("str").str.zfill(2)
        + ":"
        + parts["minute"]
        + ":"
        + parts["second"]
    )
    return pd.to_datetime(iso.where(parts["year"].notna()), format="%Y-%m-%d %H:%M:%S", errors="coerce")


def parse_timestamp(values: pd.Series) -> pd.Series:
    """Timestamp column to naive UTC ``datetime64[us]``.

    Accepts tz-aware or naive datetimes (naive = UTC), ISO-8601 text with an optional
    'Z' / '+00:00' suffix and up to 7 fractional digits, and Synapse Link's US form of its
    sink columns (``6/28/2021 4:34:35 PM``, see :func:`_us_timestamps`). Unparseable text
    is NULL.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        result = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        result = values
    else:
        text = as_text(values).str.strip()
        text = text.where(text != "")
        us_form = text.str.contains("/", regex=False).fillna(False).astype(bool)
        result = pd.to_datetime(text.where(~us_form), format="ISO8601", utc=True, errors="coerce")
        result = result.dt.tz_localize(None).astype("datetime64[us]")
        if us_form.any():
            result = result.where(~us_form, _us_timestamps(text.where(us_form)).astype("datetime64[us]"))
    return result.astype("datetime64[us]")


def parse_int(values: pd.Series) -> pd.Series:
    """Integer (choice / bigint) column to nullable ``Int64``; non-integers are NULL."""
    if pd.api.types.is_integer_dtype(values.dtype):
        return values.astype("Int64")
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("Int64")
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.astype("float64")
    else:
        text = as_text(values).str.strip()
        numbers = pd.to_numeric(text.where(text != ""), errors="coerce")
        if pd.api.types.is_integer_dtype(numbers.dtype):
            return numbers.astype("Int64")
        numbers = numbers.astype("float64")
    integral = numbers.notna() & (np.floor(numbers) == numbers)
    return numbers.where(integral).astype("Int64")


def parse_float(values: pd.Series) -> pd.Series:
    """Numeric column to ``float64`` (NaN = NULL); numbers may arrive as text."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64")
    text = as_text(values).str.strip()
    return pd.to_numeric(text.where(text != ""), errors="coerce").astype("float64")


def parse_bool(values: pd.Series) -> pd.Series:
    """Boolean column to nullable ``boolean``: True/False, true/false, 1/0 text."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values.dtype):
        return (values != 0).astype("boolean").mask(values.isna())
    text = as_text(values).str.strip().str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[text.isin(TRUE_TEXT)] = True
    result[text.isin(FALSE_TEXT)] = False
    return result


PARSERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "guid": parse_guid,
    "text": parse_text,
    "ts": parse_timestamp,
    "int": parse_int,
    "float": parse_float,
    "bool": parse_bool,
}

EMPTY_DTYPES: dict[str, str] = {
    "guid": "str",
    "text": "str",
    "ts": "datetime64[us]",
    "int": "Int64",
    "float": "float64",
    "bool": "boolean",
}
