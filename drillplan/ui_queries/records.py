"""The current values of one row, for an edit dialog (with the row_version it was read at)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.base import Base
from drillplan.db.models import (
    Certificate,
    Competition,
    Depot,
    Drill,
    Material,
    Member,
    Plan,
    PlanDocument,
    Team,
    Unit,
)
from drillplan.drills.editing import EDITABLE_FIELDS as DRILL_FIELDS
from drillplan.drills.editing import TRANSITIONS as DRILL_TRANSITIONS
from drillplan.kernel.errors import NotFound
from drillplan.kernel.vocab import DrillStatus
from drillplan.org.teams import CERTIFICATE_FIELDS, MEMBER_FIELDS, TEAM_FIELDS
from drillplan.org.units import UNIT_FIELDS
from drillplan.plans.lifecycle import allowed_transitions
from drillplan.plans.register import EDITABLE_FIELDS as PLAN_FIELDS
from drillplan.stock.catalogue import DEPOT_FIELDS, MATERIAL_FIELDS


def _plain(value: Any) -> Any:
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, list):
        return list(value)
    return value


def _values(
    session: Session, model: type[Base], row_id: int, fields: tuple[str, ...] | frozenset[str]
) -> dict[str, Any]:
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(f"{model.__tablename__} {row_id} 不存在 (no {model.__tablename__} {row_id})")
    out = {name: _plain(getattr(row, name)) for name in sorted(fields)}
    if hasattr(row, "row_version"):
        out["row_version"] = row.row_version
    return out


def plan(session: Session, plan_id: int) -> dict[str, Any]:
    return _values(session, Plan, plan_id, PLAN_FIELDS)


def team(session: Session, team_id: int) -> dict[str, Any]:
    return _values(session, Team, team_id, TEAM_FIELDS)


def member(session: Session, member_id: int) -> dict[str, Any]:
    return _values(session, Member, member_id, MEMBER_FIELDS)


def certificate(session: Session, certificate_id: int) -> dict[str, Any]:
    return _values(session, Certificate, certificate_id, CERTIFICATE_FIELDS)


def depot(session: Session, depot_id: int) -> dict[str, Any]:
    return _values(session, Depot, depot_id, DEPOT_FIELDS)


def material(session: Session, material_id: int) -> dict[str, Any]:
    return _values(session, Material, material_id, MATERIAL_FIELDS)


def unit(session: Session, unit_id: int) -> dict[str, Any]:
    return _values(session, Unit, unit_id, UNIT_FIELDS)


def drill(session: Session, drill_id: int) -> dict[str, Any]:
    out = _values(session, Drill, drill_id, tuple(DRILL_FIELDS))
    row = session.get_one(Drill, drill_id)
    out["plan_ids"] = [p.id for p in row.plans]
    out["team_ids"] = [p.team_id for p in row.participants if p.team_id is not None]
    out["participants"] = [
        {"team_id": p.team_id, "unit_id": p.unit_id, "role": p.role} for p in row.participants
    ]
    out["status"] = row.status.value
    return out


def competition(session: Session, competition_id: int) -> dict[str, Any]:
    return _values(session, Competition, competition_id, ("year", "title", "held_on", "venue"))


@dataclass(frozen=True)
class PlanState:
    plan_id: int
    code: str
    title: str
    status: str
    version: str
    row_version: int
    allowed: tuple[str, ...]  # the statuses it may move to


def plan_state(session: Session, plan_id: int) -> PlanState:
    row = session.get(Plan, plan_id)
    if row is None:
        raise NotFound(f"预案 {plan_id} 不存在 (no plan {plan_id})")
    return PlanState(
        row.id,
        row.code,
        row.title,
        row.status.value,
        row.current_version,
        row.row_version,
        tuple(s.value for s in allowed_transitions(row.status)),
    )


@dataclass(frozen=True)
class DrillState:
    drill_id: int
    code: str
    title: str
    status: str
    row_version: int
    starts_at: dt.datetime
    rrule: str | None
    allowed: tuple[str, ...]


def drill_state(session: Session, drill_id: int) -> DrillState:
    row = session.get(Drill, drill_id)
    if row is None:
        raise NotFound(f"演练 {drill_id} 不存在 (no drill {drill_id})")
    allowed = tuple(s.value for s in DrillStatus if s in DRILL_TRANSITIONS[row.status])
    return DrillState(
        row.id,
        row.code,
        row.title,
        row.status.value,
        row.row_version,
        row.starts_at,
        row.rrule,
        allowed,
    )


@dataclass(frozen=True)
class Document:
    document_id: int
    title: str
    path: str
    added_on: dt.date


def documents(session: Session, plan_id: int) -> list[Document]:
    rows = session.scalars(
        select(PlanDocument).where(PlanDocument.plan_id == plan_id).order_by(PlanDocument.id)
    )
    return [Document(d.id, d.title, d.path, d.added_on) for d in rows]


def number_text(value: Decimal | None) -> str:
    return "" if value is None else f"{Decimal(value).normalize():f}"
