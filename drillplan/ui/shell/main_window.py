"""The main window: a navigation pane on the left, one page per area on the right, the menus
and the standard shortcuts."""

from __future__ import annotations

import datetime as dt
import importlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import partial
from typing import TYPE_CHECKING, NamedTuple, cast

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from drillplan.auth.changes import ChangeWatcher
from drillplan.db.database import Database
from drillplan.readiness.setup_steps import SetupStep, next_step, setup_steps

from drillplan.ui.area import AreaPage
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import current_language, pick, set_language, tr
from drillplan.ui.location import describe_location
from drillplan.ui.ops import Op, OpChanges
from drillplan.ui.shell.file_actions import FileActions
from drillplan.ui.style import STYLE_SHEET

if TYPE_CHECKING:  # the pages are imported when first shown: a fast start
    from drillplan.ui.areas.drills.page import DrillsPage
    from drillplan.ui.areas.overview.page import OverviewPage
    from drillplan.ui.areas.reports.page import ReportsPage
    from drillplan.ui.areas.stock.page import StockPage
    from drillplan.ui.areas.teams.page import TeamsPage
    from drillplan.ui.checklist import ChecklistDialog
    from drillplan.ui.shell.find_dialog import FindDialog

POLL_OTHER_CLIENTS_MS = 5_000  # shared database: look for other PCs' changes

WINDOW_TITLE = "drillplan 应急预案与演练管理"
WINDOW_TITLE_EN = "drillplan – contingency plans and drills"


class Area(NamedTuple):
    key: str
    zh: str
    en: str


AREAS: tuple[Area, ...] = (
    Area("overview", "总览", "Overview"),
    Area("plans", "应急预案", "Plans"),
    Area("teams", "救援队伍", "Teams"),
    Area("stock", "物资储备", "Reserves"),
    Area("drills", "演练", "Drills"),
    Area("competitions", "技能比武", "Competitions"),
    Area("reports", "报表", "Reports"),
    Area("requests", "调拨申请", "Requests"),
    Area("duty", "通讯录与值班", "Contacts & duty"),
    Area("facilities", "避难场所", "Shelters"),
    Area("trainings", "培训与宣教", "Training"),
    Area("hazards", "响应矩阵", "Response matrix"),
)


#: each area's page class, imported when the page is first shown (only the overview is
#: built at start; importing the other pages' modules would cost the start a tenth of a second)
PAGE_CLASSES: dict[str, str] = {
    "overview": "overview.page.OverviewPage",
    "plans": "plans.page.PlansPage",
    "teams": "teams.page.TeamsPage",
    "stock": "stock.page.StockPage",
    "drills": "drills.page.DrillsPage",
    "competitions": "competitions.page.CompetitionsPage",
    "reports": "reports.page.ReportsPage",
    "requests": "requests.page.RequestsPage",
    "duty": "duty.page.DutyPage",
    "facilities": "facilities.page.FacilitiesPage",
    "trainings": "trainings.page.TrainingsPage",
    "hazards": "hazards.page.HazardsPage",
}


def page_class(key: str) -> type[AreaPage]:
    """The page class of area ``key`` (its module imported now)."""
    module, _, name = PAGE_CLASSES[key].rpartition(".")
    cls = getattr(importlib.import_module(f"drillplan.ui.areas.{module}"), name)
    assert issubclass(cls, AreaPage)
    return cls


class LazyPages(Mapping[str, AreaPage]):
    """The area pages by key, each built on first access inside its place in the stack."""

    def __init__(self, factories: dict[str, Callable[[], AreaPage]]) -> None:
        self._factories = factories
        self._holders: dict[str, QWidget] = {}
        self._built: dict[str, AreaPage] = {}

    def holder(self, key: str) -> QWidget:
        if key not in self._holders:
            box = QWidget()
            box.setObjectName(f"area_{key}")
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            self._holders[key] = box
        return self._holders[key]

    def __getitem__(self, key: str) -> AreaPage:
        if key not in self._built:
            page = self._factories[key]()
            layout = self.holder(key).layout()
            assert layout is not None
            layout.addWidget(page)
            self._built[key] = page
        return self._built[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._factories)

    def __len__(self) -> int:
        return len(self._factories)

    def built(self) -> dict[str, AreaPage]:
        return dict(self._built)


