"""The login dialog and the audit log view, offscreen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDialog

from drillplan.auth.context import bind_actor, bound_actor
from drillplan.auth.users import MAX_FAILED_LOGINS
from drillplan.db.database import Database, open_db
from drillplan.db.models import Lot
from drillplan.stock import ledger
from tests.support.org import PASSWORDS, TODAY, actor_of, build_org

from drillplan.ui.app import application
from drillplan.ui.audit_view import AuditModel, AuditView
from drillplan.ui.login_dialog import LoginDialog, ensure_login

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


def test_audit_view_lists_filters_and_shows_before_after(
    qtbot: QtBot, database: Database, qtmodeltester: object
) -> None:
    org = build_org(database)
    bind_actor(database, actor_of(database, "keeper1"))
    with database.session() as session:
        ledger.issue(
            session,
            holder_id=org.holder1,
            material_id=org.material,
            quantity=5,
            on=TODAY,
            today=TODAY,
        )
    view = AuditView(database.session, poll_ms=0)
    qtbot.addWidget(view)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    model = view.model
    assert model.rowCount() == model.total > 5
    newest = model.entry(0)
    assert newest is not None and newest.table == "lot"  # written at commit, after stock.issue
    # read only
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable

    view.user_box.setCurrentIndex(view.user_box.findData("keeper1"))
    assert {model.entry(r).username for r in range(model.rowCount())} == {"keeper1"}  # type: ignore[union-attr]
    view.action_box.setCurrentIndex(view.action_box.findData("stock.issue"))
    assert model.rowCount() == 1
    assert "1" in view.count_label.text()

    view.table.setCurrentIndex(model.index(0, 0))
    fields = {view.detail.item(r, 0).text() for r in range(view.detail.rowCount())}
    assert "quantity" in fields and "on_hand" in fields

    view.search_box.setText("no-such-thing")
    assert model.rowCount() == 0


def test_audit_view_refreshes_when_another_client_changes_data(
    qtbot: QtBot, database: Database
) -> None:
    org = build_org(database)
    bind_actor(database, actor_of(database, "admin"))
    view = AuditView(database.session, poll_ms=0)
    qtbot.addWidget(view)
    before = view.model.rowCount()
    assert not view.poll()
    other = open_db(database.url)  # a second client
    bind_actor(other, actor_of(other, "district"))
    with other.session() as session:
        session.get_one(Lot, org.lot1).location = "A-01"
    other.close()
    assert view.poll()
    assert view.model.rowCount() == before + 1
    assert view.user_box.findData("district") >= 0


def test_audit_model_pages_on_demand(database: Database) -> None:
    build_org(database)
    bind_actor(database, actor_of(database, "admin"))
    for i in range(450):
        with database.session() as session:
            session.get_one(Lot, 1).location = f"L{i}"
    model = AuditModel(database.session)
    assert model.rowCount() == 200 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == model.total and not model.canFetchMore(QModelIndex())
