"""The first-start checklist: shown on a start with empty steps, a button to each page, the
import templates from the desktop; not shown once set up, or when the user says so."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from drillplan.db.database import Database, open_db
from tests.support.ui import AS_OF, settle

from drillplan.ui import prefs as prefs_module
from drillplan.ui.areas.stock.page import StockPage
from drillplan.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture
def empty_db(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "empty.sqlite3")
    yield db
    db.close()


def a_window(qtbot: Any, db: Database) -> MainWindow:
    window = MainWindow(db, as_of=AS_OF)
    qtbot.addWidget(window)
    window.resize(1280, 760)
    window.show()
    settle(window.ctx)
    return window


def test_an_empty_database_gets_the_checklist(qtbot: Any, empty_db: Database) -> None:
    window = a_window(qtbot, empty_db)
    dialog = window.checklist_dialog
    assert dialog is not None and dialog.isVisible()
    settle(window.ctx)
    assert [s.key for s in dialog.steps] == ["units", "depots", "materials", "teams", "plans"]
    assert all(dialog.status[k].text() == "尚未登记" for k in dialog.status)
    assert "单位" in dialog.next_label.text()
    assert dialog.open_buttons["units"].isDefault()
    dialog.open_buttons["depots"].click()
    stock = window.pages["stock"]
    assert isinstance(stock, StockPage)
    assert window.current_area() == "stock" and stock.current_tab() == "depots"
    dialog.open_buttons["teams"].click()
    assert window.current_area() == "teams"
    dialog.open_buttons["units"].click()
    assert window.units_dialog.isVisible()
    window.units_dialog.reject()
    window.close()
    settle(window.ctx)


def test_the_import_template_is_saved_from_the_desktop(
    qtbot: Any, empty_db: Database, tmp_path: Path
) -> None:
    window = a_window(qtbot, empty_db)
    dialog = window.checklist_dialog
    assert dialog is not None
    written = dialog.save_template("units", str(tmp_path / "单位-导入模板.xlsx"))
    assert written is not None and written.exists()
    book = openpyxl.load_workbook(written)
    header = [c.value for c in book.worksheets[0][1]]
    assert "单位名称" in header and "单位编码" in header
    window.close()
    settle(window.ctx)


def test_a_register_that_is_set_up_gets_no_checklist(qtbot: Any, demo_db: Database) -> None:
    window = a_window(qtbot, demo_db)
    assert window.checklist_dialog is None
    dialog = window.open_checklist()  # 帮助 > 开始使用清单
    settle(window.ctx)
    assert all(dialog.status[k].text().startswith("✓ 已登记") for k in dialog.status)
    assert "齐备" in dialog.next_label.text()
    assert window.open_checklist() is dialog  # one at a time
    window.close()
    settle(window.ctx)


def test_not_shown_again_when_the_user_says_so(qtbot: Any, empty_db: Database) -> None:
    first = a_window(qtbot, empty_db)
    assert first.checklist_dialog is not None
    first.checklist_dialog.hide_box.setChecked(True)
    assert prefs_module.current().checklist_hidden
    first.close()
    settle(first.ctx)
    second = a_window(qtbot, empty_db)
    assert second.checklist_dialog is None
    second.close()
    settle(second.ctx)
