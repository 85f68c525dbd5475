"""What the forms and dialogs read about plans: choices, the values of a plan being edited,
its status and allowed moves, its history and versions, its attached documents.

Every function takes the caller's session and returns plain values or small dataclasses.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.auth.conflicts import save_or_conflict
from drillplan.db.models import Plan, PlanDocument
from drillplan.kernel.errors import NotFound
from drillplan.kernel.vocab import PlanStatus
from drillplan.listing.records import row_values
from drillplan.plans import lifecycle
from drillplan.plans.register import EDITABLE_FIELDS

T = TypeVar("T")
Choice = tuple[int, str]


def plan_choices(session: Session, *, in_force_only: bool = False) -> list[Choice]:
    """Plans by code: (id, "code title"); ``in_force_only`` leaves out abolished plans."""
    stmt = select(Plan.id, Plan.code, Plan.title).order_by(Plan.code)
    if in_force_only:
        stmt = stmt.where(Plan.status != PlanStatus.ABOLISHED)
    return [(r.id, f"{r.code} {r.title}") for r in session.execute(stmt)]


def plan_record(session: Session, plan_id: int) -> dict[str, Any]:
    return row_values(session, Plan, plan_id, EDITABLE_FIELDS)


def plan_edit_checked(
    session: Session,
    plan_id: int,
    *,
    expected_version: int | None,
    attempted: Mapping[str, Any],
    save: Callable[[], T],
) -> T:
    """Run ``save()`` (an ``update_plan``); a stale version becomes an ``EditConflict`` that
    carries the plan as it is in the database now beside the values the user tried."""
    return save_or_conflict(
        session, Plan, plan_id, expected_version=expected_version, attempted=attempted, save=save
    )


@dataclass(frozen=True)
class PlanState:
    plan_id: int
    code: str
    title: str
    status: str
    version: str
    row_version: int
    allowed: tuple[str, ...]  # the statuses it may move to


def plan_state(session: Session, plan_id: int) -> PlanState:
    row = session.get(Plan, plan_id)
    if row is None:
        raise NotFound(f"预案 {plan_id} 不存在 (no plan {plan_id})")
    return PlanState(
        row.id,
        row.code,
        row.title,
        row.status.value,
        row.current_version,
        row.row_version,
        tuple(s.value for s in lifecycle.allowed_transitions(row.status)),
    )


@dataclass(frozen=True)
class HistoryRow:
    on: dt.date
    what: str  # "status" or "version"
    from_status: str | None
    to_status: str | None
    version: str | None
    reason: str  # a status note or the revision reason key
    summary: str
    user: str


def plan_history(session: Session, plan_id: int, lang: str = "zh") -> list[HistoryRow]:
    """Status changes and versions of a plan in one list, oldest first."""
    out = [
        HistoryRow(
            c.changed_on,
            "status",
            c.from_status.value if c.from_status else None,
            c.to_status.value,
            None,
            c.note or "",
            "",
            c.username,
        )
        for c in lifecycle.history(session, plan_id)
    ]
    out += [
        HistoryRow(
            v.revised_on,
            "version",
            None,
            None,
            v.version,
            lifecycle.reason_label(v.reason, lang),
            v.summary,
            "",
        )
        for v in lifecycle.versions(session, plan_id)
    ]
    out.sort(key=lambda r: (r.on, r.what != "version"))
    return out


@dataclass(frozen=True)
class Document:
    document_id: int
    title: str
    path: str
    added_on: dt.date


def documents(session: Session, plan_id: int) -> list[Document]:
    rows = session.scalars(
        select(PlanDocument).where(PlanDocument.plan_id == plan_id).order_by(PlanDocument.id)
    )
    return [Document(d.id, d.title, d.path, d.added_on) for d in rows]


def register_plans(
    session: Session, *, status: PlanStatus | None = None, include_abolished: bool = False
) -> list[Plan]:
    """The plan register by code: one status, or every plan in force (abolished ones too
    with ``include_abolished``)."""
    stmt = select(Plan).order_by(Plan.code)
    if status is not None:
        stmt = stmt.where(Plan.status == status)
    elif not include_abolished:
        stmt = stmt.where(Plan.status != PlanStatus.ABOLISHED)
    return list(session.scalars(stmt))
