"""contacts (通讯录) and the duty roster (值班表)

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-03

New tables only: ``contact`` (a person of exactly one unit, depot or team, or of an agreement
supplier named as text), ``shift_kind`` (the office's shift pattern, seeded with 白班
08:30-17:30, 夜班 17:30-次日08:30 and 全天 08:30-次日08:30; the office edits it),
``duty_shift`` (one shift of one day with its leader) and ``duty_officer`` (the officers of a
shift, each a contact or a typed name).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

ONE_OWNER = (
    "(CASE WHEN unit_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN depot_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN team_id IS NULL THEN 0 ELSE 1 END)"
    " + (CASE WHEN supplier IS NULL THEN 0 ELSE 1 END) = 1"
)
DEFAULT_SHIFT_KINDS = [
    {"code": "day", "name": "白班", "starts": "08:30", "ends": "17:30", "sort_order": 1},
    {"code": "night", "name": "夜班", "starts": "17:30", "ends": "08:30", "sort_order": 2},
    {"code": "full", "name": "全天", "starts": "08:30", "ends": "08:30", "sort_order": 3},
]


def upgrade() -> None:
    op.create_table(
        "contact",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.Column("role", sa.String(length=60), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=True),
        sa.Column("depot_id", sa.Integer(), nullable=True),
        sa.Column("team_id", sa.Integer(), nullable=True),
        sa.Column("supplier", sa.String(length=120), nullable=True),
        sa.Column("scope_unit_id", sa.Integer(), nullable=True),
        sa.Column("mobile", sa.String(length=20), nullable=True),
        sa.Column("office_phone", sa.String(length=20), nullable=True),
        sa.Column("email", sa.String(length=120), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint(ONE_OWNER, name=op.f("ck_contact_one_owner")),
        sa.ForeignKeyConstraint(["depot_id"], ["depot.id"], name=op.f("fk_contact_depot_id_depot")),
        sa.ForeignKeyConstraint(
            ["scope_unit_id"], ["unit.id"], name=op.f("fk_contact_scope_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(["team_id"], ["team.id"], name=op.f("fk_contact_team_id_team")),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_contact_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contact")),
    )
    for column in ("name", "unit_id", "depot_id", "team_id", "scope_unit_id"):
        op.create_index(op.f(f"ix_contact_{column}"), "contact", [column], unique=False)

    shift_kind = op.create_table(
        "shift_kind",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("name", sa.String(length=20), nullable=False),
        sa.Column("starts", sa.String(length=5), nullable=False),
        sa.Column("ends", sa.String(length=5), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shift_kind")),
        sa.UniqueConstraint("code", name=op.f("uq_shift_kind_code")),
        sa.UniqueConstraint("name", name=op.f("uq_shift_kind_name")),
    )
    op.bulk_insert(
        shift_kind, [{**row, "active": True, "row_version": 1} for row in DEFAULT_SHIFT_KINDS]
    )

    op.create_table(
        "duty_shift",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("shift_kind_id", sa.Integer(), nullable=False),
        sa.Column("leader_contact_id", sa.Integer(), nullable=True),
        sa.Column("leader_name", sa.String(length=60), nullable=True),
        sa.Column("phone", sa.String(length=20), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "leader_contact_id IS NULL OR leader_name IS NOT NULL",
            name=op.f("ck_duty_shift_leader_named"),
        ),
        sa.ForeignKeyConstraint(
            ["leader_contact_id"], ["contact.id"],
            name=op.f("fk_duty_shift_leader_contact_id_contact"),
        ),
        sa.ForeignKeyConstraint(
            ["shift_kind_id"], ["shift_kind.id"], name=op.f("fk_duty_shift_shift_kind_id_shift_kind")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_shift")),
        sa.UniqueConstraint("day", "shift_kind_id", name=op.f("uq_duty_shift_day_shift_kind_id")),
    )  # fmt: skip
    for column in ("day", "shift_kind_id", "leader_contact_id"):
        op.create_index(op.f(f"ix_duty_shift_{column}"), "duty_shift", [column], unique=False)

    op.create_table(
        "duty_officer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("shift_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("contact_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contact.id"], name=op.f("fk_duty_officer_contact_id_contact")
        ),
        sa.ForeignKeyConstraint(
            ["shift_id"], ["duty_shift.id"], name=op.f("fk_duty_officer_shift_id_duty_shift"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_duty_officer")),
    )  # fmt: skip
    for column in ("shift_id", "contact_id"):
        op.create_index(op.f(f"ix_duty_officer_{column}"), "duty_officer", [column], unique=False)


def downgrade() -> None:
    for column in ("shift_id", "contact_id"):
        op.drop_index(op.f(f"ix_duty_officer_{column}"), table_name="duty_officer")
    op.drop_table("duty_officer")
    for column in ("day", "shift_kind_id", "leader_contact_id"):
        op.drop_index(op.f(f"ix_duty_shift_{column}"), table_name="duty_shift")
    op.drop_table("duty_shift")
    op.drop_table("shift_kind")
    for column in ("name", "unit_id", "depot_id", "team_id", "scope_unit_id"):
        op.drop_index(op.f(f"ix_contact_{column}"), table_name="contact")
    op.drop_table("contact")
