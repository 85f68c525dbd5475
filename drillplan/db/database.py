"""Opening the user's database: resolve the URL, make the engine, migrate or check the schema.

A database that cannot be opened or written (damaged, read-only, locked, a full disk, a server
out of reach) raises :class:`~drillplan.db.failures.StorageUnavailable`, never the driver's
error."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from drillplan.db import migrate
from drillplan.db.engine import make_engine, resolve_url, session_factory, sqlite_path
from drillplan.db.failures import StorageUnavailable, storage_failure

__all__ = ["Database", "StorageUnavailable", "open_db"]


@dataclass
class Database:
    """An open database: the engine, a session factory and what opening it did."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    backup_taken: Path | None = None
    created: bool = False
    _closed: bool = field(default=False, repr=False)

    @property
    def is_sqlite(self) -> bool:
        return self.engine.url.get_backend_name() == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any error.

        A SQLite file that turns out read-only, damaged or on a full disk while the work runs
        or commits raises :class:`StorageUnavailable` (the driver's error as its cause). A
        locked database is left as the driver's error: the caller may retry the whole
        transaction (``drillplan.cli.main`` still turns it into one message)."""
        try:
            with self.sessions() as session, session.begin():
                yield session
        except (sa_exc.OperationalError, sa_exc.DatabaseError, sqlite3.Error) as exc:
            failure = storage_failure(exc, self._where) if self.is_sqlite else None
            if failure is None or failure.reason == "locked":
                raise
            raise failure from exc

    @property
    def _where(self) -> str:
        path = sqlite_path(self.url)
        return str(path) if path is not None else self.engine.url.render_as_string()

    def close(self) -> None:
        if not self._closed:
            self.engine.dispose()
            self._closed = True


def open_db(db: str | os.PathLike[str] | None = None, *, migrate_schema: bool = True) -> Database:
    """Open (and for SQLite create and migrate) the database named by ``db``.

    ``db`` is a SQLite path or a database URL; None means ``DRILLPLAN_DATABASE_URL`` or the
    user's default file. PostgreSQL schemas are checked, never migrated here.
    """
    url = resolve_url(db)
    where = str(sqlite_path(url) or make_url(url).render_as_string())
    engine: Engine | None = None
    try:
        engine = make_engine(url)
        created = migrate.is_empty(engine)
        backup = migrate.open_database(engine) if migrate_schema else None
    except (sa_exc.SQLAlchemyError, sqlite3.Error, OSError) as exc:
        if engine is not None:
            engine.dispose()
        failure = storage_failure(exc, where)
        if failure is None:
            raise
        raise failure from exc
    return Database(
        url=url,
        engine=engine,
        sessions=session_factory(engine),
        backup_taken=backup,
        created=created,
    )
