"""the warning-level response matrix: hazards, plan activation levels, standby teams and
pre-positioned materials (issue 15 item 2)

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-03

Four new tables: ``hazard`` (a hazard and its allowed warning levels, a JSON list of
``blue``/``yellow``/``orange``/``red``), ``hazard_plan`` (a plan activated from a minimum level
up), ``hazard_team_line`` (a team standing by from a level up, with a minimum headcount) and
``hazard_material_line`` (a material to pre-position from a level up: at a depot, at a unit's
holders, or anywhere in the district). The starter hazards are written by
``drillplan.hazards.matrix.ensure_starter_hazards`` on first use, not here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LEVELS = "IN ('blue', 'yellow', 'orange', 'red')"


def upgrade() -> None:
    op.create_table(
        "hazard",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("name_en", sa.String(60), nullable=False),
        sa.Column("aliases", sa.JSON(), nullable=False),
        sa.Column("levels", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard")),
        sa.UniqueConstraint("code", name=op.f("uq_hazard_code")),
        sa.UniqueConstraint("name", name=op.f("uq_hazard_name")),
    )
    op.create_table(
        "hazard_plan",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("min_level", sa.String(8), nullable=False),
        sa.CheckConstraint(f"min_level {LEVELS}", name=op.f("ck_hazard_plan_min_level")),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazard.id"], name=op.f("fk_hazard_plan_hazard_id_hazard"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plan.id"], name=op.f("fk_hazard_plan_plan_id_plan"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_plan")),
        sa.UniqueConstraint("hazard_id", "plan_id", name=op.f("uq_hazard_plan_hazard_id_plan_id")),
    )  # fmt: skip
    op.create_index(op.f("ix_hazard_plan_hazard_id"), "hazard_plan", ["hazard_id"])
    op.create_index(op.f("ix_hazard_plan_plan_id"), "hazard_plan", ["plan_id"])
    op.create_table(
        "hazard_team_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("team_id", sa.Integer(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(f"level {LEVELS}", name=op.f("ck_hazard_team_line_level")),
        sa.CheckConstraint(
            "headcount > 0", name=op.f("ck_hazard_team_line_headcount_positive")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazard.id"], name=op.f("fk_hazard_team_line_hazard_id_hazard"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["team.id"], name=op.f("fk_hazard_team_line_team_id_team"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_team_line")),
        sa.UniqueConstraint(
            "hazard_id", "level", "team_id", name=op.f("uq_hazard_team_line_hazard_id_level_team_id")
        ),
    )  # fmt: skip
    op.create_index(op.f("ix_hazard_team_line_hazard_id"), "hazard_team_line", ["hazard_id"])
    op.create_index(op.f("ix_hazard_team_line_team_id"), "hazard_team_line", ["team_id"])
    op.create_table(
        "hazard_material_line",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hazard_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(8), nullable=False),
        sa.Column("material_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Numeric(16, 3), nullable=False),
        sa.Column("depot_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.CheckConstraint(f"level {LEVELS}", name=op.f("ck_hazard_material_line_level")),
        sa.CheckConstraint(
            "quantity > 0 AND quantity <= 1000000000000",
            name=op.f("ck_hazard_material_line_quantity_positive"),
        ),
        sa.CheckConstraint(
            "depot_id IS NULL OR unit_id IS NULL", name=op.f("ck_hazard_material_line_one_place")
        ),
        sa.ForeignKeyConstraint(
            ["hazard_id"], ["hazard.id"], name=op.f("fk_hazard_material_line_hazard_id_hazard"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["material_id"], ["material.id"],
            name=op.f("fk_hazard_material_line_material_id_material"),
        ),
        sa.ForeignKeyConstraint(
            ["depot_id"], ["depot.id"], name=op.f("fk_hazard_material_line_depot_id_depot"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["unit.id"], name=op.f("fk_hazard_material_line_unit_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hazard_material_line")),
    )  # fmt: skip
    for column in ("hazard_id", "material_id", "depot_id", "unit_id"):
        op.create_index(
            op.f(f"ix_hazard_material_line_{column}"), "hazard_material_line", [column]
        )


def downgrade() -> None:
    for column in ("hazard_id", "material_id", "depot_id", "unit_id"):
        op.drop_index(op.f(f"ix_hazard_material_line_{column}"), table_name="hazard_material_line")
    op.drop_table("hazard_material_line")
    op.drop_index(op.f("ix_hazard_team_line_team_id"), table_name="hazard_team_line")
    op.drop_index(op.f("ix_hazard_team_line_hazard_id"), table_name="hazard_team_line")
    op.drop_table("hazard_team_line")
    op.drop_index(op.f("ix_hazard_plan_plan_id"), table_name="hazard_plan")
    op.drop_index(op.f("ix_hazard_plan_hazard_id"), table_name="hazard_plan")
    op.drop_table("hazard_plan")
    op.drop_table("hazard")
