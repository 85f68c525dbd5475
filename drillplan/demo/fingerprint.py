"""Row counts and a stable fingerprint of the domain tables (proves the demo is deterministic)."""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from drillplan.db.models import Base

#: Tables a demo reset keeps: configuration and accounts, not domain data.
KEPT_TABLES = frozenset({"setting", "holiday", "app_user"} | {"shift_kind"})  # + duty pattern
#: Tables whose rows do not make a database "non-empty" for the demo loader.
IGNORED_FOR_EMPTINESS = frozenset({"audit_log"})
#: Tables the fingerprint leaves out: the audit log is history, not data (a reset keeps it).
NOT_FINGERPRINTED = frozenset({"audit_log"})
#: Columns left out of the fingerprint: server-side timestamps and the audit log's own ids.
UNSTABLE_COLUMNS = frozenset(
    {
        ("audit_log", "id"),
        ("audit_log", "at"),
        ("movement", "recorded_at"),
        ("allocation_request", "created_at"),
        ("allocation_request", "updated_at"),
    }
)


def domain_tables() -> list[Table]:
    """Every domain table in foreign-key order (parents first)."""
    return [t for t in Base.metadata.sorted_tables if t.name not in KEPT_TABLES]


def demo_counts(session: Session) -> dict[str, int]:
    """Row count of every domain table, keyed by table name (sorted)."""
    counts = {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in domain_tables()
    }
    return dict(sorted(counts.items()))


def _canonical(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return format(Decimal(repr(value)).normalize(), "f")
    raise TypeError(f"cannot fingerprint {type(value).__name__}")


def fingerprint(session: Session) -> str:
    """SHA-256 over every row of every domain table, ordered by primary key.

    Server-set timestamps (``audit_log.at``, ``movement.recorded_at``) and audit log ids are
    left out, so loading the same data twice gives the same fingerprint on any backend; so
    is the audit log (:data:`NOT_FINGERPRINTED`).
    """
    digest = hashlib.sha256()
    for table in sorted(domain_tables(), key=lambda t: t.name):
        if table.name in NOT_FINGERPRINTED:
            continue
        columns = [c for c in table.columns if (table.name, c.name) not in UNSTABLE_COLUMNS]
        digest.update(f"#{table.name}:{','.join(c.name for c in columns)}\n".encode())
        stmt = select(*columns).order_by(*table.primary_key.columns)
        for row in session.execute(stmt):
            line = json.dumps(
                list(row),
                default=_canonical,
                ensure_ascii=False,
                sort_keys=True,
                separators=(",", ":"),
            )
            digest.update(line.encode("utf-8"))
            digest.update(b"\n")
    return digest.hexdigest()
