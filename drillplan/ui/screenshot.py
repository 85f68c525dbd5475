"""Render every area of the main window offscreen to PNG (``drillplan screenshot --out DIR``)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from PySide6.QtWidgets import QApplication

from drillplan.database import Database, open_db

from drillplan.ui.app import application
from drillplan.ui.listing_view import TabbedListings
from drillplan.ui.main_window import AREAS, MainWindow

SIZE = (1280, 800)


def save_screenshots(
    db: str | Database | None, out_dir: str | os.PathLike[str], *, as_of: dt.date | None = None
) -> list[Path]:
    """One PNG per area (and per tab of the tabbed areas); returns the files written."""
    if QApplication.instance() is None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    app = application()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    database = db if isinstance(db, Database) else open_db(db)
    written: list[Path] = []
    window = MainWindow(database, as_of=as_of)
    try:
        window.resize(*SIZE)
        window.show()
        for number, area in enumerate(AREAS, start=1):
            window.show_area(area.key)
            page = window.current_page()
            tabs = page.tabs.count() if isinstance(page, TabbedListings) else 1
            for tab in range(tabs):
                suffix = ""
                if isinstance(page, TabbedListings):
                    page.tabs.setCurrentIndex(tab)
                    suffix = f"-{page.panels[tab].listing.name}"
                app.processEvents()
                path = out / f"{number:02d}-{area.key}{suffix}.png"
                if not window.grab().save(str(path)):
                    raise OSError(f"cannot write {path}")
                written.append(path)
    finally:
        window.close()
        window.deleteLater()
        if not isinstance(db, Database):
            database.close()
    return written
