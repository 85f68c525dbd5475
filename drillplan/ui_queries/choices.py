"""Choices offered by the forms: units, teams, holders, materials, lots, drills ..."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import (
    Competition,
    CompetitionEvent,
    Depot,
    Drill,
    Holder,
    Lot,
    Material,
    Member,
    Plan,
    Team,
    Unit,
)
from drillplan.kernel.vocab import DrillStatus, HolderKind, PlanStatus

Choice = tuple[int, str]


def units(session: Session) -> list[Choice]:
    rows = session.execute(select(Unit.id, Unit.name, Unit.code).order_by(Unit.tier, Unit.code))
    return [(r.id, r.name) for r in rows]


def plans(session: Session, *, in_force_only: bool = False) -> list[Choice]:
    stmt = select(Plan.id, Plan.code, Plan.title).order_by(Plan.code)
    if in_force_only:
        stmt = stmt.where(Plan.status != PlanStatus.ABOLISHED)
    return [(r.id, f"{r.code} {r.title}") for r in session.execute(stmt)]


def teams(session: Session) -> list[Choice]:
    rows = session.execute(select(Team.id, Team.code, Team.name).order_by(Team.code))
    return [(r.id, f"{r.code} {r.name}") for r in rows]


def team_members(session: Session, team_id: int) -> list[str]:
    """Names of a team's active members (for individual competition events)."""
    rows = session.scalars(
        select(Member.name)
        .where(Member.team_id == team_id, Member.active.is_(True))
        .order_by(Member.id)
    )
    return list(rows)


def holders(session: Session) -> list[Choice]:
    """Every stock holder: depots first (by code), then teams."""
    depots = session.execute(
        select(Holder.id, Depot.code, Depot.name)
        .join(Depot, Holder.depot_id == Depot.id)
        .order_by(Depot.code)
    )
    team_rows = session.execute(
        select(Holder.id, Team.code, Team.name)
        .join(Team, Holder.team_id == Team.id)
        .where(Holder.kind == HolderKind.TEAM)
        .order_by(Team.code)
    )
    return [(r.id, f"{r.code} {r.name}") for r in [*depots, *team_rows]]


def holder_of_depot(session: Session, depot_id: int) -> int | None:
    return session.scalar(select(Holder.id).where(Holder.depot_id == depot_id))


def materials(session: Session) -> list[Choice]:
    rows = session.execute(
        select(Material.id, Material.code, Material.name, Material.uom).order_by(Material.code)
    )
    return [(r.id, f"{r.code} {r.name}（{r.uom}）") for r in rows]


def materials_at(session: Session, holder_id: int) -> list[Choice]:
    """Materials the holder has in stock."""
    rows = session.execute(
        select(Material.id, Material.code, Material.name, Material.uom, func.sum(Lot.on_hand))
        .join(Lot, Lot.material_id == Material.id)
        .where(Lot.holder_id == holder_id, Lot.on_hand > 0)
        .group_by(Material.id, Material.code, Material.name, Material.uom)
        .order_by(Material.code)
    )
    return [(r[0], f"{r[1]} {r[2]}（{r[4].normalize():f} {r[3]}）") for r in rows]


@dataclass(frozen=True)
class LotLine:
    lot_id: int
    material: str
    batch_no: str
    on_hand: Decimal
    uom: str
    expiry_date: dt.date | None
    row_version: int


def lots_at(session: Session, holder_id: int, *, in_stock_only: bool = False) -> list[LotLine]:
    stmt = (
        select(Lot, Material.code, Material.name, Material.uom)
        .join(Material, Lot.material_id == Material.id)
        .where(Lot.holder_id == holder_id)
        .order_by(Material.code, Lot.expiry_date, Lot.batch_no)
    )
    if in_stock_only:
        stmt = stmt.where(Lot.on_hand > 0)
    return [
        LotLine(
            lot.id,
            f"{code} {name}",
            lot.batch_no,
            Decimal(lot.on_hand),
            uom,
            lot.expiry_date,
            lot.row_version,
        )
        for lot, code, name, uom in session.execute(stmt)
    ]


def lot_line(session: Session, lot_id: int) -> LotLine | None:
    row = session.execute(
        select(Lot, Material.code, Material.name, Material.uom)
        .join(Material, Lot.material_id == Material.id)
        .where(Lot.id == lot_id)
    ).first()
    if row is None:
        return None
    lot, code, name, uom = row
    return LotLine(
        lot.id,
        f"{code} {name}",
        lot.batch_no,
        Decimal(lot.on_hand),
        uom,
        lot.expiry_date,
        lot.row_version,
    )


def lot_holder(session: Session, lot_id: int) -> tuple[int, int] | None:
    """(holder id, material id) of a lot."""
    row = session.execute(select(Lot.holder_id, Lot.material_id).where(Lot.id == lot_id)).first()
    return (row[0], row[1]) if row else None


def evaluated_drills(session: Session) -> list[tuple[str, str]]:
    rows = session.execute(
        select(Drill.code, Drill.title)
        .where(Drill.status == DrillStatus.EVALUATED)
        .order_by(Drill.starts_at.desc())
    )
    return [(r.code, f"{r.code} {r.title}") for r in rows]


def competitions(session: Session) -> list[Choice]:
    rows = session.execute(
        select(Competition.id, Competition.year, Competition.title).order_by(
            Competition.year.desc(), Competition.title
        )
    )
    return [(r.id, f"{r.year} {r.title}") for r in rows]


def competition_years(session: Session) -> list[int]:
    return list(session.scalars(select(Competition.year).distinct().order_by(Competition.year)))


def events(session: Session, competition_id: int) -> list[tuple[int, str, str, str]]:
    """(event id, name, kind, scoring) in programme order."""
    rows = session.execute(
        select(
            CompetitionEvent.id,
            CompetitionEvent.name,
            CompetitionEvent.kind,
            CompetitionEvent.scoring,
        )
        .where(CompetitionEvent.competition_id == competition_id)
        .order_by(CompetitionEvent.seq)
    )
    return [(r[0], r[1], str(r[2]), str(r[3])) for r in rows]
