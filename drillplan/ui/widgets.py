"""Small shared widgets: the page header (Chinese title, English subtitle) and figure cards."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget


def page_header(zh: str, en: str, parent: QWidget | None = None) -> QWidget:
    """A page title: the Chinese name large, the English name small and grey beside it."""
    box = QWidget(parent)
    box.setObjectName("pageHeader")
    title = QLabel(zh, box)
    title.setObjectName("pageTitle")
    subtitle = QLabel(en, box)
    subtitle.setObjectName("pageSubtitle")
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 6)
    layout.addWidget(title, 0, Qt.AlignmentFlag.AlignBaseline)
    layout.addSpacing(8)
    layout.addWidget(subtitle, 0, Qt.AlignmentFlag.AlignBaseline)
    layout.addStretch(1)
    return box


class FigureCard(QFrame):
    """One headline figure with its caption; highlighted when it needs attention."""

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

    def set_value(self, value: int, *, alert: bool = False) -> None:
        self.value.setText(str(value))
        self.setProperty("alert", alert)
        for widget in (self, self.value):
            widget.style().unpolish(widget)
            widget.style().polish(widget)
