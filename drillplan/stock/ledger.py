"""The movement ledger (出入库台账): every stock operation appends movements, never edits them.

Each public function is one user action. It takes the caller's session (the caller owns the
transaction: commit on success, roll back on any error), validates everything first, raises
``ValidationError(field, message)`` on bad input, locks the lots it changes, appends the
movements, keeps ``Lot.on_hand`` equal to the ledger sum and writes the audit log.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan import auditlog
from drillplan.db.models import Holder, Lot, Material, Movement
from drillplan.errors import NotFound, ValidationError
from drillplan.stock.fefo import pick_lots
from drillplan.vocab import MovementKind

WRITE_OFF_REASONS: dict[str, tuple[str, str]] = {
    "expired": ("过期", "expired"),
    "damaged": ("损坏", "damaged"),
    "lost": ("丢失", "lost"),
    "drill": ("演练消耗", "used in a drill"),
    "response": ("应急处置消耗", "used in a real response"),
}


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
    """A strictly positive quantity with at most three decimals."""
    try:
        qty = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            field_name, f"数量“{value}”不是数字", message_en=f"quantity {value!r} is not a number"
        ) from exc
    if not qty.is_finite() or qty <= 0:
        raise ValidationError(
            field_name, f"数量必须大于 0（输入为 {value}）", message_en="quantity must be > 0"
        )
    if qty != qty.quantize(Decimal("0.001")):
        raise ValidationError(
            field_name, "数量最多保留三位小数", message_en="at most three decimals"
        )
    return qty


def check_date(on: dt.date, *, today: dt.date | None, field_name: str = "date") -> dt.date:
    today = today or dt.date.today()
    if on > today:
        raise ValidationError(
            field_name,
            f"日期 {on.isoformat()} 晚于今天 {today.isoformat()}，不能登记未来的出入库",
            message_en=f"date {on.isoformat()} is after today ({today.isoformat()})",
        )
    return on


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
) -> Movement:
    new_on_hand = Decimal(lot.on_hand) + quantity
    if new_on_hand < 0:
        raise ValidationError(
            "quantity",
            f"批次 {lot.batch_no} 结存 {lot.on_hand}，不足以出库 {-quantity}",
            message_en=f"lot {lot.batch_no} holds {lot.on_hand}, cannot take {-quantity}",
        )
    movement = Movement(
        lot_id=lot.id,
        kind=kind,
        quantity=quantity,
        moved_on=on,
        operator=operator,
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
    unit_cost: Decimal | None = None,
    supplier: str | None = None,
    source: str | None = None,
    location: str | None = None,
    document_no: str | None = None,
    reason: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """入库: receive a new lot, or more of an existing lot (same material, holder and batch)."""
    qty = quantity_value(quantity)
    check_date(on, today=today)
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
    if unit_cost is not None and Decimal(unit_cost) < 0:
        raise ValidationError("unit_cost", "单价不能为负数", message_en="unit cost must be >= 0")
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
        MovementKind.RECEIPT,
        qty,
        on,
        operator=operator,
        reason=reason,
        document_no=document_no,
        counterpart=supplier,
    )
    return changes


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
    check_date(on, today=today)
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
    check_date(on, today=today)
    _material(session, material_id)
    _holder(session, from_holder_id, "from_holder")
    target = _holder(session, to_holder_id, "to_holder")
    if from_holder_id == to_holder_id:
        raise ValidationError(
            "to_holder", "调入方与调出方相同", message_en="transfer to the same holder"
        )
    ref = f"TR-{uuid.uuid4().hex[:12].upper()}"
    changes = Changes(transfer_ref=ref)
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
    check_date(on, today=today)
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
    unit_cost: Decimal | None = None,
    supplier: str | None = None,
    document_no: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """轮换: replace (part of) a lot nearing expiry with fresh stock; both sides recorded."""
    check_date(on, today=today)
    old = _lock(session, lot_id)
    qty = quantity_value(quantity if quantity is not None else old.on_hand)
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
    )
    # record the fresh side as rotation_in rather than a plain receipt
    fresh = received.movements[0]
    fresh.kind = MovementKind.ROTATION_IN
    fresh.reason = f"轮换替换批次 {old.batch_no}"
    session.flush()
    changes.movements.append(fresh)
    changes.lot_ids |= received.lot_ids
    return changes


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
    check_date(on, today=today)
    _holder(session, holder_id)
    wanted: dict[int, Decimal] = {}
    for lot_id, value in counted.items():
        try:
            qty = Decimal(str(value).strip().replace(",", ""))
        except (InvalidOperation, ValueError) as exc:
            raise ValidationError(
                "counted", f"批次 {lot_id} 的盘点数“{value}”不是数字", message_en="not a number"
            ) from exc
        if not qty.is_finite() or qty < 0:
            raise ValidationError(
                "counted",
                f"批次 {lot_id} 的盘点数不能为负数",
                message_en=f"counted quantity of lot {lot_id} must be >= 0",
            )
        wanted[int(lot_id)] = qty
    changes = Changes()
    for lot_id in sorted(wanted):
        lot = _lock(session, lot_id)
        if lot.holder_id != holder_id:
            raise ValidationError(
                "counted",
                f"批次 {lot.batch_no} 不在本次盘点的储备库/队伍",
                message_en=f"lot {lot_id} is not held here",
            )
        diff = wanted[lot_id] - Decimal(lot.on_hand)
        if diff != 0:
            _post(
                session,
                changes,
                lot,
                MovementKind.ADJUSTMENT,
                diff,
                on,
                operator=operator,
                reason=f"盘点：账面 {lot.on_hand}，实盘 {wanted[lot_id]}",
                document_no=document_no,
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
    check_date(on, today=today)
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
    done = session.scalars(
        select(Movement.reverses_id).where(Movement.reverses_id.in_([m.id for m in group]))
    ).all()
    if done:
        raise ValidationError(
            "movement",
            f"台账记录 {movement_id} 已冲正过",
            message_en=f"movement {movement_id} was already reversed",
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
