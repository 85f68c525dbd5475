"""Optimistic locking conflicts with both versions, for the conflict dialog.

Versioned rows (``row_version``) refuse a stale save: the core raises
:class:`~drillplan.kernel.errors.EditConflict` when the version the editor loaded is no longer
current or a flush finds the row changed underneath (SQLAlchemy's ``StaleDataError``).
:func:`save_or_conflict` attaches to it the row as it is now in the database and the values
the user tried to save, so the UI can show both and let the user choose.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drillplan.audit.labels import table_label
from drillplan.db.base import Base
from drillplan.kernel.errors import Conflict, EditConflict, FieldDifference
from drillplan.kernel.formatting import to_jsonable
from drillplan.kernel.stale import IDENTIFYING

T = TypeVar("T")


__all__ = ["EditConflict", "FieldDifference", "current_values", "edit_conflict", "save_or_conflict"]


def edit_conflict(
    *,
    table: str,
    row_id: int,
    expected_version: int | None,
    current: dict[str, Any] | None,
    attempted: Mapping[str, Any],
) -> EditConflict:
    """The conflict with both versions: the row as stored now (None: deleted) and the user's."""
    known = {**dict(attempted), **(current or {})}
    ident = next((str(known[k]) for k in IDENTIFYING if known.get(k)), f"#{row_id}")
    label, label_en = f"{table_label(table)} {ident}", f"{table_label(table, 'en')} {ident}"
    version = current.get("row_version") if current is not None else None
    if current is None:
        text = f"{label} 已被他人删除，您的修改未保存。 ({label_en} was deleted by someone else.)"
    else:
        text = (
            f"{label} 已被他人修改（当前版本 {version}，您编辑的是版本"
            f" {expected_version}），您的修改未保存；请对照两个版本后重试。"
            f" ({label_en} was changed by someone else: version"
            f" {version} now, you edited {expected_version}.)"
        )
    return EditConflict(
        text,
        table=table,
        row_id=row_id,
        expected_version=expected_version,
        current=current,
        attempted=to_jsonable(dict(attempted)),
    )


def current_values(session: Session, model: type[Base], row_id: int) -> dict[str, Any] | None:
    """The row as committed in the database now, read on a connection of its own (the
    caller's transaction may have failed), or None if it no longer exists."""
    table = inspect(model).local_table
    pk = inspect(model).primary_key[0]
    with session.get_bind().connect() as conn:
        row = conn.execute(select(table).where(pk == row_id)).mappings().first()
    if row is None:
        return None
    return {
        attr.key: to_jsonable(row[attr.columns[0].name]) for attr in inspect(model).column_attrs
    }


def save_or_conflict(
    session: Session,
    model: type[Base],
    row_id: int,
    *,
    expected_version: int | None,
    attempted: Mapping[str, Any],
    save: Callable[[], T],
) -> T:
    """Run ``save()`` (a core edit, e.g. ``update_plan``); a stale-version failure becomes an
    :class:`EditConflict` with both versions. Other ``Conflict`` errors (a duplicate code ...)
    pass through unchanged."""
    try:
        return save()
    except StaleDataError as exc:
        raise _conflict(session, model, row_id, expected_version, attempted) from exc
    except EditConflict as exc:
        if exc.has_versions:
            raise
        raise _conflict(session, model, row_id, expected_version, attempted) from exc
    except Conflict as exc:
        current = current_values(session, model, row_id)
        if current is not None and (
            expected_version is None or current.get("row_version") == expected_version
        ):
            raise  # not about the version
        raise edit_conflict(
            table=inspect(model).local_table.name,
            row_id=row_id,
            expected_version=expected_version,
            current=current,
            attempted=attempted,
        ) from exc


def _conflict(
    session: Session,
    model: type[Base],
    row_id: int,
    expected_version: int | None,
    attempted: Mapping[str, Any],
) -> EditConflict:
    return edit_conflict(
        table=inspect(model).local_table.name,
        row_id=row_id,
        expected_version=expected_version,
        current=current_values(session, model, row_id),
        attempted=attempted,
    )
