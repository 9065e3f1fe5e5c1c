"""A BI client's view of the warehouse: SQLAlchemy + duckdb-engine (the driver Superset uses),
read-only, from a working directory other than the repo."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from omnichannel_tools.catalogue import metric_views

METRIC_VIEWS = metric_views()


@pytest.fixture()
def bi_engine(built_warehouse: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> sa.Engine:
    monkeypatch.chdir(tmp_path)  # relative file paths in a view would break here
    engine = sa.create_engine(f"duckdb:///{built_warehouse}", connect_args={"read_only": True})
    yield engine
    engine.dispose()


def test_every_metric_view_answers_read_only_from_elsewhere(bi_engine: sa.Engine) -> None:
    inspector = sa.inspect(bi_engine)
    views = set(inspector.get_view_names(schema="main"))
    assert set(METRIC_VIEWS) <= views
    with bi_engine.connect() as con:
        total = con.execute(sa.text("select count(*) from fct_sessions where not is_bot_session")).scalar_one()
        assert total > 0
        for view in METRIC_VIEWS:
            rows = con.execute(sa.text(f"select count(*) from {view}")).scalar_one()
            assert rows > 0, view
        summed = con.execute(sa.text("select sum(total_sessions) from metric_total_sessions")).scalar_one()
        assert summed == total


def test_the_warehouse_refuses_writes_from_a_bi_client(bi_engine: sa.Engine) -> None:
    with bi_engine.connect() as con, pytest.raises(sa.exc.DBAPIError):
        con.execute(sa.text("create table should_not_exist as select 1 as x"))


def test_no_view_reads_files(bi_engine: sa.Engine) -> None:
    with bi_engine.connect() as con:
        definitions = con.execute(
            sa.text("select view_name, sql from duckdb_views() where not internal and schema_name = 'main'")
        ).all()
    assert definitions
    for name, sql in definitions:
        lowered = sql.lower()
        assert "read_parquet" not in lowered and "read_csv" not in lowered, name
