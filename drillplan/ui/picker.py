"""Searchable pickers: type a code, part of a name or its pinyin initials to find a record.

``SearchPicker`` is an editable combo box for one choice (a material, unit, team, depot or
plan): typing filters the drop-down list (``drillplan.kernel.search_text`` decides what
matches); Enter, a click or leaving the field takes the first match; text that matches
nothing falls back to the previous choice. ``SearchChecklist`` is the same filter over a
list of check boxes for picking several (the plans and teams of a drill).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillplan.kernel.search_text import matches

from drillplan.ui.i18n import tr

ModelIndex = QModelIndex | QPersistentModelIndex


class _MatchFilter(QSortFilterProxyModel):
    """Rows of the combo's model that the typed text finds (by code, name or pinyin)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.query = ""

    def set_query(self, query: str) -> None:
        if hasattr(self, "beginFilterChange"):  # Qt 6.10+; invalidateFilter() is deprecated
            self.beginFilterChange()
            self.query = query
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)
        else:
            self.query = query
            self.invalidateRowsFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        model = self.sourceModel()
        index = model.index(source_row, 0, source_parent)
        if index.data(Qt.ItemDataRole.UserRole) is None:
            return not self.query.strip()  # "（未选择）" only while nothing is typed
        return matches(self.query, str(index.data(Qt.ItemDataRole.DisplayRole) or ""))


class SearchPicker(QComboBox):
    """An editable combo box whose typed text filters its choices."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(15)
        self.filter = _MatchFilter(self)
        self.filter.setSourceModel(self.model())
        completer = QCompleter(self.filter, self)
        completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setMaxVisibleItems(15)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None
        line.setPlaceholderText(tr("输入编号、名称或拼音首字母"))
        line.textEdited.connect(self._typed)
        line.editingFinished.connect(self.resolve)
        completer.activated[QModelIndex].connect(self._picked)

    def set_choices(self, choices: Sequence[tuple[Any, str]], *, empty: str = "") -> None:
        self.blockSignals(True)
        self.clear()
        if empty:
            self.addItem(empty, None)
        for value, shown in choices:
            self.addItem(shown, value)
        self.blockSignals(False)

    def _typed(self, text: str) -> None:
        self.filter.set_query(text)
        completer = self.completer()
        if completer is not None and text.strip():
            completer.complete()

    def _picked(self, index: QModelIndex) -> None:
        source = self.filter.mapToSource(index)
        if source.isValid():
            self.setCurrentIndex(source.row())
        self.filter.set_query("")

    def matching_rows(self) -> list[int]:
        """The rows the typed text finds, in the order the drop-down shows them."""
        return [
            self.filter.mapToSource(self.filter.index(i, 0)).row()
            for i in range(self.filter.rowCount())
        ]

    def resolve(self) -> None:
        """Turn the typed text into a choice: the exact one, else the first match, else the
        previous choice (the text is put back, so what is shown is what will be saved)."""
        line = self.lineEdit()
        assert line is not None
        text = line.text().strip()
        current = self.currentIndex()
        if current >= 0 and text == self.itemText(current):
            return
        exact = self.findText(text, Qt.MatchFlag.MatchFixedString)
        if not text:
            empty = self.findData(None)
            row = empty if empty >= 0 else current
        elif exact >= 0:
            row = exact
        else:
            self.filter.set_query(text)
            rows = self.matching_rows()
            row = rows[0] if rows else current
        self.filter.set_query("")
        if row >= 0:
            self.setCurrentIndex(row)
            line.setText(self.itemText(row))

    def value(self) -> Any:
        self.resolve()
        return self.currentData()

    def set_value(self, value: Any) -> None:
        index = self.findData(value)
        self.setCurrentIndex(max(index, 0))
        self.filter.set_query("")

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        popup = self.completer().popup() if self.completer() is not None else None
        if popup is None or not popup.isVisible():
            self.resolve()


class SearchChecklist(QWidget):
    """Check boxes for several choices, with a filter line above them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.search = QLineEdit(self)
        self.search.setObjectName("checklistSearch")
        self.search.setPlaceholderText(tr("筛选：编号、名称或拼音首字母"))
        self.search.setClearButtonEnabled(True)
        self.items = QListWidget(self)
        self.items.setMaximumHeight(110)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.search)
        layout.addWidget(self.items)
        self.search.textChanged.connect(self._apply)
        self.setFocusProxy(self.search)

    def set_choices(self, choices: Sequence[tuple[Any, str]]) -> None:
        self.items.clear()
        for value, shown in choices:
            item = QListWidgetItem(shown, self.items)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self._apply(self.search.text())

    def _apply(self, query: str) -> None:
        for i in range(self.items.count()):
            item = self.items.item(i)
            # checked ones stay in sight, so the filter never hides what will be saved
            checked = item.checkState() == Qt.CheckState.Checked
            item.setHidden(not checked and not matches(query, item.text()))

    def visible_texts(self) -> list[str]:
        return [
            self.items.item(i).text()
            for i in range(self.items.count())
            if not self.items.item(i).isHidden()
        ]

    def value(self) -> list[Any]:
        return [
            self.items.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.items.count())
            if self.items.item(i).checkState() == Qt.CheckState.Checked
        ]

    def set_value(self, value: Any) -> None:
        wanted = set(value or [])
        for i in range(self.items.count()):
            item = self.items.item(i)
            checked = item.data(Qt.ItemDataRole.UserRole) in wanted
            item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self._apply(self.search.text())
