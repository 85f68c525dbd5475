"""Allocation requests (调拨申请): a holder asks another for materials; lines and reservations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from drillplan.db.base import Base, enum_column
from drillplan.db.models.stock import Holder, Lot, Material, Quantity
from drillplan.kernel.vocab import AllocationPurpose, RequestState


class AllocationRequest(Base):
    """One request: who asks (``requester``), whom (``holder``), why, by when, and its state."""

    __tablename__ = "allocation_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  # DB-2026-0001
    requester_holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id", ondelete="RESTRICT"))
    holder_id: Mapped[int] = mapped_column(ForeignKey("holder.id", ondelete="RESTRICT"))
    purpose: Mapped[AllocationPurpose] = mapped_column(
        enum_column(AllocationPurpose, "allocation_purpose")
    )
    needed_by: Mapped[dt.date]
    state: Mapped[RequestState] = mapped_column(
        enum_column(RequestState, "request_state"), default=RequestState.REQUESTED
    )
    requested_by: Mapped[str] = mapped_column(String(64))
    requested_on: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(Text)
    approver: Mapped[str | None] = mapped_column(String(64))
    decided_on: Mapped[dt.date | None]
    refusal_reason: Mapped[str | None] = mapped_column(Text)
    dispatch_note_no: Mapped[str | None] = mapped_column(String(40))
    dispatched_on: Mapped[dt.date | None]
    dispatched_by: Mapped[str | None] = mapped_column(String(64))
    transfer_ref: Mapped[str | None] = mapped_column(String(40))
    received_on: Mapped[dt.date | None]
    received_by: Mapped[str | None] = mapped_column(String(64))
    receipt_note: Mapped[str | None] = mapped_column(Text)
    cancelled_on: Mapped[dt.date | None]
    returns_request_id: Mapped[int | None] = mapped_column(
        ForeignKey("allocation_request.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(server_default=func.current_timestamp())
    updated_at: Mapped[dt.datetime] = mapped_column(
        server_default=func.current_timestamp(), onupdate=func.current_timestamp()
    )
    row_version: Mapped[int] = mapped_column(default=1)

    requester: Mapped[Holder] = relationship(foreign_keys=[requester_holder_id])
    holder: Mapped[Holder] = relationship(foreign_keys=[holder_id])
    lines: Mapped[list[AllocationLine]] = relationship(
        back_populates="request", order_by="AllocationLine.id", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": row_version}
    __table_args__ = (
        CheckConstraint("requester_holder_id <> holder_id", name="two_holders"),
        Index("ix_allocation_request_state", "state"),
    )


class AllocationLine(Base):
    """One material of a request: asked, approved, dispatched and received quantities."""

    __tablename__ = "allocation_line"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("allocation_request.id", ondelete="CASCADE"), index=True
    )
    material_id: Mapped[int] = mapped_column(ForeignKey("material.id", ondelete="RESTRICT"))
    requested_qty: Mapped[Decimal] = mapped_column(Quantity)
    approved_qty: Mapped[Decimal | None] = mapped_column(Quantity)
    dispatched_qty: Mapped[Decimal | None] = mapped_column(Quantity)
    received_qty: Mapped[Decimal | None] = mapped_column(Quantity)
    #: the ledger's transfer reference of this line's dispatch (one material per transfer)
    transfer_ref: Mapped[str | None] = mapped_column(String(40))

    request: Mapped[AllocationRequest] = relationship(back_populates="lines")
    material: Mapped[Material] = relationship()
    reservations: Mapped[list[Reservation]] = relationship(
        back_populates="line", order_by="Reservation.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        CheckConstraint("requested_qty > 0", name="requested_positive"),
        CheckConstraint("approved_qty IS NULL OR approved_qty >= 0", name="approved_nonneg"),
        CheckConstraint("dispatched_qty IS NULL OR dispatched_qty >= 0", name="dispatched_nonneg"),
        CheckConstraint("received_qty IS NULL OR received_qty >= 0", name="received_nonneg"),
    )


class Reservation(Base):
    """Quantity of a lot held for a request line from approval until dispatch or cancel."""

    __tablename__ = "reservation"

    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("allocation_line.id", ondelete="CASCADE"), index=True
    )
    lot_id: Mapped[int] = mapped_column(ForeignKey("lot.id", ondelete="RESTRICT"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    active: Mapped[bool] = mapped_column(default=True)

    line: Mapped[AllocationLine] = relationship(back_populates="reservations")
    lot: Mapped[Lot] = relationship()

    __table_args__ = (CheckConstraint("quantity > 0", name="reserved_positive"),)
