"""Demo allocation requests (调拨申请) between Qingpu holders: one in every state.

Built after the stock ledger, from what it left: each request asks a street depot (or the
district's depots) for a material it holds unexpired, so every approval can be reserved and
every dispatch posted. Movements are dated on the last ledger day, after every other movement,
so no running balance goes below zero; reservations never exceed a lot's stock.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from drillplan.demo.context import Ctx
from drillplan.demo.ledger import Ledger, LotState
from drillplan.kernel.vocab import AllocationPurpose, MovementKind, RequestState

# (state, requester depot, holder depot, purpose, days requested before base, needed-by
# offset from base, the share of the request approved)
PLAN: tuple[tuple[RequestState, str, str, AllocationPurpose, int, int, Decimal], ...] = (
    (RequestState.RECEIVED, "CK-310118002", "CK-310118001", AllocationPurpose.DRILL, 18, -6,
     Decimal(1)),
    (RequestState.DISPATCHED, "CK-310118003", "CK-310118001", AllocationPurpose.RESPONSE, 9, -2,
     Decimal(1)),
    (RequestState.PARTLY_APPROVED, "CK-310118102", "CK-310118104",
     AllocationPurpose.REPLENISHMENT, 6, 12, Decimal("0.5")),
    (RequestState.APPROVED, "CK-310118103", "CK-310118002", AllocationPurpose.DRILL, 5, 9,
     Decimal(1)),
    (RequestState.REFUSED, "CK-310118104", "CK-310118102", AllocationPurpose.ROTATION, 4, 20,
     Decimal(0)),
    (RequestState.REQUESTED, "CK-310118001", "CK-310118003", AllocationPurpose.RESPONSE, 1, 6,
     Decimal(1)),
    (RequestState.CANCELLED, "CK-310118002", "CK-310118103", AllocationPurpose.DRILL, 3, 15,
     Decimal(1)),
)  # fmt: skip
REFUSAL = "本库防汛物资须保障汛期值守，暂不外调；请向区级储备库申请"


def build_requests(ctx: Ctx) -> None:
    ledger: Ledger | None = ctx.extra.get("ledger")
    if ledger is None:
        return
    day = ctx.last_past_day
    used: set[int] = set()  # a lot serves one request
    numbers: dict[int, int] = {}
    for state, asker, holder, purpose, ago, needed, share in PLAN:
        source = ledger.holders.get(f"depot:{holder}")
        target = ledger.holders.get(f"depot:{asker}")
        if source is None or target is None:
            continue
        lot = _lot(ledger, source.key, day, used)
        if lot is None:
            continue
        used.add(lot.id)
        asked = max(1, min(lot.balance - _reserved(ctx, lot.id), 40) // 2)
        requested_on = min(ctx.offset(-ago), day)
        numbers[requested_on.year] = numbers.get(requested_on.year, 0) + 1
        number = f"DB-{requested_on.year}-{numbers[requested_on.year]:04d}"
        approved = (Decimal(asked) * share).to_integral_value() if share else Decimal(0)
        decided = state not in (RequestState.REQUESTED, RequestState.CANCELLED)
        request: dict[str, Any] = {
            "number": number,
            "requester_holder_id": target.id,
            "holder_id": source.id,
            "purpose": purpose,
            "needed_by": ctx.offset(needed),
            "state": state,
            "requested_by": target.keeper,
            "requested_on": requested_on,
            "note": f"{target.name}申请调用{ledger.materials[lot.material]['name']}",
            "approver": source.keeper if decided else None,
            "decided_on": min(requested_on + dt.timedelta(days=1), day) if decided else None,
            "refusal_reason": REFUSAL if state is RequestState.REFUSED else None,
            "cancelled_on": day if state is RequestState.CANCELLED else None,
            "row_version": 1,
        }
        request_id = ctx.add("allocation_request", request)
        line: dict[str, Any] = {
            "request_id": request_id,
            "material_id": lot.row["material_id"],
            "requested_qty": Decimal(asked),
            "approved_qty": approved if decided else None,
        }
        line_id = ctx.add("allocation_line", line)
        if state in (RequestState.APPROVED, RequestState.PARTLY_APPROVED):
            ctx.add("reservation", {"line_id": line_id, "lot_id": lot.id, "quantity": approved,
                                    "active": True})  # fmt: skip
        if state in (RequestState.DISPATCHED, RequestState.RECEIVED):
            _dispatch(ctx, ledger, request, line, lot, int(approved), target, day)
        if state is RequestState.RECEIVED:
            _receive(ctx, ledger, request, line, lot, int(approved), target, source, day)


def _reserved(ctx: Ctx, lot_id: int) -> int:
    return int(sum(r["quantity"] for r in ctx.rows.get("reservation", []) if r["lot_id"] == lot_id))


def _lot(ledger: Ledger, holder_key: str, day: dt.date, used: set[int]) -> LotState | None:
    """The holder's lot with the most stock, unexpired a month on (ties by material, id)."""
    later = day + dt.timedelta(days=60)
    candidates = [
        lot
        for (key, _material), lots in sorted(ledger.index.items())
        if key == holder_key
        for lot in lots
        if lot.id not in used and lot.balance >= 4 and (lot.expiry is None or lot.expiry > later)
    ]
    candidates.sort(key=lambda lot: (-lot.balance, lot.material, lot.id))
    return candidates[0] if candidates else None


