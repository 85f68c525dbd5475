"""Every main dialog fits the screen it opens on with its buttons visible (issue 18): long forms
scroll inside, and a size saved on a bigger screen is dropped."""

from __future__ import annotations

import pytest

from PySide6.QtCore import QByteArray, QPoint, QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QDialogButtonBox, QLineEdit, QWidget

from drillplan.db.database import Database

from drillplan.ui import prefs as prefs_module
from drillplan.ui.dialogs import FormDialog, fit_to_screen
from drillplan.ui.forms import FieldSpec
from drillplan.ui.shell.main_window import MainWindow
from drillplan.ui.shell.screenshot_dialogs import DIALOGS


def _screen(widget: QWidget) -> QRect:
    screen = widget.screen() or QApplication.primaryScreen()
    return screen.availableGeometry()


def _buttons_inside(dialog: QWidget) -> list[QAbstractButton]:
    area = _screen(dialog)
    buttons = [
        button
        for box in dialog.findChildren(QDialogButtonBox)
        if box.isVisible()
        for button in box.buttons()
        if button.isVisible()
    ]
    for button in buttons:
        top_left = button.mapToGlobal(QPoint(0, 0))
        rect = QRect(top_left, button.size())
        assert area.contains(rect), (dialog.objectName(), button.text(), rect, area)
        # the button is not clipped by its dialog either
        assert dialog.rect().contains(QRect(button.mapTo(dialog, QPoint(0, 0)), button.size()))
    return buttons


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_every_dialog_fits_the_screen(qtbot, demo_db: Database, name: str) -> None:
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    dialog = DIALOGS[name](window)
    assert dialog is not None, name
    dialog.show()
    QApplication.processEvents()
    area = _screen(dialog)
    assert dialog.width() <= area.width() and dialog.height() <= area.height(), (
        name,
        dialog.size(),
        area,
    )
    _buttons_inside(dialog)
    dialog.close()


def _long_form(ctx) -> FormDialog:  # type: ignore[no-untyped-def]
    fields = [FieldSpec(f"f{i}", f"字段{i}", kind="text") for i in range(60)]
    return FormDialog(
        None, ctx, name="longForm", title="长表单", fields=fields, save=lambda s, v: v
    )


def test_a_long_form_scrolls_and_keeps_its_buttons(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    dialog = _long_form(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    area = _screen(dialog)
    assert dialog.height() <= area.height()
    assert dialog.scroll.verticalScrollBar().maximum() > 0  # the fields scroll ...
    assert [b.text() for b in _buttons_inside(dialog)] == ["保存", "取消"]  # ... the buttons do not
    assert isinstance(dialog.form.editor("f59"), QLineEdit)


def test_a_saved_size_bigger_than_the_screen_is_dropped(qtbot, ctx) -> None:  # type: ignore[no-untyped-def]
    first = _long_form(ctx)
    qtbot.addWidget(first)
    area = _screen(first)
    first.setGeometry(0, 0, area.width() * 2, area.height() * 2)  # as on a bigger monitor
    prefs_module.current().save_geometry("dialog/longForm", first)
    saved = prefs_module.current().store.value("geometry/dialog/longForm")
    assert isinstance(saved, QByteArray)
    second = _long_form(ctx)
    qtbot.addWidget(second)
    second.show()
    QApplication.processEvents()
    assert second.width() <= area.width() and second.height() <= area.height()
    assert area.contains(second.geometry())
    _buttons_inside(second)


def test_fit_moves_a_window_back_onto_the_screen(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    area = _screen(widget)
    widget.setGeometry(area.right() + 100, area.bottom() + 100, 300, 200)
    fit_to_screen(widget)
    assert area.contains(widget.geometry())


def test_only_the_dimension_that_does_not_fit_shrinks(qtbot) -> None:  # type: ignore[no-untyped-def]
    widget = QWidget()
    qtbot.addWidget(widget)
    area = _screen(widget)
    widget.resize(area.width() + 200, 300)  # a wide history dialog on a narrow screen
    fit_to_screen(widget)
    assert widget.width() <= area.width() and widget.width() > area.width() - 100
    assert widget.height() == 300  # not dropped to its (tiny) size hint
