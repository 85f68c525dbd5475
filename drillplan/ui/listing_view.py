"""A listing shown as a searchable, sortable, filterable table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from drillplan.listing import Listing

from drillplan.ui import prefs as prefs_module
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.table_model import ListingModel, Loader, SessionFactory
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
    """Search box, filters, row count and a lazy table over one listing."""

    activated = Signal(int)  # a row was double-clicked or Enter was pressed: its id
    current_changed = Signal(object)  # the id of the current row (or None)

    def __init__(
        self,
        listing: Listing,
        sessions: SessionFactory,
        *,
        lang: str | None = None,
        as_of: dt.date | None = None,
        show_title: bool = True,
        loader: Loader | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.listing = listing
        lang = lang or current_language()
        self.model = ListingModel(
            listing, sessions, lang=lang, as_of=as_of, loader=loader, parent=self
        )

        self.search = QLineEdit(self)
        self.search.setObjectName("search")
        self.search.setPlaceholderText(tr("搜索… (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(140)
        self.search.setMaximumWidth(240)
        self.count = QLabel(self)
        self.count.setObjectName("rowCount")
        self.filter_boxes: dict[str, QCheckBox] = {}
        self.choice_boxes: dict[str, QComboBox] = {}
        for flt in listing.filters:
            box = QCheckBox(flt.title(lang), self)
            box.setChecked(flt.key in self.model.filters)
            box.toggled.connect(lambda on, key=flt.key: self.model.set_filter(key, on))
            self.filter_boxes[flt.key] = box

        self.restriction = QLabel(self)
        self.restriction.setObjectName("restriction")
        self.clear_restriction = QPushButton(tr("显示全部"), self)
        self.clear_restriction.setObjectName("clearRestriction")
        self.clear_restriction.clicked.connect(lambda: self.restrict(None))
        for widget in (self.restriction, self.clear_restriction):
            widget.hide()

        self.view = QTableView(self)
        self.view.setObjectName(f"{listing.name}Table")
        self.view.setModel(self.model)
        self.view.setAlternatingRowColors(True)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 12)
        header = self.view.horizontalHeader()
        header.setObjectName(f"{listing.name}Header")
        header.setHighlightSections(False)
        # fit columns to about the rows a screen shows (40), not 1000: each cell measured costs
        # a model call, and opening a city-scale list should not wait for 1,600 of them
        header.setResizeContentsPrecision(40)
        # Stretching a right-aligned last column would push its figures far from the header.
        header.setStretchLastSection(listing.columns[-1].align == "left")
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        order, _descending = self.model.order
        if order is not None:
            header.setSortIndicator(listing.keys.index(order), Qt.SortOrder.AscendingOrder)
        self.view.setSortingEnabled(True)  # sort() re-runs the query in the core
        self.view.doubleClicked.connect(self._on_double_click)
        self.view.activated.connect(self._on_double_click)
        self.view.selectionModel().currentRowChanged.connect(
            lambda current, _previous: self.current_changed.emit(self._id_at(current))
        )

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self._apply_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._apply_search)
        self.model.modelReset.connect(self._update_count)
        self.model.completed.connect(self._update_count)

        self.bar = QHBoxLayout()
        if show_title:
            self.bar.addWidget(page_header(listing.title_zh, listing.title_en))
        self.tools = QHBoxLayout()  # the area's action buttons
        self.bar.addLayout(self.tools)
        self.bar.addStretch(1)
        self.bar.addWidget(self.count)
        self.bar.addSpacing(12)
        self.bar.addWidget(self.search)
        self.filters_bar = QHBoxLayout()  # check boxes and drop-downs, on their own row
        for box in self.filter_boxes.values():
            self.filters_bar.addWidget(box)
        banner = QHBoxLayout()
        banner.addLayout(self.filters_bar)
        banner.addStretch(1)
        banner.addWidget(self.restriction)
        banner.addWidget(self.clear_restriction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self.bar)
        layout.addLayout(banner)
        layout.addWidget(self.view, 1)
        self._update_count()
        self.ensure_current()
        # the sort order and column order come back; the widths are fitted to the content
        # again, except those of columns the user resized by hand (a table saved while it
        # was empty must not keep names truncated later)
        prefs_module.current().restore_header(header)
        self.user_widths = prefs_module.current().column_widths(header.objectName())
        self._fitting = False
        self._fitted_rows = -1  # rows when the widths were last fitted (-1: never)
        header.sectionResized.connect(self._section_resized)
        self.model.modelReset.connect(self._refit_when_filled)
        self.model.completed.connect(self._refit_when_filled)

    # --- filters -------------------------------------------------------------------------

    def add_choice_filter(
        self, key: str, caption: str, choices: Sequence[tuple[Any, str]]
    ) -> QComboBox:
        """A drop-down that keeps rows whose column ``key`` equals the chosen value."""
        box = QComboBox(self)
        box.setObjectName(f"filter_{key}")
        box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        box.setMinimumContentsLength(11)
        box.setToolTip(caption)
        box.addItem(caption + tr("：全部"), None)
        for value, shown in choices:
            box.addItem(shown, value)
        box.currentIndexChanged.connect(lambda _i: self._choice_changed(key, box))
        self.choice_boxes[key] = box
        self.filters_bar.addWidget(box)
        return box

    def _choice_changed(self, key: str, box: QComboBox) -> None:
        self.model.set_equals(key, box.currentData())
        self.ensure_current()

    def restrict(self, ids: Sequence[int] | None, caption: str = "") -> None:
        """Show only ``ids`` (with a banner saying why); None shows every row again."""
        self.model.set_restriction(list(ids) if ids is not None else None)
        self.ensure_current()
        shown = ids is not None
        self.restriction.setText(tr("仅显示：{what}").format(what=caption) if shown else "")
        self.restriction.setVisible(shown)
        self.clear_restriction.setVisible(shown)

    # --- rows ----------------------------------------------------------------------------

    def _id_at(self, index: QModelIndex) -> int | None:
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.id_at(index.row())

    def current_id(self) -> int | None:
        return self._id_at(self.view.currentIndex())

    def current_text(self, key: str) -> str:
        """What the current row shows in the column ``key`` ("" without a current row)."""
        index = self.view.currentIndex()
        keys = [c.key for c in self.model.listing.columns]
        if not index.isValid() or key not in keys:
            return ""
        return str(self.model.index(index.row(), keys.index(key)).data() or "")

    def select_id(self, row_id: int | None) -> bool:
        if row_id is None:
            return False
        row = self.model.row_of(row_id)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def _on_double_click(self, index: QModelIndex) -> None:
        row_id = self._id_at(index)
        if row_id is not None:
            self.activated.emit(row_id)

    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def reload(self, keep: int | None = None) -> None:
        """Re-run the query; the row ``keep`` (default: the current one) stays selected."""
        keep = keep if keep is not None else self.current_id()
        self.model.reload()
        if not self.select_id(keep):
            self.ensure_current()

    def ensure_current(self) -> None:
        """Make the first row current when none is (detail panes then have something)."""
        if self.current_id() is None and self.model.rowCount():
            self.view.setCurrentIndex(self.model.index(0, 0))

    def _apply_search(self) -> None:
        self._timer.stop()
        self.model.set_search(self.search.displayText())
        self.ensure_current()

    def _update_count(self) -> None:
        if self.model.complete:
            self.count.setText(tr("共 {n} 条").format(n=self.model.total))
        else:
            self.count.setText(tr("已显示前 {n} 条，正在读取其余…").format(n=self.model.total))

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # once the view has its real size, and again if the rows came while it was hidden
        if self._fitted_rows < 0 or (self._fitted_rows == 0 and self.model.rowCount()):
            self._fitted_rows = 0
            QTimer.singleShot(0, self.fit_columns)  # after the layout has settled

    def _refit_when_filled(self, *_args: object) -> None:
        """Widths fitted while the table was empty are fitted again once rows arrive."""
        if self._fitted_rows == 0 and self.model.rowCount() > 0 and self.isVisible():
            QTimer.singleShot(0, self.fit_columns)

    def _section_resized(self, section: int, _old: int, new: int) -> None:
        """A width the user set by hand is kept (and saved); fitting never overrides it."""
        header = self.view.horizontalHeader()
        if self._fitting or (header.stretchLastSection() and section == header.count() - 1):
            return
        key = self.listing.columns[section].key
        self.user_widths[key] = new
        prefs_module.current().set_column_widths(header.objectName(), self.user_widths)

    def fit_columns(self) -> None:
        """Widths from the header and the first rows, shrunk to fit the view if they can;
        columns the user resized keep their width."""
        header = self.view.horizontalHeader()
        keys = [c.key for c in self.listing.columns]
        self._fitting = True
        try:
            self.view.resizeColumnsToContents()
            natural = [
                max(MIN_COLUMN_WIDTH, min(header.sectionSize(s) + 16, MAX_COLUMN_WIDTH))
                for s in range(header.count())
            ]
            own = [s for s in range(header.count()) if keys[s] not in self.user_widths]
            taken = sum(self.user_widths[keys[s]] for s in range(header.count()) if s not in own)
            available = self.view.viewport().width() - 2 - taken
            fitted = dict(zip(own, fit_widths([natural[s] for s in own], available), strict=True))
            for section in range(header.count()):
                width = fitted.get(section, self.user_widths.get(keys[section], 0))
                header.resizeSection(section, width)
        finally:
            self._fitting = False
        self._fitted_rows = self.model.rowCount()
