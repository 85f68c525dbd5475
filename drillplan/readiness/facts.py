"""The facts readiness is scored from: one small record per row that can be good or bad.

Every component of a score is a ratio of good to total over these facts, so every number is
traceable to the rows behind it (each fact names its table, row and what is wrong).

The few rows of plans, corrective actions, agreements and headcounts are facts here; the
many rows of quota lines, lots and certificates are added up in SQL
(:mod:`drillplan.readiness.tallies`) and read as facts only when someone looks at them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import (
    CorrectiveAction,
    Depot,
    Finding,
    Member,
    Plan,
    Team,
    Unit,
    drill_plan,
)
from drillplan.kernel.vocab import ActionStatus
from drillplan.plans.due import plan_due


@dataclass(frozen=True)
class Fact:
    """One unit of a component: ``weight`` units of which ``good`` are fine."""

    component: str  # coverage, expiry, certificates, headcount, plans, actions, facilities
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


@dataclass(frozen=True)
class Tally:
    """The facts of one component at one place (a depot, a holder, a team), added up in SQL
    (:mod:`drillplan.readiness.tallies`)."""

    component: str
    total: Decimal
    good: Decimal
    problems: int  # facts with good < total
    depot_id: int | None = None
    team_id: int | None = None
    tier: str | None = None


@dataclass
class Facts:
    as_of: dt.date
    first_horizon: int = 30
    items: list[Fact] = field(default_factory=list)  # the small components, row by row
    tallies: list[Tally] = field(default_factory=list)  # the large ones, added up
    depots: dict[int, tuple[str, str, str]] = field(default_factory=dict)  # code, name, tier
    teams: dict[int, tuple[str, str, str]] = field(default_factory=dict)
    plans: dict[int, tuple[str, str, str]] = field(default_factory=dict)


ONE = Decimal(1)
ZERO = Decimal(0)


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


def gather(session: Session, *, as_of: dt.date, first_horizon: int = 30) -> Facts:
    """The small components row by row; the large ones are added to ``tallies`` by
    :func:`drillplan.readiness.score.gather_all`."""
    facts = Facts(as_of=as_of, first_horizon=first_horizon)
    for depot_id, code, name, tier in session.execute(
        select(Depot.id, Depot.code, Depot.name, Depot.tier).order_by(Depot.id)
    ):
        facts.depots[depot_id] = (code, name, str(tier))
    _teams(session, facts)
    _plans(session, facts)
    _actions(session, facts)
    return facts
