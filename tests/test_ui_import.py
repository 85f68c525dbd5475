"""导入 Excel/CSV: the check lists every problem and writes nothing; only a clean check
enables the import, which then writes the rows and refreshes the views."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from drillplan.db.models import Material
from drillplan.ui_queries import choices
from tests.test_ui_support import closed, ctx, demo_db, open_errors, settle, ui_app

from drillplan.ui.context import UiContext
from drillplan.ui.import_dialog import ImportDialog
from drillplan.ui.main_window import MainWindow
from drillplan.ui.ops import OpChanges

pytestmark = pytest.mark.ui
__all__ = ["ctx", "demo_db", "ui_app"]

HEADER = "物资编码,物资名称,计量单位,保质期（天）\n"
GOOD = "2990901,测试导入救生衣,件,1825\n"
BAD = "2990902,测试导入救生圈,个,-5\n"
FIXED = "2990902,测试导入救生圈,个,365\n"


def material_count(ctx: UiContext) -> int:
    with ctx.db.session() as session:
        return int(session.scalar(select(func.count(Material.id))) or 0)


@pytest.fixture
def dialog(qtbot: Any, ctx: UiContext) -> ImportDialog:
    widget = ImportDialog(None, ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_check_lists_problems_then_a_clean_file_imports(
    dialog: ImportDialog, ctx: UiContext, tmp_path: Path
) -> None:
    path = tmp_path / "materials.csv"
    path.write_text(HEADER + GOOD + BAD, encoding="utf-8")
    before = material_count(ctx)
    changes: list[OpChanges] = []
    ctx.runner.changes_applied.connect(changes.append)

    dialog.set_kind("materials")
    dialog.path_edit.setText(str(path))
    assert not dialog.import_button.isEnabled()
    dialog.check_button.click()
    settle(ctx)

    report = dialog.report
    assert report is not None and report.dry_run and not report.ok
    model = dialog.problems.rows_model
    assert model.rowCount() == 1
    cells = [str(model.index(0, c).data(Qt.ItemDataRole.DisplayRole)) for c in range(4)]
    assert cells[0] == "materials.csv"
    assert cells[1] == "3"  # the bad row as the file shows it
    assert "保质期" in cells[2] and "(D)" in cells[2]
    assert "not_positive" in cells[3]
    assert "1 个问题" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    dialog.import_button.click()  # disabled: nothing happens
    settle(ctx)
    assert material_count(ctx) == before
    assert changes == []

    path.write_text(HEADER + GOOD + FIXED, encoding="utf-8")
    dialog.check_button.click()
    settle(ctx)
    assert dialog.report is not None and dialog.report.ok and dialog.report.dry_run
    assert dialog.report.rows == 2 and dialog.report.created == 2
    assert dialog.problems.rows_model.rowCount() == 0
    assert dialog.import_button.isEnabled()
    assert material_count(ctx) == before  # the check wrote nothing

    dialog.import_button.click()
    settle(ctx)
    assert dialog.report is not None and dialog.report.written
    assert dialog.report.created == 2
    assert "导入完成" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()  # a second import needs a new check
    assert material_count(ctx) == before + 2
    with ctx.db.session() as session:
        names = [label for _id, label in choices.materials(session)]
    assert any("2990901 测试导入救生衣" in n for n in names)
    assert any("2990902 测试导入救生圈" in n for n in names)
    assert changes and changes[-1].touches("stock")
    assert open_errors() == []


def test_changing_the_file_needs_a_new_check(
    dialog: ImportDialog, ctx: UiContext, tmp_path: Path
) -> None:
    path = tmp_path / "ok.csv"
    path.write_text(HEADER + GOOD, encoding="utf-8")
    dialog.set_kind("materials")
    dialog.path_edit.setText(str(path))
    dialog.check_button.click()
    settle(ctx)
    assert dialog.import_button.isEnabled()
    dialog.encoding_combo.setCurrentIndex(dialog.encoding_combo.findData("gb18030"))
    assert not dialog.import_button.isEnabled()


def test_missing_file_is_a_problem_not_a_crash(
    dialog: ImportDialog, ctx: UiContext, tmp_path: Path
) -> None:
    dialog.set_kind("depots")
    dialog.path_edit.setText(str(tmp_path / "nope.csv"))
    dialog.check_button.click()
    settle(ctx)
    assert dialog.report is not None and not dialog.report.ok
    assert dialog.problems.rows_model.rowCount() >= 1
    assert not dialog.import_button.isEnabled()


def test_escape_closes(qtbot: Any, dialog: ImportDialog) -> None:
    assert dialog.kind_combo.count() >= 9
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert closed(dialog)


def test_file_menu_opens_the_dialog(qtbot: Any, ctx: UiContext) -> None:
    window = MainWindow(ctx.db, ctx=ctx)
    qtbot.addWidget(window)
    settle(ctx)
    assert isinstance(window.import_action, QAction)
    assert window.import_action in window._menus["file"].actions()
    window.import_action.trigger()
    assert isinstance(window.import_dialog, ImportDialog)
    assert window.import_dialog.isVisible()
    window.import_dialog.reject()
    settle(ctx)
