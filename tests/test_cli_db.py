"""`drillplan check`, `db backup`, `db restore` and `db upgrade` through the command line."""

from __future__ import annotations

import json
import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import func, select

from drillplan.cli.main import main
from drillplan.db import migrate
from drillplan.db.database import Database, open_db
from drillplan.db.models import Lot, Unit
from drillplan.kernel.vocab import MovementKind
from drillplan.stock.check import run_checks
from tests import factories as f


def _stock(database: Database) -> int:
    with database.session() as session:
        u = f.unit(session)
        m = f.material(session)
        _, h = f.depot(session, u)
        lot = f.lot(session, m, h)
        f.movement(session, lot, 10)
        f.movement(session, lot, -4, kind=MovementKind.ISSUE)
        lot.on_hand = Decimal(6)
        return lot.id


def test_check_passes_on_consistent_ledger(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    _stock(db)
    assert main(["--db", db.url, "check", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []


def test_check_names_the_lot_whose_cache_disagrees(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    lot_id = _stock(db)
    with db.session() as session:
        session.get_one(Lot, lot_id).on_hand = Decimal(7)
    assert main(["--db", db.url, "check", "--format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(v["rule"], v["row_id"]) for v in found] == [("on_hand_equals_ledger", lot_id)]
    assert "7" in found[0]["message"] and "6" in found[0]["message"]


def test_check_finds_unbalanced_transfer_and_bad_reversal(db: Database) -> None:
    with db.session() as session:
        u = f.unit(session)
        m = f.material(session)
        _, h1 = f.depot(session, u, code="D1")
        _, h2 = f.depot(session, u, code="D2")
        a = f.lot(session, m, h1, on_hand=Decimal(7))
        b = f.lot(session, m, h2, on_hand=Decimal(2))
        first = f.movement(session, a, 10)
        f.movement(session, a, -3, kind=MovementKind.TRANSFER_OUT, transfer_ref="TR1")
        f.movement(session, b, 2, kind=MovementKind.TRANSFER_IN, transfer_ref="TR1")
        f.movement(session, b, -2, kind=MovementKind.REVERSAL, reverses_id=first.id)
        b.on_hand = Decimal(0)
    with db.sessions() as session:
        rules = sorted(v.rule for v in run_checks(session))
    assert rules == ["reversal_matches_original", "transfer_balances"]


def _db_with_unit(path: Path, name: str) -> None:
    database = open_db(path)
    with database.session() as session:
        f.unit(session, name=name)
    database.close()


def _unit_names(path: Path) -> list[str]:
    database = open_db(path)
    with database.sessions() as session:
        names = list(session.scalars(select(Unit.name)))
    database.close()
    return names


def test_backup_then_restore_round_trip(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    _db_with_unit(live, "青浦区应急管理局")
    backup_file = tmp_path / "backup.sqlite3"
    assert main(["--db", str(live), "db", "backup", str(backup_file)]) == 0

    database = open_db(live)
    with database.session() as session:
        f.unit(session, code="U2", name="后来加的单位")
    database.close()
    assert len(_unit_names(live)) == 2

    assert main(["--db", str(live), "db", "restore", str(backup_file)]) == 0
    assert _unit_names(live) == ["青浦区应急管理局"]
    kept = list(tmp_path.glob("live.sqlite3.pre-restore-*.bak"))
    assert len(kept) == 1  # the replaced database was kept


def test_restore_refuses_foreign_and_newer_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    live = tmp_path / "live.sqlite3"
    _db_with_unit(live, "青浦区应急管理局")

    text_file = tmp_path / "notes.txt"
    text_file.write_text("not a database", encoding="utf-8")
    assert main(["--db", str(live), "db", "restore", str(text_file)]) == 2
    assert "不是 drillplan 备份文件" in capsys.readouterr().err

    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t (x)")
    assert main(["--db", str(live), "db", "restore", str(other)]) == 2
    assert "不是 drillplan 备份文件" in capsys.readouterr().err

    newer = tmp_path / "newer.sqlite3"
    _db_with_unit(newer, "未来")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = 'ffff'")
    assert main(["--db", str(live), "db", "restore", str(newer)]) == 2
    assert "比本程序新" in capsys.readouterr().err

    assert _unit_names(live) == ["青浦区应急管理局"]  # untouched by the refused restores


def test_db_upgrade_creates_schema(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "fresh.sqlite3"
    assert main(["--db", str(path), "--create", "db", "upgrade"]) == 0
    assert f"-> {migrate.head_revision()}" in capsys.readouterr().out
    database = open_db(path)
    with database.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Unit)) == 0
    database.close()


@pytest.mark.parametrize(
    "argv",
    [["readiness"], ["audit", "expiry"], ["db", "upgrade"], ["check"], ["db", "backup", "x.db"]],
)
def test_a_db_path_that_does_not_exist_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    path = tmp_path / "typo" / "mistyped.sqlite3"
    assert main(["--db", str(path), *argv]) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "--create" in err
    assert not path.exists() and not path.parent.exists()  # nothing was created


def test_create_and_demo_make_the_new_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    created = tmp_path / "new.sqlite3"
    assert main(["--db", str(created), "--create", "readiness", "--format", "json"]) == 0
    assert created.exists()
    assert main(["--db", str(created), "check"]) == 0  # it exists now: no --create needed
    demo = tmp_path / "demo.sqlite3"
    assert main(["--db", str(demo), "demo", "--as-of", "2026-06-01"]) == 0
    with open_db(demo).sessions() as session:
        assert session.scalar(select(func.count()).select_from(Unit)) > 0
