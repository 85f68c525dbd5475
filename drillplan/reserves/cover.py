"""Capacity reserves beside a shortfall: shown, never counted as stock.

The shortfall audit (:mod:`drillplan.stock.coverage`) lists, beside a quota line that is
short, the capacity reserves (产能储备) of that material in force on the as-of date: each
could make up the shortfall within its lead time, up to its promised quantity. Their own rule:
they do not change usable stock, shortfall or coverage.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from drillplan.db.models import CapacityReserve
from drillplan.kernel.formatting import fmt_number
from drillplan.reserves.capacity import lead_time_text


@dataclass(frozen=True)
class CapacityCover:
    code: str
    supplier: str
    promised: Decimal
    lead_time_hours: int
    phone: str | None

    def covers(self, shortfall: Decimal) -> bool:
        return self.promised >= shortfall

    def text(self, uom: str, lang: str = "zh") -> str:
        lead = lead_time_text(self.lead_time_hours, lang=lang)
        if lang == "zh":
            return f"{self.supplier}（{self.code}）承诺 {fmt_number(self.promised)} {uom}，{lead}内"
        return f"{self.supplier} ({self.code}): {fmt_number(self.promised)} {uom} within {lead}"


def capacity_by_material(
    session: Session, material_ids: Iterable[int], *, as_of: dt.date
) -> dict[int, list[CapacityCover]]:
    """material id -> the capacity reserves of it in force on ``as_of`` (shortest lead first)."""
    ids = sorted(set(material_ids))
    out: dict[int, list[CapacityCover]] = defaultdict(list)
    if not ids:
        return out
    stmt = (
        select(CapacityReserve)
        .where(
            CapacityReserve.material_id.in_(ids),
            or_(CapacityReserve.valid_from.is_(None), CapacityReserve.valid_from <= as_of),
            or_(CapacityReserve.valid_until.is_(None), CapacityReserve.valid_until >= as_of),
        )
        .order_by(CapacityReserve.lead_time_hours, CapacityReserve.code)
    )
    for r in session.scalars(stmt):
        out[r.material_id].append(
            CapacityCover(r.code, r.supplier, Decimal(r.promised_qty), r.lead_time_hours, r.phone)
        )
    return out
