"""Skill competitions (技能大比武): events and entries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.db.models.teams import Team
from drillplan.kernel.vocab import EventKind, Scoring


class Competition(Base):
    __tablename__ = "competition"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[dt.date]
    venue: Mapped[str | None] = mapped_column(String(200))
    # overall ranking: points per event rank, e.g. [10, 8, 6, 5, 4, 3, 2, 1]
    points_table: Mapped[list[int] | None] = mapped_column(JSON)

    events: Mapped[list[CompetitionEvent]] = relationship(
        back_populates="competition", cascade="all, delete-orphan", order_by="CompetitionEvent.seq"
    )

    __table_args__ = (
        UniqueConstraint("year", "title"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )


class CompetitionEvent(Base):
    """科目: one event of a competition, scored by points or by time."""

    __tablename__ = "competition_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(
        ForeignKey("competition.id", ondelete="CASCADE"), index=True
    )
    seq: Mapped[int]
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[EventKind] = mapped_column(enum_column(EventKind, "event_kind"))
    scoring: Mapped[Scoring] = mapped_column(enum_column(Scoring, "event_scoring"))
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), default=Decimal(1))

    competition: Mapped[Competition] = relationship(back_populates="events")
    entries: Mapped[list[CompetitionEntry]] = relationship(
        back_populates="event", cascade="all, delete-orphan", order_by="CompetitionEntry.id"
    )

    __table_args__ = (
        UniqueConstraint("competition_id", "seq"),
        CheckConstraint("weight > 0", name="weight_positive"),
    )


class CompetitionEntry(Base):
    """A team's (or one member's) result in an event."""

    __tablename__ = "competition_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(
        ForeignKey("competition_event.id", ondelete="CASCADE"), index=True
    )
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    participant: Mapped[str] = mapped_column(String(60), default="")
    score: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    time_seconds: Mapped[Decimal | None] = mapped_column(Numeric(10, 2))
    rank: Mapped[int | None]

    event: Mapped[CompetitionEvent] = relationship(back_populates="entries")
    team: Mapped[Team] = relationship()

    __table_args__ = (
        UniqueConstraint("event_id", "team_id", "participant"),
        CheckConstraint("score IS NULL OR score >= 0", name="score_nonneg"),
        CheckConstraint("time_seconds IS NULL OR time_seconds > 0", name="time_positive"),
        CheckConstraint("rank IS NULL OR rank >= 1", name="rank_positive"),
    )
