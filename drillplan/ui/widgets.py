"""Small shared widgets: the page header, clickable figure cards, tool buttons."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QMouseEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from drillplan.ui.i18n import pick


def page_header(zh: str, en: str, parent: QWidget | None = None) -> QWidget:
    """A page title in the current language (one language per screen)."""
    box = QWidget(parent)
    box.setObjectName("pageHeader")
    title = QLabel(pick(zh, en), box)
    title.setObjectName("pageTitle")
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 6)
    layout.addWidget(title, 0, Qt.AlignmentFlag.AlignBaseline)
    layout.addStretch(1)
    return box


def tool_button(
    caption: str, parent: QWidget, slot: Callable[[], None], tip: str = ""
) -> QPushButton:
    button = QPushButton(caption, parent)
    button.setObjectName("tool")
    button.setAutoDefault(False)
    if tip:
        button.setToolTip(tip)
    button.clicked.connect(lambda _checked=False: slot())
    return button


class FigureCard(QFrame):
    """One headline figure with its caption; highlighted when it needs attention.

    A card with a target can be clicked (or focused and activated with Enter/Space) to open
    the list behind the figure.
    """

    clicked = Signal()

    def __init__(self, caption: str, hint: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("card")
        self.value = QLabel("–", self)
        self.value.setObjectName("cardValue")
        self.caption = QLabel(caption, self)
        self.caption.setObjectName("cardCaption")
        self.caption.setWordWrap(True)
        if hint:
            self.setToolTip(hint)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(self.value)
        layout.addWidget(self.caption)
        layout.addStretch(1)

    def make_clickable(self, tip: str) -> None:
        self.setProperty("clickable", True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setToolTip(tip)

    def set_value(self, value: int | str, *, alert: bool = False) -> None:
        self.value.setText(str(value))
        self.setProperty("alert", alert)
        for widget in (self, self.value):
            widget.style().unpolish(widget)
            widget.style().polish(widget)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self.property("clickable") and event.button() == Qt.MouseButton.LeftButton:
            self.clicked.emit()
        super().mouseReleaseEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.property("clickable") and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Space,
        ):
            self.clicked.emit()
            return
        super().keyPressEvent(event)
