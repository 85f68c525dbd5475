"""Row and session helpers every domain write function shares: fetching a row, merging the
fields given over the stored ones, optimistic locking (``row_version`` ->
:class:`EditConflict`) and uniqueness. No model is imported here; value
parsing lives in :mod:`drillplan.kernel.values`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from drillplan.kernel.errors import EditConflict, NotFound, ValidationError

M = TypeVar("M")


def get(session: Session, model: type[M], row_id: int, what: str) -> M:
    row = session.get(model, row_id)
    if row is None:
        table = getattr(model, "__tablename__", model.__name__)  # type: ignore[attr-defined]
        raise NotFound(f"{what} {row_id} 不存在 (no {table} {row_id})")
    return row


def merged(row: object | None, names: tuple[str, ...], given: Mapping[str, Any]) -> dict[str, Any]:
    """The fields ``given`` over ``row``'s stored ones (no row: only those given); a field not
    among ``names`` is refused."""
    unknown = sorted(set(given) - set(names))
    if unknown:
        raise ValidationError(unknown[0], "不能在此修改", message_en=f"{unknown[0]} not editable")
    if row is None:
        return dict(given)
    return {name: getattr(row, name) for name in names} | dict(given)


def check_version(row: Any, expected: int | None, what: str) -> None:
    """Refuse an edit of ``row`` made on a version other than the one now stored."""
    if expected is not None and row.row_version != expected:
        raise EditConflict(
            f"{what}已被他人修改（版本 {row.row_version}，您编辑的是 {expected}），"
            "请刷新后重试 (changed by someone else since you opened it)",
            expected_version=expected,
        )


def flush(session: Session, what: str) -> None:
    """Flush; a row changed by someone else meanwhile becomes :class:`EditConflict`.

    Sessions of :func:`drillplan.db.engine.session_factory` raise it themselves, naming the row
    and what the other user changed (:mod:`drillplan.kernel.stale`); ``what`` names the row
    for any other session."""
    try:
        session.flush()
    except StaleDataError as exc:
        raise EditConflict(
            f"{what}已被他人修改，您的修改未保存，请刷新后重试"
            " (changed by someone else meanwhile; reload and try again)"
        ) from exc


def unique(session: Session, column: Any, value: object, own_id: int | None, what: str) -> None:
    other = session.scalar(select(column.class_.id).where(column == value))
    if other is not None and other != own_id:
        raise ValidationError(
            column.key, f"{what}“{value}”已被使用", message_en=f"{column.key} {value!r} is taken"
        )
