"""Which drill interval applies to a plan, and when it was last drilled (DOMAIN.md).

The default interval depends on who holds the plan and its kind; a plan's own
``drill_interval_months`` overrides it. Each rule carries the regulation it comes from, so
every due date can say why.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import Drill, Plan, drill_plan
from drillplan.kernel.vocab import DrillStatus, HolderClass, PlanKind

DRILLED_STATUSES = (DrillStatus.CONDUCTED, DrillStatus.EVALUATED)


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
    return RULE_GOVERNMENT


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
    """The date each plan was last exercised by a drill that took place."""
    stmt = (
        select(drill_plan.c.plan_id, func.max(Drill.ends_at))
        .join(Drill, Drill.id == drill_plan.c.drill_id)
        .where(Drill.status.in_(DRILLED_STATUSES))
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
