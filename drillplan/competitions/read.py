"""What the forms read about skill competitions: choices, and the values of a competition
being edited. Results and rankings are in :mod:`drillplan.competitions.core`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import Competition, CompetitionEntry, CompetitionEvent
from drillplan.listing.records import row_values

Choice = tuple[int, str]


def competition_choices(session: Session) -> list[Choice]:
    """Competitions, newest year first: (id, "year title")."""
    rows = session.execute(
        select(Competition.id, Competition.year, Competition.title).order_by(
            Competition.year.desc(), Competition.title
        )
    )
    return [(r.id, f"{r.year} {r.title}") for r in rows]


def competition_record(session: Session, competition_id: int) -> dict[str, Any]:
    return row_values(session, Competition, competition_id, ("year", "title", "held_on", "venue"))


def entry_count(session: Session, competition_id: int) -> int:
    """How many results a competition holds, over all its events."""
    return int(
        session.scalar(
            select(func.count(CompetitionEntry.id))
            .join(CompetitionEvent, CompetitionEntry.event_id == CompetitionEvent.id)
            .where(CompetitionEvent.competition_id == competition_id)
        )
        or 0
    )
