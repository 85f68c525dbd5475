"""Deleting a competition entered by mistake, with its events and results (kept in the audit
log)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Competition, CompetitionEntry, CompetitionEvent
from drillplan.kernel import records as c


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
    auditlog.delete(session, competition, user=user, action="competition.delete", before=before)
    return results
