"""One lazy table model for every listing: it holds row ids and fetches rows on demand.

Sorting and searching re-run the listing's query in the core (no proxy model); rows are
fetched in batches through a short session per batch, and only when a view asks for them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from drillplan.listing import (
    EXPIRY_HORIZON_DAYS,
    Listing,
    expiry_tone,
    fetch_ids,
    fetch_rows,
    format_value,
)

SessionFactory = Callable[[], AbstractContextManager[Session]]
Index = QModelIndex | QPersistentModelIndex

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
TOOLTIP_MIN_CHARS = 16
TONE_COLOURS = {"expired": QColor("#b3261e"), "expiring": QColor("#9a5b00")}
TONE_TEXT = {
    "zh": {"expired": "已过期", "expiring": f"{EXPIRY_HORIZON_DAYS} 天内到期"},
    "en": {"expired": "expired", "expiring": f"expires within {EXPIRY_HORIZON_DAYS} days"},
}


class ListingModel(QAbstractTableModel):
    """A read-only table over a :class:`~drillplan.listing.Listing`."""

    BATCH = 200  # rows made visible per fetchMore() and fetched per query
    MAX_CACHED = 5000

    def __init__(
        self,
        listing: Listing,
        sessions: SessionFactory,
        *,
        lang: str = "zh",
        as_of: dt.date | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.listing = listing
        self.lang = lang
        self._as_of = as_of  # None: today, read at each paint (the app may run past midnight)
        self._sessions = sessions
        self._ids: list[int] = []
        self._visible = 0
        self._inserting = False  # no fetchMore() from a slot of our own insertion
        self._cache: dict[int, tuple[Any, ...]] = {}
        self._search = ""
        self._order: str | None = listing.default_order
        self._descending = False
        self._filters: tuple[str, ...] = listing.default_filters
        self.reload()

    # --- querying ---------------------------------------------------------------------

    def reload(self) -> None:
        """Re-run the query (same search and order) and drop every cached row."""
        with self._sessions() as session:
            ids = fetch_ids(
                session,
                self.listing,
                search=self._search or None,
                order_by=self._order,
                descending=self._descending,
                filters=self._filters,
            )
        self.beginResetModel()
        self._ids = ids
        self._visible = min(self.BATCH, len(ids))
        self._cache.clear()
        self.endResetModel()

    def set_search(self, text: str) -> None:
        text = text.strip()
        if text != self._search:
            self._search = text
            self.reload()

    def set_filter(self, key: str, on: bool) -> None:
        active = set(self._filters) | {key} if on else set(self._filters) - {key}
        wanted = tuple(f.key for f in self.listing.filters if f.key in active)
        if wanted != self._filters:
            self._filters = wanted
            self.reload()

    @property
    def filters(self) -> tuple[str, ...]:
        return self._filters

    @property
    def order(self) -> tuple[str | None, bool]:
        return self._order, self._descending

    @property
    def as_of(self) -> dt.date:
        return self._as_of or dt.date.today()

    @property
    def total(self) -> int:
        """Rows matching the search (the view may not have fetched them all yet)."""
        return len(self._ids)

    def id_at(self, row: int) -> int:
        return self._ids[row]

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = self.listing.columns[column].key if 0 <= column < len(self.listing.columns) else None
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self._order, self._descending):
            return
        self._order, self._descending = key, descending
        self.reload()

    def _row(self, row: int) -> tuple[Any, ...]:
        row_id = self._ids[row]
        cached = self._cache.get(row_id)
        if cached is not None:
            return cached
        if len(self._cache) > self.MAX_CACHED:
            self._cache.clear()
        start = row - row % self.BATCH
        wanted = [i for i in self._ids[start : start + self.BATCH] if i not in self._cache]
        with self._sessions() as session:
            self._cache |= fetch_rows(session, self.listing, wanted, lang=self.lang)
        blank = (None,) * len(self.listing.columns)
        for missing in wanted:  # deleted since the ids were read: show an empty row
            self._cache.setdefault(missing, blank)
        return self._cache[row_id]

    # --- Qt model interface -------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._visible

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.listing.columns)

    def canFetchMore(self, parent: Index) -> bool:
        return not parent.isValid() and not self._inserting and self._visible < len(self._ids)

    def fetchMore(self, parent: Index) -> None:
        if parent.isValid() or self._inserting:
            return
        count = min(self.BATCH, len(self._ids) - self._visible)
        if count <= 0:
            return
        first = self._visible
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), first, first + count - 1)  # last row inclusive
            self._visible += count
            self.endInsertRows()
        finally:
            self._inserting = False

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= self._visible:
            return None
        col = self.listing.columns[index.column()]
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if col.align == "right" else LEFT
        if role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
            Qt.ItemDataRole.ForegroundRole,
        ):
            return None
        value = self._row(index.row())[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return format_value(col, value, self.lang)
        tone = expiry_tone(value, self.as_of) if col.expiry else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return TONE_COLOURS[tone] if tone else None
        text = format_value(col, value, self.lang)
        if tone:
            return f"{text}（{TONE_TEXT[self.lang][tone]}）"
        return text if len(text) >= TOOLTIP_MIN_CHARS else None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.listing.columns):
            return super().headerData(section, orientation, role)
        col = self.listing.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.title(self.lang)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{col.zh} / {col.en}"
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return RIGHT if col.align == "right" else LEFT
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )
