"""The resource directory: every holder of what a query names, with whom to call.

:func:`find` answers "where is it, who holds it, whom to call" for a material (by code,
class prefix, name or synonym) or a capability (a team specialty): every depot of the city,
district and street-town tiers, enterprise-held (企业代储) and agreement (协议储备) reserves,
the teams' own equipment, and capacity reserves (产能储备) as their own kind of holder.

Rules (docs/directory.md, docs/cli.md):
- usable quantity: on-hand of lots not expired on the as-of date (expiry on or after it, or
  none), per material, so per unit of measure; quantities of different units are never added;
- expiring: the part of usable that expires within the first expiry horizon setting;
- a capacity reserve in force on the as-of date is listed with its promised quantity and lead
  time, never added into usable quantity;
- ``near_unit``: holders owned by that unit (or a unit below it) first, then those of the
  units beside it (the same parent), then the others; within each, by tier then code.

Lots are never loaded as objects: one ``GROUP BY holder, material`` over the lots of the
matched materials (and of the matched teams) answers at city scale.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.types import NullType

from drillplan import settings
from drillplan.db.models import CapacityReserve, Depot, Holder, Lot, Material, Unit
from drillplan.directory.matching import DEPOT_COLUMNS as DEPOT_COLUMNS
from drillplan.directory.matching import TEAM_COLUMNS as TEAM_COLUMNS
from drillplan.directory.matching import (
    MaterialMatch,
    find_capable_teams,
    find_materials,
    fold,
    match_index,
)
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.values import parse_enum
from drillplan.kernel.vocab import DepotTier, label
from drillplan.reserves.capacity import lead_time_text

ZERO = Decimal(0)
TEAM, CAPACITY = "team", "capacity"
#: holder kinds in the order the directory lists them
TIER_ORDER = (*(t.value for t in DepotTier), TEAM, CAPACITY)
TIER_LABELS = {TEAM: ("队伍装备", "Team equipment"), CAPACITY: ("产能储备", "Capacity reserve")}


def tier_label(tier: str, lang: str = "zh") -> str:
    if tier in TIER_LABELS:
        zh, en = TIER_LABELS[tier]
        return zh if lang == "zh" else en
    return label(DepotTier(tier), lang)


def parse_tier(value: object) -> str | None:
    """A tier of the directory: a depot tier (code, 中文 or English), 队伍 or 产能储备."""
    if value is None or str(value).strip() == "":
        return None
    text = fold(str(value))
    if text in {TEAM, "teams", "队伍", "队伍装备", "teamequipment"}:
        return TEAM
    if text in {CAPACITY, "产能储备", "产能", "capacityreserve"}:
        return CAPACITY
    try:
        return str(parse_enum(DepotTier, value, field="tier", what="层级"))
    except ValidationError as exc:
        raise ValidationError(
            "tier",
            exc.message + "；也可以是“队伍”或“产能储备”",
            message_en=f"{exc.message_en}; or team / capacity",
            rule=exc.rule,
        ) from exc


@dataclass(frozen=True)
class Holding:
    """One material at one holder: usable and expiring quantity in the material's unit."""

    material_id: int
    material_code: str
    material_name: str
    uom: str
    usable: Decimal
    expiring: Decimal = ZERO
    #: a capacity reserve: the promised quantity (never in ``usable``) and its lead time
    promised: Decimal | None = None
    lead_time_hours: int | None = None


@dataclass(frozen=True)
class DirectoryHolder:
    """A holder: a depot, a team, or a capacity reserve's supplier."""

    kind: str  # "depot", "team", "capacity"
    id: int  # depot id, team id or capacity reserve id
    code: str
    name: str
    tier: str  # a DepotTier value, "team" or "capacity"
    unit_id: int | None
    unit_name: str
    address: str | None
    keeper: str | None
    phone: str | None
    agreement_supplier: str | None = None
    agreement_contact: str | None = None
    agreement_phone: str | None = None
    agreement_no: str | None = None
    capabilities: tuple[str, ...] = ()
    holdings: tuple[Holding, ...] = ()
    nearness: int = 2  # 0 in the unit, 1 beside it, 2 elsewhere (no near unit: all 2)

    @property
    def tier_label(self) -> str:
        return tier_label(self.tier)

    def totals(self) -> dict[str, Decimal]:
        """Usable quantity per unit of measure (never added across units)."""
        out: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for h in self.holdings:
            out[h.uom] += h.usable
        return dict(out)


