"""Start the desktop application: fonts, database, first-run dialog, main window."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.exc import SQLAlchemyError

from PySide6.QtWidgets import QApplication, QMessageBox

from drillplan.database import Database, open_db
from drillplan.errors import DrillplanError

from drillplan.ui.first_run import run_first_run
from drillplan.ui.fonts import apply_app_font
from drillplan.ui.main_window import WINDOW_TITLE, MainWindow

EXIT_BAD_INPUT = 2


def application(argv: Sequence[str] = ()) -> QApplication:
    """The QApplication (created once), with the embedded CJK font as its default."""
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(list(argv) or ["drillplan"])
    app.setApplicationName("drillplan")
    app.setApplicationDisplayName(WINDOW_TITLE)
    apply_app_font(app)
    return app


def open_database(db: str | None) -> Database | None:
    """Open (create, migrate) the database; on failure say why in a message box."""
    try:
        return open_db(db)
    except (DrillplanError, SQLAlchemyError, OSError) as exc:
        QMessageBox.critical(
            None, "无法打开数据库", f"无法打开数据库（cannot open the database）：\n\n{exc}"
        )
        return None


def run_app(db: str | None, argv: Sequence[str]) -> int:
    app = application(argv)
    database = open_database(db)
    if database is None:
        return EXIT_BAD_INPUT
    try:
        run_first_run(database)
        window = MainWindow(database)
        window.resize(1280, 800)
        window.show()
        return app.exec()
    finally:
        database.close()
