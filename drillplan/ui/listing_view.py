"""A listing shown as a searchable, sortable table; and a page of several listings in tabs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drillplan.listing import Listing

from drillplan.ui.table_model import ListingModel, SessionFactory
from drillplan.ui.widgets import page_header

SEARCH_DELAY_MS = 250
MAX_COLUMN_WIDTH = 340
MIN_COLUMN_WIDTH = 64
SHRINK_FLOOR = 120  # wide columns give up width down to this, to avoid a horizontal scrollbar


def fit_widths(natural: Sequence[int], available: int, floor: int = SHRINK_FLOOR) -> list[int]:
    """Cap the widest columns at one common width so that the sum fits ``available``.

    Columns narrower than the cap keep their width; the cap never goes below ``floor``.
    """
    widths = list(natural)
    if sum(widths) <= available:
        return widths
    ordered = sorted(widths)
    cap = floor
    for count_below, width in enumerate(ordered):
        wider = len(ordered) - count_below
        candidate = (available - sum(ordered[:count_below])) // wider
        if candidate <= width:
            cap = max(floor, candidate)
            break
    return [min(w, cap) if w > cap else w for w in widths]


class ListingPanel(QWidget):
    """Search box, row count and a lazy table over one listing."""

    def __init__(
        self,
        listing: Listing,
        sessions: SessionFactory,
        *,
        lang: str = "zh",
        as_of: dt.date | None = None,
        show_title: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.listing = listing
        self.model = ListingModel(listing, sessions, lang=lang, as_of=as_of, parent=self)

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText("搜索… Ctrl+F" if lang == "zh" else "Search… (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.search.setFixedWidth(300)
        self.count = QLabel(self)
        self.count.setObjectName("rowCount")
        self.filter_boxes: dict[str, QCheckBox] = {}
        for flt in listing.filters:
            box = QCheckBox(flt.title(lang), self)
            box.setToolTip(f"{flt.zh} / {flt.en}")
            box.setChecked(flt.key in self.model.filters)
            box.toggled.connect(lambda on, key=flt.key: self.model.set_filter(key, on))
            self.filter_boxes[flt.key] = box

        self.view = QTableView(self)
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.view.horizontalHeader()
        header.setHighlightSections(False)
        # Stretching a right-aligned last column would push its figures far from the header.
        header.setStretchLastSection(listing.columns[-1].align == "left")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        order, _descending = self.model.order
        if order is not None:
            header.setSortIndicator(listing.keys.index(order), Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)  # sort() re-runs the query in the core

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._apply_search)
        self.model.modelReset.connect(self._update_count)

        bar = QHBoxLayout()
        if show_title:
            bar.addWidget(page_header(listing.title_zh, listing.title_en))
        bar.addStretch(1)
        for box in self.filter_boxes.values():
            bar.addWidget(box)
            bar.addSpacing(12)
        bar.addWidget(self.count)
        bar.addSpacing(12)
        bar.addWidget(self.search)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self._update_count()
        self._fitted = False

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def reload(self) -> None:
        self.model.reload()

    def _apply_search(self) -> None:
        self._timer.stop()
        self.model.set_search(self.search.displayText())

    def _update_count(self) -> None:
        total = self.model.total
        self.count.setText(f"共 {total} 条" if self.model.lang == "zh" else f"{total} rows")

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._fitted:  # once, when the view has its real size; the user may resize
            self._fitted = True
            QTimer.singleShot(0, self.fit_columns)  # after the layout has settled

    def fit_columns(self) -> None:
        """Widths from the header and the first rows, shrunk to fit the view if they can."""
        self.view.resizeColumnsToContents()
        header = self.view.horizontalHeader()
        natural = [
            max(MIN_COLUMN_WIDTH, min(header.sectionSize(s) + 16, MAX_COLUMN_WIDTH))
            for s in range(header.count())
        ]
        available = self.view.viewport().width() - 2
        for section, width in enumerate(fit_widths(natural, available)):
            header.resizeSection(section, width)


class TabbedListings(QWidget):
    """An area holding several listings (e.g. depots, lots and the material catalogue)."""

    def __init__(
        self,
        title: tuple[str, str],
        listings: Sequence[tuple[Listing, str]],
        sessions: SessionFactory,
        *,
        lang: str = "zh",
        as_of: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.panels: list[ListingPanel] = []
        for listing, tab_title in listings:
            panel = ListingPanel(listing, sessions, lang=lang, as_of=as_of, show_title=False)
            panel.layout().setContentsMargins(0, 8, 0, 0)
            self.panels.append(panel)
            self.tabs.addTab(panel, tab_title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_header(*title))
        layout.addWidget(self.tabs, 1)

    def current_panel(self) -> ListingPanel:
        return self.panels[self.tabs.currentIndex()]

    def focus_search(self) -> None:
        self.current_panel().focus_search()

    def reload(self) -> None:
        for panel in self.panels:
            panel.reload()