@dataclass(frozen=True)
class Found:
    query: str
    as_of: dt.date
    horizon_days: int
    materials: tuple[MaterialMatch, ...]
    capability_teams: int
    holders: tuple[DirectoryHolder, ...] = field(default_factory=tuple)
    #: how many holders there are (``holders`` may be the first ``limit`` of them)
    total_holders: int = 0
    #: (material code, uom) -> (usable, expiring) over every holder (capacity excluded)
    material_totals: dict[tuple[str, str], tuple[Decimal, Decimal]] = field(default_factory=dict)

    def totals(self) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
        """(material code, uom) -> (usable, expiring) over every holder, also those past the
        limit (capacity reserves excluded: never stock)."""
        return dict(self.material_totals)


def first_horizon(session: Session) -> int:
    return int(min(settings.get(session, "expiry_horizons")))


def _conditions(
    as_of: dt.date, material_ids: list[int], team_ids: list[int]
) -> list[ColumnElement[bool]] | None:
    """The WHERE of the usable lots a query names (None: it names none)."""
    which = []
    if material_ids:
        which.append(Lot.material_id.in_(material_ids))
    if team_ids:  # by the lot's own holder column: the lot indexes answer both halves
        teams = select(Holder.id).where(Holder.team_id.in_(team_ids)).scalar_subquery()
        which.append(Lot.holder_id.in_(teams))
    if not which:
        return None
    live = or_(Lot.expiry_date.is_(None), Lot.expiry_date >= as_of)
    return [or_(*which), live, Lot.on_hand > 0]


def _expiring(as_of: dt.date, horizon: int) -> ColumnElement[bool]:
    until = as_of + dt.timedelta(days=horizon)
    return and_(Lot.expiry_date.is_not(None), Lot.expiry_date >= as_of, Lot.expiry_date <= until)


def _sums(as_of: dt.date, horizon: int) -> tuple[ColumnElement[Any], ColumnElement[Any]]:
    """sum(usable), sum(expiring) of the lots grouped, as the driver returns them (see
    :func:`_quantity`: a Numeric result column would cost more than the query at city scale)."""
    return (
        type_coerce(func.sum(Lot.on_hand), NullType()),
        type_coerce(func.sum(case((_expiring(as_of, horizon), Lot.on_hand), else_=0)), NullType()),
    )


def _quantity(value: object) -> Decimal:
    """A summed quantity as :data:`Quantity` (``Numeric(16, 3)``) reads it: PostgreSQL gives a
    Decimal, SQLite an int or a float (rounded to the column's 3 decimals, as SQLAlchemy does)."""
    if value is None:
        return ZERO
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    return Decimal(f"{value:.3f}")


def _stocked(session: Session, where: list[ColumnElement[bool]]) -> list[int]:
    """The ids of the holders with usable stock the query names (the lot table alone: a
    covering lot index answers it)."""
    stmt = select(Lot.holder_id).where(*where).group_by(Lot.holder_id)
    return list(session.scalars(stmt))


def _holdings_of(
    session: Session,
    where: list[ColumnElement[bool]],
    holder_ids: list[int],
    *,
    as_of: dt.date,
    horizon: int,
) -> list[tuple[int, int, Decimal, Decimal]]:
    """(holder id, material id, usable, expiring) of the holders ``holder_ids``."""
    out = []
    for chunk in _chunks(holder_ids):
        stmt = (
            select(Lot.holder_id, Lot.material_id, *_sums(as_of, horizon))
            .where(*where, (Lot.holder_id + 0).in_(chunk))
            .group_by(Lot.holder_id, Lot.material_id)
        )
        rows = session.execute(stmt).tuples()
        out.extend((h, m, _quantity(u), _quantity(e)) for h, m, u, e in rows)
    return out


