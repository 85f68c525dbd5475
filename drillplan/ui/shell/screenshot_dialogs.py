"""How each main dialog is opened for its screenshot (the way a user would open it)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QLineEdit, QWidget

from drillplan.ui import messages

if TYPE_CHECKING:
    from drillplan.ui.shell.main_window import MainWindow


def _settle(window: MainWindow) -> None:
    window.ctx.runner.wait_idle()


def _page(window: MainWindow, area: str, tab: str | None = None) -> Any:
    window.show_area(area)
    page = window.pages[area]
    if tab:
        page.show_tab(tab)
    _settle(window)
    return page


def _opened(window: MainWindow, page: Any, action: Callable[[], None]) -> QWidget | None:
    page.dialog = None
    action()
    _settle(window)
    return page.dialog


def plan_edit(window: MainWindow) -> QWidget | None:
    page = _page(window, "plans")
    return _opened(window, page, page.edit_item)


def plan_validation(window: MainWindow) -> QWidget | None:
    dialog = plan_edit(window)
    if dialog is None:
        return None
    code = dialog.form.editor("code")  # type: ignore[attr-defined]
    assert isinstance(code, QLineEdit)
    code.setText("??")
    dialog.accept()  # type: ignore[attr-defined]
    _settle(window)
    return dialog


def plan_history(window: MainWindow) -> QWidget | None:
    page = _page(window, "plans")
    return _opened(window, page, page.show_history)


def team_edit(window: MainWindow) -> QWidget | None:
    page = _page(window, "teams")
    return _opened(window, page, page.edit_item)


def stock_receive(window: MainWindow) -> QWidget | None:
    page = _page(window, "stock", "lots")
    return _opened(window, page, page.stock_actions.receive)


def stock_issue(window: MainWindow) -> QWidget | None:
    """出库 started on a lot in the middle of the list: its holder, material and lot are
    preselected (as when a user selects the lot, then clicks 出库)."""
    page = _page(window, "stock", "lots")
    if page.lots.model.rowCount():
        page.lots.select_id(page.lots.model.id_at(page.lots.model.rowCount() // 2))
    dialog = _opened(window, page, page.stock_actions.issue)
    if dialog is None:
        return None
    dialog.form.editor("quantity").setText("5")  # type: ignore[attr-defined]
    dialog.update_preview()  # type: ignore[attr-defined]
    _settle(window)
    return dialog


def stock_count(window: MainWindow) -> QWidget | None:
    page = _page(window, "stock", "lots")
    return _opened(window, page, page.stock_actions.count)


def drill_edit(window: MainWindow) -> QWidget | None:
    page = _page(window, "drills", "list")
    return _opened(window, page, page.edit_item)


def drill_evaluation(window: MainWindow) -> QWidget | None:
    page = _page(window, "drills", "list")
    return _opened(window, page, page.drill_actions.evaluate)


def drill_schedule(window: MainWindow) -> QWidget | None:
    page = _page(window, "drills", "list")
    dialog = _opened(window, page, page.drill_actions.open_schedule)
    if dialog is not None:
        dialog.year.setValue(window.ctx.as_of().year + 1)  # type: ignore[attr-defined]
        dialog.generate()  # type: ignore[attr-defined]
        _settle(window)
    return dialog


def result_entry(window: MainWindow) -> QWidget | None:
    page = _page(window, "competitions", "competitions")
    return _opened(window, page, page.record_result)


def settings(window: MainWindow) -> QWidget | None:
    window.open_settings()
    _settle(window)
    return window.settings_dialog


def error(window: MainWindow) -> QWidget | None:
    page = _page(window, "plans")
    page.panel.select_id(page.panel.model.id_at(0))
    before = len(messages.open_error_boxes())
    original = messages.confirm
    messages.confirm = lambda *_a, **_k: True  # type: ignore[assignment]
    try:
        page.delete_item()
        _settle(window)
    finally:
        messages.confirm = original  # type: ignore[assignment]
    boxes = messages.open_error_boxes()
    return boxes[-1] if len(boxes) > before else None


DIALOGS: dict[str, Callable[[MainWindow], QWidget | None]] = {
    "plan-edit": plan_edit,
    "plan-validation": plan_validation,
    "plan-history": plan_history,
    "team-edit": team_edit,
    "stock-receive": stock_receive,
    "stock-issue": stock_issue,
    "stock-count": stock_count,
    "drill-edit": drill_edit,
    "drill-evaluation": drill_evaluation,
    "drill-schedule": drill_schedule,
    "result-entry": result_entry,
    "settings": settings,
    "error": error,
}
