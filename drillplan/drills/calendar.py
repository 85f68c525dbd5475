"""The drills of one month for the calendar view (occurrences of series included)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Drill
from drillplan.drills.recurrence import occurrences_between


@dataclass(frozen=True)
class CalendarItem:
    drill_id: int
    code: str
    title: str
    status: str
    start: dt.datetime
    end: dt.datetime
    original_start: dt.datetime
    recurring: bool
    moved: bool
    cancelled: bool
    row_version: int

    @property
    def day(self) -> dt.date:
        return self.start.date()


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime(year, month, 1)
    end = dt.datetime(year + (month == 12), month % 12 + 1, 1)
    return start, end


def month_items(
    session: Session,
    year: int,
    month: int,
    *,
    weeks_around: bool = True,
    include_cancelled: bool = False,
) -> list[CalendarItem]:
    """Occurrences starting in the month (or in the 6-week grid shown around it)."""
    start, end = month_bounds(year, month)
    if weeks_around:
        start -= dt.timedelta(days=start.weekday())
        end = start + dt.timedelta(days=42)
    occs = occurrences_between(session, start, end, include_cancelled=include_cancelled)
    ids = sorted({o.drill_id for o in occs})
    drills = {d.id: d for d in session.scalars(select(Drill).where(Drill.id.in_(ids)))}
    return [
        CalendarItem(
            o.drill_id,
            drills[o.drill_id].code,
            drills[o.drill_id].title,
            drills[o.drill_id].status.value,
            o.start,
            o.end,
            o.original_start,
            drills[o.drill_id].rrule is not None,
            o.moved,
            o.cancelled,
            drills[o.drill_id].row_version,
        )
        for o in occs
    ]
