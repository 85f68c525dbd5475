"""The expiry audit: lots, members' certificates and teams' agreements by how soon they expire.

Status of an expiry date against the as-of date (``days_left = expiry - as_of``):
``expired`` when days_left < 0 (expires today is not yet expired); ``within_N`` for the
smallest horizon N with days_left <= N; ``ok`` beyond the largest horizon.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import ColumnElement, case, func, literal, select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.db.models import Certificate, Depot, Holder, Lot, Material, Member, Team
from drillplan.kernel.errors import ValidationError

ACTIONS = {
    "expired": ("报损或销毁，并补充储备", "write off, dispose and replenish"),
    "near": ("优先用于近期演练或调拨给队伍使用，安排轮换", "use in an upcoming drill or transfer"),
    "rotate": ("列入轮换计划", "schedule rotation"),
    "ok": ("", ""),
}


def check_horizons(horizons: Sequence[int]) -> tuple[int, ...]:
    values = tuple(sorted({int(h) for h in horizons}))
    if not values or values[0] <= 0:
        raise ValidationError(
            "horizon", "预警天数必须为正整数", message_en="horizons must be positive days"
        )
    return values


def status_of(days_left: int, horizons: Sequence[int]) -> str:
    if days_left < 0:
        return "expired"
    for h in horizons:
        if days_left <= h:
            return f"within_{h}"
    return "ok"


def status_label(status: str, lang: str = "zh") -> str:
    if status == "expired":
        return "已过期" if lang == "zh" else "expired"
    if status == "ok":
        return "正常" if lang == "zh" else "ok"
    days = status.removeprefix("within_")
    return f"{days}天内到期" if lang == "zh" else f"within {days} days"


def _status_case(column: ColumnElement[dt.date], as_of: dt.date, horizons: Sequence[int]):  # type: ignore[no-untyped-def]
    whens = [(column < as_of, literal("expired"))]
    whens += [(column <= as_of + dt.timedelta(days=h), literal(f"within_{h}")) for h in horizons]
    return case(*whens, else_=literal("ok"))


@dataclass(frozen=True)
class LotExpiry:
    lot_id: int
    batch_no: str
    material_code: str
    material_name: str
    holder_kind: str
    holder_code: str
    holder_name: str
    tier: str
    quantity: Decimal
    uom: str
    expiry_date: dt.date
    days_left: int
    status: str
    value: Decimal | None
    action: str

    def as_dict(self) -> dict[str, object]:
        return {
            "lot_id": self.lot_id,
            "batch": self.batch_no,
            "material_code": self.material_code,
            "material_name": self.material_name,
            "holder_kind": self.holder_kind,
            "holder_code": self.holder_code,
            "holder_name": self.holder_name,
            "tier": self.tier,
            "quantity": self.quantity,
            "unit": self.uom,
            "expiry_date": self.expiry_date,
            "days_left": self.days_left,
            "status": self.status,
            "value": self.value,
            "action": self.action,
        }


def _action(status: str, horizons: Sequence[int]) -> str:
    if status == "expired":
        return ACTIONS["expired"][0]
    if status == "ok":
        return ""
    days = int(status.removeprefix("within_"))
    return ACTIONS["near"][0] if days <= horizons[0] else ACTIONS["rotate"][0]


def _holder_columns():  # type: ignore[no-untyped-def]
    return (
        func.coalesce(Depot.code, Team.code).label("holder_code"),
        func.coalesce(Depot.name, Team.name).label("holder_name"),
        func.coalesce(Depot.tier, Team.tier).label("tier"),
    )


def _lot_filters(
    stmt,  # type: ignore[no-untyped-def]
    *,
    tier: str | None,
    depot_code: str | None,
    team_code: str | None,
    material_code: str | None,
):
    if tier:
        stmt = stmt.where(func.coalesce(Depot.tier, Team.tier) == tier)
    if depot_code:
        stmt = stmt.where(Depot.code == depot_code)
    if team_code:
        stmt = stmt.where(Team.code == team_code)
    if material_code:
        stmt = stmt.where(Material.code == material_code)
    return stmt


def lot_expiry(
    session: Session,
    *,
    as_of: dt.date,
    horizons: Sequence[int] | None = None,
    tier: str | None = None,
    depot_code: str | None = None,
    team_code: str | None = None,
    material_code: str | None = None,
    include_ok: bool = False,
) -> list[LotExpiry]:
    """Lots with stock that are expired or expire within the largest horizon (FEFO order)."""
    horizons = check_horizons(horizons or settings.expiry_horizons(session))
    status = _status_case(Lot.expiry_date, as_of, horizons).label("status")
    stmt = (
        select(
            Lot.id,
            Lot.batch_no,
            Material.code,
            Material.name,
            Holder.kind,
            *_holder_columns(),
            Lot.on_hand,
            Material.uom,
            Lot.expiry_date,
            Lot.unit_cost,
            status,
        )
        .join(Material, Material.id == Lot.material_id)
        .join(Holder, Holder.id == Lot.holder_id)
        .outerjoin(Depot, Depot.id == Holder.depot_id)
        .outerjoin(Team, Team.id == Holder.team_id)
        .where(Lot.on_hand > 0, Lot.expiry_date.is_not(None))
        .order_by(Lot.expiry_date, Material.code, Lot.batch_no, Lot.id)
    )
    if not include_ok:
        stmt = stmt.where(Lot.expiry_date <= as_of + dt.timedelta(days=horizons[-1]))
    stmt = _lot_filters(
        stmt, tier=tier, depot_code=depot_code, team_code=team_code, material_code=material_code
    )
    out = []
    for row in session.execute(stmt):
        qty = Decimal(row.on_hand)
        cost = Decimal(row.unit_cost) if row.unit_cost is not None else None
        out.append(
            LotExpiry(
                lot_id=row.id,
                batch_no=row.batch_no,
                material_code=row.code,
                material_name=row.name,
                holder_kind=str(row.kind),
                holder_code=row.holder_code,
                holder_name=row.holder_name,
                tier=str(row.tier),
                quantity=qty,
                uom=row.uom,
                expiry_date=row.expiry_date,
                days_left=(row.expiry_date - as_of).days,
                status=row.status,
                value=(qty * cost).quantize(Decimal("0.01")) if cost is not None else None,
                action=_action(row.status, horizons),
            )
        )
    return out


@dataclass(frozen=True)
class SummaryRow:
    tier: str
    status: str
    lots: int
    quantity: Decimal
    value: Decimal


def expiry_summary(
    session: Session,
    *,
    as_of: dt.date,
    horizons: Sequence[int] | None = None,
    tier: str | None = None,
    depot_code: str | None = None,
) -> list[SummaryRow]:
    """Counts, quantities and value of lots with stock per tier and status: one SQL query."""
    horizons = check_horizons(horizons or settings.expiry_horizons(session))
    status = _status_case(Lot.expiry_date, as_of, horizons)
    tier_col = func.coalesce(Depot.tier, Team.tier)
    stmt = (
        select(
            tier_col.label("tier"),
            status.label("status"),
            func.count(),
            func.sum(Lot.on_hand),
            func.sum(Lot.on_hand * func.coalesce(Lot.unit_cost, 0)),
        )
        .select_from(Lot)
        .join(Holder, Holder.id == Lot.holder_id)
        .outerjoin(Depot, Depot.id == Holder.depot_id)
        .outerjoin(Team, Team.id == Holder.team_id)
        .where(Lot.on_hand > 0, Lot.expiry_date.is_not(None))
        .group_by(tier_col, status)
        .order_by(tier_col, status)
    )
    stmt = _lot_filters(stmt, tier=tier, depot_code=depot_code, team_code=None, material_code=None)
    return [
        SummaryRow(
            tier=str(t),
            status=s,
            lots=int(n),
            quantity=Decimal(str(q)).quantize(Decimal("0.001")),
            value=Decimal(str(v)).quantize(Decimal("0.01")),
        )
        for t, s, n, q, v in session.execute(stmt)
    ]


@dataclass(frozen=True)
class CertificateExpiry:
    certificate_id: int
    team_code: str
    team_name: str
    member_name: str
    cert_type: str
    number: str
    expires_on: dt.date
    days_left: int
    status: str

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def certificate_expiry(
    session: Session,
    *,
    as_of: dt.date,
    horizons: Sequence[int] | None = None,
    team_code: str | None = None,
    include_ok: bool = False,
) -> list[CertificateExpiry]:
    """Active members' certificates expired or expiring within the largest horizon."""
    horizons = check_horizons(horizons or settings.expiry_horizons(session))
    stmt = (
        select(Certificate, Member.name, Team.code, Team.name)
        .join(Member, Member.id == Certificate.member_id)
        .join(Team, Team.id == Member.team_id)
        .where(Certificate.expires_on.is_not(None), Member.active.is_(True))
        .order_by(Certificate.expires_on, Team.code, Member.name, Certificate.id)
    )
    if not include_ok:
        stmt = stmt.where(Certificate.expires_on <= as_of + dt.timedelta(days=horizons[-1]))
    if team_code:
        stmt = stmt.where(Team.code == team_code)
    out = []
    for cert, member_name, t_code, t_name in session.execute(stmt):
        assert cert.expires_on is not None
        days = (cert.expires_on - as_of).days
        out.append(
            CertificateExpiry(
                certificate_id=cert.id,
                team_code=t_code,
                team_name=t_name,
                member_name=member_name,
                cert_type=cert.cert_type,
                number=cert.number,
                expires_on=cert.expires_on,
                days_left=days,
                status=status_of(days, horizons),
            )
        )
    return out


