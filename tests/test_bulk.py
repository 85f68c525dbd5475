"""Batch receiving: all rows or none, merged by batch, on-hand equal to the ledger."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Lot, Movement
from drillplan.kernel.errors import DrillplanError, ValidationError
from drillplan.kernel.vocab import MovementKind
from drillplan.stock import bulk, bulk_validate, ledger
from drillplan.stock.bulk import BulkValidationError, Cancelled, ReceiptRow, receive_batch
from drillplan.stock.check import run_checks
from tests import factories as f

TODAY = dt.date(2025, 6, 30)
ON = dt.date(2025, 6, 1)


def _setup(session: Session) -> dict[str, Any]:
    u = f.unit(session)
    vest = f.material(session, shelf_life_days=365)
    tent = f.material(session, code="1010201", name="帐篷", uom="顶", shelf_life_days=None)
    _, h1 = f.depot(session, u, code="D1")
    _, h2 = f.depot(session, u, code="D2")
    return {"vest": vest.id, "tent": tent.id, "h1": h1.id, "h2": h2.id}


def _row(s: dict[str, Any], batch: str = "A", qty: object = 10, **kw: Any) -> ReceiptRow:
    return ReceiptRow(
        holder_id=kw.pop("holder_id", s["h1"]),
        material_id=kw.pop("material_id", s["vest"]),
        batch_no=batch,
        quantity=qty,
        on=kw.pop("on", ON),
        **kw,
    )


def _state(session: Session) -> tuple[object, ...]:
    lots = session.execute(select(Lot.id, Lot.on_hand, Lot.row_version).order_by(Lot.id)).all()
    moves = session.scalar(select(func.count()).select_from(Movement))
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    return (tuple(lots), moves, audits)


@pytest.fixture
def sqlite_core_writer(monkeypatch: pytest.MonkeyPatch) -> None:
    """Write through the portable Core path (RETURNING ids) instead of SQLite's fast path."""
    monkeypatch.setattr(bulk, "_writer", lambda session: bulk._CoreWriter(session.connection()))


@pytest.mark.parametrize("writer", ["default", "core"])
def test_batch_creates_lots_and_movements(
    db: Database, writer: str, request: pytest.FixtureRequest
) -> None:
    if writer == "core":
        request.getfixturevalue("sqlite_core_writer")
    with db.session() as session:
        s = _setup(session)
        rows = [
            _row(s, "A", 10, production_date=dt.date(2025, 1, 1), supplier="华东", unit_cost=5),
            _row(s, "B", "2.5", material_id=s["tent"], document_no="RK-2"),
            _row(s, "A", Decimal("1.125"), unit_cost="7.5"),  # the first row's cost is kept
            _row(s, "A", 4, holder_id=s["h2"], expiry_date=dt.date(2026, 1, 1)),
        ]
        result = receive_batch(session, rows, operator="张三", today=TODAY)
        assert (result.rows, result.lots_created, result.lots_updated) == (4, 3, 0)
        assert result.total_quantity == Decimal("17.625")
        assert len(result.movement_ids) == 4
        assert result.movement_ids == sorted(result.movement_ids)
        assert result.lot_ids[0] == result.lot_ids[2] != result.lot_ids[1]

        a = session.get_one(Lot, result.lot_ids[0])
        assert a.on_hand == Decimal("11.125")
        assert a.expiry_date == dt.date(2026, 1, 1)  # production + the 365-day shelf life
        assert (a.supplier, a.unit_cost, a.row_version) == ("华东", Decimal(5), 1)
        b = session.get_one(Lot, result.lot_ids[1])
        assert (b.on_hand, b.expiry_date) == (Decimal("2.5"), None)

        moves = session.scalars(select(Movement).order_by(Movement.id)).all()
        assert [m.id for m in moves] == result.movement_ids
        assert [m.lot_id for m in moves] == result.lot_ids
        assert {m.kind for m in moves} == {MovementKind.RECEIPT}
        assert [m.quantity for m in moves] == [10, Decimal("2.5"), Decimal("1.125"), 4]
        assert (moves[0].operator, moves[0].counterpart, moves[0].moved_on) == ("张三", "华东", ON)
        assert moves[1].document_no == "RK-2"
        assert all(m.recorded_at is not None for m in moves)

        audit = session.get_one(AuditLog, result.audit_id)
        assert audit.action == "stock.receipt_batch"
        assert audit.after is not None
        assert audit.after["rows"] == 4
        assert audit.after["first_movement_id"] == result.first_movement_id
        assert audit.after["last_movement_id"] == result.last_movement_id
        assert run_checks(session) == []


