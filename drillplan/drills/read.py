"""What the forms and dialogs read about drills: choices, the values of a drill being edited,
its status and allowed moves, its evaluation with findings and corrective actions.

Every function takes the caller's session and returns plain values or small dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.auth.conflicts import save_or_conflict
from drillplan.db.models import Drill, DrillParticipant
from drillplan.drills.editing import EDITABLE_FIELDS, TRANSITIONS
from drillplan.drills.evaluation_record import LIMITS
from drillplan.drills.recurrence import occurrences_in_year
from drillplan.drills.versioning import get_drill
from drillplan.kernel.vocab import DrillStatus
from drillplan.listing.records import row_values

T = TypeVar("T")


def evaluated_drill_choices(session: Session) -> list[tuple[str, str]]:
    """Evaluated drills, newest first: (code, "code title")."""
    rows = session.execute(
        select(Drill.code, Drill.title)
        .where(Drill.status == DrillStatus.EVALUATED)
        .order_by(Drill.starts_at.desc())
    )
    return [(r.code, f"{r.code} {r.title}") for r in rows]


def drill_record(session: Session, drill_id: int) -> dict[str, Any]:
    """The editable fields, the plans it exercises, its teams and every participant."""
    out = row_values(session, Drill, drill_id, EDITABLE_FIELDS)
    row = session.get_one(Drill, drill_id)
    out["plan_ids"] = [p.id for p in row.plans]
    out["team_ids"] = [p.team_id for p in row.participants if p.team_id is not None]
    out["participants"] = [
        {"team_id": p.team_id, "unit_id": p.unit_id, "role": p.role} for p in row.participants
    ]
    out["status"] = row.status.value
    return out


def drill_edit_checked(
    session: Session,
    drill_id: int,
    *,
    expected_version: int | None,
    attempted: Mapping[str, Any],
    save: Callable[[], T],
) -> T:
    """Run ``save()`` (an ``update_drill``); a stale version becomes an ``EditConflict`` that
    carries the drill as it is in the database now beside the values the user tried."""
    return save_or_conflict(
        session, Drill, drill_id, expected_version=expected_version, attempted=attempted, save=save
    )


@dataclass(frozen=True)
class DrillState:
    drill_id: int
    code: str
    title: str
    status: str
    row_version: int
    starts_at: dt.datetime
    rrule: str | None
    allowed: tuple[str, ...]


def drill_state(session: Session, drill_id: int) -> DrillState:
    row = get_drill(session, drill_id)
    allowed = tuple(s.value for s in DrillStatus if s in TRANSITIONS[row.status])
    return DrillState(
        row.id,
        row.code,
        row.title,
        row.status.value,
        row.row_version,
        row.starts_at,
        row.rrule,
        allowed,
    )


@dataclass(frozen=True)
class ActionLine:
    action_id: int
    action: str
    owner_unit: str
    owner_name: str | None
    due_on: dt.date
    status: str
    closed_on: dt.date | None
    row_version: int


@dataclass(frozen=True)
class FindingLine:
    finding_id: int
    seq: int
    severity: str
    description: str
    actions: tuple[ActionLine, ...]


@dataclass(frozen=True)
class DrillEvaluation:
    drill_id: int
    code: str
    title: str
    status: str
    row_version: int
    starts_on: dt.date
    indicator_scores: dict[str, float]
    score: Decimal | None
    summary: str
    evaluated_on: dt.date | None
    findings: tuple[FindingLine, ...]
    # the evaluation's own record: the fields of evaluation_record.LIMITS, and
    # "indicator_comments.<key>" for each indicator comment (absent when empty)
    record: dict[str, str] = field(default_factory=dict)


def drill_evaluation(session: Session, drill_id: int) -> DrillEvaluation:
    drill = get_drill(session, drill_id)
    findings = tuple(
        FindingLine(
            f.id,
            f.seq,
            f.severity.value,
            f.description,
            tuple(
                ActionLine(
                    a.id,
                    a.action,
                    a.owner_unit.name,
                    a.owner_name,
                    a.due_on,
                    a.status.value,
                    a.closed_on,
                    a.row_version,
                )
                for a in f.actions
            ),
        )
        for f in drill.findings
    )
    return DrillEvaluation(
        drill.id,
        drill.code,
        drill.title,
        drill.status.value,
        drill.row_version,
        drill.starts_at.date(),
        dict(drill.indicator_scores or {}),
        Decimal(drill.score) if drill.score is not None else None,
        drill.evaluation_summary or "",
        drill.evaluated_on,
        findings,
        _evaluation_record(drill),
    )


def _evaluation_record(drill: Drill) -> dict[str, str]:
    out = {name: getattr(drill, name) for name in LIMITS if getattr(drill, name)}
    comments = drill.indicator_comments or {}
    return out | {f"indicator_comments.{k}": v for k, v in comments.items() if v}


def drills_listed(
    session: Session, *, year: int | None = None
) -> tuple[list[Drill], dict[int, int] | None]:
    """Drills by start, with their plans, teams and organiser loaded; with ``year``, only the
    drills that occur in it and how many times each does (cancelled occurrences not counted)."""
    stmt = (
        select(Drill)
        .options(
            selectinload(Drill.plans),
            selectinload(Drill.participants).selectinload(DrillParticipant.team),
            selectinload(Drill.organiser),
        )
        .order_by(Drill.starts_at, Drill.code)
    )
    counts: dict[int, int] | None = None
    if year is not None:
        counts = {}
        for occ in occurrences_in_year(session, year, include_cancelled=True):
            counts[occ.drill_id] = counts.get(occ.drill_id, 0) + (0 if occ.cancelled else 1)
        stmt = stmt.where(Drill.id.in_(sorted(counts)))
    return list(session.scalars(stmt)), counts


def drill_id_by_code(session: Session, code: str) -> int | None:
    return session.scalar(select(Drill.id).where(Drill.code == code.strip()))
