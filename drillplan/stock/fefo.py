"""First-expire-first-out: which lots an issue or transfer takes, and how much from each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Lot
from drillplan.kernel.errors import ValidationError


def fefo_order(session: Session, *, holder_id: int, material_id: int) -> list[Lot]:
    """Lots with stock, earliest expiry first; lots that never expire last; ties by batch, id."""
    return list(
        session.scalars(
            select(Lot)
            .where(Lot.holder_id == holder_id, Lot.material_id == material_id, Lot.on_hand > 0)
            .order_by(
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
    """(lot id, quantity) pairs that together give ``quantity``.

    Without ``lot_ids`` the lots are taken FEFO; expired lots (expiry before ``on``) only
    when ``allow_expired``. With ``lot_ids`` they are taken in the order given.
    """
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
            for lot in fefo_order(session, holder_id=holder_id, material_id=material_id)
            if allow_expired or lot.expiry_date is None or lot.expiry_date >= on
        ]
    available = sum((Decimal(lot.on_hand) for lot in candidates), Decimal(0))
    if available < quantity:
        raise ValidationError(
            "quantity",
            f"出库数量 {quantity} 超过可用库存 {available}（不含过期批次）"
            if not allow_expired
            else f"出库数量 {quantity} 超过库存 {available}",
            message_en=f"quantity {quantity} exceeds the usable stock {available}",
        )
    picks: list[tuple[int, Decimal]] = []
    remaining = quantity
    for lot in candidates:
        if remaining <= 0:
            break
        take = min(Decimal(lot.on_hand), remaining)
        if take > 0:
            picks.append((lot.id, take))
            remaining -= take
    return picks
