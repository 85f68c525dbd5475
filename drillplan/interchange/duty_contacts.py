"""Import and export of the contacts (通讯录) and the duty roster (值班表), through the same
functions as the desktop forms (:mod:`drillplan.contacts.register`, :mod:`drillplan.duty.roster`).

Contacts are matched on their owner and name; shifts on their day and shift kind. A day written
without its year (``12月1日``) is taken in the year of the sheet's name (``2026年12月值班表``),
else of the other dates of the file, else the year of today.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.contacts import register as contacts
from drillplan.db.models import Contact, Depot, DutyShift, ShiftKind, Team, Unit
from drillplan.duty import roster
from drillplan.duty.conflicts import WEEKDAYS_ZH
from drillplan.duty.shift_kinds import shift_kind_id
from drillplan.interchange import duty_kinds
from drillplan.interchange.context import CREATE, UNCHANGED, UPDATE, Context, Record
from drillplan.interchange.registers import FIELDS, AreaFunctions, RegisterHandler
from drillplan.kernel.dates import parse_date, parse_date_in_year
from drillplan.kernel.errors import DrillplanError, ValidationError

_YEAR_RE = re.compile(r"(?<![0-9])((?:19|20|21)[0-9]{2})(?![0-9])")


class ContactHandler(RegisterHandler):
    kind, model = duty_kinds.CONTACTS, Contact
    area = AreaFunctions(
        contacts.check_contact, contacts.create_contact, contacts.update_contact, "contact_id"
    )
    order_by = ("id",)

    def existing(self, ctx: Context, records: list[Record]) -> dict[Hashable, Any]:
        out: dict[Hashable, Any] = {}
        for obj in ctx.session.scalars(select(Contact).order_by(Contact.id)):
            key = (obj.unit_id, obj.depot_id, obj.team_id, obj.supplier, obj.name)
            out[key] = "ambiguous" if key in out else obj
        for rec in records:
            if rec.ok and out.get(self.natural_key(rec)) == "ambiguous":
                ctx.problem(
                    rec.row, "name", "ambiguous_ref",
                    "同一单位有多名同名联系人，无法按姓名匹配，请在程序中修改",
                    "several contacts of this owner share the name; edit them in the app",
                )  # fmt: skip
                rec.ok = False
        return out

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        codes = {
            "unit": dict(session.execute(select(Unit.id, Unit.code)).all()),
            "depot": dict(session.execute(select(Depot.id, Depot.code)).all()),
            "team": dict(session.execute(select(Team.id, Team.code)).all()),
        }
        for c in session.scalars(select(Contact).order_by(Contact.id)):
            yield {
                "name": c.name, "role": c.role,
                "unit": codes["unit"].get(c.unit_id) if c.unit_id else None,
                "depot": codes["depot"].get(c.depot_id) if c.depot_id else None,
                "team": codes["team"].get(c.team_id) if c.team_id else None,
                "supplier": c.supplier,
                "scope_unit": codes["unit"].get(c.scope_unit_id)
                if c.supplier is not None and c.scope_unit_id else None,
                "mobile": c.mobile, "office_phone": c.office_phone, "email": c.email,
                "notes": c.notes,
            }  # fmt: skip


def _sheet_year(ctx: Context, records: list[Record]) -> int:
    """The year a day without its year is in: the sheet name's, the file's, today's."""
    m = _YEAR_RE.search(ctx.sheet or "")
    if m is not None:
        return int(m[1])
    for rec in records:
        raw = rec.values.get("day")
        try:
            return parse_date(raw, field="day").year
        except ValidationError:
            continue
    return ctx.today.year


