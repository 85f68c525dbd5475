"""First-expire-first-out: which lots an issue or transfer takes, and how much from each.

Judged on the movement's date: a lot is a candidate when it had stock at the end of that day
(its ``on_hand`` less the movements dated after it) and, unless expired lots are allowed,
had not expired by then. A lot received after that day had no stock on it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import Lot, Movement, Reservation
from drillplan.kernel.errors import ValidationError
from drillplan.stock.dates import check_received


def _later_sums(
    session: Session, *, holder_id: int, material_id: int, on: dt.date
) -> dict[int, Decimal]:
    """Per lot of the holder and material: the sum of its movements dated after ``on``
    (one query; empty when nothing is dated after ``on``)."""
    rows = session.execute(
        select(Movement.lot_id, func.sum(Movement.quantity))
        .join(Lot, Lot.id == Movement.lot_id)
        .where(
            Lot.holder_id == holder_id,
            Lot.material_id == material_id,
            Movement.moved_on > on,
        )
        .group_by(Movement.lot_id)
    )
    return {lot_id: Decimal(total) for lot_id, total in rows}


def reserved(session: Session, *, holder_id: int, material_id: int) -> dict[int, Decimal]:
    """Per lot of the holder and material: the quantity held by active reservations of
    allocation requests (调拨申请) approved and not yet dispatched or cancelled."""
    rows = session.execute(
        select(Reservation.lot_id, func.sum(Reservation.quantity))
        .join(Lot, Lot.id == Reservation.lot_id)
        .where(
            Lot.holder_id == holder_id,
            Lot.material_id == material_id,
            Reservation.active.is_(True),
        )
        .group_by(Reservation.lot_id)
    )
    return {lot_id: Decimal(total) for lot_id, total in rows}


def free_stock_on(
    session: Session, *, holder_id: int, material_id: int, on: dt.date
) -> dict[int, Decimal]:
    """:func:`stock_on` less the active reservations: what an issue or transfer may take."""
    held = stock_on(session, holder_id=holder_id, material_id=material_id, on=on)
    taken = reserved(session, holder_id=holder_id, material_id=material_id)
    if not taken:
        return held
    out = {}
    for lot_id, qty in held.items():
        free = qty - taken.get(lot_id, Decimal(0))
        if free > 0:
            out[lot_id] = free
    return out


def stock_on(
    session: Session, *, holder_id: int, material_id: int, on: dt.date
) -> dict[int, Decimal]:
    """Per lot of the holder and material with stock at the end of ``on``: that stock."""
    later = _later_sums(session, holder_id=holder_id, material_id=material_id, on=on)
    stmt = select(Lot.id, Lot.on_hand).where(
        Lot.holder_id == holder_id, Lot.material_id == material_id
    )
    if not later:  # nothing dated after ``on``: the stock on that day is the stock now
        stmt = stmt.where(Lot.on_hand > 0)
    out = {}
    for lot_id, on_hand in session.execute(stmt):
        held = Decimal(on_hand) - later.get(lot_id, Decimal(0))
        if held > 0:
            out[lot_id] = held
    return out


def fefo_order(
    session: Session,
    *,
    holder_id: int,
    material_id: int,
    held: Mapping[int, Decimal] | None = None,
) -> list[Lot]:
    """Lots with stock (those of ``held``, from :func:`stock_on`, or with stock now), earliest
    expiry first; lots that never expire last; ties by batch, id."""
    stmt = select(Lot).where(Lot.holder_id == holder_id, Lot.material_id == material_id)
    has_stock = Lot.on_hand > 0 if held is None else Lot.id.in_(sorted(held))
    stmt = stmt.where(has_stock)
    return list(
        session.scalars(
            stmt.order_by(
                Lot.expiry_date.is_(None),
                Lot.expiry_date,
                Lot.batch_no,
                Lot.id,
            )
        )
    )


def pick_lots(
    session: Session,
    *,
    holder_id: int,
    material_id: int,
    quantity: Decimal,
    on: dt.date,
    lot_ids: Sequence[int] | None = None,
    allow_expired: bool = False,
) -> list[tuple[int, Decimal]]:
    """(lot id, quantity) pairs that together give ``quantity`` on the day ``on``.

    Without ``lot_ids`` the lots are taken FEFO among those with stock on ``on``; expired
    lots (expiry before ``on``) only when ``allow_expired``. With ``lot_ids`` they are taken
    in the order given; a named lot received after ``on`` is refused with the date rule.
    """
    # reserved quantity (approved allocation requests) is not for anyone else to take
    held = free_stock_on(session, holder_id=holder_id, material_id=material_id, on=on)
    if lot_ids:
        candidates = []
        for lot_id in lot_ids:
            lot = session.get(Lot, lot_id)
            if lot is None or lot.holder_id != holder_id or lot.material_id != material_id:
                raise ValidationError(
                    "lot_ids",
                    f"批次 {lot_id} 不是该储备库/队伍的这种物资",
                    message_en=f"lot {lot_id} is not this material at this holder",
                )
            if lot.id not in held:
                check_received(session, lot, on)  # not there yet: name its receipt date
            if lot.expiry_date is not None and lot.expiry_date < on and not allow_expired:
                raise ValidationError(
                    "lot_ids",
                    f"批次 {lot.batch_no} 已于 {lot.expiry_date} 过期；发放过期物资须注明原因",
                    message_en=f"lot {lot.batch_no} expired on {lot.expiry_date}; give a reason",
                )
            candidates.append(lot)
    else:
        candidates = [
            lot
            for lot in fefo_order(session, holder_id=holder_id, material_id=material_id, held=held)
            if allow_expired or lot.expiry_date is None or lot.expiry_date >= on
        ]
    available = sum((held.get(lot.id, Decimal(0)) for lot in candidates), Decimal(0))
    if available < quantity:
        raise ValidationError(
            "quantity",
            f"出库数量 {quantity} 超过 {on.isoformat()} 的可用库存 {available}（不含过期批次）"
            if not allow_expired
            else f"出库数量 {quantity} 超过 {on.isoformat()} 的库存 {available}",
            message_en=f"quantity {quantity} exceeds the usable stock {available}"
            f" on {on.isoformat()}",
        )
    picks: list[tuple[int, Decimal]] = []
    remaining = quantity
    for lot in candidates:
        if remaining <= 0:
            break
        take = min(held.get(lot.id, Decimal(0)), remaining)
        if take > 0:
            picks.append((lot.id, take))
            remaining -= take
    return picks
