"""Quotas (储备定额), usable stock, shortfall and coverage per depot, tier, material, district.

Rules (documented in docs/readiness.md and docs/cli.md):
- a depot's quota for a material is its own ``Quota`` row, else its tier's ``TierQuota``;
- usable stock is the current on-hand of the depot's lots of that material that are not
  expired on the as-of date (expiry date on or after it, or no expiry);
- per quota line: shortfall = max(quota - usable, 0), covered = min(usable, quota), and the
  coverage ratio r = min(usable / quota, 1), a number without a unit;
- coverage of any group of lines (a depot, a tier, a material, the district) is the mean of
  its lines' ratios weighted by each material's criticality (关键 3, 重要 2, 一般 1):
  ``sum(w x r) / sum(w)``. Quantities of different units (条, 台, 箱 ...) are never added:
  a group's quantities are totalled per unit of measure (:attr:`CoverageGroup.units`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from drillplan.db.models import Depot, Holder, Lot, Material, Quota, TierQuota
from drillplan.kernel.vocab import Criticality, label

ZERO = Decimal(0)
ONE = Decimal(1)

#: The weight of a quota line in coverage, by its material's criticality.
CRITICALITY_WEIGHTS: dict[Criticality, Decimal] = {
    Criticality.CRITICAL: Decimal(3),
    Criticality.IMPORTANT: Decimal(2),
    Criticality.GENERAL: Decimal(1),
}


def weight_of(criticality: Criticality | str | None) -> Decimal:
    """The weight of a criticality (an unknown or missing one weighs as 一般)."""
    try:
        return CRITICALITY_WEIGHTS[Criticality(criticality)]
    except ValueError:
        return CRITICALITY_WEIGHTS[Criticality.GENERAL]


@dataclass(frozen=True)
class QuotaLine:
    """One depot x material with a quota."""

    depot_id: int
    depot_code: str
    depot_name: str
    tier: str
    material_id: int
    material_code: str
    material_name: str
    uom: str
    required: Decimal
    usable: Decimal
    quota_source: str  # "depot" or "tier"
    criticality: Criticality = Criticality.GENERAL

    @property
    def covered(self) -> Decimal:
        return min(self.usable, self.required)

    @property
    def shortfall(self) -> Decimal:
        return max(self.required - self.usable, ZERO)

    @property
    def ratio(self) -> Decimal:
        """usable / required, capped at 1 (a surplus never makes up for another line)."""
        if self.required <= 0:
            return ONE
        return min(self.usable / self.required, ONE)

    @property
    def weight(self) -> Decimal:
        return weight_of(self.criticality)

    @property
    def coverage_pct(self) -> float:
        return round(float(self.ratio * 100), 1)


@dataclass(frozen=True)
class UnitTotal:
    """The quantities of a group's lines in one unit of measure (the only place they add)."""

    uom: str
    required: Decimal
    covered: Decimal
    shortfall: Decimal
    lines: int
    lines_short: int
    weight: Decimal
    weighted: Decimal  # sum of weight x ratio

    @property
    def coverage_pct(self) -> float:
        """The weighted coverage of this unit's lines (as :attr:`CoverageGroup.coverage_pct`)."""
        return weighted_pct(self.weighted, self.weight)


@dataclass(frozen=True)
class CoverageGroup:
    """Quota lines of a depot, a tier, a material or the whole district."""

    key: str
    name: str
    lines: int
    lines_short: int
    weight: Decimal  # sum of the lines' weights
    weighted: Decimal  # sum of weight x ratio
    units: tuple[UnitTotal, ...]  # quantities per unit of measure, never across units

    @property
    def coverage_pct(self) -> float:
        """sum(weight x ratio) / sum(weight) x 100, one decimal."""
        return weighted_pct(self.weighted, self.weight)


def weighted_pct(weighted: Decimal, weight: Decimal) -> float:
    if weight <= 0:
        return 100.0
    return round(float(weighted / weight * 100), 1)


