"""`drillplan check`: prove the invariants the schema alone cannot hold.

The database's constraints already keep single rows sane (quantities >= 0, expiry not
before production ...). What remains are facts across rows, checked here in SQL so that a
city-scale ledger is checked in seconds:

- every lot's cached ``on_hand`` equals the sum of its movements;
- the ledger of a lot never sums below zero;
- each transfer (movements sharing a ``transfer_ref``) nets to zero for one material, except
  the transfer of an allocation request dispatched and not yet received (in transit);
- no lot has more reserved for allocation requests than it holds;
- a reversal undoes exactly the movement it names, on the same lot;
- the audit log's hash chain holds (:mod:`drillplan.audit.chain`): no entry changed,
  removed or inserted after it was written;
- every stored quantity and amount of money is a finite number within its range (a database
  written before migration 0008's CHECK constraints may hold Inf or 1e29 on SQLite).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import String, cast, func, not_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from drillplan.audit import chain
from drillplan.db.models import (
    AllocationLine,
    AllocationRequest,
    Depot,
    Lot,
    Material,
    Movement,
    Quota,
    Reservation,
    TierQuota,
)
from drillplan.kernel.values import MONEY_LIMIT, QUANTITY_LIMIT
from drillplan.kernel.vocab import MovementKind, RequestState

TOLERANCE = Decimal("0.0005")


@dataclass(frozen=True)
class Violation:
    rule: str
    table: str
    row_id: int | str
    message: str

    def as_dict(self) -> dict[str, object]:
        return {
            "rule": self.rule,
            "table": self.table,
            "row_id": self.row_id,
            "message": self.message,
        }


def _dec(value: object) -> Decimal:
    return Decimal(str(value)) if value is not None else Decimal(0)


def check_on_hand(session: Session) -> list[Violation]:
    ledger = (
        select(Movement.lot_id, func.sum(Movement.quantity).label("total"))
        .group_by(Movement.lot_id)
        .subquery()
    )
    stmt = (
        select(Lot.id, Lot.batch_no, Lot.on_hand, ledger.c.total)
        .outerjoin(ledger, ledger.c.lot_id == Lot.id)
        .where(func.abs(Lot.on_hand - func.coalesce(ledger.c.total, 0)) > TOLERANCE)
        .order_by(Lot.id)
    )
    out = []
    for lot_id, batch, on_hand, total in session.execute(stmt):
        out.append(
            Violation(
                "on_hand_equals_ledger",
                "lot",
                lot_id,
                f"批次 {batch} (lot {lot_id}) 结存 {_dec(on_hand)} 与台账合计 {_dec(total)} 不符"
                f" (cached on-hand {_dec(on_hand)} != ledger sum {_dec(total)})",
            )
        )
    return out


def check_ledger_nonnegative(session: Session) -> list[Violation]:
    stmt = (
        select(Movement.lot_id, func.sum(Movement.quantity))
        .group_by(Movement.lot_id)
        .having(func.sum(Movement.quantity) < -TOLERANCE)
        .order_by(Movement.lot_id)
    )
    return [
        Violation(
            "ledger_nonnegative",
            "lot",
            lot_id,
            f"批次 lot {lot_id} 台账合计为负数 {_dec(total)} (ledger sums below zero)",
        )
        for lot_id, total in session.execute(stmt)
    ]


def check_transfers_balance(session: Session) -> list[Violation]:
    in_transit = (
        select(AllocationLine.transfer_ref)
        .join(AllocationRequest, AllocationRequest.id == AllocationLine.request_id)
        .where(
            AllocationRequest.state == RequestState.DISPATCHED,
            AllocationLine.transfer_ref.is_not(None),
        )
    )
    stmt = (
        select(
            Movement.transfer_ref,
            func.sum(Movement.quantity),
            func.count(func.distinct(Lot.material_id)),
        )
        .join(Lot, Lot.id == Movement.lot_id)
        .where(
            Movement.transfer_ref.is_not(None),
            Movement.kind.in_([MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN]),
            Movement.transfer_ref.not_in(in_transit),
        )
        .group_by(Movement.transfer_ref)
        .having(
            (func.abs(func.sum(Movement.quantity)) > TOLERANCE)
            | (func.count(func.distinct(Lot.material_id)) > 1)
        )
        .order_by(Movement.transfer_ref)
    )
    return [
        Violation(
            "transfer_balances",
            "movement",
            ref,
            f"调拨 {ref} 调出与调入不平衡（合计 {_dec(total)}，物资种类 {materials}）"
            f" (transfer does not net to zero for one material)",
        )
        for ref, total, materials in session.execute(stmt)
    ]


def check_reservations_covered(session: Session) -> list[Violation]:
    """Active reservations of a lot (approved allocation requests) never exceed its stock."""
    stmt = (
        select(Lot.id, Lot.batch_no, Lot.on_hand, func.sum(Reservation.quantity))
        .join(Reservation, Reservation.lot_id == Lot.id)
        .where(Reservation.active.is_(True))
        .group_by(Lot.id, Lot.batch_no, Lot.on_hand)
        .having(func.sum(Reservation.quantity) > Lot.on_hand + TOLERANCE)
        .order_by(Lot.id)
    )
    return [
        Violation(
            "reservation_covered",
            "lot",
            lot_id,
            f"批次 {batch} (lot {lot_id}) 已预留 {_dec(total)}，超过结存 {_dec(on_hand)}"
            f" (reserved {_dec(total)} exceeds on-hand {_dec(on_hand)})",
        )
        for lot_id, batch, on_hand, total in session.execute(stmt)
    ]


def check_reversals(session: Session) -> list[Violation]:
    original = aliased(Movement)
    stmt = (
        select(Movement.id, original.id)
        .join(original, original.id == Movement.reverses_id)
        .where(
            (Movement.lot_id != original.lot_id)
            | (func.abs(Movement.quantity + original.quantity) > TOLERANCE)
        )
        .order_by(Movement.id)
    )
    return [
        Violation(
            "reversal_matches_original",
            "movement",
            rev_id,
            f"冲正记录 {rev_id} 与原记录 {orig_id} 数量或批次不一致"
            f" (reversal does not undo movement {orig_id})",
        )
        for rev_id, orig_id in session.execute(stmt)
    ]


def check_audit_chain(session: Session) -> list[Violation]:
    return [
        Violation("audit.chain", "audit_log", b.entry_id, b.message) for b in chain.verify(session)
    ]


# (column, lowest, highest): what parse_quantity / parse_money let in, and the CHECKs of 0008
NUMBER_RANGES: tuple[tuple[InstrumentedAttribute[Decimal], Decimal, Decimal], ...] = (
    (Movement.quantity, -QUANTITY_LIMIT, QUANTITY_LIMIT),  # type: ignore[arg-type]
    (Lot.on_hand, Decimal(0), QUANTITY_LIMIT),  # type: ignore[arg-type]
    (Lot.unit_cost, Decimal(0), MONEY_LIMIT),  # type: ignore[arg-type]
    (Material.reference_price, Decimal(0), MONEY_LIMIT),  # type: ignore[arg-type]
    (Depot.capacity_m3, Decimal(0), QUANTITY_LIMIT),  # type: ignore[arg-type]
    (Quota.required_qty, Decimal(0), QUANTITY_LIMIT),  # type: ignore[arg-type]
    (TierQuota.required_qty, Decimal(0), QUANTITY_LIMIT),  # type: ignore[arg-type]
)


def check_numbers_finite(session: Session) -> list[Violation]:
    """Every quantity and amount is finite and within its range (NaN and Inf compare outside
    any range on both backends; the value is read as text, never converted)."""
    out = []
    for column, low, high in NUMBER_RANGES:
        table = column.class_.__tablename__
        key = column.class_.id  # type: ignore[attr-defined]
        stmt = (
            select(key, cast(column, String))
            .where(column.is_not(None), not_(column.between(low, high)))
            .order_by(key)
        )
        for row_id, shown in session.execute(stmt):
            out.append(
                Violation(
                    "number.finite",
                    table,
                    row_id,
                    f"{table}.{column.key} 的值 {shown} 不是 {low} 至 {high} 之间的有限数"
                    f" ({table}.{column.key} = {shown} is not a finite number in {low}..{high})",
                )
            )
    return out


CHECKS = (
    check_on_hand,
    check_ledger_nonnegative,
    check_transfers_balance,
    check_reversals,
    check_audit_chain,
    check_numbers_finite,
    check_reservations_covered,
)


def run_checks(session: Session) -> list[Violation]:
    """Every violation found, empty when the database is consistent."""
    violations: list[Violation] = []
    for check in CHECKS:
        violations.extend(check(session))
    return violations
