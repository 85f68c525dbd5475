"""物资储备: the depot tree (tier -> depot) beside lots, depots, materials, quotas, a lot's
ledger and the expiry audit; stock operations from the lots tab."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillplan.kernel.vocab import label
from drillplan.org import read as org_read
from drillplan.reserves.listing import CAPACITY_RESERVES
from drillplan.stock import read as stock_read
from drillplan.stock.listing import DEPOTS, LOTS, MATERIALS

from drillplan.ui import prefs as prefs_module
from drillplan.ui.area import AreaPage
from drillplan.ui.areas.stock.actions import StockActions
from drillplan.ui.areas.stock.capacity import CapacityActions
from drillplan.ui.areas.stock.catalogue import CatalogueActions
from drillplan.ui.areas.stock.expiry import ExpiryAuditView
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import page_header, tool_button

TABS = ("lots", "depots", "materials", "quotas", "ledger", "expiry", "capacity")
ROLE = Qt.ItemDataRole.UserRole
CODE_ROLE = Qt.ItemDataRole.UserRole + 1


class StockPage(AreaPage):
    """The depot tree beside the tabs; stock operations and the catalogue are action objects."""

    areas = ("stock", "units", "teams")
    screenshot_tabs = TABS

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.stock_actions = StockActions(self)
        self.catalogue = CatalogueActions(self)
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("depotTree")
        self.tree.setHeaderHidden(True)
        self.tree.currentItemChanged.connect(lambda _c, _p: self._tree_changed())
        self.lots = ListingPanel(
            LOTS, ctx.session, as_of=ctx.fixed_date, loader=ctx.load_in_background, show_title=False
        )
        self.depots = ListingPanel(
            DEPOTS,
            ctx.session,
            as_of=ctx.fixed_date,
            loader=ctx.load_in_background,
            show_title=False,
        )
        self.materials = ListingPanel(
            MATERIALS, ctx.session, as_of=ctx.fixed_date, show_title=False
        )
        self.capacity = ListingPanel(
            CAPACITY_RESERVES, ctx.session, as_of=ctx.fixed_date, show_title=False
        )
        self.capacity_actions = CapacityActions(self, lambda: self.capacity.reload())
        self.panels = [self.lots, self.depots, self.materials, self.capacity]
        self.quotas = RowsView(
            [
                Col(tr("物资"), lambda q: q.material),
                Col(tr("单位"), lambda q: q.uom),
                Col(tr("定额"), lambda q: q.required, right=True),
                Col(tr("可用库存"), lambda q: q.usable, right=True),
                Col(
                    tr("缺口"),
                    lambda q: q.shortfall,
                    right=True,
                    tone=lambda q: "bad" if q.shortfall > 0 else None,
                ),
                Col(
                    tr("定额来源"), lambda q: tr("本库") if q.source == "depot" else tr("层级默认")
                ),
            ],
            "quotasTable",
            self,
        )
        self.quotas.doubleClicked.connect(lambda _i: self.catalogue.set_quota())
        self.ledger_title = QLabel(tr("请在“批次”中选择一个批次"), self)
        self.ledger_title.setObjectName("dataLabel")
        self.ledger = RowsView(
            [
                Col(tr("日期"), lambda m: m.moved_on),
                Col(tr("类型"), lambda m: label(m.kind, current_language())),
                Col(
                    tr("数量"),
                    lambda m: m.quantity,
                    right=True,
                    tone=lambda m: "bad" if m.quantity < 0 else "good",
                ),
                Col(tr("结存"), lambda m: m.balance, right=True),
                Col(tr("经办人"), lambda m: m.operator),
                Col(tr("事由"), lambda m: m.reason),
                Col(tr("单据号"), lambda m: m.document_no),
                Col(tr("对方单位"), lambda m: m.counterpart),
            ],
            "ledgerTable",
            self,
        )
        self.expiry = ExpiryAuditView(ctx, self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        ledger_box = QWidget(self)
        ledger_layout = QVBoxLayout(ledger_box)
        ledger_bar = QHBoxLayout()
        ledger_bar.addWidget(self.ledger_title)
        ledger_bar.addStretch(1)
        ledger_bar.addWidget(tool_button(tr("冲正所选记录"), self, self.stock_actions.reverse))
        ledger_layout.addLayout(ledger_bar)
        ledger_layout.addWidget(self.ledger)
        quota_box = QWidget(self)
        quota_layout = QVBoxLayout(quota_box)
        quota_bar = QHBoxLayout()
        self.quota_title = QLabel(tr("请在左侧选择一个储备库"), self)
        self.quota_title.setObjectName("dataLabel")
        quota_bar.addWidget(self.quota_title)
        quota_bar.addStretch(1)
        quota_bar.addWidget(tool_button(tr("设置定额"), self, self.catalogue.set_quota))
        quota_layout.addLayout(quota_bar)
        quota_layout.addWidget(self.quotas)
        for widget, caption in zip(
            (self.lots, self.depots, self.materials, quota_box, ledger_box, self.expiry,
             self.capacity),
            (tr("批次"), tr("储备库"), tr("物资目录"), tr("储备定额"), tr("台账"), tr("到期审计"),
             tr("产能储备")),
            strict=True,
        ):  # fmt: skip
            self.tabs.addTab(widget, caption)
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())

        acts = self.stock_actions
        for caption, slot in (
            (tr("入库"), acts.receive),
            (tr("出库"), acts.issue),
            (tr("调拨"), acts.transfer),
            (tr("报损"), acts.write_off),
            (tr("轮换"), acts.rotate),
            (tr("盘点"), acts.count),
        ):
            self.lots.tools.addWidget(tool_button(caption, self, slot))
        self.lots.current_changed.connect(lambda _id: self._load_ledger())
        self.lots.activated.connect(lambda _id: self.tabs.setCurrentIndex(TABS.index("ledger")))
        for caption, slot in (
            (tr("新建储备库"), self.new_item),
            (tr("编辑"), self.edit_item),
            (tr("删除"), self.delete_item),
        ):
            self.depots.tools.addWidget(tool_button(caption, self, slot))
        for caption, slot in (
            (tr("新建物资"), self.new_item),
            (tr("编辑"), self.edit_item),
            (tr("删除"), self.delete_item),
        ):
            self.materials.tools.addWidget(tool_button(caption, self, slot))
        for caption, slot in (
            (tr("新建产能储备"), self.new_item),
            (tr("编辑"), self.edit_item),
            (tr("删除"), self.delete_item),
        ):
            self.capacity.tools.addWidget(tool_button(caption, self, slot))
        self.capacity.activated.connect(lambda _id: self.edit_item())
        self.depots.activated.connect(lambda _id: self.edit_item())
        self.materials.activated.connect(lambda _id: self.edit_item())

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setObjectName("stockSplitter")
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(self.tabs)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 1000])
        prefs_module.current().restore_splitter(self.splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_header("物资储备", "Material reserves"))
        layout.addWidget(self.splitter, 1)
        self._units: list[tuple[int, str]] = []
        self.load_tree()
        self._load_ledger()

    # --- the tree --------------------------------------------------------------------------

    def load_tree(self) -> None:
        lang = current_language()
        self.op(
            lambda s: (stock_read.depot_tree(s, lang), org_read.unit_choices(s)), self._got_tree
        )

    def _got_tree(self, result: tuple[list[Any], list[tuple[int, str]]]) -> None:
        tiers, self._units = result
        keep = self.tree.currentItem().data(0, ROLE) if self.tree.currentItem() else None
        self.tree.blockSignals(True)
        self.tree.clear()
        root = QTreeWidgetItem(self.tree, [tr("全部库点")])
        root.setData(0, ROLE, ("all", None, None))
        found = root
        for tier, tier_label, nodes in tiers:
            caption = tr("{tier}（{n}）").format(tier=tier_label, n=len(nodes))
            tier_item = QTreeWidgetItem(root, [caption])
            tier_item.setData(0, ROLE, ("tier", tier, None))
            for node in nodes:
                item = QTreeWidgetItem(tier_item, [f"{node.code} {node.name}"])
                item.setData(0, ROLE, ("depot", node.depot_id, node.holder_id))
                item.setData(0, CODE_ROLE, node.code)
                if keep == item.data(0, ROLE):
                    found = item
            if keep == tier_item.data(0, ROLE):
                found = tier_item
        self.tree.expandAll()
        self.tree.setCurrentItem(found)
        self.tree.blockSignals(False)
        self._tree_changed()

    def selection(self) -> tuple[str, Any, Any]:
        item = self.tree.currentItem()
        return item.data(0, ROLE) if item is not None else ("all", None, None)

    def select_depot(self, depot_id: int) -> bool:
        for item in self._tree_items():
            kind, key, _holder = item.data(0, ROLE)
            if kind == "depot" and key == depot_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _tree_items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            out.append(item)
            stack.extend(item.child(i) for i in range(item.childCount()))
        return out

    def _tree_changed(self) -> None:
        kind, key, _holder = self.selection()
        self.lots.model.set_equals("depot_tier", key if kind == "tier" else None)
        self.lots.model.set_equals("depot_id", key if kind == "depot" else None)
        self.depots.model.set_equals("tier", key if kind == "tier" else None)
        self.load_quotas()

    def load_quotas(self) -> None:
        kind, _depot_id, _holder = self.selection()
        if kind != "depot":
            self.quota_title.setText(tr("请在左侧选择一个储备库"))
            self.quotas.set_rows([])
            return
        as_of = self.ctx.as_of()
        item = self.tree.currentItem()
        self.quota_title.setText(item.data(0, Qt.ItemDataRole.DisplayRole) if item else "")
        code = self._depot_code(item)
        self.op(lambda s: stock_read.depot_quotas(s, code, as_of), self.quotas.set_rows)

    @staticmethod
    def _depot_code(item: QTreeWidgetItem | None) -> str | None:
        return None if item is None else item.data(0, CODE_ROLE)

    def _load_ledger(self) -> None:
        lot_id = self.lots.current_id()
        if lot_id is None:
            self.ledger.set_rows([])
            return

        def got(result: tuple[Any, list[stock_read.LedgerRow]]) -> None:
            line, rows = result
            if line is not None:
                self.ledger_title.setText(
                    tr("{material} 批次 {batch}，结存 {qty} {uom}").format(
                        material=line.material,
                        batch=line.batch_no,
                        qty=f"{line.on_hand.normalize():f}",
                        uom=line.uom,
                    )
                )
            self.ledger.set_rows(rows)

        self.op(lambda s: (stock_read.lot_line(s, lot_id), stock_read.lot_ledger(s, lot_id)), got)

    def _tab_changed(self) -> None:
        if self.current_tab() == "expiry":
            self.expiry.reload()

    # --- the page ----------------------------------------------------------------------------

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def show_tab(self, name: str) -> None:
        if name in TABS:
            self.tabs.setCurrentIndex(TABS.index(name))

    def refresh(self) -> None:
        for panel in self.panels:
            panel.reload()
        self.load_tree()
        self._load_ledger()
        if self.current_tab() == "expiry":
            self.expiry.reload()

    def focus_search(self) -> None:
        panel = {
            "lots": self.lots,
            "depots": self.depots,
            "materials": self.materials,
            "capacity": self.capacity,
        }.get(self.current_tab(), self.lots)
        self.tabs.setCurrentWidget(panel)
        panel.focus_search()

    # --- what the action objects ask of the page (StockHost, CatalogueHost) ----------------

    def selection_caption(self) -> str:
        item = self.tree.currentItem()
        return str(item.data(0, Qt.ItemDataRole.DisplayRole)) if item is not None else ""

    def current_lot(self) -> int | None:
        return self.lots.current_id()

    def selected_lot(self) -> int | None:
        return self.current_lot() if self.current_tab() == "lots" else None

    def current_movement(self) -> stock_read.LedgerRow | None:
        return self.ledger.current()

    def current_quota(self) -> stock_read.QuotaRow | None:
        return self.quotas.current()

    def unit_choices(self) -> list[tuple[int, str]]:
        return self._units

    # --- Ctrl+N, Enter, Del: by the current tab ----------------------------------------------

    def _capacity_item(self, act: Any) -> bool:
        """On the capacity tab: run ``act(reserve_id)`` (True: the tab handled it)."""
        if self.current_tab() != "capacity":
            return False
        reserve_id = self.capacity.current_id()
        if reserve_id is None:
            self.need_selection(tr("一条产能储备"))
        else:
            act(reserve_id)
        return True

    def new_item(self) -> None:
        tab = self.current_tab()
        if tab == "capacity":
            self.capacity_actions.new()
        elif tab == "materials":
            self.catalogue.new_material()
        elif tab == "lots":
            self.stock_actions.receive()
        else:
            self.show_tab("depots")
            self.catalogue.new_depot()

    def edit_item(self) -> None:
        if self._capacity_item(self.capacity_actions.edit):
            return
        if self.current_tab() == "materials":
            material_id = self.materials.current_id()
            if material_id is None:
                self.need_selection(tr("一种物资"))
            else:
                self.catalogue.edit_material(material_id)
            return
        depot_id = self.depots.current_id()
        if depot_id is None or self.current_tab() != "depots":
            self.need_selection(tr("储备库（在“储备库”页）"))
            return
        self.catalogue.edit_depot(depot_id)

    def delete_item(self) -> None:
        if self._capacity_item(self.capacity_actions.delete):
            return
        if self.current_tab() == "materials":
            material_id = self.materials.current_id()
            if material_id is None:
                self.need_selection(tr("一种物资"))
            else:
                self.catalogue.delete_material(material_id)
            return
        depot_id = self.depots.current_id()
        if depot_id is None or self.current_tab() != "depots":
            self.need_selection(tr("储备库（在“储备库”页）"))
            return
        self.catalogue.delete_depot(depot_id)
