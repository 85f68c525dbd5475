"""Shared fixtures: a migrated database on SQLite and, when configured, on PostgreSQL.

Set DRILLPLAN_TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:55432/postgres)
to run every database test a second time on PostgreSQL; `.ci/run` does.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from sqlalchemy import text

from drillplan.db import migrate
from drillplan.db.database import Database, open_db
from drillplan.db.engine import make_engine
from tests import factories as f

PG_URL = os.environ.get("DRILLPLAN_TEST_DATABASE_URL")
BACKENDS = ["sqlite"] + (["postgresql"] if PG_URL else [])


def reset_postgres(url: str) -> None:
    """Drop everything in the public schema of the test PostgreSQL database."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def fresh_database(backend: str, tmp_path: os.PathLike[str]) -> Database:
    if backend == "sqlite":
        return open_db(os.path.join(tmp_path, "test.sqlite3"))
    assert PG_URL is not None
    reset_postgres(PG_URL)
    engine = make_engine(PG_URL)
    migrate.upgrade(engine)
    engine.dispose()
    return open_db(PG_URL)


@pytest.fixture(params=BACKENDS)
def db(request: pytest.FixtureRequest, tmp_path: os.PathLike[str]) -> Iterator[Database]:
    """A freshly migrated, empty database on each configured backend."""
    database = fresh_database(request.param, tmp_path)
    yield database
    database.close()


@pytest.fixture
def stocked(db: Database) -> Database:
    """A database with one unit, one material (救生衣, 件) and one depot (仓库D1): what a lot
    import needs (tests of the import; a module may define its own)."""
    with db.session() as session:
        u = f.unit(session)
        f.material(session, name="救生衣", uom="件")
        f.depot(session, u, name="仓库D1")
    return db
