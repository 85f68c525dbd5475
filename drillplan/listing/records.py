"""The current values of one row for an edit form: the editable fields as plain values
(enums as their codes, lists copied) and the ``row_version`` the row was read at."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.base import Base
from drillplan.kernel.errors import NotFound

B = TypeVar("B", bound=Base)


def plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return list(value)
    return value


def row_values(
    session: Session, model: type[Base], row_id: int, fields: Iterable[str]
) -> dict[str, Any]:
    """``{field: value}`` of one row (sorted by field), plus ``row_version`` when versioned."""
    row = session.get(model, row_id)
    if row is None:
        table = model.__tablename__
        raise NotFound(f"{table} {row_id} 不存在 (no {table} {row_id})")
    out = {name: plain(getattr(row, name)) for name in sorted(fields)}
    if hasattr(row, "row_version"):
        out["row_version"] = row.row_version
    return out


def listed_rows(
    session: Session, model: type[B], listing: Any, *, search: str | None = None
) -> list[B]:
    """The rows of ``listing`` as ORM objects, in the listing's order and filtered by its
    search, as the desktop table shows them (the command line's ``list`` commands)."""
    from drillplan.listing.core import fetch_ids

    ids = fetch_ids(session, listing, search=search)
    found = {row.id: row for row in session.scalars(select(model).where(model.id.in_(ids)))}  # type: ignore[attr-defined]
    return [found[i] for i in ids]
