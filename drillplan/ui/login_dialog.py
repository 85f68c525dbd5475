"""The login dialog of the shared office mode, and the password change it may ask for.

All checking is the core's (:mod:`drillplan.auth.login`, :mod:`drillplan.auth.users`): the
dialog only collects the name and password and shows the core's message (wrong password,
locked account with the time the lock ends).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from drillplan.auth.context import Actor, bound_actor
from drillplan.auth.login import login, needs_login, start_unattended
from drillplan.auth.users import AccountLocked, LoginFailed, LoginResult, change_password
from drillplan.db.database import Database
from drillplan.db.engine import sqlite_path
from drillplan.kernel.errors import DrillplanError

from drillplan.ui.i18n import tr


def _where(db: Database) -> str:
    path = sqlite_path(db.url)
    if path is not None:
        return str(path)
    return db.engine.url.render_as_string(hide_password=True)


class LoginDialog(QDialog):
    """User name and password; stays open (with the reason) until a login succeeds."""

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.result_value: LoginResult | None = None
        self.setWindowTitle(tr("登录 drillplan"))
        intro = QLabel(tr("共享数据库：") + _where(db), self)
        intro.setWordWrap(True)
        intro.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("", self)
        self.message.setObjectName("loginMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow(tr("用户名"), self.username)
        form.addRow(tr("密码"), self.password)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("登录"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("退出"))
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.username.setFocus()

    @property
    def actor(self) -> Actor | None:
        return self.result_value.actor if self.result_value is not None else None

    def try_login(self) -> bool:
        name = self.username.text().strip()
        if not name:
            self.message.setText(tr("请输入用户名"))
            return False
        try:
            self.result_value = login(self.db, name, self.password.text())
        except AccountLocked as exc:
            self.message.setText(str(exc))
            self.password.clear()
            return False
        except LoginFailed as exc:
            self.message.setText(str(exc))
            self.password.clear()
            self.password.setFocus()
            return False
        except DrillplanError as exc:
            self.message.setText(str(exc))
            return False
        self.message.clear()
        self.accept()
        return True


class ChangePasswordDialog(QDialog):
    """The user's own password change (asked after an administrator's reset)."""

    def __init__(self, db: Database, username: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.db = db
        self.username = username
        self.setWindowTitle(tr("修改密码"))
        note = QLabel(tr("管理员已重置您的密码，请设置新密码。"), self)
        note.setWordWrap(True)
        self.old = QLineEdit(self)
        self.new = QLineEdit(self)
        self.again = QLineEdit(self)
        for box in (self.old, self.new, self.again):
            box.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel("", self)
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b3261e;")
        form = QFormLayout()
        form.addRow(tr("原密码"), self.old)
        form.addRow(tr("新密码"), self.new)
        form.addRow(tr("再输入一次"), self.again)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.try_change)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def try_change(self) -> bool:
        if self.new.text() != self.again.text():
            self.message.setText(tr("两次输入的新密码不一致"))
            return False
        try:
            with self.db.session() as session:  # a wrong current password is counted: commit
                outcome = change_password(
                    session,
                    username=self.username,
                    old_password=self.old.text(),
                    new_password=self.new.text(),
                )
            outcome.raise_for_error()
        except DrillplanError as exc:
            self.message.setText(str(exc))
            return False
        self.accept()
        return True


def ensure_login(db: Database, parent: QWidget | None = None) -> bool:
    """Before the main window: log in when the database needs it. False: the user gave up.

    A database that needs no login (single-user SQLite) or has no account yet (its first
    administrator is still to be created) opens without the dialog.
    """
    if bound_actor(db) is not None or not needs_login(db):
        return True
    if start_unattended(db) is not None:
        return True
    dialog = LoginDialog(db, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.result_value is None:
        return False
    if dialog.result_value.must_change_password and dialog.actor is not None:
        ChangePasswordDialog(db, dialog.actor.username, parent).exec()
    return True
