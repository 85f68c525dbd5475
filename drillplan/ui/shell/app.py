"""Start the desktop application: fonts, language, database, first-run dialog, main window."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from PySide6.QtWidgets import QApplication, QMessageBox

from drillplan.auth.context import bound_actor
from drillplan.backup.files import auto_backup_on_start
from drillplan.db.database import Database, open_db
from drillplan.kernel.errors import DrillplanError

from drillplan.ui import prefs as prefs_module
from drillplan.ui.context import UiContext
from drillplan.ui.first_run import run_first_run
from drillplan.ui.fonts import apply_app_font
from drillplan.ui.i18n import current_language, set_language, tr
from drillplan.ui.login_dialog import ensure_login
from drillplan.ui.share_warning import confirm_database_location
from drillplan.ui.shell.main_window import WINDOW_TITLE, MainWindow

EXIT_BAD_INPUT = 2


def application(argv: Sequence[str] = ()) -> QApplication:
    """The QApplication (created once), with the embedded CJK font as its default."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv) or ["drillplan"])
    app.setApplicationName("drillplan")
    app.setApplicationDisplayName(WINDOW_TITLE)
    apply_app_font(app)
    if app.property("drillplan_language") is None:  # Qt's own strings in Chinese, once
        app.setProperty("drillplan_language", set_language(current_language()))
    return app


def open_database(db: str | None) -> Database | None:
    """Open (create, migrate) the database; on failure say why in a message box."""
    try:
        return open_db(db)
    except (DrillplanError, SQLAlchemyError, OSError) as exc:
        QMessageBox.critical(
            None, tr("无法打开数据库"), tr("无法打开数据库：\n\n{error}").format(error=exc)
        )
        return None


class Session:
    """The running application: its context and the current main window."""

    def __init__(self, database: Database) -> None:
        self.ctx = UiContext.create(database)
        self.window: MainWindow | None = None

    def show(self) -> MainWindow:
        window = MainWindow(self.ctx.db, ctx=self.ctx)
        window.resize(1280, 800)
        self.ctx.prefs.restore_geometry("mainWindow", window)
        self._adopt(window)
        window.show()
        return window

    def _adopt(self, window: MainWindow) -> None:
        self.window = window
        window.language_requested.connect(self.switch_language)
        window.database_requested.connect(self.switch_database)

    def switch_database(self, path: str) -> None:
        """Open the database at ``path`` in a new window (the demo file just made); the
        previous database is closed. The preferences keep naming the user's own database."""
        database = open_database(path)
        if database is None:
            return
        old_window, old_ctx = self.window, self.ctx
        self.ctx = UiContext.create(database)
        self.ctx.user = old_ctx.user
        window = MainWindow(database, ctx=self.ctx)
        if old_window is not None:
            window.setGeometry(old_window.geometry())
        self._adopt(window)
        window.show()
        if old_window is not None:
            old_window.close()
        old_ctx.close()
        old_ctx.db.close()

    def switch_language(self, lang: str) -> None:
        """Rebuild the window in the other language; the data and the database stay open."""
        if self.window is not None:
            new = self.window.relaunch(lang)
            self._adopt(new)
            new.show()


def run_app(db: str | None, argv: Sequence[str]) -> int:
    app = application(argv)
    prefs = prefs_module.current()
    set_language(prefs.language)
    if not confirm_database_location(db or prefs.database or None):
        return 0
    database = open_database(db or prefs.database or None)
    if database is None:
        return EXIT_BAD_INPUT
    if not ensure_login(database):  # shared mode: who is working (None needed single-user)
        database.close()
        return 0
    try:  # the daily backup (setting daily_backup / backup_keep) never blocks the start
        auto_backup_on_start(database)
    except (DrillplanError, OSError) as exc:
        print(f"drillplan: daily backup skipped: {exc}", file=sys.stderr)
    running = Session(database)
    actor = bound_actor(database)
    if actor is not None:
        running.ctx.user = actor.username
    try:
        run_first_run(database, runner=running.ctx.runner)
        running.show()
        return app.exec()
    finally:
        running.ctx.close()
        running.ctx.db.close()  # the database open at the end (File > 载入演示数据 switches)
        database.close()
