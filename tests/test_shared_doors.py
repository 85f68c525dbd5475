"""Shared mode at the command line: the logged-in user is the operator, the demo never lands
on real data by accident, backup and restore are an administrator's, and a closed pipe after
the commit loses nothing."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from drillplan.auth.login import ENV_PASSWORD, ENV_USER, set_login_required
from drillplan.cli.main import main
from drillplan.db.database import Database, open_db
from drillplan.db.models import AuditLog, Drill, Lot, Movement, Unit
from drillplan.demo import load_demo
from tests import factories as f
from tests.conftest import PG_URL, fresh_database
from tests.support.org import PASSWORDS, build_org

RECEIVE = [
    "stock", "receive", "--holder", "D-S1", "--material", "2010101", "--qty", "5",
    "--batch", "NEW-1", "--date", "2025-06-01", "--production", "2025-01-01",
    "--expiry", "2029-01-01",
]  # fmt: skip


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in (ENV_USER, ENV_PASSWORD):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda *_a, **_k: "")
    return monkeypatch


@pytest.fixture
def shared(db: Database, clean_env: pytest.MonkeyPatch) -> Database:
    build_org(db)
    with db.session() as session:
        set_login_required(session, True)
    return db


def _as(monkeypatch: pytest.MonkeyPatch, user: str) -> list[str]:
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS[user])
    return ["--user", user]


def _audit_count(db: Database) -> int:
    """Entries other than the logins' own bookkeeping."""
    with db.session() as session:
        stmt = select(func.count(AuditLog.id)).where(AuditLog.action.not_like("auth.%"))
        return session.scalar(stmt) or 0


def _units(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Unit.id))) or 0


# ----------------------------------------------------------------------------- the operator


