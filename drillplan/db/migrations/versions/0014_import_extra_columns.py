"""the office's own columns of an imported sheet, kept and exported again

Revision ID: 0014
Revises: 0009
Create Date: 2026-12-03

``import_extra``: one row per cell of a column the register does not know (备注, 责任人 ...),
keyed by the register, the row's natural key and the column's header
(:mod:`drillplan.interchange.extras`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "import_extra",
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("row_key", sa.String(400), nullable=False),
        sa.Column("header", sa.String(100), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "row_key", "header", name=op.f("pk_import_extra")),
    )


def downgrade() -> None:
    op.drop_table("import_extra")
