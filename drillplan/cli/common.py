"""What every command shares: argument types (dates, years, formats), the output buffer and
the one way a command opens its session.

A command's body runs inside :func:`run` (or :func:`command_session`): it receives the session
and an :class:`Out` and returns its exit status. Whatever it prints is held back until the
session has been committed, so the output describes what is saved; a failure rolls everything
back and prints nothing but the error. ``drillplan ... | head`` therefore never stops a write
half-way. A transaction another writer's made impossible (SQLite busy, a PostgreSQL deadlock)
is run again by :func:`run` with a fresh session and a fresh buffer; one that someone else's
save made stale is an :class:`~drillplan.kernel.errors.EditConflict` (exit 2), never retried.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from drillplan.auth.login import attach_identity
from drillplan.cli import output
from drillplan.cli.argtypes import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, date_arg
from drillplan.db import retry
from drillplan.db.database import Database

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "Out",
    "add_format",
    "command_session",
    "date_arg",
    "emit",
    "run",
]


def emit(rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> None:
    """Print rows as an aligned table, JSON or CSV (inside :func:`run`: after the commit)."""
    print(output.render(rows, columns, fmt), end="")


def add_format(p: argparse.ArgumentParser, default: str = "table") -> None:
    p.add_argument("--format", choices=output.FORMATS, default=default)


class Out:
    """Where a command writes what it shows; inside :func:`run` it lands in the buffer that is
    printed after the commit."""

    def print(self, *values: object, end: str = "\n") -> None:
        print(*values, end=end)

    def rows(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> None:
        emit(rows, columns, fmt)

    def json(self, value: Any) -> None:
        print(output.dumps(value))


def _open(args: argparse.Namespace) -> Database:
    """The database of ``--db``, logged in as the command line's identity (a login that meets a
    busy database is tried again, like the work)."""
    from drillplan.db.database import open_db
    from drillplan.db.engine import resolve_url
    from drillplan.db.network_share import url_share_finding

    share = url_share_finding(resolve_url(getattr(args, "db", None)))
    if share is not None:  # a warning, not a refusal: the command still runs
        print(f"drillplan: 警告 {share.message_zh}\nwarning: {share.message_en}", file=sys.stderr)
    database = open_db(getattr(args, "db", None))
    try:
        retry.call(database, lambda: attach_identity(database))  # logs in as --user if needed
    except BaseException:
        database.close()
        raise
    return database


def _print_held(held: io.StringIO) -> None:
    sys.stdout.write(held.getvalue())
    sys.stdout.flush()


@contextlib.contextmanager
def command_session(args: argparse.Namespace) -> Iterator[tuple[Database, Session]]:
    """The one way a command opens its session: ``--db`` (or the default database), the
    identity the command line logged in with (``--user``, so the permission guard and the
    audit log see the same user as in the desktop application), one transaction.

    Everything printed inside the block is held back until the session has committed; on an
    error it is dropped and only the error is shown. A block cannot be run again, so a
    database that stays busy is reported as :class:`~drillplan.db.retry.BusyConflict`; prefer
    :func:`run`, which runs the work again.
    """
    held = io.StringIO()
    database = _open(args)
    try:
        with contextlib.redirect_stdout(held), database.session() as session:
            yield database, session
    except Exception as exc:
        if retry.is_transient(exc):
            raise retry.busy_conflict(1) from exc
        raise
    finally:
        database.close()
    _print_held(held)


def run(
    args: argparse.Namespace, body: Callable[[Session, Out], int], *, write: bool = False
) -> int:
    """Run ``body`` in one transaction of the command's database: work, commit, then print.

    ``write``: the command always writes (a ledger operation); on SQLite its transaction then
    begins ``IMMEDIATE``, waiting for the write lock before it reads, so it never has to be
    run again (measured with 4 writers x 100 issues: 0 repeats instead of ~265, a quarter
    faster). Other commands begin deferred, so that readers never wait, and are repeated
    when they turn out to write on a snapshot another writer made stale.

    When the database cannot serialise the transaction with another writer's (SQLite busy,
    a PostgreSQL deadlock), the whole transaction runs again in a fresh session, a few times
    (:func:`drillplan.db.retry.in_transaction`); what an abandoned attempt printed is dropped,
    so the output is always that of the attempt that was committed.
    """
    database = _open(args)
    try:
        attempts: list[io.StringIO] = []

        def attempt(session: Session) -> int:
            held = io.StringIO()
            attempts.append(held)
            with contextlib.redirect_stdout(held):
                return body(session, Out())

        status = retry.in_transaction(database, attempt, immediate=write)
    finally:
        database.close()
    _print_held(attempts[-1])
    return status
