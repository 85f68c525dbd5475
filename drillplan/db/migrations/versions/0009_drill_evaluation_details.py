"""the drill evaluation's own record: evaluators, method, objectives, course, comments

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02

Nullable columns on ``drill``: the evaluation lead (评估组长) and evaluators (评估人员), the
method (评估方法), the objectives (one a line, optionally ending "：达成" / "：基本达成" /
"：未达成"), the course of the drill (演练经过), strengths (亮点), suggestions for revising the
plan (预案修订建议) and a JSON map of a written comment per indicator (the indicator scores
themselves are the JSON ``indicator_scores`` on the same row; there is no score table). Rows
evaluated before this revision keep NULL here and the printed evaluation derives its text.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS: list[tuple[str, sa.types.TypeEngine[object]]] = [
    ("evaluation_lead", sa.String(60)),
    ("evaluators", sa.Text()),
    ("evaluation_method", sa.Text()),
    ("objectives", sa.Text()),
    ("course", sa.Text()),
    ("strengths", sa.Text()),
    ("plan_suggestions", sa.Text()),
    ("indicator_comments", sa.JSON()),
]


def upgrade() -> None:
    with op.batch_alter_table("drill", schema=None) as batch_op:
        for name, type_ in COLUMNS:
            batch_op.add_column(sa.Column(name, type_, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("drill", schema=None) as batch_op:
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
