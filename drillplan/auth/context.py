"""Who is acting: an :class:`Actor` attached to a session (``session.info``).

A session without an actor is the single-user SQLite mode: no permission checks, and only
the core operations' own audit entries (the behaviour before shared mode existed). Attaching
an actor turns on the permission guard (:mod:`drillplan.auth.guard`) and the complete audit
log (:mod:`drillplan.audit.log`) for that session.
"""

from __future__ import annotations

import getpass
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from drillplan.kernel.vocab import Role

if TYPE_CHECKING:
    from drillplan.db.database import Database

ACTOR_KEY = "drillplan.actor"
#: Set on a shared database's sessions: a write without an actor is refused.
LOGIN_REQUIRED_KEY = "drillplan.login_required"

ROLE_LABELS: dict[str, tuple[str, str]] = {
    Role.VIEWER: ("只读", "viewer"),
    Role.EDITOR: ("编辑", "editor"),
    Role.ADMIN: ("管理员", "administrator"),
}


@dataclass(frozen=True)
class Actor:
    """The user a session acts for, with the units they may edit (their unit and below)."""

    username: str
    role: Role
    unit_id: int | None = None
    scope_unit_ids: frozenset[int] = field(default_factory=frozenset)
    display_name: str = ""
    #: editors of a government body or department at district tier or above may also edit
    #: the district-level reference data (catalogue, tier quotas, holidays, competitions)
    district_level: bool = False
    #: the implicit local administrator of single-user SQLite mode (nobody logged in)
    implicit: bool = False

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN

    @property
    def can_write(self) -> bool:
        return self.role in (Role.EDITOR, Role.ADMIN)

    def in_scope(self, unit_id: int | None) -> bool:
        return self.is_admin or (unit_id is not None and unit_id in self.scope_unit_ids)

    def role_label(self, lang: str = "zh") -> str:
        zh, en = ROLE_LABELS.get(self.role, (str(self.role), str(self.role)))
        return zh if lang == "zh" else en

    def describe(self) -> str:
        """``张三（zhangsan）［编辑］`` for messages."""
        name = self.display_name
        who = f"{name}（{self.username}）" if name and name != self.username else self.username
        return f"{who}［{self.role_label('zh')}］"


def local_actor() -> Actor:
    """The implicit administrator of single-user SQLite mode: the operating-system user."""
    try:
        name = getpass.getuser()
    except (OSError, KeyError):  # no login name in this environment
        name = "local"
    return Actor(username=name or "local", role=Role.ADMIN, display_name=name, implicit=True)


def current_actor(session: Session) -> Actor | None:
    """The actor attached to ``session`` (None: single-user mode without login)."""
    actor = session.info.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def login_required(session: Session) -> bool:
    return bool(session.info.get(LOGIN_REQUIRED_KEY))


def act_as(session: Session, actor: Actor | None) -> None:
    """Attach ``actor`` to one session (None detaches: single-user mode)."""
    _ensure_listeners()
    if actor is None:
        session.info.pop(ACTOR_KEY, None)
    else:
        session.info[ACTOR_KEY] = actor


def bind_actor(db: Database, actor: Actor | None) -> None:
    """Attach ``actor`` to every session ``db.session()`` opens from now on."""
    _ensure_listeners()
    info = dict(db.sessions.kw.get("info") or {})
    if actor is None:
        info.pop(ACTOR_KEY, None)
    else:
        info[ACTOR_KEY] = actor
    db.sessions.configure(info=info)


def require_login(db: Database, required: bool = True) -> None:
    """Refuse writes from ``db``'s sessions that have no actor (shared mode before login)."""
    _ensure_listeners()
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


def _ensure_listeners() -> None:
    # The guard registers its ORM listeners when imported; anything that attaches an actor
    # comes through here, so the guard is always active where an actor is.
    from drillplan.auth import guard  # noqa: F401
