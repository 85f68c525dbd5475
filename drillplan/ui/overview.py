"""总览: headline figures of the register as of a date."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from drillplan.listing import OVERVIEW_ITEMS, overview_counts

from drillplan.ui.table_model import SessionFactory
from drillplan.ui.widgets import FigureCard, page_header

COLUMNS = 4


class OverviewPage(QWidget):
    def __init__(
        self,
        sessions: SessionFactory,
        *,
        as_of: dt.date | None = None,
        lang: str = "zh",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._sessions = sessions
        self._fixed_date = as_of
        self.lang = lang
        self.as_of_label = QLabel(self)
        self.as_of_label.setObjectName("pageNote")
        self.cards: dict[str, FigureCard] = {}
        grid = QGridLayout()
        grid.setSpacing(12)
        for i, item in enumerate(OVERVIEW_ITEMS):
            other = item.en if lang == "zh" else item.zh
            card = FigureCard(item.title(lang), other, self)
            self.cards[item.key] = card
            grid.addWidget(card, i // COLUMNS, i % COLUMNS)
        for column in range(COLUMNS):
            grid.setColumnStretch(column, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_header("总览", "Overview"))
        layout.addWidget(self.as_of_label)
        layout.addSpacing(8)
        layout.addLayout(grid)
        layout.addStretch(1)
        self.counts: dict[str, int] = {}
        self.reload()

    def as_of(self) -> dt.date:
        return self._fixed_date or dt.date.today()

    def reload(self) -> None:
        as_of = self.as_of()
        with self._sessions() as session:
            self.counts = overview_counts(session, as_of)
        for item in OVERVIEW_ITEMS:
            value = self.counts[item.key]
            self.cards[item.key].set_value(value, alert=item.warn and value > 0)
        self.as_of_label.setText(
            f"截至 {as_of.isoformat()}；批次只计仍有库存的批次。"
            if self.lang == "zh"
            else f"As of {as_of.isoformat()}; lots count only while they hold stock."
        )
