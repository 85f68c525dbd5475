"""The audit log view: browse and filter who changed what, with before/after per field.

Read only: the table has no edit triggers and the core offers no way to change an entry.
Every read runs on the op runner like every other view: rows are fetched a page at a time
through :func:`drillplan.audit.read.query_audit`, and a timer polls the change counter and
reloads when another client committed something.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import shiboken6

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillplan.audit.labels import table_label
from drillplan.audit.read import (
    PAGE,
    AuditChoices,
    AuditEntry,
    AuditFilter,
    audit_choices,
    count_audit,
    query_audit,
)
from drillplan.auth.changes import ChangeWatcher

from drillplan.ui.context import UiContext
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.ops import Op, OpRunner
from drillplan.ui.widgets import page_header

Index = QModelIndex | QPersistentModelIndex
POLL_MS = 5000
COLUMNS = (
    ("时间", "at"),
    ("用户", "username"),
    ("操作", "action"),
    ("数据表", "table"),
    ("记录", "row_id"),
    ("变更", "summary"),
)


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


class AuditModel(QAbstractTableModel):
    """Entries matching a filter, newest first, fetched :data:`PAGE` at a time on the op
    runner: ``reload()`` and ``fetchMore()`` return at once, the rows arrive later."""

    loaded = Signal()  # the first page of a (re)load arrived

    def __init__(self, runner: OpRunner, parent: Any = None) -> None:
        super().__init__(parent)
        self._runner = runner
        self._filter = AuditFilter()
        self._rows: list[AuditEntry] = []
        self._total = 0
        self._generation = 0  # answers to an older filter are dropped
        self._fetching = False
        self.lang = current_language()
        self.reload()

    @property
    def total(self) -> int:
        return self._total

    def set_filter(self, flt: AuditFilter) -> None:
        self._filter = flt
        self.reload()

    def reload(self) -> None:
        self._generation += 1
        generation, flt = self._generation, self._filter
        Op(lambda s: (count_audit(s, flt), query_audit(s, flt, limit=PAGE))).success(
            lambda result: self._loaded(generation, *result)
        ).run(self._runner)

    def _loaded(self, generation: int, total: int, rows: list[AuditEntry]) -> None:
        if not shiboken6.isValid(self) or generation != self._generation:
            return  # closed meanwhile, or the filter changed
        self.beginResetModel()
        self._total, self._rows, self._fetching = total, rows, False
        self.endResetModel()
        self.loaded.emit()

    def entry(self, row: int) -> AuditEntry | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    # --- Qt model ------------------------------------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._fetching and len(self._rows) < self._total

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or self._fetching:
            return
        self._fetching = True
        generation, flt, offset = self._generation, self._filter, len(self._rows)
        Op(lambda s: query_audit(s, flt, offset=offset, limit=PAGE)).success(
            lambda more: self._more(generation, offset, more)
        ).run(self._runner)

    def _more(self, generation: int, offset: int, more: list[AuditEntry]) -> None:
        if not shiboken6.isValid(self) or (generation, offset) != (
            self._generation,
            len(self._rows),
        ):
            return
        self._fetching = False
        if not more:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)  # last row inclusive
        self._rows.extend(more)
        self.endInsertRows()

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        return tr(COLUMNS[section][0])

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable  # never editable

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        entry = self.entry(index.row()) if index.isValid() else None
        if entry is None:
            return None
        key = COLUMNS[index.column()][1]
        if role == Qt.ItemDataRole.DisplayRole:
            if key == "at":
                return entry.at.strftime("%Y-%m-%d %H:%M:%S") if entry.at else ""
            if key == "table":
                return entry.table_label(self.lang)
            if key == "summary":
                return entry.summary()
            return _shown(getattr(entry, key))
        if role == Qt.ItemDataRole.ToolTipRole and key == "summary":
            return entry.summary(limit=50)
        return None


class AuditView(QWidget):
    """Filters above, the log in the middle, the selected entry's fields below."""

    polled = Signal(bool)  # a poll answered: whether another client changed something

    def __init__(
        self, ctx: UiContext, *, poll_ms: int = POLL_MS, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._search = ""
        self.model = AuditModel(ctx.runner, self)
        self.watcher = ChangeWatcher()  # read only on the op runner's one worker thread

        self.user_box = QComboBox(self)
        self.table_box = QComboBox(self)
        self.action_box = QComboBox(self)
        self.search_box = QLineEdit(self)
        self.search_box.setPlaceholderText(tr("搜索用户、数据表、操作"))
        self.search_box.textChanged.connect(self._search_changed)
        self.use_dates = QCheckBox(tr("日期"), self)
        today = QDate.currentDate()
        self.since = QDateEdit(today.addDays(-30), self)
        self.until = QDateEdit(today, self)
        for box in (self.since, self.until):
            box.setCalendarPopup(True)
            box.setDisplayFormat("yyyy-MM-dd")
        self.refresh_button = QPushButton(tr("刷新"), self)
        self.count_label = QLabel("", self)
        self.count_label.setObjectName("rowCount")
        self.load_choices()
        for combo in (self.user_box, self.table_box, self.action_box):
            combo.currentIndexChanged.connect(self.apply_filter)
        for edit in (self.since, self.until):
            edit.dateChanged.connect(self.apply_filter)
        self.use_dates.toggled.connect(self.apply_filter)
        self.refresh_button.clicked.connect(self.refresh)

        self.table = QTableView(self)
        self.table.setObjectName("auditTable")
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._show_detail)

        self.detail = QTableWidget(0, 3, self)
        self.detail.setObjectName("auditDetail")
        self.detail.setHorizontalHeaderLabels([tr("字段"), tr("修改前"), tr("修改后")])
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.verticalHeader().setVisible(False)
        self.detail.horizontalHeader().setStretchLastSection(True)

        filters = QHBoxLayout()
        for label, widget in (
            (tr("用户"), self.user_box),
            (tr("数据表"), self.table_box),
            (tr("操作"), self.action_box),
        ):
            filters.addWidget(QLabel(label, self))
            filters.addWidget(widget)
        filters.addWidget(self.search_box, 1)
        dates = QHBoxLayout()
        dates.addWidget(self.use_dates)
        dates.addWidget(self.since)
        dates.addWidget(QLabel("—", self))
        dates.addWidget(self.until)
        dates.addStretch(1)
        dates.addWidget(self.count_label)
        dates.addWidget(self.refresh_button)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.table)
        split.addWidget(self.detail)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(page_header("审计日志", "Audit log", self))
        layout.addLayout(filters)
        layout.addLayout(dates)
        layout.addWidget(split, 1)
        self.model.loaded.connect(self._update_count)
        self._update_count()

        self.timer = QTimer(self)
        self.timer.setInterval(poll_ms)
        self.timer.timeout.connect(self.poll)
        watcher = self.watcher
        Op(watcher.changed, parent=self).run(ctx.runner)  # the baseline
        if poll_ms > 0:
            self.timer.start()

    # --- filters --------------------------------------------------------------------------

    def load_choices(self) -> None:
        Op(audit_choices, parent=self).success(self._fill_choices).run(self.ctx.runner)

    def _fill_choices(self, choices: AuditChoices) -> None:
        if not shiboken6.isValid(self):
            return
        lang = current_language()
        for combo, values, labelled in (
            (self.user_box, choices.usernames, False),
            (self.table_box, choices.tables, True),
            (self.action_box, choices.actions, False),
        ):
            current = combo.currentData()
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(tr("全部"), None)
            for value in values:
                combo.addItem(table_label(value, lang) if labelled else value, value)
            found = combo.findData(current)
            combo.setCurrentIndex(found if found >= 0 else 0)
            combo.blockSignals(False)

    def _search_changed(self, value: str) -> None:
        self._search = value
        self.apply_filter()

    def current_filter(self) -> AuditFilter:
        since = until = None
        if self.use_dates.isChecked():
            since = dt.date.fromisoformat(self.since.date().toString("yyyy-MM-dd"))
            until = dt.date.fromisoformat(self.until.date().toString("yyyy-MM-dd"))
        return AuditFilter(
            username=self.user_box.currentData(),
            table=self.table_box.currentData(),
            action=self.action_box.currentData(),
            since=since,
            until=until,
            text=self._search or None,
        )

    def apply_filter(self, *_args: object) -> None:
        self.model.set_filter(self.current_filter())  # the count follows when the rows arrive
        self.detail.setRowCount(0)

    def _update_count(self) -> None:
        self.count_label.setText(tr("共 {n} 条").replace("{n}", f"{self.model.total:,}"))

    # --- refreshing -----------------------------------------------------------------------

    def refresh(self) -> None:
        self.load_choices()
        self.apply_filter()

    def poll(self) -> None:
        """Ask (on the op runner) whether another client committed a change; reload if so.
        The answer comes back as :attr:`polled`."""
        Op(self.watcher.changed, parent=self).success(self._polled).run(self.ctx.runner)

    def _polled(self, changed: bool) -> None:
        if not shiboken6.isValid(self):
            return
        if changed:
            self.refresh()
        self.polled.emit(changed)

    # --- detail ---------------------------------------------------------------------------

    def _show_detail(self, current: QModelIndex, _previous: QModelIndex) -> None:
        entry = self.model.entry(current.row()) if current.isValid() else None
        changes = entry.changes() if entry is not None else []
        self.detail.setRowCount(len(changes))
        for row, change in enumerate(changes):
            for col, value in enumerate((change.field, change.before, change.after)):
                self.detail.setItem(row, col, QTableWidgetItem(_shown(value)))
