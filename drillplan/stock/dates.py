"""Movement dates (台账日期): when a movement may be dated, judged in one place for every door.

* Not after today (the date the operation is judged against), unless the office allows
  pre-dated entries (the setting ``allow_predated_movements``, off by default).
* Not before the lot's receipt (its first movement); receipts themselves are exempt.
* A back-dated movement is judged against the lot's running balance by date (movements in
  ``moved_on``, then ``id`` order; a new movement comes after those of its own day): the
  balance on its date must cover it, and no later balance may go below zero.

:func:`timeline` reads what the last two rules need with one query per lot: the movements
dated after the given day and the lot's first movement date. The balance on a day is the
lot's (ledger-equal) ``on_hand`` less the movements after it, so a movement dated today reads
no rows at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from drillplan import settings
from drillplan.db.models import Lot, Movement
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import MovementKind, label

PREDATED = "allow_predated_movements"
# Kinds that bring a lot's stock in: they may be dated before the lot's first receipt
# (a top-up receipt or a transfer dated earlier becomes the lot's receipt).
INCOMING = frozenset({MovementKind.RECEIPT, MovementKind.TRANSFER_IN, MovementKind.ROTATION_IN})


def latest_allowed(session: Session, today: dt.date | None) -> dt.date:
    """The latest date a movement may carry: today, or no limit when the office allows
    pre-dated entries."""
    if settings.get(session, PREDATED):
        return dt.date.max
    return today or dt.date.today()


def future_error(
    on: dt.date, today: dt.date, *, field_name: str = "date", row: int | None = None
) -> ValidationError:
    return ValidationError(
        field_name,
        f"日期 {on.isoformat()} 晚于今天 {today.isoformat()}，不能登记未来的出入库"
        f"（如需预先登记，请在设置中开启“{settings.option(PREDATED).zh}”）",
        message_en=f"date {on.isoformat()} is after today ({today.isoformat()});"
        f" the setting {PREDATED} allows pre-dated entries",
        row=row,
        rule="future_date",
    )


def check_date(
    session: Session, on: dt.date, *, today: dt.date | None, field_name: str = "date"
) -> dt.date:
    """``on`` itself, or ``ValidationError(field_name)`` when it is after today and the office
    does not allow pre-dated entries."""
    if on > latest_allowed(session, today):
        raise future_error(on, today or dt.date.today(), field_name=field_name)
    return on


@dataclass(frozen=True)
class LaterMovement:
    id: int
    moved_on: dt.date
    kind: MovementKind
    document_no: str | None
    quantity: Decimal

    def describe(self) -> tuple[str, str]:
        """How a message names it: date, kind and document number (or the ledger id)."""
        ref_zh = f"单号 {self.document_no}" if self.document_no else f"台账 #{self.id}"
        ref_en = f"document {self.document_no}" if self.document_no else f"movement #{self.id}"
        return (
            f"{self.moved_on.isoformat()} 的{label(self.kind)}（{ref_zh}）",
            f"the {label(self.kind, 'en').lower()} of {self.moved_on.isoformat()} ({ref_en})",
        )


@dataclass
class Timeline:
    """One lot seen from a day: its first movement date and the movements dated after it."""

    on: dt.date
    first_on: dt.date | None = None
    later: list[LaterMovement] = field(default_factory=list)

    def balance_on(self, on_hand: Decimal) -> Decimal:
        """The balance at the end of ``on`` (after every movement of that day)."""
        return Decimal(on_hand) - sum((m.quantity for m in self.later), Decimal(0))


def timeline(session: Session, lot_id: int, on: dt.date) -> Timeline:
    """The lot's movements dated after ``on`` (by date, then id) and, when there are any, its
    first movement date: one query."""
    every = aliased(Movement)  # the whole ledger of the lot, not only the later rows
    first = select(func.min(every.moved_on)).where(every.lot_id == lot_id).scalar_subquery()
    rows = session.execute(
        select(
            Movement.id,
            Movement.moved_on,
            Movement.kind,
            Movement.document_no,
            Movement.quantity,
            first,
        )
        .where(Movement.lot_id == lot_id, Movement.moved_on > on)
        .order_by(Movement.moved_on, Movement.id)
    ).all()
    out = Timeline(on=on)
    for mid, moved_on, kind, doc, qty, first_on in rows:
        out.first_on = first_on
        out.later.append(LaterMovement(mid, moved_on, MovementKind(kind), doc, Decimal(qty)))
    return out


def balance_on(session: Session, lot: Lot, on: dt.date) -> Decimal:
    """The lot's balance at the end of ``on``."""
    return timeline(session, lot.id, on).balance_on(lot.on_hand)


def before_receipt_error(
    lot: Lot, on: dt.date, received_on: dt.date, *, field_name: str = "date"
) -> ValidationError:
    return ValidationError(
        field_name,
        f"日期 {on.isoformat()} 早于批次 {lot.batch_no} 的入库日期 {received_on.isoformat()}",
        message_en=f"date {on.isoformat()} is before lot {lot.batch_no} was received"
        f" ({received_on.isoformat()})",
        rule="before_receipt",
    )


def check_received(session: Session, lot: Lot, on: dt.date, *, field_name: str = "date") -> None:
    """``ValidationError(field_name)`` when ``on`` is before the lot's first movement."""
    first = session.scalar(select(func.min(Movement.moved_on)).where(Movement.lot_id == lot.id))
    if first is not None and on < first:
        raise before_receipt_error(lot, on, first, field_name=field_name)


def check_posting(
    lot: Lot,
    kind: MovementKind,
    quantity: Decimal,
    seen: Timeline,
    *,
    field_name: str = "date",
) -> None:
    """The date rules for one movement of ``quantity`` on ``seen.on``, with ``seen`` the
    lot's :func:`timeline` from that day: not before the receipt (except incoming kinds),
    covered by the balance on that day, and no later balance below zero."""
    on = seen.on
    if kind not in INCOMING and seen.first_on is not None and on < seen.first_on:
        raise before_receipt_error(lot, on, seen.first_on, field_name=field_name)
    if quantity >= 0:
        return
    balance = seen.balance_on(lot.on_hand)
    if balance + quantity < 0:
        if not seen.later:
            raise ValidationError(
                "quantity",
                f"批次 {lot.batch_no} 结存 {lot.on_hand}，不足以出库 {-quantity}",
                message_en=f"lot {lot.batch_no} holds {lot.on_hand}, cannot take {-quantity}",
            )
        raise ValidationError(
            "quantity",
            f"批次 {lot.batch_no} 在 {on.isoformat()} 的结存为 {balance}，不足以出库 {-quantity}",
            message_en=f"lot {lot.batch_no} held {balance} on {on.isoformat()},"
            f" cannot take {-quantity}",
        )
    running = balance + quantity
    for later in seen.later:
        running += later.quantity
        if running < 0:
            zh, en = later.describe()
            raise ValidationError(
                field_name,
                f"倒记到 {on.isoformat()} 后，批次 {lot.batch_no} 在{zh}之后的结存将为"
                f" {running}：不能登记",
                message_en=f"dated {on.isoformat()}, it would leave lot {lot.batch_no} at"
                f" {running} after {en}",
                rule="later_balance_negative",
            )
