"""What every command shares: argument types (dates, years, formats), the output buffer and
the one way a command opens its session.

A command's body runs inside :func:`run` (or :func:`command_session`): it receives the session
and an :class:`Out` and returns its exit status. Whatever it prints is held back until the
session has been committed, so the output describes what is saved; a failure rolls everything
back and prints nothing but the error. ``drillplan ... | head`` therefore never stops a write
half-way.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import io
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from drillplan.auth.login import attach_identity
from drillplan.cli import output
from drillplan.cli.argtypes import type_error
from drillplan.db.database import Database
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_date

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

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def date_arg(value: str) -> dt.date:
    """An argparse type: a date as the office writes it (2026-06-01, 2026/6/1, 2026年6月1日)."""
    try:
        return parse_date(value, field="date")
    except ValidationError as exc:
        raise type_error(exc) from exc


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


@contextlib.contextmanager
def command_session(args: argparse.Namespace) -> Iterator[tuple[Database, Session]]:
    """The one way a command opens its session: ``--db`` (or the default database), the
    identity the command line logged in with (``--user``, so the permission guard and the
    audit log see the same user as in the desktop application), one transaction.

    Everything printed inside the block is held back until the session has committed; on an
    error it is dropped and only the error is shown.
    """
    from drillplan.db.database import open_db

    held = io.StringIO()
    database = open_db(getattr(args, "db", None))
    try:
        attach_identity(database)  # logs in as --user where the database requires a login
        with contextlib.redirect_stdout(held), database.session() as session:
            yield database, session
    finally:
        database.close()
    sys.stdout.write(held.getvalue())
    sys.stdout.flush()


def run(args: argparse.Namespace, body: Callable[[Session, Out], int]) -> int:
    """Run ``body`` in :func:`command_session`: work, commit, then print."""
    with command_session(args) as (_database, session):
        return body(session, Out())
