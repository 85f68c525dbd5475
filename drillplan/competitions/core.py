"""Skill competitions (技能大比武): competitions, events, results, ranks and the overall table.

Each public write function is one user action. It takes the caller's session (the caller
owns the transaction: commit on success, roll back on any error), validates everything
first and raises ``ValidationError(field, message)`` naming the offending argument before
anything is written, then writes the change and its audit log entry. Ranks are derived
data: ``record_result`` and ``remove_entry`` re-rank the event they touch (rank changes
are not audited; the result that caused them is).

The ranking rules are described in ``docs/competitions.md``.

The operations live here; what they share is in its own modules, all re-exported here:
checking the arguments in :mod:`drillplan.competitions.inputs`, the result dataclasses and
the read-only queries in :mod:`drillplan.competitions.results`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.competitions.inputs import (
    MAX_SCORE,
    MAX_TIME_SECONDS,
    _check_unique,
    _competition,
    _find_entry,
    _held_on,
    _locked_event,
    _participant,
    _points_table,
    _score,
    _team,
    _text,
    _time_seconds,
    _weight,
    _year,
)
from drillplan.competitions.ranking import competition_ranks, result_key
from drillplan.competitions.results import (
    CompetitionResults,
    EventResult,
    EventScore,
    OverallRow,
    ResultRow,
    _entry_order,
    competition_rows,
    find_competition,
    overall_ranking,
    points_table_of,
    results,
)
from drillplan.db.models import Competition, CompetitionEntry, CompetitionEvent
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.values import parse_enum
from drillplan.kernel.vocab import EventKind, Scoring

# isort: split
# Re-exported: every name core.py defined before the split stays importable from here.
from drillplan.competitions.inputs import _CENT as _CENT
from drillplan.competitions.inputs import _MAX_WEIGHT as _MAX_WEIGHT
from drillplan.competitions.inputs import _decimal as _decimal
from drillplan.competitions.results import _compute as _compute
from drillplan.competitions.results import _counted as _counted
from drillplan.competitions.results import _event_entries as _event_entries
from drillplan.competitions.results import _load as _load

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
    return auditlog.insert(session, competition, user=user, action="competition.create")


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
    event_kind = parse_enum(EventKind, kind, field="kind", what="项目类型")
    event_scoring = parse_enum(Scoring, scoring, field="scoring", what="计分方式")
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
    return auditlog.insert(session, event, user=user, action="competition.event.create")


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
    return auditlog.insert(session, entry, user=user, action="competition.entry.create")


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
