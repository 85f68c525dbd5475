"""The duty roster's conflict check: explained findings for one month.

Rules (documented in docs/duty.md):

- ``person_overlap``: one person on two shifts whose hours overlap (白班 08:30-17:30 and 全天
  08:30-次日08:30 of the same day; a 夜班 and the next day's 全天 ...). Back-to-back shifts
  (白班 then 夜班) do not overlap and are allowed. A person is the same contact, or the same
  name where one side is a typed name. A 夜班 of the last day of the month before is taken
  into account.
- ``no_leader``: a day of the month with no shift that has a leader (带班领导); a day
  without any shift is one.
- ``no_officer``: a shift without a duty officer (值班员).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from drillplan.db.models import DutyShift
from drillplan.duty.roster import Person, leader_of, officers_of, shifts_between
from drillplan.duty.shift_kinds import span
from drillplan.kernel.errors import ValidationError

PERSON_OVERLAP, NO_LEADER, NO_OFFICER = "person_overlap", "no_leader", "no_officer"
RULE_LABELS = {
    PERSON_OVERLAP: ("一人同时两班", "one person on two overlapping shifts"),
    NO_LEADER: ("当日无带班领导", "a day without a leader"),
    NO_OFFICER: ("班次无值班员", "a shift without an officer"),
}
WEEKDAYS_ZH = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


@dataclass(frozen=True)
class Finding:
    """One problem of the roster: the rule, the day, the shifts involved (ids), the person
    (for ``person_overlap``) and the explanation in Chinese and English."""

    rule: str
    day: dt.date
    message: str
    message_en: str
    shift_ids: tuple[int, ...] = ()
    person: str | None = None

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "day": self.day.isoformat(),
            "shift_ids": list(self.shift_ids),
            "person": self.person,
            "message": self.message,
            "message_en": self.message_en,
        }


@dataclass
class MonthCheck:
    year: int
    month: int
    shifts: list[DutyShift]
    findings: list[Finding] = field(default_factory=list)

    def by_shift(self) -> dict[int, list[Finding]]:
        out: dict[int, list[Finding]] = {}
        for f in self.findings:
            for sid in f.shift_ids:
                out.setdefault(sid, []).append(f)
        return out

    def by_day(self) -> dict[dt.date, list[Finding]]:
        out: dict[dt.date, list[Finding]] = {}
        for f in self.findings:
            out.setdefault(f.day, []).append(f)
        return out


def parse_month(value: object, *, field: str = "month") -> tuple[int, int]:
    """``YYYY-MM`` (also 2026/12, 2026年12月, 202612) as (year, month)."""
    import re

    from drillplan.kernel.values import normalize_text

    text = normalize_text("" if value is None else str(value)).strip()
    m = re.fullmatch(r"([0-9]{4})\s*(?:[-/.年]\s*)?([0-9]{1,2})\s*月?", text)
    if m is None or not 1 <= int(m[2]) <= 12 or not 1900 <= int(m[1]) <= 2199:
        raise ValidationError(
            field,
            f"月份“{text}”无效，请写成 2026-12 的形式",
            message_en=f"invalid month {text!r}; use YYYY-MM such as 2026-12",
            rule="bad_month",
        )
    return int(m[1]), int(m[2])


def month_days(year: int, month: int) -> list[dt.date]:
    return [dt.date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def _label(shift: DutyShift) -> str:
    return f"{shift.day.month}月{shift.day.day}日{shift.shift_kind.name}"


def _people(shift: DutyShift) -> list[tuple[Person, str]]:
    leader = leader_of(shift)
    out = [(leader, "带班领导")] if leader is not None else []
    return out + [(p, "值班员") for p in officers_of(shift)]


def check_month(session: Session, year: int, month: int) -> MonthCheck:
    """Every finding of the month (see the module's rules), in day order."""
    days = month_days(year, month)
    first, last = days[0], days[-1]
    nearby = shifts_between(session, first - dt.timedelta(days=1), last + dt.timedelta(days=1))
    shifts = [s for s in nearby if first <= s.day <= last]
    result = MonthCheck(year, month, shifts)
    findings: list[Finding] = []

    spans = {s.id: span(s.shift_kind, s.day) for s in nearby}
    for i, a in enumerate(nearby):
        for b in nearby[i + 1 :]:
            a0, a1 = spans[a.id]
            b0, b1 = spans[b.id]
            if not (a0 < b1 and b0 < a1):
                continue
            if not (first <= a.day <= last or first <= b.day <= last):
                continue
            for pa, role_a in _people(a):
                for pb, role_b in _people(b):
                    if not pa.same(pb):
                        continue
                    day = max(a.day, b.day) if a.day < first else a.day
                    findings.append(
                        Finding(
                            PERSON_OVERLAP,
                            day,
                            f"{pa.name} 同时排在{_label(a)}（{role_a}）和{_label(b)}（{role_b}），"
                            "两班时间重叠",
                            f"{pa.name} is on two overlapping shifts: {a.day} {a.shift_kind.code}"
                            f" ({role_a}) and {b.day} {b.shift_kind.code} ({role_b})",
                            (a.id, b.id),
                            pa.name,
                        )
                    )
    by_day: dict[dt.date, list[DutyShift]] = {}
    for s in shifts:
        by_day.setdefault(s.day, []).append(s)
    for day in days:
        todays = by_day.get(day, [])
        if not any(s.leader_name for s in todays):
            zh = "未排班" if not todays else "各班次均未安排带班领导"
            en = "no shift" if not todays else "no shift has a leader"
            findings.append(
                Finding(
                    NO_LEADER,
                    day,
                    f"{day.month}月{day.day}日（{WEEKDAYS_ZH[day.weekday()]}）无带班领导：{zh}",
                    f"{day.isoformat()} has no leader: {en}",
                    tuple(s.id for s in todays),
                )
            )
        for s in todays:
            if not s.officers:
                findings.append(
                    Finding(
                        NO_OFFICER,
                        day,
                        f"{_label(s)}没有值班员",
                        f"{day.isoformat()} {s.shift_kind.code}: no duty officer",
                        (s.id,),
                    )
                )
    order = {PERSON_OVERLAP: 0, NO_LEADER: 1, NO_OFFICER: 2}
    findings.sort(key=lambda f: (f.day, order[f.rule], f.shift_ids))
    result.findings = findings
    return result
