"""File menu: 立即备份, 从备份恢复 (with the command line's refusals), 载入演示数据 into a
new file that is then opened."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from drillplan.db.database import Database, open_db
from drillplan.db.models import Drill, Unit
from tests import factories as f
from tests.support.ui import AS_OF, answer_confirm, open_errors, settle

from drillplan.ui.shell import file_actions
from drillplan.ui.shell.app import Session
from drillplan.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.ui


def a_window(qtbot: Any, db: Database) -> MainWindow:
    window = MainWindow(db, as_of=AS_OF)
    qtbot.addWidget(window)
    window.show()
    settle(window.ctx)
    return window


def units(db: Database) -> int:
    with db.session() as session:
        return session.scalar(select(func.count(Unit.id))) or 0


def choose(monkeypatch: pytest.MonkeyPatch, path: Path) -> list[str]:
    """Make both file choosers answer ``path``; returns the titles they were asked with."""
    asked: list[str] = []

    def chooser(_parent: Any, title: str, _suggested: str, _filters: str) -> str:
        asked.append(title)
        return str(path)

    monkeypatch.setattr(file_actions, "ask_save_path", chooser)
    monkeypatch.setattr(file_actions, "ask_open_path", chooser)
    return asked


def test_backup_now_then_restore_from_the_menu(
    qtbot: Any, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = a_window(qtbot, demo_db)
    told = answer_confirm(monkeypatch, True)
    copy = tmp_path / "menu-backup.sqlite3"
    choose(monkeypatch, copy)
    window.backup_action.trigger()
    settle(window.ctx)
    assert copy.exists() and any(str(copy) in t for t in told)
    before = units(demo_db)
    with demo_db.session() as session:
        f.unit(session, "AFTER-BACKUP")
    refreshed: list[Any] = []
    window.ctx.runner.changes_applied.connect(refreshed.append)
    window.restore_action.trigger()
    settle(window.ctx)
    assert any("替换当前数据库" in t for t in told)  # asked first
    assert units(demo_db) == before  # the later unit is gone
    assert any(c.touches("plans") for c in refreshed)  # every view reloads
    assert list((tmp_path / "backups").glob("ui-before-restore-*.sqlite3"))
    window.close()
    settle(window.ctx)


def test_a_restore_that_is_refused_changes_nothing(
    qtbot: Any, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = a_window(qtbot, demo_db)
    answer_confirm(monkeypatch, True)
    bogus = tmp_path / "not-a-backup.sqlite3"
    bogus.write_bytes(b"hello")
    choose(monkeypatch, bogus)
    before = units(demo_db)
    window.restore_action.trigger()
    settle(window.ctx)
    assert open_errors()  # said why
    assert units(demo_db) == before
    assert not list((tmp_path / "backups").glob("*before-restore*"))
    window.close()
    settle(window.ctx)


def test_a_declined_restore_does_nothing(
    qtbot: Any, demo_db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = a_window(qtbot, demo_db)
    answer_confirm(monkeypatch, False)
    copy = tmp_path / "copy.sqlite3"
    with demo_db.session() as session:
        f.unit(session, "STAYS")
    choose(monkeypatch, copy)
    window.restore_action.trigger()
    settle(window.ctx)
    assert units(demo_db) > 0 and not copy.exists()
    window.close()
    settle(window.ctx)


def test_load_demo_makes_a_new_file_and_opens_it(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = open_db(tmp_path / "mine.sqlite3")
    with mine.session() as session:
        f.unit(session, "MINE")
    running = Session(mine)
    window = running.show()
    qtbot.addWidget(window)
    settle(running.ctx)
    made = tmp_path / "演示.sqlite3"
    choose(monkeypatch, made)
    window.demo_action.trigger()
    qtbot.waitUntil(lambda: running.window is not window, timeout=120_000)
    settle(running.ctx)
    assert made.exists()
    assert running.window is not None and str(made) in running.window.db.url
    with running.ctx.db.session() as session:
        assert (session.scalar(select(func.count(Drill.id))) or 0) > 10
    assert units(open_db(tmp_path / "mine.sqlite3")) == 1  # the user's own file untouched
    qtbot.addWidget(running.window)
    running.window.close()
    running.ctx.close()
    running.ctx.db.close()
