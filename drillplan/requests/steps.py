"""The steps of an allocation request (调拨申请), each one user action on the caller's session.

request -> approve (whole or part: reserves lots FEFO) / refuse (with a reason) -> dispatch
(transfer-out from the reserved lots, reservation released, dispatch note 调拨单) -> receive
(transfer-in at the requester; a shortfall becomes an explained adjustment); cancel releases
the reservations. Every step validates first, locks the rows it changes (the request, then the
holders and lots in the global order of :mod:`drillplan.stock.locking`), re-checks inside the
transaction, appends movements through :mod:`drillplan.stock.posting` and writes the audit log.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import AllocationLine, AllocationRequest, Lot, Movement, Reservation
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.identity import attributed
from drillplan.kernel.vocab import AllocationPurpose, MovementKind, RequestState
from drillplan.requests.rules import (
    by_material,
    holder_name,
    load,
    require_scope,
    require_state,
    usable,
)
from drillplan.stock import locking
from drillplan.stock.fefo import pick_lots
from drillplan.stock.posting import Changes, _holder, _lock, _material, _post, check_date

OPEN_STATES = (RequestState.REQUESTED, RequestState.APPROVED, RequestState.PARTLY_APPROVED)
APPROVED_STATES = (RequestState.APPROVED, RequestState.PARTLY_APPROVED)


def shown(value: object) -> str:
    """A quantity as people write it: 45, 2.5 (no trailing zeros)."""
    number = Decimal(str(value)).normalize()
    return f"{number:f}"


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def next_number(session: Session, year: int) -> str:
    """The next free number of the year: DB-2026-0001, DB-2026-0002 ..."""
    prefix = f"DB-{year}-"
    last = session.scalar(
        select(func.max(AllocationRequest.number)).where(
            AllocationRequest.number.like(f"{prefix}%")
        )
    )
    seq = int(last[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{seq:04d}"


def _record(
    session: Session, request: AllocationRequest, before: dict[str, Any], action: str, user: str
) -> None:
    auditlog.record(
        session,
        user=user,
        action=f"request.{action}",
        row=request,
        before=before,
        after={
            **auditlog.snapshot(request),
            "lines": [auditlog.snapshot(line) for line in request.lines],
        },
    )


def _line_values(
    session: Session, lines: Sequence[Mapping[str, object]], *, holder_id: int, on: dt.date
) -> list[tuple[int, Decimal]]:
    if not lines:
        raise ValidationError(
            "lines", "调拨申请至少需要一种物资", message_en="a request needs at least one line"
        )
    out: list[tuple[int, Decimal]] = []
    seen: set[int] = set()
    for n, line in enumerate(lines, start=1):
        material_id = v.parse_id(line.get("material_id"), field="material", what="物资")
        material = _material(session, material_id)
        if material_id in seen:
            raise ValidationError(
                "material",
                f"第 {n} 项：物资 {material.name} 重复，请合并为一行",
                message_en=f"line {n}: material {material.code} twice",
            )
        seen.add(material_id)
        qty = v.parse_quantity(line.get("quantity"), field="quantity", what=f"第 {n} 项数量")
        have = usable(session, holder_id=holder_id, material_id=material_id, on=on)
        if qty > have:
            raise ValidationError(
                "quantity",
                f"第 {n} 项：申请 {material.name} {shown(qty)}{material.uom}，超过"
                f"{holder_name(session, holder_id)}的可用库存 {shown(have)}{material.uom}"
                "（不含过期和已预留的数量）",
                message_en=f"line {n}: {shown(qty)} {material.code} exceeds the usable"
                f" {shown(have)}",
                rule="more_than_usable",
            )
        out.append((material_id, qty))
    return out


def create_request(
    session: Session,
    *,
    requester_holder_id: int,
    holder_id: int,
    purpose: object,
    needed_by: object,
    lines: Sequence[Mapping[str, object]],
    note: object = None,
    returns_request_id: int | None = None,
    user: str = "system",
    today: dt.date | None = None,
) -> AllocationRequest:
    """申请: ``lines`` are ``{"material_id": id, "quantity": q}``; refused (field ``quantity``)
    when a line asks more than the holder has usable."""
    on = _today(today)
    _holder(session, requester_holder_id, "requester")
    _holder(session, holder_id, "holder")
    if requester_holder_id == holder_id:
        raise ValidationError(
            "holder", "申请方与被申请方相同", message_en="requester and holder are the same"
        )
    check = v.Checks()
    kind = check(v.parse_enum, AllocationPurpose, purpose, field="purpose", what="用途")
    needed = check(v.parse_date, needed_by, field="needed_by")
    text = check(v.parse_text, note, field="note", what="说明", max_len=500)
    check.done()
    if needed < on:
        raise ValidationError(
            "needed_by",
            f"需用日期 {needed} 早于今天 {on}",
            message_en=f"needed-by {needed} is before today {on}",
        )
    require_scope(session, requester_holder_id, field="requester", role_zh="申请方")
    if returns_request_id is not None:
        original = load(session, returns_request_id, lock=False)
        if (original.requester_holder_id, original.holder_id) != (holder_id, requester_holder_id):
            raise ValidationError(
                "returns_request",
                f"归还申请须由 {original.number} 的被申请方向其申请方发起",
                message_en="a return goes from the original holder back to the requester",
            )
    locking.lock_holders(session, [holder_id])  # two requests against one holder queue
    values = _line_values(session, lines, holder_id=holder_id, on=on)
    operator, _note = attributed(session, user)
    request = AllocationRequest(
        number=next_number(session, on.year),
        requester_holder_id=requester_holder_id,
        holder_id=holder_id,
        purpose=kind,
        needed_by=needed,
        state=RequestState.REQUESTED,
        requested_by=operator,
        requested_on=on,
        note=text,
        returns_request_id=returns_request_id,
        lines=[AllocationLine(material_id=m, requested_qty=q) for m, q in values],
    )
    session.add(request)
    session.flush()
    _record(session, request, {}, "create", user)
    return request


def _release(request: AllocationRequest) -> None:
    for line in request.lines:
        for reservation in line.reservations:
            reservation.active = False


def approve(
    session: Session,
    *,
    request_id: int,
    approved: Mapping[int, object] | None = None,
    expected_version: int | None = None,
    user: str = "system",
    today: dt.date | None = None,
) -> AllocationRequest:
    """批准: ``approved`` maps material id -> quantity (missing: as requested; 0: none of it).

    Each approved quantity is reserved on the holder's usable lots, first expire first out,
    after locking them: two approvals of the same lots queue, the second one re-checks what the
    first left (field ``approved_quantity`` when it is no longer there)."""
    on = _today(today)
    request = load(session, request_id)
    c.check_version(request, expected_version, f"调拨申请 {request.number} ")
    require_state(request, RequestState.REQUESTED, doing="批准")
    require_scope(session, request.holder_id, field="approver", role_zh="审批人")
    wanted = by_material(request, approved, field="approved_quantity")
    quantities: dict[int, Decimal] = {}
    for line in request.lines:
        raw = wanted.get(line.material_id, line.requested_qty)
        qty = v.parse_quantity(raw, field="approved_quantity", what="批准数量", sign="non_negative")
        if qty > line.requested_qty:
            raise ValidationError(
                "approved_quantity",
                f"{line.material.name} 批准数量 {shown(qty)}"
                f" 超过申请数量 {shown(line.requested_qty)}",
                message_en=f"approved {shown(qty)} exceeds the requested"
                f" {shown(line.requested_qty)}",
            )
        quantities[line.id] = qty
    if not any(quantities.values()):
        raise ValidationError(
            "approved_quantity",
            "批准数量全部为 0：请改为拒绝并说明原因",
            message_en="nothing approved: refuse the request with a reason instead",
        )
    before = auditlog.snapshot(request)
    for line in sorted(request.lines, key=lambda line: line.material_id):
        qty = quantities[line.id]
        line.approved_qty = qty
        if qty == 0:
            continue
        locking.lock_stock_of(session, material_id=line.material_id, holder_ids=[request.holder_id])
        try:
            picks = pick_lots(
                session,
                holder_id=request.holder_id,
                material_id=line.material_id,
                quantity=qty,
                on=on,
            )
        except ValidationError as exc:
            raise ValidationError(
                "approved_quantity",
                f"{line.material.name} 批准数量 {shown(qty)}"
                f" 超过当前可用库存（不含过期和已预留的数量）：{exc.message}",
                message_en=f"approved {shown(qty)} exceeds the usable stock now",
                rule="more_than_usable",
            ) from exc
        for lot_id, take in picks:
            line.reservations.append(Reservation(lot_id=lot_id, quantity=take))
    whole = all(quantities[line.id] == line.requested_qty for line in request.lines)
    request.state = RequestState.APPROVED if whole else RequestState.PARTLY_APPROVED
    request.approver, _note = attributed(session, user)
    request.decided_on = on
    c.flush(session, f"调拨申请 {request.number} ")
    _record(session, request, before, "approve", user)
    return request


def refuse(
    session: Session,
    *,
    request_id: int,
    reason: object,
    expected_version: int | None = None,
    user: str = "system",
    today: dt.date | None = None,
) -> AllocationRequest:
    """拒绝: a reason is required."""
    on = _today(today)
    text = v.parse_text(reason, field="reason", what="拒绝原因", max_len=500, required=True)
    request = load(session, request_id)
    c.check_version(request, expected_version, f"调拨申请 {request.number} ")
    require_state(request, RequestState.REQUESTED, doing="拒绝")
    require_scope(session, request.holder_id, field="approver", role_zh="审批人")
    before = auditlog.snapshot(request)
    request.state = RequestState.REFUSED
    request.refusal_reason = text
    request.approver, _note = attributed(session, user)
    request.decided_on = on
    for line in request.lines:
        line.approved_qty = Decimal(0)
    c.flush(session, f"调拨申请 {request.number} ")
    _record(session, request, before, "refuse", user)
    return request


def transfer_ref_of(request: AllocationRequest) -> str:
    return f"AR-{request.number}"


def dispatch(
    session: Session,
    *,
    request_id: int,
    dispatch_note_no: object = None,
    on: dt.date | None = None,
    expected_version: int | None = None,
    user: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """发运: transfer-out of the reserved lots (the reservation is released in the same
    transaction), the dispatch note number recorded (default: the request's number)."""
    day = check_date(session, on or _today(today), today=_today(today))
    request = load(session, request_id)
    c.check_version(request, expected_version, f"调拨申请 {request.number} ")
    require_state(request, *APPROVED_STATES, doing="发运")
    require_scope(session, request.holder_id, field="dispatcher", role_zh="发运人")
    note_no = (
        v.parse_text(dispatch_note_no, field="dispatch_note_no", what="调拨单号", max_len=40)
        or request.number
    )
    before = auditlog.snapshot(request)
    lot_ids = [r.lot_id for line in request.lines for r in line.reservations if r.active]
    locking.lock_lots(session, lot_ids)
    ref = transfer_ref_of(request)
    changes = Changes(transfer_ref=ref)
    operator, _note = attributed(session, user)
    counterpart = holder_name(session, request.requester_holder_id)
    for n, line in enumerate(request.lines, start=1):
        line.transfer_ref = f"{ref}-{n}"  # one material per ledger transfer
        sent = Decimal(0)
        for reservation in line.reservations:
            if not reservation.active:
                continue
            reservation.active = False
            session.flush()  # released first: the quantity is this dispatch's to take
            lot = _lock(session, reservation.lot_id)
            _post(
                session,
                changes,
                lot,
                MovementKind.TRANSFER_OUT,
                -Decimal(reservation.quantity),
                day,
                operator=operator,
                reason=f"调拨申请 {request.number} 发运",
                document_no=note_no,
                counterpart=counterpart,
                transfer_ref=line.transfer_ref,
            )
            sent += Decimal(reservation.quantity)
        line.dispatched_qty = sent
    request.state = RequestState.DISPATCHED
    request.dispatch_note_no = note_no
    request.dispatched_on = day
    request.dispatched_by = operator
    request.transfer_ref = ref
    c.flush(session, f"调拨申请 {request.number} ")
    _record(session, request, before, "dispatch", user)
    return changes


def _receiving_lot(session: Session, source: Lot, holder_id: int) -> Lot:
    dest_id = session.scalar(
        select(Lot.id).where(
            Lot.material_id == source.material_id,
            Lot.holder_id == holder_id,
            Lot.batch_no == source.batch_no,
        )
    )
    if dest_id is not None:
        dest = _lock(session, dest_id)
        if dest.expiry_date != source.expiry_date:
            raise ValidationError(
                "lot",
                f"接收方已有批次 {source.batch_no}，但有效期不同",
                message_en=f"the receiver holds batch {source.batch_no} with another expiry",
            )
        return dest
    dest = Lot(
        material_id=source.material_id,
        holder_id=holder_id,
        batch_no=source.batch_no,
        production_date=source.production_date,
        expiry_date=source.expiry_date,
        source=source.source,
        supplier=source.supplier,
        unit_cost=source.unit_cost,
        on_hand=Decimal(0),
    )
    session.add(dest)
    session.flush()
    return dest


def receive(
    session: Session,
    *,
    request_id: int,
    received: Mapping[int, object] | None = None,
    note: object = None,
    on: dt.date | None = None,
    expected_version: int | None = None,
    user: str = "system",
    today: dt.date | None = None,
) -> Changes:
    """接收: ``received`` maps material id -> quantity (missing: as dispatched). More than
    dispatched is refused (field ``received_quantity``); less is posted as transfer-in of the
    whole dispatch and an adjustment of the difference, explained by ``note`` (required)."""
    day = check_date(session, on or _today(today), today=_today(today))
    request = load(session, request_id)
    c.check_version(request, expected_version, f"调拨申请 {request.number} ")
    require_state(request, RequestState.DISPATCHED, doing="确认接收")
    require_scope(session, request.requester_holder_id, field="receiver", role_zh="接收人")
    if request.dispatched_on is not None and day < request.dispatched_on:
        raise ValidationError(
            "date",
            f"接收日期 {day} 早于发运日期 {request.dispatched_on}",
            message_en="received before it was dispatched",
        )
    wanted = by_material(request, received, field="received_quantity")
    got: dict[int, Decimal] = {}
    for line in request.lines:
        sent = Decimal(line.dispatched_qty or 0)
        qty = v.parse_quantity(
            wanted.get(line.material_id, sent),
            field="received_quantity",
            what="接收数量",
            sign="non_negative",
        )
        if qty > sent:
            raise ValidationError(
                "received_quantity",
                f"{line.material.name} 接收数量 {shown(qty)} 超过发运数量 {shown(sent)}",
                message_en=f"received {shown(qty)} exceeds the dispatched {shown(sent)}",
                rule="more_than_dispatched",
            )
        got[line.id] = qty
    text = v.parse_text(note, field="receipt_note", what="接收说明", max_len=500)
    short = any(got[line.id] < Decimal(line.dispatched_qty or 0) for line in request.lines)
    if short and text is None:
        raise ValidationError(
            "receipt_note",
            "接收数量少于发运数量，请说明原因（如运输损坏、短少）",
            message_en="less received than dispatched: explain the difference",
        )
    before = auditlog.snapshot(request)
    ref = request.transfer_ref or transfer_ref_of(request)
    changes = Changes(transfer_ref=ref)
    operator, _note = attributed(session, user)
    target = request.requester_holder_id
    for line in request.lines:
        locking.lock_stock_of(
            session, material_id=line.material_id, holder_ids=[target], new_lots_at=[target]
        )
        landed: list[tuple[Lot, Decimal]] = []
        outs = session.scalars(
            select(Movement)
            .where(
                Movement.transfer_ref == line.transfer_ref,
                Movement.kind == MovementKind.TRANSFER_OUT,
            )
            .order_by(Movement.id)
        ).all()
        for out in outs:
            source = session.get_one(Lot, out.lot_id)
            dest = _receiving_lot(session, source, target)
            qty = -Decimal(out.quantity)
            _post(
                session,
                changes,
                dest,
                MovementKind.TRANSFER_IN,
                qty,
                day,
                operator=operator,
                reason=f"调拨申请 {request.number} 接收",
                document_no=request.dispatch_note_no,
                counterpart=holder_name(session, request.holder_id),
                transfer_ref=line.transfer_ref,
            )
            landed.append((dest, qty))
        missing = Decimal(line.dispatched_qty or 0) - got[line.id]
        for dest, qty in reversed(landed):  # the shortfall, from the last lot received
            if missing <= 0:
                break
            take = min(qty, missing)
            _post(
                session,
                changes,
                dest,
                MovementKind.ADJUSTMENT,
                -take,
                day,
                operator=operator,
                reason=f"调拨申请 {request.number} 接收差异：发运 {shown(line.dispatched_qty)}，"
                f"实收 {shown(got[line.id])}；{text}",
                document_no=request.dispatch_note_no,
            )
            missing -= take
        line.received_qty = got[line.id]
    request.state = RequestState.RECEIVED
    request.received_on = day
    request.received_by = operator
    request.receipt_note = text
    c.flush(session, f"调拨申请 {request.number} ")
    _record(session, request, before, "receive", user)
    return changes


def cancel(
    session: Session,
    *,
    request_id: int,
    expected_version: int | None = None,
    user: str = "system",
    today: dt.date | None = None,
) -> AllocationRequest:
    """撤销: an open request (requested or approved, not dispatched); reservations released."""
    request = load(session, request_id)
    c.check_version(request, expected_version, f"调拨申请 {request.number} ")
    require_state(request, *OPEN_STATES, doing="撤销")
    try:
        require_scope(session, request.requester_holder_id, field="user", role_zh="撤销人")
    except ValidationError:
        require_scope(session, request.holder_id, field="user", role_zh="撤销人")
    before = auditlog.snapshot(request)
    _release(request)
    request.state = RequestState.CANCELLED
    request.cancelled_on = _today(today)
    c.flush(session, f"调拨申请 {request.number} ")
    _record(session, request, before, "cancel", user)
    return request
