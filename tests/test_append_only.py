"""The database itself keeps the ledger and the audit log append-only, and the audit log's
hash chain shows any entry changed, removed or inserted behind the application's back."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import threading
import time
import zipfile
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError

from drillplan.audit import chain
from drillplan.audit import log as auditlog
from drillplan.backup import dump
from drillplan.backup import files as backup
from drillplan.db import append_only
from drillplan.db.database import Database
from drillplan.db.engine import make_engine
from drillplan.db.models import AuditLog, Movement
from drillplan.kernel.errors import DrillplanError
from drillplan.stock.check import run_checks
from tests.support.org import build_org


def _chain_rules(db: Database) -> list[tuple[str, object]]:
    with db.session() as session:
        return [(v.rule, v.row_id) for v in run_checks(session)]


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE movement SET quantity = quantity + 1 WHERE id = (SELECT MIN(id) FROM movement)",
        "DELETE FROM movement WHERE id = (SELECT MAX(id) FROM movement)",
        "UPDATE audit_log SET username = 'chief' WHERE id = (SELECT MIN(id) FROM audit_log)",
        "DELETE FROM audit_log WHERE id = (SELECT MAX(id) FROM audit_log)",
    ],
    ids=["update-movement", "delete-movement", "update-audit", "delete-audit"],
)
def test_the_database_refuses_changing_the_ledger_or_the_log(db: Database, statement: str) -> None:
    build_org(db)
    with db.engine.connect() as conn:
        before = conn.execute(text("SELECT COUNT(*), SUM(quantity) FROM movement")).one()
        audit = conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar()
    assert audit and before[0]
    with pytest.raises(DBAPIError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement))
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*), SUM(quantity) FROM movement")).one() == before
        assert conn.execute(text("SELECT COUNT(*) FROM audit_log")).scalar() == audit


def test_an_orm_change_of_a_movement_is_refused_too(db: Database) -> None:
    build_org(db)
    with pytest.raises(DBAPIError, match="append-only"), db.session() as session:
        movement = session.scalars(select(Movement).limit(1)).one()
        movement.reason = "改一下"
        session.flush()


def test_every_entry_is_sealed_and_the_chain_verifies(db: Database) -> None:
    build_org(db)
    with db.session() as session:
        entries = list(session.scalars(select(AuditLog).order_by(AuditLog.seq)))
        assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
        assert entries[0].prev_hash == ""
        assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
        assert chain.verify(session) == []
    assert _chain_rules(db) == []


def _tamper(db: Database, statement: str) -> None:
    """What someone with the database's owner rights could do: lift the triggers, edit."""
    with db.engine.begin() as conn:
        append_only.drop(conn, ("audit_log",))
        conn.execute(text(statement))
        append_only.install(conn, ("audit_log",))


@pytest.mark.parametrize(
    ("statement", "expected"),
    [
        ("UPDATE audit_log SET username = 'chief' WHERE seq = 2", "内容与其哈希不符"),
        ("DELETE FROM audit_log WHERE seq = 2", "有记录被删除或插入"),
        ("UPDATE audit_log SET after = NULL WHERE seq = 1", "内容与其哈希不符"),
    ],
    ids=["forged-user", "removed-entry", "emptied-after"],
)
def test_check_finds_a_tampered_entry(db: Database, statement: str, expected: str) -> None:
    build_org(db)
    assert _chain_rules(db) == []
    _tamper(db, statement)
    with db.session() as session:
        found = [v for v in run_checks(session) if v.rule == "audit.chain"]
    assert found, "a tampered audit log must be found"
    assert any(expected in v.message for v in found)


