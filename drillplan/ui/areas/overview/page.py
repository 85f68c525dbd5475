"""总览: the district readiness score with its components, and every figure that needs
attention; each one opens the list behind it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from drillplan.readiness.dashboard import (
    ComponentFigure,
    Dashboard,
    PreseasonFigure,
    dashboard,
    district_readiness,
    preseason_figure,
)
from drillplan.readiness.overview import OVERVIEW_ITEMS
from drillplan.reports.registry import build_report

from drillplan.ui import messages
from drillplan.ui.area import AreaPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog
from drillplan.ui.i18n import current_language, pick, tr
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import FigureCard, page_header

COLUMNS = 5
COUNT_KEYS = ("plans", "teams", "members", "depots", "materials")
#: figures shown as one line beside the date note instead of a card (allocation requests)
LINE_TARGETS = frozenset({"requests"})


class ProblemsDialog(BaseDialog):
    """The rows behind one readiness component: what is wrong with each."""

    def __init__(self, parent: QWidget | None, component: ComponentFigure) -> None:
        super().__init__(parent, "readinessProblems", pick(component.zh, component.en))
        view = RowsView(
            [
                Col(tr("对象"), lambda p: p[0]),
                Col(tr("问题"), lambda p: p[1], tone=lambda _p: "bad"),
            ],
            "problemsTable",
            self,
        )
        view.set_rows(list(component.details))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("共 {n} 项问题").format(n=component.problems), self))
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.resize(760, 480)


class PreseasonDialog(BaseDialog):
    """The missing lines of the pre-flood-season check, and the printed checklist."""

    def __init__(self, parent: OverviewPage, figure: PreseasonFigure) -> None:
        super().__init__(parent, "preseasonMissing", tr("汛前检查缺项"))
        view = RowsView(
            [
                Col(tr("检查项"), lambda m: pick(m[0], m[1])),
                Col(tr("对象"), lambda m: m[2]),
                Col(tr("地点"), lambda m: m[3]),
                Col(tr("问题"), lambda m: pick(m[4], m[5]), tone=lambda _m: "bad"),
            ],
            "preseasonTable",
            self,
        )
        view.set_rows(list(figure.missing))
        for column, widest in enumerate((110, 180, 240)):  # the problem (last) stays in view
            view.setColumnWidth(column, min(view.columnWidth(column), widest))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        report = buttons.addButton(tr("打印汛前检查表…"), QDialogButtonBox.ButtonRole.ActionRole)
        report.setObjectName("preseasonReport")
        report.clicked.connect(lambda: parent.print_preseason())
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        note = tr("{year}年汛期 {start} 至 {end}：共 {lines} 项，缺 {n} 项").format(
            year=figure.year,
            start=figure.season_start.isoformat(),
            end=figure.season_end.isoformat(),
            lines=figure.lines,
            n=figure.count,
        )
        layout.addWidget(QLabel(note, self))
        layout.addWidget(view)
        layout.addWidget(buttons)
        self.resize(1120, 560)


class OverviewPage(AreaPage):
    areas = ("plans", "teams", "stock", "drills", "competitions", "settings", "units", "requests")
    open_list = Signal(str, object, str)  # target, ids, caption

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.as_of_label = QLabel(self)
        self.as_of_label.setObjectName("pageNote")
        self.data: Dashboard | None = None
        self.preseason: PreseasonFigure | None = None
        self.last_file = ""
        self.score_card = FigureCard(tr("区应急准备能力评分"), parent=self)
        self.score_card.setObjectName("scoreCard")
        self.components_box = QGridLayout()
        self.components_box.setHorizontalSpacing(10)
        self.component_rows: dict[str, tuple[QLabel, QProgressBar, FigureCard]] = {}
        self.cards: dict[str, FigureCard] = {}
        self.count_cards: dict[str, FigureCard] = {}
        self.grid = QGridLayout()
        self.grid.setSpacing(10)
        counts = QHBoxLayout()
        titles = {item.key: item for item in OVERVIEW_ITEMS}
        for key in COUNT_KEYS:
            card = FigureCard(titles[key].title(ctx.lang), parent=self)
            card.setObjectName("countCard")
            self.count_cards[key] = card
            counts.addWidget(card)
        top = QHBoxLayout()
        top.addWidget(self.score_card, 1)
        components = QWidget(self)
        components.setLayout(self.components_box)
        top.addWidget(components, 3)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(page_header("总览", "Overview"))
        # the figures scroll below the header: a laptop's 768 lines never squeeze the window
        body = QWidget(self)
        scroll = QScrollArea(self)
        scroll.setObjectName("overviewScroll")
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(body)
        page.addWidget(scroll, 1)
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        self.line = QHBoxLayout()  # the date note, then the one-line figures (allocation requests)
        self.line.addWidget(self.as_of_label, 1)
        self.preseason_card = FigureCard("", parent=self)
        self.preseason_card.setObjectName("componentLink")  # the one-line card style
        self.preseason_card.setAccessibleName("preseasonLine")
        self.preseason_card.make_clickable(tr("点击查看汛前检查缺项"))
        self.preseason_card.clicked.connect(self.open_preseason)
        self.line.addWidget(self.preseason_card)
        layout.addLayout(self.line)
        layout.addLayout(top)
        layout.addSpacing(6)
        layout.addLayout(self.grid)
        layout.addSpacing(6)
        layout.addLayout(counts)
        layout.addStretch(1)
        self.refresh()

    @property
    def counts(self) -> dict[str, int]:
        return self.data.counts if self.data else {}

    def as_of(self) -> dt.date:
        return self.ctx.as_of()

    def refresh(self) -> None:
        as_of = self.ctx.as_of()
        self.as_of_label.setText(
            tr("截至 {date}；批次只计仍有库存的批次。").format(date=as_of.isoformat())
        )
        # the figures first, then the score (which reads every row of the register)
        self.op(lambda s: dashboard(s, as_of=as_of, with_score=False), self._show)
        self.op(lambda s: district_readiness(s, as_of=as_of), self._show_score)
        self.op(lambda s: preseason_figure(s, as_of=as_of), self._show_preseason)

    reload = refresh

    def _show_score(self, result: tuple[float | None, list[ComponentFigure]]) -> None:
        score, components = result
        if self.data is not None:
            self.data.score, self.data.components = score, components
        shown = "–" if score is None else f"{score:.1f}"
        self.score_card.set_value(shown, alert=score is not None and score < 60)
        self._show_components(components)

    def _show(self, data: Dashboard) -> None:
        if self.data is not None and not data.components:  # keep the score until it is renewed
            data.score, data.components = self.data.score, self.data.components
        self.data = data
        in_line = [f for f in data.figures if f.target in LINE_TARGETS]
        for figure in in_line:
            card = self.cards.get(figure.key)
            if card is None:
                card = FigureCard("", parent=self)
                card.setObjectName("componentLink")
                card.make_clickable(tr("点击查看清单"))
                card.clicked.connect(lambda key=figure.key: self.open_figure(key))
                self.cards[figure.key] = card
                self.line.addWidget(card)
            text = tr("{what}：{n}").format(what=pick(figure.zh, figure.en), n=figure.count)
            card.set_value(text, alert=figure.warn and figure.count > 0)
        cards = [f for f in data.figures if f.target not in LINE_TARGETS]
        for i, figure in enumerate(cards):
            card = self.cards.get(figure.key)
            if card is None:
                card = FigureCard(pick(figure.zh, figure.en), parent=self)
                card.make_clickable(tr("点击查看清单"))
                card.clicked.connect(lambda key=figure.key: self.open_figure(key))
                self.cards[figure.key] = card
                self.grid.addWidget(card, i // COLUMNS, i % COLUMNS)
            card.set_value(figure.count, alert=figure.warn and figure.count > 0)
        for key, card in self.count_cards.items():
            card.set_value(data.counts.get(key, 0))

    def _show_preseason(self, figure: PreseasonFigure) -> None:
        self.preseason = figure
        if figure.due:
            text = tr("汛前检查：缺 {n} 项（共 {lines} 项）").format(
                n=figure.count, lines=figure.lines
            )
        else:
            text = tr("{year}年汛前检查 {date} 开始").format(
                year=figure.year, date=figure.opens.isoformat()
            )
        self.preseason_card.set_value(text, alert=figure.due and figure.count > 0)

    def open_preseason(self) -> None:
        if self.preseason is None:
            return
        if not self.preseason.due:
            messages.inform(
                self,
                tr("汛前检查"),
                tr("{year}年汛期 {start} 开始，汛前检查 {date} 起进行。").format(
                    year=self.preseason.year,
                    start=self.preseason.season_start.isoformat(),
                    date=self.preseason.opens.isoformat(),
                ),
            )
            return
        self.dialog = PreseasonDialog(self, self.preseason)
        self.dialog.open()

    def print_preseason(self, dest: str | None = None) -> None:
        if self.preseason is None:
            return
        year = self.preseason.year
        if dest is None:
            dest, _f = QFileDialog.getSaveFileName(
                self, tr("打印汛前检查表"), f"汛前检查表{year}.pdf", "PDF (*.pdf)"
            )
            if not dest:
                return
        path, as_of, lang = dest, self.ctx.as_of(), current_language()

        def work(session: object) -> object:
            return build_report(session, "preseason", path, as_of=as_of, lang=lang, year=year)  # type: ignore[arg-type]

        self.op(work, lambda _r: self._printed(path))

    def _printed(self, path: str) -> None:
        self.last_file = path
        messages.inform(self, tr("已生成"), tr("汛前检查表已保存到 {path}").format(path=path))

    def _show_components(self, components: list[ComponentFigure]) -> None:
        for row, comp in enumerate(components):
            if comp.key not in self.component_rows:
                name = QLabel(pick(comp.zh, comp.en), self)
                bar = QProgressBar(self)
                bar.setRange(0, 100)
                bar.setTextVisible(True)
                link = FigureCard("", parent=self)
                link.setObjectName("componentLink")
                link.make_clickable(tr("点击查看问题清单"))
                link.clicked.connect(lambda key=comp.key: self.open_component(key))
                self.components_box.addWidget(name, row, 0)
                self.components_box.addWidget(bar, row, 1)
                self.components_box.addWidget(link, row, 2)
                self.component_rows[comp.key] = (name, bar, link)
            _name, bar, link = self.component_rows[comp.key]
            bar.setValue(round(comp.value) if comp.value is not None else 0)
            bar.setFormat(tr("无数据") if comp.value is None else f"{comp.value:.1f}")
            link.set_value(tr("{n} 项问题").format(n=comp.problems), alert=comp.problems > 0)

    def open_figure(self, key: str) -> None:
        if self.data is None:
            return
        figure = self.data.figure(key)
        self.open_list.emit(figure.target, figure.ids, pick(figure.zh, figure.en))

    def open_component(self, key: str) -> None:
        if self.data is None:
            return
        component = next(c for c in self.data.components if c.key == key)
        self.dialog = ProblemsDialog(self, component)
        self.dialog.open()