def _material_sums(
    session: Session,
    where: list[ColumnElement[bool]],
    *,
    as_of: dt.date,
    horizon: int,
    tier: str | None,
) -> list[tuple[int, Decimal, Decimal]]:
    """(material id, usable, expiring) over every holder (of ``tier``)."""
    stmt = select(Lot.material_id, *_sums(as_of, horizon)).where(*where)
    if tier == TEAM:
        teams = select(Holder.id).where(Holder.team_id.is_not(None)).scalar_subquery()
        stmt = stmt.where(Lot.holder_id.in_(teams))
    elif tier is not None:
        depots = (
            select(Holder.id)
            .join(Depot, Holder.depot_id == Depot.id)
            .where(Depot.tier == tier)
            .scalar_subquery()
        )
        stmt = stmt.where(Lot.holder_id.in_(depots))
    stmt = stmt.group_by(Lot.material_id)
    rows = session.execute(stmt).tuples()
    return [(m, _quantity(u), _quantity(e)) for m, u, e in rows]


def _holder_places(
    session: Session, holder_ids: list[int]
) -> dict[int, tuple[int | None, int | None]]:
    """holder id -> (depot id, team id)."""
    out: dict[int, tuple[int | None, int | None]] = {}
    for chunk in _chunks(holder_ids):
        stmt = select(Holder.id, Holder.depot_id, Holder.team_id).where(Holder.id.in_(chunk))
        out.update((h, (d, t)) for h, d, t in session.execute(stmt).tuples())
    return out


def _rows(
    session: Session,
    cached: dict[int, tuple],  # type: ignore[type-arg]
    columns: tuple[Any, ...],
    ids: list[int],
) -> list[tuple]:  # type: ignore[type-arg]
    """The rows of ``ids`` from the index, any missing from it (added since) from the table."""
    out = [cached[i] for i in ids if i in cached]
    missing = [i for i in ids if i not in cached]
    for chunk in _chunks(missing):
        out.extend(tuple(r) for r in session.execute(select(*columns).where(columns[0].in_(chunk))))
    return out


def _unit_names(session: Session, ids: set[int]) -> dict[int, tuple[str, int | None]]:
    if not ids:
        return {}
    rows = session.execute(select(Unit.id, Unit.name, Unit.parent_id).where(Unit.id.in_(ids)))
    return {uid: (name, parent) for uid, name, parent in rows}


def _parents(session: Session) -> dict[int, int | None]:
    return dict(session.execute(select(Unit.id, Unit.parent_id)).tuples().all())


def near_unit_id(session: Session, value: object) -> int:
    """A unit by id, code or exact name (for ``near_unit``)."""
    if isinstance(value, int):
        if session.get(Unit, value) is None:
            raise ValidationError("near", f"单位 {value} 不存在", message_en=f"no unit {value}")
        return value
    text = str(value).strip()
    found = session.scalar(select(Unit.id).where(or_(Unit.code == text, Unit.name == text)))
    if found is None:
        raise ValidationError(
            "near", f"没有编码或名称为“{text}”的单位", message_en=f"no unit {text!r}"
        )
    return found


def _nearness(unit: int | None, near: int | None, parents: dict[int, int | None]) -> int:
    if near is None or unit is None:
        return 2
    seen, cursor = set(), unit
    while cursor is not None and cursor not in seen:  # the unit or one above it is ``near``
        if cursor == near:
            return 0
        seen.add(cursor)
        cursor = parents.get(cursor)
    parent = parents.get(near)
    if parent is not None and parents.get(unit) == parent:
        return 1
    return 2


def _chunks(ids: list[int], size: int = 5_000) -> Iterator[list[int]]:
    for i in range(0, len(ids), size):
        yield ids[i : i + size]


def _depot_holder(row: tuple) -> DirectoryHolder:  # type: ignore[type-arg]
    did, code, name, dtier, unit, address, keeper, phone, sup, contact, aphone = row
    return DirectoryHolder(
        "depot", did, code, name, DepotTier(dtier).value, unit, "", address, keeper, phone,
        agreement_supplier=sup, agreement_contact=contact, agreement_phone=aphone,
    )  # fmt: skip


