"""演练: the list, the month calendar (drag to move, conflicts checked first), the conflicts
panel, corrective actions; the drill dialog, status, evaluation and the schedule generator."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QSpinBox,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from drillplan.drills import calendar as calendar_q
from drillplan.drills import deleting
from drillplan.drills import read as drills_read
from drillplan.drills.conflicts import KINDS as CONFLICT_KINDS
from drillplan.drills.conflicts import find_conflicts
from drillplan.drills.evaluation import actions as action_rows
from drillplan.drills.listing import DRILLS
from drillplan.kernel.vocab import DrillForm, DrillStatus, label
from drillplan.org import read as org_read
from drillplan.plans import read as plans_read

from drillplan.ui.area import AreaPage
from drillplan.ui.areas.drills.actions import DrillActions
from drillplan.ui.areas.drills.calendar import MonthCalendar
from drillplan.ui.areas.drills.dialogs import (
    default_times,
    drill_fields,
    foreseen_conflicts,
    save_drill_edit,
    save_new_drill,
)
from drillplan.ui.context import UiContext
from drillplan.ui.forms import vocab
from drillplan.ui.i18n import current_language, pick, tr
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import page_header, tool_button

TABS = ("list", "calendar", "conflicts", "actions")


class DrillsPage(AreaPage):
    """Four tabs over the drills; status, evaluation and moves are :class:`DrillActions`."""

    areas = ("drills", "plans", "teams", "units", "settings")
    screenshot_tabs = TABS

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.drill_actions = acts = DrillActions(self)
        self.panel = ListingPanel(
            DRILLS,
            ctx.session,
            as_of=ctx.fixed_date,
            loader=ctx.load_in_background,
            show_title=False,
        )
        self.panels = [self.panel]
        self.panel.add_choice_filter("status", tr("状态"), vocab(DrillStatus))
        self.panel.add_choice_filter("form", tr("形式"), vocab(DrillForm))
        self.panel.activated.connect(lambda _id: self.edit_item())
        self.calendar = MonthCalendar(self)
        self.calendar.set_month(ctx.as_of().year, ctx.as_of().month)
        self.calendar.current_day = ctx.as_of()
        self.calendar.move_requested.connect(acts.request_move)
        self.calendar.item_activated.connect(lambda item: self.edit_drill(item.drill_id))
        self.calendar.month_changed.connect(lambda _y, _m: self.load_month())
        self.month_label = QLabel(self)
        self.month_label.setObjectName("sectionTitle")
        self.conflict_year = QSpinBox(self)
        self.conflict_year.setRange(2000, 2100)
        self.conflict_year.setValue(ctx.as_of().year)
        self.conflict_year.valueChanged.connect(lambda _v: self.load_conflicts())
        self.conflicts = RowsView(
            [
                Col(tr("日期"), lambda c: c.date),
                Col(tr("类型"), lambda c: pick(*CONFLICT_KINDS[c.kind]), tone=lambda _c: "bad"),
                Col(tr("演练"), lambda c: "、".join(c.drill_codes)),
                Col(tr("涉及"), lambda c: c.subject),
                Col(tr("原因"), lambda c: pick(c.reason_zh, c.reason_en)),
            ],
            "conflictsTable",
            self,
        )
        self.conflicts.doubleClicked.connect(lambda _i: self._open_conflict())
        self.overdue_only = QCheckBox(tr("只显示逾期"), self)
        self.overdue_only.toggled.connect(lambda _on: self.load_actions())
        self.action_ids: tuple[int, ...] | None = None
        self.actions = RowsView(
            [
                Col(tr("演练"), lambda a: a.drill_code),
                Col(tr("问题"), lambda a: a.finding),
                Col(tr("整改措施"), lambda a: a.action),
                Col(tr("责任单位"), lambda a: a.owner_unit),
                Col(
                    tr("整改期限"),
                    lambda a: a.due_on,
                    tone=lambda a: "bad" if a.days_overdue else None,
                ),
                Col(
                    tr("逾期天数"),
                    lambda a: a.days_overdue or "",
                    right=True,
                    tone=lambda a: "bad" if a.days_overdue else None,
                ),
                Col(tr("状态"), lambda a: label(a.status, current_language())),
            ],
            "correctiveActions",
            self,
        )
        self.actions.doubleClicked.connect(lambda _i: self._evaluate_action_drill())

        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.panel, tr("列表"))
        self.tabs.addTab(self._calendar_tab(), tr("月历"))
        self.tabs.addTab(self._conflicts_tab(), tr("冲突"))
        self.tabs.addTab(self._actions_tab(), tr("整改跟踪"))
        self.tabs.currentChanged.connect(lambda _i: self._tab_changed())
        tools = QHBoxLayout()
        for caption, slot, tip in (
            (tr("新建"), self.new_item, "Ctrl+N"),
            (tr("编辑"), self.edit_item, "Enter"),
            (tr("删除"), self.delete_item, "Del"),
        ):
            tools.addWidget(tool_button(caption, self, slot, tip))
        self.status_button = QPushButton(tr("状态变更"), self)
        self.status_menu = QMenu(self)
        self.status_menu.aboutToShow.connect(lambda: acts.fill_status_menu(self.status_menu))
        self.status_button.setMenu(self.status_menu)
        tools.addWidget(self.status_button)
        tools.addWidget(tool_button(tr("评估"), self, acts.evaluate))
        tools.addWidget(tool_button(tr("生成年度计划"), self, acts.open_schedule))
        tools.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_header("演练", "Drills"))
        layout.addLayout(tools)
        layout.addWidget(self.tabs, 1)
        self._choices: tuple[list[Any], list[Any], list[Any]] = ([], [], [])
        self.load_choices()

    # --- tabs -------------------------------------------------------------------------------

    def _calendar_tab(self) -> QWidget:
        box = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(
            tool_button("◀", box, lambda: self.calendar.shift_month(-1), tr("上个月 (PageUp)"))
        )
        bar.addWidget(self.month_label)
        bar.addWidget(
            tool_button("▶", box, lambda: self.calendar.shift_month(1), tr("下个月 (PageDown)"))
        )
        bar.addWidget(
            tool_button(
                tr("移动到…"), box, self.drill_actions.move_selected, tr("把所选演练移到另一天")
            )
        )
        bar.addWidget(
            tool_button(
                tr("取消本次"),
                box,
                self.drill_actions.cancel_selected_occurrence,
                tr("取消重复演练中所选的这一次（其余各次不变）"),
            )
        )
        bar.addStretch(1)
        bar.addWidget(QLabel(tr("拖动演练到另一天即可改期；↻ 表示重复演练中的一次。"), box))
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.calendar, 1)
        return box

    def _conflicts_tab(self) -> QWidget:
        box = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("年度"), box))
        bar.addWidget(self.conflict_year)
        bar.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.conflicts, 1)
        return box

    def _actions_tab(self) -> QWidget:
        box = QWidget(self)
        bar = QHBoxLayout()
        bar.addWidget(self.overdue_only)
        bar.addStretch(1)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 8, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.actions, 1)
        return box

    def current_tab(self) -> str:
        return TABS[self.tabs.currentIndex()]

    def show_tab(self, name: str) -> None:
        if name in TABS:
            self.tabs.setCurrentIndex(TABS.index(name))

    def _tab_changed(self) -> None:
        {
            "calendar": self.load_month,
            "conflicts": self.load_conflicts,
            "actions": self.load_actions,
        }.get(self.current_tab(), lambda: None)()

    # --- loading ----------------------------------------------------------------------------

    def load_choices(self) -> None:
        self.op(
            lambda s: (
                org_read.unit_choices(s),
                plans_read.plan_choices(s, in_force_only=True),
                org_read.team_choices(s),
            ),
            lambda r: setattr(self, "_choices", r),
        )

    def load_month(self) -> None:
        year, month = self.calendar.year, self.calendar.month
        self.month_label.setText(self.calendar.month_title())

        def got(items: list[Any]) -> None:
            if (self.calendar.year, self.calendar.month) == (year, month):
                self.calendar.set_items(items)

        self.op(lambda s: calendar_q.month_items(s, year, month), got)

    def load_conflicts(self) -> None:
        year = self.conflict_year.value()
        self.op(lambda s: find_conflicts(s, year=year), self.conflicts.set_rows)

    def load_actions(self) -> None:
        as_of, overdue, only = self.ctx.as_of(), self.overdue_only.isChecked(), self.action_ids

        def got(rows: list[Any]) -> None:
            if only is not None:
                rows = [r for r in rows if r.action_id in set(only)]
            self.actions.set_rows(rows)

        self.op(lambda s: action_rows(s, as_of=as_of, overdue_only=overdue), got)

    def show_actions(self, ids: tuple[int, ...] | None, overdue: bool) -> None:
        self.action_ids = ids
        self.overdue_only.blockSignals(True)
        self.overdue_only.setChecked(overdue)
        self.overdue_only.blockSignals(False)
        self.show_tab("actions")
        self.load_actions()

    def refresh(self) -> None:
        self.panel.reload()
        self.load_choices()
        self._tab_changed()

    def focus_search(self) -> None:
        self.show_tab("list")
        self.panel.focus_search()

    def saved(self, drill: Any = None) -> None:
        self.panel.reload(keep=getattr(drill, "id", None))
        self._tab_changed()

    # --- the current drill ----------------------------------------------------------------

    def current_drill(self) -> int | None:
        if self.current_tab() == "calendar" and self.calendar.selected is not None:
            return self.calendar.selected.drill_id
        if self.current_tab() == "conflicts" and self.conflicts.current() is not None:
            return self.conflicts.current().drill_ids[0]
        if self.current_tab() == "actions" and self.actions.current() is not None:
            return self.actions.current().drill_id
        return self.panel.current_id()

    def selected_occurrence(self) -> calendar_q.CalendarItem | None:
        return self.calendar.selected

    def unit_choices(self) -> list[tuple[int, str]]:
        return self._choices[0]

    def _evaluate_action_drill(self) -> None:
        if self.actions.current() is not None:
            self.drill_actions.evaluate()

    def _open_conflict(self) -> None:
        item = self.conflicts.current()
        if item is not None:
            self.edit_drill(item.drill_ids[0])

    def new_item(self) -> None:
        units, plans, teams = self._choices
        day = self.calendar.current_day if self.current_tab() == "calendar" else self.ctx.as_of()
        values: dict[str, Any] = {"status": "planned", "purpose": "testing", **default_times(day)}
        self.form(
            name="drillNew",
            title=tr("新建演练"),
            fields=drill_fields(units, plans, teams, new=True),
            values=values,
            save=save_new_drill(self.ctx.user),
            changes=("drills",),
            saved=self.saved,
            forewarn=foreseen_conflicts(save_new_drill(self.ctx.user)),
        )

    def edit_item(self) -> None:
        drill_id = self.current_drill()
        if drill_id is None:
            self.need_selection(tr("一次演练"))
            return
        self.edit_drill(drill_id)

    def edit_drill(self, drill_id: int) -> None:
        def opened(values: dict[str, Any]) -> None:
            units, plans, teams = self._choices
            version, existing = values.pop("row_version"), values.pop("participants")
            save = save_drill_edit(self.ctx.user, drill_id, version, existing)
            self.form(
                name="drillEdit",
                title=tr("编辑演练 {code}").format(code=values["code"]),
                fields=drill_fields(units, plans, teams, new=False),
                values=values,
                save=save,
                changes=("drills",),
                saved=self.saved,
                record=drill_id,
                forewarn=foreseen_conflicts(save, drill_id),
            )

        self.op(lambda s: drills_read.drill_record(s, drill_id), opened)

    def delete_item(self) -> None:
        drill_id = self.current_drill()
        if drill_id is None:
            self.need_selection(tr("一次演练"))
            return
        if not self.confirm_delete(tr("所选演练")):
            return
        user = self.ctx.user
        self.op(
            lambda s: deleting.delete_drill(s, drill_id=drill_id, user=user),
            lambda _r: self.saved(),
            changes=("drills",),
        )
