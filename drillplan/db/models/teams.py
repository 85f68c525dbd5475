"""Rescue teams (救援队伍), their members and members' certificates."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.db.models.org import Unit
from drillplan.kernel.vocab import Readiness, TeamKind, Tier


class Team(Base):
    __tablename__ = "team"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[TeamKind] = mapped_column(enum_column(TeamKind, "team_kind"))
    specialties: Mapped[list[str]] = mapped_column(JSON, default=list)
    owner_unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), index=True)
    tier: Mapped[Tier] = mapped_column(enum_column(Tier, "team_tier"))
    base: Mapped[str | None] = mapped_column(String(200))
    duty_phone: Mapped[str | None] = mapped_column(String(20))
    response_minutes: Mapped[int | None]
    readiness: Mapped[Readiness] = mapped_column(
        enum_column(Readiness, "team_readiness"), default=Readiness.READY
    )
    headcount: Mapped[int | None]
    credit_code: Mapped[str | None] = mapped_column(String(18))
    agreement_no: Mapped[str | None] = mapped_column(String(40))
    agreement_expires_on: Mapped[dt.date | None] = mapped_column(index=True)
    row_version: Mapped[int] = mapped_column(default=1)

    owner_unit: Mapped[Unit] = relationship()
    members: Mapped[list[Member]] = relationship(
        back_populates="team", cascade="all, delete-orphan", order_by="Member.id"
    )

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint(
            "response_minutes IS NULL OR response_minutes >= 0", name="response_nonneg"
        ),
        CheckConstraint("headcount IS NULL OR headcount >= 0", name="headcount_nonneg"),
    )


class Member(Base):
    __tablename__ = "member"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(60))
    role: Mapped[str] = mapped_column(String(40), default="队员")
    phone: Mapped[str | None] = mapped_column(String(20))
    insured_until: Mapped[dt.date | None]
    active: Mapped[bool] = mapped_column(default=True)

    team: Mapped[Team] = relationship(back_populates="members")
    certificates: Mapped[list[Certificate]] = relationship(
        back_populates="member", cascade="all, delete-orphan", order_by="Certificate.id"
    )


class Certificate(Base):
    __tablename__ = "certificate"

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("member.id", ondelete="CASCADE"), index=True)
    cert_type: Mapped[str] = mapped_column(String(60))
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[dt.date]
    expires_on: Mapped[dt.date | None] = mapped_column(index=True)

    member: Mapped[Member] = relationship(back_populates="certificates")

    __table_args__ = (
        CheckConstraint(
            "expires_on IS NULL OR expires_on >= issued_on", name="expires_after_issued"
        ),
        UniqueConstraint("cert_type", "number"),
    )
