"""Loading the demo data set into a database: emptiness check, reset, build and bulk insert."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Table, select, text, update
from sqlalchemy.orm import Session

from drillplan.audit.chain import seal_rows
from drillplan.db import append_only
from drillplan.db.models import Base, User
from drillplan.demo.capacity import build_capacity_reserves
from drillplan.demo.context import Ctx
from drillplan.demo.drills import build_competition, build_drills
from drillplan.demo.duty import build_contacts_duty
from drillplan.demo.facilities import build_facilities
from drillplan.demo.fingerprint import IGNORED_FOR_EMPTINESS, domain_tables
from drillplan.demo.hazards import build_hazards
from drillplan.demo.org import build_teams, build_units
from drillplan.demo.plans import build_plans
from drillplan.demo.requests import build_requests
from drillplan.demo.stock import build_stock
from drillplan.demo.trainings import build_trainings, issue_training_materials
from drillplan.kernel.errors import Conflict

BATCH = 2000
#: the reset deletes every domain table but these
APPEND_ONLY_KEPT = frozenset({"audit_log"})


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`load_demo` inserted: rows per table and the date shift it applied."""

    as_of: dt.date
    anchor: dt.date
    shift_days: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def __getitem__(self, table: str) -> int:
        return self.counts.get(table, 0)


def has_domain_data(session: Session) -> bool:
    """True when any domain table (other than the audit log) holds a row."""
    for table in domain_tables():
        if table.name in IGNORED_FOR_EMPTINESS:
            continue
        if session.execute(select(1).select_from(table).limit(1)).first() is not None:
            return True
    return False


def clear_domain_data(session: Session) -> None:
    """Delete every row of every domain table, children first.

    Settings, user-entered holidays and user accounts are kept (users lose their unit,
    which no longer exists), and so is the audit log, which only ever grows (the reset is
    logged); the Alembic version table is not a model table at all. The ledger's
    append-only triggers are lifted for this one transaction (an administrator's act).
    """
    session.flush()
    session.execute(update(User).values(unit_id=None))
    with append_only.suspended(session.connection(), ("movement",)):
        for table in reversed(domain_tables()):
            if table.name not in APPEND_ONLY_KEPT:
                session.execute(table.delete())
    session.expire_all()


def load_demo(
    session: Session,
    *,
    as_of: dt.date | None = None,
    reset: bool = False,
    data_dir: Path | None = None,
) -> DemoSummary:
    """Load the demo data set, dated relative to ``as_of`` (default today).

    Raises :class:`Conflict` if the database already holds domain data, unless ``reset``
    is true, in which case that data is deleted first. The same ``as_of`` always gives
    exactly the same rows. The caller owns the transaction (nothing is committed here).
    """
    as_of = as_of or dt.date.today()
    if has_domain_data(session):
        if not reset:
            raise Conflict(
                "数据库中已有数据，加载演示数据会与之混杂；如要清空现有数据后加载，请使用“重置”"
                "（drillplan demo --reset）。"
                " The database already contains data; loading the demo data set needs a reset"
                " (drillplan demo --reset), which deletes the existing data."
            )
        clear_domain_data(session)
    elif reset:
        clear_domain_data(session)

    ctx = Ctx.create(as_of, data_dir)
    build_units(ctx)
    build_teams(ctx)
    build_stock(ctx)
    build_plans(ctx)
    build_drills(ctx)
    build_competition(ctx)
    build_requests(ctx)
    build_contacts_duty(ctx, session)
    build_facilities(ctx)
    build_trainings(ctx)
    build_capacity_reserves(ctx)
    build_hazards(ctx)
    counts = {name: len(rows) for name, rows in sorted(ctx.rows.items())}
    _insert(session, ctx)
    # training materials go through the real ledger, after the rows and before the demo's
    # own audit entry (which must stay the last one: drillplan.demo.guard)
    issued = issue_training_materials(session, ctx)
    if issued:
        counts["movement"] = counts.get("movement", 0) + issued
    entry = {
        "username": ctx.operator,
        "table_name": "*",
        "row_id": None,
        "action": "demo.load",
        "before": None,
        "after": {
            "as_of": as_of.isoformat(),
            "anchor": ctx.anchor.isoformat(),
            "shift_days": ctx.shift_days,
            "counts": dict(counts),
        },
    }
    audit = Base.metadata.tables["audit_log"]
    session.execute(audit.insert(), seal_rows(session.connection(), _complete(audit, [entry])))
    session.expire_all()
    counts["audit_log"] = 1 + (issued or 0)
    return DemoSummary(as_of, ctx.anchor, ctx.shift_days, dict(sorted(counts.items())))


def _complete(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Give every row the same keys (executemany needs them); fill scalar defaults."""
    keys = {k for row in rows for k in row}
    fill = {}
    for name in keys:
        column = table.c[name]
        default = column.default
        fill[name] = default.arg if default is not None and default.is_scalar else None
    return [{**fill, **row} if row.keys() != keys else row for row in rows]


def _insert(session: Session, ctx: Ctx) -> None:
    for table in Base.metadata.sorted_tables:
        rows = ctx.rows.get(table.name)
        if not rows:
            continue
        rows = _complete(table, rows)
        if table.name == "audit_log":
            rows = seal_rows(session.connection(), rows)
        for start in range(0, len(rows), BATCH):
            session.execute(table.insert(), rows[start : start + BATCH])
    _sync_sequences(session, ctx)
    session.expire_all()


def _sync_sequences(session: Session, ctx: Ctx) -> None:
    """PostgreSQL: move each serial id sequence past the explicit ids just inserted."""
    if session.get_bind().dialect.name != "postgresql":
        return
    for table in domain_tables():
        if table.name not in ctx.rows or "id" not in table.c:
            continue
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'),"
                f" COALESCE((SELECT MAX(id) FROM {table.name}), 1),"
                f" (SELECT MAX(id) FROM {table.name}) IS NOT NULL)"
            )
        )
