"""Validating a bulk receipt: every row checked by the rules of ``ledger.receive``, first.

:func:`_validate` checks all rows (a cheap path for plainly good rows, a thorough one that
explains the others), groups them by lot (natural key: holder, material, batch), looks the
existing lots up in chunks and checks the dates each row claims against the lot's. It
raises one :class:`BulkValidationError` naming every bad row, or returns the :class:`_Plan`
that :mod:`drillplan.stock.bulk` writes.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import Select, and_, bindparam, func, or_, select
from sqlalchemy.orm import Session

from drillplan.db.models import Holder, Lot, Material
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import MONEY_LIMIT, QUANTITY_LIMIT, parse_optional_money
from drillplan.stock.bulk_rows import (
    CHUNK,
    BulkValidationError,
    CancelFn,
    ReceiptRow,
    _check_cancel,
)
from drillplan.stock.dates import future_error, latest_allowed
from drillplan.stock.posting import quantity_value

LOOKUP_CHUNK = 250  # natural keys per lookup (an OR chain: SQLite's expression depth limit is 1000)
ID_CHUNK = 5_000  # ids per "IN (...)" query
MILLI = Decimal("0.001")
CENT = Decimal("0.01")

Key = tuple[int, int, str]


Claim = tuple[dt.date | None, dt.date | None]  # the (production, expiry) dates a row gives


@dataclass(slots=True)
class _Group:
    """The rows of one lot (natural key) in the batch.

    The dates of a new lot are those of its first row (``row``, row number ``first``, expiry
    ``claimed_expiry``, derived from the shelf life where the row has none); ``more`` holds
    each further distinct (production, expiry) pair the rows give, with the first row giving
    it (None while there is none: most lots come in one row, and a dict per lot of a
    100,000-row import is 30 MB). Each claim is checked against the lot's dates as
    :func:`ledger.receive` checks each receipt.
    """

    production_date: dt.date | None
    expiry_date: dt.date | None
    row: ReceiptRow
    first: int
    total: Decimal
    claimed_expiry: dt.date | None = None
    more: dict[Claim, int] | None = None
    lot_id: int | None = None
    existing: bool = False
    on_hand: Decimal = Decimal(0)  # an existing lot's quantity before the batch

    def claim(self, claim: Claim, row: int) -> None:
        if claim == (self.row.production_date, self.claimed_expiry):
            return
        if self.more is None:
            self.more = {claim: row}
        elif claim not in self.more:
            self.more[claim] = row

    @property
    def claims(self) -> dict[Claim, int]:
        """Every distinct claim with the first row giving it, in the order they came."""
        return {(self.row.production_date, self.claimed_expiry): self.first, **(self.more or {})}


@dataclass
class _Plan:
    """The validated batch: one entry per row and one group per lot."""

    keys: list[Key] = field(default_factory=list)
    quantities: list[Decimal] = field(default_factory=list)
    groups: dict[Key, _Group] = field(default_factory=dict)


def _chunks(items: Sequence[object], size: int) -> Iterable[Sequence[object]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


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
    r: ReceiptRow,
    today: dt.date,
    shelf: dict[int, int | None],
    holders: set[int],
    latest: dt.date | None = None,
) -> tuple[Decimal, str, dt.date | None] | None:
    """The common case, cheaply: quantity, batch and expiry of a plainly good row, or None
    when anything needs a closer look (then :func:`_check_row` explains, or converts)."""
    q = r.quantity
    if type(q) is Decimal:
        if not (q.is_finite() and 0 < q <= QUANTITY_LIMIT and q == q.quantize(MILLI)):
            return None
    elif type(q) is int and 0 < q <= QUANTITY_LIMIT:
        q = Decimal(q)
    else:
        return None
    batch = r.batch_no.strip() if type(r.batch_no) is str else ""
    if not batch or r.on > (latest or today):
        return None
    if r.holder_id not in holders or r.material_id not in shelf:
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
    if cost is not None and not (
        (type(cost) is int and 0 <= cost <= MONEY_LIMIT)
        or (
            type(cost) is Decimal
            and cost.is_finite()
            and 0 <= cost <= MONEY_LIMIT
            and cost == cost.quantize(CENT)
        )
    ):
        return None
    return q, batch, expiry


def _check_row(
    r: ReceiptRow,
    row: int,
    today: dt.date,
    shelf: dict[int, int | None],
    holders: set[int],
    errors: list[ValidationError],
    latest: dt.date | None = None,
) -> tuple[Decimal, str, dt.date | None] | None:
    """Quantity, batch and effective expiry of a good row; None (errors appended) if bad.

    ``latest`` is the latest movement date allowed (:func:`dates.latest_allowed`; today when
    not given)."""
    bad = len(errors)
    qty = Decimal(0)
    try:
        qty = quantity_value(r.quantity)
    except ValidationError as exc:
        errors.append(exc.with_row(row))
    if r.on > (latest or today):
        errors.append(future_error(r.on, today, row=row))
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
    try:
        parse_optional_money(r.unit_cost, field="unit_cost", what="单价")
    except ValidationError as exc:
        errors.append(exc.with_row(row))
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


# what the lookup reads of a lot found (the arguments of :func:`_existing`)
_LOOKED_UP = (
    Lot.id,
    Lot.holder_id,
    Lot.material_id,
    Lot.batch_no,
    Lot.production_date,
    Lot.expiry_date,
    Lot.on_hand,
)


@functools.lru_cache(maxsize=8)
def _lookup_statement(
    n: int,
) -> Select[tuple[int, int, int, str, dt.date | None, dt.date | None, Decimal]]:
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
    return select(*_LOOKED_UP).where(match)


def _find_existing(session: Session, plan: _Plan) -> None:
    """Look the batch's lots up: by natural key, LOOKUP_CHUNK keys per query, unless the
    batch's holders hold fewer lots than the batch has keys (an opening import into new
    depots): then every lot of those holders is read once (the holders' index counts them)."""
    keys = list(plan.groups)
    holders = sorted({hid for hid, _, _ in keys})  # type: ignore[misc]
    held = 0
    for chunk in _chunks(holders, ID_CHUNK):
        held += (
            session.scalar(select(func.count()).select_from(Lot).where(Lot.holder_id.in_(chunk)))
            or 0
        )
        if held >= len(keys):
            break
    if held < len(keys):
        for chunk in _chunks(holders, ID_CHUNK):
            for found in session.execute(select(*_LOOKED_UP).where(Lot.holder_id.in_(chunk))):
                _existing(plan, *found)
        return
    for chunk in _chunks(keys, LOOKUP_CHUNK):
        params: dict[str, object] = {}
        for i, (hid, mid, batch) in enumerate(chunk):  # type: ignore[misc]
            params[f"h{i}"], params[f"m{i}"], params[f"b{i}"] = hid, mid, batch
        for found in session.execute(_lookup_statement(len(chunk)), params):
            _existing(plan, *found)


def _existing(
    plan: _Plan,
    lot_id: int,
    hid: int,
    mid: int,
    batch: str,
    prod: dt.date | None,
    exp: dt.date | None,
    on_hand: Decimal,
) -> None:
    group = plan.groups.get((hid, mid, batch))
    if group is None:  # a lot of the holder that the batch does not receive
        return
    group.lot_id, group.existing = lot_id, True
    group.production_date, group.expiry_date = prod, exp
    group.on_hand = Decimal(on_hand)


def _check_claims(plan: _Plan, errors: list[ValidationError]) -> None:
    for (_, _, batch), group in plan.groups.items():
        if group.existing or group.more:  # a new lot in one row holds what its row claims
            kept = (group.production_date, group.expiry_date)
            for given, row in group.claims.items():
                _dates_conflict(batch, row, given, kept, errors)
        if group.on_hand + group.total > QUANTITY_LIMIT:
            errors.append(
                _error(
                    "quantity",
                    f"批次 {batch} 结存 {group.on_hand}，再入库 {group.total} 将超过上限 10^12",
                    f"lot {batch} holds {group.on_hand}: {group.total} more exceeds 10^12",
                    group.first,
                )
            )


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
    latest = latest_allowed(session, today)  # the office may allow pre-dated receipts
    errors: list[ValidationError] = []
    plan = _Plan()
    groups, keys, quantities = plan.groups, plan.keys, plan.quantities
    for i, r in enumerate(rows):
        if i % CHUNK == 0:
            _check_cancel(cancel)
        checked = _fast_row(r, today, shelf, holders, latest) or _check_row(
            r, first_row + i, today, shelf, holders, errors, latest
        )
        if checked is None:
            continue
        qty, batch, expiry = checked
        key = (r.holder_id, r.material_id, batch)
        group = groups.get(key)
        if group is None:  # the row's own quantity object: no new Decimal per lot
            group = groups[key] = _Group(r.production_date, expiry, r, first_row + i, qty, expiry)
        else:
            group.claim((r.production_date, expiry), first_row + i)
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
