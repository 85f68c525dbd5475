"""The readiness component ``facilities``: facilities inspected on time, and shelter capacity
per street-town against its population.

Facts (one unit each, :mod:`drillplan.readiness.facts`):

- each facility in service (可用 / 部分可用): good when its inspection is not overdue (a
  facility never inspected is overdue);
- each street-town with a population: good by ``min(capacity / (population x ratio), 1)``,
  ``ratio`` the ``shelter_capacity_ratio`` setting (a street-town with no shelter: 0).

With no facility at all the component has no facts, so it does not change any score.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.db.models import Facility, Unit
from drillplan.facilities.audit import COUNTED, sheltering_capacity
from drillplan.kernel.vocab import UnitKind
from drillplan.readiness.facts import Fact

ONE, ZERO = Decimal(1), Decimal(0)
COMPONENT = "facilities"


def facility_facts(session: Session, *, as_of: dt.date) -> Iterator[Fact]:
    if not session.scalar(select(func.count(Facility.id))):
        return
    default = int(settings.get(session, "facility_inspection_days"))
    for row in session.scalars(
        select(Facility).where(Facility.status.in_(COUNTED)).order_by(Facility.id)
    ):
        last = row.last_inspected_on
        due = last + dt.timedelta(days=row.inspection_days or default) if last else None
        if due is None:
            problem = "从未巡查"
        elif due < as_of:
            problem = f"巡查已逾期 {(as_of - due).days} 天（应于 {due} 前）"
        else:
            problem = ""
        yield Fact(COMPONENT, "facility", row.id, f"{row.name} 巡查", ONE,
                   ZERO if problem else ONE, problem)  # fmt: skip
    ratio = Decimal(str(settings.get(session, "shelter_capacity_ratio")))
    counted = sheltering_capacity(session)
    streets = session.scalars(
        select(Unit).where(Unit.kind == UnitKind.STREET_TOWN, Unit.population > 0).order_by(Unit.id)
    )
    for unit in streets:
        _n, capacity = counted.get(unit.id, (0, 0))
        target = Decimal(unit.population or 0) * ratio
        good = min(Decimal(capacity) / target, ONE) if target > 0 else ONE
        problem = (
            f"避难容量 {capacity} 人，目标 {int(target)} 人（常住人口 {unit.population} 人）"
            if good < ONE
            else ""
        )
        yield Fact(COMPONENT, "unit", unit.id, f"{unit.name} 避难容量", ONE, good, problem)
