"""Import-sized receiving (批量入库): thousands of receipts validated first, written in bulk.

:func:`receive_batch` applies the rules of :func:`drillplan.stock.ledger.receive` to every
row, and raises one :class:`BulkValidationError` naming every bad row before anything is
written. Then it writes with a handful of Core statements instead of one ORM flush per row:
the existing lots are found by their natural key (material, holder, batch) in chunks, the
new lots are inserted with their whole received quantity as ``on_hand``, the movements are
inserted in chunks of :data:`CHUNK` rows, the existing lots' ``on_hand`` is raised with one
executemany UPDATE, and one audit entry summarises the batch.

The caller owns the transaction (commit on success, roll back on any error, including
:class:`Cancelled`).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import itertools
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sqlalchemy import (
    BindParameter,
    Connection,
    Insert,
    Select,
    Table,
    Update,
    and_,
    bindparam,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from drillplan import auditlog
from drillplan.auth.guard import require_holders
from drillplan.db.models import Holder, Lot, Material, Movement
from drillplan.errors import DrillplanError, ValidationError
from drillplan.stock.ledger import quantity_value
from drillplan.vocab import MovementKind

CHUNK = 5_000  # rows between progress reports and cancel checks; rows per write statement
LOOKUP_CHUNK = 250  # natural keys per lookup (an OR chain: SQLite's expression depth limit is 1000)
ID_CHUNK = 5_000  # ids per "IN (...)" query
MAX_LISTED_ERRORS = 20  # bad rows spelled out in the error's message (all are in .errors)
MILLI = Decimal("0.001")

ProgressFn = Callable[[int, int], None]
CancelFn = Callable[[], bool]
Key = tuple[int, int, str]


@dataclass(frozen=True, slots=True)
class ReceiptRow:
    """One receipt of an import: like the arguments of :func:`ledger.receive`."""

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


class Cancelled(DrillplanError):
    """The user cancelled a long operation; the caller rolls the transaction back."""

    def __init__(self) -> None:
        super().__init__("操作已取消，未写入任何数据 (cancelled: nothing was written)")


@dataclass(slots=True)
class _Group:
    """The rows of one lot (natural key) in the batch.

    The dates of a new lot are those of its first row; ``claims`` holds each distinct
    (production, expiry) pair the rows give, with the first row giving it, to be checked
    against the lot's dates as :func:`ledger.receive` checks each receipt.
    """

    production_date: dt.date | None
    expiry_date: dt.date | None
    row: ReceiptRow
    claims: dict[tuple[dt.date | None, dt.date | None], int]
    total: Decimal = Decimal(0)
    lot_id: int | None = None
    existing: bool = False


@dataclass
class _Plan:
    """The validated batch: one entry per row and one group per lot."""

    keys: list[Key] = field(default_factory=list)
    quantities: list[Decimal] = field(default_factory=list)
    groups: dict[Key, _Group] = field(default_factory=dict)


def _chunks(items: Sequence[object], size: int) -> Iterable[Sequence[object]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _check_cancel(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def _shelf_lives(session: Session, ids: set[int]) -> dict[int, int | None]:
    out: dict[int, int | None] = {}
    ordered = sorted(ids)
    for chunk in _chunks(ordered, ID_CHUNK):
        stmt = select(Material.id, Material.shelf_life_days).where(Material.id.in_(chunk))
        out.update((mid, days) for mid, days in session.execute(stmt))
    return out


def _holders(session: Session, ids: set[int]) -> set[int]:
    out: set[int] = set()
    for chunk in _chunks(sorted(ids), ID_CHUNK):
        out.update(session.scalars(select(Holder.id).where(Holder.id.in_(chunk))))
    return out


def _error(field_name: str, zh: str, en: str, row: int) -> ValidationError:
    return ValidationError(field_name, zh, message_en=en, row=row)


def _fast_row(
    r: ReceiptRow, today: dt.date, shelf: dict[int, int | None], holders: set[int]
) -> tuple[Decimal, str, dt.date | None] | None:
    """The common case, cheaply: quantity, batch and expiry of a plainly good row, or None
    when anything needs a closer look (then :func:`_check_row` explains, or converts)."""
    q = r.quantity
    if type(q) is Decimal:
        if not (q.is_finite() and q > 0 and q == q.quantize(MILLI)):
            return None
    elif type(q) is int and q > 0:
        q = Decimal(q)
    else:
        return None
    batch = r.batch_no.strip() if type(r.batch_no) is str else ""
    if not batch or r.on > today or r.holder_id not in holders or r.material_id not in shelf:
        return None
    produced, expiry = r.production_date, r.expiry_date
    if produced is not None:
        if produced > today:
            return None
        if expiry is None:
            days = shelf[r.material_id]
            expiry = produced + dt.timedelta(days=days) if days else None
        elif expiry < produced:
            return None
    cost = r.unit_cost
    if cost is not None and not (type(cost) in (Decimal, int, float) and cost >= 0):
        return None
    return q, batch, expiry


def _check_row(
    r: ReceiptRow,
    row: int,
    today: dt.date,
    shelf: dict[int, int | None],
    holders: set[int],
    errors: list[ValidationError],
) -> tuple[Decimal, str, dt.date | None] | None:
    """Quantity, batch and effective expiry of a good row; None (errors appended) if bad."""
    bad = len(errors)
    qty = Decimal(0)
    try:
        qty = quantity_value(r.quantity)
    except ValidationError as exc:
        errors.append(exc.with_row(row))
    if r.on > today:
        errors.append(
            _error(
                "date",
                f"日期 {r.on.isoformat()} 晚于今天 {today.isoformat()}，不能登记未来的出入库",
                f"date {r.on.isoformat()} is after today ({today.isoformat()})",
                row,
            )
        )
    batch = str(r.batch_no).strip() if r.batch_no is not None else ""
    if not batch:
        errors.append(_error("batch_no", "批次号不能为空", "batch number is required", row))
    if r.holder_id not in holders:
        errors.append(
            _error(
                "holder",
                f"储备库/队伍 {r.holder_id} 不存在",
                f"no holder {r.holder_id}",
                row,
            )
        )
    expiry = r.expiry_date
    if r.material_id not in shelf:
        errors.append(
            _error("material", f"物资 {r.material_id} 不存在", f"no material {r.material_id}", row)
        )
    else:
        days = shelf[r.material_id]
        if expiry is None and r.production_date is not None and days:
            expiry = r.production_date + dt.timedelta(days=days)
    if r.unit_cost is not None:
        try:
            cost = Decimal(str(r.unit_cost).strip())
        except InvalidOperation:
            cost = Decimal("NaN")
        if not cost.is_finite() or cost < 0:
            zh, en = f"单价“{r.unit_cost}”无效", "unit cost must be a number >= 0"
            errors.append(_error("unit_cost", zh, en, row))
    if expiry is not None and r.production_date is not None and expiry < r.production_date:
        errors.append(
            _error(
                "expiry_date",
                f"有效期至 {expiry} 早于生产日期 {r.production_date}",
                "expiry date is before the production date",
                row,
            )
        )
    if r.production_date is not None and r.production_date > today:
        errors.append(
            _error("production_date", "生产日期不能晚于今天", "production date in the future", row)
        )
    return None if len(errors) > bad else (qty, batch, expiry)


def _dates_conflict(
    batch: str,
    row: int,
    given: tuple[dt.date | None, dt.date | None],
    kept: tuple[dt.date | None, dt.date | None],
    errors: list[ValidationError],
) -> None:
    """Same rule as ledger.receive: given dates must equal those recorded for the lot."""
    if given == kept:
        return
    for name, g, k in zip(("production_date", "expiry_date"), given, kept, strict=True):
        if g is not None and k is not None and g != k:
            errors.append(
                _error(
                    name,
                    f"批次 {batch} 已登记的日期为 {k}，与输入 {g} 不一致",
                    f"lot {batch} is recorded with {k}, not {g}",
                    row,
                )
            )


@functools.lru_cache(maxsize=8)
def _lookup_statement(n: int) -> Select[tuple[int, int, int, str, dt.date | None, dt.date | None]]:
    """Lots matching any of ``n`` natural keys (bound as h0, m0, b0, h1 ...).

    An OR of equalities rather than a row-value IN list, which SQLite answers with a scan of
    the whole unique index per query; built once per size so its cache key is reused.
    """
    match = or_(
        *(
            and_(
                Lot.holder_id == bindparam(f"h{i}"),
                Lot.material_id == bindparam(f"m{i}"),
                Lot.batch_no == bindparam(f"b{i}"),
            )
            for i in range(n)
        )
    )
    return select(
        Lot.id, Lot.holder_id, Lot.material_id, Lot.batch_no, Lot.production_date, Lot.expiry_date
    ).where(match)


def _find_existing(session: Session, plan: _Plan) -> None:
    """Look the batch's lots up by natural key, LOOKUP_CHUNK keys per query."""
    keys = list(plan.groups)
    for chunk in _chunks(keys, LOOKUP_CHUNK):
        params: dict[str, object] = {}
        for i, (hid, mid, batch) in enumerate(chunk):  # type: ignore[misc]
            params[f"h{i}"], params[f"m{i}"], params[f"b{i}"] = hid, mid, batch
        for lot_id, hid, mid, batch, prod, exp in session.execute(
            _lookup_statement(len(chunk)), params
        ):
            group = plan.groups[(hid, mid, batch)]
            group.lot_id, group.existing = lot_id, True
            group.production_date, group.expiry_date = prod, exp


