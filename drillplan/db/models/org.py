"""Organisation units, users, the audit log and settings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, false, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.kernel.vocab import Role, Tier, UnitKind


class Unit(Base):
    """单位: a government body, department, street/town, enterprise or social organisation."""

    __tablename__ = "unit"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    kind: Mapped[UnitKind] = mapped_column(enum_column(UnitKind, "unit_kind"))
    tier: Mapped[Tier] = mapped_column(enum_column(Tier, "unit_tier"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"), index=True)
    credit_code: Mapped[str | None] = mapped_column(String(18))
    address: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(60))
    phone: Mapped[str | None] = mapped_column(String(20))
    row_version: Mapped[int] = mapped_column(default=1)
    population: Mapped[int | None]  # people living there (street-towns; shelter capacity audit)

    parent: Mapped[Unit | None] = relationship(remote_side=[id])

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("population IS NULL OR population >= 0", name="population_nonneg"),
    )


class User(Base):
    """An account of the shared office mode: role (viewer/editor/admin) and data scope (unit).

    ``password_hash`` is an Argon2id hash (``drillplan.auth.passwords``); ``failed_logins``,
    ``locked_until`` and ``last_login_at`` are the login bookkeeping every user's own client
    writes; ``must_change_password`` is set by an administrator's password reset.
    """

    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    display_name: Mapped[str] = mapped_column(String(60))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(enum_column(Role, "user_role"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    last_login_at: Mapped[dt.datetime | None]
    password_changed_at: Mapped[dt.datetime | None]
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=false())

    __table_args__ = (CheckConstraint("failed_logins >= 0", name="failed_logins_nonneg"),)


class AuditLog(Base):
    """Who changed what, when: before/after values of every change (append-only)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())
    username: Mapped[str] = mapped_column(String(60))
    table_name: Mapped[str] = mapped_column(String(40))
    row_id: Mapped[int | None]
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # the hash chain (drillplan.audit.chain): position, previous entry's hash, own hash
    seq: Mapped[int] = mapped_column(unique=True)
    prev_hash: Mapped[str] = mapped_column(String(64), default="")
    entry_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_table_row", "table_name", "row_id"),
        Index("ix_audit_log_username", "username"),
    )


class Setting(Base):
    """A user setting stored with the data (shared by every client of a shared database)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class Holiday(Base):
    """A public holiday or make-up workday (调休) the user added for a year the library lacks."""

    __tablename__ = "holiday"

    day: Mapped[dt.date] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(60))
    is_workday: Mapped[bool] = mapped_column(default=False)
