"""Detail tables of the UI: a team's members and certificates, a plan's history, a lot's
ledger, the depot tree, a depot's quotas, the FEFO preview of an issue."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.db.models import Certificate, Depot, Holder, Lot, Member, Movement
from drillplan.kernel.vocab import DepotTier, label
from drillplan.plans import lifecycle
from drillplan.stock.coverage import quota_lines
from drillplan.stock.expiry import status_of
from drillplan.stock.fefo import pick_lots
from drillplan.stock.ledger import quantity_value


@dataclass(frozen=True)
class MemberRow:
    member_id: int
    name: str
    role: str
    phone: str | None
    insured_until: dt.date | None
    active: bool
    certificates: int


def team_members(session: Session, team_id: int) -> list[MemberRow]:
    counts = (
        select(func.count(Certificate.id))
        .where(Certificate.member_id == Member.id)
        .correlate(Member)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Member, counts).where(Member.team_id == team_id).order_by(Member.id)
    )
    return [MemberRow(m.id, m.name, m.role, m.phone, m.insured_until, m.active, n) for m, n in rows]


@dataclass(frozen=True)
class CertificateRow:
    certificate_id: int
    cert_type: str
    number: str
    issued_on: dt.date
    expires_on: dt.date | None
    status: str = "ok"  # expired / within_<days> / ok, judged by the office's expiry horizons


def member_certificates(
    session: Session, member_id: int, *, as_of: dt.date | None = None
) -> list[CertificateRow]:
    rows = session.scalars(
        select(Certificate).where(Certificate.member_id == member_id).order_by(Certificate.id)
    )
    as_of = as_of or dt.date.today()
    horizons = settings.expiry_horizons(session)
    return [
        CertificateRow(
            c.id,
            c.cert_type,
            c.number,
            c.issued_on,
            c.expires_on,
            "ok" if c.expires_on is None else status_of((c.expires_on - as_of).days, horizons),
        )
        for c in rows
    ]


@dataclass(frozen=True)
class HistoryRow:
    on: dt.date
    what: str  # "status" or "version"
    from_status: str | None
    to_status: str | None
    version: str | None
    reason: str  # a status note or the revision reason key
    summary: str
    user: str


def plan_history(session: Session, plan_id: int, lang: str = "zh") -> list[HistoryRow]:
    """Status changes and versions of a plan in one list, oldest first."""
    out = [
        HistoryRow(
            c.changed_on,
            "status",
            c.from_status.value if c.from_status else None,
            c.to_status.value,
            None,
            c.note or "",
            "",
            c.username,
        )
        for c in lifecycle.history(session, plan_id)
    ]
    out += [
        HistoryRow(
            v.revised_on,
            "version",
            None,
            None,
            v.version,
            lifecycle.reason_label(v.reason, lang),
            v.summary,
            "",
        )
        for v in lifecycle.versions(session, plan_id)
    ]
    out.sort(key=lambda r: (r.on, r.what != "version"))
    return out


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
                m.operator,
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
) -> list[Pick]:
    """The lots an issue of ``quantity`` would take (first expire, first out); writes nothing."""
    qty = quantity_value(quantity)
    picks = pick_lots(
        session,
        holder_id=holder_id,
        material_id=material_id,
        quantity=qty,
        on=on,
        allow_expired=allow_expired,
    )
    lots = {
        lot.id: lot for lot in session.scalars(select(Lot).where(Lot.id.in_([p[0] for p in picks])))
    }
    return [
        Pick(i, lots[i].batch_no, lots[i].expiry_date, Decimal(lots[i].on_hand), take)
        for i, take in picks
    ]


@dataclass(frozen=True)
class ActionLine:
    action_id: int
    action: str
    owner_unit: str
    owner_name: str | None
    due_on: dt.date
    status: str
    closed_on: dt.date | None
    row_version: int


@dataclass(frozen=True)
class FindingLine:
    finding_id: int
    seq: int
    severity: str
    description: str
    actions: tuple[ActionLine, ...]


@dataclass(frozen=True)
class DrillEvaluation:
    drill_id: int
    code: str
    title: str
    status: str
    row_version: int
    starts_on: dt.date
    indicator_scores: dict[str, float]
    score: Decimal | None
    summary: str
    evaluated_on: dt.date | None
    findings: tuple[FindingLine, ...]


def drill_evaluation(session: Session, drill_id: int) -> DrillEvaluation:
    from drillplan.drills.editing import get_drill

    drill = get_drill(session, drill_id)
    findings = tuple(
        FindingLine(
            f.id,
            f.seq,
            f.severity.value,
            f.description,
            tuple(
                ActionLine(
                    a.id,
                    a.action,
                    a.owner_unit.name,
                    a.owner_name,
                    a.due_on,
                    a.status.value,
                    a.closed_on,
                    a.row_version,
                )
                for a in f.actions
            ),
        )
        for f in drill.findings
    )
    return DrillEvaluation(
        drill.id,
        drill.code,
        drill.title,
        drill.status.value,
        drill.row_version,
        drill.starts_at.date(),
        dict(drill.indicator_scores or {}),
        Decimal(drill.score) if drill.score is not None else None,
        drill.evaluation_summary or "",
        drill.evaluated_on,
        findings,
    )


@dataclass(frozen=True)
class UnitRow:
    unit_id: int
    code: str
    name: str
    kind: str
    tier: str
    parent: str | None
    phone: str | None


def unit_rows(session: Session) -> list[UnitRow]:
    from sqlalchemy.orm import aliased

    from drillplan.db.models import Unit

    parent = aliased(Unit)
    rows = session.execute(
        select(Unit, parent.name)
        .outerjoin(parent, Unit.parent_id == parent.id)
        .order_by(Unit.tier, Unit.code)
    )
    return [UnitRow(u.id, u.code, u.name, u.kind.value, u.tier.value, p, u.phone) for u, p in rows]