def _move(ctx: Ctx, lot: LotState, kind: MovementKind, qty: int, day: dt.date, **kw: Any) -> None:
    lot.balance += qty
    assert lot.balance >= 0
    lot.row["on_hand"] = Decimal(lot.balance)
    ctx.add(
        "movement",
        {
            "lot_id": lot.id,
            "kind": kind,
            "quantity": Decimal(qty),
            "moved_on": day,
            "operator": kw.pop("operator"),
            "reason": kw.pop("reason"),
            "document_no": kw.pop("document_no"),
            "counterpart": kw.pop("counterpart", None),
            "transfer_ref": kw.pop("transfer_ref", None),
            "reverses_id": None,
        },
    )


def _dispatch(
    ctx: Ctx,
    ledger: Ledger,
    request: dict[str, Any],
    line: dict[str, Any],
    lot: LotState,
    qty: int,
    target: Any,
    day: dt.date,
) -> None:
    ref = f"AR-{request['number']}"
    request.update(
        dispatch_note_no=request["number"],
        dispatched_on=day,
        dispatched_by=lot.holder.keeper,
        transfer_ref=ref,
    )
    line.update(dispatched_qty=Decimal(qty), transfer_ref=f"{ref}-1")
    _move(ctx, lot, MovementKind.TRANSFER_OUT, -qty, day, operator=lot.holder.keeper,
          reason=f"调拨申请 {request['number']} 发运", document_no=request["number"],
          counterpart=target.name, transfer_ref=line["transfer_ref"])  # fmt: skip


def _receive(
    ctx: Ctx,
    ledger: Ledger,
    request: dict[str, Any],
    line: dict[str, Any],
    lot: LotState,
    qty: int,
    target: Any,
    source: Any,
    day: dt.date,
) -> None:
    dest = next(
        (x for x in ledger.index.get((target.key, lot.material), []) if x.batch == lot.batch),
        None,
    )
    if dest is None:
        dest = ledger.new_lot(
            lot.material,
            target,
            production=lot.production,
            expiry=lot.expiry,
            source=lot.row["source"],
            supplier=lot.row["supplier"],
            unit_cost=lot.row["unit_cost"],
            location="调拨接收区",
            batch=lot.batch,
        )
        dest.live = True
        dest.received_on = day
        dest.row["last_inspected_on"] = day
    _move(ctx, dest, MovementKind.TRANSFER_IN, qty, day, operator=target.keeper,
          reason=f"调拨申请 {request['number']} 接收", document_no=request["number"],
          counterpart=source.name, transfer_ref=line["transfer_ref"])  # fmt: skip
    short = 1 if qty > 2 else 0  # one damaged on the way: the explained adjustment
    note = "运输途中破损 1 件" if short else None
    if short:
        _move(ctx, dest, MovementKind.ADJUSTMENT, -short, day, operator=target.keeper,
              reason=f"调拨申请 {request['number']} 接收差异：发运 {qty}，实收 {qty - short}；"
              f"{note}", document_no=request["number"])  # fmt: skip
    line["received_qty"] = Decimal(qty - short)
    request.update(received_on=day, received_by=target.keeper, receipt_note=note)
