"""The standard message boxes: one error dialog for every failure, and confirmations.

Errors are shown window-modal but without blocking the caller (``open()``), so an op's
failure never nests an event loop; confirmations block (the caller needs the answer).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any

import shiboken6
from sqlalchemy.exc import SQLAlchemyError

from PySide6.QtWidgets import QMessageBox, QWidget

from drillplan.kernel.errors import (
    Conflict,
    DrillplanError,
    EditConflict,
    NotFound,
    PermissionDenied,
    ValidationError,
)
from drillplan.kernel.stale import row_name
from drillplan.kernel.vocab import LABELS
from drillplan.kernel.vocab import label as vocab_label

from drillplan.ui.i18n import current_language, tr

# how a form shows a field's value: (key, value) -> text ("基层单位" for "grassroots")
ValueText = Callable[[str, Any], str]

_ISO_MOMENT = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$")


def field_labels() -> dict[str, str]:
    """Field names the core uses in ValidationError, as the user knows them."""
    return {
        "code": tr("编号"),
        "title": tr("名称"),
        "name": tr("名称"),
        "status": tr("状态"),
        "date": tr("日期"),
        "on": tr("日期"),
        "quantity": tr("数量"),
        "reason": tr("原因"),
        "summary": tr("说明"),
        "version": tr("版本号"),
        "phone": tr("电话"),
        "duty_phone": tr("值班电话"),
        "credit_code": tr("统一社会信用代码"),
        "rrule": tr("重复规则"),
        "starts_at": tr("开始时间"),
        "ends_at": tr("结束时间"),
        "original_start": tr("原定时间"),
        "new_start": tr("新的开始时间"),
        "lot_ids": tr("批次号"),
        "counted": tr("盘点数量"),
        "kind": tr("类型"),
        "lang": tr("语言"),
        "year": tr("年度"),
        "score": tr("得分"),
        "time_seconds": tr("用时"),
        "url": tr("数据库地址"),
    }


_last: list[QMessageBox] = []


def field_label(field: str, labels: Mapping[str, str] | None = None) -> str:
    if labels and field in labels:
        return labels[field]
    return field_labels().get(field, field)


def value_text(_field: str, value: Any) -> str:
    """A stored value as people read it (no Python reprs): a vocabulary code by its label,
    dates as YYYY-MM-DD, lists joined with 、, empty as （空）."""
    if value is None or value == "" or value == []:
        return tr("（空）")
    if isinstance(value, bool):
        return tr("是") if value else tr("否")
    if isinstance(value, list | tuple):
        return "、".join(value_text(_field, v) for v in value)
    if isinstance(value, str):
        if value in LABELS:
            return vocab_label(value, current_language())
        if _ISO_MOMENT.match(value):  # a date-time as the core stores it: 2026-01-01T09:00:00
            return dt.datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
        return value
    return str(value)


def conflict_text(
    exc: EditConflict, labels: Mapping[str, str] | None = None, shown: ValueText | None = None
) -> str:
    """What an edit conflict means for the user: the record, and each field whose saved value
    now differs from what the user typed, by its label and with both values as the form shows
    them. Fields the form does not know (internal columns) are not listed by name."""
    if not exc.has_versions:
        return str(exc)  # a bare stale version: the core's own sentence, no field names
    lang = current_language()
    shown = shown or value_text
    assert exc.table is not None
    record = row_name(exc.table, exc.row_id, {**exc.attempted, **(exc.current or {})}, lang)
    if exc.current is None:
        return tr("{record} 已被他人删除，您的修改未保存。").format(record=record)
    rows, hidden = [], 0
    for diff in exc.differences():
        if diff.current == diff.attempted:
            continue
        known = labels.get(diff.field) if labels else field_labels().get(diff.field)
        if known is None:
            hidden += 1
            continue
        rows.append(
            tr("{field}：他人保存为“{current}”，您填写的是“{attempted}”").format(
                field=known,
                current=shown(diff.field, diff.current),
                attempted=shown(diff.field, diff.attempted),
            )
        )
    if hidden:
        rows.append(tr("以及其他 {n} 项").format(n=hidden))
    text = tr("{record} 在您编辑期间已被他人修改，您的修改未保存。").format(record=record)
    if rows:
        text += "\n\n" + "\n".join(f"• {row}" for row in rows)
    return text + "\n\n" + tr("请关闭本窗口，重新打开该记录后再修改。")


def describe(
    exc: BaseException,
    labels: Mapping[str, str] | None = None,
    shown: ValueText | None = None,
) -> tuple[str, str, str]:
    """(title, text, details) for an error; details hold the English and technical text.
    ``labels`` and ``shown`` are the form's: its field labels and how it shows a value."""
    if isinstance(exc, ValidationError):
        message = exc.message if current_language() == "zh" else exc.message_en or exc.message
        text = f"{tr('字段')}：{field_label(exc.field, labels)}\n\n{message}"
        details = f"{exc.field}: {exc.message_en or exc.message}"
        return tr("输入有误"), text, details
    if isinstance(exc, EditConflict):
        return tr("数据已被修改"), conflict_text(exc, labels, shown), f"{type(exc).__name__}: {exc}"
    if isinstance(exc, Conflict):
        return tr("数据已被修改"), str(exc), type(exc).__name__
    if isinstance(exc, NotFound):
        return tr("找不到记录"), str(exc), type(exc).__name__
    if isinstance(exc, PermissionDenied):
        return tr("没有权限"), str(exc), type(exc).__name__
    if isinstance(exc, DrillplanError):
        return tr("无法完成操作"), str(exc), type(exc).__name__
    if isinstance(exc, SQLAlchemyError):
        return tr("数据库错误"), tr("数据库操作失败，所做的修改未保存。"), str(exc)
    return tr("程序错误"), tr("发生了意外错误，所做的修改未保存。"), repr(exc)


