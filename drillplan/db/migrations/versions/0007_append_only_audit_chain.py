"""append-only ledger and audit log; hash-chained audit log; movement operator note

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02

- ``audit_log`` gets its hash chain (``seq``, ``prev_hash``, ``entry_hash``;
  :mod:`drillplan.audit.chain`): the existing entries are sealed in id order.
- ``movement.operator_note``: a name typed beside the logged-in user, never instead of it.
- Triggers refuse UPDATE and DELETE of movements and audit entries on SQLite and
  PostgreSQL (:mod:`drillplan.db.append_only`). They are created last, after the backfill.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from drillplan.kernel.hashchain import GENESIS, digest
from drillplan.db import append_only

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_audit = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", sa.DateTime),
    sa.column("username", sa.String),
    sa.column("table_name", sa.String),
    sa.column("row_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("before", sa.JSON),
    sa.column("after", sa.JSON),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("entry_hash", sa.String),
)


def _seal_existing(conn: sa.Connection) -> None:
    rows = conn.execute(
        sa.select(
            _audit.c.id,
            _audit.c.at,
            _audit.c.username,
            _audit.c.table_name,
            _audit.c.row_id,
            _audit.c.action,
            _audit.c.before,
            _audit.c.after,
        ).order_by(_audit.c.id)
    ).all()
    prev, batch = GENESIS, []
    update = (
        _audit.update()
        .where(_audit.c.id == sa.bindparam("k_id"))
        .values(
            seq=sa.bindparam("v_seq"),
            prev_hash=sa.bindparam("v_prev"),
            entry_hash=sa.bindparam("v_hash"),
        )
    )
    for seq, row in enumerate(rows, start=1):
        value = digest(
            seq=seq,
            prev_hash=prev,
            at=row.at,
            username=row.username or "",
            table_name=row.table_name or "",
            row_id=row.row_id,
            action=row.action or "",
            before=row.before,
            after=row.after,
        )
        batch.append({"k_id": row.id, "v_seq": seq, "v_prev": prev, "v_hash": value})
        prev = value
        if len(batch) >= 2000:
            conn.execute(update, batch)
            batch = []
    if batch:
        conn.execute(update, batch)


def upgrade() -> None:
    conn = op.get_bind()
    with op.batch_alter_table("movement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("operator_note", sa.String(length=60), nullable=True))
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("prev_hash", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64), nullable=True))
    _seal_existing(conn)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), server_default=None)
        batch_op.alter_column("entry_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint(batch_op.f("uq_audit_log_seq"), ["seq"])
    append_only.install(conn)


def downgrade() -> None:
    conn = op.get_bind()
    append_only.drop(conn)
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_audit_log_seq"), type_="unique")
        batch_op.drop_column("entry_hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
    with op.batch_alter_table("movement", schema=None) as batch_op:
        batch_op.drop_column("operator_note")
