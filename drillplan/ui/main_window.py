"""The main window: a navigation pane on the left, one page per area on the right."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import NamedTuple

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from drillplan.database import Database
from drillplan.listing import COMPETITIONS, DEPOTS, DRILLS, ENTRIES, LOTS, MATERIALS, PLANS, TEAMS

from drillplan.ui.listing_view import ListingPanel, TabbedListings
from drillplan.ui.location import describe_location
from drillplan.ui.overview import OverviewPage
from drillplan.ui.reports_page import ReportsPage
from drillplan.ui.style import STYLE_SHEET

WINDOW_TITLE = "drillplan 应急预案与演练管理"


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
)


class MainWindow(QMainWindow):
    def __init__(
        self,
        db: Database,
        *,
        as_of: dt.date | None = None,
        lang: str = "zh",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.db = db
        self.setWindowTitle(WINDOW_TITLE)
        self.setStyleSheet(STYLE_SHEET)
        sessions = db.session

        self.overview = OverviewPage(sessions, as_of=as_of, lang=lang)
        self.pages: dict[str, QWidget] = {
            "overview": self.overview,
            "plans": ListingPanel(PLANS, sessions, lang=lang, as_of=as_of),
            "teams": ListingPanel(TEAMS, sessions, lang=lang, as_of=as_of),
            "stock": TabbedListings(
                ("物资储备", "Material reserves"),
                [(DEPOTS, "储备库"), (LOTS, "批次"), (MATERIALS, "物资目录")],
                sessions,
                lang=lang,
                as_of=as_of,
            ),
            "drills": ListingPanel(DRILLS, sessions, lang=lang, as_of=as_of),
            "competitions": TabbedListings(
                ("技能比武", "Skill competitions"),
                [(COMPETITIONS, "比武活动"), (ENTRIES, "比赛成绩")],
                sessions,
                lang=lang,
                as_of=as_of,
            ),
            "reports": ReportsPage(),
        }

        self.nav = QListWidget()
        self.nav.setObjectName("nav")
        self.nav.setFixedWidth(168)
        self.nav.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.stack = QStackedWidget()
        for i, area in enumerate(AREAS):
            item = QListWidgetItem(area.zh if lang == "zh" else area.en, self.nav)
            item.setToolTip(f"{area.zh} / {area.en}（Ctrl+{i + 1}）")
            item.setSizeHint(QSize(160, 40))
            self.stack.addWidget(self.pages[area.key])
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

        self.location = QLabel(f"数据库：{describe_location(db.url)}")
        self.location.setToolTip(describe_location(db.url))
        self.statusBar().addPermanentWidget(self.location)
        self._build_menus()
        self.nav.setCurrentRow(0)

    def _build_menus(self) -> None:
        menu = self.menuBar().addMenu("文件(&F)")
        quit_action = QAction("退出(&X)", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        menu.addAction(quit_action)

        view = self.menuBar().addMenu("视图(&V)")
        self.area_actions: list[QAction] = []
        for i, area in enumerate(AREAS):
            action = QAction(f"{area.zh}  {area.en}", self)
            action.setShortcut(QKeySequence(f"Ctrl+{i + 1}"))
            action.triggered.connect(self._area_switcher(i))
            view.addAction(action)
            self.area_actions.append(action)
        view.addSeparator()
        self.find_action = QAction("查找(&F)", self)
        self.find_action.setShortcut(QKeySequence.StandardKey.Find)
        self.find_action.triggered.connect(self.focus_search)
        view.addAction(self.find_action)
        refresh = QAction("刷新(&R)", self)
        refresh.setShortcut(QKeySequence.StandardKey.Refresh)
        refresh.triggered.connect(self.reload_current)
        view.addAction(refresh)

    def _area_switcher(self, index: int) -> Callable[[], None]:
        return lambda: self.show_area(index)

    def _on_nav(self, row: int) -> None:
        if row < 0:
            return
        self.stack.setCurrentIndex(row)
        if AREAS[row].key == "overview":
            self.overview.reload()

    def show_area(self, area: int | str) -> None:
        index = area if isinstance(area, int) else [a.key for a in AREAS].index(area)
        self.nav.setCurrentRow(index)

    def current_area(self) -> str:
        return AREAS[self.stack.currentIndex()].key

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def focus_search(self) -> None:
        page = self.current_page()
        if hasattr(page, "focus_search"):
            page.focus_search()

    def reload_current(self) -> None:
        page = self.current_page()
        if hasattr(page, "reload"):
            page.reload()
