"""Contacts (通讯录) of units, depots, teams and agreement suppliers, and the duty roster
(值班表): the shift kinds the office works (a small editable table), the shifts of each day
with their leader (带班领导) and duty officers (值班员)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base
from drillplan.db.models.org import Unit
from drillplan.db.models.stock import Depot
from drillplan.db.models.teams import Team

_ONE_OWNER = (
    "(CASE WHEN unit_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN depot_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN team_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN supplier IS NULL THEN 0 ELSE 1 END) = 1"
)


class Contact(Base):
    """A person to call: of exactly one unit, depot or team, or of an agreement supplier
    (named as text). ``scope_unit_id`` is the unit whose editors may change the row: the unit
    itself, the depot's or team's owner unit, or for a supplier the unit in charge (主管单位,
    optional: without it only administrators may change a supplier's contact in shared mode)."""

    __tablename__ = "contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60), index=True)
    role: Mapped[str | None] = mapped_column(String(60))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    depot_id: Mapped[int | None] = mapped_column(ForeignKey("depot.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    supplier: Mapped[str | None] = mapped_column(String(120))
    scope_unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    mobile: Mapped[str | None] = mapped_column(String(20))
    office_phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    notes: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)

    unit: Mapped[Unit | None] = relationship(foreign_keys=[unit_id])
    depot: Mapped[Depot | None] = relationship()
    team: Mapped[Team | None] = relationship()
    scope_unit: Mapped[Unit | None] = relationship(foreign_keys=[scope_unit_id])

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (CheckConstraint(_ONE_OWNER, name="one_owner"),)


class ShiftKind(Base):
    """A kind of shift (班次): 白班 08:30-17:30, 夜班 17:30-次日08:30, 全天 ... An end not after
    the start ends on the next day (全天 08:30-08:30 is 24 hours)."""

    __tablename__ = "shift_kind"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(20), unique=True)
    starts: Mapped[str] = mapped_column(String(5))  # HH:MM
    ends: Mapped[str] = mapped_column(String(5))  # HH:MM; not after starts: the next day
    sort_order: Mapped[int] = mapped_column(default=0)
    active: Mapped[bool] = mapped_column(default=True)
    row_version: Mapped[int] = mapped_column(default=1)

    __mapper_args__ = {"version_id_col": row_version}


class DutyShift(Base):
    """One shift of one day: its leader (a contact, or a typed name) and its officers."""

    __tablename__ = "duty_shift"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[dt.date] = mapped_column(index=True)
    shift_kind_id: Mapped[int] = mapped_column(ForeignKey("shift_kind.id"), index=True)
    leader_contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    leader_name: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))
    notes: Mapped[str | None] = mapped_column(Text)
    row_version: Mapped[int] = mapped_column(default=1)

    shift_kind: Mapped[ShiftKind] = relationship()
    leader_contact: Mapped[Contact | None] = relationship()
    officers: Mapped[list[DutyOfficer]] = relationship(
        back_populates="shift", cascade="all, delete-orphan", order_by="DutyOfficer.position"
    )

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        UniqueConstraint("day", "shift_kind_id"),
        CheckConstraint(
            "leader_contact_id IS NULL OR leader_name IS NOT NULL", name="leader_named"
        ),
    )


class DutyOfficer(Base):
    """A duty officer (值班员) of a shift: a contact (its name copied) or a typed name."""

    __tablename__ = "duty_officer"

    id: Mapped[int] = mapped_column(primary_key=True)
    shift_id: Mapped[int] = mapped_column(
        ForeignKey("duty_shift.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contact.id"), index=True)
    name: Mapped[str] = mapped_column(String(60))

    shift: Mapped[DutyShift] = relationship(back_populates="officers")
    contact: Mapped[Contact | None] = relationship()
