"""The database itself rejects rows that break an invariant (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError, StatementError
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import (
    Certificate,
    CorrectiveAction,
    Finding,
    Holder,
    Lot,
    Member,
    Movement,
    Quota,
)
from drillplan.kernel.vocab import ActionStatus, HolderKind, MovementKind
from tests import factories as f


def _base(session: Session) -> dict:
    u = f.unit(session)
    m = f.material(session)
    d, h = f.depot(session, u)
    lot = f.lot(session, m, h)
    return {"unit": u, "material": m, "depot": d, "holder": h, "lot": lot}


def _rejected(db: Database, build: Callable[[Session, dict], None]) -> None:
    """``build`` must be refused by the database, and nothing of it may remain."""
    with db.sessions() as session:
        base = _base(session)
        session.commit()
        lots_before = session.scalar(select(func.count()).select_from(Lot))
        with pytest.raises((IntegrityError, StatementError)):
            build(session, base)
            session.flush()
        session.rollback()
        assert session.scalar(select(func.count()).select_from(Lot)) == lots_before


def test_valid_rows_are_accepted(db: Database) -> None:
    with db.session() as session:
        base = _base(session)
        f.movement(session, base["lot"], 10)
        base["lot"].on_hand = Decimal(10)
    with db.sessions() as session:
        assert session.scalar(select(func.sum(Movement.quantity))) == Decimal(10)


def test_negative_on_hand(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        base["lot"].on_hand = Decimal(-1)

    _rejected(db, build)


def test_negative_quota(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        session.add(
            Quota(depot_id=base["depot"].id, material_id=base["material"].id, required_qty=-5)
        )

    _rejected(db, build)


def test_expiry_before_production(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        f.lot(
            session,
            base["material"],
            base["holder"],
            batch="B2",
            production_date=dt.date(2024, 5, 1),
            expiry_date=dt.date(2024, 4, 30),
        )

    _rejected(db, build)


def test_certificate_expiring_before_issue(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        team = f.team(session, base["unit"])
        member = Member(team_id=team.id, name="张三")
        session.add(member)
        session.flush()
        session.add(
            Certificate(
                member_id=member.id,
                cert_type="应急救援员",
                number="X1",
                issued_on=dt.date(2024, 1, 1),
                expires_on=dt.date(2023, 1, 1),
            )
        )

    _rejected(db, build)


def test_drill_end_before_start(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        f.drill(
            session,
            base["unit"],
            starts_at=dt.datetime(2025, 5, 20, 9),
            ends_at=dt.datetime(2025, 5, 20, 8),
        )

    _rejected(db, build)


def test_duplicate_batch_per_material_and_holder(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        f.lot(session, base["material"], base["holder"], batch="B1")

    _rejected(db, build)


def test_same_batch_at_another_holder_is_fine(db: Database) -> None:
    with db.session() as session:
        base = _base(session)
        _, other = f.depot(session, base["unit"], code="D2")
        f.lot(session, base["material"], other, batch="B1")
    with db.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Lot)) == 2


def test_dangling_foreign_key(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        f.movement(session, base["lot"], 5)
        session.execute(text("UPDATE movement SET lot_id = 999999"))

    _rejected(db, build)


def test_dangling_holder_reference(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        session.add(Lot(material_id=base["material"].id, holder_id=424242, batch_no="X", on_hand=0))

    _rejected(db, build)


def test_holder_must_name_exactly_one(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        session.add(Holder(kind=HolderKind.TEAM, depot_id=base["depot"].id))

    _rejected(db, build)


def test_movement_sign_must_match_kind(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        f.movement(session, base["lot"], 5, kind=MovementKind.ISSUE)

    _rejected(db, build)


def test_zero_movement(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        f.movement(session, base["lot"], 0, kind=MovementKind.ADJUSTMENT)

    _rejected(db, build)


def test_unknown_enum_value(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        session.execute(text("UPDATE depot SET tier = 'galactic'"))

    _rejected(db, build)


def test_closed_action_needs_closing_date(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        drill = f.drill(session, base["unit"])
        finding = Finding(drill_id=drill.id, seq=1, description="通信不畅")
        session.add(finding)
        session.flush()
        session.add(
            CorrectiveAction(
                finding_id=finding.id,
                action="配备对讲机",
                owner_unit_id=base["unit"].id,
                due_on=dt.date(2025, 8, 1),
                status=ActionStatus.CLOSED,
            )
        )

    _rejected(db, build)


def test_duplicate_unit_code(db: Database) -> None:
    def build(session: Session, base: dict) -> None:
        f.unit(session, code="U1")

    _rejected(db, build)
