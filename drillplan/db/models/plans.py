"""Contingency plans (应急预案) with revisions, status history, evaluations and documents."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.db.models.org import Unit
from drillplan.kernel.vocab import EmergencyCategory, HolderClass, PlanKind, PlanStatus


class Plan(Base):
    __tablename__ = "plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[PlanKind] = mapped_column(enum_column(PlanKind, "plan_kind"))
    category: Mapped[EmergencyCategory] = mapped_column(
        enum_column(EmergencyCategory, "plan_category")
    )
    hazards: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    holder_class: Mapped[HolderClass] = mapped_column(
        enum_column(HolderClass, "plan_holder_class"), default=HolderClass.GOVERNMENT
    )
    status: Mapped[PlanStatus] = mapped_column(
        enum_column(PlanStatus, "plan_status"), default=PlanStatus.DRAFTING, index=True
    )
    current_version: Mapped[str] = mapped_column(String(20), default="1.0")
    response_levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    approved_on: Mapped[dt.date | None]
    published_on: Mapped[dt.date | None]
    filed_on: Mapped[dt.date | None]
    filed_with: Mapped[str | None] = mapped_column(String(120))
    evaluation_interval_months: Mapped[int] = mapped_column(default=36)
    # None: the default interval for the plan's kind and holder class applies.
    drill_interval_months: Mapped[int | None]
    flood_related: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)

    owner_unit: Mapped[Unit] = relationship()
    revisions: Mapped[list[PlanRevision]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanRevision.revised_on"
    )
    evaluations: Mapped[list[PlanEvaluation]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="PlanEvaluation.evaluated_on"
    )

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("evaluation_interval_months > 0", name="evaluation_interval_positive"),
        CheckConstraint(
            "drill_interval_months IS NULL OR drill_interval_months > 0",
            name="drill_interval_positive",
        ),
        CheckConstraint(
            "published_on IS NULL OR approved_on IS NULL OR published_on >= approved_on",
            name="published_after_approved",
        ),
    )


class PlanRevision(Base):
    """One version of a plan: the register keeps every version."""

    __tablename__ = "plan_revision"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    version: Mapped[str] = mapped_column(String(20))
    revised_on: Mapped[dt.date]
    reason: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="revisions")

    __table_args__ = (UniqueConstraint("plan_id", "version"),)


class PlanStatusChange(Base):
    __tablename__ = "plan_status_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[PlanStatus | None] = mapped_column(
        enum_column(PlanStatus, "plan_status_from")
    )
    to_status: Mapped[PlanStatus] = mapped_column(enum_column(PlanStatus, "plan_status_to"))
    changed_on: Mapped[dt.date]
    username: Mapped[str] = mapped_column(String(60), default="")
    note: Mapped[str | None] = mapped_column(String(200))


class PlanEvaluation(Base):
    """评估: a periodic evaluation of a plan (the next one is due evaluation_interval later)."""

    __tablename__ = "plan_evaluation"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    evaluated_on: Mapped[dt.date]
    conclusion: Mapped[str] = mapped_column(String(40))
    summary: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[Plan] = relationship(back_populates="evaluations")


class PlanDocument(Base):
    """An attached document (a file reference, opened with the system viewer)."""

    __tablename__ = "plan_document"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    path: Mapped[str] = mapped_column(String(500))
    added_on: Mapped[dt.date]
    meta: Mapped[dict[str, Any] | None] = mapped_column(JSON)
