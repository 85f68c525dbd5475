"""The movement ledger (出入库台账): every stock operation appends movements, never edits them.

Each public function is one user action. It takes the caller's session (the caller owns the
transaction: commit on success, roll back on any error), validates everything first, raises
``ValidationError(field, message)`` on bad input, locks the lots it changes, appends the
movements, keeps ``Lot.on_hand`` equal to the ledger sum and writes the audit log.

The shared checks, ``Changes`` and the posting of one movement live in
:mod:`drillplan.stock.posting`; the stocktake and reversals in
:mod:`drillplan.stock.corrections`. Both are re-exported here, so
``from drillplan.stock.ledger import ...`` keeps working for every name.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Lot
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_optional_money
from drillplan.kernel.vocab import MovementKind
from drillplan.stock import locking
from drillplan.stock.dates import balance_on
from drillplan.stock.posting import (
    Changes,
    _holder,
    _lock,
    _material,
    _post,
    _take,
    check_date,
    quantity_value,
)

# isort: split
# Re-exported: the stocktake and reversals were part of this module before the split.
from drillplan.stock.corrections import count as count
from drillplan.stock.corrections import reverse as reverse

WRITE_OFF_REASONS: dict[str, tuple[str, str]] = {
    "expired": ("过期", "expired"),
    "damaged": ("损坏", "damaged"),
    "lost": ("丢失", "lost"),
    "drill": ("演练消耗", "used in a drill"),
    "response": ("应急处置消耗", "used in a real response"),
}


# ----------------------------------------------------------------------------- operations


def receive(
    session: Session,
    *,
    holder_id: int,
    material_id: int,
    quantity: object,
    on: dt.date,
    batch_no: str,
    production_date: dt.date | None = None,
    expiry_date: dt.date | None = None,
    lot_id: int | None = None,
    uom: str | None = None,
    unit_cost: object = None,
    supplier: str | None = None,
    source: str | None = None,
    location: str | None = None,
    document_no: str | None = None,
    reason: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
    entry_kind: MovementKind = MovementKind.RECEIPT,
) -> Changes:
    """入库: receive a new lot, or more of an existing lot (same material, holder and batch).

    ``entry_kind`` is the ledger entry written: a receipt, or the fresh side of a rotation
    (the ledger is append-only: the entry is written as what it is, never changed after)."""
    if entry_kind not in (MovementKind.RECEIPT, MovementKind.ROTATION_IN):
        raise ValueError(f"receive writes a receipt or a rotation_in, not {entry_kind}")
    qty = quantity_value(quantity)
    check_date(session, on, today=today)
    material = _material(session, material_id)
    _holder(session, holder_id)
    if uom is not None and uom.strip() != material.uom:
        raise ValidationError(
            "uom",
            f"计量单位“{uom}”与物资 {material.name} 的单位“{material.uom}”不符",
            message_en=f"unit {uom!r} does not match the material's unit {material.uom!r}",
        )
    batch_no = (batch_no or "").strip()
    if not batch_no:
        raise ValidationError("batch_no", "批次号不能为空", message_en="batch number is required")
    unit_cost = parse_optional_money(unit_cost, field="unit_cost", what="单价")
    if expiry_date is None and production_date is not None and material.shelf_life_days:
        expiry_date = production_date + dt.timedelta(days=material.shelf_life_days)
    if expiry_date is not None and production_date is not None and expiry_date < production_date:
        raise ValidationError(
            "expiry_date",
            f"有效期至 {expiry_date} 早于生产日期 {production_date}",
            message_en="expiry date is before the production date",
        )
    if production_date is not None and production_date > (today or dt.date.today()):
        raise ValidationError(
            "production_date", "生产日期不能晚于今天", message_en="production date in the future"
        )

    locking.lock_holders(session, [holder_id])  # two receipts cannot both create the batch
    if lot_id is not None:
        lot = _lock(session, lot_id)
        if lot.material_id != material.id:
            raise ValidationError(
                "material",
                f"批次 {lot.batch_no} 属于另一种物资，不能按 {material.name} 入库",
                message_en="the lot holds another material",
            )
        if lot.holder_id != holder_id:
            raise ValidationError(
                "holder", "批次不在该储备库/队伍", message_en="the lot is at another holder"
            )
    else:
        lot_id = session.scalar(
            select(Lot.id).where(
                Lot.material_id == material.id,
                Lot.holder_id == holder_id,
                Lot.batch_no == batch_no,
            )
        )
        lot = _lock(session, lot_id) if lot_id is not None else None
    if lot is not None:
        for name, given, kept in (
            ("expiry_date", expiry_date, lot.expiry_date),
            ("production_date", production_date, lot.production_date),
        ):
            if given is not None and kept is not None and given != kept:
                raise ValidationError(
                    name,
                    f"批次 {lot.batch_no} 已登记的日期为 {kept}，与输入 {given} 不一致",
                    message_en=f"lot {lot.batch_no} is recorded with {kept}, not {given}",
                )
    else:
        lot = Lot(
            material_id=material.id,
            holder_id=holder_id,
            batch_no=batch_no,
            production_date=production_date,
            expiry_date=expiry_date,
            unit_cost=unit_cost,
            supplier=supplier,
            source=source,
            location=location,
            on_hand=Decimal(0),
        )
        session.add(lot)
        session.flush()
    changes = Changes()
    _post(
        session,
        changes,
        lot,
        entry_kind,
        qty,
        on,
        operator=operator,
        reason=reason,
        document_no=document_no,
        counterpart=supplier,
    )
    return changes


def issue(
    session: Session,
    *,
    holder_id: int,
    material_id: int,
    quantity: object,
    on: dt.date,
    lot_ids: Sequence[int] | None = None,
    force_expired_reason: str | None = None,
    reason: str | None = None,
    document_no: str | None = None,
    counterpart: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """领用/发料: issue stock, first-expire-first-out unless lots are named.

    Expired lots are never chosen unless ``force_expired_reason`` says why.
    """
    qty = quantity_value(quantity)
    check_date(session, on, today=today)
    _material(session, material_id)
    _holder(session, holder_id)
    changes = Changes()
    for lot, take in _take(
        session,
        holder_id=holder_id,
        material_id=material_id,
        quantity=qty,
        on=on,
        lot_ids=lot_ids,
        force_reason=force_expired_reason,
    ):
        expired = lot.expiry_date is not None and lot.expiry_date < on
        note = reason
        if expired:
            note = f"{reason or ''} [强制发放过期批次: {force_expired_reason}]".strip()
        _post(
            session,
            changes,
            lot,
            MovementKind.ISSUE,
            -take,
            on,
            operator=operator,
            reason=note,
            document_no=document_no,
            counterpart=counterpart,
        )
    return changes


def transfer(
    session: Session,
    *,
    from_holder_id: int,
    to_holder_id: int,
    material_id: int,
    quantity: object,
    on: dt.date,
    lot_ids: Sequence[int] | None = None,
    reason: str | None = None,
    document_no: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """调拨: move stock to another depot or a team, keeping batch, dates and cost."""
    qty = quantity_value(quantity)
    check_date(session, on, today=today)
    _material(session, material_id)
    _holder(session, from_holder_id, "from_holder")
    target = _holder(session, to_holder_id, "to_holder")
    if from_holder_id == to_holder_id:
        raise ValidationError(
            "to_holder", "调入方与调出方相同", message_en="transfer to the same holder"
        )
    ref = f"TR-{uuid.uuid4().hex[:12].upper()}"
    changes = Changes(transfer_ref=ref)
    locking.lock_stock_of(  # both sides at once: opposite transfers queue, never deadlock
        session,
        material_id=material_id,
        holder_ids=(from_holder_id, target.id),
        new_lots_at=(target.id,),
    )
    for lot, take in _take(
        session,
        holder_id=from_holder_id,
        material_id=material_id,
        quantity=qty,
        on=on,
        lot_ids=lot_ids,
        force_reason=None,
    ):
        dest_id = session.scalar(
            select(Lot.id).where(
                Lot.material_id == material_id,
                Lot.holder_id == target.id,
                Lot.batch_no == lot.batch_no,
            )
        )
        if dest_id is None:
            dest = Lot(
                material_id=material_id,
                holder_id=target.id,
                batch_no=lot.batch_no,
                production_date=lot.production_date,
                expiry_date=lot.expiry_date,
                source=lot.source,
                supplier=lot.supplier,
                unit_cost=lot.unit_cost,
                on_hand=Decimal(0),
            )
            session.add(dest)
            session.flush()
        else:
            dest = _lock(session, dest_id)
            if dest.expiry_date != lot.expiry_date:
                raise ValidationError(
                    "lot",
                    f"调入方已有批次 {lot.batch_no}，但有效期不同",
                    message_en=f"the receiver holds batch {lot.batch_no} with another expiry",
                )
        _post(
            session,
            changes,
            lot,
            MovementKind.TRANSFER_OUT,
            -take,
            on,
            operator=operator,
            reason=reason,
            document_no=document_no,
            transfer_ref=ref,
        )
        _post(
            session,
            changes,
            dest,
            MovementKind.TRANSFER_IN,
            take,
            on,
            operator=operator,
            reason=reason,
            document_no=document_no,
            transfer_ref=ref,
        )
    return changes


def write_off(
    session: Session,
    *,
    lot_id: int,
    quantity: object,
    on: dt.date,
    reason: str,
    note: str | None = None,
    document_no: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """报损: write stock off for a reason (expired, damaged, lost, drill, response)."""
    qty = quantity_value(quantity)
    check_date(session, on, today=today)
    if reason not in WRITE_OFF_REASONS:
        raise ValidationError(
            "reason",
            f"报损原因必须是 {'、'.join(v[0] for v in WRITE_OFF_REASONS.values())} 之一",
            message_en=f"reason must be one of {', '.join(WRITE_OFF_REASONS)}",
        )
    lot = _lock(session, lot_id)
    changes = Changes()
    text = WRITE_OFF_REASONS[reason][0] + (f"：{note}" if note else "")
    _post(
        session,
        changes,
        lot,
        MovementKind.WRITE_OFF,
        -qty,
        on,
        operator=operator,
        reason=text,
        document_no=document_no,
    )
    return changes


def rotate(
    session: Session,
    *,
    lot_id: int,
    on: dt.date,
    new_batch_no: str,
    new_expiry_date: dt.date | None = None,
    new_production_date: dt.date | None = None,
    quantity: object | None = None,
    unit_cost: object = None,
    supplier: str | None = None,
    document_no: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """轮换: replace (part of) a lot nearing expiry with fresh stock; both sides recorded."""
    check_date(session, on, today=today)
    locking.lock_around_lot(session, lot_id)  # the holder and its lots first: the global order
    old = _lock(session, lot_id)
    qty = quantity_value(quantity if quantity is not None else balance_on(session, old, on))
    new_batch_no = (new_batch_no or "").strip()
    if not new_batch_no or new_batch_no == old.batch_no:
        raise ValidationError(
            "new_batch_no",
            "轮换入库需要一个新的批次号",
            message_en="rotation needs a new batch number",
        )
    material = _material(session, old.material_id)
    if new_expiry_date is None and new_production_date and material.shelf_life_days:
        new_expiry_date = new_production_date + dt.timedelta(days=material.shelf_life_days)
    if (
        new_expiry_date is not None
        and old.expiry_date is not None
        and new_expiry_date <= old.expiry_date
    ):
        raise ValidationError(
            "new_expiry_date",
            "轮换入库的新批次有效期必须晚于旧批次",
            message_en="the fresh lot must expire after the old one",
        )
    changes = Changes()
    _post(
        session,
        changes,
        old,
        MovementKind.ROTATION_OUT,
        -qty,
        on,
        operator=operator,
        reason=f"轮换为新批次 {new_batch_no}",
        document_no=document_no,
    )
    received = receive(
        session,
        holder_id=old.holder_id,
        material_id=old.material_id,
        quantity=qty,
        on=on,
        batch_no=new_batch_no,
        production_date=new_production_date,
        expiry_date=new_expiry_date,
        unit_cost=unit_cost if unit_cost is not None else old.unit_cost,
        supplier=supplier,
        document_no=document_no,
        operator=operator,
        today=today,
        reason=f"轮换替换批次 {old.batch_no}",
        entry_kind=MovementKind.ROTATION_IN,  # the fresh side, recorded as what it is
    )
    fresh = received.movements[0]
    changes.movements.append(fresh)
    changes.lot_ids |= received.lot_ids
    return changes
