"""Drills (应急演练): participants, recurrence, findings and corrective actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.db.models.org import Unit
from drillplan.db.models.plans import Plan
from drillplan.db.models.teams import Team
from drillplan.kernel.vocab import (
    ActionStatus,
    DrillForm,
    DrillPurpose,
    DrillScope,
    DrillStatus,
    HseepType,
    Severity,
)

drill_plan = Table(
    "drill_plan",
    Base.metadata,
    Column("drill_id", ForeignKey("drill.id", ondelete="CASCADE"), primary_key=True),
    Column("plan_id", ForeignKey("plan.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Drill(Base):
    __tablename__ = "drill"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    form: Mapped[DrillForm] = mapped_column(enum_column(DrillForm, "drill_form"))
    scope: Mapped[DrillScope] = mapped_column(enum_column(DrillScope, "drill_scope"))
    purpose: Mapped[DrillPurpose] = mapped_column(
        enum_column(DrillPurpose, "drill_purpose"), default=DrillPurpose.TESTING
    )
    hseep_type: Mapped[HseepType | None] = mapped_column(enum_column(HseepType, "drill_hseep"))
    scenario: Mapped[str] = mapped_column(Text, default="")
    organiser_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    venue: Mapped[str | None] = mapped_column(String(200), index=True)
    starts_at: Mapped[dt.datetime] = mapped_column(index=True)
    ends_at: Mapped[dt.datetime]
    rrule: Mapped[str | None] = mapped_column(String(300))
    exdates: Mapped[list[str]] = mapped_column(JSON, default=list)
    weekend_allowed: Mapped[bool] = mapped_column(default=False)
    flood_related: Mapped[bool] = mapped_column(default=False)
    status: Mapped[DrillStatus] = mapped_column(
        enum_column(DrillStatus, "drill_status"), default=DrillStatus.PLANNED, index=True
    )
    # certificate types every participating member must hold, valid on the drill date
    required_certificates: Mapped[list[str]] = mapped_column(
        JSON, default=list, server_default="[]"
    )
    score: Mapped[Decimal | None] = mapped_column(Numeric(5, 2))
    # GB/T 46792-style indicator scores, e.g. {"organisation": 85, "command": 78, ...}
    indicator_scores: Mapped[dict[str, float] | None] = mapped_column(JSON)
    evaluated_on: Mapped[dt.date | None]
    evaluation_summary: Mapped[str | None] = mapped_column(Text)
    # the evaluation's own record (migration 0009); the report derives text only where empty
    evaluation_lead: Mapped[str | None] = mapped_column(String(60))  # 评估组长
    evaluators: Mapped[str | None] = mapped_column(Text)  # 评估人员, 、-separated names
    evaluation_method: Mapped[str | None] = mapped_column(Text)  # 评估方法
    # one objective per line, optionally ending "：达成" / "：基本达成" / "：未达成"
    objectives: Mapped[str | None] = mapped_column(Text)
    course: Mapped[str | None] = mapped_column(Text)  # 演练经过
    strengths: Mapped[str | None] = mapped_column(Text)  # 亮点
    plan_suggestions: Mapped[str | None] = mapped_column(Text)  # 预案修订建议
    # a written comment per indicator key of indicator_scores, e.g. {"command": "..."}
    indicator_comments: Mapped[dict[str, str] | None] = mapped_column(JSON)
    row_version: Mapped[int] = mapped_column(default=1)

    organiser: Mapped[Unit] = relationship()
    plans: Mapped[list[Plan]] = relationship(secondary=drill_plan, order_by="Plan.code")
    participants: Mapped[list[DrillParticipant]] = relationship(
        back_populates="drill", cascade="all, delete-orphan", order_by="DrillParticipant.id"
    )
    findings: Mapped[list[Finding]] = relationship(
        back_populates="drill", cascade="all, delete-orphan", order_by="Finding.seq"
    )

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="end_not_before_start"),
        CheckConstraint("score IS NULL OR (score >= 0 AND score <= 100)", name="score_range"),
    )


class DrillParticipant(Base):
    """A team or a unit taking part in a drill, with its role."""

    __tablename__ = "drill_participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(40), default="参演")

    drill: Mapped[Drill] = relationship(back_populates="participants")
    team: Mapped[Team | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        CheckConstraint("(team_id IS NULL) <> (unit_id IS NULL)", name="team_or_unit"),
        UniqueConstraint("drill_id", "team_id", "unit_id"),
    )


class DrillOccurrenceMove(Base):
    """A one-off move (or cancellation) of a single occurrence of a recurring drill."""

    __tablename__ = "drill_occurrence_move"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"))
    original_start: Mapped[dt.datetime]
    new_start: Mapped[dt.datetime | None]
    new_end: Mapped[dt.datetime | None]

    __table_args__ = (
        UniqueConstraint("drill_id", "original_start"),
        CheckConstraint(
            "new_end IS NULL OR new_start IS NULL OR new_end >= new_start",
            name="end_not_before_start",
        ),
    )


class Finding(Base):
    """A problem exposed by a drill's evaluation."""

    __tablename__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    drill_id: Mapped[int] = mapped_column(ForeignKey("drill.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int]
    description: Mapped[str] = mapped_column(Text)
    severity: Mapped[Severity] = mapped_column(
        enum_column(Severity, "finding_severity"), default=Severity.MINOR
    )

    drill: Mapped[Drill] = relationship(back_populates="findings")
    actions: Mapped[list[CorrectiveAction]] = relationship(
        back_populates="finding", cascade="all, delete-orphan", order_by="CorrectiveAction.id"
    )

    __table_args__ = (UniqueConstraint("drill_id", "seq"),)


class CorrectiveAction(Base):
    """整改措施: tracked to closure, with an owner and a due date."""

    __tablename__ = "corrective_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    finding_id: Mapped[int] = mapped_column(
        ForeignKey("finding.id", ondelete="CASCADE"), index=True
    )
    action: Mapped[str] = mapped_column(Text)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    owner_name: Mapped[str | None] = mapped_column(String(60))
    due_on: Mapped[dt.date] = mapped_column(index=True)
    status: Mapped[ActionStatus] = mapped_column(
        enum_column(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    closed_on: Mapped[dt.date | None]
    row_version: Mapped[int] = mapped_column(default=1)

    finding: Mapped[Finding] = relationship(back_populates="actions")
    owner_unit: Mapped[Unit] = relationship()

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("(status = 'closed') = (closed_on IS NOT NULL)", name="closed_has_date"),
    )
