"""Data scopes: the units below a unit, and which unit owns each row.

A user belongs to a unit and may edit the rows owned by that unit and by every unit below
it (``Unit.parent_id``). Each table is one of:

- *scoped*: owned by a unit, directly (``Plan``, ``Team``, ``Depot``, ``Drill``) or through
  its parent row (a lot through its holder's depot or team, a finding through its drill ...);
- *district-level* reference data without an owning unit (material catalogue, tier quotas,
  holidays, competitions): administrators and district-level editors;
- *admin-only*: units, user accounts, settings;
- the audit log: anyone may append, nobody may change or delete.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from enum import StrEnum
from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from drillplan.db.models import (
    AllocationLine,
    AllocationRequest,
    AuditLog,
    CapacityReserve,
    Certificate,
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    Contact,
    CorrectiveAction,
    Depot,
    Drill,
    DrillOccurrenceMove,
    DrillParticipant,
    DutyOfficer,
    DutyShift,
    Facility,
    FacilityClass,
    FacilityInspection,
    Finding,
    Hazard,
    HazardMaterialLine,
    HazardPlan,
    HazardTeamLine,
    Holder,
    Holiday,
    Lot,
    Material,
    Member,
    Movement,
    Plan,
    PlanDocument,
    PlanEvaluation,
    PlanRevision,
    PlanStatusChange,
    Quota,
    Reservation,
    Setting,
    ShiftKind,
    Team,
    TierQuota,
    TrainingEvent,
    Unit,
    User,
)
from drillplan.kernel.vocab import Tier, UnitKind


class Level(StrEnum):
    SCOPED = "scoped"
    DISTRICT = "district"
    ADMIN = "admin"
    APPEND_ONLY = "append_only"


#: rows owned directly by a unit column
DIRECT_OWNER: dict[type, str] = {
    Plan: "owner_unit_id",
    Team: "owner_unit_id",
    Depot: "owner_unit_id",
    Drill: "organiser_unit_id",
    Contact: "scope_unit_id",
    Facility: "unit_in_charge_id",
    TrainingEvent: "organiser_unit_id",
}
#: rows owned through a parent row: (foreign key attribute, relationship attribute, parent)
PARENT: dict[type, tuple[str, str | None, type]] = {
    Member: ("team_id", "team", Team),
    Certificate: ("member_id", "member", Member),
    Lot: ("holder_id", "holder", Holder),
    Movement: ("lot_id", "lot", Lot),
    Quota: ("depot_id", None, Depot),
    DrillParticipant: ("drill_id", "drill", Drill),
    DrillOccurrenceMove: ("drill_id", None, Drill),
    Finding: ("drill_id", "drill", Drill),
    CorrectiveAction: ("finding_id", "finding", Finding),
    PlanRevision: ("plan_id", "plan", Plan),
    PlanStatusChange: ("plan_id", None, Plan),
    PlanEvaluation: ("plan_id", "plan", Plan),
    PlanDocument: ("plan_id", None, Plan),
    AllocationLine: ("request_id", "request", AllocationRequest),
    Reservation: ("line_id", "line", AllocationLine),
    FacilityInspection: ("facility_id", "facility", Facility),
}
DISTRICT_LEVEL: frozenset[type] = frozenset(
    {Material, TierQuota, Holiday, Competition, CompetitionEvent, CompetitionEntry, FacilityClass}
    | {CapacityReserve}  # a district-wide promise (产能储备), like the catalogue
    | {ShiftKind, DutyShift, DutyOfficer}  # the district office's duty roster
    | {Hazard, HazardPlan, HazardTeamLine, HazardMaterialLine}  # the response matrix
)
ADMIN_ONLY: frozenset[type] = frozenset({Unit, User, Setting})


def level_of(model: type) -> Level:
    if model is AuditLog:
        return Level.APPEND_ONLY
    if model in ADMIN_ONLY:
        return Level.ADMIN
    if model in DISTRICT_LEVEL:
        return Level.DISTRICT
    if model in DIRECT_OWNER or model in PARENT or model in (Holder, AllocationRequest):
        return Level.SCOPED
    return Level.ADMIN  # a table nobody classified yet: the safe default


# ----------------------------------------------------------------------------- unit tree


def units_in_scope(session: Session, unit_id: int | None) -> frozenset[int]:
    """``unit_id`` and every unit below it (empty for no unit)."""
    if unit_id is None:
        return frozenset()
    children: dict[int, list[int]] = defaultdict(list)
    for uid, parent in session.execute(select(Unit.id, Unit.parent_id)):
        if parent is not None:
            children[parent].append(uid)
    seen: set[int] = set()
    todo = [unit_id]
    while todo:
        uid = todo.pop()
        if uid in seen:
            continue
        seen.add(uid)
        todo.extend(children.get(uid, ()))
    return frozenset(seen)


def is_district_level(unit: Unit | None) -> bool:
    """A government body or department of district tier or above."""
    return (
        unit is not None
        and unit.kind in (UnitKind.GOVERNMENT, UnitKind.DEPARTMENT)
        and unit.tier in (Tier.CITY, Tier.DISTRICT)
    )


def unit_names(session: Session, unit_ids: Iterable[int]) -> str:
    names = []
    for uid in sorted(set(unit_ids)):
        unit = session.get(Unit, uid)
        names.append(unit.name if unit is not None else f"#{uid}")
    return "、".join(names) or "（无）"


# ----------------------------------------------------------------------------- owners


def _value(session: Session, obj: Any, key: str, previous: bool) -> Any:
    """An attribute's value now, or before the changes pending in this session."""
    if not previous:
        return getattr(obj, key)
    state = inspect(obj)
    history = state.attrs[key].history
    if not history.has_changes():
        return getattr(obj, key)
    if history.deleted:
        return history.deleted[0]
    if state.key is None:  # a new row has no previous value
        return None
    # changed without the old value loaded: read it from the database
    mapper = state.mapper
    pk = mapper.primary_key[0]
    column = mapper.attrs[key].columns[0]
    return session.execute(select(column).where(pk == state.identity[0])).scalar()


