"""What the forms and detail tables read about stock: holder, material and lot choices, the
values of a depot or material being edited, a lot's ledger, the depot tree, a depot's quotas,
the FEFO preview of an issue and the expiry status of dates.

Every function takes the caller's session and returns plain values or small dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.auth.conflicts import save_or_conflict
from drillplan.db.models import Depot, Holder, Lot, Material, Movement, Quota, Team
from drillplan.kernel.errors import NotFound
from drillplan.kernel.vocab import DepotTier, HolderKind, label
from drillplan.listing.records import row_values
from drillplan.stock.catalogue import DEPOT_FIELDS, MATERIAL_FIELDS
from drillplan.stock.coverage import quota_lines
from drillplan.stock.expiry import status_of
from drillplan.stock.fefo import pick_lots
from drillplan.stock.ledger import quantity_value

T = TypeVar("T")
Choice = tuple[int, str]

# --- choices ------------------------------------------------------------------------------


def holder_choices(session: Session) -> list[Choice]:
    """Every stock holder: depots first (by code), then teams."""
    depots = session.execute(
        select(Holder.id, Depot.code, Depot.name)
        .join(Depot, Holder.depot_id == Depot.id)
        .order_by(Depot.code)
    )
    team_rows = session.execute(
        select(Holder.id, Team.code, Team.name)
        .join(Team, Holder.team_id == Team.id)
        .where(Holder.kind == HolderKind.TEAM)
        .order_by(Team.code)
    )
    return [(r.id, f"{r.code} {r.name}") for r in [*depots, *team_rows]]


def material_choices(session: Session) -> list[Choice]:
    rows = session.execute(
        select(Material.id, Material.code, Material.name, Material.uom).order_by(Material.code)
    )
    return [(r.id, f"{r.code} {r.name}（{r.uom}）") for r in rows]


def materials_at(session: Session, holder_id: int) -> list[Choice]:
    """Materials the holder has in stock, with the quantity on hand."""
    rows = session.execute(
        select(Material.id, Material.code, Material.name, Material.uom, func.sum(Lot.on_hand))
        .join(Lot, Lot.material_id == Material.id)
        .where(Lot.holder_id == holder_id, Lot.on_hand > 0)
        .group_by(Material.id, Material.code, Material.name, Material.uom)
        .order_by(Material.code)
    )
    return [(r[0], f"{r[1]} {r[2]}（{r[4].normalize():f} {r[3]}）") for r in rows]


@dataclass(frozen=True)
class LotLine:
    lot_id: int
    material: str
    batch_no: str
    on_hand: Decimal
    uom: str
    expiry_date: dt.date | None
    row_version: int


def _lot_lines(session: Session, where: Any, *, in_stock_only: bool = False) -> list[LotLine]:
    stmt = (
        select(Lot, Material.code, Material.name, Material.uom)
        .join(Material, Lot.material_id == Material.id)
        .where(where)
        .order_by(Material.code, Lot.expiry_date, Lot.batch_no)
    )
    if in_stock_only:
        stmt = stmt.where(Lot.on_hand > 0)
    return [
        LotLine(
            lot.id,
            f"{code} {name}",
            lot.batch_no,
            Decimal(lot.on_hand),
            uom,
            lot.expiry_date,
            lot.row_version,
        )
        for lot, code, name, uom in session.execute(stmt)
    ]


def lots_at(session: Session, holder_id: int, *, in_stock_only: bool = False) -> list[LotLine]:
    return _lot_lines(session, Lot.holder_id == holder_id, in_stock_only=in_stock_only)


def lot_line(session: Session, lot_id: int) -> LotLine | None:
    found = _lot_lines(session, Lot.id == lot_id)
    return found[0] if found else None


@dataclass(frozen=True)
class LotContext:
    """What an operation started from a selected lot preselects: its holder, its material
    and the lot itself."""

    holder_id: int
    material_id: int
    line: LotLine


def lot_context(session: Session, lot_id: int) -> LotContext | None:
    found = lot_holder(session, lot_id)
    line = lot_line(session, lot_id)
    if found is None or line is None:
        return None
    return LotContext(found[0], found[1], line)


def lot_holder(session: Session, lot_id: int) -> tuple[int, int] | None:
    """(holder id, material id) of a lot."""
    row = session.execute(select(Lot.holder_id, Lot.material_id).where(Lot.id == lot_id)).first()
    return (row[0], row[1]) if row else None


# --- the values of a row being edited -----------------------------------------------------


def depot_record(session: Session, depot_id: int) -> dict[str, Any]:
    return row_values(session, Depot, depot_id, DEPOT_FIELDS)


def material_record(session: Session, material_id: int) -> dict[str, Any]:
    return row_values(session, Material, material_id, MATERIAL_FIELDS)


def depot_edit_checked(
    session: Session,
    depot_id: int,
    *,
    expected_version: int | None,
    attempted: Mapping[str, Any],
    save: Callable[[], T],
) -> T:
    """Run ``save()`` (an ``update_depot``); a stale version becomes an ``EditConflict`` that
    carries the depot as it is in the database now beside the values the user tried."""
    return save_or_conflict(
        session, Depot, depot_id, expected_version=expected_version, attempted=attempted, save=save
    )


# --- detail tables ------------------------------------------------------------------------


@dataclass(frozen=True)
class LedgerRow:
    movement_id: int
    moved_on: dt.date
    kind: str
    quantity: Decimal
    balance: Decimal
    operator: str
    reason: str
    document_no: str
    counterpart: str


def lot_ledger(session: Session, lot_id: int) -> list[LedgerRow]:
    """The movements of one lot, oldest first, with the running balance."""
    rows = session.scalars(
        select(Movement).where(Movement.lot_id == lot_id).order_by(Movement.moved_on, Movement.id)
    )
    out: list[LedgerRow] = []
    balance = Decimal(0)
    for m in rows:
        balance += Decimal(m.quantity)
        out.append(
            LedgerRow(
                m.id,
                m.moved_on,
                m.kind.value,
                Decimal(m.quantity),
                balance,
                f"{m.operator}（{m.operator_note}）" if m.operator_note else m.operator,
                m.reason or "",
                m.document_no or "",
                m.counterpart or "",
            )
        )
    return out


@dataclass(frozen=True)
class DepotNode:
    depot_id: int
    holder_id: int | None
    code: str
    name: str


def depot_tree(session: Session, lang: str = "zh") -> list[tuple[str, str, list[DepotNode]]]:
    """(tier key, tier label, depots) in tier order; tiers without depots are left out."""
    rows = session.execute(
        select(Depot.id, Holder.id, Depot.code, Depot.name, Depot.tier)
        .outerjoin(Holder, Holder.depot_id == Depot.id)
        .order_by(Depot.code)
    )
    by_tier: dict[str, list[DepotNode]] = {}
    for depot_id, holder_id, code, name, tier in rows:
        by_tier.setdefault(str(tier), []).append(DepotNode(depot_id, holder_id, code, name))
    return [(t.value, label(t, lang), by_tier[t.value]) for t in DepotTier if t.value in by_tier]


@dataclass(frozen=True)
class QuotaRow:
    material_id: int
    material: str
    uom: str
    required: Decimal
    usable: Decimal
    shortfall: Decimal
    source: str  # depot or tier


def depot_quotas(session: Session, depot_code: str | None, as_of: dt.date) -> list[QuotaRow]:
    return [
        QuotaRow(
            q.material_id,
            f"{q.material_code} {q.material_name}",
            q.uom,
            q.required,
            q.usable,
            max(q.required - q.usable, Decimal(0)),
            q.quota_source,
        )
        for q in quota_lines(session, as_of=as_of, depot_code=depot_code)
    ]


@dataclass(frozen=True)
class Pick:
    lot_id: int
    batch_no: str
    expiry_date: dt.date | None
    on_hand: Decimal
    take: Decimal


def fefo_preview(
    session: Session,
    *,
    holder_id: int,
    material_id: int,
    quantity: object,
    on: dt.date,
    allow_expired: bool = False,
    lot_ids: Sequence[int] | None = None,
) -> list[Pick]:
    """The lots an issue of ``quantity`` would take (first expire, first out, or the lots
    named, as ``ledger.issue`` takes them); writes nothing."""
    qty = quantity_value(quantity)
    picks = pick_lots(
        session,
        holder_id=holder_id,
        material_id=material_id,
        quantity=qty,
        on=on,
        lot_ids=lot_ids,
        allow_expired=allow_expired,
    )
    lots = {
        lot.id: lot for lot in session.scalars(select(Lot).where(Lot.id.in_([p[0] for p in picks])))
    }
    return [
        Pick(i, lots[i].batch_no, lots[i].expiry_date, Decimal(lots[i].on_hand), take)
        for i, take in picks
    ]


def expiry_statuses(
    session: Session, dates: Sequence[dt.date | None], *, as_of: dt.date
) -> list[str]:
    """The expiry audit's status of each date on ``as_of`` by the office's horizons:
    ``expired``, ``within_<days>`` or ``ok`` (no date: ``ok``)."""
    horizons = settings.expiry_horizons(session)
    return ["ok" if d is None else status_of((d - as_of).days, horizons) for d in dates]


def depot_quotas_by_code(session: Session, *, depot_id: int | None = None) -> list[Quota]:
    """The depots' own quotas by depot code and material code (one depot, or all)."""
    stmt = (
        select(Quota)
        .join(Depot, Quota.depot_id == Depot.id)
        .join(Material, Quota.material_id == Material.id)
        .order_by(Depot.code, Material.code)
    )
    if depot_id is not None:
        stmt = stmt.where(Quota.depot_id == depot_id)
    return list(session.scalars(stmt))


def lots_of(
    session: Session, *, holder_id: int | None = None, material_id: int | None = None
) -> list[Lot]:
    """Lots by holder, material and expiry (FEFO), optionally of one holder or material."""
    stmt = select(Lot).order_by(Lot.holder_id, Lot.material_id, Lot.expiry_date, Lot.id)
    if holder_id is not None:
        stmt = stmt.where(Lot.holder_id == holder_id)
    if material_id is not None:
        stmt = stmt.where(Lot.material_id == material_id)
    return list(session.scalars(stmt))


def movements_of(session: Session, lot_id: int) -> list[Movement]:
    """One lot's movements, oldest first; ``NotFound`` for a lot that does not exist."""
    if session.get(Lot, lot_id) is None:
        raise NotFound(f"批次 {lot_id} 不存在 (no lot {lot_id})")
    return list(
        session.scalars(
            select(Movement)
            .where(Movement.lot_id == lot_id)
            .order_by(Movement.moved_on, Movement.id)
        )
    )
