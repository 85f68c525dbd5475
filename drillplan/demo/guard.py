"""When the demo data set may be loaded: never over real data by accident.

``drillplan demo`` (with or without ``--reset``) refuses a database that is shared
(PostgreSQL), requires a login, or holds data the demo did not make, unless an
administrator confirms with ``--force``. "Made by the demo": the last audit entry is the
demo's own ``demo.load`` (any change after it was someone's work).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import AuditLog, Setting
from drillplan.demo.loader import has_domain_data
from drillplan.kernel.errors import PermissionDenied
from drillplan.kernel.identity import current_actor, login_required

DEMO_ACTION = "demo.load"
LOGIN_SETTING = "auth.login_required"  # the setting drillplan.auth.login keeps


def made_by_demo(session: Session) -> bool:
    """True for an empty database, or one whose last audit entry is the demo's load."""
    if not has_domain_data(session):
        return True
    last = session.scalar(select(func.max(AuditLog.seq)))
    loaded = session.scalar(select(func.max(AuditLog.seq)).where(AuditLog.action == DEMO_ACTION))
    return loaded is not None and last == loaded


def _needs_login(session: Session) -> bool:
    row = session.get(Setting, LOGIN_SETTING)
    return login_required(session) or bool(row is not None and row.value)


def reasons_to_refuse(session: Session) -> list[tuple[str, str]]:
    """Why loading the demo here could destroy or mix with real work: (中文, English)."""
    reasons: list[tuple[str, str]] = []
    if session.get_bind().dialect.name != "sqlite":
        reasons.append(("这是共享数据库", "this is a shared database"))
    if _needs_login(session):
        reasons.append(("此数据库需要登录", "this database requires a login"))
    if not made_by_demo(session):
        reasons.append(("数据库中有不是演示数据的内容", "it holds data not made by the demo"))
    return reasons


def check_demo_allowed(session: Session, *, force: bool) -> None:
    """Raise :class:`PermissionDenied` unless loading the demo here is harmless, or an
    administrator confirmed it with ``force``."""
    reasons = reasons_to_refuse(session)
    if not reasons:
        return
    actor = current_actor(session)
    admin = actor.is_admin if actor is not None else not _needs_login(session)
    if force and admin:
        return
    why = "；".join(zh for zh, _en in reasons)
    why_en = "; ".join(en for _zh, en in reasons)
    if force:
        raise PermissionDenied(
            f"只有管理员可以在此数据库上载入演示数据：{why}。"
            f" (Only an administrator may load the demo data set here: {why_en}.)"
        )
    raise PermissionDenied(
        f"拒绝载入演示数据：{why}。如确需载入（将清空现有数据），请由管理员加 --force 运行。"
        f" (Refused to load the demo data set: {why_en}. An administrator who really means it"
        " adds --force; a reset deletes the existing data.)"
    )
