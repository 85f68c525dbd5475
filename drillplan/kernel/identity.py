"""Who is acting: the :class:`Actor` a session carries in ``session.info``.

The identity lives in the kernel so that the audit log, the guard and every domain package
can ask "who is this session acting for?" without importing the login machinery
(:mod:`drillplan.auth`), which attaches the actor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from drillplan.kernel.vocab import Role

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


def current_actor(session: Session) -> Actor | None:
    """The actor attached to ``session`` (None: single-user mode without login)."""
    actor = session.info.get(ACTOR_KEY)
    return actor if isinstance(actor, Actor) else None


def login_required(session: Session) -> bool:
    return bool(session.info.get(LOGIN_REQUIRED_KEY))


#: names the doors pass when nobody typed one (never shown as a person beside the user)
PLACEHOLDER_NAMES = frozenset({"", "cli", "system", "import", "ui", "desktop"})


def attributed(session: Session, name: str | None) -> tuple[str, str | None]:
    """Who a ledger entry is recorded as: ``(operator, note)``.

    A logged-in user is always the operator; a different name the caller typed (经办人 on
    the paper slip) is kept beside it as the note, never instead of it. Without a login
    (single-user mode) the typed name is the operator, as before.
    """
    typed = (name or "").strip()
    actor = current_actor(session)
    if actor is None or actor.implicit:
        return typed or (actor.username if actor is not None else "system"), None
    note = typed if typed not in PLACEHOLDER_NAMES and typed != actor.username else None
    return actor.username, note