@dataclass(frozen=True)
class AgreementExpiry:
    team_id: int
    team_code: str
    team_name: str
    agreement_no: str | None
    expires_on: dt.date
    days_left: int
    status: str

    def as_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


def agreement_expiry(
    session: Session,
    *,
    as_of: dt.date,
    horizons: Sequence[int] | None = None,
    include_ok: bool = False,
) -> list[AgreementExpiry]:
    """Teams' cooperation agreements expired or expiring within the largest horizon."""
    horizons = check_horizons(horizons or settings.expiry_horizons(session))
    stmt = (
        select(Team)
        .where(Team.agreement_expires_on.is_not(None))
        .order_by(Team.agreement_expires_on, Team.code)
    )
    if not include_ok:
        stmt = stmt.where(Team.agreement_expires_on <= as_of + dt.timedelta(days=horizons[-1]))
    out = []
    for team in session.scalars(stmt):
        assert team.agreement_expires_on is not None
        days = (team.agreement_expires_on - as_of).days
        out.append(
            AgreementExpiry(
                team_id=team.id,
                team_code=team.code,
                team_name=team.name,
                agreement_no=team.agreement_no,
                expires_on=team.agreement_expires_on,
                days_left=days,
                status=status_of(days, horizons),
            )
        )
    return out
