"""Date and date-time editors keep what was typed (issue 18): selecting the field and typing a
full date in any form DOMAIN.md lists keeps the typed year; the end follows the start."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from drillplan.db.models import Drill
from tests.support.ui import answer_confirm, closed, error_under, fill, settle, shown, type_text

from drillplan.ui.areas.drills.page import DrillsPage
from drillplan.ui.context import UiContext
from drillplan.ui.date_edit import MomentEdit
from drillplan.ui.dialogs import FormDialog
from drillplan.ui.forms import FieldSpec, FormWidget

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> DrillsPage:
    return shown(qtbot, ctx, DrillsPage(ctx), (1200, 800))


def _new(page: DrillsPage) -> FormDialog:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    dialog.show()
    return dialog


def click_into(line: Any) -> None:
    """A click as Qt delivers it: the focus first, then the press (which places the cursor
    where it lands) and the release."""
    line.setFocus(Qt.FocusReason.MouseFocusReason)  # offscreen windows are never active, so
    focus_in = QFocusEvent(QEvent.Type.FocusIn, Qt.FocusReason.MouseFocusReason)
    QApplication.sendEvent(line, focus_in)  # the focus arrives as the platform would send it
    QTest.mouseClick(line, Qt.MouseButton.LeftButton, pos=line.rect().center())
    assert line.selectedText() == line.text()  # the whole value is selected


def type_into(edit: MomentEdit, text: str) -> None:
    """Click into the field (which selects it), type, and leave it with Tab."""
    click_into(edit.line)
    type_text(edit.line, text)
    QTest.keyClick(edit.line, Qt.Key.Key_Tab)
    edit.line.editingFinished.emit()


@pytest.mark.parametrize(
    "typed",
    ["2027-01-05", "2027/1/5", "2027.1.5", "2027年1月5日", "20270105", "２０２７－０１－０５"],
)
def test_typing_a_full_date_keeps_its_year_and_the_end_follows(
    page: DrillsPage, ctx: UiContext, typed: str
) -> None:
    dialog = _new(page)
    start, end = dialog.form.editor("starts_at"), dialog.form.editor("ends_at")
    assert isinstance(start, MomentEdit) and isinstance(end, MomentEdit)
    before_start, before_end = start.value(), end.value()
    assert before_start is not None and before_end is not None
    assert before_start.year != 2027
    type_into(start, typed)
    assert start.value() == dt.datetime(2027, 1, 5, before_start.hour, before_start.minute)
    assert start.line.text() == f"2027-01-05 {before_start:%H:%M}"  # shown as it is kept
    assert end.value() == start.value() + (before_end - before_start)  # the duration is kept
    dialog.reject()


def test_the_typed_year_is_what_is_saved(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    dialog = _new(page)
    fill(
        dialog.form,
        code="QP-DR-DT-01",
        title="日期输入测试",
        form="tabletop",
        scope="single",
        organiser_unit_id=page._choices[0][0][0],
    )
    type_into(dialog.form.editor("starts_at"), "2027年1月5日 14:00")  # type: ignore[arg-type]
    answer_confirm(monkeypatch, True)
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        saved = session.scalars(select(Drill).where(Drill.code == "QP-DR-DT-01")).one()
    assert saved.starts_at == dt.datetime(2027, 1, 5, 14, 0)
    assert saved.ends_at == dt.datetime(2027, 1, 5, 17, 0)  # three hours, as before


def test_a_wrong_date_is_shown_under_its_field(page: DrillsPage, ctx: UiContext) -> None:
    dialog = _new(page)
    start = dialog.form.editor("starts_at")
    assert isinstance(start, MomentEdit)
    end_before = dialog.form.editor("ends_at").value()  # type: ignore[attr-defined]
    type_into(start, "2027-02-30")
    assert "没有30日" in error_under(dialog.form, "starts_at")
    assert dialog.form.editor("ends_at").value() == end_before  # type: ignore[attr-defined]
    assert dialog.form.collect() is None
    dialog.reject()


def test_an_end_typed_alone_keeps_its_own_time(qtbot: Any) -> None:
    form = FormWidget(
        [
            FieldSpec("starts_at", "开始", "datetime"),
            FieldSpec("ends_at", "结束", "datetime", keeps_duration_of="starts_at"),
        ]
    )
    qtbot.addWidget(form)
    form.show()
    form.set_values(
        {"starts_at": dt.datetime(2026, 3, 2, 9, 0), "ends_at": dt.datetime(2026, 3, 2, 11, 30)}
    )
    end = form.editor("ends_at")
    assert isinstance(end, MomentEdit)
    type_into(end, "2026-03-03")
    assert form.collect() == {
        "starts_at": dt.datetime(2026, 3, 2, 9, 0),
        "ends_at": dt.datetime(2026, 3, 3, 11, 30),  # the end moved alone, its time kept
    }
    type_into(form.editor("starts_at"), "2026-03-02 10:00")  # type: ignore[arg-type]
    assert form.collect()["ends_at"] == dt.datetime(2026, 3, 3, 12, 30)  # type: ignore[index]


def test_the_calendar_button_picks_a_day_and_keeps_the_time(qtbot: Any) -> None:
    edit = MomentEdit()
    qtbot.addWidget(edit)
    edit.show()
    edit.set_value(dt.datetime(2026, 3, 2, 9, 45))
    seen: list[tuple[dt.datetime, dt.datetime]] = []
    edit.moved.connect(lambda old, new: seen.append((old, new)))
    edit.button.click()
    assert edit.calendar is not None and edit.calendar.isVisible()
    edit._picked(dt.date(2027, 1, 1))
    assert edit.value() == dt.datetime(2027, 1, 1, 9, 45) and edit.calendar is None
    assert seen == [(dt.datetime(2026, 3, 2, 9, 45), dt.datetime(2027, 1, 1, 9, 45))]


def test_a_date_field_takes_every_form_too(qtbot: Any) -> None:
    form = FormWidget([FieldSpec("on", "日期", "date")])
    qtbot.addWidget(form)
    form.show()
    line = form.editor("on")
    for typed in (
        "2027-01-01",
        "2027/1/1",
        "2027.1.1",
        "2027年1月1日",
        "20270101",
        "２０２７．１．１",
    ):
        form.set_values({"on": dt.date(2026, 1, 1)})
        click_into(line)
        type_text(line, typed)
        assert form.collect() == {"on": dt.date(2027, 1, 1)}, typed
