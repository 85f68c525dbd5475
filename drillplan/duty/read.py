"""What the roster view, the command line, the export and the printed roster read: the month
as rows (one per shift), each with its findings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from drillplan.db.models import DutyShift
from drillplan.duty.conflicts import WEEKDAYS_ZH, Finding, MonthCheck, check_month
from drillplan.duty.shift_kinds import hours_text

WEEKDAYS_EN = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@dataclass(frozen=True)
class ShiftRow:
    id: int
    day: dt.date
    weekday: str
    shift: str
    shift_code: str
    hours: str
    leader: str | None
    officers: tuple[str, ...]
    phone: str | None
    notes: str | None
    row_version: int
    findings: tuple[Finding, ...]

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "day": self.day.isoformat(),
            "weekday": self.weekday,
            "shift": self.shift,
            "shift_code": self.shift_code,
            "hours": self.hours,
            "leader": self.leader,
            "officers": list(self.officers),
            "phone": self.phone,
            "notes": self.notes,
            "row_version": self.row_version,
            "findings": [f.rule for f in self.findings],
        }


@dataclass(frozen=True)
class Month:
    year: int
    month: int
    rows: list[ShiftRow]
    findings: list[Finding]

    @property
    def title(self) -> str:
        return f"{self.year}年{self.month}月"

    def as_dict(self) -> dict[str, object]:
        return {
            "month": f"{self.year:04d}-{self.month:02d}",
            "shifts": [r.as_dict() for r in self.rows],
            "findings": [f.as_dict() for f in self.findings],
        }


def shift_row(shift: DutyShift, findings: list[Finding] | tuple[Finding, ...] = ()) -> ShiftRow:
    return ShiftRow(
        shift.id,
        shift.day,
        WEEKDAYS_ZH[shift.day.weekday()],
        shift.shift_kind.name,
        shift.shift_kind.code,
        hours_text(shift.shift_kind),
        shift.leader_name,
        tuple(o.name for o in shift.officers),
        shift.phone,
        shift.notes,
        shift.row_version,
        tuple(findings),
    )


def month_view(session: Session, year: int, month: int) -> Month:
    checked: MonthCheck = check_month(session, year, month)
    per_shift = checked.by_shift()
    rows = [shift_row(s, per_shift.get(s.id, [])) for s in checked.shifts]
    return Month(year, month, rows, checked.findings)


def shift_values(session: Session, shift_id: int) -> dict[str, object]:
    """The fields of a shift being edited (``leader`` a Person, ``officers`` their names)."""
    from drillplan.duty.roster import leader_of
    from drillplan.kernel import records

    shift = records.get(session, DutyShift, shift_id, "值班安排")
    return {
        "day": shift.day,
        "shift_kind_id": shift.shift_kind_id,
        "leader": leader_of(shift),
        "officers": [o.name for o in shift.officers],
        "phone": shift.phone,
        "notes": shift.notes,
        "row_version": shift.row_version,
    }


def shift_kind_choices(session: Session) -> list[tuple[int, str]]:
    """The active shift kinds: (id, "白班 08:30-17:30")."""
    from drillplan.duty.shift_kinds import shift_kinds

    return [(k.id, f"{k.name} {hours_text(k)}") for k in shift_kinds(session, active_only=True)]
