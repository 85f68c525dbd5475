"""What a bulk receipt (批量入库) takes and gives: the rows, the result, its two errors.

Shared by :mod:`drillplan.stock.bulk` (which re-exports all of it),
:mod:`drillplan.stock.bulk_validate` and :mod:`drillplan.stock.bulk_writers`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from drillplan.kernel.errors import ValidationError
from drillplan.kernel.progress import Cancelled

CHUNK = 5_000  # rows between progress reports and cancel checks; rows per write statement
MAX_LISTED_ERRORS = 20  # bad rows spelled out in the error's message (all are in .errors)

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]


@dataclass(slots=True)
class ReceiptRow:
    """One receipt of an import: like the arguments of :func:`ledger.receive`. Not frozen: a
    frozen dataclass sets each field through ``object.__setattr__``, which made building the
    rows of a 100,000-row import take 0.30 s instead of 0.11 s; the batch never changes them."""

    holder_id: int
    material_id: int
    batch_no: str
    quantity: object
    on: dt.date
    production_date: dt.date | None = None
    expiry_date: dt.date | None = None
    unit_cost: Decimal | None = None
    supplier: str | None = None
    document_no: str | None = None
    source: str | None = None
    location: str | None = None
    reason: str | None = None


@dataclass
class BulkResult:
    """What a batch did. ``lot_ids`` and ``movement_ids`` follow the order of the rows."""

    rows: int = 0
    lots_created: int = 0
    lots_updated: int = 0
    total_quantity: Decimal = Decimal(0)
    lot_ids: list[int] = field(default_factory=list)
    movement_ids: list[int] = field(default_factory=list)
    audit_id: int | None = None

    @property
    def first_movement_id(self) -> int | None:
        return min(self.movement_ids) if self.movement_ids else None

    @property
    def last_movement_id(self) -> int | None:
        return max(self.movement_ids) if self.movement_ids else None


class BulkValidationError(ValidationError):
    """Several rows of a batch are bad; ``errors`` holds one error per problem, with rows."""

    errors: list[ValidationError]

    def __init__(self, errors: Sequence[ValidationError]) -> None:
        if not errors:
            raise ValueError("BulkValidationError needs at least one error")
        self.errors = list(errors)
        first = self.errors[0]
        rows = sorted({e.row for e in self.errors if e.row is not None})
        listed = "；".join(str(e) for e in self.errors[:MAX_LISTED_ERRORS])
        listed_en = "; ".join(
            f"row {e.row}: {e.field}: {e.message_en or e.message}"
            for e in self.errors[:MAX_LISTED_ERRORS]
        )
        more = len(self.errors) - MAX_LISTED_ERRORS
        if more > 0:
            listed += f"；另有 {more} 处错误"
            listed_en += f"; and {more} more"
        super().__init__(
            first.field,
            f"{len(rows)} 行数据有误，未写入任何数据：{listed}",
            message_en=f"{len(rows)} bad rows, nothing was written: {listed_en}",
            row=first.row,
        )

    def __str__(self) -> str:
        return self.message

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.errors,))

    def with_row(self, row: int | None) -> ValidationError:
        return ValidationError(self.field, self.message, message_en=self.message_en, row=row)


def _check_cancel(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()
