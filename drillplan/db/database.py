"""Opening the user's database: resolve the URL, make the engine, migrate or check the schema."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from drillplan.db import migrate
from drillplan.db.engine import make_engine, resolve_url, session_factory


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
        """One unit of work: commits on success, rolls back on any error."""
        with self.sessions() as session, session.begin():
            yield session

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
    engine = make_engine(url)
    created = migrate.is_empty(engine)
    backup = migrate.open_database(engine) if migrate_schema else None
    return Database(
        url=url,
        engine=engine,
        sessions=session_factory(engine),
        backup_taken=backup,
        created=created,
    )
