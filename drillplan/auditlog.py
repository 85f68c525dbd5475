"""The audit log: every change records who, when, which row, the action, before and after."""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect
from sqlalchemy.orm import Session

from drillplan.db.base import Base
from drillplan.db.models import AuditLog
from drillplan.output import to_jsonable


def snapshot(row: Base) -> dict[str, Any]:
    """The column values of an ORM row as JSON-ready data."""
    mapper = inspect(row).mapper
    return {attr.key: to_jsonable(getattr(row, attr.key)) for attr in mapper.column_attrs}


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
    """Append one audit entry (flushes nothing by itself; it commits with the change)."""
    if row is not None:
        table = table or row.__tablename__
        row_id = row_id if row_id is not None else getattr(row, "id", None)
        if after is None:
            after = snapshot(row)
    entry = AuditLog(
        username=user or "system",
        table_name=table or "",
        row_id=row_id,
        action=action,
        before=to_jsonable(before) if before is not None else None,
        after=to_jsonable(after) if after is not None else None,
    )
    session.add(entry)
    return entry
