"""The audit log's hash chain: each entry carries the hash of the one before it.

Every entry gets a position ``seq`` (1, 2, 3 ... in the order entries were written), the
``prev_hash`` of the entry before it ("" for the first) and its own ``entry_hash``, the
SHA-256 of its position, the previous hash and its content (:func:`digest`). Changing,
removing or inserting an entry anywhere breaks every later link, which :func:`verify`
(part of ``drillplan check``) finds. The chain is a tamper *seal*, not a secret: someone
who may rewrite the database could recompute it, which is why the database also refuses
UPDATE and DELETE of entries (:mod:`drillplan.db.append_only`) and, in shared mode, the
clients' database role cannot change the table at all.

Writers: ORM entries are sealed as they are inserted (a ``before_insert`` listener);
bulk writers that insert rows with Core call :func:`seal_rows`. On PostgreSQL a
transaction-scoped advisory lock makes the writers of the chain take turns; on SQLite the
database's single writer does (a transaction that read a stale head cannot write in WAL
mode).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, event, select, text
from sqlalchemy.orm import Mapper, Session, object_session

from drillplan.db.models import AuditLog
from drillplan.kernel.hashchain import GENESIS, digest

#: key of PostgreSQL's transaction-scoped advisory lock that serialises chain writers
ADVISORY_LOCK_KEY = 0x64726C6C  # "drll"
_HEAD = "drillplan.audit.chain.head"  # session.info: (seq, hash) during one flush


def utc_now() -> dt.datetime:
    """An entry's time: naive UTC, with microseconds (both backends keep them)."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _lock(connection: Connection) -> None:
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK_KEY})


def read_head(connection: Connection) -> tuple[int, str]:
    """The last entry's position and hash, (0, "") for an empty log (takes the chain lock)."""
    _lock(connection)
    row = connection.execute(
        select(AuditLog.seq, AuditLog.entry_hash).order_by(AuditLog.seq.desc()).limit(1)
    ).first()
    if row is None or row[0] is None:
        return 0, GENESIS
    return int(row[0]), str(row[1] or GENESIS)


def _content(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "at": values.get("at"),
        "username": values.get("username") or "",
        "table_name": values.get("table_name") or "",
        "row_id": values.get("row_id"),
        "action": values.get("action") or "",
        "before": values.get("before"),
        "after": values.get("after"),
    }


def seal_rows(connection: Connection, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Rows for a Core ``INSERT`` into audit_log, each given its time (if missing), position
    and hashes after the current head. Insert them in the same transaction, in this order."""
    seq, prev = read_head(connection)
    sealed: list[dict[str, Any]] = []
    for row in rows:
        values = dict(row)
        values["at"] = values.get("at") or utc_now()
        seq += 1
        values["seq"], values["prev_hash"] = seq, prev
        values["entry_hash"] = prev = digest(
            seq=seq, prev_hash=values["prev_hash"], **_content(values)
        )
        sealed.append(values)
    return sealed


def _seal_entry(_mapper: Mapper[Any], connection: Connection, entry: AuditLog) -> None:
    if entry.entry_hash:
        return  # a copied entry keeps its seal (and is verified like any other)
    session = object_session(entry)
    head = session.info.get(_HEAD) if session is not None else None
    if head is None:
        head = read_head(connection)
    seq, prev = head
    if entry.at is None:
        entry.at = utc_now()
    entry.seq, entry.prev_hash = seq + 1, prev
    entry.entry_hash = digest(
        seq=entry.seq,
        prev_hash=prev,
        at=entry.at,
        username=entry.username,
        table_name=entry.table_name,
        row_id=entry.row_id,
        action=entry.action,
        before=entry.before,
        after=entry.after,
    )
    if session is not None:
        session.info[_HEAD] = (entry.seq, entry.entry_hash)


def _forget_head(session: Session, *_args: object) -> None:
    session.info.pop(_HEAD, None)


# ----------------------------------------------------------------------------- verification


@dataclass(frozen=True)
class Break:
    """Where the chain does not hold: the entry (id, position) and what is wrong."""

    entry_id: int
    seq: int | None
    message: str


def entries(session: Session, batch: int = 5000) -> Iterator[AuditLog]:
    stmt = select(AuditLog).order_by(AuditLog.seq, AuditLog.id).execution_options(yield_per=batch)
    yield from session.scalars(stmt)


def verify(session: Session) -> list[Break]:
    """Every break in the chain: an unsealed entry, a gap or repeat in the positions, a link
    to the wrong previous hash, or content that no longer matches its hash."""
    breaks: list[Break] = []
    expected_seq, prev = 1, GENESIS
    for entry in entries(session):
        if entry.seq is None or not entry.entry_hash:
            breaks.append(Break(entry.id, entry.seq, "审计记录未加封 (entry not sealed)"))
            continue
        if entry.seq != expected_seq:
            breaks.append(
                Break(
                    entry.id,
                    entry.seq,
                    f"序号应为 {expected_seq}，实为 {entry.seq}：有记录被删除或插入"
                    f" (position {entry.seq}, expected {expected_seq}: an entry was removed or"
                    " inserted)",
                )
            )
        if (entry.prev_hash or GENESIS) != prev:
            breaks.append(
                Break(
                    entry.id,
                    entry.seq,
                    "与前一条记录的哈希不衔接 (does not link to the previous entry's hash)",
                )
            )
        actual = digest(
            seq=entry.seq,
            prev_hash=entry.prev_hash or GENESIS,
            at=entry.at,
            username=entry.username,
            table_name=entry.table_name,
            row_id=entry.row_id,
            action=entry.action,
            before=entry.before,
            after=entry.after,
        )
        if actual != entry.entry_hash:
            breaks.append(
                Break(
                    entry.id,
                    entry.seq,
                    "内容与其哈希不符：记录在写入后被改动 (content does not match its hash: the"
                    " entry was changed after it was written)",
                )
            )
        expected_seq, prev = entry.seq + 1, entry.entry_hash
    return breaks


event.listen(AuditLog, "before_insert", _seal_entry)
event.listen(Session, "after_flush", lambda session, _ctx: _forget_head(session))
event.listen(Session, "after_soft_rollback", _forget_head)
