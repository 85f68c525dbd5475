"""A table model over a Python list (details, audits, proposals, rankings), and its view.

The big registers use the lazy :class:`~drillplan.ui.table_model.ListingModel`; the lists a
core function returns in one piece (a team's members, an expiry audit, a year's conflicts)
use this one. Columns are declared once: title, how to get the value, alignment, colour.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget

from drillplan.kernel.formatting import date_text

from drillplan.ui.i18n import tr

Index = QModelIndex | QPersistentModelIndex
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
TONES = {
    "bad": QColor("#b3261e"),
    "warn": QColor("#9a5b00"),
    "good": QColor("#2e7d32"),
    "muted": QColor("#7a8593"),
}


@dataclass(frozen=True)
class Col:
    title: str
    value: Callable[[Any], Any]
    right: bool = False
    tone: Callable[[Any], str | None] | None = None  # a key of TONES
    tip: Callable[[Any], str] | None = None


def show(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return tr("是") if value else tr("否")
    if (when := date_text(value)) is not None:
        return when
    if isinstance(value, Decimal):
        return f"{value.normalize():f}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


class RowsModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Col], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self.rows: list[Any] = []

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def row(self, index: int) -> Any:
        return self.rows[index]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        col = self.columns[index.column()]
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return show(col.value(row))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if col.right else LEFT
        if role == Qt.ItemDataRole.ForegroundRole and col.tone is not None:
            tone = col.tone(row)
            return TONES.get(tone) if tone else None
        if role == Qt.ItemDataRole.ToolTipRole:
            if col.tip is not None:
                return col.tip(row) or None
            shown = show(col.value(row))
            return shown if len(shown) > 20 else None
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return super().headerData(section, orientation, role)
        if role == Qt.ItemDataRole.DisplayRole:
            return self.columns[section].title
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if self.columns[section].right else LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )


class RowsView(QTableView):
    """A read-only table with whole-row selection over a :class:`RowsModel`."""

    def __init__(self, columns: Sequence[Col], name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows_model = RowsModel(columns, self)
        self.setModel(self.rows_model)
        self.setObjectName(name)
        self.horizontalHeader().setObjectName(f"{name}Header")
        self.setAlternatingRowColors(True)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        # a stretched right-aligned last column would push its figures far from the header
        header.setStretchLastSection(not columns[-1].right)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

    def set_rows(self, rows: Sequence[Any]) -> None:
        self.rows_model.set_rows(rows)
        if rows:
            self.resizeColumnsToContents()
            for section in range(self.rows_model.columnCount()):
                width = min(self.horizontalHeader().sectionSize(section) + 12, 360)
                self.horizontalHeader().resizeSection(section, width)

    def current(self) -> Any | None:
        index = self.currentIndex()
        if not index.isValid() or index.row() >= len(self.rows_model.rows):
            return None
        return self.rows_model.row(index.row())

    def choose_row(self, row: int) -> None:
        if 0 <= row < self.rows_model.rowCount():
            self.setCurrentIndex(self.rows_model.index(row, 0))
