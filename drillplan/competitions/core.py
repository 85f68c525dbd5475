"""Skill competitions (技能大比武): competitions, events, results, ranks and the overall table.

Each public write function is one user action. It takes the caller's session (the caller
owns the transaction: commit on success, roll back on any error), validates everything
first and raises ``ValidationError(field, message)`` naming the offending argument before
anything is written, then writes the change and its audit log entry. Ranks are derived
data: ``record_result`` and ``remove_entry`` re-rank the event they touch (rank changes
are not audited; the result that caused them is).

The ranking rules are described in ``docs/competitions.md``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan import auditlog
from drillplan.competitions.ranking import (
    DEFAULT_POINTS_TABLE,
    competition_ranks,
    points_for_rank,
    result_key,
)
from drillplan.db.models import Competition, CompetitionEntry, CompetitionEvent, Team
from drillplan.errors import Conflict, NotFound, ValidationError
from drillplan.validation import normalize_text
from drillplan.vocab import EventKind, Scoring

__all__ = [
    "MAX_SCORE",
    "MAX_TIME_SECONDS",
    "CompetitionResults",
    "EventResult",
    "EventScore",
    "OverallRow",
    "ResultRow",
    "add_entry",
    "add_event",
    "competition_rows",
    "copy_from_previous",
    "create_competition",
    "find_competition",
    "overall_ranking",
    "points_table_of",
    "rank_event",
    "record_result",
    "remove_entry",
    "results",
]

#: A points event is scored 0..100.
MAX_SCORE = Decimal(100)
#: A time event takes more than 0 and less than 24 hours.
MAX_TIME_SECONDS = Decimal(24 * 3600)
_CENT = Decimal("0.01")
_MAX_WEIGHT = Decimal("9999.99")


# ----------------------------------------------------------------------------- validation


def _text(value: object, field_name: str, label: str, max_len: int, *, required: bool) -> str:
    text = normalize_text(str(value)) if value is not None else ""
    if required and not text:
        raise ValidationError(
            field_name, f"{label}不能为空", message_en=f"{field_name} is required"
        )
    if len(text) > max_len:
        raise ValidationError(
            field_name,
            f"{label}最多 {max_len} 个字符",
            message_en=f"{field_name} is longer than {max_len} characters",
        )
    return text


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


def _enum(enum: type[EventKind] | type[Scoring], value: object, field_name: str, label: str) -> Any:
    try:
        return enum(str(value).strip().lower())
    except ValueError as exc:
        allowed = ", ".join(m.value for m in enum)
        raise ValidationError(
            field_name,
            f"{label}“{value}”无效，应为 {allowed}",
            message_en=f"{field_name} {value!r} is not one of {allowed}",
        ) from exc


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


# ----------------------------------------------------------------------------- operations


def create_competition(
    session: Session,
    *,
    year: int,
    title: str,
    held_on: dt.date,
    venue: str | None,
    points_table: Sequence[int] | None = None,
    user: str = "system",
) -> Competition:
    """A new competition; ``points_table`` None means the default table at ranking time."""
    year = _year(year)
    title = _text(title, "title", "比武名称", 200, required=True)
    held_on = _held_on(held_on, year)
    venue_text = _text(venue, "venue", "比武地点", 200, required=False) or None
    table = _points_table(points_table)
    _check_unique(session, year, title)
    competition = Competition(
        year=year, title=title, held_on=held_on, venue=venue_text, points_table=table
    )
    session.add(competition)
    session.flush()
    auditlog.record(session, user=user, action="competition.create", row=competition)
    return competition


def add_event(
    session: Session,
    *,
    competition_id: int,
    name: str,
    kind: EventKind | str,
    scoring: Scoring | str,
    weight: object = 1,
    user: str = "system",
) -> CompetitionEvent:
    """A new event (科目) at the end of the competition's programme."""
    competition = _competition(session, competition_id, "competition_id")
    name = _text(name, "name", "科目名称", 120, required=True)
    event_kind: EventKind = _enum(EventKind, kind, "kind", "项目类型")
    event_scoring: Scoring = _enum(Scoring, scoring, "scoring", "计分方式")
    event_weight = _weight(weight)
    existing = session.execute(
        select(CompetitionEvent.name, CompetitionEvent.seq).where(
            CompetitionEvent.competition_id == competition.id
        )
    ).all()
    if any(row.name == name for row in existing):
        raise ValidationError(
            "name",
            f"比武活动中已有科目“{name}”",
            message_en=f"the competition already has an event {name!r}",
        )
    event = CompetitionEvent(
        competition_id=competition.id,
        seq=max((row.seq for row in existing), default=0) + 1,
        name=name,
        kind=event_kind,
        scoring=event_scoring,
        weight=event_weight,
    )
    session.add(event)
    session.flush()
    auditlog.record(session, user=user, action="competition.event.create", row=event)
    return event


