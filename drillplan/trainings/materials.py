"""Materials used at a training event: issued from stock THROUGH THE LEDGER.

An issue for an event is an ordinary ledger issue (:func:`drillplan.stock.ledger.issue`:
first-expire-first-out, never below zero, the audit log) whose document number is the
event's code and whose reason names the event; the event's issues are read back from the
movements, so there is one record of what left the store.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Lot, Material, Movement, TrainingEvent
from drillplan.kernel import records as c
from drillplan.kernel.vocab import MovementKind
from drillplan.stock import ledger
from drillplan.stock.holders import describe

__all__ = ["IssueLine", "issue_for_event", "issues_of"]

REASON_PREFIX = "培训宣教领用"


@dataclass(frozen=True)
class IssueLine:
    movement_id: int
    moved_on: dt.date
    holder: str
    material_code: str
    material_name: str
    uom: str
    batch_no: str
    quantity: Decimal  # positive: what left the store


def issue_for_event(
    session: Session,
    *,
    event_id: int,
    holder_id: int,
    material_id: int,
    quantity: object,
    on: dt.date | None = None,
    lot_ids: list[int] | None = None,
    force_expired_reason: str | None = None,
    operator: str = "system",
    today: dt.date | None = None,
) -> ledger.Changes:
    """Issue ``quantity`` of a material from a holder for the event (FEFO unless lots are
    named), dated ``on`` (default: the event's day, or today if the event is still ahead)."""
    event = c.get(session, TrainingEvent, event_id, "培训活动")
    if on is None:
        on = min(event.starts_at.date(), today or dt.date.today())
    return ledger.issue(
        session,
        holder_id=holder_id,
        material_id=material_id,
        quantity=quantity,
        on=on,
        lot_ids=lot_ids,
        force_expired_reason=force_expired_reason,
        reason=f"{REASON_PREFIX}：{event.title}"[:200],
        document_no=event.code,
        counterpart=event.organiser_unit.name[:120],
        operator=operator,
        today=today,
    )


def issues_of(session: Session, event_id: int) -> list[IssueLine]:
    """The event's issues, read from the ledger (reversed issues net out by their reversal)."""
    event = c.get(session, TrainingEvent, event_id, "培训活动")
    stmt = (
        select(Movement, Lot, Material)
        .join(Lot, Movement.lot_id == Lot.id)
        .join(Material, Lot.material_id == Material.id)
        .where(Movement.document_no == event.code, Movement.kind == MovementKind.ISSUE)
        .order_by(Movement.moved_on, Movement.id)
    )
    reversed_ids = set(
        session.scalars(select(Movement.reverses_id).where(Movement.reverses_id.is_not(None)))
    )
    out: list[IssueLine] = []
    for mv, lot, material in session.execute(stmt).tuples():
        if mv.id in reversed_ids:
            continue
        holder = describe(session, lot.holder_id)
        out.append(
            IssueLine(
                movement_id=mv.id,
                moved_on=mv.moved_on,
                holder=f"{holder.code} {holder.name}",
                material_code=material.code,
                material_name=material.name,
                uom=material.uom,
                batch_no=lot.batch_no,
                quantity=-mv.quantity,
            )
        )
    return out
