"""Engine and session factory: SQLite (WAL, foreign keys, busy timeout) or PostgreSQL.

On SQLite a transaction begins ``DEFERRED`` (readers never wait) unless the connection carries
the execution option ``BEGIN_OPTION: "immediate"``: then ``BEGIN IMMEDIATE`` takes the write
lock at once (waiting up to the busy timeout for it), so a writer never reads a snapshot it
cannot later write on (``SQLITE_BUSY_SNAPSHOT``). :mod:`drillplan.db.retry` uses it when it
runs a transaction again.

Sessions are :class:`DrillplanSession`: a flush (explicit, autoflush or the commit's) that
finds a versioned row changed by someone else raises
:class:`~drillplan.kernel.errors.EditConflict` naming the row, never ``StaleDataError``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import platformdirs
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from drillplan.kernel import stale

APP_NAME = "drillplan"
ENV_URL = "DRILLPLAN_DATABASE_URL"
BUSY_TIMEOUT_MS = 10_000
#: execution option naming how a SQLite transaction begins ("immediate"; default deferred)
BEGIN_OPTION = "drillplan_sqlite_begin"


def default_db_path() -> Path:
    """The user's database file in the platform's data directory."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "drillplan.sqlite3"


def resolve_url(db: str | os.PathLike[str] | None = None) -> str:
    """A database URL from ``--db`` (URL or SQLite path), the environment, or the default."""
    value = str(db) if db else os.environ.get(ENV_URL) or str(default_db_path())
    if "://" in value:
        url = make_url(value)
        if url.get_backend_name() == "postgresql" and url.drivername == "postgresql":
            url = url.set(drivername="postgresql+psycopg")
        return url.render_as_string(hide_password=False)
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (None for in-memory or other databases)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database:
        return None
    if parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def _sqlite_on_connect(dbapi_connection: Any, _record: Any) -> None:
    # pysqlite's own transaction handling is turned off so that SQLAlchemy's BEGIN is real.
    dbapi_connection.isolation_level = None
    cur = dbapi_connection.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_on_begin(conn: Any) -> None:
    if conn.get_execution_options().get(BEGIN_OPTION) == "immediate":
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine for ``url`` with drillplan's connection settings."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = sqlite_path(url)
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **kwargs)
        event.listen(engine, "connect", _sqlite_on_connect)
        event.listen(engine, "begin", _sqlite_on_begin)
        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


class DrillplanSession(Session):
    """A session whose stale flushes are :class:`~drillplan.kernel.errors.EditConflict`."""

    def flush(self, objects: Any = None) -> None:
        rows = stale.pending_rows(self)
        try:
            super().flush(objects)
        except StaleDataError as exc:
            raise stale.stale_conflict(self, rows, exc) from exc


def session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, class_=DrillplanSession, expire_on_commit=False)