class DutyHandler(RegisterHandler):
    """Shifts, matched on day and shift kind; the leader and officers by name."""

    kind, model = duty_kinds.DUTY, DutyShift
    area = AreaFunctions(roster.check_shift, roster.create_shift, roster.update_shift, "shift_id")

    def check(self, ctx: Context, records: list[Record]) -> None:
        """As the other registers, but the day and shift (the natural key) are read first."""
        ctx._duty_year = _sheet_year(ctx, records)  # type: ignore[attr-defined]
        for rec in records:
            self.rules(ctx, rec)
        ctx.duplicates([r for r in records if r.ok], self.natural_key, "shift")
        current = self.existing(ctx, records)
        reported: dict[int, set[str]] = {}
        for problem in ctx.problems:
            reported.setdefault(problem.row, set()).add(problem.column)
        for rec in records:
            key = self.natural_key(rec)
            target = current.get(key) if key is not None else None
            fields = self.fields(ctx, rec)
            try:
                values = self.validate(ctx, target, fields)
            except DrillplanError as exc:
                ctx.error(rec.row, exc, known=reported.get(rec.row, ()))
                rec.ok = False
                continue
            if rec.ok:
                self.classify(rec, target, fields, values)

    def rules(self, ctx: Context, rec: Record) -> None:
        raw = rec.values.get("day")
        if raw is not None:
            try:
                rec.resolved["day"] = parse_date_in_year(
                    raw,
                    year=ctx._duty_year,
                    field="day",  # type: ignore[attr-defined]
                )
            except ValidationError as exc:
                ctx.error(rec.row, exc)
                rec.ok = False
        shift = rec.values.get("shift")
        if shift is not None:
            try:
                rec.resolved["shift"] = shift_kind_id(ctx.session, shift)
            except ValidationError as exc:
                ctx.error(rec.row, exc)
                rec.ok = False

    def natural_key(self, rec: Record) -> Hashable:
        day, shift = rec.resolved.get("day"), rec.resolved.get("shift")
        return None if day is None or shift is None else (day, shift)

    def existing(self, ctx: Context, records: list[Record]) -> dict[Hashable, Any]:
        return {(s.day, s.shift_kind_id): s for s in ctx.session.scalars(select(DutyShift))}

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if "day" in rec.resolved:
            out["day"] = rec.resolved["day"]
        if "shift" in rec.resolved:
            out["shift_kind_id"] = rec.resolved["shift"]
        for key in ("leader", "officers", "phone", "notes"):
            if ctx.present(key):
                value = rec.values.get(key)
                out[key] = [] if key == "officers" and value is None else value
        return out

    def classify(
        self, rec: Record, target: Any, fields: dict[str, Any], values: dict[str, Any]
    ) -> None:
        if target is None:
            rec.action, rec.resolved[FIELDS] = CREATE, fields
            return
        rec.target = target
        stored = {
            "day": target.day, "shift_kind_id": target.shift_kind_id,
            "leader": roster.leader_of(target), "officers": roster.officers_of(target),
            "phone": target.phone, "notes": target.notes,
        }  # fmt: skip
        changes = {k: values[k] for k in fields if stored.get(k) != values.get(k)}
        rec.resolved["changes"] = changes
        rec.action = UPDATE if changes else UNCHANGED

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        stmt = (
            select(DutyShift)
            .join(ShiftKind, DutyShift.shift_kind_id == ShiftKind.id)
            .order_by(DutyShift.day, ShiftKind.sort_order, ShiftKind.id)
        )
        for s in session.scalars(stmt):
            yield {
                "day": s.day, "weekday": WEEKDAYS_ZH[s.day.weekday()], "shift": s.shift_kind.name,
                "leader": s.leader_name, "officers": [o.name for o in s.officers],
                "phone": s.phone, "notes": s.notes,
            }  # fmt: skip


def month_rows(session: Session, year: int, month: int) -> Iterator[dict[str, object]]:
    """The export rows of one month (the office's monthly sheet)."""
    import datetime as dt

    first = dt.date(year, month, 1)
    last = dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)
    for row in DutyHandler().export_rows(session):
        day = row["day"]
        if isinstance(day, dt.date) and first <= day <= last:
            yield row
