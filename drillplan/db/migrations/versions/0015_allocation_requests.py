"""allocation requests (调拨申请): requests, their lines and the lot reservations of approvals

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-03

Self-contained: three new tables, nothing else changed. ``down_revision`` is 0014 on this
branch only because the branch already holds 0014 (also from 0009); the lead re-chains.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | Sequence[str] | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "allocation_request",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("requester_holder_id", sa.Integer(), nullable=False),
        sa.Column("holder_id", sa.Integer(), nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "drill",
                "response",
                "rotation",
                "replenishment",
                name="allocation_purpose",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("needed_by", sa.Date(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "requested",
                "approved",
                "partly_approved",
                "refused",
                "dispatched",
                "received",
                "cancelled",
                name="request_state",
                native_enum=False,
                create_constraint=True,
                length=24,
            ),
            nullable=False,
        ),
        sa.Column("requested_by", sa.String(length=64), nullable=False),
        sa.Column("requested_on", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("approver", sa.String(length=64), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("refusal_reason", sa.Text(), nullable=True),
        sa.Column("dispatch_note_no", sa.String(length=40), nullable=True),
        sa.Column("dispatched_on", sa.Date(), nullable=True),
        sa.Column("dispatched_by", sa.String(length=64), nullable=True),
        sa.Column("transfer_ref", sa.String(length=40), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=True),
        sa.Column("received_by", sa.String(length=64), nullable=True),
        sa.Column("receipt_note", sa.Text(), nullable=True),
        sa.Column("cancelled_on", sa.Date(), nullable=True),
        sa.Column("returns_request_id", sa.Integer(), nullable=True),
        sa.Column(
            "created_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False
        ),
        sa.Column(
            "updated_at", sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False
        ),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "requester_holder_id <> holder_id", name=op.f("ck_allocation_request_two_holders")
        ),
        sa.ForeignKeyConstraint(
            ["holder_id"],
            ["holder.id"],
            name=op.f("fk_allocation_request_holder_id_holder"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["requester_holder_id"],
            ["holder.id"],
            name=op.f("fk_allocation_request_requester_holder_id_holder"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["returns_request_id"],
            ["allocation_request.id"],
            name=op.f("fk_allocation_request_returns_request_id_allocation_request"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_request")),
        sa.UniqueConstraint("number", name=op.f("uq_allocation_request_number")),
    )
    with op.batch_alter_table("allocation_request", schema=None) as batch_op:
        batch_op.create_index("ix_allocation_request_state", ["state"], unique=False)

    op.create_table(
        "allocation_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("requested_qty", sa.Numeric(precision=16, scale=3), nullable=False),
        sa.Column("approved_qty", sa.Numeric(precision=16, scale=3), nullable=True),
        sa.Column("dispatched_qty", sa.Numeric(precision=16, scale=3), nullable=True),
        sa.Column("received_qty", sa.Numeric(precision=16, scale=3), nullable=True),
        sa.Column("transfer_ref", sa.String(length=40), nullable=True),
        sa.CheckConstraint(
            "approved_qty IS NULL OR approved_qty >= 0",
            name=op.f("ck_allocation_line_approved_nonneg"),
        ),
        sa.CheckConstraint(
            "dispatched_qty IS NULL OR dispatched_qty >= 0",
            name=op.f("ck_allocation_line_dispatched_nonneg"),
        ),
        sa.CheckConstraint(
            "received_qty IS NULL OR received_qty >= 0",
            name=op.f("ck_allocation_line_received_nonneg"),
        ),
        sa.CheckConstraint("requested_qty > 0", name=op.f("ck_allocation_line_requested_positive")),
        sa.ForeignKeyConstraint(
            ["material_id"],
            ["material.id"],
            name=op.f("fk_allocation_line_material_id_material"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["allocation_request.id"],
            name=op.f("fk_allocation_line_request_id_allocation_request"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_allocation_line")),
    )
    with op.batch_alter_table("allocation_line", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_allocation_line_request_id"), ["request_id"], unique=False
        )

    op.create_table(
        "reservation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("line_id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(precision=16, scale=3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.CheckConstraint("quantity > 0", name=op.f("ck_reservation_reserved_positive")),
        sa.ForeignKeyConstraint(
            ["line_id"],
            ["allocation_line.id"],
            name=op.f("fk_reservation_line_id_allocation_line"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["lot_id"], ["lot.id"], name=op.f("fk_reservation_lot_id_lot"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reservation")),
    )
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reservation_line_id"), ["line_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_reservation_lot_id"), ["lot_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reservation", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_reservation_lot_id"))
        batch_op.drop_index(batch_op.f("ix_reservation_line_id"))

    op.drop_table("reservation")
    with op.batch_alter_table("allocation_line", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_allocation_line_request_id"))

    op.drop_table("allocation_line")
    with op.batch_alter_table("allocation_request", schema=None) as batch_op:
        batch_op.drop_index("ix_allocation_request_state")

    op.drop_table("allocation_request")
