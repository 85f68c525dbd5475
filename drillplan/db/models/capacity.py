"""Capacity reserves (产能储备): a supplier's promise to deliver or produce a quantity of a
material within a lead time. Not a lot: never counted as stock on hand."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base
from drillplan.db.models.org import Unit
from drillplan.db.models.stock import Material


class CapacityReserve(Base):
    __tablename__ = "capacity_reserve"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    supplier: Mapped[str] = mapped_column(String(120))
    supplier_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    contact: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id"), index=True)
    promised_qty: Mapped[Decimal] = mapped_column(Numeric(16, 3))
    lead_time_hours: Mapped[int]
    agreement_no: Mapped[str | None] = mapped_column(String(40))
    valid_from: Mapped[dt.date | None]
    valid_until: Mapped[dt.date | None] = mapped_column(index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)

    material: Mapped[Material] = relationship()
    supplier_unit: Mapped[Unit | None] = relationship()

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint(
            "promised_qty > 0 AND promised_qty <= 1000000000000", name="promised_positive"
        ),
        CheckConstraint("lead_time_hours >= 0", name="lead_time_nonneg"),
        CheckConstraint(
            "valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from",
            name="valid_until_not_before_from",
        ),
    )
