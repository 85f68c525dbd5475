"""Creating and editing drills: details, plans, participants, status, single occurrences.

Each public function is one user action. It takes the caller's session (the caller owns the
transaction), validates everything before changing anything, raises
``ValidationError(field, message)`` naming the field, ``NotFound`` for a missing drill and
``Conflict`` when the drill changed since the caller read it (``expected_version`` is the
``row_version`` the caller saw), and writes the audit log.

Every change to a drill, its plans, participants or occurrences bumps ``Drill.row_version``,
which the iCalendar export uses as SEQUENCE so calendars take the update.

The pieces live in their own modules, all re-exported here: checking the caller's values in
:mod:`drillplan.drills.inputs`, loading a drill and its version check in
:mod:`drillplan.drills.versioning`, single occurrences in :mod:`drillplan.drills.occurrences`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Drill, DrillOccurrenceMove, DrillParticipant
from drillplan.drills import recurrence
from drillplan.drills.inputs import (
    ParticipantSpec,
    _datetime,
    _participants,
    _plans,
    _validate,
)
from drillplan.drills.versioning import _touch, check_version, flush_or_conflict, get_drill
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_enum
from drillplan.kernel.vocab import (
    DrillForm,
    DrillPurpose,
    DrillScope,
    DrillStatus,
    HseepType,
    PlanStatus,
    label,
)

# isort: split
# Re-exported: every name editing.py defined before the split stays importable from here.
from drillplan.drills.inputs import E as E
from drillplan.drills.inputs import _bool as _bool
from drillplan.drills.inputs import _certificates as _certificates
from drillplan.drills.inputs import _exdates as _exdates
from drillplan.drills.occurrences import _move_row as _move_row
from drillplan.drills.occurrences import _series_occurrence as _series_occurrence
from drillplan.drills.occurrences import add_exdate as add_exdate
from drillplan.drills.occurrences import cancel_occurrence as cancel_occurrence
from drillplan.drills.occurrences import move_occurrence as move_occurrence
from drillplan.drills.occurrences import restore_occurrence as restore_occurrence

CODE_PREFIX = "QP-DR"

# the phases 计划 -> 筹备 -> 实施 -> 评估; cancelling only before the drill took place
TRANSITIONS: dict[DrillStatus, frozenset[DrillStatus]] = {
    DrillStatus.PLANNED: frozenset({DrillStatus.PREPARING, DrillStatus.CANCELLED}),
    DrillStatus.PREPARING: frozenset({DrillStatus.CONDUCTED, DrillStatus.CANCELLED}),
    DrillStatus.CONDUCTED: frozenset({DrillStatus.EVALUATED}),
    DrillStatus.EVALUATED: frozenset(),
    DrillStatus.CANCELLED: frozenset(),
}
# statuses a drill may be created in (a drill already held can be recorded as conducted)
CREATE_STATUSES = (DrillStatus.PLANNED, DrillStatus.PREPARING, DrillStatus.CONDUCTED)

EDITABLE_FIELDS = (
    "code",
    "title",
    "form",
    "scope",
    "purpose",
    "hseep_type",
    "scenario",
    "organiser_unit_id",
    "venue",
    "starts_at",
    "ends_at",
    "rrule",
    "exdates",
    "weekend_allowed",
    "flood_related",
    "required_certificates",
)


def next_code(session: Session, year: int, *, taken: Iterable[str] = ()) -> str:
    """The next free code ``QP-DR-{year}-{seq:03d}``."""
    prefix = f"{CODE_PREFIX}-{year}-"
    codes = set(session.scalars(select(Drill.code).where(Drill.code.like(prefix + "%"))))
    codes.update(taken)
    seqs = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(seqs, default=0) + 1:03d}"


def _links(drill: Drill) -> dict[str, Any]:
    return {
        "plans": [p.code for p in drill.plans],
        "participants": [
            {"team_id": p.team_id, "unit_id": p.unit_id, "role": p.role} for p in drill.participants
        ],
    }


def _apply_participants(drill: Drill, specs: Sequence[ParticipantSpec]) -> None:
    """Reconcile the participant rows (keep matching rows, so no unique-key churn)."""
    wanted = {(s.team_id, s.unit_id): s for s in specs}
    for row in list(drill.participants):
        spec = wanted.pop((row.team_id, row.unit_id), None)
        if spec is None:
            drill.participants.remove(row)
        elif row.role != spec.role:
            row.role = spec.role
    for spec in specs:
        if (spec.team_id, spec.unit_id) in wanted:
            drill.participants.append(
                DrillParticipant(team_id=spec.team_id, unit_id=spec.unit_id, role=spec.role)
            )


# ------------------------------------------------------------------------------ drills


def create_drill(
    session: Session,
    *,
    title: str,
    form: DrillForm | str,
    scope: DrillScope | str,
    organiser_unit_id: int,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    code: str | None = None,
    purpose: DrillPurpose | str = DrillPurpose.TESTING,
    hseep_type: HseepType | str | None = None,
    scenario: str = "",
    venue: str | None = None,
    rrule: str | None = None,
    exdates: Sequence[str] | None = None,
    weekend_allowed: bool = False,
    flood_related: bool = False,
    required_certificates: Sequence[str] | None = None,
    plan_ids: Sequence[int] = (),
    participants: Sequence[ParticipantSpec | Mapping[str, Any]] = (),
    status: DrillStatus | str = DrillStatus.PLANNED,
    user: str = "system",
) -> Drill:
    """Create a drill (status planned, or preparing/conducted to record one already under way).

    Without ``code`` the next free ``QP-DR-{year}-{seq:03d}`` of the start year is used.
    """
    the_status = parse_enum(DrillStatus, status, field="status", what="演练状态")
    if the_status not in CREATE_STATUSES:
        raise ValidationError(
            "status",
            f"新建演练的状态只能是 计划、筹备 或 已实施，不能是“{label(the_status)}”",
            message_en=f"a new drill cannot start as {the_status.value}",
        )
    if code is None:
        code = next_code(session, _datetime(starts_at, "starts_at").year)
    values = _validate(
        session,
        {
            "code": code,
            "title": title,
            "form": form,
            "scope": scope,
            "purpose": purpose,
            "hseep_type": hseep_type,
            "scenario": scenario,
            "organiser_unit_id": organiser_unit_id,
            "venue": venue,
            "starts_at": starts_at,
            "ends_at": ends_at,
            "rrule": rrule,
            "exdates": exdates,
            "weekend_allowed": weekend_allowed,
            "flood_related": flood_related,
            "required_certificates": required_certificates,
        },
        drill=None,
    )
    plans = _plans(session, plan_ids, status=the_status)
    specs = _participants(session, participants)
    drill = Drill(status=the_status, **values)
    drill.plans = plans
    session.add(drill)
    _apply_participants(drill, specs)
    session.flush()
    auditlog.record(
        session,
        user=user,
        action="drill.create",
        row=drill,
        after={**auditlog.snapshot(drill), **_links(drill)},
    )
    return drill


def update_drill(
    session: Session,
    *,
    drill_id: int,
    expected_version: int | None,
    changes: Mapping[str, Any],
    user: str = "system",
) -> Drill:
    """Change any of :data:`EDITABLE_FIELDS` (status, plans, participants have their own calls).

    Changing the start time or the rule re-keys the series: moves and exception dates that no
    longer match an occurrence are dropped (as calendar programs do) and the audit log keeps them.
    """
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise ValidationError(
            unknown[0],
            "不能在此修改（状态、预案、参演方、评估另有操作）",
            message_en=f"{unknown[0]} cannot be changed here",
        )
    current = {name: getattr(drill, name) for name in EDITABLE_FIELDS}
    merged = {**current, **changes}
    series_changed = any(
        k in changes and changes[k] != current[k] for k in ("starts_at", "rrule", "ends_at")
    )
    if series_changed and "exdates" not in changes:
        # keep only the exception dates that still match the new series
        rule = recurrence.check_rrule(merged["rrule"], _datetime(merged["starts_at"], "starts_at"))
        starts = recurrence.series_starts(rule, _datetime(merged["starts_at"], "starts_at"))
        merged["exdates"] = [
            x
            for x in (drill.exdates or [])
            if rule and any(recurrence.is_excluded(s, [recurrence.parse_exdate(x)]) for s in starts)
        ]
    values = _validate(session, merged, drill=drill)
    before = auditlog.snapshot(drill)
    dropped: list[dict[str, Any]] = []
    if series_changed:
        starts = set(recurrence.series_starts(values["rrule"], values["starts_at"]))
        for move in session.scalars(
            select(DrillOccurrenceMove).where(DrillOccurrenceMove.drill_id == drill.id)
        ):
            if move.original_start not in starts or values["rrule"] is None:
                dropped.append(auditlog.snapshot(move))
                session.delete(move)
    for name, value in values.items():
        if getattr(drill, name) != value:
            setattr(drill, name, value)
    _touch(drill)
    flush_or_conflict(session, drill)
    after = auditlog.snapshot(drill)
    if dropped:
        after["dropped_moves"] = dropped
    auditlog.record(
        session, user=user, action="drill.update", row=drill, before=before, after=after
    )
    return drill


def set_plans(
    session: Session,
    *,
    drill_id: int,
    plan_ids: Sequence[int],
    expected_version: int | None = None,
    user: str = "system",
) -> Drill:
    """The plans the drill exercises (rejected for a cancelled drill: field ``plans``)."""
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    plans = _plans(session, plan_ids, status=drill.status)
    known = {p.id for p in drill.plans}
    for plan in plans:
        if plan.id not in known and plan.status == PlanStatus.ABOLISHED:
            raise ValidationError(
                "plans",
                f"预案 {plan.code} 已废止，不能再关联新的演练",
                message_en=f"plan {plan.code} is abolished",
            )
    before = _links(drill)
    drill.plans = plans
    _touch(drill)
    flush_or_conflict(session, drill)
    auditlog.record(
        session, user=user, action="drill.plans", row=drill, before=before, after=_links(drill)
    )
    return drill


def set_participants(
    session: Session,
    *,
    drill_id: int,
    participants: Sequence[ParticipantSpec | Mapping[str, Any]],
    expected_version: int | None = None,
    user: str = "system",
) -> Drill:
    """Replace the participating teams and units (each with its role)."""
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    specs = _participants(session, participants)
    before = _links(drill)
    _apply_participants(drill, specs)
    _touch(drill)
    flush_or_conflict(session, drill)
    auditlog.record(
        session,
        user=user,
        action="drill.participants",
        row=drill,
        before=before,
        after=_links(drill),
    )
    return drill


def check_transition(drill: Drill, to: DrillStatus) -> None:
    allowed = TRANSITIONS[drill.status]
    if to not in allowed:
        names = "、".join(label(s) for s in sorted(allowed)) or "无"
        raise ValidationError(
            "status",
            f"演练 {drill.code} 的状态不能从“{label(drill.status)}”改为“{label(to)}”"
            f"（可改为：{names}）",
            message_en=f"drill {drill.code} cannot go from {drill.status.value} to {to.value}",
        )


def transition_status(
    session: Session,
    *,
    drill_id: int,
    to: DrillStatus | str,
    expected_version: int | None = None,
    user: str = "system",
) -> Drill:
    """Move the drill to its next phase (see :data:`TRANSITIONS`); field ``status`` if illegal."""
    target = parse_enum(DrillStatus, to, field="status", what="演练状态")
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    check_transition(drill, target)
    before = {"status": drill.status.value}
    drill.status = target
    flush_or_conflict(session, drill)
    auditlog.record(
        session,
        user=user,
        action="drill.status",
        row=drill,
        before=before,
        after={"status": target.value},
    )
    return drill
