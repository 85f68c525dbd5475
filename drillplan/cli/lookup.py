"""What the register commands (units, teams, depots, materials, plans, drills) share: finding a
row by the code the user typed, the user name for the audit log, and showing the record a
command created or changed.

References are resolved as an import resolves them (:class:`drillplan.listing.refs.Refs`:
the code, else the exact name), so ``--owner 310118-YJJ`` and a 管理单位 cell of an import name
the same unit and fail with the same message. Everything else the user typed goes to the
domain write function as text: it parses and checks it, exactly as for the desktop form.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli.common import Out
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.identity import current_actor
from drillplan.listing.refs import RefError, Refs

__all__ = ["changed", "find", "listed", "reference", "show", "user_of"]

CLI_USER = "cli"
_REFS_KEY = "drillplan.cli.refs"


def _refs(session: Session) -> Refs:
    refs = session.info.get(_REFS_KEY)
    if refs is None:
        refs = session.info[_REFS_KEY] = Refs(session)
    return refs


def _lookup(session: Session, kind: str, text: str) -> Any:
    target = _refs(session).resolve(kind, text.strip())
    return getattr(target, "id", target)  # materials resolve to a small record


def reference(session: Session, kind: str, text: str | None, field: str) -> int | None:
    """The id of the unit/team/plan/depot/material ``text`` names (its code or exact name);
    ``ValidationError(field, ...)`` when there is none. Blank text is None (no reference)."""
    if text is None or not text.strip():
        return None
    try:
        return int(_lookup(session, kind, text))
    except RefError as exc:
        raise ValidationError(field, exc.message, message_en=exc.message_en) from exc


def find(session: Session, kind: str, text: str) -> int:
    """The id of the row a command edits (``teams set CODE``); ``NotFound`` when there is none."""
    try:
        return int(_lookup(session, kind, text))
    except RefError as exc:
        raise NotFound(f"{exc.message} ({exc.message_en})") from exc


def user_of(session: Session) -> str:
    """The name the audit log records: the logged-in user, else ``cli``."""
    actor = current_actor(session)
    return actor.username if actor is not None else CLI_USER


def changed(args: argparse.Namespace, names: Mapping[str, str]) -> dict[str, Any]:
    """The domain fields of the options given on the command line (``--x`` not given: absent).

    ``names`` maps an argparse ``dest`` to the domain field name.
    """
    return {
        field: getattr(args, dest)
        for dest, field in names.items()
        if getattr(args, dest, None) is not None
    }


def show(
    out: Out,
    record: Mapping[str, Any],
    columns: Sequence[str],
    fmt: str,
    *,
    done_zh: str,
    done_en: str,
) -> None:
    """The record a command created or changed: JSON (every key), CSV or a table (``columns``)."""
    if fmt == "json":
        out.json(dict(record))
        return
    if fmt == "table":
        out.print(f"{done_zh} ({done_en})")
    out.rows([record], columns, fmt)


def listed(out: Out, rows: Sequence[Mapping[str, Any]], columns: Sequence[str], fmt: str) -> None:
    """A listing: JSON with every key of each record, else a table or CSV of ``columns``."""
    if fmt == "json":
        out.json([dict(r) for r in rows])
    else:
        out.rows(rows, columns, fmt)
