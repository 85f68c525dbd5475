"""Searchable pickers: typing a code, a name or pinyin initials filters materials, units,
teams, depots and plans in the forms that pick them."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget

from tests.support.ui import settle, shown

from drillplan.ui.areas.drills.dialogs import drill_fields
from drillplan.ui.areas.plans.page import plan_fields
from drillplan.ui.areas.stock import dialogs as sd
from drillplan.ui.areas.stock.catalogue import depot_fields
from drillplan.ui.areas.stock.page import StockPage
from drillplan.ui.areas.teams.page import team_fields
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog
from drillplan.ui.forms import FormWidget
from drillplan.ui.picker import SearchChecklist, SearchPicker

pytestmark = pytest.mark.ui

MATERIALS = [(1, "2010101 救生衣（件）"), (2, "2030102 冲锋舟（艘）"), (3, "2030201 编织袋（只）")]


def a_picker(qtbot: Any, *, empty: str = "") -> SearchPicker:
    picker = SearchPicker()
    qtbot.addWidget(picker)
    picker.set_choices(MATERIALS, empty=empty)
    picker.show()
    return picker


def type_into(picker: SearchPicker, text: str) -> None:
    line = picker.lineEdit()
    assert line is not None
    line.selectAll()
    if text.isascii():
        QTest.keyClicks(line, text)
    else:  # QTest types ASCII only; this is what an input method delivers
        line.setText(text)
        line.textEdited.emit(text)


def test_typing_initials_filters_and_enter_picks(qtbot: Any) -> None:
    picker = a_picker(qtbot)
    assert picker.value() == 1
    type_into(picker, "cfz")
    assert [picker.itemText(r) for r in picker.matching_rows()] == ["2030102 冲锋舟（艘）"]
    popup = picker.completer().popup()
    assert popup.isVisible() and popup.model().rowCount() == 1
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert picker.value() == 2 and picker.currentText() == "2030102 冲锋舟（艘）"


def test_code_and_name_find_and_leaving_takes_the_first_match(qtbot: Any) -> None:
    picker = a_picker(qtbot)
    type_into(picker, "203")
    assert len(picker.matching_rows()) == 2
    picker.completer().popup().hide()
    assert picker.value() == 2  # the first of 冲锋舟, 编织袋
    type_into(picker, "编织")
    assert picker.value() == 3


def test_text_that_finds_nothing_keeps_the_previous_choice(qtbot: Any) -> None:
    picker = a_picker(qtbot)
    picker.set_value(3)
    type_into(picker, "qqq")
    assert picker.matching_rows() == []
    assert picker.value() == 3
    assert picker.currentText() == "2030201 编织袋（只）"  # what is shown is what is saved


def test_clearing_an_optional_picker_chooses_nothing(qtbot: Any) -> None:
    picker = a_picker(qtbot, empty="（未选择）")
    picker.set_value(2)
    type_into(picker, "j")
    assert "（未选择）" not in [picker.itemText(r) for r in picker.matching_rows()]
    line = picker.lineEdit()
    assert line is not None
    line.clear()
    assert picker.value() is None


def test_checklist_filters_but_keeps_the_checked_in_sight(qtbot: Any) -> None:
    checklist = SearchChecklist()
    qtbot.addWidget(checklist)
    checklist.set_choices(MATERIALS)
    checklist.set_value([1])
    QTest.keyClicks(checklist.search, "bzd")
    assert checklist.visible_texts() == ["2010101 救生衣（件）", "2030201 编织袋（只）"]
    checklist.items.item(2).setCheckState(Qt.CheckState.Checked)
    assert checklist.value() == [1, 3]


def pickers_of(fields: list[Any], qtbot: Any) -> dict[str, type[QWidget]]:
    form = FormWidget(fields)
    qtbot.addWidget(form)
    return {key: type(editor.widget) for key, editor in form.editors.items()}


def test_every_form_that_picks_a_record_searches(qtbot: Any) -> None:
    units, holders = [(1, "区应急管理局")], [(7, "D01 区级储备库")]
    kinds: dict[str, type[QWidget]] = {}
    for fields in (
        sd.receive_fields(holders, MATERIALS),
        sd.issue_fields(holders, MATERIALS),
        sd.transfer_fields(holders, MATERIALS),
    ):
        kinds |= pickers_of(fields, qtbot)
    assert {kinds[k] for k in ("holder_id", "material_id", "from_holder_id", "to_holder_id")} == {
        SearchPicker
    }
    for fields in (plan_fields(units, new=True), team_fields(units), depot_fields(units)):
        assert pickers_of(fields, qtbot)["owner_unit_id"] is SearchPicker
    drill = pickers_of(drill_fields(units, [(1, "P1 预案")], [(1, "T1 队伍")], new=True), qtbot)
    assert drill["organiser_unit_id"] is SearchPicker
    assert drill["plan_ids"] is SearchChecklist and drill["team_ids"] is SearchChecklist


def test_receive_dialog_finds_the_assault_boat_by_initials(qtbot: Any, ctx: UiContext) -> None:
    page = shown(qtbot, ctx, StockPage(ctx), (1200, 760))
    page.stock_actions.receive()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    picker = dialog.form.editor("material_id")
    assert isinstance(picker, SearchPicker) and picker.count() > 50
    type_into(picker, "cfz")
    found = [picker.itemText(r) for r in picker.matching_rows()]
    assert found and all("冲锋舟" in text for text in found)
    picker.completer().popup().hide()
    material_id = dialog.form.editors["material_id"].raw()  # what Save would send
    assert material_id is not None and "冲锋舟" in picker.currentText()
    dialog.reject()


def test_a_form_with_pickers_knows_when_they_are_changed(qtbot: Any) -> None:
    """Opening a form with pickers takes its snapshot (Escape asks only after a change), and a
    picker or checklist changed by the user counts as a change of that field."""
    units = [(1, "区应急管理局"), (2, "金泽镇")]
    form = FormWidget(
        drill_fields(units, [(1, "P1 预案"), (2, "P2 预案")], [(1, "T1 队伍")], new=True)
    )
    qtbot.addWidget(form)
    form.set_values({"organiser_unit_id": 1, "plan_ids": [1]})
    assert form.changed() == []
    organiser = form.editor("organiser_unit_id")
    assert isinstance(organiser, SearchPicker)
    organiser.set_value(2)
    assert form.changed() == ["organiser_unit_id"]
    plans = form.editor("plan_ids")
    assert isinstance(plans, SearchChecklist)
    plans.set_value([1, 2])
    assert sorted(form.changed()) == ["organiser_unit_id", "plan_ids"]
    organiser.set_value(1)
    plans.set_value([1])
    assert form.changed() == []