@pytest.mark.parametrize(
    ("writer", "others"), [("default", 0), ("core", 0), ("default", 3), ("core", 3)]
)
def test_batch_tops_up_an_existing_lot(
    db: Database,
    writer: str,
    others: int,
    request: pytest.FixtureRequest,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With ``others`` lots more in the depot than the batch has lots, the batch's lots are
    looked up by natural key; with fewer, every lot of the depot is read once: the same top-up
    either way."""
    if writer == "core":
        request.getfixturevalue("sqlite_core_writer")
    by_key: list[int] = []
    lookup = bulk_validate._lookup_statement
    monkeypatch.setattr(bulk_validate, "_lookup_statement", lambda n: by_key.append(n) or lookup(n))
    with db.session() as session:
        s = _setup(session)
        for n in range(others):
            ledger.receive(
                session, holder_id=s["h1"], material_id=s["tent"], quantity=1, on=ON,
                batch_no=f"T{n}", today=TODAY,
            )  # fmt: skip
        changes = ledger.receive(
            session,
            holder_id=s["h1"],
            material_id=s["vest"],
            quantity=10,
            on=ON,
            batch_no="OLD",
            production_date=dt.date(2025, 1, 1),
            today=TODAY,
        )
        old = session.get_one(Lot, changes.movements[0].lot_id)
        assert old.on_hand == 10
        version = old.row_version
        rows = [
            _row(s, "OLD", 5),
            _row(s, " OLD ", 2, production_date=dt.date(2025, 1, 1)),  # same batch, trimmed
            _row(s, "NEW", 1),
        ]
        result = receive_batch(session, rows, today=TODAY)
        assert (result.lots_created, result.lots_updated) == (1, 1)
        assert result.lot_ids[:2] == [old.id, old.id]
        assert old.on_hand == 17  # the session's copy was refreshed
        assert old.row_version == version + 1  # an optimistic lock sees the change
        assert session.scalar(select(func.count()).select_from(Lot)) == 2 + others
        assert run_checks(session) == []
    assert by_key == ([2] if others else [])


def _bad(s: dict[str, Any], case: str) -> ReceiptRow:
    return {
        "negative quantity": _row(s, qty=-3),
        "zero quantity": _row(s, qty=0),
        "four decimals": _row(s, qty="1.0001"),
        "not a number": _row(s, qty="十"),
        "expiry before production": _row(
            s, production_date=dt.date(2025, 3, 1), expiry_date=dt.date(2025, 2, 1)
        ),
        "unknown material": _row(s, material_id=9999),
        "unknown holder": _row(s, holder_id=9999),
        "future date": _row(s, on=TODAY + dt.timedelta(days=1)),
        "future production": _row(s, production_date=TODAY + dt.timedelta(days=1)),
        "empty batch": _row(s, batch="  "),
        "negative cost": _row(s, unit_cost=Decimal(-1)),
        "cost not a number": _row(s, unit_cost="abc"),
        "expiry differs from the lot": _row(s, "OLD", expiry_date=dt.date(2030, 1, 1)),
        "expiry differs within the batch": _row(s, "A", expiry_date=dt.date(2030, 1, 1)),
    }[case]


BAD_CASES = [
    "negative quantity",
    "zero quantity",
    "four decimals",
    "not a number",
    "expiry before production",
    "unknown material",
    "unknown holder",
    "future date",
    "future production",
    "empty batch",
    "negative cost",
    "cost not a number",
    "expiry differs from the lot",
    "expiry differs within the batch",
]


@pytest.mark.parametrize("case", BAD_CASES)
def test_a_bad_row_rejects_the_whole_batch(db: Database, case: str) -> None:
    with db.session() as session:
        s = _setup(session)
        ledger.receive(
            session,
            holder_id=s["h1"],
            material_id=s["vest"],
            quantity=10,
            on=ON,
            batch_no="OLD",
            expiry_date=dt.date(2026, 6, 1),
            today=TODAY,
        )
    with db.session() as session:
        before = _state(session)
    rows = [_row(s, "A", 1, expiry_date=dt.date(2026, 1, 1)), _row(s, "B", 2), _row(s, "OLD", 3)]
    rows += [_bad(s, case), _row(s, "C", 4)]
    with pytest.raises(BulkValidationError) as caught, db.session() as session:
        receive_batch(session, rows, today=TODAY)
    error = caught.value
    assert isinstance(error, ValidationError)
    assert error.row == 4
    assert [e.row for e in error.errors] == [4] * len(error.errors)
    assert "第4行" in str(error)
    assert "nothing was written" in (error.message_en or "")
    with db.session() as session:
        assert _state(session) == before


def test_every_bad_row_is_listed_with_its_spreadsheet_row(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
    rows = [_row(s, "A"), _row(s, qty=-1), _row(s, "B"), _row(s, material_id=77, qty="x")]
    with pytest.raises(BulkValidationError) as caught, db.session() as session:
        receive_batch(session, rows, today=TODAY, first_row=2)  # row 1 is the header
    error = caught.value
    assert error.row == 3
    assert [(e.row, e.field) for e in error.errors] == [
        (3, "quantity"),
        (5, "quantity"),
        (5, "material"),
    ]
    assert "2 行数据有误" in error.message
    assert "第3行" in str(error) and "第5行" in str(error)
    again = pickle.loads(pickle.dumps(error))
    assert [(e.row, e.field) for e in again.errors] == [(e.row, e.field) for e in error.errors]
    assert str(again) == str(error)


def test_progress_and_cancel(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        before = _state(session)
    n = 2 * bulk.CHUNK + 10
    rows = [_row(s, f"B{i}", 1) for i in range(n)]
    reported: list[tuple[int, int]] = []
    with pytest.raises(Cancelled) as caught, db.session() as session:
        receive_batch(
            session,
            rows,
            today=TODAY,
            progress=lambda done, total: reported.append((done, total)),
            cancel=lambda: len(reported) >= 2,
        )
    assert isinstance(caught.value, DrillplanError)
    assert reported == [(bulk.CHUNK, n), (2 * bulk.CHUNK, n)]
    with db.session() as session:
        assert _state(session) == before

    reported.clear()
    with db.session() as session:
        result = receive_batch(
            session, rows, today=TODAY, progress=lambda d, t: reported.append((d, t))
        )
        assert result.lots_created == n
        assert reported[-1] == (n, n) and len(reported) == 3
        assert run_checks(session) == []


def test_cancel_during_validation_writes_nothing(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        before = _state(session)
    with pytest.raises(Cancelled), db.session() as session:
        receive_batch(session, [_row(s)], today=TODAY, cancel=lambda: True)
    with db.session() as session:
        assert _state(session) == before


def test_an_empty_batch_does_nothing(db: Database) -> None:
    with db.session() as session:
        _setup(session)
        before = _state(session)
        result = receive_batch(session, [], today=TODAY)
        assert (result.rows, result.movement_ids, result.audit_id) == (0, [], None)
        assert _state(session) == before


def test_a_lot_over_several_rows_is_judged_on_each_rows_dates(db: Database) -> None:
    """The first row's dates are the lot's; a later row repeating them is fine, a later row
    giving others is refused in its own row (the first to give them)."""
    with db.session() as session:
        s = _setup(session)
    first, other = dt.date(2027, 1, 1), dt.date(2030, 1, 1)
    rows = [
        _row(s, "A", 1, expiry_date=first),
        _row(s, "A", 2, expiry_date=first),
        _row(s, "A", 3, expiry_date=other),
        _row(s, "A", 4, expiry_date=other),
    ]
    with pytest.raises(BulkValidationError) as caught, db.session() as session:
        receive_batch(session, rows, today=TODAY, first_row=2)
    assert [(e.row, e.field) for e in caught.value.errors] == [(4, "expiry_date")]
    with db.session() as session:
        result = receive_batch(session, rows[:2], today=TODAY)
    with db.sessions() as session:
        lot = session.get(Lot, result.lot_ids[0])
        assert lot is not None
        assert (lot.on_hand, lot.expiry_date) == (Decimal(3), first)