def quota_lines(
    session: Session,
    *,
    as_of: dt.date,
    tier: str | None = None,
    depot_code: str | None = None,
) -> list[QuotaLine]:
    """Every depot x material that has a quota (own or by tier), with its usable stock."""
    depots_q = select(Depot.id, Depot.code, Depot.name, Depot.tier).order_by(Depot.code)
    if tier:
        depots_q = depots_q.where(Depot.tier == tier)
    if depot_code:
        depots_q = depots_q.where(Depot.code == depot_code)
    depots = session.execute(depots_q).all()
    if not depots:
        return []
    depot_ids = [d.id for d in depots]

    own: dict[tuple[int, int], Decimal] = {
        (q.depot_id, q.material_id): Decimal(q.required_qty)
        for q in session.execute(
            select(Quota.depot_id, Quota.material_id, Quota.required_qty).where(
                Quota.depot_id.in_(depot_ids)
            )
        )
    }
    by_tier: dict[str, list[tuple[int, Decimal]]] = defaultdict(list)
    for t in session.execute(select(TierQuota.tier, TierQuota.material_id, TierQuota.required_qty)):
        by_tier[str(t.tier)].append((t.material_id, Decimal(t.required_qty)))

    usable: dict[tuple[int, int], Decimal] = {
        (row.depot_id, row.material_id): Decimal(row.qty)
        for row in session.execute(
            select(Holder.depot_id, Lot.material_id, func.sum(Lot.on_hand).label("qty"))
            .join(Holder, Holder.id == Lot.holder_id)
            .where(
                Holder.depot_id.in_(depot_ids),
                Lot.on_hand > 0,
                or_(Lot.expiry_date.is_(None), Lot.expiry_date >= as_of),
            )
            .group_by(Holder.depot_id, Lot.material_id)
        )
    }

    wanted: dict[tuple[int, int], tuple[Decimal, str]] = {}
    for d in depots:
        for material_id, qty in by_tier.get(str(d.tier), []):
            wanted[(d.id, material_id)] = (qty, "tier")
    for key, qty in own.items():
        wanted[key] = (qty, "depot")
    material_ids = sorted({m for _, m in wanted})
    materials = {
        m.id: m
        for m in session.execute(
            select(
                Material.id, Material.code, Material.name, Material.uom, Material.criticality
            ).where(Material.id.in_(material_ids))
        )
    }
    depot_by_id = {d.id: d for d in depots}
    lines = [
        QuotaLine(
            depot_id=depot_id,
            depot_code=depot_by_id[depot_id].code,
            depot_name=depot_by_id[depot_id].name,
            tier=str(depot_by_id[depot_id].tier),
            material_id=material_id,
            material_code=materials[material_id].code,
            material_name=materials[material_id].name,
            uom=materials[material_id].uom,
            required=required,
            usable=usable.get((depot_id, material_id), ZERO),
            quota_source=source,
            criticality=Criticality(materials[material_id].criticality),
        )
        for (depot_id, material_id), (required, source) in wanted.items()
        if required > 0
    ]
    lines.sort(key=lambda x: (x.depot_code, x.material_code))
    return lines


def _unit_total(uom: str, items: list[QuotaLine]) -> UnitTotal:
    return UnitTotal(
        uom=uom,
        required=sum((x.required for x in items), ZERO),
        covered=sum((x.covered for x in items), ZERO),
        shortfall=sum((x.shortfall for x in items), ZERO),
        lines=len(items),
        lines_short=sum(1 for x in items if x.shortfall > 0),
        weight=sum((x.weight for x in items), ZERO),
        weighted=sum((x.weight * x.ratio for x in items), ZERO),
    )


def _group(lines: Iterable[QuotaLine], key: str, name: str) -> CoverageGroup:
    items = list(lines)
    per_unit: dict[str, list[QuotaLine]] = defaultdict(list)
    for x in items:
        per_unit[x.uom].append(x)
    return CoverageGroup(
        key=key,
        name=name,
        lines=len(items),
        lines_short=sum(1 for x in items if x.shortfall > 0),
        weight=sum((x.weight for x in items), ZERO),
        weighted=sum((x.weight * x.ratio for x in items), ZERO),
        units=tuple(_unit_total(u, per_unit[u]) for u in sorted(per_unit)),
    )


def group_by(lines: Iterable[QuotaLine], dimension: str) -> list[CoverageGroup]:
    """Quota lines per ``depot``, ``tier`` or ``material`` (weighted coverage, per-unit sums)."""
    buckets: dict[str, list[QuotaLine]] = defaultdict(list)
    names: dict[str, str] = {}
    for line in lines:
        if dimension == "depot":
            k, n = line.depot_code, line.depot_name
        elif dimension == "tier":
            k, n = line.tier, label(line.tier)
        elif dimension == "material":
            k, n = line.material_code, line.material_name
        else:
            raise ValueError(dimension)
        buckets[k].append(line)
        names[k] = n
    return [_group(buckets[k], k, names[k]) for k in sorted(buckets)]


def district_total(lines: Iterable[QuotaLine]) -> CoverageGroup:
    return _group(lines, "district", "全区")
