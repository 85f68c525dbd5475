"""Working days in China: weekends, public holidays and make-up workdays (调休).

The `holidays` package knows the official lists it has been updated with; a year it lags on
can be completed by the user (the ``holiday`` table: a day off, or ``is_workday`` for a
make-up working weekend), and the user's entries win over the library's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from drillplan.db.models import Holiday
from drillplan.kernel.errors import ValidationError


@dataclass
class WorkCalendar:
    days_off: dict[dt.date, str] = field(default_factory=dict)  # public holidays, days in lieu
    workdays: set[dt.date] = field(default_factory=set)  # weekends that are working days

    def is_workday(self, day: dt.date) -> bool:
        if day in self.workdays:
            return True
        if day in self.days_off:
            return False
        return day.weekday() < 5

    def is_public_holiday(self, day: dt.date) -> bool:
        return day in self.days_off and day not in self.workdays

    def why_not_workday(self, day: dt.date) -> str | None:
        """Why ``day`` is not a working day (the holiday's name, or 周末), None if it is one."""
        if self.is_workday(day):
            return None
        if day in self.days_off:
            return self.days_off[day]
        return "周末"

    def add_workdays(self, start: dt.date, count: int) -> dt.date:
        """The ``count``-th working day after ``start`` (``start`` itself not counted)."""
        if count < 0:
            raise ValueError("count must be >= 0")
        day = start
        remaining = count
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_workday(day):
                remaining -= 1
        return day

    def workdays_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        n, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            n += self.is_workday(day)
        return n


_ZH_NAMES = {
    "New Year's Day": "元旦",
    "Chinese New Year's Eve": "除夕",
    "Chinese New Year (Spring Festival)": "春节",
    "Tomb-Sweeping Day": "清明节",
    "Labor Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-Autumn Festival": "中秋节",
    "National Day": "国庆节",
}


def _zh(name: str) -> str:
    for en, zh in _ZH_NAMES.items():
        if name.startswith(en):
            return zh
    if name.startswith("Day off"):
        return "调休放假"
    return name


def library_calendar(years: Iterable[int]) -> WorkCalendar:
    import holidays as holidays_lib  # ~40 ms: only when a calendar is needed, not at start-up

    years = sorted(set(years))
    cn = holidays_lib.China(years=years)
    wanted = set(years)
    return WorkCalendar(
        days_off={d: _zh(n) for d, n in cn.items() if d.year in wanted},
        workdays={d for d in getattr(cn, "weekend_workdays", set()) if d.year in wanted},
    )


def calendar_for(session: Session | None, years: Iterable[int]) -> WorkCalendar:
    """The library's calendar for ``years`` with the user's own entries applied on top."""
    years = sorted(set(years))
    cal = library_calendar(years)
    if session is None:
        return cal
    rows = session.scalars(select(Holiday).where(extract("year", Holiday.day).in_(years)))
    for row in rows:
        if row.is_workday:
            cal.workdays.add(row.day)
            cal.days_off.pop(row.day, None)
        else:
            cal.days_off[row.day] = row.name
            cal.workdays.discard(row.day)
    return cal


def library_knows(year: int) -> bool:
    """Whether the holidays library has an official list for ``year`` (any day in lieu)."""
    cal = library_calendar([year])
    return any(name == "调休放假" for name in cal.days_off.values()) or bool(cal.workdays)


def set_official_list(
    session: Session,
    year: int,
    days_off: dict[dt.date, str],
    workdays: Iterable[dt.date],
) -> None:
    """Replace the user's list for ``year`` (the State Council's notice for that year)."""
    workdays = set(workdays)
    for day in [*days_off, *workdays]:
        if day.year != year:
            raise ValidationError(
                "day", f"{day} 不在 {year} 年", message_en=f"{day} is not in {year}"
            )
    overlap = workdays & set(days_off)
    if overlap:
        first = min(overlap)
        raise ValidationError(
            "day", f"{first} 不能既放假又上班", message_en=f"{first} both off and working"
        )
    for row in session.scalars(select(Holiday).where(extract("year", Holiday.day) == year)):
        session.delete(row)
    session.flush()
    session.add_all(
        Holiday(day=d, name=n or "节假日", is_workday=False) for d, n in days_off.items()
    )
    session.add_all(Holiday(day=d, name="调休上班", is_workday=True) for d in sorted(workdays))
    session.flush()
