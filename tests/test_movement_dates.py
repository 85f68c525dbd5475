"""Movement dates that make sense, and FEFO judged on the movement's date.

A movement may not be dated before its lot's receipt, nor after today unless the office
allows pre-dated entries (``allow_predated_movements``). A back-dated issue takes only lots
that had stock and had not expired on its date, and a back-dated movement that would leave
a later balance below zero is refused, naming that later movement. The rules live in the
stock domain, so the core functions, the command line and the lot import agree.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Lot, Movement
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import MovementKind
from drillplan.stock import ledger
from drillplan.stock.check import run_checks
from drillplan.stock.read import fefo_preview
from tests import factories as f

TODAY = dt.date(2025, 6, 1)
JAN, FEB, MAR, APR = (dt.date(2025, m, 1) for m in (1, 2, 3, 4))


def _world(session: Session) -> dict[str, Any]:
    u = f.unit(session)
    m = f.material(session)  # code 2010101
    _, h1 = f.depot(session, u, code="D1")
    _, h2 = f.depot(session, u, code="D2")
    return {"m": m, "h1": h1, "h2": h2}


def _receive(
    session: Session,
    w: dict[str, Any],
    batch: str,
    qty: int,
    on: dt.date,
    expiry: dt.date | None = dt.date(2027, 1, 1),
) -> Lot:
    changes = ledger.receive(
        session,
        holder_id=w["h1"].id,
        material_id=w["m"].id,
        quantity=qty,
        on=on,
        batch_no=batch,
        expiry_date=expiry,
        today=TODAY,
    )
    return session.get_one(Lot, changes.movements[0].lot_id)


def _issue(session: Session, w: dict[str, Any], qty: int, on: dt.date, **kw: Any) -> Any:
    return ledger.issue(
        session,
        holder_id=w["h1"].id,
        material_id=w["m"].id,
        quantity=qty,
        on=on,
        today=kw.pop("today", TODAY),
        **kw,
    )


def _state(session: Session) -> tuple[object, ...]:
    lots = session.execute(select(Lot.id, Lot.on_hand).order_by(Lot.id)).all()
    moves = session.scalar(select(func.count()).select_from(Movement))
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    return (tuple(lots), moves, audits)


def _refused(session: Session, call: Callable[[], object]) -> ValidationError:
    """``call`` raises ValidationError and changes nothing."""
    before = _state(session)
    with pytest.raises(ValidationError) as caught, session.begin_nested():
        call()
    assert _state(session) == before
    return caught.value


# ----------------------------------------------------------------- not before the receipt

OPERATIONS: dict[str, Callable[[Session, dict[str, Any], Lot, dt.date], object]] = {
    "issue_named_lot": lambda s, w, lot, on: _issue(s, w, 1, on, lot_ids=[lot.id]),
    "transfer_named_lot": lambda s, w, lot, on: ledger.transfer(
        s, from_holder_id=w["h1"].id, to_holder_id=w["h2"].id, material_id=w["m"].id,
        quantity=1, on=on, lot_ids=[lot.id], today=TODAY,
    ),
    "write_off": lambda s, w, lot, on: ledger.write_off(
        s, lot_id=lot.id, quantity=1, on=on, reason="damaged", today=TODAY
    ),
    "rotate": lambda s, w, lot, on: ledger.rotate(
        s, lot_id=lot.id, on=on, new_batch_no="FRESH", new_expiry_date=dt.date(2028, 1, 1),
        quantity=1, today=TODAY,
    ),
    "count": lambda s, w, lot, on: ledger.count(
        s, holder_id=w["h1"].id, counted={lot.id: 3}, on=on, today=TODAY
    ),
}  # fmt: skip


@pytest.mark.parametrize("operation", list(OPERATIONS))
def test_a_movement_before_the_lot_was_received_is_refused(db: Database, operation: str) -> None:
    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "L-0301", 10, MAR)
        error = _refused(session, lambda: OPERATIONS[operation](session, w, lot, FEB))
        assert error.field == "date"
        assert error.rule == "before_receipt"
        assert "L-0301" in error.message and "2025-03-01" in error.message
        assert "2025-02-01" in error.message
        OPERATIONS[operation](session, w, lot, MAR)  # on the receipt day itself: fine
        assert run_checks(session) == []


def test_the_receipt_date_named_is_the_lots_first_movement(db: Database) -> None:
    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "A", 10, MAR)
        _issue(session, w, 2, APR)
        ledger.receive(
            session, holder_id=w["h1"].id, material_id=w["m"].id, quantity=5,
            on=dt.date(2025, 5, 1), batch_no="A", today=TODAY,
        )  # fmt: skip
        error = _refused(session, lambda: ledger.write_off(
            session, lot_id=lot.id, quantity=1, on=FEB, reason="lost", today=TODAY
        ))  # fmt: skip
        assert error.rule == "before_receipt"
        assert "入库日期 2025-03-01" in error.message


def test_fefo_does_not_take_a_lot_received_after_the_issue_date(db: Database) -> None:
    with db.session() as session:
        w = _world(session)
        old = _receive(session, w, "OLD", 10, JAN, expiry=dt.date(2027, 1, 1))
        _receive(session, w, "EARLY-EXPIRY", 10, APR, expiry=dt.date(2026, 1, 1))
        changes = _issue(session, w, 4, MAR)  # EARLY-EXPIRY expires first but was not there
        assert [(m.lot_id, m.quantity) for m in changes.movements] == [(old.id, Decimal(-4))]
        error = _refused(session, lambda: _issue(session, w, 7, MAR))
        assert error.field == "quantity" and "2025-03-01" in error.message and "6" in error.message
        preview = fefo_preview(
            session, holder_id=w["h1"].id, material_id=w["m"].id, quantity=6, on=MAR
        )
        assert [(p.batch_no, p.take) for p in preview] == [("OLD", Decimal(6))]


def test_a_reversal_is_not_dated_before_the_movement_it_undoes(db: Database) -> None:
    with db.session() as session:
        w = _world(session)
        _receive(session, w, "A", 10, JAN)
        issued = _issue(session, w, 3, MAR).movements[0]
        error = _refused(
            session,
            lambda: ledger.reverse(
                session, movement_id=issued.id, on=FEB, reason="录入错误", today=TODAY
            ),
        )
        assert (error.field, error.rule) == ("date", "before_original")
        assert f"#{issued.id}" in error.message and "2025-03-01" in error.message
        ledger.reverse(session, movement_id=issued.id, on=MAR, reason="录入错误", today=TODAY)
        assert run_checks(session) == []


# ----------------------------------------------------------------- not after today


def test_a_future_date_is_refused_unless_the_office_allows_pre_dated_entries(
    db: Database,
) -> None:
    later = TODAY + dt.timedelta(days=5)
    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "A", 10, JAN)
        for call in (
            lambda: _receive(session, w, "B", 5, later),
            lambda: _issue(session, w, 1, later),
            lambda: ledger.write_off(
                session, lot_id=lot.id, quantity=1, on=later, reason="lost", today=TODAY
            ),
        ):
            error = _refused(session, call)
            assert (error.field, error.rule) == ("date", "future_date")
            assert "晚于今天 2025-06-01" in error.message
            assert settings.option("allow_predated_movements").zh in error.message
        assert settings.get(session, "allow_predated_movements") is False
        settings.set_value(session, "allow_predated_movements", True)
        _receive(session, w, "B", 5, later)
        issued = _issue(session, w, 1, later).movements
        assert [m.moved_on for m in issued] == [later]
        assert run_checks(session) == []


# ----------------------------------------------------------------- expiry on the date


def test_a_back_dated_issue_does_not_take_a_lot_expired_on_its_date(db: Database) -> None:
    with db.session() as session:
        w = _world(session)
        expired = _receive(session, w, "EXPIRED", 10, JAN, expiry=dt.date(2025, 2, 15))
        good = _receive(session, w, "GOOD", 10, JAN, expiry=dt.date(2026, 12, 31))
        # on 2025-02-10 the first lot was still usable: FEFO takes it
        early = _issue(session, w, 2, dt.date(2025, 2, 10))
        assert [m.lot_id for m in early.movements] == [expired.id]
        # on 2025-03-01 it had expired (judged on the movement's date, not on today)
        on_date = _issue(session, w, 2, MAR)
        assert [m.lot_id for m in on_date.movements] == [good.id]
        error = _refused(session, lambda: _issue(session, w, 1, MAR, lot_ids=[expired.id]))
        assert error.field == "lot_ids" and "2025-02-15" in error.message
        forced = _issue(session, w, 16, MAR, force_expired_reason="防汛抢险急用")
        assert [(m.lot_id, m.quantity) for m in forced.movements] == [
            (expired.id, Decimal(-8)),
            (good.id, Decimal(-8)),
        ]
        assert "防汛抢险急用" in (forced.movements[0].reason or "")


# ----------------------------------------------------------------- the running balance


def test_a_back_dated_issue_may_not_make_a_later_balance_negative(db: Database) -> None:
    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "A", 10, JAN)
        later = _issue(session, w, 8, MAR, document_no="LY-0301").movements[0]
        error = _refused(session, lambda: _issue(session, w, 5, FEB))
        assert (error.field, error.rule) == ("date", "later_balance_negative")
        for part in ("2025-03-01", "领用", "LY-0301", "-3", "批次 A"):
            assert part in error.message, part
        # a back-dated issue the later movements still allow is recorded: 10 - 2 - 8 = 0
        taken = _issue(session, w, 2, FEB)
        assert taken.movements[0].moved_on == FEB and later.moved_on == MAR
        session.refresh(lot)
        assert lot.on_hand == Decimal(0)
        assert run_checks(session) == []


def test_the_later_movement_is_named_by_id_without_a_document_number(db: Database) -> None:
    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "A", 10, JAN)
        later = ledger.write_off(
            session, lot_id=lot.id, quantity=9, on=APR, reason="damaged", today=TODAY
        ).movements[0]
        error = _refused(session, lambda: _issue(session, w, 2, MAR))
        assert f"台账 #{later.id}" in error.message and "报损" in error.message
        assert "2025-04-01" in error.message


def test_a_back_dated_issue_is_covered_by_the_stock_on_its_date(db: Database) -> None:
    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "A", 10, JAN)
        ledger.receive(
            session, holder_id=w["h1"].id, material_id=w["m"].id, quantity=10, on=APR,
            batch_no="A", today=TODAY,
        )  # fmt: skip
        session.refresh(lot)
        assert lot.on_hand == 20
        error = _refused(session, lambda: _issue(session, w, 15, MAR, lot_ids=[lot.id]))
        assert error.field == "quantity" and "10" in error.message
        error = _refused(session, lambda: _issue(session, w, 15, MAR))
        assert error.field == "quantity" and "2025-03-01" in error.message
        _issue(session, w, 10, MAR)
        assert run_checks(session) == []


def test_a_back_dated_count_compares_with_the_book_on_its_date(db: Database) -> None:
    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "A", 10, JAN)
        _issue(session, w, 4, MAR)
        changes = ledger.count(session, holder_id=w["h1"].id, counted={lot.id: 9}, on=FEB,
                               today=TODAY)  # fmt: skip
        [adjustment] = changes.movements
        assert (adjustment.kind, adjustment.quantity) == (MovementKind.ADJUSTMENT, Decimal(-1))
        assert "账面 10" in (adjustment.reason or "")
        session.refresh(lot)
        assert lot.on_hand == Decimal(5)
        # counting 2 on 02-01 would leave the 03-01 issue of 4 below zero
        error = _refused(session, lambda: ledger.count(
            session, holder_id=w["h1"].id, counted={lot.id: 2}, on=FEB, today=TODAY
        ))  # fmt: skip
        assert error.rule == "later_balance_negative" and "2025-03-01" in error.message
        assert run_checks(session) == []


def test_the_running_balance_reads_one_query_per_lot(db: Database) -> None:
    """A back-dated write-off reads the lot's later movements with one statement."""
    from sqlalchemy import event

    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "A", 100, JAN)
        for day in range(2, 28):
            _issue(session, w, 1, dt.date(2025, 3, day))
        statements: list[str] = []

        def seen(_conn: Any, _cursor: Any, statement: str, *_a: Any) -> None:
            if "FROM movement" in statement and "movement.moved_on >" in statement:
                statements.append(statement)

        engine = session.get_bind()
        event.listen(engine, "before_cursor_execute", seen)
        try:
            ledger.write_off(session, lot_id=lot.id, quantity=5, on=FEB, reason="damaged",
                             today=TODAY)  # fmt: skip
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        assert len(statements) == 1


