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
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal

from sqlalchemy import and_, case, func, or_, select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.db.models import CapacityReserve, Depot, Holder, Lot, Material, Team, Unit
from drillplan.directory.matching import MaterialMatch, find_capable_teams, find_materials, fold
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

    def totals(self) -> dict[tuple[str, str], tuple[Decimal, Decimal]]:
        """(material code, uom) -> (usable, expiring) over every holder (capacity excluded)."""
        out: dict[tuple[str, str], tuple[Decimal, Decimal]] = {}
        for holder in self.holders:
            for h in holder.holdings:
                if h.promised is not None:
                    continue
                usable, expiring = out.get((h.material_code, h.uom), (ZERO, ZERO))
                out[(h.material_code, h.uom)] = (usable + h.usable, expiring + h.expiring)
        return out


def first_horizon(session: Session) -> int:
    return int(min(settings.get(session, "expiry_horizons")))


def _aggregate(
    session: Session,
    *,
    as_of: dt.date,
    horizon: int,
    material_ids: Iterable[int] = (),
    team_ids: Iterable[int] = (),
) -> list[tuple[int | None, int | None, int, Decimal, Decimal]]:
    """(depot id, team id, material id, usable, expiring) per holder x material."""
    material_ids, team_ids = list(material_ids), list(team_ids)
    if not material_ids and not team_ids:
        return []
    until = as_of + dt.timedelta(days=horizon)
    live = or_(Lot.expiry_date.is_(None), Lot.expiry_date >= as_of)
    expiring = and_(
        Lot.expiry_date.is_not(None), Lot.expiry_date >= as_of, Lot.expiry_date <= until
    )
    which = []
    if material_ids:
        which.append(Lot.material_id.in_(material_ids))
    if team_ids:
        which.append(Holder.team_id.in_(team_ids))
    stmt = (
        select(
            Holder.depot_id,
            Holder.team_id,
            Lot.material_id,
            func.sum(Lot.on_hand),
            func.sum(case((expiring, Lot.on_hand), else_=0)),
        )
        .join(Holder, Lot.holder_id == Holder.id)
        .where(or_(*which), live, Lot.on_hand > 0)
        .group_by(Holder.depot_id, Holder.team_id, Lot.material_id)
    )
    return [(d, t, m, Decimal(u or 0), Decimal(e or 0)) for d, t, m, u, e in session.execute(stmt)]


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


def find(
    session: Session,
    text: str,
    *,
    tier: object = None,
    near_unit: object = None,
    as_of: dt.date,
    horizon_days: int | None = None,
) -> Found:
    """Every holder of what ``text`` names (see the module's rules)."""
    tier_key = parse_tier(tier)
    near = near_unit_id(session, near_unit) if near_unit not in (None, "") else None
    horizon = horizon_days if horizon_days is not None else first_horizon(session)
    materials = find_materials(session, text)
    capable = find_capable_teams(session, text)
    by_material = {m.id: m for m in materials}
    rows = _aggregate(
        session,
        as_of=as_of,
        horizon=horizon,
        material_ids=by_material,
        team_ids=capable if tier_key in (None, TEAM) else (),
    )
    held: dict[tuple[str, int], list[tuple[int, Decimal, Decimal]]] = defaultdict(list)
    for depot_id, team_id, mid, usable, expiring in rows:
        key = ("depot", depot_id) if depot_id is not None else (TEAM, team_id)
        held[key].append((mid, usable, expiring))  # type: ignore[arg-type]
    for tid in capable:  # a capable team is a holder even without equipment on record
        held.setdefault((TEAM, tid), [])
    extra_ids = {mid for items in held.values() for mid, _u, _e in items} - set(by_material)
    catalogue = {m.id: (m.code, m.name, m.uom) for m in materials}
    if extra_ids:
        stmt = select(Material.id, Material.code, Material.name, Material.uom)
        for mid, code, name, uom in session.execute(stmt.where(Material.id.in_(extra_ids))):
            catalogue[mid] = (code, name, uom)

    def holdings(items: list[tuple[int, Decimal, Decimal]]) -> tuple[Holding, ...]:
        out = [Holding(mid, *catalogue[mid], usable=u, expiring=e) for mid, u, e in items]
        return tuple(sorted(out, key=lambda h: h.material_code))

    holders: list[DirectoryHolder] = []
    depot_ids = [i for k, i in held if k == "depot"]
    if depot_ids and tier_key not in (TEAM, CAPACITY):
        stmt = select(Depot).where(Depot.id.in_(depot_ids))
        if tier_key is not None:
            stmt = stmt.where(Depot.tier == tier_key)
        for d in session.scalars(stmt):
            holders.append(
                DirectoryHolder(
                    "depot",
                    d.id,
                    d.code,
                    d.name,
                    d.tier.value,
                    d.owner_unit_id,
                    "",
                    d.address,
                    d.keeper,
                    d.keeper_phone,
                    agreement_supplier=d.agreement_supplier,
                    agreement_contact=d.agreement_contact,
                    agreement_phone=d.agreement_phone,
                    holdings=holdings(held[("depot", d.id)]),
                )
            )
    team_ids = [i for k, i in held if k == TEAM]
    if team_ids and tier_key in (None, TEAM):
        for t in session.scalars(select(Team).where(Team.id.in_(team_ids))):
            holders.append(
                DirectoryHolder(
                    TEAM,
                    t.id,
                    t.code,
                    t.name,
                    TEAM,
                    t.owner_unit_id,
                    "",
                    t.base,
                    None,
                    t.duty_phone,
                    capabilities=tuple(capable.get(t.id, ())),
                    agreement_no=t.agreement_no,
                    holdings=holdings(held[(TEAM, t.id)]),
                )
            )
    if by_material and tier_key in (None, CAPACITY):
        holders.extend(_capacity_holders(session, by_material, as_of))
    units = _unit_names(session, {h.unit_id for h in holders if h.unit_id is not None})
    parents = _parents(session) if near is not None else {}
    holders = [
        replace(
            h,
            unit_name=units.get(h.unit_id, ("", None))[0] if h.unit_id is not None else "",
            nearness=_nearness(h.unit_id, near, parents),
        )
        for h in holders
    ]
    holders.sort(key=lambda h: (h.nearness, TIER_ORDER.index(h.tier), h.code))
    return Found(text, as_of, horizon, tuple(materials), len(capable), tuple(holders))


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
