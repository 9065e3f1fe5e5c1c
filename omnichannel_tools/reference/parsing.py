"""Column parsing: one function per column kind, each accepting any input dtype (typed Parquet or CSV text)."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

TRUE_TEXT = frozenset({"true", "1"})
FALSE_TEXT = frozenset({"false", "0"})

# The parsing rules of docs/metrics.md ("Parsing rules"), the same as the SQL's: text is trimmed
# of spaces (not of other whitespace), a whole number may end in '.0...' but never in another
# fraction, a decimal number may carry an exponent.
WHOLE_NUMBER = r"[+-]?[0-9]+(\.0*)?"
DECIMAL_NUMBER = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"
INT32_RANGE = (-(2**31), 2**31 - 1)
INT64_RANGE = (-(2**63), 2**63 - 1)


def as_text(values: pd.Series) -> pd.Series:
    """Cast to the pandas string dtype, keeping missing values missing."""
    if values.dtype != "str":
        values = values.astype("str")
    return values


def trimmed_text(values: pd.Series) -> pd.Series:
    """Text trimmed of spaces; an empty string is NULL."""
    text = as_text(values).str.strip(" ")
    return text.where(text != "")


def parse_text(values: pd.Series) -> pd.Series:
    """Text column: trimmed of spaces; an empty string is NULL."""
    return trimmed_text(values)


def parse_guid(values: pd.Series) -> pd.Series:
    """GUID column: braces removed, trimmed of spaces, lower case; an empty string is NULL."""
    text = as_text(values).str.replace("{", "", regex=False).str.replace("}", "", regex=False)
    text = text.str.strip(" ").str.lower()
    return text.where(text != "")


def parse_timestamp(values: pd.Series) -> pd.Series:
    """Timestamp column to naive UTC ``datetime64[us]``.

    Accepts tz-aware or naive datetimes (naive = UTC) and ISO-8601 text with an
    optional 'Z' / '+00:00' suffix and up to 7 fractional digits. Unparseable text is
    NULL.
    """
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        result = values.dt.tz_convert("UTC").dt.tz_localize(None)
    elif pd.api.types.is_datetime64_dtype(values.dtype):
        result = values
    else:
        text = as_text(values).str.strip()
        text = text.where(text != "")
        result = pd.to_datetime(text, format="ISO8601", utc=True, errors="coerce")
        result = result.dt.tz_localize(None)
    return result.astype("datetime64[us]")


def _in_range(numbers: pd.Series, bounds: tuple[int, int]) -> pd.Series:
    low, high = bounds
    return numbers.where((numbers >= low) & (numbers <= high))


def parse_whole_number(values: pd.Series, bounds: tuple[int, int] = INT64_RANGE) -> pd.Series:
    """Whole-number column to nullable ``Int64``: text is digits with an optional sign and an
    optional '.0...' tail; a fraction, an exponent or a value out of range is NULL, never rounded."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("Int64")
    if pd.api.types.is_integer_dtype(values.dtype):
        return _in_range(values.astype("Int64"), bounds)
    if pd.api.types.is_float_dtype(values.dtype):
        numbers = values.astype("float64")
        integral = numbers.notna() & (np.floor(numbers) == numbers)
        whole = numbers.where(integral)
        low, high = bounds
        return whole.where((whole >= low) & (whole <= high)).astype("Int64")
    text = trimmed_text(values)
    matching = text.str.fullmatch(WHOLE_NUMBER).fillna(False).astype(bool)
    digits = text.where(matching).str.split(".", n=1).str[0]
    parsed = [None if value is None or pd.isna(value) else int(value) for value in digits]
    low, high = bounds
    parsed = [value if value is not None and low <= value <= high else None for value in parsed]
    return pd.Series(parsed, index=values.index, dtype="Int64")


def parse_int(values: pd.Series) -> pd.Series:
    """Integer column (choice codes, seconds): a whole number in the 32-bit range."""
    return parse_whole_number(values, INT32_RANGE)


def parse_bigint(values: pd.Series) -> pd.Series:
    """Bigint column (versionnumber): a whole number in the 64-bit range."""
    return parse_whole_number(values, INT64_RANGE)


def parse_float(values: pd.Series) -> pd.Series:
    """Double column to ``float64`` (NaN = NULL): text is a decimal number with an optional exponent."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("float64")
    text = trimmed_text(values)
    matching = text.str.fullmatch(DECIMAL_NUMBER).fillna(False).astype(bool)
    return pd.to_numeric(text.where(matching), errors="coerce").astype("float64")


def parse_bool(values: pd.Series) -> pd.Series:
    """Boolean column to nullable ``boolean``: true/false/1/0 text, any case, trimmed of spaces."""
    if pd.api.types.is_bool_dtype(values.dtype):
        return values.astype("boolean")
    if pd.api.types.is_numeric_dtype(values.dtype):
        return (values != 0).astype("boolean").mask(values.isna())
    text = as_text(values).str.strip(" ").str.lower()
    result = pd.Series(pd.NA, index=values.index, dtype="boolean")
    result[text.isin(TRUE_TEXT)] = True
    result[text.isin(FALSE_TEXT)] = False
    return result


PARSERS: dict[str, Callable[[pd.Series], pd.Series]] = {
    "guid": parse_guid,
    "text": parse_text,
    "ts": parse_timestamp,
    "int": parse_int,
    "bigint": parse_bigint,
    "float": parse_float,
    "bool": parse_bool,
}

EMPTY_DTYPES: dict[str, str] = {
    "guid": "str",
    "text": "str",
    "ts": "datetime64[us]",
    "int": "Int64",
    "bigint": "Int64",
    "float": "float64",
    "bool": "boolean",
}
