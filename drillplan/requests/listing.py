"""The allocation requests as a table (the one listing engine, drillplan.listing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import aliased

from drillplan.db.models import AllocationLine, AllocationRequest, Depot, Holder, Team
from drillplan.kernel.vocab import AllocationPurpose, RequestState
from drillplan.listing.core import ID_KEY, Column, Listing
from drillplan.listing.core import number_column as _n


def _holder_name(holder: Any) -> Any:
    depot, team = aliased(Depot), aliased(Team)
    return (
        select(func.coalesce(depot.name, team.name))
        .select_from(Holder)
        .outerjoin(depot, depot.id == Holder.depot_id)
        .outerjoin(team, team.id == Holder.team_id)
        .where(Holder.id == holder)
        .correlate(AllocationRequest)
        .scalar_subquery()
    )


def _requests() -> Select[Any]:
    lines = (
        select(func.count(AllocationLine.id))
        .where(AllocationLine.request_id == AllocationRequest.id)
        .correlate(AllocationRequest)
        .scalar_subquery()
    )
    return select(
        AllocationRequest.id.label(ID_KEY),
        AllocationRequest.number.label("number"),
        AllocationRequest.state.label("state"),
        AllocationRequest.purpose.label("purpose"),
        _holder_name(AllocationRequest.requester_holder_id).label("requester"),
        _holder_name(AllocationRequest.holder_id).label("holder"),
        AllocationRequest.needed_by.label("needed_by"),
        lines.label("lines"),
        AllocationRequest.requested_on.label("requested_on"),
        AllocationRequest.dispatch_note_no.label("dispatch_note_no"),
    )


REQUESTS = Listing(
    "requests",
    "调拨申请",
    "Allocation requests",
    (
        Column("number", "申请编号", "Number"),
        Column("state", "状态", "State", vocab=RequestState),
        Column("purpose", "用途", "Purpose", vocab=AllocationPurpose),
        Column("requester", "申请方", "Requester"),
        Column("holder", "被申请方", "Asked from"),
        Column("needed_by", "需用日期", "Needed by", kind="date"),
        _n("lines", "物资种数", "Lines"),
        Column("requested_on", "申请日期", "Requested on", kind="date"),
        Column("dispatch_note_no", "调拨单号", "Dispatch note"),
    ),
    _requests,
    default_order="number",
)
