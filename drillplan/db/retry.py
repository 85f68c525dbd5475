"""Running a unit of work again when the database could not serialise it.

Two writers at once are normal in shared mode and on a SQLite file used by the desktop and a
script. Most of the time the database makes the second one wait (SQLite's busy timeout,
PostgreSQL's row locks); what it cannot resolve by waiting it reports as an error that says
"do it again": SQLite's ``database is locked`` / ``SQLITE_BUSY_SNAPSHOT`` (a transaction that
read before another writer committed cannot write any more), PostgreSQL's deadlock,
serialization and lock-timeout failures. :func:`in_transaction` runs the whole transaction
again in a fresh session a bounded number of times (on SQLite then with ``BEGIN IMMEDIATE``,
which waits for the write lock before reading anything); when it still fails the caller
gets a :class:`~drillplan.kernel.errors.Conflict` asking to try again, never a traceback.

Only the work is repeated, so it must not have effects outside its session (printing is held
back by the command line until the commit).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from drillplan.db.engine import BEGIN_OPTION
from drillplan.kernel.errors import Conflict

if TYPE_CHECKING:
    from drillplan.db.database import Database

__all__ = ["ATTEMPTS", "BusyConflict", "busy_conflict", "call", "in_transaction", "is_transient"]

T = TypeVar("T")

#: how many times a unit of work is tried before the caller is told to try again
ATTEMPTS = {"sqlite": 6, "postgresql": 4}
#: PostgreSQL: serialization_failure, deadlock_detected, lock_not_available
TRANSIENT_SQLSTATES = frozenset({"40001", "40P01", "55P03"})
#: SQLite primary result codes: SQLITE_BUSY (incl. BUSY_SNAPSHOT, BUSY_RECOVERY), SQLITE_LOCKED
TRANSIENT_SQLITE_CODES = frozenset({5, 6})
TRANSIENT_SQLITE_TEXT = ("database is locked", "database table is locked", "database is busy")


class BusyConflict(Conflict):
    """The database stayed busy (or kept reporting deadlocks) through every attempt."""


def is_transient(exc: BaseException) -> bool:
    """Whether ``exc`` (or the error it was raised from) says: run the transaction again."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, DBAPIError) and _transient_dbapi(current.orig):
            return True
        current = current.__cause__
    return False


def _transient_dbapi(orig: BaseException | None) -> bool:
    if orig is None:
        return False
    sqlstate = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if sqlstate is not None:
        return str(sqlstate) in TRANSIENT_SQLSTATES
    code = getattr(orig, "sqlite_errorcode", None)
    if code is not None:
        return int(code) & 0xFF in TRANSIENT_SQLITE_CODES
    text = str(orig).lower()
    return type(orig).__module__.startswith("sqlite3") and any(
        t in text for t in TRANSIENT_SQLITE_TEXT
    )


def busy_conflict(attempts: int) -> BusyConflict:
    return BusyConflict(
        f"数据库正忙：其他用户同时在修改相同的数据，或数据库被其他程序锁定；已重试 {attempts} 次"
        "仍未成功，未做任何修改，请稍后重试 (the database is busy with other users' changes to"
        " the same data, or locked by another program; nothing was changed after"
        f" {attempts} attempts, please try again)"
    )


def _pause(attempt: int) -> None:
    """A short, jittered, growing pause, so that the writers who collided do not collide
    again at once."""
    time.sleep(random.uniform(0.01, 0.05) * 2 ** min(attempt, 5))


def attempts_for(database: Database) -> int:
    return ATTEMPTS.get(database.engine.url.get_backend_name(), 3)


def in_transaction(
    database: Database,
    work: Callable[[Session], T],
    *,
    attempts: int | None = None,
    immediate: bool = False,
    on_retry: Callable[[int, BaseException], None] | None = None,
) -> T:
    """``work(session)`` in one transaction (committed when it returns), run again in a fresh
    session when the database reports a transient failure; after ``attempts`` tries a
    :class:`BusyConflict`. On SQLite the repeated attempts (every attempt with
    ``immediate``) begin with ``BEGIN IMMEDIATE``. ``on_retry(attempt, error)`` is told of
    each attempt abandoned (for logs and measurements)."""
    tries = attempts if attempts is not None else attempts_for(database)
    for attempt in range(1, tries + 1):
        try:
            with database.sessions() as session, session.begin():
                if database.is_sqlite and (immediate or attempt > 1):
                    session.connection(execution_options={BEGIN_OPTION: "immediate"})
                return work(session)
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt == tries:
                raise busy_conflict(tries) from exc
            if on_retry is not None:
                on_retry(attempt, exc)
            if not database.is_sqlite:  # SQLite's BEGIN IMMEDIATE waits for the lock itself
                _pause(attempt)
    raise AssertionError("unreachable")  # pragma: no cover


def call(database: Database, fn: Callable[[], T], *, attempts: int | None = None) -> T:
    """``fn()`` (which opens its own sessions of ``database``, e.g. a login) run again on a
    transient failure, like :func:`in_transaction`."""
    tries = attempts if attempts is not None else attempts_for(database)
    for attempt in range(1, tries + 1):
        try:
            return fn()
        except Exception as exc:
            if not is_transient(exc):
                raise
            if attempt == tries:
                raise busy_conflict(tries) from exc
            _pause(attempt)
    raise AssertionError("unreachable")  # pragma: no cover
