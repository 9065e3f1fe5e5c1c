"""One parsing rule per column kind: the SQL (the base models' macros, compiled by dbt) and the pandas
reference parse the same texts to the same values (docs/metrics.md, "Parsing rules").

Seeded random texts built from the pieces real exports and their faults are made of (signs, digits,
fractions, exponents, blanks, words, braces), several thousand per kind, go through both parsers.
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import pandas as pd
import pytest

from omnichannel_tools.dbt_runner import run_dbt
from omnichannel_tools.reference.parsing import (
    parse_bigint,
    parse_bool,
    parse_float,
    parse_guid,
    parse_int,
    parse_text,
)

TEXTS_PER_RUN = 6_000

# kind in the dbt macros -> the reference parser of that kind
REFERENCE_PARSERS = {
    "integer": parse_int,
    "bigint": parse_bigint,
    "double": parse_float,
    "boolean": parse_bool,
    "string": parse_text,
    "guid": parse_guid,
}

PIECES = [
    "0",
    "1",
    "7",
    "12",
    "192350004",
    "2147483647",
    "2147483648",
    "-2147483648",
    "9223372036854775807",
    "99999999999999999999",
    ".",
    ".0",
    ".00",
    ".5",
    "e3",
    "E-2",
    "e",
    "+",
    "-",
    " ",
    "  ",
    "\t",
    "_",
    "0x10",
    "1_000",
    "nan",
    "NaN",
    "inf",
    "-inf",
    "true",
    "True",
    "FALSE",
    "yes",
    "no",
    "t",
    "f",
    "y",
    "{",
    "}",
    "ABCDEF",
    "abc",
    "١٢",
    "½",
    ",",
    "\n",
]


SPOT_CHECKS = ["12", "12.0", "1.5", "1e3", "0x10", "1_000", "1", "0", "nan", "yes", "2147483648"]


def random_texts(seed: int, count: int) -> list[str | None]:
    """Texts of 0 to 4 pieces; a few NULLs."""
    rng = random.Random(seed)
    texts: list[str | None] = [None, "", " ", *SPOT_CHECKS]
    while len(texts) < count:
        texts.append("".join(rng.choice(PIECES) for _ in range(rng.randint(1, 4))))
    return texts


def compiled_parsers(tmp_path: Path) -> str:
    """The SQL of dataverse_parse_value for every kind, over a table `texts(raw varchar)`, compiled by dbt."""
    columns = ",\n".join(
        f"{{{{ dataverse_parse_value('raw', '{kind}', 'VARCHAR') }}}} as {kind}_value" for kind in REFERENCE_PARSERS
    )
    result = run_dbt(
        ["compile", "--quiet", "--inline", f"select raw,\n{columns}\nfrom texts"],
        warehouse=tmp_path / "compile.duckdb",
        export_path=tmp_path,
        target_path=tmp_path / "target",
        target="lint",
    )
    assert result.ok, result.output[-3000:]
    sql = result.output.strip()
    assert sql.lower().startswith("select raw"), sql[:500]
    return sql


@pytest.fixture(scope="module")
def parsed_by_sql(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    tmp_path = tmp_path_factory.mktemp("parsing")
    sql = compiled_parsers(tmp_path)
    texts = random_texts(seed=20261203, count=TEXTS_PER_RUN)
    with duckdb.connect() as con:
        con.execute("create table texts (raw varchar)")
        con.executemany("insert into texts values (?)", [(text,) for text in texts])
        return con.execute(sql).df()


@pytest.mark.parametrize("kind", list(REFERENCE_PARSERS))
def test_the_sql_and_the_reference_parse_every_text_alike(parsed_by_sql: pd.DataFrame, kind: str) -> None:
    raw = parsed_by_sql["raw"].astype("str")
    ours = parsed_by_sql[f"{kind}_value"]
    reference = REFERENCE_PARSERS[kind](raw.reset_index(drop=True))
    disagreements = [
        (text, sql_value, ref_value)
        for text, sql_value, ref_value in zip(raw, ours, reference, strict=True)
        if not (pd.isna(sql_value) and pd.isna(ref_value))
        and (pd.isna(sql_value) or pd.isna(ref_value) or sql_value != ref_value)
    ]
    assert not disagreements, disagreements[:20]


def test_the_rules_reject_what_they_must(parsed_by_sql: pd.DataFrame) -> None:
    """Spot checks of the rule itself (hand-written), so that both parsers cannot agree on a wrong rule."""
    by_text = {row.raw: row for row in parsed_by_sql.itertuples() if isinstance(row.raw, str)}
    expected = {
        "12": (12, 12.0, None),
        "12.0": (12, 12.0, None),
        "1.5": (None, 1.5, None),
        "1e3": (None, 1000.0, None),
        "0x10": (None, None, None),
        "1_000": (None, None, None),
        "1": (1, 1.0, True),
        "0": (0, 0.0, False),
        "nan": (None, None, None),
        "yes": (None, None, None),
        "2147483648": (None, 2147483648.0, None),
    }
    for text, (integer, double, boolean) in expected.items():
        row = by_text[text]
        assert (None if pd.isna(row.integer_value) else row.integer_value) == integer, text
        assert (None if pd.isna(row.double_value) else row.double_value) == double, text
        assert (None if pd.isna(row.boolean_value) else bool(row.boolean_value)) == boolean, text
