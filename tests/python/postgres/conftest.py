"""The PostgreSQL cluster of `make test-postgres` (its connection in DBT_POSTGRES_*) and its builds."""

from __future__ import annotations

import os

import pytest


@pytest.fixture(scope="session")
def pg():
    """A superuser connection to the test cluster (autocommit)."""
    if not os.environ.get("DBT_POSTGRES_PORT"):
        pytest.fail("no PostgreSQL cluster in the environment (DBT_POSTGRES_*): run `make test-postgres`")
    from omnichannel_tools.loaders.postgres import connect

    connection = connect()
    connection.autocommit = True
    yield connection
    connection.close()
