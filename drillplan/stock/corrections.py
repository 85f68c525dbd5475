"""Ledger corrections: the stocktake (盘点) and the reversal of a wrong movement (冲正).

Like the operations of :mod:`drillplan.stock.ledger` (which re-exports these), each function
is one user action on the caller's session: everything is validated first, the lots changed
are locked, and the compensating movements are appended, never edited. A back-dated count
compares with the book quantity on its own date; a reversal is never dated before the
movement it undoes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Movement
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.values import parse_id, parse_quantity
from drillplan.kernel.vocab import MovementKind
from drillplan.stock import locking
from drillplan.stock.dates import timeline
from drillplan.stock.posting import Changes, _holder, _lock, _post, check_date


def count(
    session: Session,
    *,
    holder_id: int,
    counted: Mapping[int, object],
    on: dt.date,
    document_no: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """盘点: counted quantities per lot; each difference becomes an adjustment movement."""
    check_date(session, on, today=today)
    _holder(session, holder_id)
    wanted: dict[int, Decimal] = {}
    for lot_id, value in counted.items():
        key = parse_id(lot_id, field="counted", what="批次ID", what_en="lot id")
        wanted[key] = parse_quantity(
            value,
            field="counted",
            what=f"批次 {key} 的盘点数",
            what_en=f"counted quantity of lot {key}",
            sign="non_negative",
        )
    changes = Changes()
    for lot_id in sorted(wanted):
        lot = _lock(session, lot_id)
        if lot.holder_id != holder_id:
            raise ValidationError(
                "counted",
                f"批次 {lot.batch_no} 不在本次盘点的储备库/队伍",
                message_en=f"lot {lot_id} is not held here",
            )
        seen = timeline(session, lot.id, on)
        book = seen.balance_on(lot.on_hand)  # the book quantity on the count's date
        diff = wanted[lot_id] - book
        if diff != 0:
            _post(
                session,
                changes,
                lot,
                MovementKind.ADJUSTMENT,
                diff,
                on,
                operator=operator,
                reason=f"盘点：账面 {book}，实盘 {wanted[lot_id]}",
                document_no=document_no,
                seen=seen,
            )
    return changes


def reverse(
    session: Session,
    *,
    movement_id: int,
    on: dt.date,
    reason: str,
    operator: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """冲正: undo a wrong movement with a compensating one (both sides of a transfer)."""
    check_date(session, on, today=today)
    if not (reason or "").strip():
        raise ValidationError("reason", "冲正必须说明原因", message_en="a reason is required")
    original = session.get(Movement, movement_id)
    if original is None:
        raise NotFound(f"台账记录 {movement_id} 不存在 (no movement {movement_id})")
    if original.kind == MovementKind.REVERSAL:
        raise ValidationError(
            "movement", "冲正记录本身不能再冲正", message_en="a reversal cannot be reversed"
        )
    group = [original]
    if original.transfer_ref:
        group = list(
            session.scalars(
                select(Movement)
                .where(Movement.transfer_ref == original.transfer_ref)
                .where(Movement.kind.in_([MovementKind.TRANSFER_OUT, MovementKind.TRANSFER_IN]))
                .order_by(Movement.quantity.desc())  # undo the receiving side first
            )
        )
    locking.lock_lots(session, [m.lot_id for m in group])  # then the check sees a reversal
    done = session.scalars(  # committed meanwhile by someone else
        select(Movement.reverses_id).where(Movement.reverses_id.in_([m.id for m in group]))
    ).all()
    if done:
        raise ValidationError(
            "movement",
            f"台账记录 {movement_id} 已冲正过",
            message_en=f"movement {movement_id} was already reversed",
        )
    for movement in group:
        if on < movement.moved_on:
            raise ValidationError(
                "date",
                f"冲正日期 {on.isoformat()} 早于原台账记录 #{movement.id} 的日期"
                f" {movement.moved_on.isoformat()}",
                message_en=f"date {on.isoformat()} is before movement #{movement.id}"
                f" ({movement.moved_on.isoformat()})",
                rule="before_original",
            )
    changes = Changes()
    for movement in group:
        lot = _lock(session, movement.lot_id)
        _post(
            session,
            changes,
            lot,
            MovementKind.REVERSAL,
            -Decimal(movement.quantity),
            on,
            operator=operator,
            reason=f"冲正 #{movement.id}：{reason}",
            reverses_id=movement.id,
        )
    return changes
