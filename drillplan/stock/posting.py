"""Posting to the movement ledger: the checks every stock operation shares and the one place
movements are appended.

:func:`quantity_value` and :func:`check_date` (from :mod:`drillplan.stock.dates`, with the
other date rules) validate what the caller gave; ``_material`` and ``_holder`` load what it
names; ``_lock`` and ``_take`` lock the lots an operation changes; ``_post`` checks the
movement against the lot's dated balances, appends it, keeps ``Lot.on_hand`` equal to the
ledger sum and writes the audit log. The operations themselves are in
:mod:`drillplan.stock.ledger` and :mod:`drillplan.stock.corrections`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Holder, Lot, Material, Movement
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.identity import attributed
from drillplan.kernel.values import QUANTITY_LIMIT, parse_quantity
from drillplan.kernel.vocab import MovementKind
from drillplan.stock.dates import Timeline, check_posting, timeline
from drillplan.stock.fefo import pick_lots

# isort: split
# Re-exported: the operations import it from here (it moved to the date rules).
from drillplan.stock.dates import check_date as check_date


@dataclass
class Changes:
    """What an operation did: the movements appended and the lots touched."""

    movements: list[Movement] = field(default_factory=list)
    lot_ids: set[int] = field(default_factory=set)
    transfer_ref: str | None = None

    @property
    def movement_ids(self) -> list[int]:
        return [m.id for m in self.movements]


# ----------------------------------------------------------------------------- validation


def quantity_value(value: object, *, field_name: str = "quantity") -> Decimal:
    """A strictly positive quantity: finite, at most three decimals, at most 10^12
    (:func:`drillplan.kernel.values.parse_quantity`)."""
    return parse_quantity(value, field=field_name)


def _material(session: Session, material_id: int) -> Material:
    material = session.get(Material, material_id)
    if material is None:
        raise ValidationError(
            "material", f"物资 {material_id} 不存在", message_en=f"no material {material_id}"
        )
    return material


def _holder(session: Session, holder_id: int, field_name: str = "holder") -> Holder:
    holder = session.get(Holder, holder_id)
    if holder is None:
        raise ValidationError(
            field_name, f"储备库/队伍 {holder_id} 不存在", message_en=f"no holder {holder_id}"
        )
    return holder


# ----------------------------------------------------------------------------- posting


def _lock(session: Session, lot_id: int) -> Lot:
    """Load a lot for update (a row lock on PostgreSQL; SQLite serialises writers)."""
    lot = session.scalars(
        select(Lot)
        .where(Lot.id == lot_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if lot is None:
        raise NotFound(f"批次 {lot_id} 不存在 (no lot {lot_id})")
    return lot


def _post(
    session: Session,
    changes: Changes,
    lot: Lot,
    kind: MovementKind,
    quantity: Decimal,
    on: dt.date,
    *,
    operator: str,
    reason: str | None = None,
    document_no: str | None = None,
    counterpart: str | None = None,
    transfer_ref: str | None = None,
    reverses_id: int | None = None,
    seen: Timeline | None = None,
) -> Movement:
    # the date rules: after the receipt, covered on its date, no later balance below zero
    check_posting(lot, kind, quantity, seen or timeline(session, lot.id, on))
    new_on_hand = Decimal(lot.on_hand) + quantity
    operator, operator_note = attributed(session, operator)
    if new_on_hand > QUANTITY_LIMIT:
        raise ValidationError(
            "quantity",
            f"批次 {lot.batch_no} 结存 {lot.on_hand}，再入库 {quantity} 将超过上限 10^12",
            message_en=f"lot {lot.batch_no} holds {lot.on_hand}: {quantity} more exceeds 10^12",
            rule="out_of_range",
        )
    movement = Movement(
        lot_id=lot.id,
        kind=kind,
        quantity=quantity,
        moved_on=on,
        operator=operator,
        operator_note=operator_note,
        reason=reason,
        document_no=document_no,
        counterpart=counterpart,
        transfer_ref=transfer_ref,
        reverses_id=reverses_id,
    )
    session.add(movement)
    before = Decimal(lot.on_hand)
    lot.on_hand = new_on_hand
    session.flush()
    auditlog.record(
        session,
        user=operator,
        action=f"stock.{kind.value}",
        row=movement,
        before={"lot_id": lot.id, "on_hand": before},
        after={**auditlog.snapshot(movement), "on_hand": new_on_hand},
    )
    changes.movements.append(movement)
    changes.lot_ids.add(lot.id)
    return movement


def _take(
    session: Session,
    *,
    holder_id: int,
    material_id: int,
    quantity: Decimal,
    on: dt.date,
    lot_ids: Sequence[int] | None,
    force_reason: str | None,
) -> list[tuple[Lot, Decimal]]:
    """Which lots (locked) give ``quantity``, and how much each: FEFO or the named lots.

    Every lot of the holder and material is locked first (in id order, so concurrent issues
    queue instead of deadlocking) and read fresh, so the choice is made on quantities no
    other transaction can change before this one commits.
    """
    session.scalars(
        select(Lot)
        .where(Lot.holder_id == holder_id, Lot.material_id == material_id)
        .order_by(Lot.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).all()
    picks = pick_lots(
        session,
        holder_id=holder_id,
        material_id=material_id,
        quantity=quantity,
        on=on,
        lot_ids=lot_ids,
        allow_expired=bool(force_reason and force_reason.strip()),
    )
    return [(_lock(session, lot_id), qty) for lot_id, qty in picks]
