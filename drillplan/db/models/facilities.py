"""Shelters (应急避难场所 / 应急避难点) and dual-use (平急两用) facilities, their classes and
inspections (issue 14 item 3)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.db.models.org import Unit
from drillplan.kernel.vocab import (
    EmergencyUse,
    FacilityKind,
    FacilityStatus,
    InspectionResult,
    StayType,
)


class FacilityClass(Base):
    """A class of the office's shelter classification (data, not constants: DOMAIN.md)."""

    __tablename__ = "facility_class"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(60))
    kind: Mapped[FacilityKind] = mapped_column(enum_column(FacilityKind, "facility_class_kind"))
    level: Mapped[str | None] = mapped_column(String(20))
    stay_type: Mapped[StayType | None] = mapped_column(enum_column(StayType, "facility_class_stay"))
    min_capacity: Mapped[int | None]
    max_capacity: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("min_capacity IS NULL OR min_capacity >= 0", name="min_capacity_nonneg"),
        CheckConstraint(
            "max_capacity IS NULL OR min_capacity IS NULL OR max_capacity >= min_capacity",
            name="capacity_range",
        ),
    )


class Facility(Base):
    """A shelter or dual-use facility: where, who runs it, how many it takes, what it has."""

    __tablename__ = "facility"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    class_id: Mapped[int] = mapped_column(ForeignKey("facility_class.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(200))
    street_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    unit_in_charge_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    capacity_people: Mapped[int] = mapped_column(default=0)
    area_m2: Mapped[Decimal | None] = mapped_column(Numeric(12, 1))
    normal_use: Mapped[str | None] = mapped_column(String(60))
    emergency_use: Mapped[EmergencyUse] = mapped_column(
        enum_column(EmergencyUse, "facility_emergency_use"), default=EmergencyUse.SHELTERING
    )
    conversion_hours: Mapped[int | None]
    amenities: Mapped[list[str]] = mapped_column(JSON, default=list)
    contact: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))
    last_inspected_on: Mapped[dt.date | None]
    inspection_days: Mapped[int | None]
    status: Mapped[FacilityStatus] = mapped_column(
        enum_column(FacilityStatus, "facility_status"), default=FacilityStatus.IN_SERVICE
    )
    notes: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)

    facility_class: Mapped[FacilityClass] = relationship()
    street_unit: Mapped[Unit] = relationship(foreign_keys=[street_unit_id])
    unit_in_charge: Mapped[Unit] = relationship(foreign_keys=[unit_in_charge_id])
    inspections: Mapped[list[FacilityInspection]] = relationship(
        back_populates="facility",
        cascade="all, delete-orphan",
        order_by="FacilityInspection.inspected_on",
    )

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("capacity_people >= 0", name="capacity_people_nonneg"),
        CheckConstraint("area_m2 IS NULL OR area_m2 >= 0", name="area_nonneg"),
        CheckConstraint(
            "conversion_hours IS NULL OR conversion_hours >= 0", name="conversion_nonneg"
        ),
        CheckConstraint(
            "inspection_days IS NULL OR inspection_days > 0", name="inspection_days_positive"
        ),
    )


class FacilityInspection(Base):
    """One inspection of a facility (the history; the facility keeps the latest date)."""

    __tablename__ = "facility_inspection"

    id: Mapped[int] = mapped_column(primary_key=True)
    facility_id: Mapped[int] = mapped_column(
        ForeignKey("facility.id", ondelete="CASCADE"), index=True
    )
    inspected_on: Mapped[dt.date]
    inspector: Mapped[str] = mapped_column(String(60))
    result: Mapped[InspectionResult] = mapped_column(
        enum_column(InspectionResult, "facility_inspection_result")
    )
    notes: Mapped[str | None] = mapped_column(Text)

    facility: Mapped[Facility] = relationship(back_populates="inspections")
