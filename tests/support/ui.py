"""Helpers of the UI tests (fixtures are in tests/ui/conftest.py)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from collections.abc import Callable
from typing import Any, TypeVar

import pytest

from PySide6.QtWidgets import QApplication, QWidget

from drillplan.ui import messages
from drillplan.ui.context import UiContext

AS_OF = dt.date(2025, 6, 1)
W = TypeVar("W", bound=QWidget)


def settle(ctx: UiContext, app: QApplication | None = None) -> None:
    """Let every op finish and deliver (and the events it posted run)."""
    for _ in range(3):
        assert ctx.runner.wait_idle(20_000), "an op did not finish"
        (app or QApplication.instance()).processEvents()  # type: ignore[union-attr]


def answer_confirm(monkeypatch: pytest.MonkeyPatch, answer: bool) -> list[str]:
    """Make every confirmation (and every 仍然保存 / 返回修改) answer ``answer``; returns the
    questions asked."""
    asked: list[str] = []

    def fake(_parent: Any, _title: str, question: str, **_kw: Any) -> bool:
        asked.append(question)
        return answer

    def fake_anyway(_parent: Any, _title: str, findings: list[str], **kw: Any) -> bool:
        asked.append("\n".join([kw.get("intro", ""), *findings]))
        return answer

    monkeypatch.setattr(messages, "confirm", fake)
    monkeypatch.setattr(messages, "save_anyway", fake_anyway)
    monkeypatch.setattr(messages, "inform", lambda *_a, **_k: asked.append(str(_a[-1])))
    return asked


def fill(form: Any, /, **values: Any) -> None:
    """Type values into a FormWidget's editors (text, choices by data, checks)."""
    from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit

    for key, value in values.items():
        widget = form.editor(key)
        if isinstance(widget, QLineEdit):
            widget.setText(str(value))
            widget.editingFinished.emit()
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(str(value))
        elif isinstance(widget, QComboBox):
            index = widget.findData(value)
            assert index >= 0, (key, value)
            widget.setCurrentIndex(index)
        elif isinstance(widget, QCheckBox):
            widget.setChecked(bool(value))
        else:
            form.editors[key].set(value)


def error_under(form: Any, key: str) -> str:
    label = form.errors[key]
    return str(label.text()) if not label.isHidden() else ""  # the whole message, not cut


def open_errors() -> list[str]:
    return [str(box.property("text")) for box in messages.open_error_boxes()]


def wait_for(qtbot: Any, condition: Callable[[], bool], timeout: int = 10_000) -> None:
    qtbot.waitUntil(condition, timeout=timeout)


def visible(widget: QWidget) -> bool:
    return widget.isVisible()


def closed(widget: QWidget | None) -> bool:
    """The dialog was closed (and perhaps already deleted)."""
    import shiboken6

    return widget is None or not shiboken6.isValid(widget) or not widget.isVisible()


def shown(qtbot: Any, ctx: UiContext, widget: W, size: tuple[int, int]) -> W:
    """``widget`` registered with qtbot, resized, shown and with its first ops delivered."""
    qtbot.addWidget(widget)
    widget.resize(*size)
    widget.show()
    settle(ctx)
    return widget


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` key by key, Chinese and full-width characters too (QTest.keyClicks takes
    ASCII only)."""
    from PySide6.QtCore import QEvent, Qt
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtTest import QTest

    for ch in text:
        if ch.isascii():
            QTest.keyClicks(widget, ch)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))