def _check_claims(plan: _Plan, errors: list[ValidationError]) -> None:
    for (_, _, batch), group in plan.groups.items():
        kept = (group.production_date, group.expiry_date)
        for given, row in group.claims.items():
            _dates_conflict(batch, row, given, kept, errors)


def _validate(
    session: Session,
    rows: list[ReceiptRow],
    *,
    today: dt.date,
    first_row: int,
    cancel: CancelFn | None,
) -> _Plan:
    shelf = _shelf_lives(session, {r.material_id for r in rows})
    holders = _holders(session, {r.holder_id for r in rows})
    errors: list[ValidationError] = []
    plan = _Plan()
    groups, keys, quantities = plan.groups, plan.keys, plan.quantities
    for i, r in enumerate(rows):
        if i % CHUNK == 0:
            _check_cancel(cancel)
        checked = _fast_row(r, today, shelf, holders) or _check_row(
            r, first_row + i, today, shelf, holders, errors
        )
        if checked is None:
            continue
        qty, batch, expiry = checked
        key = (r.holder_id, r.material_id, batch)
        group = groups.get(key)
        if group is None:
            claims = {(r.production_date, expiry): first_row + i}
            group = groups[key] = _Group(r.production_date, expiry, r, claims)
        elif (r.production_date, expiry) not in group.claims:
            group.claims[(r.production_date, expiry)] = first_row + i
        group.total += qty
        keys.append(key)
        quantities.append(qty)
    if not errors:
        _find_existing(session, plan)
        _check_claims(plan, errors)
    if errors:
        errors.sort(key=lambda e: e.row or 0)
        raise BulkValidationError(errors)
    return plan


