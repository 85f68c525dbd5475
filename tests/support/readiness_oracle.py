"""The readiness implementation before issue 16 (one Python object per row), kept as the oracle
the fast one is proved equal to (tests/test_readiness_fast.py). Not used by the product."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import (
    Certificate,
    CorrectiveAction,
    Depot,
    Finding,
    Holder,
    Lot,
    Material,
    Member,
    Plan,
    Team,
    Unit,
    drill_plan,
)
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.vocab import ActionStatus, label
from drillplan.plans.due import plan_due
from drillplan.readiness.score import Readiness, Score
from drillplan.stock.coverage import quota_lines


@dataclass(frozen=True)
class Fact:
    """One unit of a component: ``weight`` units of which ``good`` are fine."""

    component: str  # coverage, expiry, certificates, headcount, plans, actions
    table: str
    row_id: int | str
    label: str  # what the row is, e.g. "救生衣 @ 区级仓库"
    total: Decimal
    good: Decimal
    problem: str = ""  # why it is not fully good (empty when good == total)
    depot_id: int | None = None
    team_id: int | None = None
    plan_ids: tuple[int, ...] = ()
    tier: str | None = None


@dataclass
class Facts:
    as_of: dt.date
    items: list[Fact] = field(default_factory=list)
    depots: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # code, name, tier
    teams: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    plans: dict[int, tuple[str, str, str]] = field(default_factory=dict)


ONE = Decimal(1)
ZERO = Decimal(0)


def _coverage(session: Session, facts: Facts) -> None:
    """One fact per quota line: ``total`` is the line's weight (its material's criticality),
    ``good`` the weight times its coverage ratio min(usable / quota, 1): no unit left, so
    lines of 条, 台 and 箱 combine without adding their quantities."""
    for line in quota_lines(session, as_of=facts.as_of):
        weight = line.weight
        facts.items.append(
            Fact(
                "coverage",
                "quota",
                f"{line.depot_code}/{line.material_code}",
                f"{line.material_name} @ {line.depot_name}",
                weight,
                weight * line.ratio,
                (
                    f"缺口 {fmt_number(line.shortfall)} {line.uom}"
                    f"（定额 {fmt_number(line.required)}，可用 {fmt_number(line.usable)}，"
                    f"保障率 {line.coverage_pct:.1f}%，{label(line.criticality)}×{weight}）"
                )
                if line.shortfall > 0
                else "",
                depot_id=line.depot_id,
                tier=line.tier,
            )
        )


def _expiry(session: Session, facts: Facts, first_horizon: int) -> None:
    soon = facts.as_of + dt.timedelta(days=first_horizon)
    rows = session.execute(
        select(
            Lot.id,
            Lot.batch_no,
            Lot.expiry_date,
            Material.name,
            Holder.depot_id,
            Holder.team_id,
            func.coalesce(Depot.tier, Team.tier),
            func.coalesce(Depot.name, Team.name),
        )
        .join(Material, Material.id == Lot.material_id)
        .join(Holder, Holder.id == Lot.holder_id)
        .outerjoin(Depot, Depot.id == Holder.depot_id)
        .outerjoin(Team, Team.id == Holder.team_id)
        .where(Lot.on_hand > 0)
        .order_by(Lot.id)
    )
    for lot_id, batch, expiry, name, depot_id, team_id, tier, holder in rows:
        if expiry is not None and expiry < facts.as_of:
            problem = f"已于 {expiry} 过期"
        elif expiry is not None and expiry <= soon:
            problem = f"{(expiry - facts.as_of).days} 天后到期（{expiry}）"
        else:
            problem = ""
        facts.items.append(
            Fact(
                "expiry",
                "lot",
                lot_id,
                f"{name} 批次 {batch} @ {holder}",
                ONE,
                ZERO if problem else ONE,
                problem,
                depot_id=depot_id,
                team_id=team_id,
                tier=str(tier),
            )
        )


def _teams(session: Session, facts: Facts) -> None:
    for team in session.scalars(select(Team).order_by(Team.id)):
        facts.teams[team.id] = (team.code, team.name, str(team.tier))
        if team.agreement_expires_on is not None:
            expired = team.agreement_expires_on < facts.as_of
            facts.items.append(
                Fact(
                    "certificates",
                    "team",
                    team.id,
                    f"{team.name} 合作协议 {team.agreement_no or ''}".strip(),
                    ONE,
                    ZERO if expired else ONE,
                    f"协议已于 {team.agreement_expires_on} 到期" if expired else "",
                    team_id=team.id,
                    tier=str(team.tier),
                )
            )
    certs = session.execute(
        select(Certificate, Member.name, Team.id, Team.tier, Team.name)
        .join(Member, Member.id == Certificate.member_id)
        .join(Team, Team.id == Member.team_id)
        .where(Member.active.is_(True))
        .order_by(Certificate.id)
    )
    for cert, member, team_id, tier, team_name in certs:
        expired = cert.expires_on is not None and cert.expires_on < facts.as_of
        facts.items.append(
            Fact(
                "certificates",
                "certificate",
                cert.id,
                f"{team_name} {member} {cert.cert_type}",
                ONE,
                ZERO if expired else ONE,
                f"证书已于 {cert.expires_on} 过期" if expired else "",
                team_id=team_id,
                tier=str(tier),
            )
        )
    active = dict(
        session.execute(
            select(Member.team_id, func.count())
            .where(Member.active.is_(True))
            .group_by(Member.team_id)
        ).all()
    )
    for team in session.scalars(select(Team).where(Team.headcount > 0).order_by(Team.id)):
        target = Decimal(team.headcount or 0)
        have = Decimal(active.get(team.id, 0))
        facts.items.append(
            Fact(
                "headcount",
                "team",
                team.id,
                f"{team.name} 在岗人数",
                target,
                min(have, target),
                f"在岗 {have} 人，编制 {target} 人" if have < target else "",
                team_id=team.id,
                tier=str(team.tier),
            )
        )


def _plans(session: Session, facts: Facts) -> None:
    tiers = dict(session.execute(select(Plan.id, Unit.tier).join(Unit)).all())
    for due in plan_due(session, as_of=facts.as_of):
        facts.plans[due.plan_id] = (due.code, due.title, str(tiers.get(due.plan_id, "")))
        checks = [
            ("drill", due.next_drill, due.drill_days_overdue, "演练"),
            ("evaluation", due.next_evaluation, due.evaluation_days_overdue, "评估"),
            ("filing", due.filing_deadline, due.filing_days_overdue, "备案"),
            ("publication", due.publication_deadline, due.publication_days_overdue, "公布"),
        ]
        for _key, deadline, days, zh in checks:
            if deadline is None:
                continue
            facts.items.append(
                Fact(
                    "plans",
                    "plan",
                    due.plan_id,
                    f"{due.title} {zh}",
                    ONE,
                    ZERO if days > 0 else ONE,
                    f"{zh}已逾期 {days} 天（应于 {deadline} 前）" if days > 0 else "",
                    plan_ids=(due.plan_id,),
                    tier=str(tiers.get(due.plan_id, "")),
                )
            )


def _actions(session: Session, facts: Facts) -> None:
    plan_of_drill: dict[int, list[int]] = {}
    for drill_id, plan_id in session.execute(select(drill_plan.c.drill_id, drill_plan.c.plan_id)):
        plan_of_drill.setdefault(drill_id, []).append(plan_id)
    rows = session.execute(
        select(CorrectiveAction, Finding.drill_id, Unit.tier, Unit.name)
        .join(Finding, Finding.id == CorrectiveAction.finding_id)
        .join(Unit, Unit.id == CorrectiveAction.owner_unit_id)
        .order_by(CorrectiveAction.id)
    )
    for action, drill_id, tier, owner in rows:
        overdue = action.status != ActionStatus.CLOSED and action.due_on < facts.as_of
        facts.items.append(
            Fact(
                "actions",
                "corrective_action",
                action.id,
                f"{owner}：{action.action[:30]}",
                ONE,
                ZERO if overdue else ONE,
                f"整改逾期 {(facts.as_of - action.due_on).days} 天（应于 {action.due_on} 前）"
                if overdue
                else "",
                plan_ids=tuple(plan_of_drill.get(drill_id, ())),
                tier=str(tier),
            )
        )


def oracle_gather(session: Session, *, as_of: dt.date, first_horizon: int = 30) -> Facts:
    facts = Facts(as_of=as_of)
    for depot in session.scalars(select(Depot).order_by(Depot.id)):
        facts.depots[depot.id] = (depot.code, depot.name, str(depot.tier))
    _coverage(session, facts)
    _expiry(session, facts, first_horizon)
    _teams(session, facts)
    _plans(session, facts)
    _actions(session, facts)
    _facilities(session, facts)
    return facts


def _facilities(session: Session, facts: Facts) -> None:
    """Issue 14's component, written independently of drillplan.readiness.facility_facts: every
    facility in service inspected on time; every street-town with a population by its shelter
    capacity against population x ratio (sheltering dual-use facilities count)."""
    from drillplan import settings
    from drillplan.db.models import Facility
    from drillplan.kernel.vocab import EmergencyUse, FacilityKind, FacilityStatus, UnitKind

    everything = list(session.scalars(select(Facility).order_by(Facility.id)))
    if not everything:
        return
    days = settings.get(session, "facility_inspection_days")
    in_service = [
        f for f in everything if f.status in (FacilityStatus.IN_SERVICE, FacilityStatus.LIMITED)
    ]
    for f in in_service:
        due = (
            f.last_inspected_on + dt.timedelta(days=f.inspection_days or days)
            if f.last_inspected_on is not None
            else None
        )
        if due is None:
            problem = "从未巡查"
        elif due < facts.as_of:
            problem = f"巡查已逾期 {(facts.as_of - due).days} 天（应于 {due} 前）"
        else:
            problem = ""
        facts.items.append(
            Fact("facilities", "facility", f.id, f"{f.name} 巡查", ONE,
                 Decimal(0) if problem else ONE, problem)
        )  # fmt: skip
    ratio = Decimal(str(settings.get(session, "shelter_capacity_ratio")))
    for unit in session.scalars(select(Unit).order_by(Unit.id)):
        if unit.kind != UnitKind.STREET_TOWN or not unit.population:
            continue
        capacity = sum(
            f.capacity_people
            for f in in_service
            if f.street_unit_id == unit.id
            and (
                f.facility_class.kind != FacilityKind.DUAL_USE
                or f.emergency_use == EmergencyUse.SHELTERING
            )
        )
        target = Decimal(unit.population) * ratio
        good = min(Decimal(capacity) / target, ONE)
        problem = (
            f"避难容量 {capacity} 人，目标 {int(target)} 人（常住人口 {unit.population} 人）"
            if good < ONE
            else ""
        )
        facts.items.append(
            Fact("facilities", "unit", unit.id, f"{unit.name} 避难容量", ONE, good, problem)
        )


def oracle_readiness(session: Session, *, as_of: dt.date) -> Readiness:
    """Every score exactly as the old :func:`drillplan.readiness.score.readiness` built it."""
    from collections import defaultdict

    from drillplan import settings
    from drillplan.readiness import score as sc

    weights = {k: float(v) for k, v in settings.get(session, "readiness_weights").items()}
    horizons = settings.get(session, "expiry_horizons")
    facts = oracle_gather(session, as_of=as_of, first_horizon=min(horizons))
    items = facts.items

    def make(level: str, key: str, name: str, facts_: list[Fact], keys=sc.COMPONENTS) -> Score:  # type: ignore[no-untyped-def]
        by: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts_:
            by[fact.component].append(fact)
        comps = []
        for k in keys:
            its = by.get(k, [])
            total = sum((f.total for f in its), Decimal(0))
            good = sum((f.good for f in its), Decimal(0))
            value = round(float(good / total * 100), 1) if total > 0 else None
            problems = [f for f in its if f.good < f.total]
            comps.append(sc.Component(k, weights.get(k, 0.0), value, good, total, problems))
        judged = [c for c in comps if c.value is not None and c.weight > 0]
        weight = sum(c.weight for c in judged)
        score = (
            round(sum(c.weight * (c.value or 0) for c in judged) / weight, 1) if weight else None
        )
        return Score(level, key, name, score, comps)

    by_tier: dict[str | None, list[Fact]] = defaultdict(list)
    by_depot: dict[int, list[Fact]] = defaultdict(list)
    by_team: dict[int, list[Fact]] = defaultdict(list)
    by_plan: dict[int, list[Fact]] = defaultdict(list)
    for fact in items:
        by_tier[fact.tier].append(fact)
        if fact.depot_id is not None:
            by_depot[fact.depot_id].append(fact)
        if fact.team_id is not None:
            by_team[fact.team_id].append(fact)
        for plan_id in fact.plan_ids:
            by_plan[plan_id].append(fact)
    district = make("district", "district", "全区", items)
    tiers = [make("tier", t, n, by_tier[t]) for t, n in sc.TIER_NAMES.items() if by_tier.get(t)]
    depots = [
        make("depot", code, name, by_depot.get(i, []), ("coverage", "expiry"))
        for i, (code, name, _t) in sorted(facts.depots.items(), key=lambda x: x[1][0])
    ]
    teams = [
        make("team", code, name, by_team.get(i, []), ("expiry", "certificates", "headcount"))
        for i, (code, name, _t) in sorted(facts.teams.items(), key=lambda x: x[1][0])
    ]
    plans = [
        make("plan", code, title, by_plan.get(i, []), ("plans", "actions"))
        for i, (code, title, _t) in sorted(facts.plans.items(), key=lambda x: x[1][0])
    ]
    judged = [c for c in district.components if c.value is not None and c.weight > 0]
    weight_sum = sum(c.weight for c in judged)
    fixes = []
    for comp in judged:
        share = comp.weight / weight_sum
        for fact in comp.problems:
            points = share * float((fact.total - fact.good) / comp.total) * 100
            fixes.append(
                sc.Fix(points, comp.key, fact.table, fact.row_id, fact.label, fact.problem)
            )
    fixes.sort(key=lambda f: (-f.points, f.component, f.table, str(f.row_id)))
    return Readiness(as_of, weights, district, tiers, depots, teams, plans, fixes)
