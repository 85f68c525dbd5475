"""Status, evaluation, the schedule generator and moving drills on the calendar, for the 演练
page: every move is previewed for conflicts before it is made. The page owns one
:class:`DrillActions` and wires its buttons, menu and calendar to it."""

from __future__ import annotations

import datetime as dt
from typing import Any, Protocol

from PySide6.QtWidgets import QMenu

from drillplan.drills import calendar as calendar_q
from drillplan.drills import editing, moving
from drillplan.drills import read as drills_read
from drillplan.kernel.vocab import DrillStatus, label

from drillplan.ui import messages
from drillplan.ui.area import PageHost
from drillplan.ui.areas.drills.dialogs import EvaluationDialog, conflict_lines
from drillplan.ui.areas.drills.schedule_dialog import ScheduleDialog
from drillplan.ui.dialogs import open_once
from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import current_language, pick, tr


class DrillsHost(PageHost, Protocol):
    """What the drill actions need of their page."""

    def current_drill(self) -> int | None:
        """The drill chosen on the current tab (list, calendar, conflicts or actions)."""
        ...

    def selected_occurrence(self) -> calendar_q.CalendarItem | None:
        """The drill (occurrence) selected in the month calendar."""
        ...

    def unit_choices(self) -> list[tuple[int, str]]: ...

    def saved(self, drill: Any = None) -> None:
        """A drill changed: reload the list (keeping ``drill``) and the current tab."""
        ...


class DrillActions:
    def __init__(self, page: DrillsHost) -> None:
        self.page = page
        self.state: drills_read.DrillState | None = None  # read when the status menu opened
        self.last_move: moving.MoveResult | None = None

    # --- status and evaluation ------------------------------------------------------------

    def fill_status_menu(self, menu: QMenu) -> None:
        menu.clear()
        drill_id = self.page.current_drill()
        if drill_id is None:
            menu.addAction(tr("请先选择演练")).setEnabled(False)
            return
        # the allowed moves come from the core; the menu is rebuilt each time it opens
        state = self.page.ctx.runner.call(lambda s: drills_read.drill_state(s, drill_id))
        self.state = state
        for target in state.allowed:
            action = menu.addAction(
                tr("改为“{status}”").format(status=label(target, current_language()))
            )
            action.triggered.connect(lambda _c=False, t=target: self.transition(t))
        if not state.allowed:
            menu.addAction(tr("当前状态不能再变更")).setEnabled(False)

    def transition(self, target: str) -> None:
        state, user = self.state, self.page.ctx.user
        if state is None:
            return
        if target == DrillStatus.EVALUATED.value:
            self.evaluate()
            return
        self.page.op(
            lambda s: editing.transition_status(
                s, drill_id=state.drill_id, to=target, expected_version=state.row_version, user=user
            ),
            self.page.saved,
            changes=("drills",),
        )

    def evaluate(self) -> None:
        page = self.page
        drill_id = page.current_drill()
        if drill_id is None:
            page.need_selection(tr("一次演练"))
            return
        dialog = EvaluationDialog(
            page.widget(), page.ctx, drill_id, page.unit_choices(), source=page
        )
        if open_once(dialog) is not dialog:
            return
        dialog.finished.connect(lambda _r: page.saved())
        page.dialog = dialog

    def open_schedule(self) -> None:
        page = self.page
        dialog = ScheduleDialog(page.widget(), page.ctx, source=page)
        if open_once(dialog) is not dialog:
            return
        dialog.finished.connect(lambda _r: page.saved())
        page.dialog = dialog

    # --- moving on the calendar -----------------------------------------------------------

    def request_move(self, item: calendar_q.CalendarItem, day: dt.date) -> None:
        """Check what the move would bring, ask if it brings conflicts, then move."""
        page = self.page
        kwargs = {
            "drill_id": item.drill_id,
            "original_start": item.original_start,
            "day": day,
            "expected_version": item.row_version,
        }

        def previewed(result: moving.MoveResult) -> None:
            if result.new_conflicts and not messages.save_anyway(
                page.widget(),
                tr("移动后将产生冲突"),
                [pick(zh, en) for zh, en in conflict_lines(result.new_conflicts)],
                intro=tr("把 {code} 移到 {day} 后将产生以下冲突：").format(
                    code=item.code, day=day.isoformat()
                ),
                yes=tr("仍然移动"),
                no=tr("不移动"),
            ):
                return
            user = page.ctx.user
            page.op(
                lambda s: moving.move_to_day(s, user=user, **kwargs),
                self._moved,
                changes=("drills",),
            )

        page.op(lambda s: moving.preview_move(s, **kwargs), previewed)

    def _moved(self, result: moving.MoveResult) -> None:
        self.last_move = result
        self.page.saved()

    def cancel_selected_occurrence(self) -> None:
        """Cancel one occurrence of a recurring drill (the series stays)."""
        page = self.page
        item = page.selected_occurrence()
        if item is None or not item.recurring:
            page.need_selection(tr("重复演练中的一次（在月历中）"))
            return
        if not messages.confirm(
            page.widget(),
            tr("取消本次演练"),
            tr("取消 {code} 在 {day} 的这一次？其余各次不变。").format(
                code=item.code, day=item.day.isoformat()
            ),
            danger=True,
        ):
            return
        user = page.ctx.user
        page.op(
            lambda s: editing.cancel_occurrence(
                s,
                drill_id=item.drill_id,
                original_start=item.original_start,
                expected_version=item.row_version,
                user=user,
            ),
            lambda _row: page.saved(),
            changes=("drills",),
        )

    def move_selected(self) -> None:
        """The keyboard way to move a drill: pick the new date in a small dialog."""
        item = self.page.selected_occurrence()
        if item is None:
            self.page.need_selection(tr("演练（在月历中）"))
            return
        self.page.form(
            name="moveDrill",
            title=tr("移动 {code}").format(code=item.code),
            fields=[FieldSpec("day", tr("新的日期"), "date", required=True)],
            values={"day": item.day},
            save=lambda _s, v: v["day"],
            saved=lambda day: self.request_move(item, day),
        )
