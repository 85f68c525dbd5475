"""the resource directory and capacity reserves (issue 14 items 1 and 5)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-03

- ``material.synonyms``: a JSON list of other names the material is called by (冲锋舟 /
  橡皮艇); the resource directory finds a material by them;
- ``depot.agreement_supplier`` / ``agreement_contact`` / ``agreement_phone``: for an agreement
  reserve (协议储备) the supplier holding it and whom to call;
- ``ix_lot_directory`` on ``lot (material_id, holder_id, expiry_date, on_hand)``: a covering
  index, so the directory's per-holder sums of a material read no table rows at city scale;
- ``capacity_reserve`` (产能储备): a supplier's promised quantity of a material and its lead
  time; not a lot, never counted as stock.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

DEPOT_COLUMNS: list[tuple[str, sa.types.TypeEngine[object]]] = [
    ("agreement_supplier", sa.String(120)),
    ("agreement_contact", sa.String(60)),
    ("agreement_phone", sa.String(20)),
]


def upgrade() -> None:
    op.create_index(
        "ix_lot_directory", "lot", ["material_id", "holder_id", "expiry_date", "on_hand"]
    )
    with op.batch_alter_table("material", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("synonyms", sa.JSON(), nullable=False, server_default="[]")
        )
    with op.batch_alter_table("depot", schema=None) as batch_op:
        for name, type_ in DEPOT_COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))
    op.create_table(
        "capacity_reserve",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("supplier", sa.String(length=120), nullable=False),
        sa.Column("supplier_unit_id", sa.Integer(), nullable=True),
        sa.Column("contact", sa.String(length=60), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("promised_qty", sa.Numeric(precision=16, scale=3), nullable=False),
        sa.Column("lead_time_hours", sa.Integer(), nullable=False),
        sa.Column("agreement_no", sa.String(length=40), nullable=True),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "promised_qty > 0 AND promised_qty <= 1000000000000",
            name=op.f("ck_capacity_reserve_promised_positive"),
        ),
        sa.CheckConstraint(
            "lead_time_hours >= 0", name=op.f("ck_capacity_reserve_lead_time_nonneg")
        ),
        sa.CheckConstraint(
            "valid_until IS NULL OR valid_from IS NULL OR valid_until >= valid_from",
            name=op.f("ck_capacity_reserve_valid_until_not_before_from"),
        ),
        sa.ForeignKeyConstraint(
            ["material_id"], ["material.id"], name=op.f("fk_capacity_reserve_material_id_material")
        ),
        sa.ForeignKeyConstraint(
            ["supplier_unit_id"], ["unit.id"], name=op.f("fk_capacity_reserve_supplier_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_capacity_reserve")),
        sa.UniqueConstraint("code", name=op.f("uq_capacity_reserve_code")),
    )
    with op.batch_alter_table("capacity_reserve", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_capacity_reserve_material_id"), ["material_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_capacity_reserve_supplier_unit_id"), ["supplier_unit_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_capacity_reserve_valid_until"), ["valid_until"], unique=False
        )


def downgrade() -> None:
    op.drop_table("capacity_reserve")
    op.drop_index("ix_lot_directory", table_name="lot")
    with op.batch_alter_table("depot", schema=None) as batch_op:
        for name, _ in reversed(DEPOT_COLUMNS):
            batch_op.drop_column(name)
    with op.batch_alter_table("material", schema=None) as batch_op:
        batch_op.drop_column("synonyms")
