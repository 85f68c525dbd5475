"""Fixtures of the UI tests: each gets a throw-away QSettings file, the demo data loaded for a
fixed date, and a context whose op runner is shut down afterwards (helpers: tests/support/ui.py).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QWidget

from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo
from tests.support.ui import AS_OF

from drillplan.ui import messages
from drillplan.ui import prefs as prefs_module
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import set_language
from drillplan.ui.shell.app import application


@pytest.fixture(autouse=True)
def ui_app(qapp: QApplication, tmp_path: Path) -> Iterator[QApplication]:
    """The application in Chinese, with preferences in a temporary INI file."""
    app = application()
    set_language("zh")
    store = QSettings(str(tmp_path / "prefs.ini"), QSettings.Format.IniFormat)
    prefs_module.use(prefs_module.Prefs(store))
    yield app
    for box in messages.open_error_boxes():
        box.close()
    set_language("zh")


@pytest.fixture(autouse=True)
def discard_without_asking(monkeypatch: pytest.MonkeyPatch) -> list[QWidget | None]:
    """A changed form closed in a test is discarded as before (放弃修改？ would block the
    test); tests of the question patch ``messages.discard_changes`` themselves."""
    asked: list[QWidget | None] = []

    def discard(parent: QWidget | None) -> bool:
        asked.append(parent)
        return True

    monkeypatch.setattr(messages, "discard_changes", discard)
    return asked


@pytest.fixture
def demo_db(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "ui.sqlite3")
    with db.session() as session:
        load_demo(session, as_of=AS_OF)
    yield db
    db.close()


@pytest.fixture
def ctx(demo_db: Database) -> Iterator[UiContext]:
    context = UiContext.create(demo_db, as_of=AS_OF)
    context.user = "tester"
    yield context
    context.close()
