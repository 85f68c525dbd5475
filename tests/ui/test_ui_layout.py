"""Saved layout: column widths come from the content unless the user resized a column by
hand (widths saved while a table was empty do not truncate names later); dialog sizes are
restored only when they fit the screen."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest

from PySide6.QtWidgets import QApplication

from drillplan.org.listing import TEAMS
from tests.support.ui import AS_OF, settle

from drillplan.ui import prefs as prefs_module
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog
from drillplan.ui.forms import FieldSpec
from drillplan.ui.listing_view import ListingPanel

pytestmark = pytest.mark.ui


def a_panel(qtbot: Any, ctx: UiContext) -> ListingPanel:
    panel = ListingPanel(TEAMS, ctx.session, as_of=AS_OF, loader=ctx.load_in_background)
    qtbot.addWidget(panel)
    panel.resize(1300, 600)
    return panel


def show_and_fit(qtbot: Any, ctx: UiContext, panel: ListingPanel) -> None:
    panel.show()
    settle(ctx)
    qtbot.waitUntil(lambda: panel._fitted_rows >= 0 and panel.model.rowCount() > 0)
    qtbot.wait(20)  # the fit runs after the layout settles
    QApplication.processEvents()


def width_of(panel: ListingPanel, key: str) -> int:
    return panel.view.horizontalHeader().sectionSize(TEAMS.keys.index(key))


def longest_name(panel: ListingPanel) -> int:
    column = TEAMS.keys.index("name")
    metrics = panel.view.fontMetrics()
    return max(
        metrics.horizontalAdvance(str(panel.model.index(r, column).data()))
        for r in range(panel.model.rowCount())
    )


def test_widths_saved_while_empty_do_not_truncate_names(qtbot: Any, ctx: UiContext) -> None:
    empty = a_panel(qtbot, ctx)
    empty.restrict([])  # nothing to show: the widths fit the headers only
    empty.show()
    settle(ctx)
    header = empty.view.horizontalHeader()
    for section in range(header.count()):
        empty._fitting = True  # as the old code did: the whole header state, no hand widths
        header.resizeSection(section, 40)
        empty._fitting = False
    prefs_module.current().save_layout(empty)
    later = a_panel(qtbot, ctx)
    show_and_fit(qtbot, ctx, later)
    assert width_of(later, "name") >= min(longest_name(later), 300)
    assert width_of(later, "name") > 40


def test_an_empty_table_is_fitted_again_when_rows_come(qtbot: Any, ctx: UiContext) -> None:
    panel = a_panel(qtbot, ctx)
    panel.restrict([])
    panel.show()
    settle(ctx)
    qtbot.wait(20)
    assert panel.model.rowCount() == 0 and panel._fitted_rows == 0
    narrow = width_of(panel, "name")
    panel.restrict(None)
    settle(ctx)
    qtbot.waitUntil(lambda: panel._fitted_rows > 0)
    assert width_of(panel, "name") > narrow


def test_a_column_resized_by_hand_keeps_its_width(qtbot: Any, ctx: UiContext) -> None:
    first = a_panel(qtbot, ctx)
    show_and_fit(qtbot, ctx, first)
    first.view.horizontalHeader().resizeSection(TEAMS.keys.index("name"), 77)  # the user drags
    assert prefs_module.current().column_widths(first.view.horizontalHeader().objectName()) == {
        "name": 77
    }
    again = a_panel(qtbot, ctx)
    show_and_fit(qtbot, ctx, again)
    assert width_of(again, "name") == 77
    assert width_of(again, "code") > 40  # the others still fit their content


def _form(ctx: UiContext) -> FormDialog:
    fields = [FieldSpec(f"f{i}", f"字段{i}") for i in range(3)]
    return FormDialog(
        None, ctx, name="smallForm", title="小表单", fields=fields, save=lambda s, v: v
    )


def test_a_saved_dialog_size_that_fits_is_restored(qtbot: Any, ctx: UiContext) -> None:
    first = _form(ctx)
    qtbot.addWidget(first)
    first.show()
    area = first.screen().availableGeometry()
    first.resize(min(620, area.width() - 100), min(430, area.height() - 100))
    size = first.size()
    first.reject()
    second = _form(ctx)
    qtbot.addWidget(second)
    second.show()
    QApplication.processEvents()
    assert second.size() == size


def test_only_the_dimension_that_does_not_fit_is_given_up(qtbot: Any, ctx: UiContext) -> None:
    from drillplan.ui.dialogs import fit_to_screen

    dialog = _form(ctx)
    qtbot.addWidget(dialog)
    area = dialog.screen().availableGeometry()
    dialog.resize(min(700, area.width() - 100), area.height() + 200)  # too tall only
    fit_to_screen(dialog)
    assert dialog.width() == min(700, area.width() - 100)  # the width that fits is kept
    assert dialog.height() <= area.height()