def _parent(session: Session, obj: Any, spec: tuple[str, str | None, type], previous: bool) -> Any:
    fk, rel, model = spec
    state = inspect(obj)
    if not previous and rel is not None and not state.attrs[fk].history.added:
        related = state.dict.get(rel)
        if related is not None:
            return related
    value = _value(session, obj, fk, previous)
    return None if value is None else session.get(model, value)


def owner_units(session: Session, obj: Any, *, previous: bool = False) -> frozenset[int]:
    """The units owning ``obj`` (any of them grants access); ``previous``: before this
    session's pending changes (a row moved to another unit must be in scope on both sides).

    Empty for rows that are not scoped (see :func:`level_of`) or whose owner is unknown.
    """
    model = type(obj)
    if model in DIRECT_OWNER:
        value = _value(session, obj, DIRECT_OWNER[model], previous)
        return frozenset() if value is None else frozenset({int(value)})
    if model is Holder:
        units: frozenset[int] = frozenset()
        for spec in (("depot_id", "depot", Depot), ("team_id", "team", Team)):
            parent = _parent(session, obj, spec, previous)
            if parent is not None:
                units |= owner_units(session, parent)
        return units
    if model is AllocationRequest:  # both sides: the requester and the holder asked
        units = frozenset()
        for key in ("requester_holder_id", "holder_id"):
            holder_id = _value(session, obj, key, previous)
            holder = None if holder_id is None else session.get(Holder, holder_id)
            if holder is not None:
                units |= owner_units(session, holder)
        return units
    if model in PARENT:
        parent = _parent(session, obj, PARENT[model], previous)
        units = frozenset() if parent is None else owner_units(session, parent)
        if model is CorrectiveAction:  # the unit that must fix it may update it too
            own = _value(session, obj, "owner_unit_id", previous)
            if own is not None:
                units |= {int(own)}
        return units
    return frozenset()
