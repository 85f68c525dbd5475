"""Small builders of valid rows for tests (each test changes one thing to make it invalid)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from drillplan.db.models import Depot, Drill, Holder, Lot, Material, Movement, Team, Unit
from drillplan.kernel.vocab import (
    DepotTier,
    DrillForm,
    DrillScope,
    HolderKind,
    MovementKind,
    TeamKind,
    Tier,
    UnitKind,
)


def unit(session: Session, code: str = "U1", **kw: Any) -> Unit:
    row = Unit(
        code=code,
        name=kw.pop("name", f"单位{code}"),
        kind=kw.pop("kind", UnitKind.DEPARTMENT),
        tier=kw.pop("tier", Tier.DISTRICT),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def material(session: Session, code: str = "2010101", **kw: Any) -> Material:
    row = Material(
        code=code,
        name=kw.pop("name", "救生衣"),
        uom=kw.pop("uom", "件"),
        shelf_life_days=kw.pop("shelf_life_days", 1825),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def depot(session: Session, owner: Unit, code: str = "D1", **kw: Any) -> tuple[Depot, Holder]:
    row = Depot(
        code=code,
        name=kw.pop("name", f"仓库{code}"),
        tier=kw.pop("tier", DepotTier.DISTRICT),
        owner_unit_id=owner.id,
        **kw,
    )
    session.add(row)
    session.flush()
    holder = Holder(kind=HolderKind.DEPOT, depot_id=row.id)
    session.add(holder)
    session.flush()
    return row, holder


def team(session: Session, owner: Unit, code: str = "T1", **kw: Any) -> Team:
    row = Team(
        code=code,
        name=kw.pop("name", f"队伍{code}"),
        kind=kw.pop("kind", TeamKind.PROFESSIONAL),
        owner_unit_id=owner.id,
        tier=kw.pop("tier", Tier.DISTRICT),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def lot(session: Session, mat: Material, holder: Holder, batch: str = "B1", **kw: Any) -> Lot:
    row = Lot(
        material_id=mat.id,
        holder_id=holder.id,
        batch_no=batch,
        production_date=kw.pop("production_date", dt.date(2024, 1, 1)),
        expiry_date=kw.pop("expiry_date", dt.date(2029, 1, 1)),
        on_hand=kw.pop("on_hand", Decimal(0)),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def movement(session: Session, the_lot: Lot, quantity: str | int, **kw: Any) -> Movement:
    row = Movement(
        lot_id=the_lot.id,
        kind=kw.pop("kind", MovementKind.RECEIPT),
        quantity=Decimal(str(quantity)),
        moved_on=kw.pop("moved_on", dt.date(2024, 2, 1)),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def drill(session: Session, organiser: Unit, code: str = "DR1", **kw: Any) -> Drill:
    row = Drill(
        code=code,
        title=kw.pop("title", "防汛演练"),
        form=kw.pop("form", DrillForm.LIVE),
        scope=kw.pop("scope", DrillScope.SINGLE),
        organiser_unit_id=organiser.id,
        starts_at=kw.pop("starts_at", dt.datetime(2025, 5, 20, 9, 0)),
        ends_at=kw.pop("ends_at", dt.datetime(2025, 5, 20, 11, 0)),
        **kw,
    )
    session.add(row)
    session.flush()
    return row
