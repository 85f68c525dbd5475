"""A re-import that does not undo someone else's change.

The export of a register people edit (units, materials, depots, teams, plans, drills) carries
each row's version in the column 记录版本 (``row_version``): the ORM version column where the
model has one (it rises with every change), else a fingerprint of the row as exported
(materials: 12 hex digits of a SHA-256, which changes when any exported value does and, unlike
an audit log id, means the same in every database the file is imported into). Importing the
file again compares it with the version now stored: a row the import would change whose
record changed since the export is refused, with who changed it and when (the row's latest
audit entry), unless the import is told to ``overwrite``. A row whose 记录版本 cell is blank,
and a sheet without the column (one the office made itself), import as before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.audit.read import AuditEntry, AuditFilter, query_audit
from drillplan.db.base import Base
from drillplan.db.models import (
    CapacityReserve,
    Depot,
    Drill,
    Facility,
    FacilityClass,
    Material,
    Plan,
    Team,
    TrainingEvent,
    Unit,
)
from drillplan.interchange.context import UPDATE, Context, Record
from drillplan.interchange.spec import Kind
from drillplan.kernel.formatting import to_jsonable

RULE = "stale_row"
FINGERPRINT_DIGITS = 12
#: the registers whose export carries a version, by kind (each has the natural key ``code``)
MODELS: dict[str, type[Base]] = {
    "units": Unit,
    "materials": Material,
    "depots": Depot,
    "teams": Team,
    "plans": Plan,
    "drills": Drill,
    "facility-classes": FacilityClass,
    "facilities": Facility,
    "trainings": TrainingEvent,
    "capacity-reserves": CapacityReserve,
}


def fingerprint(row: dict[str, object]) -> str:
    """The version of a row without a version column: a digest of its exported values."""
    text = json.dumps(to_jsonable(row), sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:FINGERPRINT_DIGITS]


def stamps(session: Session, kind: Kind) -> dict[str, int | str]:
    """Code -> the version now stored, for every row of ``kind``."""
    model: Any = MODELS[kind.name]
    if hasattr(model, "row_version"):
        return {c: int(v) for c, v in session.execute(select(model.code, model.row_version))}
    from drillplan.interchange.registry import handler_for  # the handlers import this module

    column = kind.stamp
    return {
        str(row["code"]): fingerprint(
            {k: v for k, v in row.items() if column is None or k != column.key}
        )
        for row in handler_for(kind.name).export_rows(session)
    }


def with_stamps(
    session: Session, kind: Kind, rows: Iterable[dict[str, object]]
) -> Iterator[dict[str, object]]:
    """The export's rows with their version. The versions are read before the first row: a
    change committed in between makes the file look older than it is (a later re-import asks),
    never newer (which would let it undo that change silently)."""
    column = kind.stamp
    if column is None:
        yield from rows
        return
    current = stamps(session, kind)
    for row in rows:
        yield {**row, column.key: current.get(str(row.get("code")))}


def last_change(session: Session, table: str, row_id: int) -> AuditEntry | None:
    """The row's latest audit log entry."""
    found = query_audit(session, AuditFilter(table=table, row_id=row_id), limit=1)
    return found[0] if found else None


def check(ctx: Context, records: list[Record], *, overwrite: bool) -> None:
    """Refuse each row the import would change whose record changed since the file was
    exported (its 记录版本 differs from the stored one); ``overwrite`` allows it."""
    column = ctx.kind.stamp
    if column is None or overwrite or not ctx.present(column.key):
        return
    current: dict[str, int | str] | None = None
    for rec in records:
        given = rec.values.get(column.key)
        if rec.action != UPDATE or rec.target is None or given is None:
            continue
        if current is None:
            current = stamps(ctx.session, ctx.kind)
        target: Any = rec.target
        now = current.get(target.code)
        if now is None or str(now) == str(given):
            continue
        entry = last_change(ctx.session, target.__tablename__, target.id)
        if entry is not None:
            when = entry.at.strftime("%Y-%m-%d %H:%M") if entry.at else "?"
            who_zh = f"已被 {entry.username} 于 {when} 修改"
            who_en = f"changed by {entry.username} at {when}"
        else:
            who_zh, who_en = "已被修改", "changed"
        numbered = isinstance(now, int)
        versions_zh = f"（导出时版本 {given}，现为 {now}）" if numbered else ""
        versions_en = f" (version {given}, now {now})" if numbered else ""
        ctx.problem(
            rec.row, column.key, RULE,
            f"{ctx.kind.zh} {target.code} 在此文件导出后{who_zh}{versions_zh}，"
            "导入会撤销这次修改：请重新导出后再编辑，或确认以文件为准时用 --overwrite 导入"
            "（桌面导入：勾选“覆盖他人的修改”）",
            f"{ctx.kind.en.lower()} {target.code} was {who_en} since this file was exported"
            f"{versions_en}; importing would undo that change: export again,"
            " or import with --overwrite to replace it",
        )  # fmt: skip
        rec.ok = False
