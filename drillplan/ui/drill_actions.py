"""Status, evaluation, the schedule generator and moving drills on the calendar (a mixin
of the 演练 page): every move is previewed for conflicts before it is made."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from drillplan.drills import calendar as calendar_q
from drillplan.drills import editing, moving
from drillplan.kernel.vocab import DrillStatus, label
from drillplan.ui_queries import records

from drillplan.ui import messages
from drillplan.ui.drill_dialogs import EvaluationDialog
from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import current_language, pick, tr
from drillplan.ui.schedule_dialog import ScheduleDialog

if TYPE_CHECKING:
    from drillplan.ui.drills_view import DrillsPage

    _Base = DrillsPage
else:
    _Base = object


class DrillActions(_Base):
    def _fill_status_menu(self) -> None:
        self.status_menu.clear()
        drill_id = self.current_drill()
        if drill_id is None:
            self.status_menu.addAction(tr("请先选择演练")).setEnabled(False)
            return
        # the allowed moves come from the core; the menu is rebuilt each time it opens
        state = self.ctx.runner.call(lambda s: records.drill_state(s, drill_id))
        self.state = state
        for target in state.allowed:
            action = self.status_menu.addAction(
                tr("改为“{status}”").format(status=label(target, current_language()))
            )
            action.triggered.connect(lambda _c=False, t=target: self.transition(t))
        if not state.allowed:
            self.status_menu.addAction(tr("当前状态不能再变更")).setEnabled(False)

    def transition(self, target: str) -> None:
        state, user = self.state, self.ctx.user
        if state is None:
            return
        if target == DrillStatus.EVALUATED.value:
            self.evaluate()
            return
        self.op(
            lambda s: editing.transition_status(
                s, drill_id=state.drill_id, to=target, expected_version=state.row_version, user=user
            ),
            self._saved,
            changes=("drills",),
        )

    def evaluate(self) -> None:
        drill_id = self.current_drill()
        if drill_id is None:
            self.need_selection(tr("一次演练"))
            return
        self.dialog = EvaluationDialog(self, self.ctx, drill_id, self._choices[0], source=self)
        self.dialog.finished.connect(lambda _r: self._saved())
        self.dialog.open()

    def _evaluate_action_drill(self) -> None:
        if self.actions.current() is not None:
            self.evaluate()

    def _open_conflict(self) -> None:
        item = self.conflicts.current()
        if item is not None:
            self.edit_drill(item.drill_ids[0])

    def open_schedule(self) -> None:
        self.dialog = ScheduleDialog(self, self.ctx, source=self)
        self.dialog.finished.connect(lambda _r: self._saved())
        self.dialog.open()

    # --- moving on the calendar -----------------------------------------------------------

    def request_move(self, item: calendar_q.CalendarItem, day: dt.date) -> None:
        """Check what the move would bring, ask if it brings conflicts, then move."""
        kwargs = {
            "drill_id": item.drill_id,
            "original_start": item.original_start,
            "day": day,
            "expected_version": item.row_version,
        }

        def previewed(result: moving.MoveResult) -> None:
            if result.new_conflicts:
                lines = "\n".join(
                    f"• {pick(c.reason_zh, c.reason_en)}" for c in result.new_conflicts[:8]
                )
                if not messages.confirm(
                    self,
                    tr("移动后将产生冲突"),
                    tr("把 {code} 移到 {day} 后将产生以下冲突：\n\n{lines}\n\n仍要移动吗？").format(
                        code=item.code, day=day.isoformat(), lines=lines
                    ),
                ):
                    return
            user = self.ctx.user
            self.op(
                lambda s: moving.move_to_day(s, user=user, **kwargs),
                self._moved,
                changes=("drills",),
            )

        self.op(lambda s: moving.preview_move(s, **kwargs), previewed)

    def _moved(self, result: moving.MoveResult) -> None:
        self.last_move = result
        self._saved()

    def cancel_selected_occurrence(self) -> None:
        """Cancel one occurrence of a recurring drill (the series stays)."""
        item = self.calendar.selected
        if item is None or not item.recurring:
            self.need_selection(tr("重复演练中的一次（在月历中）"))
            return
        if not messages.confirm(
            self,
            tr("取消本次演练"),
            tr("取消 {code} 在 {day} 的这一次？其余各次不变。").format(
                code=item.code, day=item.day.isoformat()
            ),
            danger=True,
        ):
            return
        user = self.ctx.user
        self.op(
            lambda s: editing.cancel_occurrence(
                s,
                drill_id=item.drill_id,
                original_start=item.original_start,
                expected_version=item.row_version,
                user=user,
            ),
            lambda _row: self._saved(),
            changes=("drills",),
        )

    def move_selected(self) -> None:
        """The keyboard way to move a drill: pick the new date in a small dialog."""
        item = self.calendar.selected
        if item is None:
            self.need_selection(tr("演练（在月历中）"))
            return
        dialog = self.form(
            name="moveDrill",
            title=tr("移动 {code}").format(code=item.code),
            fields=[FieldSpec("day", tr("新的日期"), "date", required=True)],
            values={"day": item.day},
            save=lambda _s, v: v["day"],
        )
        dialog.saved.connect(lambda day: self.request_move(item, day))
