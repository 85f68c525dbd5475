"""Forms (issue 18): every error at once, each under its field, without moving the layout;
Esc (or Cancel, or ×) on a changed form asks 放弃修改？, an unchanged form closes at once."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from drillplan.kernel.errors import ValidationError
from tests.support.ui import closed, error_under, fill, settle

from drillplan.ui import messages
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog
from drillplan.ui.forms import FieldSpec
from drillplan.ui.messages import discard_changes as real_discard_changes

FIELDS = [
    FieldSpec("code", "编号", required=True),
    FieldSpec("title", "名称", required=True),
    FieldSpec("on", "日期", "date"),
    FieldSpec("months", "间隔（月）", "int"),
    FieldSpec("notes", "备注", "multiline"),
]


def _dialog(qtbot: Any, ctx: UiContext, save: Any = None, **values: Any) -> FormDialog:
    dialog = FormDialog(
        None,
        ctx,
        name="errorsForm",
        title="表单",
        fields=FIELDS,
        save=save or (lambda _s, v: v),
        values=values or None,
    )
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    return dialog


def _places(dialog: FormDialog) -> dict[str, tuple[QPoint, int]]:
    return {
        key: (editor.widget.mapTo(dialog, QPoint(0, 0)), editor.widget.height())
        for key, editor in dialog.form.editors.items()
    }


def test_every_error_at_once_under_its_field_and_nothing_moves(qtbot: Any, ctx: UiContext) -> None:
    dialog = _dialog(qtbot, ctx)
    before = _places(dialog)
    size = dialog.size()
    fill(dialog.form, on="2027-02-30", months="三个月")
    dialog.accept()
    QApplication.processEvents()
    assert "编号不能为空" in error_under(dialog.form, "code")
    assert "名称不能为空" in error_under(dialog.form, "title")
    assert "没有30日" in error_under(dialog.form, "on")
    assert "整数" in error_under(dialog.form, "months")
    assert error_under(dialog.form, "notes") == ""
    assert _places(dialog) == before and dialog.size() == size  # the next click lands true
    assert QApplication.focusWidget() is dialog.form.editor("code")  # the first one to fix


def test_a_long_message_is_cut_on_its_line_and_whole_in_the_tooltip(
    qtbot: Any, ctx: UiContext
) -> None:
    dialog = _dialog(qtbot, ctx)
    before = _places(dialog)
    long = "这是一条很长的错误说明，" * 20
    dialog.form.show_error("on", long)
    QApplication.processEvents()
    label = dialog.form.errors["on"]
    assert label.text() == long and label.toolTip() == long
    assert str(label.property("text")).endswith("…")
    assert _places(dialog) == before


def test_errors_the_core_finds_together_are_shown_together(qtbot: Any, ctx: UiContext) -> None:
    def save(_session: Any, _values: dict[str, Any]) -> Any:
        raise ValidationError(
            "code",
            "编号“X”已被使用",
            others=(ValidationError("months", "间隔不能超过 120 个月"),),
        )

    dialog = _dialog(qtbot, ctx, save)
    fill(dialog.form, code="X", title="名称", months="500")
    dialog.accept()
    settle(ctx)
    assert "已被使用" in error_under(dialog.form, "code")
    assert "120" in error_under(dialog.form, "months")
    assert not closed(dialog) and messages.open_error_boxes() == []


def test_escape_on_a_changed_form_asks_first(
    qtbot: Any, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[QWidget | None] = []
    answers = [False, True]  # 继续编辑, then 放弃修改

    def ask(parent: QWidget | None) -> bool:
        asked.append(parent)
        return answers.pop(0)

    monkeypatch.setattr(messages, "discard_changes", ask)
    untouched = _dialog(qtbot, ctx, code="A-1", title="原名称")
    qtbot.keyClick(untouched, Qt.Key.Key_Escape)
    assert closed(untouched) and asked == []  # nothing changed: closes at once

    dialog = _dialog(qtbot, ctx, code="A-1", title="原名称")
    fill(dialog.form, title="改过的名称")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert asked == [dialog] and dialog.isVisible()  # 继续编辑: the edit is still there
    assert dialog.form.editors["title"].raw() == "改过的名称"
    dialog.buttons.button(dialog.buttons.StandardButton.Cancel).click()
    assert len(asked) == 2 and closed(dialog)  # 放弃修改


def test_changing_back_counts_as_unchanged(
    qtbot: Any, ctx: UiContext, discard_without_asking: list[QWidget | None]
) -> None:
    dialog = _dialog(qtbot, ctx, code="A-1", title="原名称")
    fill(dialog.form, title="改过的名称")
    assert dialog.form.changed() == ["title"]
    fill(dialog.form, title="原名称")
    assert dialog.form.changed() == []
    dialog.close()  # the window's ×
    assert closed(dialog) and discard_without_asking == []


def test_the_question_keeps_editing_by_default() -> None:
    seen: dict[str, Any] = {}

    def answer(button: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["title"] = box.windowTitle()
        seen["buttons"] = sorted(b.text() for b in box.buttons())
        seen["default"] = box.defaultButton().text()
        next(b for b in box.buttons() if b.text() == button).click()

    QTimer.singleShot(0, lambda: answer("继续编辑"))
    assert real_discard_changes(None) is False
    assert seen == {
        "title": "放弃修改？",
        "buttons": sorted(["放弃修改", "继续编辑"]),
        "default": "继续编辑",
    }
    QTimer.singleShot(0, lambda: answer("放弃修改"))
    assert real_discard_changes(None) is True
