"""应急预案: the register with filters, the plan dialog, status actions, revisions, history
and attachments."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtWidgets import QCheckBox, QMenu, QPushButton, QVBoxLayout, QWidget

from drillplan.kernel.vocab import EmergencyCategory, HolderClass, PlanKind, PlanStatus, label
from drillplan.org import read as org_read
from drillplan.plans import deleting, lifecycle, register
from drillplan.plans import read as plans_read
from drillplan.plans.due import plan_due
from drillplan.plans.lifecycle import REVISION_REASONS
from drillplan.plans.listing import PLANS
from drillplan.plans.register import EVALUATION_CONCLUSIONS

from drillplan.ui.area import AreaPage
from drillplan.ui.areas.plans.dialogs import AttachmentsDialog, HistoryDialog
from drillplan.ui.context import UiContext
from drillplan.ui.forms import FieldSpec, vocab
from drillplan.ui.i18n import current_language, pick, tr
from drillplan.ui.listing_view import ListingPanel
from drillplan.ui.widgets import tool_button


def plan_fields(units: list[tuple[int, str]], *, new: bool) -> list[FieldSpec]:
    fields = [
        FieldSpec("code", tr("预案编号"), required=True, max_length=40, hint="QP-ZX-001"),
        FieldSpec("title", tr("预案名称"), required=True, max_length=200),
        FieldSpec("kind", tr("预案类型"), "choice", required=True, choices=vocab(PlanKind)),
        FieldSpec(
            "category", tr("事件类别"), "choice", required=True, choices=vocab(EmergencyCategory)
        ),
        FieldSpec(
            "owner_unit_id", tr("编制单位"), "choice", required=True, choices=units, searchable=True
        ),
        FieldSpec("holder_class", tr("持有单位类型"), "choice", choices=vocab(HolderClass)),
        FieldSpec("hazards", tr("风险种类"), "list", hint=tr("如：台风、暴雨、洪涝")),
        FieldSpec("response_levels", tr("响应等级"), "list"),
    ]
    if new:
        fields += [
            FieldSpec("status", tr("当前状态"), "choice", choices=vocab(PlanStatus)),
            FieldSpec("version", tr("版本号"), placeholder="1.0", max_length=20),
        ]
    fields += [
        FieldSpec("approved_on", tr("批准日期"), "date"),
        FieldSpec("published_on", tr("发布日期"), "date"),
        FieldSpec("filed_on", tr("备案日期"), "date"),
        FieldSpec("filed_with", tr("备案机关"), max_length=120),
        FieldSpec("evaluation_interval_months", tr("评估周期（月）"), "int", required=True),
        FieldSpec(
            "drill_interval_months",
            tr("演练周期（月）"),
            "int",
            hint=tr("留空则按预案类型的规定周期"),
        ),
        FieldSpec("flood_related", tr("涉及防汛防台"), "bool"),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]
    return fields


class PlansPage(AreaPage):
    areas = ("plans", "drills", "units")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.panel = ListingPanel(
            PLANS, ctx.session, as_of=ctx.fixed_date, loader=ctx.load_in_background, parent=self
        )
        self.panels = [self.panel]
        tools = self.panel.tools
        tools.addWidget(tool_button(tr("新建"), self, self.new_item, "Ctrl+N"))
        tools.addWidget(tool_button(tr("编辑"), self, self.edit_item, "Enter"))
        tools.addWidget(tool_button(tr("删除"), self, self.delete_item, "Del"))
        self.status_button = QPushButton(tr("状态变更"), self)
        self.status_menu = QMenu(self)
        self.status_menu.aboutToShow.connect(self._fill_status_menu)
        self.status_button.setMenu(self.status_menu)
        tools.addWidget(self.status_button)
        tools.addWidget(tool_button(tr("修订"), self, self.revise))
        tools.addWidget(tool_button(tr("评估"), self, self.evaluate))
        tools.addWidget(tool_button(tr("历史与版本"), self, self.show_history))
        tools.addWidget(tool_button(tr("附件"), self, self.show_attachments))
        self.panel.add_choice_filter("kind", tr("类型"), vocab(PlanKind))
        self.panel.add_choice_filter("category", tr("类别"), vocab(EmergencyCategory))
        self.panel.add_choice_filter("status", tr("状态"), vocab(PlanStatus))
        self.owner_filter = self.panel.add_choice_filter("owner_id", tr("编制单位"), [])
        self.overdue = QCheckBox(tr("只显示逾期"), self)
        self.overdue.setObjectName("overdueFilter")
        self.overdue.toggled.connect(self._toggle_overdue)
        self.panel.filters_bar.addWidget(self.overdue)
        self.panel.activated.connect(lambda _id: self.edit_item())
        self.state: plans_read.PlanState | None = None
        self.panel.current_changed.connect(self._load_state)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.panel)
        self._units: list[tuple[int, str]] = []
        self.op(org_read.unit_choices, self._got_units)
        self._load_state(self.panel.current_id())

    # --- loading ---------------------------------------------------------------------------

    def _got_units(self, units: list[tuple[int, str]]) -> None:
        self._units = units
        box = self.owner_filter
        box.blockSignals(True)
        while box.count() > 1:
            box.removeItem(1)
        for value, shown in units:
            box.addItem(shown, value)
        box.blockSignals(False)

    def _load_state(self, plan_id: int | None) -> None:
        self.state = None
        if plan_id is not None:
            self.op(lambda s: plans_read.plan_state(s, plan_id), self._got_state)

    def _got_state(self, state: plans_read.PlanState) -> None:
        if state.plan_id == self.panel.current_id():
            self.state = state

    def _toggle_overdue(self, on: bool) -> None:
        if not on:
            self.panel.restrict(None)
            return
        as_of = self.ctx.as_of()
        self.op(
            lambda s: [p.plan_id for p in plan_due(s, as_of=as_of, overdue_only=True)],
            lambda ids: self.panel.restrict(ids, tr("逾期预案")),
        )

    def refresh(self) -> None:
        self.panel.reload()
        self.op(org_read.unit_choices, self._got_units)
        self._load_state(self.panel.current_id())

    def focus_search(self) -> None:
        self.panel.focus_search()

    def _saved(self, plan: Any) -> None:
        self.panel.reload(keep=getattr(plan, "id", None))
        self._load_state(self.panel.current_id())

    # --- editing ---------------------------------------------------------------------------

    def new_item(self) -> None:
        ctx = self.ctx

        def save(session: Session, values: dict[str, Any]) -> Any:
            values = {k: v for k, v in values.items() if v is not None}
            values["version"] = values.get("version") or "1.0"
            return register.create_plan(session, user=ctx.user, today=ctx.today(), **values)

        self.form(
            name="planNew",
            title=tr("新建预案"),
            fields=plan_fields(self._units, new=True),
            values={"evaluation_interval_months": 36, "status": "drafting"},
            save=save,
            changes=("plans",),
            saved=self._saved,
        )

    def edit_item(self) -> None:
        plan_id = self.panel.current_id()
        if plan_id is None:
            self.need_selection(tr("一个预案"))
            return
        self.op(lambda s: plans_read.plan_record(s, plan_id), lambda v: self._edit(plan_id, v))

    def _edit(self, plan_id: int, values: dict[str, Any]) -> None:
        ctx = self.ctx
        version = values.pop("row_version")

        def save(session: Session, changed: dict[str, Any]) -> Any:
            return plans_read.plan_edit_checked(
                session,
                plan_id,
                expected_version=version,
                attempted=changed,
                save=lambda: register.update_plan(
                    session,
                    plan_id=plan_id,
                    expected_version=version,
                    user=ctx.user,
                    today=ctx.today(),
                    **changed,
                ),
            )

        self.form(
            name="planEdit",
            title=tr("编辑预案 {code}").format(code=values["code"]),
            fields=plan_fields(self._units, new=False),
            values=values,
            save=save,
            changes=("plans",),
            saved=self._saved,
            record=plan_id,
        )

    def delete_item(self) -> None:
        plan_id = self.panel.current_id()
        if plan_id is None:
            self.need_selection(tr("一个预案"))
            return
        if not self.confirm_delete(tr("所选预案")):
            return
        user = self.ctx.user
        self.op(
            lambda s: deleting.delete_plan(s, plan_id=plan_id, user=user),
            lambda _r: self.panel.reload(),
            changes=("plans",),
        )

    # --- lifecycle -------------------------------------------------------------------------

    def _fill_status_menu(self) -> None:
        self.status_menu.clear()
        state = self.state
        if state is None:
            none = self.status_menu.addAction(tr("请先选择预案"))
            none.setEnabled(False)
            return
        lang = current_language()
        for target in state.allowed:
            action = self.status_menu.addAction(
                tr("改为“{status}”…").format(status=label(target, lang))
            )
            action.triggered.connect(lambda _c=False, t=target: self.transition(t))
        if not state.allowed:
            final = self.status_menu.addAction(tr("已废止：不能再变更"))
            final.setEnabled(False)

    def transition(self, target: str) -> None:
        state = self.state
        if state is None:
            self.need_selection(tr("一个预案"))
            return
        ctx = self.ctx

        def save(session: Session, values: dict[str, Any]) -> Any:
            return lifecycle.transition(
                session,
                plan_id=state.plan_id,
                to_status=target,
                on=values["on"],
                note=values.get("note"),
                user=ctx.user,
                today=ctx.today(),
            )

        self.form(
            name="planTransition",
            title=tr("{code}：状态改为“{status}”").format(
                code=state.code, status=label(target, current_language())
            ),
            fields=[
                FieldSpec("on", tr("日期"), "date", required=True, aliases=("date",)),
                FieldSpec("note", tr("说明"), max_length=200),
            ],
            values={"on": ctx.as_of()},
            save=save,
            changes=("plans",),
            saved=lambda _r: self._saved(None),
        )

    def revise(self) -> None:
        state = self.state
        if state is None:
            self.need_selection(tr("一个预案"))
            return
        ctx = self.ctx
        reasons = [(k, pick(zh, en)) for k, (zh, en) in REVISION_REASONS.items()]

        def save(session: Session, values: dict[str, Any]) -> Any:
            return lifecycle.revise(
                session,
                plan_id=state.plan_id,
                reason=values["reason"],
                summary=values.get("summary") or "",
                on=values["on"],
                new_version=values.get("new_version"),
                user=ctx.user,
                today=ctx.today(),
            )

        self.form(
            name="planRevise",
            title=tr("修订预案 {code}（当前版本 {version}）").format(
                code=state.code, version=state.version
            ),
            fields=[
                FieldSpec("reason", tr("修订原因"), "choice", required=True, choices=reasons),
                FieldSpec("summary", tr("修订说明"), "multiline", required=True),
                FieldSpec("on", tr("修订日期"), "date", required=True, aliases=("date",)),
                FieldSpec(
                    "new_version",
                    tr("新版本号"),
                    aliases=("version",),
                    placeholder=lifecycle.next_version(state.version) or "",
                ),
            ],
            values={"on": ctx.as_of()},
            save=save,
            changes=("plans",),
            saved=lambda _r: self._saved(None),
            intro=tr("只有已发布或修订中的预案可以修订；已发布的预案将转为“修订中”。"),
        )

    def evaluate(self) -> None:
        """评估: record a periodic evaluation; the next one falls due an interval later."""
        state = self.state
        if state is None:
            self.need_selection(tr("一个预案"))
            return
        ctx = self.ctx
        conclusions = [(k, pick(zh, en)) for k, (zh, en) in EVALUATION_CONCLUSIONS.items()]

        def save(session: Session, values: dict[str, Any]) -> Any:
            return register.record_evaluation(
                session,
                plan_id=state.plan_id,
                on=values["on"],
                conclusion=values["conclusion"],
                summary=values.get("summary") or "",
                user=ctx.user,
                today=ctx.today(),
            )

        self.form(
            name="planEvaluation",
            title=tr("评估预案 {code}").format(code=state.code),
            fields=[
                FieldSpec("on", tr("评估日期"), "date", required=True, aliases=("date",)),
                FieldSpec(
                    "conclusion", tr("评估结论"), "choice", required=True, choices=conclusions
                ),
                FieldSpec("summary", tr("评估说明"), "multiline"),
            ],
            values={"on": ctx.as_of()},
            save=save,
            changes=("plans",),
            saved=lambda _r: self._saved(None),
        )

    def show_history(self) -> None:
        plan_id = self.panel.current_id()
        if plan_id is None:
            self.need_selection(tr("一个预案"))
            return
        self.dialog = HistoryDialog(self, self.ctx, plan_id)
        self.dialog.open()

    def show_attachments(self) -> None:
        plan_id = self.panel.current_id()
        if plan_id is None:
            self.need_selection(tr("一个预案"))
            return
        self.dialog = AttachmentsDialog(self, self.ctx, plan_id, source=self)
        self.dialog.open()
