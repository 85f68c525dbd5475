"""Competitions and their results as tables (the one listing engine, drillplan.listing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from drillplan.db.models import (
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    Team,
)
from drillplan.listing.core import ID_KEY, Column, Listing
from drillplan.listing.core import number_column as _n


def _competitions() -> Select[Any]:
    events = (
        select(func.count(CompetitionEvent.id))
        .where(CompetitionEvent.competition_id == Competition.id)
        .correlate(Competition)
        .scalar_subquery()
    )
    entries = (
        select(func.count(CompetitionEntry.id))
        .join(CompetitionEvent, CompetitionEntry.event_id == CompetitionEvent.id)
        .where(CompetitionEvent.competition_id == Competition.id)
        .correlate(Competition)
        .scalar_subquery()
    )
    return select(
        Competition.id.label(ID_KEY),
        Competition.year.label("year"),
        Competition.title.label("title"),
        Competition.held_on.label("held_on"),
        Competition.venue.label("venue"),
        events.label("events"),
        entries.label("entries"),
    )


def _entries() -> Select[Any]:
    return (
        select(
            CompetitionEntry.id.label(ID_KEY),
            Competition.year.label("year"),
            Competition.title.label("competition"),
            CompetitionEvent.name.label("event"),
            Team.name.label("team"),
            CompetitionEntry.participant.label("participant"),
            CompetitionEntry.score.label("score"),
            CompetitionEntry.time_seconds.label("time_seconds"),
            CompetitionEntry.rank.label("rank"),
            Competition.id.label("competition_id"),  # not shown: filters
            CompetitionEvent.id.label("event_id"),
        )
        .join(CompetitionEvent, CompetitionEntry.event_id == CompetitionEvent.id)
        .join(Competition, CompetitionEvent.competition_id == Competition.id)
        .join(Team, CompetitionEntry.team_id == Team.id)
    )


COMPETITIONS = Listing(
    "competitions",
    "技能比武",
    "Skill competitions",
    (
        _n("year", "年度", "Year", searchable=True),
        Column("title", "比武名称", "Title"),
        Column("held_on", "举办日期", "Date", kind="date"),
        Column("venue", "地点", "Venue"),
        _n("events", "科目数", "Events"),
        _n("entries", "成绩条数", "Results"),
    ),
    _competitions,
    default_order="held_on",
)


ENTRIES = Listing(
    "entries",
    "比武成绩",
    "Competition results",
    (
        _n("year", "年度", "Year", searchable=True),
        Column("competition", "比武名称", "Competition"),
        Column("event", "科目", "Event"),
        Column("team", "队伍", "Team"),
        Column("participant", "参赛人员", "Participant"),
        _n("score", "得分", "Score"),
        _n("time_seconds", "用时(秒)", "Time (s)"),
        _n("rank", "名次", "Rank"),
    ),
    _entries,
    default_order="event",
)
