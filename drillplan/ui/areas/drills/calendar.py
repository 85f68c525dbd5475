"""A month calendar of drills: drag a drill to another day to move it.

Painted by hand (6 weeks x 7 days): each day lists its drills as coloured chips. Dragging a
chip to another day emits ``move_requested(item, day)``; the page checks for conflicts and
asks before it moves anything. Keyboard: arrows move the day, Alt+Up/Down the drill within
the day, Enter opens it, PageUp/PageDown change the month.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict

from PySide6.QtCore import QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QKeyEvent, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QApplication, QSizePolicy, QWidget

from drillplan.drills.calendar import CalendarItem

from drillplan.ui.i18n import tr

HEADER_H = 26
CHIP_H = 20
STATUS_COLOURS = {
    "planned": "#1f6fc5",
    "preparing": "#b26a00",
    "conducted": "#2e7d32",
    "evaluated": "#5f6b7a",
    "cancelled": "#b3261e",
}


class MonthCalendar(QWidget):
    move_requested = Signal(object, object)  # CalendarItem, dt.date
    item_activated = Signal(object)  # CalendarItem
    month_changed = Signal(int, int)
    day_changed = Signal(object)  # dt.date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("monthCalendar")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        today = dt.date.today()
        self.year, self.month = today.year, today.month
        self.current_day = today
        self.items: list[CalendarItem] = []
        self.selected: CalendarItem | None = None
        self._press: tuple[CalendarItem, QPoint] | None = None
        self._dragging = False
        self._hover_day: dt.date | None = None

    def sizeHint(self) -> QSize:
        return QSize(840, 560)

    # --- data -------------------------------------------------------------------------------

    def first_day(self) -> dt.date:
        first = dt.date(self.year, self.month, 1)
        return first - dt.timedelta(days=first.weekday())

    def days(self) -> list[dt.date]:
        start = self.first_day()
        return [start + dt.timedelta(days=i) for i in range(42)]

    def set_month(self, year: int, month: int) -> None:
        self.year, self.month = year, month
        if (self.current_day.year, self.current_day.month) != (year, month):
            self.current_day = dt.date(year, month, 1)
        self.items = []
        self.selected = None
        self.update()
        self.month_changed.emit(year, month)

    def shift_month(self, delta: int) -> None:
        index = self.year * 12 + self.month - 1 + delta
        self.set_month(index // 12, index % 12 + 1)

    def set_items(self, items: list[CalendarItem]) -> None:
        self.items = list(items)
        if self.selected is not None:
            same = [
                i
                for i in self.items
                if (i.drill_id, i.original_start)
                == (self.selected.drill_id, self.selected.original_start)
            ]
            self.selected = same[0] if same else None
        self.update()

    def items_on(self, day: dt.date) -> list[CalendarItem]:
        return [i for i in self.items if i.day == day]

    # --- geometry ---------------------------------------------------------------------------

    def cell_rect(self, index: int) -> QRect:
        width = max(self.width(), 7)
        height = max(self.height() - HEADER_H, 6)
        col, row = index % 7, index // 7
        x0, x1 = col * width // 7, (col + 1) * width // 7
        y0 = HEADER_H + row * height // 6
        y1 = HEADER_H + (row + 1) * height // 6
        return QRect(x0, y0, x1 - x0, y1 - y0)

    def day_at(self, pos: QPoint) -> dt.date | None:
        for index, day in enumerate(self.days()):
            if self.cell_rect(index).contains(pos):
                return day
        return None

    def day_rect(self, day: dt.date) -> QRect | None:
        days = self.days()
        return self.cell_rect(days.index(day)) if day in days else None

    def chip_rects(self) -> list[tuple[CalendarItem, QRect]]:
        out: list[tuple[CalendarItem, QRect]] = []
        by_day: dict[dt.date, list[CalendarItem]] = defaultdict(list)
        for item in self.items:
            by_day[item.day].append(item)
        for index, day in enumerate(self.days()):
            cell = self.cell_rect(index)
            room = max((cell.height() - 22) // (CHIP_H + 2), 0)
            for n, item in enumerate(by_day.get(day, [])[:room]):
                out.append(
                    (
                        item,
                        QRect(
                            cell.x() + 3, cell.y() + 20 + n * (CHIP_H + 2), cell.width() - 6, CHIP_H
                        ),
                    )
                )
        return out

    def item_at(self, pos: QPoint) -> CalendarItem | None:
        for item, rect in self.chip_rects():
            if rect.contains(pos):
                return item
        return None

    # --- painting -----------------------------------------------------------------------------

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), QColor("#ffffff"))
        names = [tr("周一"), tr("周二"), tr("周三"), tr("周四"), tr("周五"), tr("周六"), tr("周日")]
        width = self.width()
        painter.setPen(QColor("#4b5563"))
        for col, name in enumerate(names):
            rect = QRect(col * width // 7, 0, width // 7, HEADER_H)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, name)
        today = dt.date.today()
        for index, day in enumerate(self.days()):
            cell = self.cell_rect(index)
            inside = day.month == self.month
            background = "#ffffff" if inside else "#f5f7fa"
            if day.weekday() >= 5 and inside:
                background = "#fbfbf7"
            if day == self._hover_day and self._dragging:
                background = "#dde8f5"
            painter.fillRect(cell, QColor(background))
            painter.setPen(QPen(QColor("#d5dae1")))
            painter.drawRect(cell.adjusted(0, 0, -1, -1))
            if day == self.current_day and self.hasFocus():
                painter.setPen(QPen(QColor("#1f6fc5"), 2))
                painter.drawRect(cell.adjusted(1, 1, -2, -2))
            painter.setPen(QColor("#1d2733" if inside else "#9aa3ad"))
            font = QFont(self.font())
            font.setBold(day == today)
            painter.setFont(font)
            painter.drawText(
                cell.adjusted(5, 2, -5, 0),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                str(day.day),
            )
            hidden = len(self.items_on(day)) - sum(1 for i, _r in self.chip_rects() if i.day == day)
            if hidden > 0:
                painter.setPen(QColor("#5b6572"))
                painter.drawText(
                    cell.adjusted(5, 2, -5, 0),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop,
                    tr("另 {n} 项").format(n=hidden),
                )
        painter.setFont(self.font())
        for item, rect in self.chip_rects():
            colour = QColor(STATUS_COLOURS.get(item.status, "#1f6fc5"))
            fill = QColor(colour)
            fill.setAlpha(40 if item is not self.selected else 90)
            painter.fillRect(rect, fill)
            painter.fillRect(QRect(rect.x(), rect.y(), 3, rect.height()), colour)
            painter.setPen(QColor("#1d2733"))
            mark = "↻ " if item.recurring else ""
            shown = f"{item.start:%H:%M} {mark}{item.title}"
            elided = painter.fontMetrics().elidedText(
                shown, Qt.TextElideMode.ElideRight, rect.width() - 8
            )
            painter.drawText(
                rect.adjusted(6, 0, -2, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                elided,
            )
            if item is self.selected:
                painter.setPen(QPen(colour, 1))
                painter.drawRect(rect.adjusted(0, 0, -1, -1))
        painter.end()

    # --- mouse ---------------------------------------------------------------------------------

    def mousePressEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        item = self.item_at(pos)
        day = self.day_at(pos)
        if day is not None:
            self._set_day(day)
        self.selected = item
        self._press = (
            (item, pos)
            if item is not None and event.button() == Qt.MouseButton.LeftButton
            else None
        )
        self.update()

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        pos = event.position().toPoint()
        if self._press is not None:
            moved = (pos - self._press[1]).manhattanLength()
            if moved >= QApplication.startDragDistance():
                self._dragging = True
                self.setCursor(Qt.CursorShape.ClosedHandCursor)
        if self._dragging:
            self._hover_day = self.day_at(pos)
            self.update()
        item = self.item_at(pos)
        self.setToolTip(self._tip(item) if item is not None else "")

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        press, dragging = self._press, self._dragging
        self._press, self._dragging, self._hover_day = None, False, None
        self.unsetCursor()
        self.update()
        if press is None or not dragging:
            return
        day = self.day_at(event.position().toPoint())
        if day is not None and day != press[0].day:
            self.move_requested.emit(press[0], day)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        item = self.item_at(event.position().toPoint())
        if item is not None:
            self.item_activated.emit(item)

    def _tip(self, item: CalendarItem) -> str:
        return f"{item.code} {item.title}\n{item.start:%Y-%m-%d %H:%M} – {item.end:%H:%M}"

    # --- keyboard ---------------------------------------------------------------------------

    def _set_day(self, day: dt.date) -> None:
        if (day.year, day.month) != (self.year, self.month) and not self.day_rect(day):
            self.set_month(day.year, day.month)
        self.current_day = day
        on_day = self.items_on(day)
        if self.selected not in on_day:
            self.selected = on_day[0] if on_day else None
        self.day_changed.emit(day)
        self.update()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key, mods = event.key(), event.modifiers()
        steps = {Qt.Key.Key_Left: -1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -7, Qt.Key.Key_Down: 7}
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down) and mods & Qt.KeyboardModifier.AltModifier:
            on_day = self.items_on(self.current_day)
            if on_day:
                index = on_day.index(self.selected) if self.selected in on_day else -1
                self.selected = on_day[
                    (index + (1 if key == Qt.Key.Key_Down else -1)) % len(on_day)
                ]
                self.update()
            return
        if key in steps:
            self._set_day(self.current_day + dt.timedelta(days=steps[key]))
            return
        if key in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown):
            self.shift_month(-1 if key == Qt.Key.Key_PageUp else 1)
            return
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.selected is not None:
            self.item_activated.emit(self.selected)
            return
        super().keyPressEvent(event)

    def month_title(self) -> str:
        return tr("{year} 年 {month} 月").format(year=self.year, month=self.month)

    @staticmethod
    def month_days(year: int, month: int) -> int:
        return calendar.monthrange(year, month)[1]
