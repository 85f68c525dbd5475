"""training and public education events (培训与宣教)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-03

``training_event`` (code, title, kind, start and end, street-town and organiser unit, venue,
audience, headcount, topics, notes, row_version) with its links to plans
(``training_plan``) and teams (``training_team``). A training is never a drill: nothing here
touches ``drill`` or ``drill_plan``. Materials used are ordinary ledger issues whose document
number is the event's code, so no stock table changes.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | Sequence[str] | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KINDS = ("training", "publicity", "lecture", "community", "school", "workplace")


def upgrade() -> None:
    op.create_table(
        "training_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(32), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                *KINDS, name="training_kind", native_enum=False, create_constraint=True, length=24
            ),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(), nullable=False),
        sa.Column("ends_at", sa.DateTime(), nullable=False),
        sa.Column("street_unit_id", sa.Integer(), nullable=True),
        sa.Column("organiser_unit_id", sa.Integer(), nullable=False),
        sa.Column("venue", sa.String(200), nullable=True),
        sa.Column("audience", sa.String(200), nullable=True),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("topics", sa.JSON(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("row_version", sa.Integer(), nullable=False),
        sa.CheckConstraint("ends_at >= starts_at", name=op.f("ck_training_event_ends_after_start")),
        sa.CheckConstraint("headcount >= 0", name=op.f("ck_training_event_headcount_nonneg")),
        sa.ForeignKeyConstraint(
            ["street_unit_id"], ["unit.id"], name=op.f("fk_training_event_street_unit_id_unit")
        ),
        sa.ForeignKeyConstraint(
            ["organiser_unit_id"],
            ["unit.id"],
            name=op.f("fk_training_event_organiser_unit_id_unit"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_event")),
        sa.UniqueConstraint("code", name=op.f("uq_training_event_code")),
    )
    with op.batch_alter_table("training_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_training_event_starts_at"), ["starts_at"])
        batch_op.create_index(batch_op.f("ix_training_event_street_unit_id"), ["street_unit_id"])
        batch_op.create_index(
            batch_op.f("ix_training_event_organiser_unit_id"), ["organiser_unit_id"]
        )
    for table, column, target in (
        ("training_plan", "plan_id", "plan"),
        ("training_team", "team_id", "team"),
    ):
        op.create_table(
            table,
            sa.Column("training_id", sa.Integer(), nullable=False),
            sa.Column(column, sa.Integer(), nullable=False),
            sa.ForeignKeyConstraint(
                ["training_id"],
                ["training_event.id"],
                name=op.f(f"fk_{table}_training_id_training_event"),
                ondelete="CASCADE",
            ),
            sa.ForeignKeyConstraint(
                [column],
                [f"{target}.id"],
                name=op.f(f"fk_{table}_{column}_{target}"),
                ondelete="CASCADE",
            ),
            sa.PrimaryKeyConstraint("training_id", column, name=op.f(f"pk_{table}")),
        )
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_{column}"), [column])


def downgrade() -> None:
    for table, column in (("training_team", "team_id"), ("training_plan", "plan_id")):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_{column}"))
        op.drop_table(table)
    with op.batch_alter_table("training_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_training_event_organiser_unit_id"))
        batch_op.drop_index(batch_op.f("ix_training_event_street_unit_id"))
        batch_op.drop_index(batch_op.f("ix_training_event_starts_at"))
    op.drop_table("training_event")
