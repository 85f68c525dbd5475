"""The audit log: every change records who, when, which row, the action, before and after.

Core operations write their own entries with :func:`record` (``plan.update``,
``stock.issue`` ...). When a session has an actor (shared mode, or single-user mode with
login turned on; see :mod:`drillplan.auth.context`), every other row inserted, updated or
deleted in the transaction gets a generic entry too (action ``insert``/``update``/``delete``
with the changed columns before and after), written when the transaction commits: one entry
per row per transaction, none for a row an operation already recorded itself. The entry's
user is then the actor, whatever name the caller passed.

The log is append-only: a flush that would change or delete an entry is refused for
everyone (:class:`~drillplan.kernel.errors.PermissionDenied`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, SessionTransaction, UOWTransaction
from sqlalchemy.orm.state import InstanceState

from drillplan.audit import chain as _chain  # noqa: F401  (seals entries as they are inserted)
from drillplan.db.base import Base
from drillplan.db.models import AuditLog
from drillplan.kernel import records
from drillplan.kernel.errors import PermissionDenied
from drillplan.kernel.formatting import to_jsonable
from drillplan.kernel.identity import current_actor

INSERT, UPDATE, DELETE = "insert", "update", "delete"
_PENDING = "drillplan.audit.pending"  # dict[InstanceState, _Change]: this transaction's rows
_PREIMAGE = "drillplan.audit.preimage"  # dict[InstanceState, dict]: the flush under way
_COVERED = "drillplan.audit.covered"  # rows an operation recorded itself
_COVERED_STATES = "drillplan.audit.covered_states"
#: columns whose values never reach the log (a change still shows, as this marker)
REDACTED_COLUMNS = frozenset({"password_hash"})
REDACTED = "<redacted>"


B = TypeVar("B", bound=Base)


def _value(key: str, value: Any) -> Any:
    if key in REDACTED_COLUMNS:
        return None if value is None else REDACTED
    return to_jsonable(value)


def snapshot(row: Base) -> dict[str, Any]:
    """The column values of an ORM row as JSON-ready data."""
    mapper = inspect(row).mapper
    return {attr.key: _value(attr.key, getattr(row, attr.key)) for attr in mapper.column_attrs}


def record(
    session: Session,
    *,
    user: str,
    action: str,
    row: Base | None = None,
    table: str | None = None,
    row_id: int | None = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditLog:
    """Append one audit entry (flushes nothing by itself; it commits with the change).

    With an actor attached to the session the entry names the actor, not ``user``.
    """
    if row is not None:
        table = table or row.__tablename__
        row_id = row_id if row_id is not None else getattr(row, "id", None)
        if after is None:
            after = snapshot(row)
    actor = current_actor(session)
    entry = AuditLog(
        username=(actor.username if actor is not None else user) or "system",
        table_name=table or "",
        row_id=row_id,
        action=action,
        before=to_jsonable(before) if before is not None else None,
        after=to_jsonable(after) if after is not None else None,
    )
    session.add(entry)
    if actor is not None:
        session.info.setdefault(_COVERED, set()).add((table or "", row_id))
        if row is not None:
            session.info.setdefault(_COVERED_STATES, set()).add(inspect(row))
    return entry


def insert(session: Session, row: B, *, user: str, action: str) -> B:
    """Add ``row`` (flushed, so it has its id) and record it as ``action``."""
    session.add(row)
    session.flush()
    record(session, user=user, action=action, row=row)
    return row


def update(
    session: Session,
    row: B,
    values: dict[str, Any],
    *,
    user: str,
    action: str,
    what: str | None = None,
) -> B:
    """Set the ``values`` that differ, flush and record ``action`` with the row before and
    after. ``what`` names the row in the conflict message when another user changed it
    meanwhile (optimistic locking, :func:`drillplan.kernel.records.flush`)."""
    before = snapshot(row)
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)
    if what is None:
        session.flush()
    else:
        records.flush(session, what)
    record(session, user=user, action=action, row=row, before=before)
    return row


def delete(
    session: Session,
    row: Base,
    *,
    user: str,
    action: str,
    before: dict[str, Any] | None = None,
) -> None:
    """Delete ``row`` (flushed) and record it as ``action`` with its last values (``before``:
    the snapshot, taken earlier, with anything the caller adds)."""
    table, row_id = row.__tablename__, getattr(row, "id", None)
    before = before if before is not None else snapshot(row)
    session.delete(row)
    session.flush()
    record(session, user=user, action=action, table=table, row_id=row_id, before=before)


# ----------------------------------------------------------------------------- generic entries


@dataclass
class _Change:
    """One row's net change in the transaction (several flushes merge into one)."""

    state: InstanceState[Any]
    obj: Any  # held, so the row stays in memory until the entry is written
    transaction: SessionTransaction
    inserted: bool = False
    deleted: bool = False
    before: dict[str, Any] = field(default_factory=dict)
    keys: set[str] = field(default_factory=set)


def _table(state: InstanceState[Any]) -> str:
    return str(state.mapper.local_table.name)


def _versioned_key(state: InstanceState[Any]) -> str | None:
    column = state.mapper.version_id_col
    if column is None:
        return None
    return state.mapper.get_property_by_column(column).key


def _loaded(state: InstanceState[Any]) -> dict[str, Any]:
    """Column values already in memory (never a query: deleted or server-set ones are left out)."""
    return {
        attr.key: _value(attr.key, state.dict[attr.key])
        for attr in state.mapper.column_attrs
        if attr.key in state.dict
    }


