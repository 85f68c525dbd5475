"""总览's pre-flood-season line (issue 15 item 3): while the check is due it counts the missing
checklist lines, the same as the core, and opens them and the printed checklist; before the
window opens it says when it opens."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from drillplan.db.database import Database
from drillplan.readiness.preseason import preseason_check
from tests.support.ui import AS_OF, settle

from drillplan.ui import messages
from drillplan.ui.areas.overview.page import PreseasonDialog
from drillplan.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.ui


def _window(qtbot: Any, db: Database, as_of: dt.date) -> MainWindow:
    win = MainWindow(db, as_of=as_of)
    qtbot.addWidget(win)
    win.resize(1366, 740)
    win.show()
    settle(win.ctx)
    return win


def test_the_line_counts_the_missing_lines_and_opens_them(
    qtbot: Any, demo_db: Database, tmp_path: Path
) -> None:
    window = _window(qtbot, demo_db, AS_OF)  # 2025-06-01: the season starts, the check is due
    page = window.overview
    with demo_db.session() as session:
        check = preseason_check(session, as_of=AS_OF)
    assert check.due and 0 < len(check.missing) < len(check.lines)
    assert page.preseason is not None and page.preseason.due
    assert page.preseason.count == len(check.missing)
    text = page.preseason_card.value.text()
    assert text == f"汛前检查：缺 {len(check.missing)} 项（共 {len(check.lines)} 项）"
    if os.environ.get("DRILLPLAN_SHOTS"):
        window.grab().save(os.path.join(os.environ["DRILLPLAN_SHOTS"], "overview-preseason.png"))
    page.preseason_card.clicked.emit()
    settle(window.ctx)
    dialog = page.dialog
    assert isinstance(dialog, PreseasonDialog) and dialog.isVisible()
    view = dialog.findChild(object, "preseasonTable")
    assert view is not None and view.model().rowCount() == len(check.missing)
    first = check.missing[0]
    assert view.model().index(0, 1).data() == f"{first.code} {first.name}"
    if os.environ.get("DRILLPLAN_SHOTS"):
        dialog.grab().save(os.path.join(os.environ["DRILLPLAN_SHOTS"], "preseason-dialog.png"))
    informed: list[str] = []
    qtbot_patch = pytest.MonkeyPatch()
    qtbot_patch.setattr(messages, "inform", lambda _p, _t, message: informed.append(message))
    try:
        page.print_preseason(str(tmp_path / "pre.pdf"))
        settle(window.ctx)
    finally:
        qtbot_patch.undo()
    text = "".join(p.extract_text() for p in PdfReader(tmp_path / "pre.pdf").pages)
    assert "汛前检查表" in text and "一、防汛物资" in text
    assert informed and str(tmp_path / "pre.pdf") in informed[0]


def test_outside_the_window_the_line_says_when_it_opens(qtbot: Any, demo_db: Database) -> None:
    window = _window(qtbot, demo_db, dt.date(2025, 10, 8))  # after the season: next year's
    page = window.overview
    assert page.preseason is not None and not page.preseason.due
    assert page.preseason_card.value.text() == "2026年汛前检查 2026-05-02 开始"
    assert not page.preseason_card.property("alert")
