"""技能比武: competitions, their events, results entry and the live overall ranking."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QTabWidget, QVBoxLayout, QWidget

from drillplan import competitions as comp
from drillplan.competitions import deleting
from drillplan.competitions.listing import COMPETITIONS, ENTRIES
from drillplan.kernel.vocab import EventKind, Scoring
from drillplan.org import read as org_read

from drillplan.ui import prefs as prefs_module
from drillplan.ui.area import AreaPage
from drillplan.ui.context import UiContext
from drillplan.ui.forms import FieldSpec, vocab, vocab_label
from drillplan.ui.i18n import tr
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import page_header, tool_button

TABS = ("competitions", "entries")


def _points_table(value: Any) -> list[int] | None:
    if not value:
        return None
    from drillplan.kernel.errors import ValidationError

    try:
        return [int(v) for v in value]
    except ValueError as exc:
        raise ValidationError(
            "points_table", "积分表应为整数，如 10、8、6、5", message_en="integers"
        ) from exc


class CompetitionsPage(AreaPage):
    areas = ("competitions", "teams")
    screenshot_tabs = TABS

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.panel = ListingPanel(
            COMPETITIONS,
            ctx.session,
            as_of=ctx.fixed_date,
            loader=ctx.load_in_background,
            show_title=False,
        )
        self.entries = ListingPanel(
            ENTRIES,
            ctx.session,
            as_of=ctx.fixed_date,
            loader=ctx.load_in_background,
            show_title=False,
        )
        self.panels = [self.panel, self.entries]
        for caption, slot, tip in (
            (tr("新建比武"), self.new_item, "Ctrl+N"),
            (tr("删除"), self.delete_item, "Del"),
        ):
            self.panel.tools.addWidget(tool_button(caption, self, slot, tip))
        self.panel.current_changed.connect(lambda _id: self.load_results())
        self.results: comp.CompetitionResults | None = None
        self.events = RowsView(
            [
                Col(tr("序"), lambda e: e.seq, right=True),
                Col(tr("科目"), lambda e: e.name),
                Col(tr("类型"), lambda e: vocab_label(EventKind(e.kind))),
                Col(tr("计分"), lambda e: vocab_label(Scoring(e.scoring))),
                Col(tr("权重"), lambda e: e.weight, right=True),
                Col(tr("成绩数"), lambda e: len(e.entries), right=True),
            ],
            "eventsTable",
            self,
        )
        self.events.selectionModel().currentRowChanged.connect(lambda *_a: self._show_event())
        self.event_results = RowsView(
            [
                Col(tr("名次"), lambda r: r.rank, right=True),
                Col(tr("队伍"), lambda r: r.team_name),
                Col(tr("参赛人员"), lambda r: r.participant),
                Col(tr("得分"), lambda r: r.score, right=True),
                Col(tr("用时(秒)"), lambda r: r.time_seconds, right=True),
                Col(tr("积分"), lambda r: r.points if r.counted else "", right=True),
            ],
            "eventResults",
            self,
        )
        self.event_results.doubleClicked.connect(lambda _i: self.record_result())
        self.ranking = RowsView(
            [
                Col(
                    tr("总名次"),
                    lambda o: o.rank,
                    right=True,
                    tone=lambda o: "good" if o.rank == 1 else None,
                ),
                Col(tr("队伍"), lambda o: f"{o.team_code} {o.team_name}"),
                Col(tr("总积分"), lambda o: o.total, right=True),
                Col(tr("名次分布"), lambda o: " / ".join(str(n) for n in o.places[:3])),
            ],
            "overallRanking",
            self,
        )
        self.title_label = QLabel(tr("请选择一项比武活动"), self)
        self.title_label.setObjectName("dataLabel")  # shows data: never translated

        events_box = self._box(tr("比赛科目"), self.events, [(tr("添加科目"), self.add_event)])
        results_box = self._box(
            tr("科目成绩"),
            self.event_results,
            [(tr("录入成绩"), self.record_result), (tr("删除成绩"), self.remove_result)],
        )
        ranking_box = self._box(tr("总成绩排名（保存后即时更新）"), self.ranking, [])
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.setObjectName("competitionRightSplitter")
        upper = QSplitter(Qt.Orientation.Horizontal, self)
        upper.setObjectName("competitionEventsSplitter")
        upper.addWidget(events_box)
        upper.addWidget(results_box)
        right.addWidget(upper)
        right.addWidget(ranking_box)
        main = QSplitter(Qt.Orientation.Horizontal, self)
        main.setObjectName("competitionSplitter")
        main.addWidget(self.panel)
        holder = QWidget(self)
        holder_layout = QVBoxLayout(holder)
        holder_layout.setContentsMargins(8, 0, 0, 0)
        holder_layout.addWidget(self.title_label)
        holder_layout.addWidget(right, 1)
        main.addWidget(holder)
        main.setSizes([420, 800])
        for splitter in (right, upper, main):
            prefs_module.current().restore_splitter(splitter)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(main, tr("比武活动"))
        self.tabs.addTab(self.entries, tr("全部成绩"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_header("技能比武", "Skill competitions"))
        layout.addWidget(self.tabs, 1)
        self._teams: list[tuple[int, str]] = []
        self.op(org_read.team_choices, lambda t: setattr(self, "_teams", t))
        self.load_results()

    def _box(self, title: str, view: RowsView, buttons: list[tuple[str, Any]]) -> QWidget:
        box = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(title, box))
        bar.addStretch(1)
        for caption, slot in buttons:
            bar.addWidget(tool_button(caption, box, slot))
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(view)
        return box

    def show_tab(self, name: str) -> None:
        if name in TABS:
            self.tabs.setCurrentIndex(TABS.index(name))

    def focus_search(self) -> None:
        panel = self.panels[self.tabs.currentIndex()]
        panel.focus_search()

    def refresh(self) -> None:
        for panel in self.panels:
            panel.reload()
        self.op(org_read.team_choices, lambda t: setattr(self, "_teams", t))
        self.load_results()

    # --- results ----------------------------------------------------------------------------

    def load_results(self) -> None:
        competition_id = self.panel.current_id()
        if competition_id is None:
            self.results = None
            self.events.set_rows([])
            self.event_results.set_rows([])
            self.ranking.set_rows([])
            return
        self.op(lambda s: comp.results(s, competition_id), self._got_results)

    def _got_results(self, results: comp.CompetitionResults) -> None:
        keep = self.events.current()
        self.results = results
        self.title_label.setText(f"{results.year} {results.title}（{results.held_on.isoformat()}）")
        self.events.set_rows(list(results.events))
        ids = [e.event_id for e in results.events]
        wanted = keep.event_id if keep is not None else None
        self.events.choose_row(ids.index(wanted) if wanted in ids else 0)
        self._show_event()
        self.ranking.set_rows(list(results.overall))

    def _show_event(self) -> None:
        event = self.events.current()
        self.event_results.set_rows(list(event.entries) if event else [])

    def _changed(self, _result: Any = None) -> None:
        self.entries.reload()
        self.panel.reload()
        self.load_results()

    # --- editing ----------------------------------------------------------------------------

    def new_item(self) -> None:
        user, year = self.ctx.user, self.ctx.as_of().year

        def save(session: Session, v: dict[str, Any]) -> Any:
            return comp.create_competition(
                session,
                year=v["year"],
                title=v["title"],
                held_on=v["held_on"],
                venue=v.get("venue"),
                points_table=_points_table(v.get("points_table")),
                user=user,
            )

        self.form(
            name="competitionNew",
            title=tr("新建比武活动"),
            fields=[
                FieldSpec("year", tr("年度"), "int", required=True),
                FieldSpec("title", tr("比武名称"), required=True, max_length=200),
                FieldSpec("held_on", tr("举办日期"), "date", required=True),
                FieldSpec("venue", tr("地点"), max_length=200),
                FieldSpec(
                    "points_table",
                    tr("积分表"),
                    "list",
                    hint=tr("按名次的积分，如 10、8、6、5、4、3、2、1；留空用默认"),
                ),
            ],
            values={"year": year},
            save=save,
            changes=("competitions",),
            saved=lambda c: (self.panel.reload(keep=c.id), self.load_results()),
        )

    def delete_item(self) -> None:
        competition_id = self.panel.current_id()
        if competition_id is None:
            self.need_selection(tr("一项比武活动"))
            return
        if not self.confirm_delete(tr("所选比武活动及其全部成绩")):
            return
        user = self.ctx.user
        self.op(
            lambda s: deleting.delete_competition(s, competition_id=competition_id, user=user),
            self._changed,
            changes=("competitions",),
        )

    def add_event(self) -> None:
        competition_id = self.panel.current_id()
        if competition_id is None:
            self.need_selection(tr("一项比武活动"))
            return
        user = self.ctx.user
        self.form(
            name="eventNew",
            title=tr("添加比赛科目"),
            fields=[
                FieldSpec("name", tr("科目名称"), required=True, max_length=120),
                FieldSpec(
                    "kind", tr("项目类型"), "choice", required=True, choices=vocab(EventKind)
                ),
                FieldSpec(
                    "scoring", tr("计分方式"), "choice", required=True, choices=vocab(Scoring)
                ),
                FieldSpec("weight", tr("权重"), "decimal"),
            ],
            values={"weight": "1"},
            save=lambda s, v: comp.add_event(
                s,
                competition_id=competition_id,
                user=user,
                **{k: x for k, x in v.items() if x is not None},
            ),
            changes=("competitions",),
            saved=self._changed,
        )

    def record_result(self) -> None:
        event = self.events.current()
        if event is None:
            self.need_selection(tr("一个比赛科目"))
            return
        current = self.event_results.current()
        user = self.ctx.user
        by_time = event.scoring == Scoring.TIME.value
        fields = [
            FieldSpec(
                "team_id", tr("队伍"), "choice", required=True, choices=self._teams, searchable=True
            ),
            FieldSpec(
                "participant",
                tr("参赛人员"),
                max_length=60,
                required=event.kind == EventKind.INDIVIDUAL.value,
            ),
            FieldSpec("time_seconds", tr("用时（秒）"), "decimal", required=True)
            if by_time
            else FieldSpec("score", tr("得分"), "decimal", required=True),
        ]
        values: dict[str, Any] = {}
        if current is not None:
            values = {
                "team_id": current.team_id,
                "participant": current.participant,
                "score": current.score,
                "time_seconds": current.time_seconds,
            }

        def save(session: Session, v: dict[str, Any]) -> Any:
            return comp.record_result(
                session,
                event_id=event.event_id,
                team_id=v["team_id"],
                participant=v.get("participant") or "",
                score=v.get("score"),
                time_seconds=v.get("time_seconds"),
                user=user,
            )

        self.form(
            name="resultEntry",
            title=tr("录入成绩：{event}").format(event=event.name),
            fields=fields,
            values=values,
            save=save,
            changes=("competitions",),
            saved=self._changed,
        )

    def remove_result(self) -> None:
        row = self.event_results.current()
        if row is None:
            self.need_selection(tr("一条成绩"))
            return
        if not self.confirm_delete(tr("{team} 的这条成绩").format(team=row.team_name)):
            return
        user = self.ctx.user
        self.op(
            lambda s: comp.remove_entry(s, entry_id=row.entry_id, user=user),
            self._changed,
            changes=("competitions",),
        )

    def delete_selected_entry(self) -> None:
        self.remove_result()
