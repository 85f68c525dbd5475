"""Allocation requests (调拨申请): every step, the bad input refused with nothing changed,
reserved stock kept from ordinary issues, and ``drillplan check`` clean after a full cycle."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from drillplan.auth.context import bind_actor
from drillplan.db.database import Database
from drillplan.db.models import AllocationRequest, AuditLog, Lot, Movement, Reservation
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import MovementKind, RequestState
from drillplan.requests import steps
from drillplan.stock import ledger
from drillplan.stock.check import run_checks
from tests.support.org import TODAY, Org, actor_of, build_org


def _request(db: Database, org: Org, qty: object = 30, **kw: object) -> int:
    with db.session() as session:
        request = steps.create_request(
            session,
            requester_holder_id=org.holder2,
            holder_id=org.holder1,
            purpose=kw.pop("purpose", "演练"),
            needed_by=kw.pop("needed_by", "2025-06-10"),
            lines=[{"material_id": org.material, "quantity": qty}],
            today=TODAY,
            **kw,  # type: ignore[arg-type]
        )
        return request.id


def _state(db: Database, request_id: int) -> RequestState:
    with db.session() as session:
        return session.get_one(AllocationRequest, request_id).state


def _on_hand(db: Database, lot_id: int) -> Decimal:
    with db.session() as session:
        return Decimal(session.get_one(Lot, lot_id).on_hand)


def _active_reserved(db: Database) -> Decimal:
    with db.session() as session:
        total = session.scalar(
            select(func.sum(Reservation.quantity)).where(Reservation.active.is_(True))
        )
        return Decimal(total or 0)


def test_full_cycle_partly_approved_dispatched_received_short(db: Database) -> None:
    org = build_org(db)
    rid = _request(db, org, "30")
    with db.session() as session:
        request = session.get_one(AllocationRequest, rid)
        assert request.number == "DB-2025-0001"
        assert request.state is RequestState.REQUESTED
        assert str(request.purpose) == "drill"
    with db.session() as session:
        steps.approve(session, request_id=rid, approved={org.material: 20}, today=TODAY)
    assert _state(db, rid) is RequestState.PARTLY_APPROVED
    assert _active_reserved(db) == 20
    check_clean(db)
    with db.session() as session:
        changes = steps.dispatch(session, request_id=rid, on=TODAY, today=TODAY)
        assert [m.kind for m in changes.movements] == [MovementKind.TRANSFER_OUT]
    assert _state(db, rid) is RequestState.DISPATCHED
    assert _active_reserved(db) == 0
    assert _on_hand(db, org.lot1) == 80
    check_clean(db)  # in transit: the transfer's other half is not there yet
    with db.session() as session:
        steps.receive(
            session,
            request_id=rid,
            received={org.material: "18"},
            note="运输途中 2 件破损",
            on=TODAY,
            today=TODAY,
        )
    assert _state(db, rid) is RequestState.RECEIVED
    assert _on_hand(db, org.lot2) == 118  # 100 + 20 received - 2 short
    with db.session() as session:
        kinds = [
            (m.kind, Decimal(m.quantity))
            for m in session.scalars(
                select(Movement).where(Movement.lot_id == org.lot2).order_by(Movement.id)
            )
        ]
        assert kinds[1:] == [
            (MovementKind.TRANSFER_IN, Decimal(20)),
            (MovementKind.ADJUSTMENT, Decimal(-2)),
        ]
        adjustment = session.scalars(
            select(Movement).where(Movement.kind == MovementKind.ADJUSTMENT)
        ).one()
        assert "运输途中 2 件破损" in (adjustment.reason or "")
        line = session.get_one(AllocationRequest, rid).lines[0]
        assert (line.approved_qty, line.dispatched_qty, line.received_qty) == (20, 20, 18)
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.action.like("request.%")).order_by(AuditLog.id)
        ).all()
        assert actions == [
            "request.create",
            "request.approve",
            "request.dispatch",
            "request.receive",
        ]
    check_clean(db)


def check_clean(db: Database) -> None:
    with db.session() as session:
        assert run_checks(session) == []


def test_numbers_count_up_within_the_year(db: Database) -> None:
    org = build_org(db)
    _request(db, org, 1)
    second = _request(db, org, 1)
    with db.session() as session:
        assert session.get_one(AllocationRequest, second).number == "DB-2025-0002"


def test_request_for_more_than_usable_is_refused_on_quantity(db: Database) -> None:
    org = build_org(db)
    with pytest.raises(ValidationError) as err:
        _request(db, org, 101)
    assert err.value.field == "quantity"
    assert "可用库存 100" in err.value.message
    with db.session() as session:
        assert session.scalar(select(func.count(AllocationRequest.id))) == 0


def test_reserved_quantity_counts_against_later_requests_and_issues(db: Database) -> None:
    org = build_org(db)
    rid = _request(db, org, 60)
    with db.session() as session:
        steps.approve(session, request_id=rid, today=TODAY)
    with pytest.raises(ValidationError) as err:
        _request(db, org, 41)  # 100 on hand, 60 reserved
    assert err.value.field == "quantity"
    with pytest.raises(ValidationError) as err, db.session() as session:
        ledger.issue(
            session, holder_id=org.holder1, material_id=org.material, quantity=41, on=TODAY,
            today=TODAY,
        )  # fmt: skip
    assert err.value.field == "quantity"
    assert _on_hand(db, org.lot1) == 100
    with db.session() as session:  # what is not reserved is still issuable
        ledger.issue(
            session, holder_id=org.holder1, material_id=org.material, quantity=40, on=TODAY,
            today=TODAY,
        )  # fmt: skip
    assert _on_hand(db, org.lot1) == 60
    with db.session() as session, pytest.raises(ValidationError):  # nor by naming the lot
        ledger.transfer(
            session, from_holder_id=org.holder1, to_holder_id=org.holder2,
            material_id=org.material, quantity=1, on=TODAY, lot_ids=[org.lot1], today=TODAY,
        )  # fmt: skip
    check_clean(db)


def test_approval_reserves_first_expiring_lot(db: Database) -> None:
    org = build_org(db)
    with db.session() as session:
        early = ledger.receive(
            session, holder_id=org.holder1, material_id=org.material, quantity=10,
            on=TODAY, batch_no="LJ-0", expiry_date=dt.date(2026, 1, 1), today=TODAY,
        ).movements[0].lot_id  # fmt: skip
    rid = _request(db, org, 25)
    with db.session() as session:
        steps.approve(session, request_id=rid, today=TODAY)
        reservations = session.get_one(AllocationRequest, rid).lines[0].reservations
        assert [(r.lot_id, r.quantity) for r in reservations] == [(early, 10), (org.lot1, 15)]


def test_approval_outside_the_holders_scope_is_refused_and_nothing_changes(db: Database) -> None:
    org = build_org(db)
    with db.session() as session:
        request = steps.create_request(
            session,
            requester_holder_id=org.holder1,
            holder_id=org.holder2,  # S2's depot: keeper1 (S1) may ask, not approve
            purpose="response",
            needed_by="2025-06-02",
            lines=[{"material_id": org.material, "quantity": 5}],
            today=TODAY,
        )
        rid = request.id
    bind_actor(db, actor_of(db, "keeper1"))
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.approve(session, request_id=rid, today=TODAY)
    assert err.value.field == "approver"
    assert err.value.rule == "out_of_scope"
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.refuse(session, request_id=rid, reason="不批", today=TODAY)
    assert err.value.field == "approver"
    bind_actor(db, None)
    assert _state(db, rid) is RequestState.REQUESTED
    assert _active_reserved(db) == 0
    bind_actor(db, actor_of(db, "district"))  # the district's editor covers S2
    with db.session() as session:
        steps.approve(session, request_id=rid, today=TODAY)
    bind_actor(db, None)
    assert _state(db, rid) is RequestState.APPROVED


def test_requester_outside_scope_is_refused(db: Database) -> None:
    org = build_org(db)
    bind_actor(db, actor_of(db, "keeper1"))
    with pytest.raises(ValidationError) as err:
        _request(db, org, 5)  # asks on behalf of S2's depot
    assert err.value.field == "requester"
    bind_actor(db, None)


def test_receipt_of_more_than_dispatched_is_refused_and_nothing_changes(db: Database) -> None:
    org = build_org(db)
    rid = _request(db, org, 10)
    with db.session() as session:
        steps.approve(session, request_id=rid, today=TODAY)
        steps.dispatch(session, request_id=rid, dispatch_note_no="DN-1", on=TODAY, today=TODAY)
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.receive(session, request_id=rid, received={org.material: 11}, on=TODAY, today=TODAY)
    assert err.value.field == "received_quantity"
    assert _state(db, rid) is RequestState.DISPATCHED
    assert _on_hand(db, org.lot2) == 100
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.receive(session, request_id=rid, received={org.material: 9}, on=TODAY, today=TODAY)
    assert err.value.field == "receipt_note"  # a shortfall must be explained
    with db.session() as session:
        steps.receive(session, request_id=rid, on=TODAY, today=TODAY)
    assert _on_hand(db, org.lot2) == 110
    check_clean(db)


def test_refuse_needs_a_reason_and_cancel_releases_reservations(db: Database) -> None:
    org = build_org(db)
    rid = _request(db, org, 10)
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.refuse(session, request_id=rid, reason="  ", today=TODAY)
    assert err.value.field == "reason"
    with db.session() as session:
        steps.refuse(session, request_id=rid, reason="本库防汛期间不外调", today=TODAY)
    assert _state(db, rid) is RequestState.REFUSED
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.approve(session, request_id=rid, today=TODAY)
    assert err.value.field == "state"
    other = _request(db, org, 100)
    with db.session() as session:
        steps.approve(session, request_id=other, today=TODAY)
    assert _active_reserved(db) == 100
    with db.session() as session:
        steps.cancel(session, request_id=other, today=TODAY)
    assert _state(db, other) is RequestState.CANCELLED
    assert _active_reserved(db) == 0
    with db.session() as session:
        ledger.issue(
            session, holder_id=org.holder1, material_id=org.material, quantity=100, on=TODAY,
            today=TODAY,
        )  # fmt: skip


def test_bad_values_are_refused_with_their_field(db: Database) -> None:
    org = build_org(db)
    for kw, field in (
        ({"purpose": "野餐"}, "purpose"),
        ({"needed_by": "2025-05-01"}, "needed_by"),
        ({"needed_by": "明天吧"}, "needed_by"),
    ):
        with pytest.raises(ValidationError) as err:
            _request(db, org, 5, **kw)
        assert err.value.field == field, kw
    with pytest.raises(ValidationError) as err:
        _request(db, org, -1)
    assert err.value.field == "quantity"
    rid = _request(db, org, 10)
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.approve(session, request_id=rid, approved={org.material: 11}, today=TODAY)
    assert err.value.field == "approved_quantity"
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.approve(session, request_id=rid, approved={org.material: 0}, today=TODAY)
    assert err.value.field == "approved_quantity"
    assert _state(db, rid) is RequestState.REQUESTED
