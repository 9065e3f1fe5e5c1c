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
    # One message: dbt reports a single error (before the build, or the one model that read the file), and it
    # names the table, column, path or var.
    markers = [marker for marker in ("Encountered an error", "Failure in model") if marker in result.output]
    errors = sum(result.output.count(marker) for marker in markers)
    assert errors == 1, result.output[-3000:]
    message = result.output[result.output.index(markers[0]) :]
    for needle in NEEDLES[name]:
        assert needle in message, f"{needle!r} not in:\n{message}"
    # Nothing was built.
    if build.warehouse.exists():
        assert "fct_sessions" not in relation_names(build.warehouse)
