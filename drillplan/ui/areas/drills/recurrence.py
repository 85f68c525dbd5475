"""The recurrence editor: an RRULE built from frequency, interval, weekdays and an end."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from drillplan.drills.rrule import WEEKDAYS, RuleParts, build_rrule, describe, parse_parts
from drillplan.kernel.errors import ValidationError

from drillplan.ui.i18n import current_language, tr


class RecurrenceEditor(QWidget):
    """value() is the RRULE text (None: does not repeat); set_value() reads one back."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recurrence")
        self.frequency = QComboBox(self)
        self.frequency.setObjectName("rruleFrequency")
        for key, caption in (
            (None, tr("不重复")),
            ("daily", tr("每天")),
            ("weekly", tr("每周")),
            ("monthly", tr("每月")),
            ("yearly", tr("每年")),
        ):
            self.frequency.addItem(caption, key)
        self.interval = QSpinBox(self)
        self.interval.setObjectName("rruleInterval")
        self.interval.setRange(1, 52)
        self.interval.setPrefix(tr("间隔 "))
        names = [tr("一"), tr("二"), tr("三"), tr("四"), tr("五"), tr("六"), tr("日")]
        self.weekdays = {
            code: QCheckBox(name, self) for code, name in zip(WEEKDAYS, names, strict=True)
        }
        self.by_count = QRadioButton(tr("共"), self)
        self.count = QSpinBox(self)
        self.count.setObjectName("rruleCount")
        self.count.setRange(1, 500)
        self.count.setValue(4)
        self.count.setSuffix(tr(" 次"))
        self.by_until = QRadioButton(tr("截止到"), self)
        self.until = QDateEdit(self)
        self.until.setObjectName("rruleUntil")
        self.until.setCalendarPopup(True)
        self.until.setDisplayFormat("yyyy-MM-dd")
        self.until.setDate(QDate.currentDate().addMonths(6))
        self.by_count.setChecked(True)
        self.summary = QLabel(self)
        self.summary.setObjectName("rruleSummary")
        days = QHBoxLayout()
        days.setSpacing(2)
        for box in self.weekdays.values():
            days.addWidget(box)
        days.addStretch(1)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(self.frequency, 0, 0)
        grid.addWidget(self.interval, 0, 1)
        grid.addLayout(days, 1, 0, 1, 3)
        grid.addWidget(self.by_count, 2, 0)
        grid.addWidget(self.count, 2, 1)
        grid.addWidget(self.by_until, 3, 0)
        grid.addWidget(self.until, 3, 1)
        grid.addWidget(self.summary, 4, 0, 1, 3)
        for signal in (
            self.frequency.currentIndexChanged,
            self.interval.valueChanged,
            self.count.valueChanged,
            self.until.dateChanged,
            self.by_count.toggled,
        ):
            signal.connect(lambda *_a: self._update())
        for box in self.weekdays.values():
            box.toggled.connect(lambda _on: self._update())
        self._update()

    def parts(self) -> RuleParts:
        freq = self.frequency.currentData()
        return RuleParts(
            frequency=freq,
            interval=self.interval.value(),
            weekdays=tuple(code for code, box in self.weekdays.items() if box.isChecked()),
            count=self.count.value() if self.by_count.isChecked() else None,
            until=self.until.date().toPython() if self.by_until.isChecked() else None,
        )

    def value(self) -> str | None:
        return build_rrule(self.parts())

    def set_value(self, text: str | None) -> None:
        try:
            parts = parse_parts(text)
        except ValidationError:
            parts = RuleParts()
        self.frequency.setCurrentIndex(max(self.frequency.findData(parts.frequency), 0))
        self.interval.setValue(parts.interval)
        for code, box in self.weekdays.items():
            box.setChecked(code in parts.weekdays)
        if parts.until is not None:
            self.by_until.setChecked(True)
            self.until.setDate(QDate(parts.until))
        else:
            self.by_count.setChecked(True)
            self.count.setValue(parts.count or 4)
        self._update()

    def set_parts(
        self,
        frequency: str | None,
        *,
        interval: int = 1,
        weekdays: tuple[str, ...] = (),
        count: int | None = None,
        until: dt.date | None = None,
    ) -> None:
        self.set_value(
            build_rrule(RuleParts(frequency, interval, weekdays, count, until))
            if frequency
            else None
        )

    def _update(self) -> None:
        repeating = self.frequency.currentData() is not None
        weekly = self.frequency.currentData() == "weekly"
        for widget in (self.interval, self.by_count, self.count, self.by_until, self.until):
            widget.setEnabled(repeating)
        for box in self.weekdays.values():
            box.setEnabled(weekly)
        self.count.setEnabled(repeating and self.by_count.isChecked())
        self.until.setEnabled(repeating and self.by_until.isChecked())
        try:
            rule = self.value()
        except ValidationError as exc:
            self.summary.setText(exc.message)
        else:
            self.summary.setText(describe(rule, current_language()))
        self.changed.emit()
