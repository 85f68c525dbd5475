"""What every command shares: argument types (dates, years, formats), the output buffer and
the one way a command opens its session.

A command's body runs inside :func:`run`: it receives the session and an :class:`Out`, writes
what it wants to show to ``out`` (never to ``print``), and returns its exit status. Only after
the session has been committed is the buffered output written to stdout, so whatever a command
prints describes what is saved; a failure rolls everything back and prints nothing but the
error. ``drillplan ... | head`` therefore never stops a write half-way.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli import output
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_date

__all__ = [
    "EXIT_BAD_INPUT",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "Out",
    "add_format",
    "date_arg",
    "run",
]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2


def date_arg(value: str) -> dt.date:
    """An argparse type: a date as the office writes it (2026-06-01, 2026/6/1, 2026年6月1日)."""
    try:
        return parse_date(value, field="date")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def add_format(p: argparse.ArgumentParser, default: str = "table") -> None:
    p.add_argument("--format", choices=output.FORMATS, default=default)


class Out:
    """Buffered command output, written only after the command's session has committed."""

    def __init__(self) -> None:
        self._parts: list[str] = []

    def print(self, *values: object, end: str = "\n") -> None:
        self._parts.append(" ".join(str(v) for v in values) + end)

    def rows(self, rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> None:
        self._parts.append(output.render(rows, columns, fmt))

    def json(self, value: Any) -> None:
        self._parts.append(output.dumps(value) + "\n")

    @property
    def text(self) -> str:
        return "".join(self._parts)

    def flush(self) -> None:
        if self._parts:
            sys.stdout.write(self.text)
            sys.stdout.flush()
            self._parts.clear()


def run(args: argparse.Namespace, body: Callable[[Session, Out], int]) -> int:
    """Open the database named by ``--db``, run ``body`` in one transaction, commit, then print.

    The session carries the identity the command line logged in with (``--user``), so the
    permission guard and the audit log see the same user as in the desktop application.
    """
    from drillplan.db.database import open_db

    out = Out()
    database = open_db(getattr(args, "db", None))
    try:
        with database.session() as session:
            status = body(session, out)
    finally:
        database.close()
    out.flush()
    return status
