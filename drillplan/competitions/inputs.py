"""Checking what the caller gives for a competition, an event, an entry or a result.

Each helper normalises one value or raises ``ValidationError(field, message)`` naming the
argument; the lookups (``_competition``, ``_locked_event``, ``_team``, ``_find_entry`` ...)
load what an argument names. Used by :mod:`drillplan.competitions.core`, which re-exports
all of it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Competition, CompetitionEntry, CompetitionEvent, Team
from drillplan.kernel.errors import Conflict, ValidationError
from drillplan.kernel.values import parse_text
from drillplan.kernel.vocab import EventKind

#: A points event is scored 0..100.
MAX_SCORE = Decimal(100)
#: A time event takes more than 0 and less than 24 hours.
MAX_TIME_SECONDS = Decimal(24 * 3600)
_CENT = Decimal("0.01")
_MAX_WEIGHT = Decimal("9999.99")


# ----------------------------------------------------------------------------- validation


def _text(value: object, field_name: str, label: str, max_len: int, *, required: bool) -> str:
    """Folded text ("" when blank): names are compared folded (see ``find_competition``)."""
    text = parse_text(
        value, field=field_name, what=label, max_len=max_len, required=required, fold=True
    )
    return text or ""


def _decimal(value: object, field_name: str, label: str) -> Decimal:
    if isinstance(value, bool):
        raise ValidationError(field_name, f"{label}“{value}”不是数字", message_en="not a number")
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except (InvalidOperation, ValueError) as exc:
        raise ValidationError(
            field_name,
            f"{label}“{value}”不是数字",
            message_en=f"{field_name} {value!r} is not a number",
        ) from exc
    if not number.is_finite():
        raise ValidationError(
            field_name, f"{label}“{value}”不是数字", message_en=f"{field_name} is not finite"
        )
    if number != number.quantize(_CENT):
        raise ValidationError(
            field_name, f"{label}最多保留两位小数", message_en="at most two decimals"
        )
    return number


def _score(value: object) -> Decimal:
    score = _decimal(value, "score", "成绩（得分）")
    if not Decimal(0) <= score <= MAX_SCORE:
        raise ValidationError(
            "score",
            f"得分应在 0 到 {MAX_SCORE} 之间（输入为 {value}）",
            message_en=f"score must be between 0 and {MAX_SCORE} (got {value})",
        )
    return score


def _time_seconds(value: object) -> Decimal:
    seconds = _decimal(value, "time_seconds", "用时（秒）")
    if not Decimal(0) < seconds < MAX_TIME_SECONDS:
        raise ValidationError(
            "time_seconds",
            f"用时应大于 0 秒且小于 24 小时（输入为 {value}）",
            message_en=f"time must be > 0 s and < 24 h (got {value})",
        )
    return seconds


def _year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 2000 <= value <= 2100:
        raise ValidationError(
            "year", f"年度应为 2000–2100 的整数（输入为 {value}）", message_en="year 2000..2100"
        )
    return value


def _held_on(value: object, year: int) -> dt.date:
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError("held_on", "比武日期应为日期", message_en="held_on must be a date")
    if value.year != year:
        raise ValidationError(
            "held_on",
            f"比武日期 {value.isoformat()} 不在 {year} 年度",
            message_en=f"held_on {value.isoformat()} is not in {year}",
        )
    return value


def _points_table(value: object) -> list[int] | None:
    if value is None:
        return None
    bad = ValidationError(
        "points_table",
        "积分表应为非负整数列表，按名次从高到低不递增，如 10,8,6,5,4,3,2,1",
        message_en="points table: non-negative integers, non-increasing by rank",
    )
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise bad
    table = list(value)
    if not 1 <= len(table) <= 100:
        raise bad
    for p in table:
        if isinstance(p, bool) or not isinstance(p, int) or p < 0:
            raise bad
    if any(later > earlier for earlier, later in pairwise(table)):
        raise bad
    return table


def _weight(value: object) -> Decimal:
    weight = _decimal(value, "weight", "权重")
    if not Decimal(0) < weight <= _MAX_WEIGHT:
        raise ValidationError(
            "weight", f"权重应大于 0（输入为 {value}）", message_en="weight must be > 0"
        )
    return weight


def _check_unique(session: Session, year: int, title: str) -> None:
    taken = session.scalar(
        select(Competition.id).where(Competition.year == year, Competition.title == title)
    )
    if taken is not None:
        raise Conflict(
            f"{year} 年度已有比武活动“{title}” (a competition {title!r} exists for {year})"
        )


def _competition(session: Session, competition_id: int, field_name: str) -> Competition:
    competition = session.get(Competition, competition_id)
    if competition is None:
        raise ValidationError(
            field_name,
            f"比武活动 {competition_id} 不存在",
            message_en=f"no competition {competition_id}",
        )
    return competition


def _locked_event(session: Session, event_id: int) -> CompetitionEvent:
    """The event, row-locked on PostgreSQL so results of one event are ranked one at a time."""
    event = session.scalars(
        select(CompetitionEvent)
        .where(CompetitionEvent.id == event_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one_or_none()
    if event is None:
        raise ValidationError(
            "event_id", f"比武科目 {event_id} 不存在", message_en=f"no competition event {event_id}"
        )
    return event


def _team(session: Session, team_id: int) -> Team:
    team = session.get(Team, team_id)
    if team is None:
        raise ValidationError("team_id", f"队伍 {team_id} 不存在", message_en=f"no team {team_id}")
    return team


def _participant(event: CompetitionEvent, participant: object) -> str:
    name = _text(participant, "participant", "参赛人员", 60, required=False)
    if event.kind == EventKind.INDIVIDUAL and not name:
        raise ValidationError(
            "participant",
            f"个人项目“{event.name}”须填写参赛人员姓名",
            message_en=f"individual event {event.name!r} needs the participant's name",
        )
    if event.kind == EventKind.TEAM and name:
        raise ValidationError(
            "participant",
            f"团体项目“{event.name}”按队伍计成绩，不填参赛人员",
            message_en=f"team event {event.name!r} is entered by team, without a participant",
        )
    return name


def _find_entry(
    session: Session, event_id: int, team_id: int, participant: str
) -> CompetitionEntry | None:
    return session.scalars(
        select(CompetitionEntry).where(
            CompetitionEntry.event_id == event_id,
            CompetitionEntry.team_id == team_id,
            CompetitionEntry.participant == participant,
        )
    ).one_or_none()
