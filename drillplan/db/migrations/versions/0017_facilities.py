"""shelters and dual-use facilities: facility classes, facilities, inspections; unit population

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03

Three new tables (``facility_class``, ``facility``, ``facility_inspection``) and a nullable
``population`` column on ``unit`` (people; the shelter capacity audit per street-town). The
classification is data: the starter classes are written by ``drillplan.facilities.classes``
(``ensure_starter_classes``) on first use, not here.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=24)


KINDS = ("shelter", "shelter_point", "dual_use")
STAYS = ("immediate", "short_term", "long_term")
USES = ("sheltering", "medical", "materials", "quarantine", "command")
STATUSES = ("in_service", "limited", "out_of_service", "building")
RESULTS = ("passed", "defects", "failed")


def upgrade() -> None:
    op.create_table(
        "facility_class",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("kind", _enum("facility_class_kind", *KINDS), nullable=False),
        sa.Column("level", sa.String(20), nullable=True),
        sa.Column("stay_type", _enum("facility_class_stay", *STAYS), nullable=True),
        sa.Column("min_capacity", sa.Integer(), nullable=True),
        sa.Column("max_capacity", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "min_capacity IS NULL OR min_capacity >= 0",
            name=op.f("ck_facility_class_min_capacity_nonneg"),
        ),
        sa.CheckConstraint(
            "max_capacity IS NULL OR min_capacity IS NULL OR max_capacity >= min_capacity",
            name=op.f("ck_facility_class_capacity_range"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_class")),
        sa.UniqueConstraint("code", name=op.f("uq_facility_class_code")),
    )
    op.create_table(
        "facility",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("name", sa.String(120), nullable=False),
        sa.Column("class_id", sa.Integer(), nullable=False),
        sa.Column("address", sa.String(200), nullable=True),
        sa.Column("street_unit_id", sa.Integer(), nullable=False),
        sa.Column("unit_in_charge_id", sa.Integer(), nullable=False),
        sa.Column("capacity_people", sa.Integer(), nullable=False),
        sa.Column("area_m2", sa.Numeric(12, 1), nullable=True),
        sa.Column("normal_use", sa.String(60), nullable=True),
        sa.Column("emergency_use", _enum("facility_emergency_use", *USES), nullable=False),
        sa.Column("conversion_hours", sa.Integer(), nullable=True),
        sa.Column("amenities", sa.JSON(), nullable=False),
        sa.Column("contact", sa.String(60), nullable=True),
        sa.Column("phone", sa.String(20), nullable=True),
        sa.Column("last_inspected_on", sa.Date(), nullable=True),
        sa.Column("inspection_days", sa.Integer(), nullable=True),
        sa.Column("status", _enum("facility_status", *STATUSES), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "capacity_people >= 0", name=op.f("ck_facility_capacity_people_nonneg")
        ),
        sa.CheckConstraint("area_m2 IS NULL OR area_m2 >= 0", name=op.f("ck_facility_area_nonneg")),
        sa.CheckConstraint(
            "conversion_hours IS NULL OR conversion_hours >= 0",
            name=op.f("ck_facility_conversion_nonneg"),
        ),
        sa.CheckConstraint(
            "inspection_days IS NULL OR inspection_days > 0",
            name=op.f("ck_facility_inspection_days_positive"),
        ),
        sa.ForeignKeyConstraint(
            ["class_id"], ["facility_class.id"], name=op.f("fk_facility_class_id_facility_class")
        ),
        sa.ForeignKeyConstraint(
            ["street_unit_id"], ["unit.id"], name=op.f("fk_facility_street_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["unit_in_charge_id"], ["unit.id"], name=op.f("fk_facility_unit_in_charge_id_unit")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility")),
        sa.UniqueConstraint("code", name=op.f("uq_facility_code")),
    )
    op.create_index(op.f("ix_facility_class_id"), "facility", ["class_id"])
    op.create_index(op.f("ix_facility_street_unit_id"), "facility", ["street_unit_id"])
    op.create_index(op.f("ix_facility_unit_in_charge_id"), "facility", ["unit_in_charge_id"])
    op.create_table(
        "facility_inspection",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("facility_id", sa.Integer(), nullable=False),
        sa.Column("inspected_on", sa.Date(), nullable=False),
        sa.Column("inspector", sa.String(60), nullable=False),
        sa.Column("result", _enum("facility_inspection_result", *RESULTS), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["facility_id"],
            ["facility.id"],
            name=op.f("fk_facility_inspection_facility_id_facility"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_facility_inspection")),
    )
    op.create_index(
        op.f("ix_facility_inspection_facility_id"), "facility_inspection", ["facility_id"]
    )
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.add_column(sa.Column("population", sa.Integer(), nullable=True))
        batch_op.create_check_constraint(
            "population_nonneg", "population IS NULL OR population >= 0"
        )


def downgrade() -> None:
    with op.batch_alter_table("unit", schema=None) as batch_op:
        batch_op.drop_constraint("population_nonneg", type_="check")
        batch_op.drop_column("population")
    op.drop_index(op.f("ix_facility_inspection_facility_id"), table_name="facility_inspection")
    op.drop_table("facility_inspection")
    op.drop_index(op.f("ix_facility_unit_in_charge_id"), table_name="facility")
    op.drop_index(op.f("ix_facility_street_unit_id"), table_name="facility")
    op.drop_index(op.f("ix_facility_class_id"), table_name="facility")
    op.drop_table("facility")
    op.drop_table("facility_class")
