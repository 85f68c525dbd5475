"""总览 (every figure opens the list behind it) and 报表 (generated off the UI thread, then
opened in the system viewer); the standard shortcuts of the main window."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication

from drillplan.db.database import Database
from drillplan.readiness.dashboard import dashboard
from tests.support.ui import (  # fixtures: tests/ui/conftest.py
    AS_OF,
    answer_confirm,
    open_errors,
    settle,
)

from drillplan.ui.areas.overview.page import ProblemsDialog
from drillplan.ui.areas.reports import page as reports_page
from drillplan.ui.help import HelpDialog
from drillplan.ui.shell.main_window import MainWindow

pytestmark = pytest.mark.ui


@pytest.fixture
def window(qtbot: Any, demo_db: Database) -> MainWindow:
    win = MainWindow(demo_db, as_of=AS_OF)
    qtbot.addWidget(win)
    win.resize(1280, 800)
    win.show()
    settle(win.ctx)
    return win


def test_dashboard_figures_equal_the_core_and_open_their_lists(window: MainWindow) -> None:
    page = window.overview
    assert page.data is not None
    with window.ctx.db.session() as session:
        expected = dashboard(session, as_of=AS_OF)
    assert page.data.score == expected.score
    assert page.score_card.value.text() == f"{expected.score:.1f}"
    assert {f.key: f.count for f in page.data.figures} == {f.key: f.count for f in expected.figures}
    assert len(page.component_rows) == 7  # six components + facilities (issue 14)

    def open_card(key: str) -> None:
        window.show_area("overview")
        page.cards[key].clicked.emit()
        settle(window.ctx)

    figure = page.data.figure("lots_expired")
    open_card("lots_expired")
    stock = window.pages["stock"]
    assert window.current_area() == "stock" and stock.current_tab() == "lots"
    assert stock.lots.model.total == figure.count > 0
    assert stock.lots.restriction.isVisible()
    stock.lots.clear_restriction.click()
    assert stock.lots.model.total > figure.count

    open_card("certs_expiring")
    assert stock.current_tab() == "expiry" and stock.expiry.current_kind() == "certificates"
    assert len(stock.expiry.rows()) == page.data.figure("certs_expiring").count

    open_card("plans_overdue")
    assert window.pages["plans"].panel.model.total == page.data.figure("plans_overdue").count

    open_card("actions_overdue")
    drills = window.pages["drills"]
    assert drills.current_tab() == "actions"
    assert len(drills.actions.rows_model.rows) == page.data.figure("actions_overdue").count

    open_card("drills_month")
    assert drills.panel.model.total == page.data.figure("drills_month").count

    window.show_area("overview")
    page.open_component("expiry")
    assert isinstance(page.dialog, ProblemsDialog)


def test_cards_open_with_the_keyboard(qtbot: Any, window: MainWindow) -> None:
    card = window.overview.cards["plans_overdue"]
    card.setFocus()
    qtbot.keyClick(card, Qt.Key.Key_Return)
    settle(window.ctx)
    assert window.current_area() == "plans"


def test_report_generated_in_the_background_then_opened(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    window.show_area("reports")
    page = window.pages["reports"]
    page.choose_kind("expiry")
    target = tmp_path / "reports" / "expiry.pdf"
    page.path_edit.setText(str(target))
    page.lang.setCurrentIndex(page.lang.findData("en"))
    page.generate()
    assert not page.generate_button.isEnabled()  # running on the worker
    settle(window.ctx)
    assert opened == [str(target)] and target.exists()
    assert page.last_result is not None and page.last_result.path == target
    text = PdfReader(str(target)).pages[0].extract_text()
    assert "Expiry" in text or "expiry" in text

    page.choose_kind("drill-evaluation")
    assert page.drill.isEnabled() and page.drill.count() > 0 and not page.year.isEnabled()
    page.path_edit.setText(str(tmp_path / "evaluation.pdf"))
    page.generate()
    settle(window.ctx)
    assert opened[-1] == str(tmp_path / "evaluation.pdf")

    page.as_of_edit.setText("not a date")
    page.generate()
    settle(window.ctx)
    assert any("无法识别的日期" in t for t in open_errors())


def test_keyboard_shortcuts(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    calls: list[str] = []
    monkeypatch.setattr(reports_page.ReportsPage, "generate", lambda self: calls.append("report"))
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert window.current_area() == "reports"
    qtbot.keyClick(window, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert calls == ["report"]

    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    plans = window.pages["plans"]
    plans.panel.view.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert plans.dialog is not None and plans.dialog.objectName() == "planNew"
    plans.dialog.reject()
    window.activateWindow()  # offscreen has no window manager to give the focus back
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)

    asked = answer_confirm(monkeypatch, False)
    plans.panel.view.setFocus()
    qtbot.keyClick(plans.panel.view, Qt.Key.Key_Delete)
    assert asked and "删除" in asked[0]

    plans.panel.search.setFocus()
    plans.panel.search.setText("abc")
    asked.clear()
    qtbot.keyClick(plans.panel.search, Qt.Key.Key_Delete)  # a text box keeps its Del
    assert asked == []

    refreshed: list[bool] = []
    monkeypatch.setattr(type(plans), "refresh", lambda self: refreshed.append(True))
    qtbot.keyClick(window, Qt.Key.Key_F5)
    assert refreshed == [True]

    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert isinstance(window.help_dialog, HelpDialog)
    assert "使用说明" in window.help_dialog.browser.toPlainText()
    window.help_dialog.close()


def test_file_menu_opens_units_and_the_audit_log(window: MainWindow) -> None:
    window.open_units()
    settle(window.ctx)
    assert window.units_dialog.view.rows_model.rowCount() > 0
    window.units_dialog.close()
    window.open_audit()
    assert window.audit_dialog.isVisible()
    window.audit_dialog.close()


def test_bench_ui_reports_every_figure(demo_db: Database) -> None:
    from drillplan.ui.shell.bench import FLOORS, bench_ui, cold_start

    figures = bench_ui(demo_db.url.removeprefix("sqlite:///"), cold=False)
    for key in ("lot_list_open_ms", "scroll_to_end_ms", "sort_by_expiry_ms", "rss_mb"):
        assert figures[key] > 0, key
    assert figures["last_row_shown"] and figures["lot_list_rows"] > 0
    assert set(figures["floors"]) == set(FLOORS)
    assert 0 < cold_start(demo_db.url.removeprefix("sqlite:///")) < 60_000
