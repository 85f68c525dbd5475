"""Checking what the caller gives when creating or editing a drill.

Each helper normalises one kind of value or raises ``ValidationError(field, message)``
naming the field; :func:`_validate` checks every field of a drill's new state, ``_plans`` and
``_participants`` the plans and participants it is linked to. Used by
:mod:`drillplan.drills.editing` (which re-exports all of it) and
:mod:`drillplan.drills.occurrences`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Drill, Plan, Team, Unit
from drillplan.drills import recurrence
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_enum, parse_text
from drillplan.kernel.vocab import DrillForm, DrillPurpose, DrillScope, DrillStatus, HseepType

E = TypeVar("E", bound=StrEnum)


@dataclass(frozen=True)
class ParticipantSpec:
    """A team or a unit taking part, with its role (参演, 指挥, 保障, 观摩 ...)."""

    team_id: int | None = None
    unit_id: int | None = None
    role: str = "参演"


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
        text = parse_text(item, field="required_certificates", max_len=60, required=True)
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


def _validate(session: Session, values: dict[str, Any], *, drill: Drill | None) -> dict[str, Any]:
    """Normalise and check every field (the merged new state of the drill)."""
    out: dict[str, Any] = {}
    out["title"] = parse_text(values.get("title"), field="title", max_len=200, required=True)
    out["form"] = parse_enum(DrillForm, values.get("form"), field="form", what="演练形式")
    out["scope"] = parse_enum(DrillScope, values.get("scope"), field="scope", what="演练内容")
    out["purpose"] = parse_enum(
        DrillPurpose,
        values.get("purpose") or DrillPurpose.TESTING,
        field="purpose",
        what="演练目的",
    )
    out["hseep_type"] = parse_enum(
        HseepType, values.get("hseep_type"), field="hseep_type", what="HSEEP 类型", optional=True
    )
    out["scenario"] = str(values.get("scenario") or "").strip()
    organiser_id = values.get("organiser_unit_id")
    if organiser_id is None or session.get(Unit, organiser_id) is None:
        raise ValidationError(
            "organiser_unit_id",
            f"组织单位 {organiser_id} 不存在",
            message_en=f"no organiser unit {organiser_id}",
        )
    out["organiser_unit_id"] = organiser_id
    out["venue"] = parse_text(values.get("venue"), field="venue", max_len=200, required=False)
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
    code = parse_text(values.get("code"), field="code", max_len=32, required=True)
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
        role = parse_text(spec.role, field="participants", max_len=40, required=False) or "参演"
        out.append(ParticipantSpec(spec.team_id, spec.unit_id, role))
    return out
