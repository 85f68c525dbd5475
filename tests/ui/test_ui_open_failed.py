"""A PDF or folder that cannot be opened (no viewer) says so with its path, a button to its
folder and one to copy the path; Qt's own dialogs speak Chinese in the Chinese UI."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel

from tests.support.ui import shown

from drillplan.ui import opener
from drillplan.ui.areas.reports.page import ReportsPage
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import set_language

pytestmark = pytest.mark.ui


@pytest.fixture
def handed(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """What was handed to the desktop, and whether it can open files / folders."""
    state: dict[str, Any] = {"calls": [], "files": False, "folders": True}

    def fake(path: Path) -> bool:
        state["calls"].append(path)
        return bool(state["folders"] if path.is_dir() else state["files"])

    monkeypatch.setattr(opener, "system_open", fake)
    return state


def test_a_pdf_without_viewer_shows_its_path_and_opens_its_folder(
    qtbot: Any, ctx: UiContext, tmp_path: Path, handed: dict[str, Any]
) -> None:
    pdf = tmp_path / "报表" / "readiness.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4\n")
    page = shown(qtbot, ctx, ReportsPage(ctx), (1000, 700))
    assert page.open_pdf(pdf) is False
    [dialog] = opener.open_failed_dialogs()
    assert dialog.path_label.text() == str(pdf)
    assert "PDF" in dialog.message.text()
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == str(pdf)
    assert dialog.isVisible()  # copying keeps the message up
    dialog.folder_button.click()
    assert handed["calls"] == [pdf, pdf.parent]
    qtbot.waitUntil(lambda: not opener.open_failed_dialogs())


def test_when_the_folder_cannot_be_opened_either_it_says_so(
    qtbot: Any, tmp_path: Path, handed: dict[str, Any]
) -> None:
    handed["folders"] = False
    target = tmp_path / "a.pdf"
    target.write_bytes(b"%PDF")
    assert opener.open_path(None, target) is False
    [dialog] = opener.open_failed_dialogs()
    qtbot.addWidget(dialog)
    assert dialog.open_folder() is False
    assert dialog.isVisible() and "复制路径" in dialog.status.text()
    dialog.reject()


def test_an_opened_file_shows_nothing(tmp_path: Path, handed: dict[str, Any]) -> None:
    handed["files"] = True
    assert opener.open_path(None, tmp_path / "b.pdf") is True
    assert opener.open_failed_dialogs() == []


def file_dialog_labels(qtbot: Any) -> dict[str, str]:
    dialog = QFileDialog(None, "x", "", "PDF (*.pdf)")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    return {label.objectName(): label.text() for label in dialog.findChildren(QLabel)}


def test_the_qt_file_dialog_speaks_chinese(qtbot: Any, ui_app: QApplication) -> None:
    set_language("zh")
    labels = file_dialog_labels(qtbot)
    assert labels["lookInLabel"] == "查看(&L)："
    assert labels["fileTypeLabel"] == "文件类型(&T)："
    assert labels["fileNameLabel"].startswith("文件名")
    set_language("en")
    assert file_dialog_labels(qtbot)["lookInLabel"] == "&Look in:"
