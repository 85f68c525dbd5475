"""Deleting plans, drills and competitions entered by mistake; plan attachments.

Deletion is for mistakes: a plan that was ever issued is abolished (废止), not deleted, and
a drill that took place stays in the record. Everything deleted is kept in the audit log.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import (
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    Drill,
    Finding,
    Plan,
    PlanDocument,
    drill_plan,
)
from drillplan.kernel import records as c
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DrillStatus, PlanStatus

DELETABLE_DRILLS = (DrillStatus.PLANNED, DrillStatus.PREPARING, DrillStatus.CANCELLED)


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
    before = auditlog.snapshot(plan)
    session.delete(plan)
    session.flush()
    auditlog.record(
        session, user=user, action="plan.delete", table="plan", row_id=plan_id, before=before
    )


def delete_drill(
    session: Session, *, drill_id: int, expected_version: int | None = None, user: str = "system"
) -> None:
    """Delete a drill not yet held (planned, preparing or cancelled) without findings."""
    drill = c.get(session, Drill, drill_id, "演练")
    c.check_version(drill, expected_version, f"演练 {drill.code} ")
    findings = session.scalar(select(func.count(Finding.id)).where(Finding.drill_id == drill.id))
    if drill.status not in DELETABLE_DRILLS or findings:
        raise ValidationError(
            "status",
            f"演练 {drill.code} 已实施或已有评估记录，不能删除",
            message_en=f"drill {drill.code} took place or has findings: it stays on record",
        )
    before = auditlog.snapshot(drill)
    before["plans"] = [p.code for p in drill.plans]
    drill.plans = []
    session.delete(drill)
    session.flush()
    auditlog.record(
        session, user=user, action="drill.delete", table="drill", row_id=drill_id, before=before
    )


def delete_competition(session: Session, *, competition_id: int, user: str = "system") -> int:
    """Delete a competition with its events and results; returns the results deleted."""
    competition = c.get(session, Competition, competition_id, "比武活动")
    results = (
        session.scalar(
            select(func.count(CompetitionEntry.id))
            .join(CompetitionEvent, CompetitionEntry.event_id == CompetitionEvent.id)
            .where(CompetitionEvent.competition_id == competition.id)
        )
        or 0
    )
    before = auditlog.snapshot(competition)
    before["results"] = results
    session.delete(competition)
    session.flush()
    auditlog.record(
        session,
        user=user,
        action="competition.delete",
        table="competition",
        row_id=competition_id,
        before=before,
    )
    return results


def add_document(
    session: Session,
    *,
    plan_id: int,
    path: str,
    title: str | None = None,
    on: dt.date | None = None,
    user: str = "system",
) -> PlanDocument:
    """Attach a file (by reference) to a plan; the file itself stays where it is."""
    plan = c.get(session, Plan, plan_id, "预案")
    where = c.clean(path, "path", "文件路径", 500, required=True) or ""
    name = c.clean(title, "title", "附件名称", 200, required=False) or Path(where).name
    doc = PlanDocument(plan_id=plan.id, title=name, path=where, added_on=on or dt.date.today())
    session.add(doc)
    session.flush()
    auditlog.record(session, user=user, action="plan.document.add", row=doc)
    return doc


def remove_document(session: Session, *, document_id: int, user: str = "system") -> None:
    doc = c.get(session, PlanDocument, document_id, "附件")
    before = auditlog.snapshot(doc)
    session.delete(doc)
    session.flush()
    auditlog.record(
        session,
        user=user,
        action="plan.document.remove",
        table="plan_document",
        row_id=document_id,
        before=before,
    )