def _preimage(session: Session, state: InstanceState[Any]) -> dict[str, Any]:
    """Old values of the columns an update changes (and the version it starts from)."""
    before: dict[str, Any] = {}
    unknown: list[Any] = []
    for attr in state.mapper.column_attrs:
        history = state.attrs[attr.key].history
        if history.has_changes():
            if history.deleted:
                before[attr.key] = _value(attr.key, history.deleted[0])
            else:
                unknown.append(attr)
    if unknown and state.key is not None:  # set without the old value loaded: read it
        pk = state.mapper.primary_key
        stmt = select(*(a.columns[0] for a in unknown)).where(
            *(col == value for col, value in zip(pk, state.key[1], strict=True))
        )
        row = session.execute(stmt).first()
        for i, attr in enumerate(unknown):
            before[attr.key] = _value(attr.key, row[i]) if row is not None else None
    version = _versioned_key(state)
    if version is not None and before:
        before.setdefault(version, to_jsonable(state.dict.get(version)))
    return before


def _before_flush(session: Session, _context: UOWTransaction, _instances: object) -> None:
    for obj in session.deleted:
        if isinstance(obj, AuditLog):
            raise PermissionDenied("审计日志不能删除 (audit log entries cannot be deleted)")
    for obj in session.dirty:
        if isinstance(obj, AuditLog) and session.is_modified(obj):
            raise PermissionDenied("审计日志不能修改 (audit log entries cannot be changed)")
    if current_actor(session) is None:
        return
    images: dict[InstanceState[Any], dict[str, Any]] = {}
    with session.no_autoflush:
        for obj in session.dirty:
            if session.is_modified(obj):
                images[inspect(obj)] = _preimage(session, inspect(obj))
        for obj in session.deleted:
            state = inspect(obj)
            images[state] = {**snapshot(obj), **_preimage(session, state)}
    session.info[_PREIMAGE] = images


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    images = session.info.pop(_PREIMAGE, None)
    if images is None or current_actor(session) is None:
        return
    pending: dict[InstanceState[Any], _Change] = session.info.setdefault(_PENDING, {})
    transaction = session.get_nested_transaction() or session.get_transaction()
    assert transaction is not None

    def change(obj: Any) -> _Change | None:
        state = inspect(obj)
        if isinstance(obj, AuditLog):
            return None
        if state not in pending:
            pending[state] = _Change(state, obj, transaction)
        return pending[state]

    for obj in session.new:
        item = change(obj)
        if item is not None:
            item.inserted = True
    for obj in session.dirty:
        state = inspect(obj)
        item = change(obj) if state in images else None
        if item is not None:
            for key, value in images[state].items():
                item.before.setdefault(key, value)
            item.keys |= set(images[state])
    for obj in session.deleted:
        item = change(obj)
        if item is not None:
            state = inspect(obj)
            item.before = {**images.get(state, {}), **item.before}
            item.deleted = True


def _entry(session: Session, username: str, item: _Change) -> AuditLog | None:
    state = item.state
    if item.inserted and item.deleted:
        return None  # created and removed again in one transaction: nothing happened
    identity = state.identity or state.mapper.primary_key_from_instance(item.obj)
    row_id = identity[0] if len(identity) == 1 and isinstance(identity[0], int) else None
    key = None if row_id is not None else [to_jsonable(v) for v in identity]
    if item.deleted:
        action, before, after = DELETE, item.before, None
    elif item.inserted:
        action, before, after = INSERT, None, _loaded(state)
    else:
        obj = item.obj
        version = _versioned_key(state)
        keys = item.keys | ({version} if version else set())
        after = {k: _value(k, getattr(obj, k)) for k in sorted(keys)}
        before = item.before
        plain = keys - {version} - REDACTED_COLUMNS
        if plain == keys - {version} and all(after.get(k) == before.get(k) for k in plain):
            return None  # changed and changed back
        action = UPDATE
    if key is not None:
        for values in (before, after):
            if values is not None:
                values["_key"] = key
    return AuditLog(
        username=username,
        table_name=_table(state),
        row_id=row_id,
        action=action,
        before=before,
        after=after,
    )


def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return
    actor = current_actor(session)
    if actor is None:
        return
    session.flush()  # the last changes are collected by the flush, before the entries are made
    pending: dict[InstanceState[Any], _Change] = session.info.pop(_PENDING, {})
    covered = session.info.get(_COVERED, set())
    covered_states = session.info.get(_COVERED_STATES, set())
    for state, item in pending.items():
        if state in covered_states:
            continue
        identity = state.identity
        if identity and (_table(state), identity[0]) in covered:
            continue
        entry = _entry(session, actor.username, item)
        if entry is not None:
            session.add(entry)


def _is_within(transaction: SessionTransaction, ended: SessionTransaction) -> bool:
    current: SessionTransaction | None = transaction
    while current is not None:
        if current is ended:
            return True
        current = current.parent
    return False


def _after_soft_rollback(session: Session, previous: SessionTransaction) -> None:
    if previous.parent is None:
        _forget(session)
        return
    pending: dict[InstanceState[Any], _Change] = session.info.get(_PENDING, {})
    for state in [s for s, item in pending.items() if _is_within(item.transaction, previous)]:
        del pending[state]


def _after_commit(session: Session) -> None:
    if not session.in_nested_transaction():
        _forget(session)


def _forget(session: Session) -> None:
    for key in (_PENDING, _PREIMAGE, _COVERED, _COVERED_STATES):
        session.info.pop(key, None)


event.listen(Session, "before_flush", _before_flush)
event.listen(Session, "after_flush", _after_flush)
event.listen(Session, "before_commit", _before_commit)
event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", _after_soft_rollback)
