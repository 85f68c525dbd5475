"""Ledger operations: FEFO, transfers, write-off, rotation, count, reversal, and bad input."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Lot, Movement
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import MovementKind
from drillplan.stock import ledger
from drillplan.stock.check import run_checks
from tests import factories as f

TODAY = dt.date(2025, 6, 30)
ON = dt.date(2025, 6, 1)


def _setup(session: Session) -> dict:
    u = f.unit(session)
    m = f.material(session, shelf_life_days=365)
    other = f.material(session, code="1010201", name="帐篷", uom="顶")
    _, h1 = f.depot(session, u, code="D1")
    _, h2 = f.depot(session, u, code="D2")
    return {"unit": u, "m": m, "other": other, "h1": h1, "h2": h2}


def _receive(session: Session, s: dict, batch: str, qty: int, expiry: dt.date | None) -> Lot:
    changes = ledger.receive(
        session,
        holder_id=s["h1"].id,
        material_id=s["m"].id,
        quantity=qty,
        on=dt.date(2025, 1, 10),
        batch_no=batch,
        expiry_date=expiry,
        today=TODAY,
    )
    return session.get_one(Lot, changes.movements[0].lot_id)


def _state(session: Session) -> tuple:
    """Everything an operation could change: lots, movements, audit entries."""
    lots = session.execute(select(Lot.id, Lot.on_hand).order_by(Lot.id)).all()
    moves = session.scalar(select(func.count()).select_from(Movement))
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    return (tuple(lots), moves, audits)


def test_fefo_takes_earliest_expiry_first_and_splits(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        late = _receive(session, s, "LATE", 10, dt.date(2026, 5, 1))
        early = _receive(session, s, "EARLY", 4, dt.date(2025, 9, 1))
        never = _receive(session, s, "NEVER", 10, None)
        mid = _receive(session, s, "MID", 3, dt.date(2025, 12, 1))
        changes = ledger.issue(
            session, holder_id=s["h1"].id, material_id=s["m"].id, quantity=9, on=ON, today=TODAY
        )
        taken = [(m.lot_id, m.quantity) for m in changes.movements]
        assert taken == [(early.id, Decimal(-4)), (mid.id, Decimal(-3)), (late.id, Decimal(-2))]
        assert (early.on_hand, mid.on_hand, late.on_hand, never.on_hand) == (0, 0, 8, 10)
        assert run_checks(session) == []


def test_fefo_ties_are_broken_by_batch_then_id(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        b = _receive(session, s, "B", 5, dt.date(2025, 9, 1))
        a = _receive(session, s, "A", 5, dt.date(2025, 9, 1))
        changes = ledger.issue(
            session, holder_id=s["h1"].id, material_id=s["m"].id, quantity=6, on=ON, today=TODAY
        )
        assert [m.lot_id for m in changes.movements] == [a.id, b.id]


def test_expired_lots_are_never_chosen_unless_forced(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        expired = _receive(session, s, "OLD", 5, dt.date(2025, 5, 31))
        fresh = _receive(session, s, "NEW", 5, dt.date(2026, 5, 31))
        with pytest.raises(ValidationError) as err:
            ledger.issue(
                session,
                holder_id=s["h1"].id,
                material_id=s["m"].id,
                quantity=6,
                on=ON,
                today=TODAY,
            )
        assert err.value.field == "quantity"
        with pytest.raises(ValidationError):
            ledger.issue(
                session,
                holder_id=s["h1"].id,
                material_id=s["m"].id,
                quantity=1,
                on=ON,
                lot_ids=[expired.id],
                today=TODAY,
            )
        changes = ledger.issue(
            session,
            holder_id=s["h1"].id,
            material_id=s["m"].id,
            quantity=6,
            on=ON,
            force_expired_reason="抢险急用",
            today=TODAY,
        )
        assert [m.lot_id for m in changes.movements] == [expired.id, fresh.id]
        assert "抢险急用" in (changes.movements[0].reason or "")


def test_named_lots_are_taken_in_the_order_given(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        a = _receive(session, s, "A", 5, dt.date(2025, 9, 1))
        b = _receive(session, s, "B", 5, dt.date(2026, 9, 1))
        changes = ledger.issue(
            session,
            holder_id=s["h1"].id,
            material_id=s["m"].id,
            quantity=7,
            on=ON,
            lot_ids=[b.id, a.id],
            today=TODAY,
        )
        assert [(m.lot_id, m.quantity) for m in changes.movements] == [
            (b.id, Decimal(-5)),
            (a.id, Decimal(-2)),
        ]


def test_transfer_keeps_batch_and_expiry_and_balances(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        lot = _receive(session, s, "A", 10, dt.date(2026, 1, 1))
        changes = ledger.transfer(
            session,
            from_holder_id=s["h1"].id,
            to_holder_id=s["h2"].id,
            material_id=s["m"].id,
            quantity=4,
            on=ON,
            today=TODAY,
        )
        dest = session.scalars(select(Lot).where(Lot.holder_id == s["h2"].id)).one()
        assert (dest.batch_no, dest.expiry_date, dest.on_hand) == ("A", lot.expiry_date, 4)
        assert lot.on_hand == 6
        assert {m.transfer_ref for m in changes.movements} == {changes.transfer_ref}
        total = session.scalar(select(func.sum(Lot.on_hand)).where(Lot.material_id == s["m"].id))
        assert total == 10
        # reversing one side undoes the whole transfer
        ledger.reverse(
            session, movement_id=changes.movements[0].id, on=ON, reason="调错库", today=TODAY
        )
        assert (lot.on_hand, dest.on_hand) == (10, 0)
        assert run_checks(session) == []


def test_write_off_rotation_count_and_audit_log(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        lot = _receive(session, s, "A", 10, dt.date(2025, 7, 15))
        ledger.write_off(
            session, lot_id=lot.id, quantity=2, on=ON, reason="damaged", note="鼠咬", today=TODAY
        )
        rotated = ledger.rotate(
            session,
            lot_id=lot.id,
            on=ON,
            new_batch_no="A2",
            new_production_date=dt.date(2025, 5, 1),
            today=TODAY,
        )
        kinds = [m.kind for m in rotated.movements]
        assert kinds == [MovementKind.ROTATION_OUT, MovementKind.ROTATION_IN]
        fresh = session.get_one(Lot, rotated.movements[1].lot_id)
        assert fresh.on_hand == 8 and lot.on_hand == 0
        assert fresh.expiry_date == dt.date(2026, 5, 1)  # production + shelf life
        ledger.count(session, holder_id=s["h1"].id, counted={fresh.id: "7.5"}, on=ON, today=TODAY)
        assert fresh.on_hand == Decimal("7.5")
        actions = session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
        assert actions == [
            "stock.receipt",
            "stock.write_off",
            "stock.rotation_out",
            "stock.rotation_in",  # the fresh side is logged as what it is
            "stock.adjustment",
        ]
        assert run_checks(session) == []


def test_count_with_no_difference_writes_nothing(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        lot = _receive(session, s, "A", 10, None)
        changes = ledger.count(
            session, holder_id=s["h1"].id, counted={lot.id: 10}, on=ON, today=TODAY
        )
        assert changes.movements == []


BAD_INPUTS = [
    ("issue more than on hand", "quantity", lambda s, lot: ledger.issue(
        s["session"], holder_id=s["h1"].id, material_id=s["m"].id, quantity=11, on=ON,
        today=TODAY)),
    ("zero quantity", "quantity", lambda s, lot: ledger.issue(
        s["session"], holder_id=s["h1"].id, material_id=s["m"].id, quantity=0, on=ON,
        today=TODAY)),
    ("negative quantity", "quantity", lambda s, lot: ledger.receive(
        s["session"], holder_id=s["h1"].id, material_id=s["m"].id, quantity=-3, on=ON,
        batch_no="X", today=TODAY)),
    ("not a number", "quantity", lambda s, lot: ledger.write_off(
        s["session"], lot_id=lot.id, quantity="十", on=ON, reason="lost", today=TODAY)),
    ("transfer to the same holder", "to_holder", lambda s, lot: ledger.transfer(
        s["session"], from_holder_id=s["h1"].id, to_holder_id=s["h1"].id,
        material_id=s["m"].id, quantity=1, on=ON, today=TODAY)),
    ("date after today", "date", lambda s, lot: ledger.issue(
        s["session"], holder_id=s["h1"].id, material_id=s["m"].id, quantity=1,
        on=TODAY + dt.timedelta(days=1), today=TODAY)),
    ("lot of another material", "material", lambda s, lot: ledger.receive(
        s["session"], holder_id=s["h1"].id, material_id=s["other"].id, quantity=1, on=ON,
        batch_no="A", lot_id=lot.id, today=TODAY)),
    ("expiry before production", "expiry_date", lambda s, lot: ledger.receive(
        s["session"], holder_id=s["h1"].id, material_id=s["m"].id, quantity=1, on=ON,
        batch_no="Y", production_date=dt.date(2025, 3, 1), expiry_date=dt.date(2025, 2, 1),
        today=TODAY)),
    ("unit of measure mismatch", "uom", lambda s, lot: ledger.receive(
        s["session"], holder_id=s["h1"].id, material_id=s["m"].id, quantity=1, on=ON,
        batch_no="Z", uom="箱", today=TODAY)),
    ("write-off more than on hand", "quantity", lambda s, lot: ledger.write_off(
        s["session"], lot_id=lot.id, quantity=10.5, on=ON, reason="lost", today=TODAY)),
    ("unknown write-off reason", "reason", lambda s, lot: ledger.write_off(
        s["session"], lot_id=lot.id, quantity=1, on=ON, reason="bored", today=TODAY)),
    ("negative count", "counted", lambda s, lot: ledger.count(
        s["session"], holder_id=s["h1"].id, counted={lot.id: -1}, on=ON, today=TODAY)),
    ("count of a lot held elsewhere", "counted", lambda s, lot: ledger.count(
        s["session"], holder_id=s["h2"].id, counted={lot.id: 1}, on=ON, today=TODAY)),
    ("same batch received with another expiry", "expiry_date", lambda s, lot: ledger.receive(
        s["session"], holder_id=s["h1"].id, material_id=s["m"].id, quantity=1, on=ON,
        batch_no="A", expiry_date=dt.date(2030, 1, 1), today=TODAY)),
]  # fmt: skip


@pytest.mark.parametrize(("case", "field", "action"), BAD_INPUTS, ids=[b[0] for b in BAD_INPUTS])
def test_bad_input_is_rejected_and_changes_nothing(
    db: Database, case: str, field: str, action
) -> None:
    with db.session() as session:
        s = _setup(session)
        lot = _receive(session, s, "A", 10, dt.date(2026, 1, 1))
        lot_id = lot.id
    with db.sessions() as session:
        before = _state(session)
    with pytest.raises(ValidationError) as err, db.session() as session:
        s2 = {**s, "session": session}
        action(s2, session.get_one(Lot, lot_id))
    assert err.value.field == field, case
    assert err.value.message and err.value.message_en
    with db.sessions() as session:
        assert _state(session) == before
        assert run_checks(session) == []


def test_reversal_cannot_be_repeated_or_reversed(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        lot = _receive(session, s, "A", 10, None)
        receipt_id = session.scalar(select(Movement.id).where(Movement.lot_id == lot.id))
        rev = ledger.reverse(session, movement_id=receipt_id, on=ON, reason="重复录入", today=TODAY)
        assert lot.on_hand == 0
        with pytest.raises(ValidationError, match="已冲正"):
            ledger.reverse(session, movement_id=receipt_id, on=ON, reason="again", today=TODAY)
        with pytest.raises(ValidationError, match="不能再冲正"):
            ledger.reverse(session, movement_id=rev.movements[0].id, on=ON, reason="x", today=TODAY)


def test_reversal_that_would_go_negative_is_refused(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        lot = _receive(session, s, "A", 10, None)
        receipt_id = session.scalar(select(Movement.id).where(Movement.lot_id == lot.id))
        ledger.issue(
            session, holder_id=s["h1"].id, material_id=s["m"].id, quantity=4, on=ON, today=TODAY
        )
        with pytest.raises(ValidationError) as err:
            ledger.reverse(session, movement_id=receipt_id, on=ON, reason="x", today=TODAY)
        assert err.value.field == "quantity"


def test_preview_of_a_named_lot_and_the_context_an_action_preselects(db: Database) -> None:
    from drillplan.stock import read as stock_read

    with db.session() as session:
        s = _setup(session)
        a = _receive(session, s, "A", 5, dt.date(2025, 9, 1))
        b = _receive(session, s, "B", 5, dt.date(2026, 9, 1))
        common = {"holder_id": s["h1"].id, "material_id": s["m"].id, "quantity": 3, "on": ON}
        assert [p.lot_id for p in stock_read.fefo_preview(session, **common)] == [a.id]
        named = stock_read.fefo_preview(session, **common, lot_ids=[b.id])
        assert [(p.lot_id, p.take) for p in named] == [(b.id, Decimal(3))]
        context = stock_read.lot_context(session, b.id)
        assert context is not None
        assert (context.holder_id, context.material_id) == (s["h1"].id, s["m"].id)
        assert context.line.batch_no == "B" and context.line.on_hand == Decimal(5)
        assert stock_read.lot_context(session, 999_999) is None
        with pytest.raises(ValidationError) as bad:
            stock_read.fefo_preview(
                session, **{**common, "material_id": s["other"].id}, lot_ids=[b.id]
            )
        assert bad.value.field == "lot_ids"
