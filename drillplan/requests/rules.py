"""The checks the steps of an allocation request share: who may act, what may be asked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.auth.scope import owner_units
from drillplan.db.models import AllocationRequest, Holder, Lot
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.identity import current_actor
from drillplan.kernel.vocab import RequestState, label
from drillplan.stock.fefo import free_stock_on
from drillplan.stock.holders import describe


def holder_name(session: Session, holder_id: int) -> str:
    info = describe(session, holder_id)
    return f"{info.name}（{info.code}）"


def require_scope(session: Session, holder_id: int, *, field: str, role_zh: str) -> None:
    """Refuse (``ValidationError(field)``) a logged-in user outside the holder's data scope.

    Single-user mode (no actor, or the implicit local administrator) and administrators pass.
    """
    actor = current_actor(session)
    if actor is None or actor.implicit or actor.is_admin:
        return
    holder = session.get_one(Holder, holder_id)
    units = owner_units(session, holder)
    if not actor.can_write or not any(u in actor.scope_unit_ids for u in units):
        name = holder_name(session, holder_id)
        raise ValidationError(
            field,
            f"用户 {actor.describe()} 不在{name}的数据范围内，不能作为{role_zh}",
            message_en=f"user {actor.username} is outside the scope of holder {holder_id}",
            rule="out_of_scope",
        )


def usable(session: Session, *, holder_id: int, material_id: int, on: dt.date) -> Decimal:
    """What the holder could give today: unexpired stock not reserved for another request."""
    free = free_stock_on(session, holder_id=holder_id, material_id=material_id, on=on)
    if not free:
        return Decimal(0)
    lots = session.execute(select(Lot.id, Lot.expiry_date).where(Lot.id.in_(sorted(free))))
    return sum(
        (free[i] for i, expiry in lots if expiry is None or expiry >= on),
        Decimal(0),
    )


def load(session: Session, request_id: int, *, lock: bool = True) -> AllocationRequest:
    """The request, read fresh and locked (FOR UPDATE on PostgreSQL) when ``lock``."""
    stmt = select(AllocationRequest).where(AllocationRequest.id == request_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    request = session.scalars(stmt).one_or_none()
    if request is None:
        raise NotFound(f"调拨申请 {request_id} 不存在 (no allocation request {request_id})")
    return request


def require_state(request: AllocationRequest, *allowed: RequestState, doing: str) -> None:
    if request.state not in allowed:
        wanted = "、".join(label(s) for s in allowed)
        raise ValidationError(
            "state",
            f"调拨申请 {request.number} 当前为“{label(request.state)}”，"
            f"只有{wanted}的申请可以{doing}",
            message_en=f"request {request.number} is {request.state.value}",
            rule="wrong_state",
        )


def by_material(
    request: AllocationRequest, given: Mapping[int, object] | None, *, field: str
) -> dict[int, object]:
    """Quantities keyed by material id (a request has one line per material), checked to name
    materials of the request."""
    if given is None:
        return {}
    materials = {line.material_id for line in request.lines}
    for key in given:
        if key not in materials:
            raise ValidationError(
                field,
                f"调拨申请 {request.number} 没有物资 {key}",
                message_en=f"request {request.number} has no line for material {key}",
            )
    return dict(given)
