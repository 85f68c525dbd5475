"""导入 Excel/CSV: the check lists every problem and writes nothing; only a clean check
enables the import, which then writes the rows and refreshes the views."""

from __future__ import annotations

import os
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QProgressDialog, QPushButton

from drillplan.db.base import Base
from drillplan.db.models import Material
from drillplan.kernel.progress import Progress
from drillplan.stock import read as stock_read
from tests.support.ui import closed, open_errors, settle  # fixtures: tests/ui/conftest.py

from drillplan.ui.areas.interchange.import_dialog import ImportDialog
from drillplan.ui.context import UiContext
from drillplan.ui.ops import OpChanges
from drillplan.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.ui

HEADER = "物资编码,物资名称,计量单位,保质期（天）\n"
GOOD = "2990901,测试导入救生衣,件,1825\n"
BAD = "2990902,测试导入救生圈,个,-5\n"
FIXED = "2990902,测试导入救生圈,个,365\n"


def row_counts(ctx: UiContext) -> dict[str, int]:
    """The number of rows of every table."""
    with ctx.db.session() as session:
        return {
            t.name: int(session.scalar(select(func.count()).select_from(t)) or 0)
            for t in Base.metadata.sorted_tables
        }


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
    assert dialog.report.backup and dialog.report.backup in dialog.summary.text()
    assert "-before-import-" in dialog.report.backup  # the database as it was, kept N days
    assert not dialog.import_button.isEnabled()  # a second import needs a new check
    assert material_count(ctx) == before + 2
    with ctx.db.session() as session:
        names = [label for _id, label in stock_read.material_choices(session)]
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


def test_cancelling_a_running_import_shows_cancelled_and_writes_nothing(
    qtbot: Any,
    dialog: ImportDialog,
    ctx: UiContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The user presses 取消 in the progress dialog while rows are being written: the dialog
    says 已取消, no error dialog opens, and not one row of any table was written."""
    path = tmp_path / "many.csv"
    lines = "".join(f"{2990000 + i},取消测试物资{i},件,365\n" for i in range(1, 601))
    path.write_text(HEADER + lines, encoding="utf-8")
    dialog.set_kind("materials")
    dialog.path_edit.setText(str(path))
    dialog.check_button.click()
    settle(ctx)
    assert dialog.report is not None and dialog.report.ok and dialog.import_button.isEnabled()
    before = row_counts(ctx)

    # hold the import in its write phase (rows already flushed) until the user has cancelled
    writing, go_on = threading.Event(), threading.Event()
    update = Progress.update

    def held(self: Progress, value: int | None = None, **kw: Any) -> None:
        total = kw.get("maximum") or 0
        if value is not None and total and value > total // 2 and not writing.is_set():
            writing.set()
            go_on.wait(20)
        update(self, value, **kw)

    monkeypatch.setattr(Progress, "update", held)
    try:
        dialog.import_button.click()
        qtbot.waitUntil(writing.is_set, timeout=20_000)
        qtbot.waitUntil(
            lambda: dialog.findChild(QProgressDialog, "opProgress") is not None, timeout=10_000
        )
        progress = dialog.findChild(QProgressDialog, "opProgress")
        cancel = progress.findChild(QPushButton)
        assert cancel is not None and cancel.text() == "取消"
        cancel.click()
    finally:
        go_on.set()
    settle(ctx)

    assert "已取消" in dialog.summary.text()
    assert open_errors() == []
    assert dialog.check_button.isEnabled() and not dialog.import_button.isEnabled()
    assert dialog.findChild(QProgressDialog, "opProgress") is None or not progress.isVisible()
    assert row_counts(ctx) == before


def test_a_stale_row_is_refused_until_overwrite_is_ticked_and_checked_again(
    dialog: ImportDialog, ctx: UiContext, tmp_path: Path
) -> None:
    import csv

    from drillplan.db.models import Depot
    from drillplan.interchange.exporter import export_file
    from drillplan.stock import catalogue

    path = tmp_path / "depots.csv"
    with ctx.db.session() as session:
        export_file(session, "depots", path)
        depot = session.scalars(select(Depot).order_by(Depot.code)).first()
        assert depot is not None
        code = depot.code
        catalogue.update_depot(  # someone else edits the depot after the export
            session, depot_id=depot.id, expected_version=None, user="lisi", keeper="王五"
        )
    rows = list(csv.reader(path.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[1][0] == code
    rows[1][1] = "改过名称的储备库"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)

    dialog.set_kind("depots")
    dialog.path_edit.setText(str(path))
    dialog.check_button.click()
    settle(ctx)
    assert dialog.report is not None and [p.rule for p in dialog.report.problems] == ["stale_row"]
    cell = dialog.problems.rows_model.index(0, 3).data(Qt.ItemDataRole.DisplayRole)
    assert "lisi" in str(cell) and "stale_row" in str(cell)
    assert not dialog.import_button.isEnabled()

    dialog.overwrite_box.setChecked(True)
    dialog.check_button.click()
    settle(ctx)
    assert dialog.report is not None and dialog.report.ok and dialog.report.updated >= 1
    assert dialog.import_button.isEnabled()
    dialog.overwrite_box.setChecked(False)  # what was checked changed: check again first
    assert not dialog.import_button.isEnabled()
    dialog.overwrite_box.setChecked(True)
    dialog.check_button.click()
    settle(ctx)
    dialog.import_button.click()
    settle(ctx)
    assert dialog.report is not None and dialog.report.written
    with ctx.db.session() as session:
        depot = session.scalars(select(Depot).where(Depot.code == code)).one()
        assert depot.name == "改过名称的储备库" and depot.keeper != "王五"
    assert open_errors() == []