def add_entry(
    session: Session,
    *,
    event_id: int,
    team_id: int,
    participant: str = "",
    user: str = "system",
) -> CompetitionEntry:
    """Enter a team (team event) or a team member (individual event) without a result yet.

    Entering the same (event, team, participant) again returns the existing entry.
    """
    event = _locked_event(session, event_id)
    team = _team(session, team_id)
    name = _participant(event, participant)
    entry = _find_entry(session, event.id, team.id, name)
    if entry is not None:
        return entry
    entry = CompetitionEntry(event_id=event.id, team_id=team.id, participant=name)
    session.add(entry)
    session.flush()
    auditlog.record(session, user=user, action="competition.entry.create", row=entry)
    return entry


def record_result(
    session: Session,
    *,
    event_id: int,
    team_id: int,
    participant: str = "",
    score: object = None,
    time_seconds: object = None,
    user: str = "system",
) -> CompetitionEntry:
    """Record (or correct) a result and re-rank the event.

    A points event takes ``score`` (0..100, two decimals) and no time; a time event takes
    ``time_seconds`` (> 0 and < 24 h, two decimals) and no score. Team events are entered by
    team (no participant); individual events need the participant's name. The entry is
    created or updated on (event, team, participant).
    """
    event = _locked_event(session, event_id)
    team = _team(session, team_id)
    name = _participant(event, participant)
    new_score: Decimal | None = None
    new_time: Decimal | None = None
    if event.scoring == Scoring.POINTS:
        if time_seconds is not None:
            raise ValidationError(
                "time_seconds",
                f"“{event.name}”为计分科目，只填得分，不填用时",
                message_en=f"{event.name!r} is scored by points: give a score, not a time",
            )
        if score is None:
            raise ValidationError(
                "score",
                f"“{event.name}”为计分科目，须填写得分",
                message_en=f"{event.name!r} is scored by points: a score is required",
            )
        new_score = _score(score)
    else:
        if score is not None:
            raise ValidationError(
                "score",
                f"“{event.name}”为计时科目，只填用时，不填得分",
                message_en=f"{event.name!r} is scored by time: give a time, not a score",
            )
        if time_seconds is None:
            raise ValidationError(
                "time_seconds",
                f"“{event.name}”为计时科目，须填写用时（秒）",
                message_en=f"{event.name!r} is scored by time: a time is required",
            )
        new_time = _time_seconds(time_seconds)

    entry = _find_entry(session, event.id, team.id, name)
    if entry is None:
        entry = CompetitionEntry(
            event_id=event.id,
            team_id=team.id,
            participant=name,
            score=new_score,
            time_seconds=new_time,
        )
        session.add(entry)
        session.flush()
        auditlog.record(session, user=user, action="competition.result.record", row=entry)
    else:
        before = auditlog.snapshot(entry)
        entry.score = new_score
        entry.time_seconds = new_time
        session.flush()
        auditlog.record(
            session, user=user, action="competition.result.update", row=entry, before=before
        )
    rank_event(session, event.id)
    return entry


def remove_entry(session: Session, *, entry_id: int, user: str = "system") -> None:
    """Withdraw an entry (and its result) and re-rank its event."""
    entry = session.get(CompetitionEntry, entry_id)
    if entry is None:
        raise ValidationError(
            "entry_id", f"参赛记录 {entry_id} 不存在", message_en=f"no competition entry {entry_id}"
        )
    event_id = entry.event_id
    _locked_event(session, event_id)
    before = auditlog.snapshot(entry)
    session.delete(entry)
    session.flush()
    auditlog.record(
        session,
        user=user,
        action="competition.entry.delete",
        table=CompetitionEntry.__tablename__,
        row_id=entry_id,
        before=before,
    )
    rank_event(session, event_id)


def _entry_order(entry: CompetitionEntry) -> tuple[Any, ...]:
    """Ranked entries first by rank, then unranked; ties and unranked by team code and name."""
    return (
        entry.rank is None,
        entry.rank or 0,
        entry.team.code,
        entry.participant,
        entry.id,
    )


