"""One lazy table model for every listing: it holds row ids and fetches rows on demand.

Sorting, searching and filtering re-run the listing's query in the core (no proxy model).
The model holds only the ids; the rows a view paints are fetched in batches, through a short
session per batch, and cached. A big list first reads just the ids of its first screen (a
query an index can answer) and, given a ``loader``, the rest in the background on the op
runner, then appends them; small lists are read at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from drillplan import settings
from drillplan.listing import Listing, expiry_tone, fetch_ids, fetch_rows, format_value

from drillplan.ui.i18n import current_language, tr

SessionFactory = Callable[[], AbstractContextManager[Session]]
# runs a query off the UI thread and hands its result to a callback on the UI thread
Loader = Callable[[Callable[[Session], list[int]], Callable[[list[int]], None]], None]
Index = QModelIndex | QPersistentModelIndex

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
TOOLTIP_MIN_CHARS = 16
TONE_COLOURS = {"expired": QColor("#b3261e"), "expiring": QColor("#9a5b00")}


def tone_caption(tone: str, days: int) -> str:
    if tone == "expired":
        return tr("已过期")
    return tr("{days} 天内到期").format(days=days)


class ListingModel(QAbstractTableModel):
    """A read-only table over a :class:`~drillplan.listing.Listing`."""

    BATCH = 200  # rows fetched per query when a view paints them
    MAX_CACHED = 5000
    FIRST_PAGE = 1000  # ids read at once when a loader reads the rest in the background

    completed = Signal()  # every id of a big list has arrived

    def __init__(
        self,
        listing: Listing,
        sessions: SessionFactory,
        *,
        lang: str | None = None,
        as_of: dt.date | None = None,
        loader: Loader | None = None,
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.listing = listing
        self._loader = loader
        self._generation = 0
        self._complete = True
        self.lang = lang or current_language()
        self._as_of = as_of  # None: today, read at each paint (the app may run past midnight)
        self._sessions = sessions
        self._soon_days: int | None = None  # the office's "expiring soon", read on first paint
        self._ids: list[int] = []
        self._cache: dict[int, tuple[Any, ...]] = {}
        self._search = ""
        self._order: str | None = listing.default_order
        self._descending = False
        self._filters: tuple[str, ...] = listing.default_filters
        self._equals: dict[str, Any] = {}
        self._restrict: tuple[int, ...] | None = None
        self.reload()

    # --- querying ---------------------------------------------------------------------

    def reload(self) -> None:
        """Re-run the query (same search and order) and drop every cached row."""
        self._generation += 1
        listing = self.listing
        query: dict[str, Any] = {
            "search": self._search or None,
            "order_by": self._order,
            "descending": self._descending,
            "filters": self._filters,
            "equals": dict(self._equals),
            "restrict": self._restrict,
        }
        limit = self.FIRST_PAGE if self._loader is not None else None
        with self._sessions() as session:
            ids = fetch_ids(session, listing, limit=limit, **query)
        self.beginResetModel()
        self._ids = ids
        self._complete = limit is None or len(ids) < limit
        self._cache.clear()
        self.endResetModel()
        if not self._complete and self._loader is not None:
            generation = self._generation
            self._loader(
                lambda session: fetch_ids(session, listing, **query),
                lambda every: self._completed(generation, every),
            )

    def _completed(self, generation: int, every: list[int]) -> None:
        if generation != self._generation:  # the query changed meanwhile
            return
        first = len(self._ids)
        if every[:first] == self._ids:
            if len(every) > first:
                self.beginInsertRows(QModelIndex(), first, len(every) - 1)  # last row inclusive
                self._ids = every
                self.endInsertRows()
        else:  # rows changed between the two reads
            self.beginResetModel()
            self._ids = every
            self._cache.clear()
            self.endResetModel()
        self._complete = True
        self.completed.emit()

    @property
    def complete(self) -> bool:
        """Whether every id is known (False while a big list is still being read)."""
        return self._complete

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

    def set_equals(self, key: str, value: Any) -> None:
        """Keep rows whose (possibly hidden) column ``key`` equals ``value``; None: any."""
        wanted = dict(self._equals)
        if value is None:
            wanted.pop(key, None)
        else:
            wanted[key] = value
        if wanted != self._equals:
            self._equals = wanted
            self.reload()

    def set_restriction(self, ids: tuple[int, ...] | list[int] | None) -> None:
        """Show only these rows (a dashboard figure's list); None shows every row again."""
        restrict = tuple(ids) if ids is not None else None
        if restrict != self._restrict:
            self._restrict = restrict
            self.reload()

    @property
    def restriction(self) -> tuple[int, ...] | None:
        return self._restrict

    @property
    def equals(self) -> dict[str, Any]:
        return dict(self._equals)

    @property
    def filters(self) -> tuple[str, ...]:
        return self._filters

    def row_of(self, row_id: int) -> int | None:
        """The row showing ``row_id`` (None when it is not in the list)."""
        try:
            return self._ids.index(row_id)
        except ValueError:
            return None

    @property
    def order(self) -> tuple[str | None, bool]:
        return self._order, self._descending

    @property
    def soon_days(self) -> int:
        if self._soon_days is None:
            with self._sessions() as session:
                self._soon_days = settings.soon_days(session)
        return self._soon_days

    @property
    def as_of(self) -> dt.date:
        return self._as_of or dt.date.today()

    @property
    def total(self) -> int:
        """Rows matching the search (so far, while a big list is still being read)."""
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
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.listing.columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._ids):
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
        tone = expiry_tone(value, self.as_of, self.soon_days) if col.expiry else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return TONE_COLOURS[tone] if tone else None
        text = format_value(col, value, self.lang)
        if tone:
            return f"{text}（{tone_caption(tone, self.soon_days)}）"
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
            return col.title(self.lang)
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
