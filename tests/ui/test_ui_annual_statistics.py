"""报表 page: the annual statistics (年度统计) is listed from the registry, takes the year and
is generated off the UI thread like every report."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from drillplan.db.database import Database
from tests.support.ui import AS_OF, settle  # fixtures: tests/ui/conftest.py

from drillplan.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.ui


def test_annual_statistics_from_the_reports_page(
    qtbot: Any, demo_db: Database, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    win = MainWindow(demo_db, as_of=AS_OF)
    qtbot.addWidget(win)
    win.show()
    settle(win.ctx)
    win.show_area("reports")
    page = win.pages["reports"]
    keys = [page.kinds.item(i).data(Qt.ItemDataRole.UserRole) for i in range(page.kinds.count())]
    assert "annual-statistics" in keys
    page.choose_kind("annual-statistics")
    assert page.year.isEnabled() and not page.drill.isEnabled()
    page.year.setValue(AS_OF.year)
    target = tmp_path / "annual.pdf"
    page.path_edit.setText(str(target))
    page.generate()
    settle(win.ctx)
    assert opened == [str(target)] and target.exists()
    text = "".join(PdfReader(str(target)).pages[0].extract_text().split())
    assert f"{AS_OF.year}年度应急管理工作统计" in text
