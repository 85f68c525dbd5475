"""Import-sized receiving (批量入库): thousands of receipts validated first, written in bulk.

:func:`receive_batch` applies the rules of :func:`drillplan.stock.ledger.receive` to every
row, and raises one :class:`BulkValidationError` naming every bad row before anything is
written. Then it writes with a handful of Core statements instead of one ORM flush per row:
the existing lots are found by their natural key (material, holder, batch) in chunks, the
new lots are inserted with their whole received quantity as ``on_hand``, the movements are
inserted in chunks of :data:`CHUNK` rows, the existing lots' ``on_hand`` is raised with one
executemany UPDATE, and one audit entry summarises the batch.

The pieces live in their own modules, all re-exported here: the rows, result and errors in
:mod:`drillplan.stock.bulk_rows`, the validation in :mod:`drillplan.stock.bulk_validate`,
the two ways of writing in :mod:`drillplan.stock.bulk_writers`.

The caller owns the transaction (commit on success, roll back on any error, including
:class:`Cancelled`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from sqlalchemy import bindparam, update
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.auth.guard import require_holders
from drillplan.db.models import Lot, Movement
from drillplan.kernel.identity import attributed
from drillplan.kernel.memory import collector_paused
from drillplan.kernel.vocab import MovementKind
from drillplan.stock.bulk_rows import (
    CHUNK,
    BulkResult,
    CancelFn,
    ProgressFn,
    ReceiptRow,
    _check_cancel,
)
from drillplan.stock.bulk_validate import _Plan, _validate
from drillplan.stock.bulk_writers import _CoreWriter, _writer

# isort: split
# Re-exported: every name bulk.py defined before the split stays importable from here.
from drillplan.kernel.progress import Cancelled as Cancelled
from drillplan.stock.bulk_rows import MAX_LISTED_ERRORS as MAX_LISTED_ERRORS
from drillplan.stock.bulk_rows import BulkValidationError as BulkValidationError
from drillplan.stock.bulk_validate import ID_CHUNK as ID_CHUNK
from drillplan.stock.bulk_validate import LOOKUP_CHUNK as LOOKUP_CHUNK
from drillplan.stock.bulk_validate import MILLI as MILLI
from drillplan.stock.bulk_validate import Key as Key
from drillplan.stock.bulk_validate import _check_claims as _check_claims
from drillplan.stock.bulk_validate import _check_row as _check_row
from drillplan.stock.bulk_validate import _chunks as _chunks
from drillplan.stock.bulk_validate import _dates_conflict as _dates_conflict
from drillplan.stock.bulk_validate import _error as _error
from drillplan.stock.bulk_validate import _fast_row as _fast_row
from drillplan.stock.bulk_validate import _find_existing as _find_existing
from drillplan.stock.bulk_validate import _Group as _Group
from drillplan.stock.bulk_validate import _holders as _holders
from drillplan.stock.bulk_validate import _lookup_statement as _lookup_statement
from drillplan.stock.bulk_validate import _shelf_lives as _shelf_lives
from drillplan.stock.bulk_writers import _fixed_value as _fixed_value
from drillplan.stock.bulk_writers import _processed as _processed
from drillplan.stock.bulk_writers import _SqliteWriter as _SqliteWriter


def _insert_lots(writer: _CoreWriter, plan: _Plan) -> int:
    new = [(key, g) for key, g in plan.groups.items() if not g.existing]
    new.sort(key=lambda item: (item[0][1], item[0][0], item[0][2]))  # unique index order
    if not new:
        return 0
    columns: dict[str, list[object]] = {
        "holder_id": [k[0] for k, _ in new],
        "material_id": [k[1] for k, _ in new],
        "batch_no": [k[2] for k, _ in new],
        "production_date": [g.production_date for _, g in new],
        "expiry_date": [g.expiry_date for _, g in new],
        "source": [g.row.source for _, g in new],
        "supplier": [g.row.supplier for _, g in new],
        "unit_cost": [g.row.unit_cost for _, g in new],
        "location": [g.row.location for _, g in new],
        "on_hand": [g.total for _, g in new],
    }
    ids = writer.insert(Lot.__table__, len(new), columns, {"row_version": 1})
    for (_, g), lot_id in zip(new, ids, strict=True):
        g.lot_id = lot_id
    return len(new)


def _update_lots(session: Session, writer: _CoreWriter, plan: _Plan) -> int:
    table = Lot.__table__
    groups = [g for g in plan.groups.values() if g.existing]
    if not groups:
        return 0
    stmt = (
        update(table)
        .where(table.c.id == bindparam("b_id"))
        .values(
            on_hand=table.c.on_hand + bindparam("b_qty", type_=table.c.on_hand.type),
            row_version=table.c.row_version + 1,
        )
    )
    writer.execute(stmt, {"b_qty": [g.total for g in groups], "b_id": [g.lot_id for g in groups]})
    touched = {g.lot_id for g in groups}
    for obj in list(session.identity_map.values()):  # ORM copies now hold a stale on_hand
        if isinstance(obj, Lot) and obj.id in touched:
            session.expire(obj)
    return len(groups)


def _insert_movements(
    writer: _CoreWriter,
    rows: list[ReceiptRow],
    plan: _Plan,
    lot_ids: list[int],
    *,
    attribution: tuple[str, str | None],
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> list[int]:
    table = Movement.__table__
    constants = {
        "kind": MovementKind.RECEIPT,
        "operator": attribution[0],
        "operator_note": attribution[1],
        "transfer_ref": None,
        "reverses_id": None,
    }
    total = len(rows)
    ids: list[int] = []
    for start in range(0, total, CHUNK):
        _check_cancel(cancel)
        part = rows[start : start + CHUNK]
        columns: dict[str, Sequence[object]] = {
            "lot_id": lot_ids[start : start + CHUNK],
            "quantity": plan.quantities[start : start + CHUNK],
            "moved_on": [r.on for r in part],
            "reason": [r.reason for r in part],
            "document_no": [r.document_no for r in part],
            "counterpart": [r.supplier for r in part],
        }
        ids.extend(writer.insert(table, len(part), columns, constants))
        if progress is not None:
            progress(start + len(part), total)
    return ids


def receive_batch(
    session: Session,
    rows: Iterable[ReceiptRow],
    *,
    operator: str = "system",
    today: dt.date | None = None,
    first_row: int = 1,
    progress: ProgressFn | None = None,
    cancel: CancelFn | None = None,
) -> BulkResult:
    """批量入库: receive every row or none.

    Rows are numbered from ``first_row`` in errors (pass 2 for a spreadsheet with one header
    line). Rows with the same holder, material and batch go into one lot; a batch already
    held there is topped up, as :func:`ledger.receive` does. ``progress(done, total)`` is
    called after every :data:`CHUNK` movements written; ``cancel()`` returning True raises
    :class:`Cancelled`.
    """
    with collector_paused():
        return _receive(
            session, list(rows), operator, today or dt.date.today(), first_row, progress, cancel
        )


def _receive(
    session: Session,
    rows: list[ReceiptRow],
    operator: str,
    today: dt.date,
    first_row: int,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> BulkResult:
    session.flush()
    require_holders(session, (r.holder_id for r in rows))  # shared mode: role and data scope
    plan = _validate(session, rows, today=today, first_row=first_row, cancel=cancel)
    result = BulkResult(rows=len(rows))
    if not rows:
        return result
    _check_cancel(cancel)
    writer = _writer(session)  # looked up in this module: tests replace bulk._writer
    result.lots_created = _insert_lots(writer, plan)
    for key in plan.keys:
        lot_id = plan.groups[key].lot_id
        assert lot_id is not None
        result.lot_ids.append(lot_id)
    result.movement_ids = _insert_movements(
        writer,
        rows,
        plan,
        result.lot_ids,
        attribution=attributed(session, operator),
        progress=progress,
        cancel=cancel,
    )
    _check_cancel(cancel)
    result.lots_updated = _update_lots(session, writer, plan)
    result.total_quantity = sum(plan.quantities, Decimal(0))
    entry = auditlog.record(
        session,
        user=operator,
        action="stock.receipt_batch",
        table="movement",
        row_id=result.first_movement_id,
        after={
            "rows": result.rows,
            "lots_created": result.lots_created,
            "lots_updated": result.lots_updated,
            "total_quantity": result.total_quantity,
            "first_movement_id": result.first_movement_id,
            "last_movement_id": result.last_movement_id,
        },
    )
    session.flush()
    result.audit_id = entry.id
    return result
