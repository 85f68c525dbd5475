"""The permission guard: role and data scope enforced on every write, in the core.

Importing this module registers two listeners on every SQLAlchemy ``Session``:

- ``before_flush`` checks each new, changed and deleted row of a session that has an actor
  (:mod:`drillplan.auth.context`): viewers write nothing; editors only rows owned by a unit
  in their scope (a row moved to another unit: on both sides); administrators anything.
  Login bookkeeping (failed attempts, lockout, last login) and a user's own password are
  the only writes allowed outside these rules.
- ``do_orm_execute`` refuses bulk ``INSERT``/``UPDATE``/``DELETE`` statements run through a
  session to everyone but administrators (they bypass the row checks), unless the caller
  checked the scope itself and runs them inside :func:`bulk_checked`.

A session without an actor is single-user mode and is not checked, unless its database was
marked :func:`~drillplan.auth.context.require_login` (shared mode): then every write except
login bookkeeping is refused until someone logs in.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from drillplan.audit.labels import table_label
from drillplan.auth.scope import Level, level_of, owner_units, unit_names
from drillplan.db.models import Holder, Unit, User
from drillplan.kernel.errors import PermissionDenied
from drillplan.kernel.identity import Actor, current_actor, login_required

#: columns every client writes while logging a user in
BOOKKEEPING = frozenset({"failed_logins", "locked_until", "last_login_at"})
#: columns users may change on their own account
OWN_PASSWORD = frozenset({"password_hash", "password_changed_at", "must_change_password"})
BULK_CHECKED_KEY = "drillplan.bulk_checked"


def changed_columns(obj: Any) -> set[str]:
    state = inspect(obj)
    attrs = state.attrs
    return {a.key for a in state.mapper.column_attrs if attrs[a.key].history.has_changes()}


def _row(obj: Any) -> str:
    state = inspect(obj)
    table = state.mapper.local_table.name
    ident = "新" if state.key is None else "#" + ",".join(str(v) for v in state.key[1])
    return f"{table_label(table)} {ident} ({table_label(table, 'en')} {ident.replace('新', 'new')})"


def _scope_text(session: Session, actor: Actor) -> str:
    unit = session.get(Unit, actor.unit_id) if actor.unit_id is not None else None
    return unit.name if unit is not None else "（未指定单位 no unit）"


def _deny_role(actor: Actor, what: str, needed: str) -> PermissionDenied:
    return PermissionDenied(
        f"用户 {actor.describe()} 无权修改{what}：{needed}。"
        f" (User {actor.username} ({actor.role_label('en')}) may not change {what}: {needed}.)"
    )


def check_row(session: Session, actor: Actor | None, obj: Any, action: str) -> None:
    """Raise :class:`PermissionDenied` unless ``actor`` may ``action`` (insert, update,
    delete) the row ``obj``; ``actor`` None is a client that has not logged in."""
    model = type(obj)
    level = level_of(model)
    if level is Level.APPEND_ONLY:
        return  # appending to the audit log; changing it is refused in drillplan.audit.log
    if model is User and action == "update":
        changed = changed_columns(obj)
        if changed <= BOOKKEEPING:
            return
        own = actor is not None and obj.username == actor.username and "username" not in changed
        if own and changed <= BOOKKEEPING | OWN_PASSWORD:
            return
    if actor is None:
        if not login_required(session):
            return
        raise PermissionDenied(
            f"请先登录：共享数据库只允许已登录的用户修改数据（{_row(obj)}）。"
            " (Log in first: a shared database accepts changes only from a logged-in user.)"
        )
    if actor.is_admin:
        return
    what = _row(obj)
    if not actor.can_write:
        raise _deny_role(actor, what, "只读用户不能修改任何数据 (viewers are read-only)")
    if level is Level.ADMIN:
        raise _deny_role(actor, what, "只有管理员可以修改 (administrators only)")
    if level is Level.DISTRICT:
        if actor.district_level:
            return
        raise _deny_role(
            actor,
            what,
            "区级共用数据只有管理员和区级部门的编辑人员可以修改"
            " (district-level data: administrators and district-level editors only)",
        )
    sides = [owner_units(session, obj)]
    if action == "update":
        sides.append(owner_units(session, obj, previous=True))
    for units in sides:
        if not any(u in actor.scope_unit_ids for u in units):
            raise out_of_scope(session, actor, what, units)


def out_of_scope(
    session: Session, actor: Actor, what: str, units: Iterable[int]
) -> PermissionDenied:
    mine = _scope_text(session, actor)
    owners = unit_names(session, units)
    return PermissionDenied(
        f"用户 {actor.describe()} 只能修改“{mine}”及其下级单位的数据；{what}属于“{owners}”，"
        f"不在其数据范围内。 (User {actor.username} may edit only the data of '{mine}' and the"
        f" units below it; {what} belongs to '{owners}', outside that scope.)"
    )


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    actor = current_actor(session)
    if actor is None and not login_required(session):
        return
    with session.no_autoflush:
        for obj in list(session.new):
            check_row(session, actor, obj, "insert")
        for obj in list(session.dirty):
            if session.is_modified(obj):
                check_row(session, actor, obj, "update")
        for obj in list(session.deleted):
            check_row(session, actor, obj, "delete")


def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    session = state.session
    actor = current_actor(session)
    if actor is None and not login_required(session):
        return
    table = getattr(getattr(state.statement, "table", None), "name", "?")
    if table == "audit_log":
        if state.is_insert:
            return
        raise PermissionDenied("审计日志不能修改或删除 (the audit log cannot be changed)")
    if (actor is not None and actor.is_admin) or session.info.get(BULK_CHECKED_KEY):
        return
    who = actor.describe() if actor is not None else "（未登录 not logged in）"
    raise PermissionDenied(
        f"用户 {who} 无权批量修改{table_label(table)}：只有管理员可以执行批量修改。"
        f" (Bulk changes to {table} need an administrator.)"
    )


@contextmanager
def bulk_checked(session: Session) -> Iterator[None]:
    """Run bulk statements whose rows the caller has checked (e.g. with :func:`require_units`)."""
    previous = session.info.get(BULK_CHECKED_KEY)
    session.info[BULK_CHECKED_KEY] = True
    try:
        yield
    finally:
        if previous is None:
            session.info.pop(BULK_CHECKED_KEY, None)
        else:
            session.info[BULK_CHECKED_KEY] = previous


def require_units(session: Session, *, what: str, unit_ids: Iterable[int]) -> None:
    """For writers that bypass the ORM: refuse unless the actor may write rows owned by each
    of ``unit_ids`` (``what`` names the rows in the message)."""
    actor = current_actor(session)
    if actor is None:
        if login_required(session):
            raise PermissionDenied(f"请先登录后再修改{what} (log in first to change {what})")
        return
    if actor.is_admin:
        return
    if not actor.can_write:
        raise _deny_role(actor, what, "只读用户不能修改任何数据 (viewers are read-only)")
    outside = {u for u in unit_ids if u not in actor.scope_unit_ids}
    if outside:
        raise out_of_scope(session, actor, what, outside)


def require_holders(session: Session, holder_ids: Iterable[int]) -> None:
    """Refuse unless the actor may change the stock of every holder (depot or team) named."""
    actor = current_actor(session)
    if actor is None and not login_required(session):
        return
    units: set[int] = set()
    for holder_id in set(holder_ids):
        holder = session.get(Holder, holder_id)
        if holder is not None:
            owners = owner_units(session, holder)
            units |= owners if owners else {-1}
    require_units(session, what="储备库/队伍的库存 (the stock of a depot or team)", unit_ids=units)


event.listen(Session, "before_flush", _before_flush)
event.listen(Session, "do_orm_execute", _on_execute)
