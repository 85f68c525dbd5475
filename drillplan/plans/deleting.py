"""Deleting a plan entered by mistake.

Deletion is for mistakes: a plan that was ever issued is abolished (废止), not deleted.
Everything deleted is kept in the audit log.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Plan, drill_plan
from drillplan.kernel import records as c
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import PlanStatus


def delete_plan(
    session: Session, *, plan_id: int, expected_version: int | None = None, user: str = "system"
) -> None:
    """Delete a plan still being drafted that no drill exercises."""
    plan = c.get(session, Plan, plan_id, "预案")
    c.check_version(plan, expected_version, f"预案 {plan.code} ")
    if plan.status != PlanStatus.DRAFTING or plan.approved_on or plan.published_on:
        raise ValidationError(
            "status",
            f"预案 {plan.code} 已进入审批流程，不能删除；请将其状态改为“已废止”",
            message_en=f"plan {plan.code} went through approval: abolish it instead",
        )
    drills = session.scalar(
        select(func.count()).select_from(drill_plan).where(drill_plan.c.plan_id == plan.id)
    )
    if drills:
        raise ValidationError(
            "plans",
            f"预案 {plan.code} 已关联 {drills} 次演练，不能删除",
            message_en=f"plan {plan.code} is exercised by {drills} drills",
        )
    auditlog.delete(session, plan, user=user, action="plan.delete")
