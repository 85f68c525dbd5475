"""Quotas (储备定额), usable stock, shortfall and coverage per depot, tier, material, district.

Rules (documented in docs/cli.md):
- a depot's quota for a material is its own ``Quota`` row, else its tier's ``TierQuota``;
- usable stock is the current on-hand of the depot's lots of that material that are not
  expired on the as-of date (expiry date on or after it, or no expiry);
- shortfall = max(quota - usable, 0); covered = min(usable, quota);
- coverage % of any group = sum(covered) / sum(quota) x 100, so one depot's surplus never
  hides another's shortfall.
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
from drillplan.kernel.vocab import label

ZERO = Decimal(0)


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

    @property
    def covered(self) -> Decimal:
        return min(self.usable, self.required)

    @property
    def shortfall(self) -> Decimal:
        return max(self.required - self.usable, ZERO)

    @property
    def coverage_pct(self) -> float:
        return coverage(self.covered, self.required)


@dataclass(frozen=True)
class CoverageGroup:
    """A sum of quota lines: a depot, a tier, a material or the whole district."""

    key: str
    name: str
    required: Decimal
    covered: Decimal
    shortfall: Decimal
    lines: int
    lines_short: int

    @property
    def coverage_pct(self) -> float:
        return coverage(self.covered, self.required)


def coverage(covered: Decimal, required: Decimal) -> float:
    if required <= 0:
        return 100.0
    return round(float(covered / required * 100), 1)


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
            select(Material.id, Material.code, Material.name, Material.uom).where(
                Material.id.in_(material_ids)
            )
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
        )
        for (depot_id, material_id), (required, source) in wanted.items()
        if required > 0
    ]
    lines.sort(key=lambda x: (x.depot_code, x.material_code))
    return lines


def _group(lines: Iterable[QuotaLine], key: str, name: str) -> CoverageGroup:
    items = list(lines)
    return CoverageGroup(
        key=key,
        name=name,
        required=sum((x.required for x in items), ZERO),
        covered=sum((x.covered for x in items), ZERO),
        shortfall=sum((x.shortfall for x in items), ZERO),
        lines=len(items),
        lines_short=sum(1 for x in items if x.shortfall > 0),
    )


def group_by(lines: Iterable[QuotaLine], dimension: str) -> list[CoverageGroup]:
    """Sum quota lines per ``depot``, ``tier`` or ``material``."""
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
