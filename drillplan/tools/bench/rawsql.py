"""The hand-written baselines the core is measured against: plain ``sqlite3``, no SQLAlchemy."""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

from drillplan.stock.expiry import SummaryRow, check_horizons

MOVEMENT_INSERT = (
    "INSERT INTO movement (lot_id, kind, quantity, moved_on, operator, reason, document_no,"
    " counterpart, transfer_ref, reverses_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


def connect(path: Path) -> sqlite3.Connection:
    """A plain connection with the constraints the application enforces (foreign keys)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=10000")
    return conn


def summary_sql(horizons: Sequence[int]) -> str:
    """The expiry audit summary as one query: lots with stock per tier and status."""
    whens = "\n".join(
        f"            WHEN l.expiry_date <= :h{i} THEN 'within_{h}'" for i, h in enumerate(horizons)
    )
    return f"""
        SELECT COALESCE(d.tier, t.tier) AS tier,
          CASE WHEN l.expiry_date < :as_of THEN 'expired'
{whens}
            ELSE 'ok' END AS status,
          COUNT(*),
          SUM(l.on_hand),
          SUM(l.on_hand * COALESCE(l.unit_cost, 0))
        FROM lot AS l
        JOIN holder AS h ON h.id = l.holder_id
        LEFT JOIN depot AS d ON d.id = h.depot_id
        LEFT JOIN team AS t ON t.id = h.team_id
        WHERE l.on_hand > 0 AND l.expiry_date IS NOT NULL
        GROUP BY 1, 2
        ORDER BY 1, 2
    """


def expiry_summary(
    conn: sqlite3.Connection, *, as_of: dt.date, horizons: Sequence[int] = (30, 90, 180)
) -> list[SummaryRow]:
    """The same figures as :func:`drillplan.stock.expiry.expiry_summary`, by hand."""
    horizons = check_horizons(horizons)
    params: dict[str, str] = {"as_of": as_of.isoformat()}
    for i, h in enumerate(horizons):
        params[f"h{i}"] = (as_of + dt.timedelta(days=h)).isoformat()
    return [
        SummaryRow(
            tier=tier,
            status=status,
            lots=int(n),
            quantity=Decimal(str(q)).quantize(Decimal("0.001")),
            value=Decimal(str(v)).quantize(Decimal("0.01")),
        )
        for tier, status, n, q, v in conn.execute(summary_sql(horizons), params).fetchall()
    ]


def same_summary(a: Sequence[SummaryRow], b: Sequence[SummaryRow]) -> bool:
    """Equal groups, counts and quantities; values within a cent.

    (``expiry_summary`` reads the value through SQLAlchemy's Numeric result processing,
    rounding the float sum to 3 decimals before it is rounded to cents: one rounding more
    than the raw query, which can move a sum by 0.01.)
    """
    return len(a) == len(b) and all(
        (x.tier, x.status, x.lots, x.quantity) == (y.tier, y.status, y.lots, y.quantity)
        and abs(x.value - y.value) <= Decimal("0.01")
        for x, y in zip(a, b, strict=True)
    )


def insert_movements(conn: sqlite3.Connection, rows: Sequence[tuple[object, ...]]) -> None:
    """executemany of ready-made movement tuples (in the caller's transaction)."""
    conn.executemany(MOVEMENT_INSERT, rows)
