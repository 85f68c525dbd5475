"""Documents attached to a plan (by reference: the file itself stays where it is)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Plan, PlanDocument
from drillplan.kernel import records as c
from drillplan.kernel import values as v


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
    where = v.parse_text(path, field="path", what="文件路径", max_len=500, required=True) or ""
    name = v.parse_text(title, field="title", what="附件名称", max_len=200) or Path(where).name
    doc = PlanDocument(plan_id=plan.id, title=name, path=where, added_on=on or dt.date.today())
    return auditlog.insert(session, doc, user=user, action="plan.document.add")


def remove_document(session: Session, *, document_id: int, user: str = "system") -> None:
    doc = c.get(session, PlanDocument, document_id, "附件")
    auditlog.delete(session, doc, user=user, action="plan.document.remove")