def test_operator_is_the_logged_in_user_and_the_typed_name_stays_beside_it(
    shared: Database, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["--db", shared.url, *_as(clean_env, "keeper1"), *RECEIVE, "--operator", "chief"]
    assert main(argv) == 0
    capsys.readouterr()
    with shared.session() as session:
        lot_id = session.scalar(select(Lot.id).where(Lot.batch_no == "NEW-1"))
        movement = session.scalars(select(Movement).where(Movement.lot_id == lot_id)).one()
        assert (movement.operator, movement.operator_note) == ("keeper1", "chief")
        users = set(session.scalars(select(AuditLog.username).where(AuditLog.row_id == lot_id)))
    assert "chief" not in users


def test_without_a_login_the_typed_operator_is_recorded_as_before(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = open_db(tmp_path / "single-user.sqlite3")  # single-user mode: a SQLite file
    build_org(db)
    assert main(["--db", db.url, *RECEIVE, "--operator", "张三"]) == 0
    capsys.readouterr()
    with db.session() as session:
        movement = session.scalars(select(Movement).order_by(Movement.id.desc()).limit(1)).one()
    assert (movement.operator, movement.operator_note) == ("张三", None)


# ----------------------------------------------------------------------------- the demo


@pytest.mark.parametrize(
    ("user", "force"),
    [(None, False), (None, True), ("viewer", True), ("district", True), ("admin", False)],
    ids=["anonymous", "anonymous-force", "viewer-force", "editor-force", "admin-no-force"],
)
def test_demo_reset_is_refused_on_a_login_database(
    shared: Database,
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    user: str | None,
    force: bool,
) -> None:
    audit, units = _audit_count(shared), _units(shared)
    who = _as(clean_env, user) if user else []
    argv = ["--db", shared.url, *who, "demo", "--reset", *(["--force"] if force else [])]
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "演示数据" in captured.err or "登录" in captured.err
    assert (_audit_count(shared), _units(shared)) == (audit, units)


def test_an_admin_who_confirms_resets_and_the_log_is_kept(
    shared: Database, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    audit = _audit_count(shared)
    argv = ["--db", shared.url, *_as(clean_env, "admin"), "demo", "--reset", "--force"]
    argv += ["--as-of", "2025-06-01"]
    assert main(argv) == 0
    capsys.readouterr()
    assert _audit_count(shared) > audit  # the old entries stay, the load is added
    assert main(["--db", shared.url, *_as(clean_env, "admin"), "check"]) == 0


def test_demo_refuses_a_single_user_database_with_real_data_unless_forced(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "office.sqlite3"
    database = open_db(path)
    build_org(database)  # the office's own data (no demo.load entry)
    units = _units(database)
    database.close()
    assert main(["--db", str(path), "demo", "--reset"]) == 2
    assert "不是演示数据" in capsys.readouterr().err
    database = open_db(path)
    assert _units(database) == units
    database.close()
    assert main(["--db", str(path), "demo", "--reset", "--force", "--as-of", "2025-06-01"]) == 0
    capsys.readouterr()
    # a database the demo made can be reset again without --force
    assert main(["--db", str(path), "demo", "--reset", "--as-of", "2025-06-02"]) == 0
    capsys.readouterr()


def test_demo_on_an_empty_single_user_database_needs_nothing(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(tmp_path / "new.sqlite3"), "demo", "--as-of", "2025-06-01"]) == 0
    assert "演示数据已载入" in capsys.readouterr().out


@pytest.mark.skipif(PG_URL is None, reason="needs DRILLPLAN_TEST_DATABASE_URL (PostgreSQL)")
def test_demo_is_refused_on_a_shared_database(
    tmp_path: Path, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert PG_URL is not None
    database = fresh_database("postgresql", tmp_path)
    try:
        assert main(["--db", database.url, "demo"]) == 2
        assert "共享数据库" in capsys.readouterr().err
        assert _units(database) == 0
        # nobody has an account yet: the local administrator may, with --force
        assert main(["--db", database.url, "demo", "--force", "--as-of", "2025-06-01"]) == 0
        assert _units(database) > 0
    finally:
        database.close()


# ----------------------------------------------------------------------------- backup, restore


@pytest.mark.parametrize("user", [None, "viewer", "district"])
def test_backup_and_restore_need_an_administrator(
    shared: Database,
    clean_env: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    user: str | None,
) -> None:
    who = _as(clean_env, user) if user else []
    target = tmp_path / "copy.dpbackup"
    assert main(["--db", shared.url, *who, "db", "backup", str(target)]) == 2
    assert not target.exists()
    assert main(["--db", shared.url, *_as(clean_env, "admin"), "db", "backup", str(target)]) == 0
    assert target.exists()
    units = _units(shared)
    with shared.session() as session:  # a change after the backup, that a restore would undo
        f.unit(session, "LATER")
    who = _as(clean_env, user) if user else []
    assert main(["--db", shared.url, *who, "db", "restore", str(target)]) == 2
    assert _units(shared) == units + 1
    err = capsys.readouterr().err
    assert "管理员" in err or "登录" in err


# ----------------------------------------------------------------------------- commit, then print


def _demo_file(tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    database = open_db(path)
    with database.session() as session:
        load_demo(session, as_of=dt.date(2026, 11, 24))
    database.close()
    return path


def _drills(path: Path) -> int:
    database = open_db(path)
    try:
        with database.session() as session:
            return session.scalar(select(func.count(Drill.id))) or 0
    finally:
        database.close()


def _cli() -> list[str]:
    return [sys.executable, "-m", "drillplan.cli.main"]


def test_a_closed_pipe_after_the_commit_loses_nothing(tmp_path: Path) -> None:
    path = _demo_file(tmp_path)
    before = _drills(path)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    argv = [*_cli(), "--db", str(path), "drills", "schedule", "--year", "2027", "--write"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before anything is printed
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 0, err
    assert "Traceback" not in err and "BrokenPipe" not in err
    written = _drills(path) - before
    assert written > 0
    shell = f"{' '.join(argv[:-1]).replace('2027', '2028')} --write | head -1"
    result = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shell], capture_output=True, text=True, env=env
    )
    assert "Traceback" not in result.stderr
    assert len(result.stdout.splitlines()) == 1
    assert _drills(path) - before > written  # 2028's drills saved too, though one line shown