def rank_event(session: Session, event_id: int) -> list[CompetitionEntry]:
    """Store the standard competition rank ("1224") of every entry of an event.

    Points: higher is better; time: lower is better. Entries without a result get rank
    NULL. Returns the entries ranked first (by rank), then the unranked.
    """
    event = session.get(CompetitionEvent, event_id)
    if event is None:
        raise NotFound(f"比武科目 {event_id} 不存在 (no competition event {event_id})")
    session.flush()
    entries = list(
        session.scalars(
            select(CompetitionEntry)
            .where(CompetitionEntry.event_id == event.id)
            .order_by(CompetitionEntry.id)
            .execution_options(populate_existing=True)
        )
    )
    keys = [result_key(event.scoring, e.score, e.time_seconds) for e in entries]
    for entry, rank in zip(entries, competition_ranks(keys), strict=True):
        if entry.rank != rank:
            entry.rank = rank
    session.flush()
    return sorted(entries, key=_entry_order)


# ----------------------------------------------------------------------------- results


@dataclass(frozen=True)
class EventScore:
    """What one event gave one team in the overall ranking."""

    event_id: int
    rank: int | None  # the team's counted (best) rank in the event
    points: Decimal  # points_table[rank - 1] x event weight

    def as_dict(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "rank": self.rank, "points": self.points}


@dataclass(frozen=True)
class OverallRow:
    """One team in the overall ranking."""

    rank: int | None  # None: the team has no ranked result in any event
    team_id: int
    team_code: str
    team_name: str
    team_kind: str
    total: Decimal
    places: tuple[int, ...]  # number of 1st, 2nd, 3rd ... places (the tie-break)
    events: tuple[EventScore, ...]  # in programme order, events the team entered

    def as_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "team_id": self.team_id,
            "team_code": self.team_code,
            "team_name": self.team_name,
            "team_kind": self.team_kind,
            "total": self.total,
            "places": list(self.places),
            "events": [e.as_dict() for e in self.events],
        }


@dataclass(frozen=True)
class ResultRow:
    """One entry of an event, for reports and the UI."""

    entry_id: int
    rank: int | None
    team_id: int
    team_code: str
    team_name: str
    participant: str
    score: Decimal | None
    time_seconds: Decimal | None
    counted: bool  # this entry's rank is the one counted for the team in the overall table
    points: Decimal  # what this entry adds to its team's overall total (0 if not counted)

    def as_dict(self) -> dict[str, Any]:
        return {
            "entry_id": self.entry_id,
            "rank": self.rank,
            "team_id": self.team_id,
            "team_code": self.team_code,
            "team_name": self.team_name,
            "participant": self.participant,
            "score": self.score,
            "time_seconds": self.time_seconds,
            "counted": self.counted,
            "points": self.points,
        }


@dataclass(frozen=True)
class EventResult:
    event_id: int
    seq: int
    name: str
    kind: str
    scoring: str
    weight: Decimal
    entries: tuple[ResultRow, ...]

    def as_dict(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "seq": self.seq,
            "name": self.name,
            "kind": self.kind,
            "scoring": self.scoring,
            "weight": self.weight,
            "entries": [e.as_dict() for e in self.entries],
        }


@dataclass(frozen=True)
class CompetitionResults:
    competition_id: int
    year: int
    title: str
    held_on: dt.date
    venue: str | None
    points_table: tuple[int, ...]
    events: tuple[EventResult, ...] = field(default_factory=tuple)
    overall: tuple[OverallRow, ...] = field(default_factory=tuple)

    def as_dict(self) -> dict[str, Any]:
        return {
            "competition": {
                "id": self.competition_id,
                "year": self.year,
                "title": self.title,
                "held_on": self.held_on,
                "venue": self.venue,
                "points_table": list(self.points_table),
            },
            "events": [e.as_dict() for e in self.events],
            "overall": [r.as_dict() for r in self.overall],
        }


def points_table_of(competition: Competition) -> tuple[int, ...]:
    """The competition's points table, or the default one."""
    return tuple(competition.points_table or DEFAULT_POINTS_TABLE)


def _load(session: Session, competition_id: int) -> tuple[Competition, list[CompetitionEvent]]:
    competition = session.get(Competition, competition_id)
    if competition is None:
        raise NotFound(f"比武活动 {competition_id} 不存在 (no competition {competition_id})")
    session.flush()
    events = list(
        session.scalars(
            select(CompetitionEvent)
            .where(CompetitionEvent.competition_id == competition.id)
            .order_by(CompetitionEvent.seq)
        )
    )
    return competition, events