def _team_holder(row: tuple, capable: dict[int, list[str]]) -> DirectoryHolder:  # type: ignore[type-arg]
    tid, code, name, unit, base, phone, agreement = row
    return DirectoryHolder(
        TEAM, tid, code, name, TEAM, unit, "", base, None, phone,
        capabilities=tuple(capable.get(tid, ())), agreement_no=agreement,
    )  # fmt: skip


def find(
    session: Session,
    text: str,
    *,
    tier: object = None,
    near_unit: object = None,
    as_of: dt.date,
    horizon_days: int | None = None,
    limit: int | None = None,
) -> Found:
    """Every holder of what ``text`` names (see the module's rules); ``limit``: only the first
    that many holders are returned (the desktop's search box), the totals and
    :attr:`Found.total_holders` still count them all."""
    tier_key = parse_tier(tier)
    near = near_unit_id(session, near_unit) if near_unit not in (None, "") else None
    horizon = horizon_days if horizon_days is not None else first_horizon(session)
    index = match_index(session)
    materials = find_materials(session, text, index=index)
    capable = find_capable_teams(session, text, index=index)
    by_material = {m.id: m for m in materials}
    team_ids = list(capable) if tier_key in (None, TEAM) else []
    where = _conditions(as_of, list(by_material), team_ids)
    stocked = _stocked(session, where) if where else []
    places = {h: index.holders[h] for h in stocked if h in index.holders}
    if len(places) < len(stocked):  # a holder added since the index was read
        places.update(_holder_places(session, [h for h in stocked if h not in places]))
    holder_of = {
        (("depot", d) if d is not None else (TEAM, t)): hid for hid, (d, t) in places.items()
    }

    # the holders' own rows (columns, not objects yet), filtered by tier; sorted on
    # (nearness, tier, code) and made objects only for the ones returned
    parents = _parents(session) if near is not None else {}
    keyed: list[tuple[int, int, str, int, DirectoryHolder | tuple, str]] = []  # type: ignore[type-arg]
    depot_ids = (
        [i for k, i in holder_of if k == "depot"] if tier_key not in (TEAM, CAPACITY) else []
    )
    for row in _rows(session, index.depot_rows, DEPOT_COLUMNS, depot_ids):
        if tier_key is not None and DepotTier(row[3]).value != tier_key:
            continue
        order = TIER_ORDER.index(DepotTier(row[3]).value)
        keyed.append((_nearness(row[4], near, parents), order, row[1], row[0], row, "depot"))
    if tier_key in (None, TEAM):
        wanted = sorted({i for k, i in holder_of if k == TEAM} | set(capable))
        team_order = TIER_ORDER.index(TEAM)
        for row in _rows(session, index.team_rows, TEAM_COLUMNS, wanted):
            near_of = _nearness(row[3], near, parents)
            keyed.append((near_of, team_order, row[1], row[0], row, TEAM))
    if by_material and tier_key in (None, CAPACITY):
        for h in _capacity_holders(session, by_material, as_of):
            near_of = _nearness(h.unit_id, near, parents)
            keyed.append((near_of, TIER_ORDER.index(CAPACITY), h.code, h.id, h, CAPACITY))
    keyed.sort(key=lambda k: k[:3])
    total = len(keyed)
    chosen = keyed[:limit] if limit is not None else keyed

    # the holdings of the holders returned: one GROUP BY holder x material
    held: dict[tuple[str, int], list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    wanted_ids = [holder_of[(k[5], k[3])] for k in chosen if (k[5], k[3]) in holder_of]
    if where and wanted_ids:
        for hid, mid, usable, expiring in _holdings_of(
            session, where, wanted_ids, as_of=as_of, horizon=horizon
        ):
            depot_id, team_id = places[hid]
            key = ("depot", depot_id) if depot_id is not None else (TEAM, team_id)
            held[key].append((mid, usable, expiring))  # type: ignore[arg-type]
    sums = (
        _material_sums(session, where, as_of=as_of, horizon=horizon, tier=tier_key)
        if where and tier_key != CAPACITY
        else []
    )

    catalogue = dict(index.catalogue)
    missing = sorted({m for m, _u, _e in sums} - set(catalogue))  # added since it was read
    missing += sorted({m for items in held.values() for m, _u, _e in items} - set(catalogue))
    for chunk in _chunks(sorted(set(missing))):
        stmt = select(Material.id, Material.code, Material.name, Material.uom)
        for mid, code, name, uom in session.execute(stmt.where(Material.id.in_(chunk))):
            catalogue[mid] = (code, name, uom)

    def holdings(items: list[tuple[int, Decimal, Decimal]]) -> tuple[Holding, ...]:
        out = [Holding(mid, *catalogue[mid], usable=u, expiring=e) for mid, u, e in items]
        return tuple(sorted(out, key=lambda h: h.material_code))

    units = _unit_names(session, {k[4][4] if k[5] == "depot" else k[4][3] if k[5] == TEAM
                                  else k[4].unit_id for k in chosen} - {None})  # fmt: skip
    shown: list[DirectoryHolder] = []
    for nearness, _order, _code, hid, row, kind in chosen:
        if kind == CAPACITY:
            h = row
        elif kind == "depot":
            h = _depot_holder(row)
        else:
            h = _team_holder(row, capable)
        shown.append(
            replace(
                h,
                nearness=nearness,
                unit_name=units.get(h.unit_id, ("", None))[0] if h.unit_id is not None else "",
                holdings=h.holdings if kind == CAPACITY else holdings(held.get((kind, hid), [])),
            )
        )
    totals = {(catalogue[m][0], catalogue[m][2]): (u, e) for m, u, e in sums}
    return Found(
        text, as_of, horizon, tuple(materials), len(capable), tuple(shown),
        total_holders=total, material_totals=totals,
    )  # fmt: skip


def _capacity_holders(
    session: Session, materials: dict[int, MaterialMatch], as_of: dt.date
) -> list[DirectoryHolder]:
    stmt = (
        select(CapacityReserve)
        .where(
            CapacityReserve.material_id.in_(materials),
            or_(CapacityReserve.valid_from.is_(None), CapacityReserve.valid_from <= as_of),
            or_(CapacityReserve.valid_until.is_(None), CapacityReserve.valid_until >= as_of),
        )
        .order_by(CapacityReserve.code)
    )
    out = []
    for r in session.scalars(stmt):
        m = materials[r.material_id]
        holding = Holding(
            m.id,
            m.code,
            m.name,
            m.uom,
            usable=ZERO,
            promised=Decimal(r.promised_qty),
            lead_time_hours=r.lead_time_hours,
        )
        out.append(
            DirectoryHolder(
                CAPACITY,
                r.id,
                r.code,
                r.supplier,
                CAPACITY,
                r.supplier_unit_id,
                "",
                None,
                r.contact,
                r.phone,
                agreement_supplier=r.supplier,
                agreement_contact=r.contact,
                agreement_phone=r.phone,
                agreement_no=r.agreement_no,
                holdings=(holding,),
            )
        )
    return out


def holding_text(h: Holding, *, horizon: int | None = None, lang: str = "zh") -> str:
    """The holding as people read it: "12 艘（30 天内到期 2）", or for a capacity reserve
    "产能储备：承诺 5,000 条，48 小时内"."""
    if h.promised is not None:
        lead = lead_time_text(h.lead_time_hours or 0, lang=lang)
        if lang == "zh":
            return f"产能储备：承诺 {fmt_number(h.promised)} {h.uom}，{lead}内"
        return f"capacity reserve: {fmt_number(h.promised)} {h.uom} within {lead}"
    text = f"{fmt_number(h.usable)} {h.uom}"
    if h.expiring:
        days_zh = f"{horizon} 天内" if horizon else "近期"
        days_en = f"within {horizon} days" if horizon else "soon"
        text += (
            f"（{days_zh}到期 {fmt_number(h.expiring)}）"
            if lang == "zh"
            else f" ({fmt_number(h.expiring)} expiring {days_en})"
        )
    return text
