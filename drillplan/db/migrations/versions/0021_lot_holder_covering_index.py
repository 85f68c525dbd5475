"""the resource directory by holder: a covering lot index (issue 14, the search box's speed)

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-03

``ix_lot_holder_material`` on ``lot (holder_id, material_id)`` becomes ``ix_lot_holder_directory``
on ``lot (holder_id, material_id, expiry_date, on_hand)``: a capability search (水上救援) sums the
lots of hundreds of teams by holder, and the holdings of the holders shown are read per holder;
with the quantity and expiry in the index neither reads a table row. The old index is a prefix
of the new one, so every query that used it can use the new one.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_lot_holder_directory", "lot", ["holder_id", "material_id", "expiry_date", "on_hand"]
    )
    op.drop_index("ix_lot_holder_material", table_name="lot")


def downgrade() -> None:
    op.create_index("ix_lot_holder_material", "lot", ["holder_id", "material_id"])
    op.drop_index("ix_lot_holder_directory", table_name="lot")
