"""The date-and-time editor of the forms: what is typed is what is kept.

Qt's ``QDateTimeEdit`` edits one section at a time, so selecting the field and typing a
whole date (2027-01-01) changes only the section under the cursor and keeps the old year.
:class:`MomentEdit` is a line edit read by the kernel's one date parser
(:func:`drillplan.kernel.values.parse_moment`): every form DOMAIN.md lists (2027-01-01,
2027/1/1, 2027.1.1, 2027年1月1日, 20270101, full-width digits), optionally with a time
(9:30, 9点30); a date alone keeps the time of day the field had. A button beside it opens a
month calendar for the mouse. ``moved(old, new)`` tells a form that the value changed, so an
end can follow its start (see ``FieldSpec.keeps_duration_of``).
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QMouseEvent
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QWidget,
)

from drillplan.kernel.values import parse_optional_moment

from drillplan.ui.i18n import tr

SHOWN = "%Y-%m-%d %H:%M"


def moment_text(value: dt.datetime | None) -> str:
    return "" if value is None else value.strftime(SHOWN)


class SelectingLine(QLineEdit):
    """Selects everything when focused, by a click too, so typing replaces the whole value.

    Qt gives the focus before it delivers the click, and the click then puts the cursor where
    it landed; so the selection is made when the button is released (unless the user dragged
    to select part of the text)."""

    _select_on_release = False

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() == Qt.FocusReason.MouseFocusReason:
            self._select_on_release = True
        elif event.reason() in (Qt.FocusReason.TabFocusReason, Qt.FocusReason.BacktabFocusReason):
            self.selectAll()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if self._select_on_release and not self.hasSelectedText():
            self.selectAll()
        self._select_on_release = False


class MomentEdit(QWidget):
    """A date and time of day, typed in any form people write dates, or picked on a calendar."""

    moved = Signal(object, object)  # (old, new) datetimes, after an edit the parser accepted

    def __init__(self, parent: QWidget | None = None, *, field: str = "date") -> None:
        super().__init__(parent)
        self.field = field
        self.line = SelectingLine(self)
        self.line.setObjectName("momentText")
        self.line.setPlaceholderText(tr("如 2027-01-01 09:00 或 2027年1月1日"))
        self.button = QToolButton(self)
        self.button.setObjectName("momentCalendar")
        self.button.setText("▾")
        self.button.setToolTip(tr("在月历中选择日期"))
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.button.clicked.connect(self.open_calendar)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(2)
        row.addWidget(self.line, 1)
        row.addWidget(self.button)
        self.setFocusProxy(self.line)
        self._last: dt.datetime | None = None
        self.calendar: QCalendarWidget | None = None
        self.line.editingFinished.connect(self._commit)

    # --- values -----------------------------------------------------------------------------

    def value(self) -> dt.datetime | None:
        """The typed value (ValidationError if it is not a date); a date alone keeps the time
        of day the field had."""
        keep = self._last.time() if self._last is not None else dt.time(9, 0)
        return parse_optional_moment(self.line.displayText(), field=self.field, default_time=keep)

    def set_value(self, value: dt.datetime | None) -> None:
        self._last = value
        self.line.setText(moment_text(value))

    def _commit(self) -> None:
        """The user finished typing: show the value as the form keeps it, tell the form."""
        try:
            value = self.value()
        except Exception:  # the form shows the message under the field
            return
        old, self._last = self._last, value
        self.line.setText(moment_text(value))
        if value != old and old is not None and value is not None:
            self.moved.emit(old, value)

    # --- the calendar -----------------------------------------------------------------------

    def open_calendar(self) -> None:
        calendar = QCalendarWidget(self)
        calendar.setWindowFlags(Qt.WindowType.Popup)
        calendar.setObjectName("momentPopup")
        calendar.setGridVisible(True)
        try:
            current = self.value()
        except Exception:
            current = None
        if current is not None:
            calendar.setSelectedDate(QDate(current.year, current.month, current.day))
        calendar.clicked.connect(lambda day: self._picked(day.toPython()))
        calendar.activated.connect(lambda day: self._picked(day.toPython()))
        calendar.move(self.mapToGlobal(QPoint(0, self.height())))
        self.calendar = calendar
        calendar.show()

    def _picked(self, day: dt.date) -> None:
        keep = self._last.time() if self._last is not None else dt.time(9, 0)
        self.line.setText(moment_text(dt.datetime.combine(day, keep)))
        if self.calendar is not None:
            self.calendar.close()
            self.calendar.deleteLater()
            self.calendar = None
        self._commit()
        self.line.setFocus(Qt.FocusReason.PopupFocusReason)