class _CoreWriter:
    """Portable writes: Core executemany; ids come back by RETURNING in parameter order."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def insert(
        self,
        table: Table,
        n: int,
        columns: Mapping[str, Sequence[object]],
        constants: Mapping[str, object],
    ) -> list[int]:
        keys = [*columns, *constants]
        series = [*columns.values(), *(itertools.repeat(v, n) for v in constants.values())]
        params = [dict(zip(keys, values, strict=True)) for values in zip(*series, strict=True)]
        stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        return list(self.conn.execute(stmt, params).scalars())

    def execute(self, stmt: Update, columns: Mapping[str, Sequence[object]]) -> None:
        keys = list(columns)
        rows = zip(*columns.values(), strict=True)
        self.conn.execute(stmt, [dict(zip(keys, values, strict=True)) for values in rows])


class _SqliteWriter(_CoreWriter):
    """SQLite: the DBAPI's executemany on the statement SQLAlchemy compiles, each value
    converted by the dialect's own bind processor (so rows are stored exactly as the ORM
    stores them) but without SQLAlchemy's per-row parameter bookkeeping, which costs more
    than SQLite's own work at this size. The new rows' ids follow on from the largest id:
    the transaction holds SQLite's write lock, so nobody else can insert in between.
    """

    def _run(
        self,
        stmt: Insert | Update,
        n: int,
        columns: Mapping[str, Sequence[object]],
        constants: Mapping[str, object],
    ) -> None:
        dialect = self.conn.dialect
        compiled = stmt.compile(dialect=dialect, column_keys=[*columns, *constants])
        assert compiled.positiontup is not None
        series: list[Iterable[object]] = []
        for name in compiled.positiontup:
            bind = compiled.binds[name]
            proc = bind.type.dialect_impl(dialect).bind_processor(dialect)
            if name in columns:
                series.append(_processed(proc, columns[name]) if proc else columns[name])
            else:  # the same for every row
                value = constants[name] if name in constants else _fixed_value(stmt, bind)
                series.append(itertools.repeat(proc(value) if proc else value, n))
        cursor = self.conn.connection.cursor()  # the DBAPI cursor takes an iterator
        try:
            cursor.executemany(compiled.string, zip(*series, strict=True))
        finally:
            cursor.close()

    def insert(
        self,
        table: Table,
        n: int,
        columns: Mapping[str, Sequence[object]],
        constants: Mapping[str, object],
    ) -> list[int]:
        last = self.conn.scalar(select(func.max(table.c.id))) or 0
        self._run(insert(table), n, columns, constants)
        now = self.conn.scalar(select(func.max(table.c.id))) or 0
        if now != last + n:  # never expected: ids were not handed out consecutively
            raise DrillplanError(f"{table.name}: ids {last + 1}..{now} for {n} rows")
        return list(range(last + 1, now + 1))

    def execute(self, stmt: Update, columns: Mapping[str, Sequence[object]]) -> None:
        n = len(next(iter(columns.values())))
        self._run(stmt, n, columns, {})


def _fixed_value(stmt: Insert | Update, bind: BindParameter[object]) -> object:
    """A value not given per row: an inserted column's default (None if it has none), or
    a literal of the statement (the 1 of ``row_version + 1``)."""
    if not isinstance(stmt, Insert) or bind.key not in stmt.table.c:
        return bind.effective_value
    default = stmt.table.c[bind.key].default
    if default is None:
        return None
    if not default.is_scalar:
        raise DrillplanError(f"{stmt.table.name}.{bind.key}: computed defaults are not supported")
    return default.arg  # type: ignore[attr-defined]


def _processed(proc: Callable[[object], object], values: Sequence[object]) -> Iterable[object]:
    """``values`` through a bind processor, once per distinct value (dates and quantities
    repeat a lot in an import)."""
    try:
        done = {v: proc(v) for v in set(values)}
    except TypeError:  # unhashable
        return map(proc, values)
    return map(done.__getitem__, values)


def _writer(session: Session) -> _CoreWriter:
    conn = session.connection()
    return _SqliteWriter(conn) if conn.dialect.name == "sqlite" else _CoreWriter(conn)


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
    operator: str,
    progress: ProgressFn | None,
    cancel: CancelFn | None,
) -> list[int]:
    table = Movement.__table__
    constants = {
        "kind": MovementKind.RECEIPT,
        "operator": operator,
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


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a batch is processed.

    A batch allocates several objects per row that all live until it ends; the collector
    would walk them again and again with nothing to free (it took half the validation time
    of 100,000 rows). It is paused, not skipped: it runs again afterwards. (Process-wide: a
    concurrent batch that finishes first leaves it paused until this one ends.)
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    with _collector_paused():
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
    writer = _writer(session)
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
        operator=operator,
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
