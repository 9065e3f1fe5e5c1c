"""Synapse Link's US form of its sink timestamps, as the reference reads it (the same cases as the
dbt unit test base_parse__synapse_link_us_sink_timestamps)."""

from __future__ import annotations

import pandas as pd
import pytest

from omnichannel_tools.reference.parsing import parse_timestamp

CASES = [
    ("6/28/2021 4:34:35 PM", "2021-06-28 16:34:35"),
    ("1/1/2020 0:00:00 PM", "2020-01-01 00:00:00"),  # an hour of 0 is read as written
    (" 12/31/2024 12:00:00 am ", "2024-12-31 00:00:00"),  # 12 AM is midnight
    ("01/02/2025 12:00:01 PM", "2025-01-02 12:00:01"),  # 12 PM is noon
    ("3/4/2025 13:05:09 pm", "2025-03-04 13:05:09"),  # 13-23 are read as written
    ("2/30/2025 1:00:00 AM", None),  # no such day
    ("6/28/2021 4:34:35PM", None),  # the designator without its space
    ("1/1/2025 24:00:00 PM", None),
    ("13/1/2025 1:00:00 AM", None),
    ("6/28/21 4:34:35 PM", None),  # a two-digit year
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_us_sink_timestamps(text: str, expected: str | None) -> None:
    parsed = parse_timestamp(pd.Series([text, "2025-03-01T10:00:00.1234567Z"], dtype="str"))
    assert parsed.iloc[1] == pd.Timestamp("2025-03-01 10:00:00.123456")  # ISO text beside it is unchanged
    if expected is None:
        assert pd.isna(parsed.iloc[0])
    else:
        assert parsed.iloc[0] == pd.Timestamp(expected)
