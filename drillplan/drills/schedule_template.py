"""What a proposed drill takes over from its plan: the previous real drill (form, scope,
HSEEP type, organiser, venue, teams, scenario), or defaults from the plan's kind and holder."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.db.models import Drill, DrillParticipant, Plan, Team, drill_plan
from drillplan.drills.editing import ParticipantSpec
from drillplan.kernel.vocab import (
    DrillForm,
    DrillScope,
    DrillStatus,
    HolderClass,
    HseepType,
    PlanKind,
    Readiness,
)
from drillplan.plans.rules import counts_as_drill

SLOTS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(9, 0), dt.time(11, 30)),
    (dt.time(14, 0), dt.time(16, 30)),
)


_LIVE_HOLDERS = (HolderClass.HIGH_RISK, HolderClass.SHANGHAI_LIST)
_LIVE_KINDS = (PlanKind.ENTERPRISE, PlanKind.GRASSROOTS, PlanKind.ONSITE)
_COMPREHENSIVE_KINDS = (
    PlanKind.OVERALL,
    PlanKind.SPECIAL,
    PlanKind.JOINT,
    PlanKind.CATASTROPHE,
    PlanKind.MAJOR_EVENT,
)


@dataclass
class _Template:
    form: DrillForm
    scope: DrillScope
    hseep_type: HseepType | None
    organiser_unit_id: int
    organiser_name: str
    venue: str
    participants: list[ParticipantSpec]
    team_ids: list[int]
    team_names: dict[int, str]
    scenario: str
    required_certificates: list[str]
    why_zh: str
    why_en: str


def _previous_drill(session: Session, plan: Plan) -> Drill | None:
    return session.scalars(
        select(Drill)
        .join(drill_plan, drill_plan.c.drill_id == Drill.id)
        .where(
            drill_plan.c.plan_id == plan.id,
            Drill.status != DrillStatus.CANCELLED,
            counts_as_drill(),  # a seminar or workshop is no model for the next drill
        )
        .options(selectinload(Drill.participants).selectinload(DrillParticipant.team))
        .order_by(Drill.starts_at.desc(), Drill.code.desc())
        .limit(1)
    ).first()


def _template(session: Session, plan: Plan) -> _Template:
    prev = _previous_drill(session, plan)
    if prev is not None:
        specs = [ParticipantSpec(p.team_id, p.unit_id, p.role) for p in prev.participants]
        teams = {p.team_id: p.team.name for p in prev.participants if p.team is not None}
        venue = prev.venue or _default_venue(plan, prev.form)
        names = "、".join(teams.values()) or "无队伍"
        return _Template(
            form=prev.form,
            scope=prev.scope,
            hseep_type=prev.hseep_type,
            organiser_unit_id=prev.organiser_unit_id,
            organiser_name=prev.organiser.name,
            venue=venue,
            participants=specs,
            team_ids=list(teams),
            team_names=teams,
            scenario=prev.scenario,
            required_certificates=list(prev.required_certificates or []),
            why_zh=f"演练形式、组织单位、场地“{venue}”和参演方沿用上次演练 {prev.code}"
            f"（参演队伍：{names}）。",
            why_en=f"form, organiser, venue {venue!r} and participants repeat drill {prev.code}.",
        )
    form = (
        DrillForm.LIVE
        if plan.holder_class in _LIVE_HOLDERS or plan.kind in _LIVE_KINDS
        else DrillForm.TABLETOP
    )
    scope = DrillScope.COMPREHENSIVE if plan.kind in _COMPREHENSIVE_KINDS else DrillScope.SINGLE
    if form == DrillForm.TABLETOP:
        hseep: HseepType | None = HseepType.TABLETOP
    else:
        hseep = HseepType.FULL_SCALE if scope == DrillScope.COMPREHENSIVE else HseepType.DRILL
    owned = list(
        session.scalars(
            select(Team)
            .where(Team.owner_unit_id == plan.owner_unit_id)
            .where(Team.readiness != Readiness.UNAVAILABLE)
            .order_by(Team.code)
        )
    )
    venue = _default_venue(plan, form)
    owner = plan.owner_unit.name
    if owned:
        names = "、".join(t.name for t in owned)
        why_zh = f"首次安排：由预案责任单位{owner}组织，参演队伍为其所属队伍（{names}）。"
        why_en = f"first drill: the owner unit {owner} organises it with its own teams."
    else:
        why_zh = f"首次安排：由预案责任单位{owner}组织；该单位没有登记可用的救援队伍。"
        why_en = f"first drill: the owner unit {owner} organises it; it has no available team."
    kind_zh = (
        "高风险/企业/基层预案以实战演练检验" if form == DrillForm.LIVE else "政府预案以桌面演练检验"
    )
    return _Template(
        form=form,
        scope=scope,
        hseep_type=hseep,
        organiser_unit_id=plan.owner_unit_id,
        organiser_name=owner,
        venue=venue,
        participants=[ParticipantSpec(team_id=t.id, role="参演") for t in owned],
        team_ids=[t.id for t in owned],
        team_names={t.id: t.name for t in owned},
        scenario="",
        required_certificates=[],
        why_zh=f"{why_zh}{kind_zh}，场地默认为“{venue}”。",
        why_en=f"{why_en} Form {form.value} by plan kind; default venue {venue!r}.",
    )


def _default_venue(plan: Plan, form: DrillForm) -> str:
    return plan.owner_unit.name + ("会议室" if form == DrillForm.TABLETOP else "演练场地")


# ------------------------------------------------------------------------------- choice