class MainWindow(QMainWindow):
    language_requested = Signal(str)
    database_requested = Signal(str)  # open another database (the demo file just made)

    def __init__(
        self,
        db: Database,
        *,
        as_of: dt.date | None = None,
        lang: str | None = None,
        ctx: UiContext | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        if lang is not None and lang != current_language():
            set_language(lang)
        self.db = db
        self.ctx = ctx or UiContext.create(db, as_of=as_of)
        self._owns_context = ctx is None
        self.setObjectName("mainWindow")
        self.setWindowTitle(pick(WINDOW_TITLE, WINDOW_TITLE_EN))
        self.setStyleSheet(STYLE_SHEET)

        factories: dict[str, Callable[[], AreaPage]] = {
            area.key: partial(self._build_page, area.key) for area in AREAS
        }
        self.pages = LazyPages(factories)  # a page is built when first shown (fast start)
        self.overview = cast("OverviewPage", self.pages["overview"])
        self.overview.open_list.connect(self.open_list)

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(168)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        for i, area in enumerate(AREAS):
            item = QListWidgetItem(pick(area.zh, area.en), self.nav)
            key = f"（Ctrl+{i + 1}）" if i < 9 else ""  # Ctrl+1 … Ctrl+9 exist, Ctrl+10 does not
            item.setToolTip(f"{pick(area.zh, area.en)}{key}")
            item.setSizeHint(QSize(160, 40))
            self.stack.addWidget(self.pages.holder(area.key))
        self.nav.currentRowChanged.connect(self._on_nav)

        content = QWidget()
        content_layout = QHBoxLayout(content)
        content_layout.setContentsMargins(20, 14, 20, 12)
        content_layout.addWidget(self.stack)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(content, 1)
        self.setCentralWidget(central)

        self.location = QLabel(tr("数据库：{where}").format(where=describe_location(db.url)))
        self.location.setToolTip(describe_location(db.url))
        self.busy = QLabel()
        self.busy.setObjectName("busy")
        self.statusBar().addWidget(self.busy)
        self.statusBar().addPermanentWidget(self.location)
        self.ctx.runner.busy_changed.connect(
            lambda busy: self.busy.setText(tr("正在处理…") if busy else "")
        )
        self.file_actions = FileActions(self)
        self._build_menus()
        self.ctx.prefs.restore_geometry("mainWindow", self)
        self.nav.setCurrentRow(0)
        self._watch_other_clients(db)
        self.checklist_dialog: ChecklistDialog | None = None
        if not self.ctx.prefs.checklist_hidden:  # an office that has not set up yet
            Op(setup_steps, parent=self).success(self._offer_checklist).run(self.ctx.runner)

    def _build_page(self, key: str) -> AreaPage:
        return page_class(key)(self.ctx)

    # --- other clients ------------------------------------------------------------------

    def _watch_other_clients(self, db: Database) -> None:
        """Shared database: poll the cheap change counter and refresh every view when another
        PC committed something (a local file has no other clients)."""
        if db.is_sqlite:
            return
        self._watcher = ChangeWatcher()
        self._poll = QTimer(self)
        self._poll.setInterval(POLL_OTHER_CLIENTS_MS)
        self._poll.timeout.connect(self._check_other_clients)
        self._poll.start()

    def _check_other_clients(self) -> None:
        runner = self.ctx.runner
        if not runner.idle:
            return  # our own work is running; look again at the next tick
        Op(self._watcher.changed, parent=self).success(self._others_changed).run(runner)

    def _others_changed(self, changed: bool) -> None:
        if changed:
            self.ctx.runner.changes_applied.emit(OpChanges(frozenset({"all"}), self._watcher))

    # --- menus --------------------------------------------------------------------------

    def _action(
        self,
        menu_title: str,
        caption: str,
        slot: Callable[[], None],
        keys: Sequence[QKeySequence | QKeySequence.StandardKey | str] = (),
    ) -> QAction:
        menu = self._menus[menu_title]
        action = QAction(caption, self)
        if keys:
            action.setShortcuts([QKeySequence(k) for k in keys])
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self._menus = {
            "file": bar.addMenu(tr("文件(&F)")),
            "edit": bar.addMenu(tr("编辑(&E)")),
            "view": bar.addMenu(tr("视图(&V)")),
            "report": bar.addMenu(tr("报表(&R)")),
            "help": bar.addMenu(tr("帮助(&H)")),
        }
        self.settings_action = self._action("file", tr("设置…"), self.open_settings, ["Ctrl+,"])
        self.units_action = self._action("file", tr("单位管理…"), self.open_units)
        self.audit_action = self._action("file", tr("审计日志…"), self.open_audit)
        self.import_action = self._action("file", tr("导入 Excel/CSV…"), self.open_import)
        self._menus["file"].addSeparator()
        files = self.file_actions
        self.backup_action = self._action("file", tr("立即备份…"), files.backup_now)
        self.restore_action = self._action("file", tr("从备份恢复…"), files.restore)
        self.demo_action = self._action("file", tr("载入演示数据（新文件）…"), files.load_demo)
        self._menus["file"].addSeparator()
        self._action("file", tr("退出(&X)"), self.close, [QKeySequence.StandardKey.Quit])
        self.new_action = self._action(
            "edit", tr("新建(&N)"), self.new_item, [QKeySequence.StandardKey.New]
        )
        self.edit_action = self._action("edit", tr("编辑所选(&E)"), self.edit_item, ["Ctrl+E"])
        self.delete_action = self._action(
            "edit", tr("删除(&D)"), self.delete_item, [QKeySequence.StandardKey.Delete]
        )
        self.area_actions: list[QAction] = []
        for i, area in enumerate(AREAS):
            action = self._action(
                "view",
                pick(area.zh, area.en),
                self._area_switcher(i),
                [f"Ctrl+{i + 1}"] if i < 9 else [],
            )
            self.area_actions.append(action)
        self._menus["view"].addSeparator()
        self.find_action = self._action(
            "view", tr("查找(&F)"), self.focus_search, [QKeySequence.StandardKey.Find]
        )
        self.refresh_action = self._action("view", tr("刷新(&R)"), self.reload_current, ["F5"])
        self.directory_action = self._action(
            "view", tr("资源目录：查找物资和持有方…"), self.open_find, ["Ctrl+K"]
        )
        self.report_action = self._action(
            "report", tr("生成报表…"), self.report, [QKeySequence.StandardKey.Print]
        )
        self.help_action = self._action("help", tr("使用说明"), self.show_help, ["F1"])
        self.checklist_action = self._action("help", tr("开始使用清单…"), self.open_checklist)

    def _area_switcher(self, index: int) -> Callable[[], None]:
        return lambda: self.show_area(index)

    # --- areas --------------------------------------------------------------------------

    def _on_nav(self, row: int) -> None:
        if row >= 0:
            self.pages[AREAS[row].key]  # build it before it shows
            self.stack.setCurrentIndex(row)

    def show_area(self, area: int | str) -> None:
        index = area if isinstance(area, int) else [a.key for a in AREAS].index(area)
        self.nav.setCurrentRow(index)

    def current_area(self) -> str:
        return AREAS[self.stack.currentIndex()].key

    def current_page(self) -> AreaPage:
        return self.pages[self.current_area()]

    def focus_search(self) -> None:
        self.current_page().focus_search()

    def reload_current(self) -> None:
        self.current_page().refresh()

    def new_item(self) -> None:
        self.current_page().new_item()

    def edit_item(self) -> None:
        self.current_page().edit_item()

    def delete_item(self) -> None:
        self.current_page().delete_item()

    def report(self) -> None:
        if self.current_area() == "reports":
            cast("ReportsPage", self.pages["reports"]).generate()
        else:
            self.show_area("reports")

    def show_help(self) -> None:
        from drillplan.ui.help import show_help

        self.help_dialog = show_help(self)

    def open_list(self, target: str, ids: tuple[int, ...], caption: str) -> None:
        """A dashboard figure was clicked: show exactly the rows behind it."""
        stock = cast("StockPage", self.pages["stock"])
        drills = cast("DrillsPage", self.pages["drills"])
        if target == "lots":
            self.show_area("stock")
            stock.show_tab("lots")
            stock.lots.restrict(ids, caption)
        elif target in ("certificates", "agreements"):
            self.show_area("stock")
            stock.show_tab("expiry")
            horizon = self.overview.data.horizon if self.overview.data else None
            stock.expiry.show_kind(target, ids, horizon)
        elif target == "plans":
            self.show_area("plans")
            self.pages["plans"].panel.restrict(ids, caption)  # type: ignore[attr-defined]
        elif target == "actions":
            self.show_area("drills")
            drills.show_actions(ids, overdue="overdue" in caption or "逾期" in caption)
        elif target == "drills":
            self.show_area("drills")
            drills.show_tab("list")
            drills.panel.restrict(ids, caption)
        elif target == "requests":
            self.show_area("requests")
            self.pages["requests"].panel.restrict(ids, caption)  # type: ignore[attr-defined]

    # --- the resource directory (Ctrl+K) -------------------------------------------------

    def open_find(self) -> FindDialog:
        """The directory's search box, from every page; a chosen result opens its holder."""
        dialog = getattr(self, "find_dialog", None)
        if dialog is None:
            from drillplan.ui.shell.find_dialog import FindDialog

            dialog = self.find_dialog = FindDialog(self.ctx, self)
            dialog.open_holder.connect(self.open_holder)
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        dialog.box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        dialog.box.selectAll()
        return dialog

    def open_holder(self, kind: str, row_id: int) -> None:
        """Show a holder the directory found: its row selected on its page."""
        if kind == "team":
            self.show_area("teams")
            panel = cast("TeamsPage", self.pages["teams"]).panel
        else:
            self.show_area("stock")
            stock = cast("StockPage", self.pages["stock"])
            tab = "capacity" if kind == "capacity" else "depots"
            stock.show_tab(tab)
            panel = stock.capacity if kind == "capacity" else stock.depots
            if kind == "depot":
                stock.select_depot(row_id)
        if not panel.select_id(row_id):  # filtered out or not loaded yet: show just that row
            panel.restrict([row_id], tr("资源目录所选"))
            panel.select_id(row_id)

    # --- settings and language ----------------------------------------------------------

    def open_settings(self) -> None:
        from drillplan.ui.areas.settings.dialog import SettingsDialog

        dialog = SettingsDialog(self, self.ctx)
        dialog.language_changed.connect(self.language_requested.emit)
        dialog.finished.connect(dialog.deleteLater)
        self.settings_dialog = dialog
        dialog.open()

    def open_units(self) -> None:
        from drillplan.ui.areas.units.dialog import UnitsDialog

        dialog = UnitsDialog(self, self.ctx)
        dialog.finished.connect(dialog.deleteLater)
        self.units_dialog = dialog
        dialog.open()

    # --- whole databases (File menu) ----------------------------------------------------

    def widget(self) -> QWidget:
        return self

    def open_database(self, path: str) -> None:
        self.database_requested.emit(path)

    # --- the first-start checklist ------------------------------------------------------

    def _offer_checklist(self, steps: list[SetupStep]) -> None:
        if next_step(steps) is not None:
            self.open_checklist()

    def open_checklist(self) -> ChecklistDialog:
        if self.checklist_dialog is not None and self.checklist_dialog.isVisible():
            self.checklist_dialog.raise_()
            self.checklist_dialog.activateWindow()
            return self.checklist_dialog
        from drillplan.ui.checklist import ChecklistDialog

        dialog = ChecklistDialog(self, self.ctx)
        dialog.go.connect(self.go_to_step)
        dialog.finished.connect(dialog.deleteLater)
        dialog.finished.connect(lambda _r: setattr(self, "checklist_dialog", None))
        self.checklist_dialog = dialog
        dialog.show()
        return dialog

    def go_to_step(self, key: str) -> None:
        """A checklist step's button: the page (or dialog) where its records are entered."""
        if key == "units":
            self.open_units()
        elif key in ("depots", "materials"):
            self.show_area("stock")
            cast("StockPage", self.pages["stock"]).show_tab(key)
        else:
            self.show_area(key)

    def open_import(self) -> None:
        from drillplan.ui.areas.interchange.import_dialog import ImportDialog

        dialog = ImportDialog(self, self.ctx)
        dialog.finished.connect(dialog.deleteLater)
        self.import_dialog = dialog
        dialog.open()

    def open_audit(self) -> None:
        from drillplan.ui.areas.audit.page import AuditView
        from drillplan.ui.dialogs import BaseDialog

        dialog = BaseDialog(self, "auditLog", tr("审计日志"))
        view = AuditView(self.ctx, parent=dialog)
        layout = QVBoxLayout(dialog)
        layout.addWidget(view)
        dialog.resize(1100, 640)
        dialog.finished.connect(dialog.deleteLater)
        self.audit_dialog = dialog
        dialog.open()

    def relaunch(self, lang: str) -> MainWindow:
        """The same window in another language (same database, same area; nothing is lost)."""
        set_language(lang)
        self.ctx.prefs.language = lang
        area = self.current_area()
        self.save_layout()
        window = MainWindow(self.db, ctx=self.ctx)
        window._owns_context, self._owns_context = self._owns_context, False
        window.setGeometry(self.geometry())
        window.show_area(area)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)  # its pages stop listening
        self.close()
        return window

    def save_layout(self) -> None:
        self.ctx.prefs.save_geometry("mainWindow", self)
        self.ctx.prefs.save_layout(self)
        self.ctx.prefs.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_layout()
        super().closeEvent(event)
        if self._owns_context:
            self._owns_context = False
            self.ctx.close()
