"""Attaching who is acting to sessions: :func:`act_as` for one session, :func:`bind_actor`
for every session a database opens, and :func:`require_login` for shared mode.

The :class:`~drillplan.kernel.identity.Actor` itself lives in :mod:`drillplan.kernel.identity`.
Attaching an actor turns on the permission guard (:mod:`drillplan.auth.guard`, whose ORM
listeners are registered when this module is imported) and the complete audit log.
"""

from __future__ import annotations

import getpass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from drillplan.auth import guard as _guard  # noqa: F401  (registers the ORM listeners)
from drillplan.kernel.identity import (
    ACTOR_KEY,
    LOGIN_REQUIRED_KEY,
    ROLE_LABELS,
    Actor,
    current_actor,
    login_required,
)
from drillplan.kernel.vocab import Role

if TYPE_CHECKING:
    from drillplan.db.database import Database

__all__ = [
    "ACTOR_KEY",
    "LOGIN_REQUIRED_KEY",
    "ROLE_LABELS",
    "Actor",
    "act_as",
    "bind_actor",
    "bound_actor",
    "current_actor",
    "local_actor",
    "login_required",
    "require_login",
]


def local_actor() -> Actor:
    """The implicit administrator of single-user SQLite mode: the operating-system user."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        name = "local"
    return Actor(username=name or "local", role=Role.ADMIN, display_name=name, implicit=True)


def act_as(session: Session, actor: Actor | None) -> None:
    """Attach ``actor`` to one session (None detaches: single-user mode)."""
    if actor is None:
        session.info.pop(ACTOR_KEY, None)
    else:
        session.info[ACTOR_KEY] = actor


def bind_actor(db: Database, actor: Actor | None) -> None:
    """Attach ``actor`` to every session ``db.session()`` opens from now on."""
    info = dict(db.sessions.kw.get("info") or {})
    if actor is None:
        info.pop(ACTOR_KEY, None)
    else:
        info[ACTOR_KEY] = actor
    db.sessions.configure(info=info)


def require_login(db: Database, required: bool = True) -> None:
    """Refuse writes from ``db``'s sessions that have no actor (shared mode before login)."""
    info = dict(db.sessions.kw.get("info") or {})
    if required:
        info[LOGIN_REQUIRED_KEY] = True
    else:
        info.pop(LOGIN_REQUIRED_KEY, None)
    db.sessions.configure(info=info)


def bound_actor(db: Database) -> Actor | None:
    """The actor :func:`bind_actor` attached to ``db`` (None: nobody)."""
    actor = (db.sessions.kw.get("info") or {}).get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None
