"""Which drill interval applies to a plan, and when it was last drilled (DOMAIN.md).

The default interval depends on who holds the plan and its kind; a plan's own
``drill_interval_months`` overrides it. Each rule carries the regulation it comes from, so
every due date can say why, and cites only a rule about that plan: the 专项/部门 3-year rule
for 专项 and 部门 plans, never for a 总体 plan (which, like the other kinds no rule names,
says the interval is a default). Seminars and workshops (HSEEP) do not count as drills.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import ColumnElement, func, or_, select
from sqlalchemy.orm import Session

from drillplan.db.models import Drill, Plan, drill_plan
from drillplan.kernel.vocab import DrillStatus, HolderClass, HseepType, PlanKind, label

DRILLED_STATUSES = (DrillStatus.CONDUCTED, DrillStatus.EVALUATED)
# HSEEP discussion-based types that talk a plan through without exercising it: a seminar or
# a workshop held for a plan does not count as drilling it (a tabletop, game, drill,
# functional or full-scale exercise does; so does a drill with no HSEEP type)
NOT_DRILLING = (HseepType.SEMINAR, HseepType.WORKSHOP)


def exercises_plan(hseep_type: HseepType | str | None) -> bool:
    """True when a drill of this HSEEP type counts as drilling its plans."""
    return hseep_type is None or HseepType(hseep_type) not in NOT_DRILLING


def counts_as_drill() -> ColumnElement[bool]:
    """The SQL form of :func:`exercises_plan` on ``Drill.hseep_type``."""
    return or_(Drill.hseep_type.is_(None), Drill.hseep_type.not_in(NOT_DRILLING))


def not_drilling_text() -> tuple[str, str]:
    """Why a seminar or workshop is not counted: (中文, English)."""
    zh = "/".join(label(t) for t in NOT_DRILLING)
    return f"{zh}不计为演练", "seminars and workshops do not count as drilling the plan"


@dataclass(frozen=True)
class IntervalRule:
    months: int
    zh: str
    en: str


RULE_HIGH_RISK = IntervalRule(
    6,
    "《生产安全事故应急条例》第八条：危险物品、矿山、城市轨道交通等单位每半年至少演练一次",
    "Production Safety Emergency Regulation art. 8: hazardous goods, rail ... every 6 months",
)
RULE_ONSITE = IntervalRule(
    6, "企业现场处置方案每半年至少演练一次", "on-site procedures every half year"
)
RULE_SHANGHAI_LIST = IntervalRule(
    12,
    "上海市实施《突发事件应对法》办法第二十条：公共交通、学校、医院、商场等每年至少演练一次",
    "Shanghai measures art. 20: public transport, schools, hospitals, malls ... yearly",
)
RULE_ENTERPRISE = IntervalRule(
    12, "企业综合或专项预案每年至少演练一次", "enterprises drill a 综合 or 专项 plan yearly"
)
RULE_TOWN = IntervalRule(
    24,
    "《生产安全事故应急条例》第八条：县级政府及其部门、乡镇街道每两年至少演练一次",
    "Production Safety Emergency Regulation art. 8: county and town bodies every 2 years",
)
RULE_GOVERNMENT = IntervalRule(
    36,
    "《突发事件应急预案管理办法》：专项、部门预案至少每3年演练一次",
    "Plan management measures: special and departmental plans at least every 3 years",
)
# plan kinds the 专项/部门 rule is about; every other kind cites its own (or no) rule
GOVERNMENT_RULE_KINDS = (PlanKind.SPECIAL, PlanKind.DEPARTMENTAL)
# the reminder interval of a plan no rule above gives one (the plan's own setting overrides it)
UNRULED_MONTHS = 36


def unruled(kind: PlanKind) -> IntervalRule:
    """A plan kind without a drill interval of its own in DOMAIN.md (总体, 基层单位, 重大活动,
    巨灾, 联合): it must not cite the 专项/部门 rule, so it says it has none and that the
    3-year reminder is a default the plan's own interval replaces."""
    kind_zh = label(kind)
    return IntervalRule(
        UNRULED_MONTHS,
        f"未录入适用于{kind_zh}的演练周期规定，"
        f"按默认每 {UNRULED_MONTHS // 12} 年演练一次提醒（可在本预案中设定演练周期）",
        f"no drill-interval rule for {label(kind, 'en').lower()} plans is on record: "
        f"a default reminder every "
        f"{UNRULED_MONTHS // 12} years (set the plan's own interval)",
    )


def default_rule(plan: Plan) -> IntervalRule:
    if plan.holder_class == HolderClass.HIGH_RISK:
        return RULE_HIGH_RISK
    if plan.kind == PlanKind.ONSITE:
        return RULE_ONSITE
    if plan.holder_class == HolderClass.SHANGHAI_LIST:
        return RULE_SHANGHAI_LIST
    if plan.kind == PlanKind.ENTERPRISE:
        return RULE_ENTERPRISE
    if plan.holder_class == HolderClass.TOWN_PRODUCTION_SAFETY:
        return RULE_TOWN
    if plan.kind in GOVERNMENT_RULE_KINDS:
        return RULE_GOVERNMENT
    return unruled(PlanKind(plan.kind))


def drill_rule(plan: Plan) -> IntervalRule:
    """The interval that applies: the plan's own setting, else the default rule."""
    if plan.drill_interval_months:
        return IntervalRule(
            plan.drill_interval_months,
            f"本预案规定每 {plan.drill_interval_months} 个月演练一次",
            f"the plan's own interval of {plan.drill_interval_months} months",
        )
    return default_rule(plan)


def last_drilled(session: Session, plan_ids: list[int] | None = None) -> dict[int, dt.date]:
    """The date each plan was last exercised by a drill that took place (a seminar or a
    workshop does not exercise it: :data:`NOT_DRILLING`)."""
    stmt = (
        select(drill_plan.c.plan_id, func.max(Drill.ends_at))
        .join(Drill, Drill.id == drill_plan.c.drill_id)
        .where(Drill.status.in_(DRILLED_STATUSES), counts_as_drill())
        .group_by(drill_plan.c.plan_id)
    )
    if plan_ids is not None:
        stmt = stmt.where(drill_plan.c.plan_id.in_(plan_ids))
    out: dict[int, dt.date] = {}
    for plan_id, ended in session.execute(stmt):
        out[plan_id] = ended.date() if isinstance(ended, dt.datetime) else ended
    return out


def drill_due(plan: Plan, last: dt.date | None) -> dt.date | None:
    """When the plan must next be drilled: last drill (or publication) + interval."""
    base = last or plan.published_on or plan.approved_on
    if base is None:
        return None
    return base + relativedelta(months=drill_rule(plan).months)
