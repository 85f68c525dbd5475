"""The settings dialog: one place for every setting, page by page."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from drillplan import settings
from drillplan.db.connection import ConnectionCheck, check_connection
from drillplan.kernel.errors import ValidationError

from drillplan.ui import messages
from drillplan.ui.areas.settings.pages import (
    AlertsPage,
    DatabasePage,
    GeneralPage,
    OptionsPage,
    WeightsPage,
)
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog
from drillplan.ui.i18n import current_language, pick, tr
from drillplan.ui.ops import Op


class SettingsDialog(BaseDialog):
    language_changed = Signal(str)

    def __init__(self, parent: QWidget | None, ctx: UiContext) -> None:
        super().__init__(parent, "settings", tr("设置"))
        self.ctx = ctx
        self.database = DatabasePage(self, test=self.test_connection)
        self.pages: list[OptionsPage] = [
            GeneralPage(self),
            self.database,
            AlertsPage(self),
            WeightsPage(self),
        ]
        self.list = QListWidget(self)
        self.list.setObjectName("settingsPages")
        self.list.setFixedWidth(150)
        self.stack = QStackedWidget(self)
        for page in self.pages:
            self.list.addItem(page.title)
            self.stack.addWidget(page)
        self.list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.error = QLabel(self)
        self.error.setObjectName("formError")
        self.error.setStyleSheet("color: #b3261e;")
        self.error.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("确定"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        body = QHBoxLayout()
        body.addWidget(self.list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(720, 440)
        self.list.setCurrentRow(0)
        self.loaded = False
        self.buttons.setEnabled(False)
        Op(settings.all_values, parent=self).success(self._load).run(ctx.runner)

    def page(self, name: str) -> OptionsPage:
        return next(p for p in self.pages if p.name == name)

    def _load(self, values: dict[str, Any]) -> None:
        for page in self.pages:
            page.load(values, self.ctx.prefs)
        self.database.current.setText(tr("当前使用：{url}").format(url=self._current_location()))
        self.loaded = True
        self.buttons.setEnabled(True)

    def _current_location(self) -> str:
        from drillplan.ui.location import describe_location

        return describe_location(self.ctx.db.url)

    def test_connection(self, location: str) -> None:
        target = location.strip() or self.ctx.db.url
        self.database.result.setText(tr("正在连接…"))
        op = Op(lambda: check_connection(target), parent=self).without_session()
        op.success(self._tested).failure(self._test_failed).run(self.ctx.runner)

    def _tested(self, result: ConnectionCheck) -> None:
        self.database.result.setStyleSheet("color: #2e7d32;")
        self.database.result.setText(f"{pick(result.message_zh, result.message_en)}\n{result.url}")

    def _test_failed(self, exc: BaseException) -> None:
        self.database.result.setStyleSheet("color: #b3261e;")
        message = (
            exc.message
            if isinstance(exc, ValidationError) and current_language() == "zh"
            else (getattr(exc, "message_en", None) or str(exc))
        )
        self.database.result.setText(message)

    def accept(self) -> None:
        if not self.loaded:
            return
        self.error.hide()
        old_language = self.ctx.prefs.language
        try:
            for page in self.pages:
                page.check()
        except ValidationError as exc:
            self.error.setText(
                exc.message if current_language() == "zh" else exc.message_en or exc.message
            )
            self.error.show()
            return
        core: dict[str, Any] = {}
        for page in self.pages:
            core |= page.save(self.ctx.prefs)
        self.ctx.prefs.sync()
        new_language = self.ctx.prefs.language

        def write(session: Any) -> None:
            for key, value in core.items():
                if settings.get(session, key) != value:
                    settings.set_value(session, key, value)

        def done(_r: Any) -> None:
            super(SettingsDialog, self).accept()
            if new_language != old_language:
                self.language_changed.emit(new_language)

        def failed(exc: BaseException) -> None:
            self.buttons.setEnabled(True)
            messages.show_error(self, exc)

        self.buttons.setEnabled(False)
        Op(write, parent=self).changes("settings").success(done).failure(failed).run(
            self.ctx.runner
        )