def _event_entries(session: Session, event: CompetitionEvent) -> list[CompetitionEntry]:
    found = session.scalars(select(CompetitionEntry).where(CompetitionEntry.event_id == event.id))
    return sorted(found, key=_entry_order)


def _counted(entries: list[CompetitionEntry]) -> dict[int, CompetitionEntry]:
    """Per team the entry whose rank counts: its best-ranked (entries arrive in rank order)."""
    counted: dict[int, CompetitionEntry] = {}
    for entry in entries:
        if entry.rank is not None and entry.team_id not in counted:
            counted[entry.team_id] = entry
    return counted


def _compute(
    session: Session, competition: Competition, events: list[CompetitionEvent]
) -> tuple[list[EventResult], list[OverallRow]]:
    table = points_table_of(competition)
    teams: dict[int, Team] = {}
    scores: dict[int, list[EventScore]] = {}
    event_results: list[EventResult] = []
    for event in events:
        entries = _event_entries(session, event)
        counted = _counted(entries)
        weight = Decimal(event.weight)
        rows = []
        for entry in entries:
            teams.setdefault(entry.team_id, entry.team)
            is_counted = counted.get(entry.team_id) is entry
            points = points_for_rank(entry.rank, table) * weight if is_counted else Decimal(0)
            rows.append(
                ResultRow(
                    entry_id=entry.id,
                    rank=entry.rank,
                    team_id=entry.team_id,
                    team_code=entry.team.code,
                    team_name=entry.team.name,
                    participant=entry.participant,
                    score=entry.score,
                    time_seconds=entry.time_seconds,
                    counted=is_counted,
                    points=points,
                )
            )
        entered = dict.fromkeys(e.team_id for e in entries)
        for team_id in entered:
            best = counted.get(team_id)
            rank = best.rank if best is not None else None
            scores.setdefault(team_id, []).append(
                EventScore(event.id, rank, points_for_rank(rank, table) * weight)
            )
        event_results.append(
            EventResult(
                event_id=event.id,
                seq=event.seq,
                name=event.name,
                kind=str(event.kind),
                scoring=str(event.scoring),
                weight=weight,
                entries=tuple(rows),
            )
        )

    depth = max((s.rank or 0 for team in scores.values() for s in team), default=0)
    team_ids = sorted(scores, key=lambda t: teams[t].code)
    totals = {t: sum((s.points for s in scores[t]), Decimal(0)) for t in team_ids}
    places: dict[int, tuple[int, ...]] = {}
    for t in team_ids:
        ranks = [s.rank for s in scores[t] if s.rank is not None]
        places[t] = tuple(ranks.count(place) for place in range(1, depth + 1))
    keys = [
        (-totals[t], *(-n for n in places[t]))
        if any(s.rank is not None for s in scores[t])
        else None
        for t in team_ids
    ]
    overall_ranks = competition_ranks(keys)
    overall = [
        OverallRow(
            rank=rank,
            team_id=t,
            team_code=teams[t].code,
            team_name=teams[t].name,
            team_kind=str(teams[t].kind),
            total=totals[t],
            places=places[t],
            events=tuple(scores[t]),
        )
        for t, rank in zip(team_ids, overall_ranks, strict=True)
    ]
    overall.sort(key=lambda r: (r.rank is None, r.rank or 0, r.team_code))
    return event_results, overall


def overall_ranking(session: Session, competition_id: int) -> list[OverallRow]:
    """The overall (团体总分) ranking of the teams that entered any event.

    A team's total is the sum over events of ``points_table[rank - 1]`` (0 beyond the
    table) x the event's weight, counting in each event the team's best rank only (in an
    individual event: its best-placed member). Equal totals are ordered by the number of
    first places, then second places, ...; teams still equal share the rank ("1224").
    Teams with entries but no ranked result come last, unranked.
    """
    competition, events = _load(session, competition_id)
    return _compute(session, competition, events)[1]


def results(session: Session, competition_id: int) -> CompetitionResults:
    """Per event the entries in rank order (unranked last), and the overall ranking."""
    competition, events = _load(session, competition_id)
    event_results, overall = _compute(session, competition, events)
    return CompetitionResults(
        competition_id=competition.id,
        year=competition.year,
        title=competition.title,
        held_on=competition.held_on,
        venue=competition.venue,
        points_table=points_table_of(competition),
        events=tuple(event_results),
        overall=tuple(overall),
    )


