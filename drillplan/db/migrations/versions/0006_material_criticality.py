"""material criticality (关键/重要/一般)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01

Readiness combines a depot's quota lines by a weight per material instead of summing
quantities of different units; the weight comes from the material's criticality. Existing
materials get the default of their GB/T 38565-2020 class (the rule of
``drillplan.stock.catalogue.default_criticality``): 2xxxxxx 应急装备及配套物资 关键,
1xxxxxx 基本生活保障物资 重要, everything else and the x99xxxx catch-alls 一般.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("material", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "criticality",
                sa.Enum(
                    "critical",
                    "important",
                    "general",
                    name="material_criticality",
                    native_enum=False,
                    create_constraint=True,
                    length=24,
                ),
                nullable=False,
                server_default="general",
            )
        )
    op.execute(
        "UPDATE material SET criticality = CASE"
        " WHEN substr(code, 2, 2) = '99' THEN 'general'"
        " WHEN substr(code, 1, 1) = '2' THEN 'critical'"
        " WHEN substr(code, 1, 1) = '1' THEN 'important'"
        " ELSE 'general' END"
    )


def downgrade() -> None:
    with op.batch_alter_table("material", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_material_material_criticality"), type_="check")
        batch_op.drop_column("criticality")
