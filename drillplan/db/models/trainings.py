"""Training and public education events (培训与宣教): never a drill of a plan."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.db.models.org import Unit
from drillplan.db.models.plans import Plan
from drillplan.db.models.teams import Team
from drillplan.kernel.vocab import TrainingKind

training_plan = Table(
    "training_plan",
    Base.metadata,
    Column("training_id", ForeignKey("training_event.id", ondelete="CASCADE"), primary_key=True),
    Column("plan_id", ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True, index=True),
)
training_team = Table(
    "training_team",
    Base.metadata,
    Column("training_id", ForeignKey("training_event.id", ondelete="CASCADE"), primary_key=True),
    Column("team_id", ForeignKey("team.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class TrainingEvent(Base):
    """One training, lecture or public education event. Materials used are ledger issues
    whose document number is the event's code (:mod:`drillplan.trainings.materials`)."""

    __tablename__ = "training_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[TrainingKind] = mapped_column(enum_column(TrainingKind, "training_kind"))
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    street_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    organiser_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    venue: Mapped[str | None] = mapped_column(String(200))
    audience: Mapped[str | None] = mapped_column(String(200))
    headcount: Mapped[int] = mapped_column(default=0)
    topics: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)

    organiser_unit: Mapped[Unit] = relationship(foreign_keys=[organiser_unit_id])
    street_unit: Mapped[Unit | None] = relationship(foreign_keys=[street_unit_id])
    plans: Mapped[list[Plan]] = relationship(secondary=training_plan, order_by="Plan.code")
    teams: Mapped[list[Team]] = relationship(secondary=training_team, order_by="Team.code")

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("headcount >= 0", name="headcount_nonneg"),
    )
