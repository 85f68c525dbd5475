"""Competition results: per event the entries in rank order, and the overall ranking.

The result dataclasses (``ResultRow``, ``EventResult``, ``OverallRow``, ``EventScore``,
``CompetitionResults``) and the read-only queries :func:`results`, :func:`overall_ranking`,
:func:`find_competition` and :func:`competition_rows`. Re-exported by
:mod:`drillplan.competitions.core`; the ranking rules are described in
``docs/competitions.md``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.competitions.ranking import DEFAULT_POINTS_TABLE, competition_ranks, points_for_rank
from drillplan.db.models import Competition, CompetitionEntry, CompetitionEvent, Team
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.values import normalize_text


def _entry_order(entry: CompetitionEntry) -> tuple[Any, ...]:
    """Ranked entries first by rank, then unranked; ties and unranked by team code and name."""
    return (
        entry.rank is None,
        entry.rank or 0,
        entry.team.code,
        entry.participant,
        entry.id,
    )


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
