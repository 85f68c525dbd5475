"""The File menu's whole-database actions: 立即备份, 从备份恢复, 载入演示数据 (a new file).

The work is the core's (:mod:`drillplan.backup.desk`: the command line's refusal rules);
here are only the file choosers, the confirmation and what the user is told. Each runs as
an op without a session (a restore must not find a session of ours holding the file).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtWidgets import QFileDialog, QWidget

from drillplan.backup import desk
from drillplan.db.engine import sqlite_path

from drillplan.ui import messages
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import tr
from drillplan.ui.ops import Op, OpChanges


def backup_filter() -> str:
    return tr("drillplan 备份 (*.sqlite3 *.bak *.dpbackup *.zip);;所有文件 (*)")


class FileHost(Protocol):
    ctx: UiContext

    def widget(self) -> QWidget: ...

    def open_database(self, path: str) -> None:
        """Switch the application to the database at ``path``."""
        ...


# the file choosers, replaced by tests (the Qt dialogs would block)
def ask_save_path(parent: QWidget, title: str, suggested: str, filters: str) -> str:
    return QFileDialog.getSaveFileName(parent, title, suggested, filters)[0]


def ask_open_path(parent: QWidget, title: str, folder: str, filters: str) -> str:
    return QFileDialog.getOpenFileName(parent, title, folder, filters)[0]


class FileActions:
    def __init__(self, host: FileHost) -> None:
        self.host = host

    @property
    def ctx(self) -> UiContext:
        return self.host.ctx

    def _folder(self) -> Path:
        path = sqlite_path(self.ctx.db.url)
        return path.parent if path is not None else Path.home()

    def _run(self, work: Callable[[], object], done: Callable[[object], None], label: str) -> None:
        parent = self.host.widget()
        op = Op(lambda _progress: work(), parent=parent).without_session().with_progress(label)
        op.success(done)
        op.failure(lambda exc: messages.show_error(parent, exc, trace=op.trace))
        op.run(self.ctx.runner)

    # --- 立即备份 ---------------------------------------------------------------------------

    def backup_now(self, dest: str | None = None) -> None:
        parent = self.host.widget()
        if dest is None:
            suffix = ".sqlite3" if self.ctx.db.is_sqlite else ".dpbackup"
            name = f"drillplan-备份-{dt.datetime.now():%Y%m%d-%H%M}{suffix}"
            dest = ask_save_path(
                parent, tr("立即备份：保存到"), str(self._folder() / name), backup_filter()
            )
            if not dest:
                return
        target = Path(dest)
        self._run(
            lambda: desk.backup_now(self.ctx.db, target),
            lambda written: messages.inform(
                parent,
                tr("备份完成"),
                tr("备份已写入并校验：\n{path}").format(path=written),
            ),
            tr("正在备份…"),
        )

    # --- 从备份恢复 -------------------------------------------------------------------------

    def restore(self, source: str | None = None) -> None:
        parent = self.host.widget()
        if source is None:
            source = ask_open_path(
                parent,
                tr("从备份恢复：选择备份文件"),
                str(self._folder() / "backups"),
                backup_filter(),
            )
            if not source:
                return
        chosen = Path(source)
        if not messages.confirm(
            parent,
            tr("从备份恢复"),
            tr(
                "用备份\n{file}\n替换当前数据库的全部数据？\n\n"
                "当前数据库会先自动备份；备份文件损坏、不是 drillplan 备份或来自更新的版本时"
                "不会做任何更改。"
            ).format(file=chosen),
            danger=True,
        ):
            return
        self._run(lambda: desk.restore_from(self.ctx.db, chosen), self._restored, tr("正在恢复…"))

    def _restored(self, kept: object) -> None:
        self.ctx.runner.changes_applied.emit(OpChanges(frozenset({"all"}), self))
        text = tr("已从备份恢复。")
        if kept:
            text += "\n\n" + tr("原数据库另存于：\n{path}").format(path=kept)
        messages.inform(self.host.widget(), tr("恢复完成"), text)

    # --- 载入演示数据 -----------------------------------------------------------------------

    def load_demo(self, dest: str | None = None) -> None:
        parent = self.host.widget()
        if dest is None:
            dest = ask_save_path(
                parent,
                tr("载入演示数据：新建演示数据库"),
                str(self._folder() / f"drillplan-演示-{dt.date.today():%Y%m%d}.sqlite3"),
                tr("SQLite 数据库 (*.sqlite3)"),
            )
            if not dest:
                return
        target = Path(dest)
        self._run(
            lambda: desk.new_demo_database(target),
            lambda made: self.host.open_database(str(made)),
            tr("正在载入演示数据…"),
        )
