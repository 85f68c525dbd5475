"""What the forms read about skill competitions: choices, and the values of a competition
being edited. Results and rankings are in :mod:`drillplan.competitions.core`."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Competition
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
