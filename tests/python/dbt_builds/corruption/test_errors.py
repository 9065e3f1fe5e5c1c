"""Error builds (cases_errors): input that cannot serve stops the build with one clear message."""

from __future__ import annotations

import pytest

from .cases_errors import CASES, NEEDLES
from .suite import Suite
from .warehouse import relation_names


@pytest.mark.parametrize("name", list(CASES))
def test_input_that_cannot_serve_stops_the_build_with_a_clear_message(name: str, suite: Suite) -> None:
    build = suite.builds[f"error_{name}"]
    result = build.result
    assert not result.ok
    # One message: dbt reports a single error, and it names the table, column, path or var.
    errors = result.output.count("Encountered an error")
    assert errors == 1, result.output[-3000:]
    message = result.output[result.output.index("Encountered an error") :]
    for needle in NEEDLES[name]:
        assert needle in message, f"{needle!r} not in:\n{message}"
    # Nothing was built.
    if build.warehouse.exists():
        assert "fct_sessions" not in relation_names(build.warehouse)
