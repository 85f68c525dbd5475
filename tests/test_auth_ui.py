"""The login dialog, offscreen (the audit log view: tests/ui/test_ui_audit.py)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtWidgets import QApplication, QDialog

from drillplan.auth.context import bound_actor
from drillplan.auth.users import MAX_FAILED_LOGINS
from drillplan.db.database import Database, open_db
from tests.support.org import PASSWORDS, build_org

from drillplan.ui.login_dialog import LoginDialog, ensure_login
from drillplan.ui.shell.app import application

pytestmark = pytest.mark.ui


@pytest.fixture(autouse=True)
def app(qapp: QApplication) -> QApplication:
    return application()


@pytest.fixture
def database(tmp_path: Path) -> Database:
    db = open_db(tmp_path / "ui.sqlite3")
    yield db
    db.close()


def _dialog(qtbot: QtBot, db: Database) -> LoginDialog:
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    return dialog


def _type(dialog: LoginDialog, name: str, password: str) -> bool:
    dialog.username.setText(name)
    dialog.password.setText(password)
    return dialog.try_login()


def test_login_dialog_wrong_password_then_lockout_then_success(
    qtbot: QtBot, database: Database
) -> None:
    build_org(database)
    dialog = _dialog(qtbot, database)
    assert not _type(dialog, "keeper1", "wrong-password")
    assert "用户名或密码错误" in dialog.message.text()
    assert dialog.password.text() == ""  # cleared for the next try
    assert dialog.result() != QDialog.DialogCode.Accepted
    for _ in range(MAX_FAILED_LOGINS - 1):
        _type(dialog, "keeper1", "wrong-password")
    assert "锁定" in dialog.message.text()
    assert not _type(dialog, "keeper1", PASSWORDS["keeper1"])  # locked, right password or not
    assert bound_actor(database) is None

    other = _dialog(qtbot, database)
    assert _type(other, "district", PASSWORDS["district"])
    assert other.result() == QDialog.DialogCode.Accepted
    actor = bound_actor(database)
    assert actor is not None and actor.username == "district"
    assert other.actor == actor


def test_login_dialog_needs_a_name(qtbot: QtBot, database: Database) -> None:
    dialog = _dialog(qtbot, database)
    assert not _type(dialog, "  ", "x")
    assert "用户名" in dialog.message.text()


def test_single_user_database_opens_without_the_dialog(database: Database) -> None:
    assert ensure_login(database)
    assert bound_actor(database) is None