def show_error(
    parent: QWidget | None,
    exc: BaseException,
    *,
    trace: str = "",
    labels: Mapping[str, str] | None = None,
    shown: ValueText | None = None,
) -> QMessageBox:
    """The one error dialog: the field and message, with English/technical details."""
    title, text, details = describe(exc, labels, shown)
    box = QMessageBox(parent)
    box.setObjectName("errorBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    box.setText(text)
    box.setDetailedText(details + (f"\n\n{trace}" if trace else ""))
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText(tr("确定"))
    box.finished.connect(lambda _r: _forget(box))
    _last.append(box)
    box.open()
    return box


def _forget(box: QMessageBox) -> None:
    if box in _last:
        _last.remove(box)
    box.deleteLater()


def open_error_boxes() -> list[QMessageBox]:
    """Error dialogs still open (for tests and screenshots)."""
    _last[:] = [box for box in _last if shiboken6.isValid(box)]
    return list(_last)


def confirm(parent: QWidget | None, title: str, question: str, *, danger: bool = False) -> bool:
    """Ask yes/no; "no" is the default button, so Enter never deletes by accident."""
    box = QMessageBox(parent)
    box.setObjectName("confirmBox")
    box.setIcon(QMessageBox.Icon.Warning if danger else QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(question)
    yes = box.addButton(tr("确定"), QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(tr("取消"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.exec()
    return box.clickedButton() is yes


# at most this many findings are listed in a question; the rest are counted
SHOWN_FINDINGS = 10


def save_anyway(
    parent: QWidget | None,
    title: str,
    findings: list[str],
    *,
    intro: str = "",
    yes: str = "",
    no: str = "",
) -> bool:
    """Ask whether to go ahead despite ``findings`` (a drill's conflicts ...): 仍然保存 or
    返回修改 (the default, also Esc). Blocks: the caller needs the answer."""
    box = QMessageBox(parent)
    box.setObjectName("saveAnywayBox")
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    shown = [f"• {line}" for line in findings[:SHOWN_FINDINGS]]
    if len(findings) > SHOWN_FINDINGS:
        shown.append(tr("……另有 {n} 项").format(n=len(findings) - SHOWN_FINDINGS))
    box.setText(intro or tr("保存后将出现以下 {n} 项冲突：").format(n=len(findings)))
    box.setInformativeText("\n".join(shown))
    box.setStyleSheet("QLabel#qt_msgbox_informativelabel { min-width: 520px; }")
    go = box.addButton(yes or tr("仍然保存"), QMessageBox.ButtonRole.AcceptRole)
    back = box.addButton(no or tr("返回修改"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(back)
    box.setEscapeButton(back)
    box.exec()
    return box.clickedButton() is go


def discard_changes(parent: QWidget | None) -> bool:
    """放弃修改？ asked when a changed form is closed (Esc, Cancel, the window's ×): 继续编辑
    is the default (also Esc), so a second Esc never throws work away."""
    box = QMessageBox(parent)
    box.setObjectName("discardBox")
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(tr("放弃修改？"))
    box.setText(tr("此窗口中的修改尚未保存。要放弃这些修改吗？"))
    drop = box.addButton(tr("放弃修改"), QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton(tr("继续编辑"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is drop


def inform(parent: QWidget | None, title: str, message: str) -> None:
    box = QMessageBox(parent)
    box.setObjectName("infoBox")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setText(message)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    box.button(QMessageBox.StandardButton.Ok).setText(tr("确定"))
    box.finished.connect(lambda _r: box.deleteLater())
    box.open()
