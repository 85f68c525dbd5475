"""培训与宣教: training and public education events, the materials issued for them (through
the ledger, with the stock issue dialog) and the yearly totals by street-town and kind."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from drillplan.kernel.vocab import TrainingKind
from drillplan.org import read as org_read
from drillplan.plans import read as plans_read
from drillplan.stock import read as stock_read
from drillplan.trainings import events, materials, read
from drillplan.trainings.listing import TRAININGS

from drillplan.ui import prefs as prefs_module
from drillplan.ui.area import AreaPage
from drillplan.ui.areas.stock import dialogs as stock_dialogs
from drillplan.ui.context import UiContext
from drillplan.ui.forms import FieldSpec, vocab, vocab_label
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button

Choices = list[tuple[int, str]]
# the fields of the stock issue dialog an event's issue fills itself
FIXED_BY_EVENT = ("counterpart", "reason", "document_no")


def event_fields(
    units: Choices, streets: Choices, plans: Choices, teams: Choices
) -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("活动编号"), max_length=32, placeholder=tr("留空自动编号")),
        FieldSpec("title", tr("活动名称"), required=True, max_length=200),
        FieldSpec("kind", tr("活动类型"), "choice", required=True, choices=vocab(TrainingKind)),
        FieldSpec("starts_at", tr("开始时间"), "datetime", required=True),
        FieldSpec("ends_at", tr("结束时间"), "datetime", keeps_duration_of="starts_at"),
        FieldSpec(
            "street_unit_id", tr("街镇"), "choice", choices=streets, empty_choice=True,
            searchable=True,
        ),
        FieldSpec(
            "organiser_unit_id", tr("组织单位"), "choice", required=True, choices=units,
            searchable=True,
        ),
        FieldSpec("venue", tr("地点"), max_length=200),
        FieldSpec("audience", tr("参加对象"), max_length=200, placeholder=tr("如：社区居民、学生")),
        FieldSpec("headcount", tr("参加人数"), "int"),
        FieldSpec("topics", tr("主题"), "list", hint=tr("如：防汛防台、家庭应急包")),
        FieldSpec("plan_ids", tr("关联预案"), "multi", choices=plans, searchable=True),
        FieldSpec("team_ids", tr("参与队伍"), "multi", choices=teams, searchable=True),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]  # fmt: skip


def public_days_text(year: int) -> str:
    lang = current_language()
    days = "；".join(f"{d.name(lang)} {d.on:%m-%d}" for d in read.public_education_days(year))
    return tr("宣教日参考：{days}。培训与宣教不计入预案演练。").format(days=days)


class TrainingsPage(AreaPage):
    """Events above (filters: year, kind, street-town); the selected event's materials and
    the year's totals by street-town x kind below."""

    areas = ("trainings", "stock", "units")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.panel = ListingPanel(
            TRAININGS, ctx.session, as_of=ctx.fixed_date, loader=ctx.load_in_background, parent=self
        )
        self.panels = [self.panel]
        tools = self.panel.tools
        tools.addWidget(tool_button(tr("新建活动"), self, self.new_item, "Ctrl+N"))
        tools.addWidget(tool_button(tr("编辑"), self, self.edit_item, "Enter"))
        tools.addWidget(tool_button(tr("删除"), self, self.delete_item, "Del"))
        tools.addWidget(tool_button(tr("领用物资…"), self, self.issue_materials))
        year = ctx.as_of().year
        years = [(y, str(y)) for y in range(year + 1, year - 5, -1)]
        self.year_box = self.panel.add_choice_filter("year", tr("年度"), years)
        self.year_box.setCurrentIndex(self.year_box.findData(year))
        self.panel.add_choice_filter("kind", tr("类型"), vocab(TrainingKind))
        self.street_box = self.panel.add_choice_filter("street_id", tr("街镇"), [])
        self.street_box.setObjectName("filter_owner_street")  # its items are data (unit names)
        self.year_box.currentIndexChanged.connect(lambda _i: self.load_totals())
        self.panel.activated.connect(lambda _id: self.edit_item())
        self.panel.current_changed.connect(lambda _id: self.load_issues())

        self.issues = RowsView(
            [
                Col(tr("出库日期"), lambda r: r.moved_on),
                Col(tr("出库自"), lambda r: r.holder),
                Col(tr("物资"), lambda r: f"{r.material_code} {r.material_name}"),
                Col(tr("批次号"), lambda r: r.batch_no),
                Col(tr("数量"), lambda r: f"{r.quantity.normalize():f} {r.uom}", right=True),
            ],
            "trainingIssues",
            self,
        )
        self.totals_caption = QLabel(self)
        self.totals_caption.setObjectName("sectionTitle")
        kinds = list(TrainingKind)
        self.totals = RowsView(
            [
                Col(tr("街镇"), lambda r: r[0]),
                *[self._kind_col(i, k) for i, k in enumerate(kinds)],
                Col(tr("合计"), lambda r: self._pair(r[-1]), right=True),
            ],
            "trainingTotals",
            self,
        )
        issue_box = self._box(tr("领用物资（出入库台账）"), self.issues)
        totals_box = QWidget(self)
        tl = QVBoxLayout(totals_box)
        tl.setContentsMargins(0, 6, 0, 0)
        tl.addWidget(self.totals_caption)
        tl.addWidget(self.totals)
        lower = QSplitter(Qt.Orientation.Horizontal, self)
        lower.setObjectName("trainingsLowerSplitter")
        lower.addWidget(issue_box)
        lower.addWidget(totals_box)
        lower.setStretchFactor(0, 2)
        lower.setStretchFactor(1, 3)
        self.splitter = QSplitter(Qt.Orientation.Vertical, self)
        self.splitter.setObjectName("trainingsSplitter")
        self.splitter.addWidget(self.panel)
        self.splitter.addWidget(lower)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        for splitter in (lower, self.splitter):
            prefs_module.current().restore_splitter(splitter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self._choices: tuple[Choices, Choices, Choices, Choices] = ([], [], [], [])
        self.load_choices()
        self.load_issues()
        self.load_totals()

    @staticmethod
    def _pair(pair: tuple[int, int]) -> str:
        events_n, heads = pair
        return f"{events_n} / {heads}" if events_n else ""

    def _kind_col(self, i: int, kind: TrainingKind) -> Col:
        return Col(vocab_label(kind), lambda r, i=i: self._pair(r[1][i]), right=True)

    def _box(self, title: str, view: RowsView) -> QWidget:
        box = QWidget(self)
        bar = QHBoxLayout()
        caption = QLabel(title, box)
        caption.setObjectName("sectionTitle")
        bar.addWidget(caption)
        bar.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 6, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(view)
        return box

    # --- loading ---------------------------------------------------------------------------

    def load_choices(self) -> None:
        def load(s: Session) -> tuple[Choices, Choices, Choices, Choices]:
            return (
                org_read.unit_choices(s),
                read.street_choices(s),
                plans_read.plan_choices(s),
                org_read.team_choices(s),
            )

        self.op(load, self._got_choices)

    def _got_choices(self, choices: tuple[Choices, Choices, Choices, Choices]) -> None:
        self._choices = choices
        box, current = self.street_box, self.street_box.currentData()
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value, shown in choices[1]:
            box.addItem(shown, value)
        box.setCurrentIndex(max(0, box.findData(current)) if current is not None else 0)
        box.blockSignals(False)

    def year(self) -> int:
        data = self.year_box.currentData()
        return int(data) if data is not None else self.ctx.as_of().year

    def load_totals(self) -> None:
        year, lang = self.year(), current_language()

        def load(s: Session) -> list[tuple[Any, ...]]:
            totals = read.totals(s, year, lang=lang)
            rows: list[tuple[Any, ...]] = [
                (street, [totals.cells.get((street, k), (0, 0)) for k in totals.kinds],
                 totals.row(street))
                for street in totals.streets
            ]  # fmt: skip
            rows.append((tr("合计"), [totals.column(k) for k in totals.kinds], totals.total))
            return rows

        def got(rows: list[tuple[Any, ...]]) -> None:
            events_n, heads = rows[-1][-1]
            self.totals_caption.setText(
                tr("{year} 年合计（场次 / 人次）：{n} 场，{h} 人次").format(
                    year=year, n=events_n, h=heads
                )
            )
            self.totals.set_rows(rows)

        self.op(load, got)

    def load_issues(self) -> None:
        event_id = self.panel.current_id()
        if event_id is None:
            self.issues.set_rows([])
            return
        self.op(lambda s: materials.issues_of(s, event_id), self.issues.set_rows)

    def refresh(self) -> None:
        self.panel.reload()
        self.load_choices()
        self.load_issues()
        self.load_totals()

    def focus_search(self) -> None:
        self.panel.focus_search()

    def _saved(self, event: Any) -> None:
        self.panel.reload(keep=getattr(event, "id", None))
        self.load_issues()
        self.load_totals()

    # --- events ----------------------------------------------------------------------------

    def new_item(self) -> None:
        user = self.ctx.user
        start = dt.datetime.combine(self.ctx.as_of(), dt.time(9, 0))

        def save(session: Session, values: dict[str, Any]) -> Any:
            return events.create_event(session, user=user, **values)

        self.form(
            name="trainingNew",
            title=tr("新建培训与宣教活动"),
            fields=event_fields(*self._choices),
            values={"starts_at": start, "ends_at": start + dt.timedelta(hours=2)},
            save=save,
            changes=("trainings",),
            saved=self._saved,
            intro=public_days_text(self.year()),
        )

    def edit_item(self) -> None:
        event_id = self.panel.current_id()
        if event_id is None:
            self.need_selection(tr("一项活动"))
            return
        self.op(lambda s: read.event_record(s, event_id), lambda v: self._edit(event_id, v))

    def _edit(self, event_id: int, values: dict[str, Any]) -> None:
        version, user = values.pop("row_version"), self.ctx.user

        def save(session: Session, changed: dict[str, Any]) -> Any:
            return events.update_event(
                session, event_id=event_id, expected_version=version, user=user, **changed
            )

        self.form(
            name="trainingEdit",
            title=tr("编辑活动 {code}").format(code=values["code"]),
            fields=event_fields(*self._choices),
            values=values,
            save=save,
            changes=("trainings",),
            saved=self._saved,
            record=("training", event_id),
            intro=public_days_text(values["starts_at"].year),
        )

    def delete_item(self) -> None:
        event_id = self.panel.current_id()
        if event_id is None:
            self.need_selection(tr("一项活动"))
            return
        if not self.confirm_delete(tr("所选培训与宣教活动")):
            return
        user = self.ctx.user
        self.op(
            lambda s: events.delete_event(s, event_id=event_id, user=user),
            lambda _r: self.refresh(),
            changes=("trainings",),
        )

    # --- materials -------------------------------------------------------------------------

    def issue_materials(self) -> None:
        """The stock issue dialog (FEFO preview), its document number the event's code."""
        event_id = self.panel.current_id()
        if event_id is None:
            self.need_selection(tr("一项活动"))
            return
        self.op(
            lambda s: (
                stock_read.holder_choices(s),
                stock_read.material_choices(s),
                read.event_record(s, event_id),
            ),
            lambda r: self._issue(event_id, *r),
        )

    def _issue(
        self, event_id: int, holders: Choices, mats: Choices, record: dict[str, Any]
    ) -> None:
        ctx, user = self.ctx, self.ctx.user
        fields = [
            f for f in stock_dialogs.issue_fields(holders, mats) if f.key not in FIXED_BY_EVENT
        ]
        on = min(record["starts_at"].date(), ctx.today())

        def save(session: Session, v: dict[str, Any]) -> Any:
            v = {k: val for k, val in v.items() if val is not None}
            return materials.issue_for_event(
                session, event_id=event_id, operator=user, today=ctx.today(), **v
            )

        dialog = stock_dialogs.IssueDialog(
            self,
            ctx,
            save=save,
            fields=fields,
            values={"on": on},
            source=self,
        )
        dialog.setWindowTitle(
            tr("为活动 {code} 领用物资（先到期先出）").format(code=record["code"])
        )
        self.open_dialog(dialog, self._saved_issue)

    def _saved_issue(self, _result: Any = None) -> None:
        self.load_issues()
