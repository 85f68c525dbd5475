"""quantities and money within their declared range (no Inf, no 1e29)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02

Quantities are Numeric(16, 3) (|q| <= 10^12 with 3 decimals: 10^12 needed 13 integer
digits, Numeric(14, 3) held 11) and every quantity and money column gets a CHECK that its
value lies in the range :mod:`drillplan.kernel.numbers` accepts. On SQLite a value of Inf is
outside any BETWEEN and NaN is stored as NULL; on PostgreSQL NaN compares above every number.

Rows written before this revision are not judged here: on SQLite the copy of each table runs
with ``PRAGMA ignore_check_constraints`` and on PostgreSQL the constraints are added
``NOT VALID`` (new and changed rows are checked). ``drillplan check`` reports any such old
value (rule ``number.finite``), so a damaged ledger is found instead of blocking the upgrade.
On SQLite, rebuilding ``movement`` drops its append-only triggers (migration 0007): they are
installed again at once (:mod:`drillplan.db.append_only`).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from drillplan.db import append_only

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

QUANTITY_MAX = "1000000000000"
MONEY_MAX = "10000000000"

# table -> [(constraint name, condition)]
CHECKS: dict[str, list[tuple[str, str]]] = {
    "depot": [
        ("capacity_range", f"capacity_m3 IS NULL OR capacity_m3 BETWEEN 0 AND {QUANTITY_MAX}")
    ],
    "material": [
        (
            "reference_price_range",
            f"reference_price IS NULL OR reference_price BETWEEN 0 AND {MONEY_MAX}",
        )
    ],
    "quota": [("required_range", f"required_qty BETWEEN 0 AND {QUANTITY_MAX}")],
    "tier_quota": [("required_range", f"required_qty BETWEEN 0 AND {QUANTITY_MAX}")],
    "lot": [
        ("on_hand_range", f"on_hand BETWEEN 0 AND {QUANTITY_MAX}"),
        ("unit_cost_range", f"unit_cost IS NULL OR unit_cost BETWEEN 0 AND {MONEY_MAX}"),
    ],
    "movement": [
        ("quantity_range", f"quantity BETWEEN -{QUANTITY_MAX} AND {QUANTITY_MAX}"),
    ],
}
# table -> quantity columns widened from Numeric(14, 3) to Numeric(16, 3): (name, nullable)
WIDENED: dict[str, list[tuple[str, bool]]] = {
    "depot": [("capacity_m3", True)],
    "quota": [("required_qty", False)],
    "tier_quota": [("required_qty", False)],
    "lot": [("on_hand", False)],
    "movement": [("quantity", False)],
}


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def _alter(old: sa.Numeric, new: sa.Numeric, *, add: bool) -> None:
    for table in CHECKS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            for column, nullable in WIDENED.get(table, []):
                batch_op.alter_column(
                    column, existing_type=old, type_=new, existing_nullable=nullable
                )
            for name, condition in CHECKS[table]:
                if add and not _sqlite():
                    continue  # added NOT VALID below
                if add:
                    batch_op.create_check_constraint(batch_op.f(f"ck_{table}_{name}"), condition)
                else:
                    batch_op.drop_constraint(batch_op.f(f"ck_{table}_{name}"), type_="check")


def upgrade() -> None:
    conn = op.get_bind()
    if _sqlite():
        conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
        try:
            _alter(sa.Numeric(14, 3), sa.Numeric(16, 3), add=True)
        finally:
            conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
        append_only.install(conn, ["movement"])
        return
    _alter(sa.Numeric(14, 3), sa.Numeric(16, 3), add=True)
    for table, checks in CHECKS.items():
        for name, condition in checks:
            op.execute(
                f'ALTER TABLE "{table}" ADD CONSTRAINT "ck_{table}_{name}"'
                f" CHECK ({condition}) NOT VALID"
            )


def downgrade() -> None:
    _alter(sa.Numeric(16, 3), sa.Numeric(14, 3), add=False)
    if _sqlite():
        append_only.install(op.get_bind(), ["movement"])