def test_a_forged_entry_appended_without_its_seal_is_found(db: Database) -> None:
    build_org(db)
    with db.engine.begin() as conn:
        top = conn.execute(select(func.max(AuditLog.seq))).scalar()
        conn.execute(
            AuditLog.__table__.insert().values(
                at=dt.datetime(2025, 1, 1),
                username="chief",
                table_name="lot",
                row_id=1,
                action="stock.issue",
                seq=top + 1,
                prev_hash="0" * 64,
                entry_hash="f" * 64,
            )
        )
    rules = _chain_rules(db)
    assert ("audit.chain", rules[0][1]) in rules and len(rules) >= 2  # wrong link, wrong hash


def test_a_rolled_back_savepoint_leaves_no_gap(db: Database) -> None:
    build_org(db)
    with db.session() as session:
        auditlog.record(session, user="t", action="test.kept", table="lot", row_id=1)
        session.flush()
        savepoint = session.begin_nested()
        auditlog.record(session, user="t", action="test.dropped", table="lot", row_id=2)
        session.flush()
        savepoint.rollback()
        auditlog.record(session, user="t", action="test.after", table="lot", row_id=3)
    assert _chain_rules(db) == []


def test_concurrent_writers_keep_one_chain(db: Database) -> None:
    """Threads writing entries at once (on PostgreSQL: separate connections racing for the
    head) never fork the chain."""
    build_org(db)
    errors: list[BaseException] = []

    def writer(n: int) -> None:
        try:
            for i in range(15):
                for attempt in range(50):
                    try:
                        with db.session() as session:
                            auditlog.record(
                                session, user=f"w{n}", action="test.race", table="lot", row_id=i
                            )
                        break
                    except DBAPIError as exc:  # SQLite: busy; the whole transaction again
                        if "locked" not in str(exc) or attempt == 49:
                            raise
                        time.sleep(0.005 * (attempt + 1))  # back off: retrying at once starves
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with db.session() as session:
        count = session.scalar(select(func.count()).where(AuditLog.action == "test.race"))
    assert count == 60
    assert _chain_rules(db) == []


def test_ensure_recreates_missing_triggers(db: Database) -> None:
    from drillplan.db import migrate

    with db.engine.begin() as conn:
        append_only.drop(conn, ("movement",))
        assert append_only.installed(conn) == {"audit_log"}
        append_only.ensure(conn)
        assert append_only.installed(conn) == {"movement", "audit_log"}
    assert migrate.current_revision(db.engine) == migrate.head_revision()


def _forge(archive: Path, dest: Path) -> None:
    """A hand-edited backup: one audit entry's user changed, the manifest's digests redone
    (as a forger would: they are not secret)."""
    with zipfile.ZipFile(archive) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    name = dump.member_name("audit_log")
    lines = members[name].decode("utf-8").splitlines()
    columns = json.loads(lines[0])
    row = json.loads(lines[2])
    row[columns.index("username")] = "chief"
    lines[2] = json.dumps(row, ensure_ascii=False)
    members[name] = ("\n".join(lines) + "\n").encode("utf-8")
    manifest = json.loads(members[dump.MANIFEST])
    manifest["members"][name] = {
        "sha256": hashlib.sha256(members[name]).hexdigest(),
        "bytes": len(members[name]),
    }
    members[dump.MANIFEST] = json.dumps(manifest).encode()
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for member, data in members.items():
            zf.writestr(member, data)


def test_a_backup_with_a_forged_audit_entry_is_not_restored(db: Database, tmp_path: Path) -> None:
    build_org(db)
    archive = backup.backup(db.engine, tmp_path / "office.dpbackup")
    manifest = dump.read_manifest(archive)
    with db.session() as session:
        head = session.scalar(select(func.max(AuditLog.seq)))
    assert manifest["audit_head"]["seq"] == head  # where the chain stood
    forged = tmp_path / "forged.dpbackup"
    _forge(archive, forged)
    target = make_engine(f"sqlite:///{tmp_path / 'target.sqlite3'}")
    try:
        with pytest.raises(DrillplanError, match=r"audit\.chain|哈希"):
            backup.restore(target, forged)
        backup.restore(target, archive)  # the genuine one restores
        with target.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == head
    finally:
        target.dispose()
