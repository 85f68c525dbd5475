"""A small district for the shared-mode tests: units, depots with stock, and one user per role.

District government D (310118) with a department (YJJ) and two streets (S1, S2); each street
keeps a depot holding a lot of life jackets; users: admin, district (editor of D), keeper1
(editor of S1), yjj (editor of the department), viewer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from drillplan.auth import users
from drillplan.auth.context import Actor
from drillplan.auth.users import actor_for, get_user
from drillplan.db.database import Database
from drillplan.kernel.vocab import Tier, UnitKind
from drillplan.stock import ledger
from tests import factories as f

TODAY = dt.date(2025, 6, 1)
PASSWORDS = {
    "admin": "admin-secret-1",
    "district": "district-secret-1",
    "keeper1": "keeper-secret-1",
    "yjj": "yjj-secret-1",
    "viewer": "viewer-secret-1",
}


@dataclass(frozen=True)
class Org:
    district: int
    yjj: int
    s1: int
    s2: int
    material: int
    depot1: int
    depot2: int
    holder1: int
    holder2: int
    lot1: int
    lot2: int


def build_org(db: Database) -> Org:
    """Units, two street depots with 100 life jackets each, and the users (committed)."""
    with db.session() as session:
        d = f.unit(session, "310118", kind=UnitKind.GOVERNMENT, tier=Tier.DISTRICT)
        yjj = f.unit(session, "310118-YJJ", parent_id=d.id)
        s1 = f.unit(
            session, "310118001", parent_id=d.id, kind=UnitKind.STREET_TOWN, tier=Tier.STREET
        )
        s2 = f.unit(
            session, "310118002", parent_id=d.id, kind=UnitKind.STREET_TOWN, tier=Tier.STREET
        )
        m = f.material(session)
        dep1, h1 = f.depot(session, s1, code="D-S1")
        dep2, h2 = f.depot(session, s2, code="D-S2")
        lots = []
        for holder in (h1, h2):
            changes = ledger.receive(
                session,
                holder_id=holder.id,
                material_id=m.id,
                quantity=100,
                on=dt.date(2025, 5, 1),
                batch_no="LJ-1",
                expiry_date=dt.date(2030, 1, 1),
                today=TODAY,
            )
            lots.append(changes.movements[0].lot_id)
        for name, role, unit in (
            ("admin", "admin", None),
            ("district", "editor", d.id),
            ("keeper1", "editor", s1.id),
            ("yjj", "editor", yjj.id),
            ("viewer", "viewer", s1.id),
        ):
            users.create_user(
                session, username=name, password=PASSWORDS[name], role=role, unit_id=unit
            )
        return Org(d.id, yjj.id, s1.id, s2.id, m.id, dep1.id, dep2.id, h1.id, h2.id, *lots)


def actor(session: Session, username: str) -> Actor:
    return actor_for(session, get_user(session, username))


def actor_of(db: Database, username: str) -> Actor:
    with db.session() as session:
        return actor(session, username)