def find_competition(session: Session, *, year: int, title: str | None = None) -> Competition:
    """The competition of ``year`` (and ``title`` when the year has several)."""
    stmt = select(Competition).where(Competition.year == year).order_by(Competition.id)
    if title is not None:
        stmt = stmt.where(Competition.title == normalize_text(title))
    found = list(session.scalars(stmt))
    if not found:
        what = f"“{title}”" if title is not None else ""
        raise NotFound(f"{year} 年度没有比武活动{what} (no competition {title or ''} in {year})")
    if len(found) > 1:
        names = "、".join(c.title for c in found)
        raise ValidationError(
            "title",
            f"{year} 年度有多个比武活动（{names}），请指定名称",
            message_en=f"{year} has {len(found)} competitions; give the title",
        )
    return found[0]


# ----------------------------------------------------------------------------- templates


def _next_title(title: str, source_year: int, year: int) -> str:
    """The source title with its year replaced, e.g. 2024年度... -> 2025年度..."""
    return re.sub(rf"(?<!\d){source_year}(?!\d)", str(year), title)


def copy_from_previous(
    session: Session,
    *,
    source_competition_id: int,
    year: int,
    held_on: dt.date,
    title: str | None = None,
    include_entries_teams: bool = True,
    user: str = "system",
) -> Competition:
    """A new competition from a previous one used as the template.

    Copies the venue, points table and events (order, name, kind, scoring, weight). With
    ``include_entries_teams`` each event gets empty entries (no result, no rank) for the
    same teams as the source event; individual events keep last year's participant names
    as a starting roster. ``title`` defaults to the source title with the year replaced.
    Refuses a (year, title) that already exists with ``Conflict``.
    """
    source = _competition(session, source_competition_id, "source_competition_id")
    if title is None:
        title = _next_title(source.title, source.year, year)
    competition = create_competition(
        session,
        year=year,
        title=title,
        held_on=held_on,
        venue=source.venue,
        points_table=source.points_table,
        user=user,
    )
    source_events = list(
        session.scalars(
            select(CompetitionEvent)
            .where(CompetitionEvent.competition_id == source.id)
            .order_by(CompetitionEvent.seq)
        )
    )
    for old in source_events:
        event = CompetitionEvent(
            competition_id=competition.id,
            seq=old.seq,
            name=old.name,
            kind=old.kind,
            scoring=old.scoring,
            weight=old.weight,
        )
        session.add(event)
        session.flush()
        auditlog.record(session, user=user, action="competition.event.create", row=event)
        if not include_entries_teams:
            continue
        pairs = session.execute(
            select(CompetitionEntry.team_id, CompetitionEntry.participant)
            .where(CompetitionEntry.event_id == old.id)
            .distinct()
            .order_by(CompetitionEntry.team_id, CompetitionEntry.participant)
        ).all()
        for team_id, participant in pairs:
            entry = CompetitionEntry(event_id=event.id, team_id=team_id, participant=participant)
            session.add(entry)
            session.flush()
            auditlog.record(session, user=user, action="competition.entry.create", row=entry)
    return competition


def competition_rows(session: Session, *, year: int | None = None) -> list[dict[str, Any]]:
    """Competitions with their number of events and of teams entered (for listings)."""
    events = (
        select(func.count(CompetitionEvent.id))
        .where(CompetitionEvent.competition_id == Competition.id)
        .correlate(Competition)
        .scalar_subquery()
    )
    teams = (
        select(func.count(func.distinct(CompetitionEntry.team_id)))
        .join(CompetitionEvent, CompetitionEntry.event_id == CompetitionEvent.id)
        .where(CompetitionEvent.competition_id == Competition.id)
        .correlate(Competition)
        .scalar_subquery()
    )
    stmt = select(Competition, events.label("events"), teams.label("teams")).order_by(
        Competition.year.desc(), Competition.title
    )
    if year is not None:
        stmt = stmt.where(Competition.year == year)
    return [
        {
            "id": c.id,
            "year": c.year,
            "title": c.title,
            "held_on": c.held_on,
            "venue": c.venue,
            "events": n_events,
            "teams": n_teams,
        }
        for c, n_events, n_teams in session.execute(stmt)
    ]
