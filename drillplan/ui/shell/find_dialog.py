"""The resource directory's search box (Ctrl+K from every page): results as one types.

The query runs on the op runner (:func:`drillplan.directory.find.find`, one ``GROUP BY`` in
SQL) a short moment after the last key press; an answer to an older query is dropped. Enter
or a double-click on a result opens its holder: the depot in the stock area, the team in the
teams area, a capacity reserve in the stock area's capacity tab (the main window navigates).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillplan.directory.find import DirectoryHolder, Found, find, holding_text
from drillplan.kernel.formatting import fmt_number

from drillplan.ui.context import UiContext
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.ops import Op

DEBOUNCE_MS = 150
MAX_SHOWN = 200
TOTALS_SHOWN = 6  # sums in the status line (a class search names hundreds of materials)
ROLE = Qt.ItemDataRole.UserRole


def result_text(holder: DirectoryHolder, horizon: int, lang: str = "zh") -> str:
    """Two lines: the holder and its quantities; whom to call and where."""
    held = "；".join(holding_text(h, horizon=horizon, lang=lang) for h in holder.holdings[:4])
    if len(holder.holdings) > 4:
        held += f" …（+{len(holder.holdings) - 4}）"
    if not held and holder.capabilities:
        held = "、".join(holder.capabilities)
    first = f"[{holder.tier_label}] {holder.name}（{holder.code}）  {held}"
    contact = " ".join(p for p in (holder.keeper, holder.phone) if p)
    if holder.kind == "depot" and holder.agreement_supplier:
        parts = (holder.agreement_supplier, holder.agreement_contact, holder.agreement_phone)
        contact += "  " + tr("协议：") + " ".join(p for p in parts if p)
    second = "    " + "  ·  ".join(
        p for p in (contact, holder.address or "", holder.unit_name) if p
    )
    return f"{first}\n{second}"


class FindDialog(QDialog):
    """A search box and its results; :attr:`open_holder` carries (kind, id) of the choice."""

    open_holder = Signal(str, int)

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("findDialog")
        self.setWindowTitle(tr("资源目录：查找物资、持有方和联系人"))
        self.resize(860, 520)
        self.box = QLineEdit(self)
        self.box.setObjectName("findBox")
        self.box.setPlaceholderText(
            tr("物资名称、别名、编码或队伍专业，如 冲锋舟、救生衣、2030、水上救援")
        )
        self.box.setClearButtonEnabled(True)
        self.status = QLabel(tr("输入后即时显示结果；回车或双击打开所选持有方"), self)
        self.status.setObjectName("dataLabel")
        self.results = QListWidget(self)
        self.results.setObjectName("findResults")
        self.results.setAlternatingRowColors(True)
        self.results.setUniformItemSizes(True)  # two lines each: laid out once, not per item
        self.results.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.results.itemActivated.connect(self._activated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.box)
        layout.addWidget(self.status)
        layout.addWidget(self.results, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.box.textChanged.connect(lambda _t: self._timer.start())
        self._asked = 0  # the number of the latest query; older answers are dropped
        self.found: Found | None = None

    def search_now(self) -> None:
        self._timer.stop()
        text = self.box.text().strip()
        self._asked += 1
        asked = self._asked
        if not text:
            self._show(None, asked)
            return
        as_of = self.ctx.as_of()
        Op(lambda s: find(s, text, as_of=as_of, limit=MAX_SHOWN), parent=self).success(
            lambda found: self._show(found, asked)
        ).run(self.ctx.runner)

    def _show(self, found: Found | None, asked: int) -> None:
        if asked != self._asked:
            return  # a newer query is on its way
        self.found = found
        self.results.clear()
        if found is None:
            self.status.setText(tr("输入后即时显示结果；回车或双击打开所选持有方"))
            return
        lang = current_language()
        for holder in found.holders:
            item = QListWidgetItem(result_text(holder, found.horizon_days, lang), self.results)
            item.setData(ROLE, (holder.kind, holder.id))
            item.setToolTip(holder.name)
        names = {m.code: m.name for m in found.materials}
        sums = [  # the materials the query named (a capability search: its teams' equipment)
            f"{names.get(code, code)} {fmt_number(usable)} {uom}"
            for (code, uom), (usable, _e) in sorted(found.totals().items())
            if code in names or not names
        ]
        totals = "；".join(sums[:TOTALS_SHOWN]) + ("…" if len(sums) > TOTALS_SHOWN else "")
        if found.holders:
            self.status.setText(
                tr("{n} 个持有方（产能储备单列，不计入可用数量）  可用合计：{totals}").format(
                    n=found.total_holders, totals=totals or "—"
                )
            )
            self.results.setCurrentRow(0)
        else:
            self.status.setText(tr("没有找到“{text}”").format(text=found.query))

    def _activated(self, item: QListWidgetItem) -> None:
        kind, row_id = item.data(ROLE)
        self.open_holder.emit(kind, int(row_id))
        self.accept()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self._timer.isActive():
                self.search_now()
                return
            item = self.results.currentItem()
            if item is not None:
                self._activated(item)
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.box.hasFocus():
            row = self.results.currentRow() + (1 if key == Qt.Key.Key_Down else -1)
            if 0 <= row < self.results.count():
                self.results.setCurrentRow(row)
            return
        super().keyPressEvent(event)
