"""The facility audit: inspections overdue or due within a horizon, shelter capacity per
street-town against its population (target: the ``shelter_capacity_ratio`` setting), and
street-towns with no shelter."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.db.models import Facility, FacilityClass, Unit
from drillplan.facilities.register import next_due
from drillplan.kernel.vocab import FacilityKind, FacilityStatus, UnitKind, label

#: statuses whose capacity counts (a facility out of service or being built shelters nobody)
COUNTED = (FacilityStatus.IN_SERVICE, FacilityStatus.LIMITED)


@dataclass(frozen=True)
class InspectionDue:
    facility_id: int
    code: str
    name: str
    street: str
    last_inspected_on: dt.date | None
    next_due: dt.date | None  # None: never inspected
    days_overdue: int  # > 0 overdue, <= 0 due in -days_overdue days
    overdue: bool

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass(frozen=True)
class StreetCapacity:
    unit_id: int
    code: str
    name: str
    population: int | None
    shelters: int
    capacity: int
    ratio: float | None  # capacity / population
    target_ratio: float
    coverage: float | None  # min(capacity / (population x target), 1)
    problem: str  # "", "no_shelter", "below_target", "no_population"

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass
class FacilityAudit:
    as_of: dt.date
    horizon: int
    target_ratio: float
    inspections: list[InspectionDue] = field(default_factory=list)
    streets: list[StreetCapacity] = field(default_factory=list)

    @property
    def overdue(self) -> list[InspectionDue]:
        return [i for i in self.inspections if i.overdue]

    @property
    def due_soon(self) -> list[InspectionDue]:
        return [i for i in self.inspections if not i.overdue]

    @property
    def street_findings(self) -> list[StreetCapacity]:
        return [s for s in self.streets if s.problem in ("no_shelter", "below_target")]

    @property
    def findings(self) -> int:
        return len(self.overdue) + len(self.street_findings)

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of,
            "horizon": self.horizon,
            "target_ratio": self.target_ratio,
            "findings": self.findings,
            "overdue": [i.as_dict() for i in self.overdue],
            "due_soon": [i.as_dict() for i in self.due_soon],
            "streets": [s.as_dict() for s in self.streets],
        }


def inspections_due(session: Session, *, as_of: dt.date, horizon: int = 30) -> list[InspectionDue]:
    """Facilities in service whose inspection is overdue (or never done), then those due
    within ``horizon`` days, most overdue first."""
    out = []
    rows = session.execute(
        select(Facility, Unit.name)
        .join(Unit, Unit.id == Facility.street_unit_id)
        .where(Facility.status.in_(COUNTED))
        .order_by(Facility.code)
    )
    default = int(settings.get(session, "facility_inspection_days"))
    for facility, street in rows:
        due = next_due(facility, facility.inspection_days or default)
        days = (as_of - due).days if due is not None else 10**6
        if due is None or days > 0 or days >= -horizon:
            out.append(
                InspectionDue(
                    facility.id, facility.code, facility.name, street,
                    facility.last_inspected_on, due,
                    days if due is not None else 0, due is None or days > 0,
                )
            )  # fmt: skip
    out.sort(key=lambda i: (not i.overdue, i.next_due or dt.date.min, i.code))
    return out


def sheltering_capacity(session: Session) -> dict[int, tuple[int, int]]:
    """Street-town unit id -> (shelters counted, people they take): shelters and shelter
    points in service, and dual-use facilities whose emergency use is sheltering."""
    from drillplan.kernel.vocab import EmergencyUse

    rows = session.execute(
        select(Facility.street_unit_id, Facility.capacity_people, FacilityClass.kind,
               Facility.emergency_use)
        .join(FacilityClass, FacilityClass.id == Facility.class_id)
        .where(Facility.status.in_(COUNTED))
    )  # fmt: skip
    out: dict[int, tuple[int, int]] = {}
    for unit_id, people, kind, use in rows:
        if kind == FacilityKind.DUAL_USE and use != EmergencyUse.SHELTERING:
            continue
        n, cap = out.get(unit_id, (0, 0))
        out[unit_id] = (n + 1, cap + (people or 0))
    return out


def street_capacity(session: Session) -> list[StreetCapacity]:
    target = float(settings.get(session, "shelter_capacity_ratio"))
    counted = sheltering_capacity(session)
    out = []
    for unit in session.scalars(
        select(Unit).where(Unit.kind == UnitKind.STREET_TOWN).order_by(Unit.code)
    ):
        n, cap = counted.get(unit.id, (0, 0))
        pop = unit.population
        ratio = cap / pop if pop else None
        coverage = min(cap / (pop * target), 1.0) if pop else None
        if n == 0:
            problem = "no_shelter"
        elif not pop:
            problem = "no_population"
        elif cap < pop * target:
            problem = "below_target"
        else:
            problem = ""
        out.append(
            StreetCapacity(unit.id, unit.code, unit.name, pop, n, cap,
                           None if ratio is None else round(ratio, 4), target,
                           None if coverage is None else round(coverage, 4), problem)
        )  # fmt: skip
    return out


def audit(session: Session, *, as_of: dt.date, horizon: int = 30) -> FacilityAudit:
    result = FacilityAudit(as_of, horizon, float(settings.get(session, "shelter_capacity_ratio")))
    result.inspections = inspections_due(session, as_of=as_of, horizon=horizon)
    result.streets = street_capacity(session)
    return result


PROBLEM_TEXT = {
    "no_shelter": ("无避难场所", "no shelter"),
    "below_target": ("容量低于目标", "below target"),
    "no_population": ("未填常住人口", "population not set"),
    "": ("达标", "meets target"),
}


def problem_label(problem: str, lang: str = "zh") -> str:
    zh, en = PROBLEM_TEXT.get(problem, (problem, problem))
    return zh if lang == "zh" else en


def kind_label(kind: FacilityKind, lang: str = "zh") -> str:
    return label(kind, lang)
