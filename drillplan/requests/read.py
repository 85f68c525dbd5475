"""Reading allocation requests: the record a command or page shows, overdue requests and
drill loans not sent back (the dashboard)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from drillplan.db.models import AllocationRequest
from drillplan.kernel.errors import NotFound
from drillplan.kernel.vocab import AllocationPurpose, RequestState, label
from drillplan.stock.holders import describe

#: not received yet and not closed: these can be overdue
PENDING = (
    RequestState.REQUESTED,
    RequestState.APPROVED,
    RequestState.PARTLY_APPROVED,
    RequestState.DISPATCHED,
)
#: days after receipt a drill loan is expected back (the dashboard's default)
LOAN_DAYS = 30


def by_number(session: Session, number: str) -> AllocationRequest:
    request = session.scalar(
        select(AllocationRequest).where(AllocationRequest.number == number.strip())
    )
    if request is None:
        raise NotFound(f"没有编号为 {number} 的调拨申请 (no allocation request {number})")
    return request


def _qty(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value).normalize():f}"


def request_record(
    session: Session, request: AllocationRequest, *, lang: str = "zh"
) -> dict[str, Any]:
    """Every field of a request with its lines and active reservations (stable keys:
    docs/cli.md)."""
    asker, holder = (
        describe(session, request.requester_holder_id),
        describe(session, request.holder_id),
    )
    lines = []
    for line in request.lines:
        material = line.material
        lines.append(
            {
                "material_code": material.code,
                "material": material.name,
                "uom": material.uom,
                "requested": _qty(line.requested_qty),
                "approved": _qty(line.approved_qty),
                "dispatched": _qty(line.dispatched_qty),
                "received": _qty(line.received_qty),
                "reserved": [
                    {
                        "batch_no": r.lot.batch_no,
                        "expiry_date": r.lot.expiry_date.isoformat() if r.lot.expiry_date else None,
                        "quantity": _qty(r.quantity),
                    }
                    for r in line.reservations
                    if r.active
                ],
            }
        )
    day = lambda d: d.isoformat() if d else None  # noqa: E731
    return {
        "number": request.number,
        "state": request.state.value,
        "state_label": label(request.state, lang),
        "purpose": request.purpose.value,
        "purpose_label": label(request.purpose, lang),
        "requester_code": asker.code,
        "requester": asker.name,
        "holder_code": holder.code,
        "holder": holder.name,
        "needed_by": day(request.needed_by),
        "requested_on": day(request.requested_on),
        "requested_by": request.requested_by,
        "note": request.note,
        "approver": request.approver,
        "decided_on": day(request.decided_on),
        "refusal_reason": request.refusal_reason,
        "dispatch_note_no": request.dispatch_note_no,
        "dispatched_on": day(request.dispatched_on),
        "received_on": day(request.received_on),
        "receipt_note": request.receipt_note,
        "returns": request_number(session, request.returns_request_id),
        "row_version": request.row_version,
        "lines": lines,
    }


def request_detail(session: Session, request_id: int, *, lang: str = "zh") -> dict[str, Any]:
    """:func:`request_record` of the request ``request_id`` with its ``id`` (the desktop)."""
    request = session.get(AllocationRequest, request_id)
    if request is None:
        raise NotFound(f"调拨申请 {request_id} 不存在 (no allocation request {request_id})")
    return {"id": request_id, **request_record(session, request, lang=lang)}


def request_number(session: Session, request_id: int | None) -> str | None:
    if request_id is None:
        return None
    return session.scalar(
        select(AllocationRequest.number).where(AllocationRequest.id == request_id)
    )


@dataclass(frozen=True)
class Late:
    """A request on the dashboard: overdue, or a drill loan not sent back."""

    request_id: int
    number: str
    state: RequestState
    requester: str
    holder: str
    due: dt.date
    days_late: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "state": self.state.value,
            "requester": self.requester,
            "holder": self.holder,
            "due": self.due.isoformat(),
            "days_late": self.days_late,
        }


def _late(session: Session, request: AllocationRequest, due: dt.date, as_of: dt.date) -> Late:
    return Late(
        request.id,
        request.number,
        request.state,
        describe(session, request.requester_holder_id).name,
        describe(session, request.holder_id).name,
        due,
        (as_of - due).days,
    )


def overdue_requests(session: Session, *, as_of: dt.date) -> list[Late]:
    """Requests whose needed-by date has passed and that are not received (nor refused or
    cancelled), most overdue first."""
    found = session.scalars(
        select(AllocationRequest)
        .where(AllocationRequest.state.in_(PENDING), AllocationRequest.needed_by < as_of)
        .order_by(AllocationRequest.needed_by, AllocationRequest.number)
    )
    return [_late(session, r, r.needed_by, as_of) for r in found]


def unreturned_loans(session: Session, *, as_of: dt.date, days: int = LOAN_DAYS) -> list[Late]:
    """Drill loans (purpose 演练, received) more than ``days`` after receipt with no return
    request of theirs received."""
    back = aliased(AllocationRequest)
    returned = select(back.returns_request_id).where(
        back.returns_request_id.is_not(None), back.state == RequestState.RECEIVED
    )
    found = session.scalars(
        select(AllocationRequest)
        .where(
            AllocationRequest.purpose == AllocationPurpose.DRILL,
            AllocationRequest.state == RequestState.RECEIVED,
            AllocationRequest.returns_request_id.is_(None),
            AllocationRequest.received_on < as_of - dt.timedelta(days=days),
            AllocationRequest.id.not_in(returned),
        )
        .order_by(AllocationRequest.received_on, AllocationRequest.number)
    )
    out = []
    for r in found:
        assert r.received_on is not None
        out.append(_late(session, r, r.received_on + dt.timedelta(days=days), as_of))
    return out
