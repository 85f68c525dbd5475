"""Creating and editing drills: details, plans, participants, status, single occurrences.

Each public function is one user action. It takes the caller's session (the caller owns the
transaction), validates everything before changing anything, raises
``ValidationError(field, message)`` naming the field, ``NotFound`` for a missing drill and
``Conflict`` when the drill changed since the caller read it (``expected_version`` is the
``row_version`` the caller saw), and writes the audit log.

Every change to a drill, its plans, participants or occurrences bumps ``Drill.row_version``,
which the iCalendar export uses as SEQUENCE so calendars take the update.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from drillplan import auditlog
from drillplan.db.models import (
    Drill,
    DrillOccurrenceMove,
    DrillParticipant,
    Plan,
    Team,
    Unit,
)
from drillplan.drills import recurrence
from drillplan.errors import Conflict, NotFound, ValidationError
from drillplan.vocab import DrillForm, DrillPurpose, DrillScope, DrillStatus, HseepType, PlanStatus

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

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class ParticipantSpec:
    """A team or a unit taking part, with its role (参演, 指挥, 保障, 观摩 ...)."""

    team_id: int | None = None
    unit_id: int | None = None
    role: str = "参演"


# ----------------------------------------------------------------------------- helpers


def get_drill(session: Session, drill_id: int) -> Drill:
    drill = session.get(Drill, drill_id)
    if drill is None:
        raise NotFound(f"演练 {drill_id} 不存在 (no drill {drill_id})")
    return drill


def check_version(drill: Drill, expected_version: int | None) -> None:
    if expected_version is not None and drill.row_version != expected_version:
        raise Conflict(
            f"演练 {drill.code} 已被他人修改（版本 {drill.row_version}，您看到的是"
            f" {expected_version}），请刷新后重试 (drill {drill.code} changed since you read it)"
        )


def flush_or_conflict(session: Session, drill: Drill) -> None:
    try:
        session.flush()
    except StaleDataError as exc:
        raise Conflict(
            f"演练 {drill.code} 已被他人修改，请刷新后重试 (drill {drill.code} changed meanwhile)"
        ) from exc


def _touch(drill: Drill) -> None:
    """Make the drill row itself UPDATE (bumping row_version) when only its children changed."""
    flag_modified(drill, "exdates")


def _enum(cls: type[E], value: Any, field: str, *, optional: bool = False) -> E | None:
    if value is None or value == "":
        if optional:
            return None
        raise ValidationError(field, "必须填写", message_en=f"{field} is required")
    try:
        return cls(value)
    except ValueError as exc:
        allowed = ", ".join(m.value for m in cls)
        raise ValidationError(
            field,
            f"“{value}”不是有效的取值（可选：{allowed}）",
            message_en=f"{value!r} is not one of {allowed}",
        ) from exc


def _text(value: Any, field: str, *, max_len: int, required: bool) -> str | None:
    text = "" if value is None else str(value).strip()
    if not text:
        if required:
            raise ValidationError(field, "不能为空", message_en=f"{field} must not be empty")
        return None
    if len(text) > max_len:
        raise ValidationError(
            field, f"不能超过 {max_len} 个字符", message_en=f"{field} is longer than {max_len}"
        )
    return text


def _datetime(value: Any, field: str) -> dt.datetime:
    if isinstance(value, str):
        try:
            value = dt.datetime.fromisoformat(value.strip())
        except ValueError as exc:
            raise ValidationError(
                field, f"“{value}”不是有效的日期时间", message_en=f"{value!r} is not a datetime"
            ) from exc
    if not isinstance(value, dt.datetime):
        raise ValidationError(
            field, "需要日期和时间（如 2025-05-20 09:00）", message_en=f"{field} needs a datetime"
        )
    if value.tzinfo is not None:
        value = value.astimezone(recurrence.TZ).replace(tzinfo=None)
    return value.replace(second=0, microsecond=0)


def _bool(value: Any, field: str) -> bool:
    if isinstance(value, bool):
        return value
    raise ValidationError(field, "应为是/否", message_en=f"{field} must be true or false")


def _certificates(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(
            "required_certificates",
            "应为证书类型列表",
            message_en="required_certificates must be a list of certificate types",
        )
    out: list[str] = []
    for item in value:
        text = _text(item, "required_certificates", max_len=60, required=True)
        if text and text not in out:
            out.append(text)
    return out


def _exdates(value: Any, rule: str | None, starts_at: dt.datetime) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str) or not isinstance(value, Iterable):
        raise ValidationError(
            "exdates", "应为日期列表", message_en="exdates must be a list of ISO datetimes"
        )
    parsed = [recurrence.parse_exdate(v) for v in value]
    if parsed and rule is None:
        raise ValidationError(
            "exdates",
            "只有重复演练才能设置例外日期",
            message_en="only a recurring drill has exception dates",
        )
    starts = recurrence.series_starts(rule, starts_at)
    for ex in parsed:
        if not any(recurrence.is_excluded(s, [ex]) for s in starts):
            raise ValidationError(
                "exdates",
                f"例外日期 {recurrence.exdate_text(ex)} 不是该演练的任何一次",
                message_en=f"{recurrence.exdate_text(ex)} is not an occurrence of the drill",
            )
    texts = sorted({recurrence.exdate_text(ex) for ex in parsed})
    return texts


def next_code(session: Session, year: int, *, taken: Iterable[str] = ()) -> str:
    """The next free code ``QP-DR-{year}-{seq:03d}``."""
    prefix = f"{CODE_PREFIX}-{year}-"
    codes = set(session.scalars(select(Drill.code).where(Drill.code.like(prefix + "%"))))
    codes.update(taken)
    seqs = [int(c[len(prefix) :]) for c in codes if c[len(prefix) :].isdigit()]
    return f"{prefix}{max(seqs, default=0) + 1:03d}"


def _validate(session: Session, values: dict[str, Any], *, drill: Drill | None) -> dict[str, Any]:
    """Normalise and check every field (the merged new state of the drill)."""
    out: dict[str, Any] = {}
    out["title"] = _text(values.get("title"), "title", max_len=200, required=True)
    out["form"] = _enum(DrillForm, values.get("form"), "form")
    out["scope"] = _enum(DrillScope, values.get("scope"), "scope")
    out["purpose"] = _enum(DrillPurpose, values.get("purpose") or DrillPurpose.TESTING, "purpose")
    out["hseep_type"] = _enum(HseepType, values.get("hseep_type"), "hseep_type", optional=True)
    out["scenario"] = str(values.get("scenario") or "").strip()
    organiser_id = values.get("organiser_unit_id")
    if organiser_id is None or session.get(Unit, organiser_id) is None:
        raise ValidationError(
            "organiser_unit_id",
            f"组织单位 {organiser_id} 不存在",
            message_en=f"no organiser unit {organiser_id}",
        )
    out["organiser_unit_id"] = organiser_id
    out["venue"] = _text(values.get("venue"), "venue", max_len=200, required=False)
    starts_at = _datetime(values.get("starts_at"), "starts_at")
    ends_at = _datetime(values.get("ends_at"), "ends_at")
    if ends_at < starts_at:
        raise ValidationError(
            "ends_at",
            f"结束时间 {ends_at:%Y-%m-%d %H:%M} 早于开始时间 {starts_at:%Y-%m-%d %H:%M}",
            message_en="the end is before the start",
        )
    out["starts_at"], out["ends_at"] = starts_at, ends_at
    out["rrule"] = recurrence.check_rrule(values.get("rrule"), starts_at)
    out["exdates"] = _exdates(values.get("exdates"), out["rrule"], starts_at)
    out["weekend_allowed"] = _bool(values.get("weekend_allowed", False), "weekend_allowed")
    out["flood_related"] = _bool(values.get("flood_related", False), "flood_related")
    out["required_certificates"] = _certificates(values.get("required_certificates"))
    code = _text(values.get("code"), "code", max_len=32, required=True)
    clash = session.scalar(select(Drill.id).where(Drill.code == code))
    if clash is not None and (drill is None or clash != drill.id):
        raise ValidationError(
            "code", f"演练编号 {code} 已存在", message_en=f"drill code {code} already exists"
        )
    out["code"] = code
    return out


def _plans(session: Session, plan_ids: Iterable[int], *, status: DrillStatus) -> list[Plan]:
    ids = list(dict.fromkeys(plan_ids))
    if ids and status == DrillStatus.CANCELLED:
        raise ValidationError(
            "plans",
            "已取消的演练不能关联预案：取消的演练不算作预案已演练",
            message_en="a cancelled drill cannot exercise plans (it does not count as drilled)",
        )
    plans: list[Plan] = []
    for plan_id in ids:
        plan = session.get(Plan, plan_id)
        if plan is None:
            raise ValidationError(
                "plans", f"预案 {plan_id} 不存在", message_en=f"no plan {plan_id}"
            )
        plans.append(plan)
    return plans


def _participants(
    session: Session, specs: Iterable[ParticipantSpec | Mapping[str, Any]]
) -> list[ParticipantSpec]:
    out: list[ParticipantSpec] = []
    seen: set[tuple[int | None, int | None]] = set()
    for raw in specs:
        try:
            spec = raw if isinstance(raw, ParticipantSpec) else ParticipantSpec(**dict(raw))
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                "participants",
                f"参演方“{raw}”应写明 team_id 或 unit_id 及 role",
                message_en=f"participant {raw!r} needs team_id or unit_id and a role",
            ) from exc
        if (spec.team_id is None) == (spec.unit_id is None):
            raise ValidationError(
                "participants",
                "每个参演方必须是一支队伍或一个单位（二者选一）",
                message_en="each participant is either a team or a unit",
            )
        if spec.team_id is not None and session.get(Team, spec.team_id) is None:
            raise ValidationError(
                "participants", f"队伍 {spec.team_id} 不存在", message_en=f"no team {spec.team_id}"
            )
        if spec.unit_id is not None and session.get(Unit, spec.unit_id) is None:
            raise ValidationError(
                "participants", f"单位 {spec.unit_id} 不存在", message_en=f"no unit {spec.unit_id}"
            )
        key = (spec.team_id, spec.unit_id)
        if key in seen:
            raise ValidationError(
                "participants", "参演方重复", message_en="a participant is listed twice"
            )
        seen.add(key)
        role = _text(spec.role, "participants", max_len=40, required=False) or "参演"
        out.append(ParticipantSpec(spec.team_id, spec.unit_id, role))
    return out


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
    the_status = _enum(DrillStatus, status, "status")
    assert the_status is not None
    if the_status not in CREATE_STATUSES:
        raise ValidationError(
            "status",
            f"新建演练的状态只能是 计划、筹备 或 已实施，不能是 {the_status.value}",
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
        names = "、".join(sorted(s.value for s in allowed)) or "无"
        raise ValidationError(
            "status",
            f"演练 {drill.code} 的状态不能从 {drill.status.value} 改为 {to.value}"
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
    target = _enum(DrillStatus, to, "status")
    assert target is not None
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


# --------------------------------------------------------------------------- occurrences


def _series_occurrence(drill: Drill, original_start: Any) -> dt.datetime:
    original = _datetime(original_start, "original_start")
    if drill.rrule is None:
        raise ValidationError(
            "original_start",
            "非重复演练请直接修改开始和结束时间",
            message_en="a single drill is rescheduled by editing its start and end",
        )
    if original not in recurrence.series_starts(drill.rrule, drill.starts_at):
        raise ValidationError(
            "original_start",
            f"{original:%Y-%m-%d %H:%M} 不是演练 {drill.code} 的任何一次",
            message_en=f"{original:%Y-%m-%d %H:%M} is not an occurrence of {drill.code}",
        )
    exdates = [recurrence.parse_exdate(x) for x in drill.exdates or []]
    if recurrence.is_excluded(original, exdates):
        raise ValidationError(
            "original_start",
            f"{original:%Y-%m-%d %H:%M} 已设为例外日期（不举行）",
            message_en=f"{original:%Y-%m-%d %H:%M} is an exception date",
        )
    return original


def _move_row(session: Session, drill_id: int, original: dt.datetime) -> DrillOccurrenceMove | None:
    return session.scalar(
        select(DrillOccurrenceMove).where(
            DrillOccurrenceMove.drill_id == drill_id,
            DrillOccurrenceMove.original_start == original,
        )
    )


def move_occurrence(
    session: Session,
    *,
    drill_id: int,
    original_start: dt.datetime,
    new_start: dt.datetime,
    new_end: dt.datetime | None = None,
    expected_version: int | None = None,
    user: str = "system",
) -> DrillOccurrenceMove | None:
    """Move one occurrence of a recurring drill (its length is kept unless ``new_end``).

    Moving it back to its original time removes the move (and returns None).
    """
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    original = _series_occurrence(drill, original_start)
    start = _datetime(new_start, "new_start")
    end = (
        _datetime(new_end, "new_end")
        if new_end is not None
        else start + (drill.ends_at - drill.starts_at)
    )
    if end < start:
        raise ValidationError(
            "new_end",
            f"结束时间 {end:%Y-%m-%d %H:%M} 早于开始时间 {start:%Y-%m-%d %H:%M}",
            message_en="the end is before the start",
        )
    row = _move_row(session, drill.id, original)
    before = auditlog.snapshot(row) if row is not None else None
    if start == original and end == original + (drill.ends_at - drill.starts_at):
        if row is not None:
            session.delete(row)
        row = None
    elif row is None:
        row = DrillOccurrenceMove(
            drill_id=drill.id, original_start=original, new_start=start, new_end=end
        )
        session.add(row)
    else:
        row.new_start, row.new_end = start, end
    _touch(drill)
    flush_or_conflict(session, drill)
    auditlog.record(
        session,
        user=user,
        action="drill.move_occurrence",
        table="drill_occurrence_move",
        row_id=row.id if row is not None else None,
        before=before,
        after={
            "drill_id": drill.id,
            "original_start": original,
            "new_start": start,
            "new_end": end,
        },
    )
    return row


def cancel_occurrence(
    session: Session,
    *,
    drill_id: int,
    original_start: dt.datetime,
    expected_version: int | None = None,
    user: str = "system",
) -> DrillOccurrenceMove:
    """Cancel one occurrence of a recurring drill (a move without a new time)."""
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    original = _series_occurrence(drill, original_start)
    row = _move_row(session, drill.id, original)
    before = auditlog.snapshot(row) if row is not None else None
    if row is None:
        row = DrillOccurrenceMove(drill_id=drill.id, original_start=original)
        session.add(row)
    else:
        row.new_start, row.new_end = None, None
    _touch(drill)
    flush_or_conflict(session, drill)
    auditlog.record(session, user=user, action="drill.cancel_occurrence", row=row, before=before)
    return row


def add_exdate(
    session: Session,
    *,
    drill_id: int,
    when: dt.datetime | dt.date,
    expected_version: int | None = None,
    user: str = "system",
) -> Drill:
    """Add an EXDATE: the occurrence starting at ``when`` (or every one on that day) is skipped."""
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    texts = _exdates([*(drill.exdates or []), when], drill.rrule, drill.starts_at)
    before = {"exdates": list(drill.exdates or [])}
    drill.exdates = texts
    flush_or_conflict(session, drill)
    auditlog.record(
        session,
        user=user,
        action="drill.exdate",
        row=drill,
        before=before,
        after={"exdates": texts},
    )
    return drill


def restore_occurrence(
    session: Session,
    *,
    drill_id: int,
    original_start: dt.datetime,
    expected_version: int | None = None,
    user: str = "system",
) -> Drill:
    """Undo a move, a cancellation or an EXDATE of one occurrence."""
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    original = _datetime(original_start, "original_start")
    if original not in recurrence.series_starts(drill.rrule, drill.starts_at):
        raise ValidationError(
            "original_start",
            f"{original:%Y-%m-%d %H:%M} 不是演练 {drill.code} 的任何一次",
            message_en=f"{original:%Y-%m-%d %H:%M} is not an occurrence of {drill.code}",
        )
    row = _move_row(session, drill.id, original)
    before = {
        "exdates": list(drill.exdates or []),
        "move": auditlog.snapshot(row) if row is not None else None,
    }
    if row is not None:
        session.delete(row)
    drill.exdates = [
        x
        for x in drill.exdates or []
        if not recurrence.is_excluded(original, [recurrence.parse_exdate(x)])
    ]
    _touch(drill)
    flush_or_conflict(session, drill)
    auditlog.record(
        session,
        user=user,
        action="drill.restore_occurrence",
        row=drill,
        before=before,
        after={"exdates": drill.exdates, "original_start": original},
    )
    return drill
