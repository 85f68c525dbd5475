"""The warning-level response matrix (issue 15 item 2): hazards with their allowed warning
levels, the plans activated from a level up, and per hazard and level the teams that stand by
and the materials to pre-position."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base
from drillplan.db.models.org import Unit
from drillplan.db.models.plans import Plan
from drillplan.db.models.stock import Depot, Material
from drillplan.db.models.teams import Team

#: the warning levels, lowest first (blue IV < yellow III < orange II < red I)
LEVEL_CODES = ("blue", "yellow", "orange", "red")
LEVEL_CHECK = "level IN ('blue', 'yellow', 'orange', 'red')"


class Hazard(Base):
    """A hazard (台风, 暴雨 ...) and the warning levels it has (data: 高温 starts at yellow)."""

    __tablename__ = "hazard"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(40), unique=True)
    name_en: Mapped[str] = mapped_column(String(60), default="")
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    levels: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}


class HazardPlan(Base):
    """A plan activated for a hazard from ``min_level`` up (higher levels include lower)."""

    __tablename__ = "hazard_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard.id", ondelete="CASCADE"), index=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id", ondelete="CASCADE"), index=True)
    min_level: Mapped[str] = mapped_column(String(8))

    hazard: Mapped[Hazard] = relationship()
    plan: Mapped[Plan] = relationship()

    __table_args__ = (
        UniqueConstraint("hazard_id", "plan_id"),
        CheckConstraint("min_level IN ('blue', 'yellow', 'orange', 'red')", name="min_level"),
    )


class HazardTeamLine(Base):
    """A team standing by from a hazard's ``level`` up, with at least ``headcount`` people."""

    __tablename__ = "hazard_team_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(8))
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    headcount: Mapped[int]
    notes: Mapped[str | None] = mapped_column(Text)

    hazard: Mapped[Hazard] = relationship()
    team: Mapped[Team] = relationship()

    __table_args__ = (
        UniqueConstraint("hazard_id", "level", "team_id"),
        CheckConstraint(LEVEL_CHECK, name="level"),
        CheckConstraint("headcount > 0", name="headcount_positive"),
    )


class HazardMaterialLine(Base):
    """A material to pre-position from a hazard's ``level`` up: at a depot, at the holders of
    a unit (and the units below it), or anywhere in the district (neither given)."""

    __tablename__ = "hazard_material_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    hazard_id: Mapped[int] = mapped_column(ForeignKey("hazard.id", ondelete="CASCADE"), index=True)
    level: Mapped[str] = mapped_column(String(8))
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(16, 3))
    depot_id: Mapped[int | None] = mapped_column(
        ForeignKey("depot.id", ondelete="CASCADE"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)

    hazard: Mapped[Hazard] = relationship()
    material: Mapped[Material] = relationship()
    depot: Mapped[Depot | None] = relationship()
    unit: Mapped[Unit | None] = relationship()

    __table_args__ = (
        CheckConstraint(LEVEL_CHECK, name="level"),
        CheckConstraint("quantity > 0 AND quantity <= 1000000000000", name="quantity_positive"),
        CheckConstraint("depot_id IS NULL OR unit_id IS NULL", name="one_place"),
    )
