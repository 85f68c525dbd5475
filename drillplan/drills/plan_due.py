"""Each plan's drill due dates walked through one year (shared by conflicts and the schedule).

A plan's drill clock starts at its last drill that took place before the year (conducted or
evaluated; its end date, as :func:`drillplan.plans.rules.last_drilled` counts it) or, with no
drill, at its publication (approval) date. Walking the year in date order, each drill linked
to the plan restarts the clock: a drill already held at its end date, a drill still to be held
(planned or preparing) at each occurrence's start date, on the assumption that it happens. A
drill later than the due date it had to meet is *late*; after the last drill of the year the
plan may fall due again before the year ends (a *tail*: no drill scheduled to meet it).
Cancelled drills never count (rules ignore them, and they cannot be linked to plans), nor do
seminars and workshops (HSEEP discussion types: :data:`drillplan.plans.rules.NOT_DRILLING`),
held or scheduled: they do not exercise the plan.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Drill, Plan, drill_plan
from drillplan.drills.recurrence import occurrences_in_year
from drillplan.kernel.vocab import DrillStatus, PlanStatus
from drillplan.plans.rules import (
    DRILLED_STATUSES,
    IntervalRule,
    counts_as_drill,
    drill_due,
    drill_rule,
    exercises_plan,
)

# plans in force: the schedule proposes drills for them and a missing drill is a conflict
IN_FORCE = (PlanStatus.PUBLISHED, PlanStatus.REVISING)
SCHEDULED_STATUSES = (DrillStatus.PLANNED, DrillStatus.PREPARING)


@dataclass(frozen=True)
class DrillEvent:
    on: dt.date
    drill_id: int
    drill_code: str
    held: bool  # True: conducted/evaluated; False: planned/preparing (still to happen)


@dataclass(frozen=True)
class Gap:
    """A due date the plan's drills miss: ``late`` names the drill that comes too late."""

    due: dt.date
    last: dt.date | None  # the drill the clock counts from (None: the publication date)
    last_code: str | None
    late: DrillEvent | None  # None: no drill scheduled after ``last`` in the year


@dataclass
class PlanYear:
    plan: Plan
    rule: IntervalRule
    last_before: dt.date | None
    last_before_code: str | None
    events: list[DrillEvent] = field(default_factory=list)

    @property
    def scheduled(self) -> list[DrillEvent]:
        return [e for e in self.events if not e.held]

    def gaps(self, year: int) -> list[Gap]:
        """Late drills of the year, then the tail gap if the plan falls due again by Dec 31."""
        year_end = dt.date(year, 12, 31)
        last, last_code = self.last_before, self.last_before_code
        out: list[Gap] = []
        for event in self.events:
            due = drill_due(self.plan, last)
            if due is not None and event.on > due and not event.held:
                out.append(Gap(due, last, last_code, event))
            last, last_code = event.on, event.drill_code
        due = drill_due(self.plan, last)
        if due is not None and due <= year_end:
            out.append(Gap(due, last, last_code, None))
        return out

    def last_in_year(self) -> tuple[dt.date | None, str | None]:
        if self.events:
            return self.events[-1].on, self.events[-1].drill_code
        return self.last_before, self.last_before_code


def plan_years(session: Session, year: int, *, plan_ids: list[int] | None = None) -> list[PlanYear]:
    """Every non-abolished plan with its drill history up to the year and its drills in it."""
    year_start = dt.datetime(year, 1, 1)
    year_end = dt.datetime(year + 1, 1, 1)
    stmt = select(Plan).where(Plan.status != PlanStatus.ABOLISHED).order_by(Plan.code)
    if plan_ids is not None:
        stmt = stmt.where(Plan.id.in_(plan_ids))
    plans = list(session.scalars(stmt))
    by_plan: dict[int, PlanYear] = {p.id: PlanYear(p, drill_rule(p), None, None) for p in plans}
    if not by_plan:
        return []

    # drills that took place: the last one before the year, and those in the year
    held = session.execute(
        select(drill_plan.c.plan_id, Drill.id, Drill.code, Drill.ends_at)
        .join(Drill, Drill.id == drill_plan.c.drill_id)
        .where(Drill.status.in_(DRILLED_STATUSES), Drill.ends_at < year_end, counts_as_drill())
        .where(drill_plan.c.plan_id.in_(list(by_plan)))
        .order_by(Drill.ends_at, Drill.code)
    )
    events: dict[int, list[DrillEvent]] = defaultdict(list)
    for plan_id, drill_id, code, ended in held:
        py = by_plan[plan_id]
        if ended < year_start:
            py.last_before, py.last_before_code = ended.date(), code
        else:
            events[plan_id].append(DrillEvent(ended.date(), drill_id, code, True))

    # drills still to happen: each occurrence in the year
    occs = occurrences_in_year(session, year)
    ids = sorted({o.drill_id for o in occs})
    drills = {
        d.id: d
        for d in session.scalars(
            select(Drill).where(Drill.id.in_(ids), Drill.status.in_(SCHEDULED_STATUSES))
        )
    }
    for occ in occs:
        drill = drills.get(occ.drill_id)
        if drill is None or not exercises_plan(drill.hseep_type):
            continue
        for plan in drill.plans:
            if plan.id in by_plan:
                events[plan.id].append(DrillEvent(occ.on, drill.id, drill.code, False))
    for plan_id, found in events.items():
        by_plan[plan_id].events = sorted(found, key=lambda e: (e.on, not e.held, e.drill_code))
    return [by_plan[p.id] for p in plans]
