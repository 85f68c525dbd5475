"""Browsing the audit log: filtered, paged queries for the audit view and the CLI (read only)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, distinct, func, or_, select
from sqlalchemy.orm import Session

from drillplan.audit.labels import table_label
from drillplan.db.models import AuditLog
from drillplan.kernel.errors import NotFound

PAGE = 200


@dataclass(frozen=True)
class AuditFilter:
    """Conditions on the log; None means any. ``until`` is inclusive (a date: the whole day)."""

    username: str | None = None
    table: str | None = None
    action: str | None = None  # exact, or a prefix ending in "." (e.g. "stock.")
    row_id: int | None = None
    since: dt.date | dt.datetime | None = None
    until: dt.date | dt.datetime | None = None
    text: str | None = None  # searched in user, table and action


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: dt.datetime
    username: str
    table: str
    row_id: int | None
    action: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    def table_label(self, lang: str = "zh") -> str:
        return table_label(self.table, lang) if self.table else ""

    def changes(self) -> list[FieldChange]:
        """Field by field: values that differ (an insert or delete lists every value)."""
        before, after = self.before or {}, self.after or {}
        keys = list(before) + [k for k in after if k not in before]
        return [
            FieldChange(k, before.get(k), after.get(k))
            for k in keys
            if before.get(k) != after.get(k) or self.before is None or self.after is None
        ]

    def summary(self, limit: int = 3) -> str:
        """A short ``field: old → new`` text for a table cell."""
        parts = []
        for change in self.changes()[:limit]:
            if self.before is None:
                parts.append(f"{change.field}={change.after}")
            elif self.after is None:
                parts.append(f"{change.field}={change.before}")
            else:
                parts.append(f"{change.field}: {change.before} → {change.after}")
        more = len(self.changes()) - limit
        return "; ".join(parts) + (f" …(+{more})" if more > 0 else "")


@dataclass(frozen=True)
class AuditChoices:
    """The values present in the log, for filter drop-downs."""

    usernames: list[str]
    tables: list[str]
    actions: list[str]


def _bound(value: dt.date | dt.datetime, *, end: bool) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    day = dt.datetime.combine(value, dt.time())
    return day + dt.timedelta(days=1) if end else day


def _where(stmt: Select[Any], flt: AuditFilter) -> Select[Any]:
    if flt.username:
        stmt = stmt.where(AuditLog.username == flt.username)
    if flt.table:
        stmt = stmt.where(AuditLog.table_name == flt.table)
    if flt.action:
        if flt.action.endswith("."):
            stmt = stmt.where(AuditLog.action.startswith(flt.action, autoescape=True))
        else:
            stmt = stmt.where(AuditLog.action == flt.action)
    if flt.row_id is not None:
        stmt = stmt.where(AuditLog.row_id == flt.row_id)
    if flt.since is not None:
        stmt = stmt.where(AuditLog.at >= _bound(flt.since, end=False))
    if flt.until is not None:
        if isinstance(flt.until, dt.datetime):
            stmt = stmt.where(AuditLog.at <= flt.until)
        else:
            stmt = stmt.where(AuditLog.at < _bound(flt.until, end=True))
    if flt.text and flt.text.strip():
        pattern = f"%{flt.text.strip().lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(AuditLog.username).like(pattern),
                func.lower(AuditLog.table_name).like(pattern),
                func.lower(AuditLog.action).like(pattern),
            )
        )
    return stmt


def _entry(row: AuditLog) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        at=row.at,
        username=row.username,
        table=row.table_name,
        row_id=row.row_id,
        action=row.action,
        before=row.before,
        after=row.after,
    )


def query_audit(
    session: Session,
    flt: AuditFilter | None = None,
    *,
    offset: int = 0,
    limit: int = PAGE,
    newest_first: bool = True,
) -> list[AuditEntry]:
    """One page of entries matching ``flt``, newest first by default."""
    order = AuditLog.id.desc() if newest_first else AuditLog.id.asc()
    stmt = _where(select(AuditLog), flt or AuditFilter()).order_by(order)
    rows = session.scalars(stmt.offset(max(offset, 0)).limit(max(limit, 0)))
    return [_entry(r) for r in rows]


def count_audit(session: Session, flt: AuditFilter | None = None) -> int:
    stmt = _where(select(func.count()).select_from(AuditLog), flt or AuditFilter())
    return int(session.scalar(stmt) or 0)


def audit_entry(session: Session, entry_id: int) -> AuditEntry:
    row = session.get(AuditLog, entry_id)
    if row is None:
        raise NotFound(f"审计记录 {entry_id} 不存在 (no audit entry {entry_id})")
    return _entry(row)


def audit_choices(session: Session) -> AuditChoices:
    def values(column: Any) -> list[str]:
        return [v for v in session.scalars(select(distinct(column)).order_by(column)) if v]

    return AuditChoices(
        usernames=values(AuditLog.username),
        tables=values(AuditLog.table_name),
        actions=values(AuditLog.action),
    )
