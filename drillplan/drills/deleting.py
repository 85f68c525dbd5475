"""Deleting a drill entered by mistake: only one not yet held, without findings (a drill that
took place stays in the record). Everything deleted is kept in the audit log."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Drill, Finding
from drillplan.kernel import records as c
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DrillStatus

DELETABLE_DRILLS = (DrillStatus.PLANNED, DrillStatus.PREPARING, DrillStatus.CANCELLED)


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
    auditlog.delete(session, drill, user=user, action="drill.delete", before=before)
