"""Render every main view and the main dialogs offscreen to PNG (``drillplan screenshot``).

Files are named after what they show: ``overview.png``, ``plans.png``, ``stock-lots.png``
(an area's tabs), ``dialog-plan-edit.png`` ... Per-PC preferences go to a temporary file,
so taking screenshots never changes the user's window layout or language.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSettings
from PySide6.QtWidgets import QApplication, QWidget

from drillplan.db.database import Database, open_db
from drillplan.kernel.atomic import FileWriteError, atomic_write

from drillplan.ui import prefs as prefs_module
from drillplan.ui.shell.app import application
from drillplan.ui.shell.main_window import AREAS, MainWindow
from drillplan.ui.shell.screenshot_dialogs import DIALOGS

SIZE = (1280, 800)


def _settle(window: MainWindow, app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()
        window.ctx.runner.wait_idle()
    app.processEvents()


def _save(widget: QWidget, path: Path) -> Path:
    """The widget as PNG at ``path``, written whole or not at all (a full disk: FileWriteError)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not widget.grab().save(buffer, "PNG"):
        raise FileWriteError(path, "无法生成 PNG 图像", "cannot encode the PNG image")
    buffer.close()
    with atomic_write(path, "wb") as fh:
        fh.write(bytes(data.data()))
    return path


def save_screenshots(
    db: str | Database | None,
    out_dir: str | os.PathLike[str],
    *,
    as_of: dt.date | None = None,
    lang: str = "zh",
    dialogs: bool = True,
) -> list[Path]:
    """One PNG per area, per tab of the tabbed areas and per main dialog."""
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    database = db if isinstance(db, Database) else open_db(db)
    scratch = tempfile.TemporaryDirectory()
    previous = prefs_module.current()
    prefs_module.use(
        prefs_module.Prefs(
            QSettings(str(Path(scratch.name) / "prefs.ini"), QSettings.Format.IniFormat)
        )
    )
    written: list[Path] = []
    window = MainWindow(database, as_of=as_of, lang=lang)
    try:
        window.resize(*SIZE)
        window.show()
        _settle(window, app)
        for area in AREAS:
            window.show_area(area.key)
            page = window.current_page()
            tabs = page.screenshot_tabs or ("",)
            for tab in tabs:
                if tab:
                    page.show_tab(tab)
                _settle(window, app)
                suffix = f"-{tab}" if tab else ""
                written.append(_save(window, out / f"{area.key}{suffix}.png"))
                if tab == tabs[0] and tab:
                    written.append(_save(window, out / f"{area.key}.png"))
        if dialogs:
            written += shoot_dialogs(window, app, out)
    finally:
        window.close()
        window.deleteLater()
        prefs_module.use(previous)
        scratch.cleanup()
        if not isinstance(db, Database):
            database.close()
    return written


def shoot_dialogs(window: MainWindow, app: QApplication, out: Path) -> list[Path]:
    written: list[Path] = []
    for name, opener in DIALOGS.items():
        dialog = opener(window)
        if dialog is None:
            continue
        _settle(window, app)
        extra: Callable[[], None] | None = getattr(dialog, "_screenshot_ready", None)
        if extra is not None:
            extra()
            _settle(window, app)
        written.append(_save(dialog, out / f"dialog-{name}.png"))
        dialog.done(0)  # not close(): a form filled for the picture would ask 放弃修改？
        _settle(window, app)
    return written