# ----------------------------------------------------------------- the other doors


def _cli(capsys: pytest.CaptureFixture[str], db: Database, *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(["--db", db.url, *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _cli_world(db: Database) -> int:
    with db.session() as session:
        w = _world(session)
        lot = _receive(session, w, "L-0301", 10, MAR, expiry=dt.date(2025, 4, 30))
        _receive(session, w, "L-LATE", 10, MAR, expiry=dt.date(2029, 1, 1))
        return lot.id


def test_the_command_line_refuses_the_same_dates(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    lot_id = _cli_world(db)
    issue = ["stock", "issue", "--holder", "D1", "--material", "2010101", "--qty", "2"]
    with db.session() as session:  # the core's words for the same bad value
        w = {"h1": session.get_one(Lot, lot_id).holder, "m": session.get_one(Lot, lot_id).material}
        core = _refused(session, lambda: _issue(session, w, 2, FEB, lot_ids=[lot_id]))
    code, out, err = _cli(capsys, db, *issue, "--lot", str(lot_id), "--date", "2025-02-01")
    assert (code, out) == (2, "")
    assert f"date: {core.message}" in err and "L-0301" in err and "2025-03-01" in err
    # back-dated after the expiry: FEFO passes the expired lot over ...
    code, out, err = _cli(capsys, db, *issue, "--date", "2025-05-10", "--format", "json")
    assert code == 0, err
    [moved] = json.loads(out)["movements"]
    assert moved["lot_id"] != lot_id and moved["moved_on"] == "2025-05-10"
    # ... a named expired lot needs --force-expired, judged on 2025-05-10
    named = [*issue, "--lot", str(lot_id), "--date", "2025-05-10"]
    code, _out, err = _cli(capsys, db, *named)
    assert code == 2 and "lot_ids:" in err and "2025-04-30" in err
    code, out, err = _cli(capsys, db, *named, "--force-expired", "演练消耗", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["movements"][0]["lot_id"] == lot_id
    # before the expiry the same lot is taken FEFO without the flag
    code, out, err = _cli(capsys, db, *issue, "--date", "2025-04-01", "--format", "json")
    assert code == 0, err
    assert json.loads(out)["movements"][0]["lot_id"] == lot_id


def test_the_command_line_future_date_and_the_setting(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _cli_world(db)
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    issue = ["stock", "issue", "--holder", "D1", "--material", "2010101", "--qty", "1"]
    code, out, err = _cli(capsys, db, *issue, "--date", tomorrow)
    assert (code, out) == (2, "") and "date:" in err and "晚于今天" in err
    code, out, _err = _cli(capsys, db, "settings", "list", "--format", "json")
    rows = {r["key"]: r for r in json.loads(out)}
    assert rows["allow_predated_movements"]["value"] is False
    assert rows["allow_predated_movements"]["label_zh"] == "允许登记未来日期的出入库"
    assert _cli(capsys, db, "settings", "set", "allow_predated_movements", "是")[0] == 0
    code, out, err = _cli(capsys, db, *issue, "--date", tomorrow, "--format", "json")
    assert code == 0, err
    assert json.loads(out)["movements"][0]["moved_on"] == tomorrow


def _lots_csv(path: Path, received_on: dt.date) -> Path:
    kind = KINDS["lots"]
    row = {"holder": "D1", "material": "2010101", "batch_no": "IMP-1", "quantity": "5",
           "expiry_date": "2029-01-01", "received_on": received_on.isoformat()}  # fmt: skip
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([kind.column(key).zh for key in row])
        writer.writerow(list(row.values()))
    return path


def test_the_lot_import_applies_the_same_receipt_date_rule(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        w = _world(session)
        later = TODAY + dt.timedelta(days=3)
        core = _refused(session, lambda: _receive(session, w, "IMP-1", 5, later))
    path = _lots_csv(tmp_path / "lots.csv", later)
    with db.session() as session:
        report = import_file(session, "lots", path, today=TODAY)
        found = [(p.column, p.rule, p.message) for p in report.problems]
        assert found == [("入库日期", "future_date", core.message)]
        assert session.scalar(select(func.count()).select_from(Lot)) == 0
    with db.session() as session:
        settings.set_value(session, "allow_predated_movements", True)
    with db.session() as session:
        report = import_file(session, "lots", path, today=TODAY)
        assert report.problems == [] and report.created == 1
        [moved_on] = session.scalars(select(Movement.moved_on)).all()
        assert moved_on == later
