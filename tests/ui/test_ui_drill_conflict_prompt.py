"""Saving, moving or generating drills asks first when the save would bring conflicts (issue 18):
team or venue double-booked, weekend or public holiday, ... with 仍然保存 or 返回修改."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from drillplan.db.models import Drill
from tests.support.ui import answer_confirm, closed, fill, settle, shown

from drillplan.ui import messages
from drillplan.ui.areas.drills.page import DrillsPage
from drillplan.ui.areas.drills.schedule_dialog import ScheduleDialog
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui

NEW_YEAR = dt.datetime(2026, 1, 1, 9, 0)  # 元旦, a Thursday


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> DrillsPage:
    return shown(qtbot, ctx, DrillsPage(ctx), (1200, 800))


def _count(ctx: UiContext) -> int:
    with ctx.db.session() as session:
        return int(session.scalar(select(func.count()).select_from(Drill)) or 0)


def _new_drill(page: DrillsPage, code: str, start: dt.datetime, team: int) -> FormDialog:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(
        dialog.form,
        code=code,
        title="冲突测试演练",
        form="live",
        scope="single",
        organiser_unit_id=page._choices[0][0][0],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=3),
        team_ids=[team],
    )
    return dialog


def test_a_new_drill_on_a_holiday_double_booking_a_team_asks_first(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = page._choices[2][0][0]
    first = _new_drill(page, "QP-DR-CF-01", NEW_YEAR, team)
    answer_confirm(monkeypatch, True)
    first.accept()
    settle(ctx)
    assert closed(first)
    before = _count(ctx)

    second = _new_drill(page, "QP-DR-CF-02", NEW_YEAR + dt.timedelta(hours=1), team)
    asked = answer_confirm(monkeypatch, False)  # 返回修改
    second.accept()
    settle(ctx)
    (question,) = asked
    assert "队伍重复安排：" in question and "QP-DR-CF-01" in question
    assert "非工作日：" in question and "元旦" in question
    assert "请勾选“允许安排在休息日”" in question  # the check box as the form calls it
    assert second.form.specs[[s.key for s in second.form.specs].index("weekend_allowed")].label == (
        "允许安排在休息日"
    )
    assert not closed(second) and _count(ctx) == before  # nothing saved, the form stays
    assert second.save_button.isEnabled() and second.form.editors["code"].raw() == "QP-DR-CF-02"

    fill(second.form, starts_at=dt.datetime(2026, 1, 5, 9), ends_at=dt.datetime(2026, 1, 5, 11))
    asked = answer_confirm(monkeypatch, False)
    second.accept()  # a Monday, the team is free: nothing to ask
    settle(ctx)
    assert asked == [] and closed(second) and _count(ctx) == before + 1


def test_save_anyway_saves_and_an_edit_asks_only_about_what_it_brings(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = page._choices[2][0][0]
    dialog = _new_drill(page, "QP-DR-CF-03", dt.datetime(2026, 5, 1, 9), team)  # 劳动节
    asked = answer_confirm(monkeypatch, True)  # 仍然保存
    dialog.accept()
    settle(ctx)
    assert len(asked) == 1 and "劳动节" in asked[0] and closed(dialog)
    with ctx.db.session() as session:
        saved = session.scalars(select(Drill).where(Drill.code == "QP-DR-CF-03")).one()
    page.edit_drill(saved.id)
    settle(ctx)
    edit = page.dialog
    assert isinstance(edit, FormDialog) and edit.objectName() == "drillEdit"
    asked = answer_confirm(monkeypatch, False)
    fill(edit.form, title="改了名称")
    edit.accept()  # the holiday was there already: the edit brings nothing new
    settle(ctx)
    assert asked == [] and closed(edit)


def test_moving_on_the_calendar_asks_with_the_same_findings(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    team = page._choices[2][0][0]
    dialog = _new_drill(page, "QP-DR-CF-04", dt.datetime(2025, 6, 10, 9), team)
    answer_confirm(monkeypatch, True)
    dialog.accept()
    settle(ctx)
    page.show_tab("calendar")
    settle(ctx)
    item = next(i for i in page.calendar.items if i.code == "QP-DR-CF-04")
    asked = answer_confirm(monkeypatch, False)  # 不移动
    page.drill_actions.request_move(item, dt.date(2025, 6, 14))  # a Saturday
    settle(ctx)
    assert len(asked) == 1 and "非工作日：" in asked[0]
    with ctx.db.session() as session:
        kept = session.scalars(select(Drill).where(Drill.code == "QP-DR-CF-04")).one()
    assert kept.starts_at == dt.datetime(2025, 6, 10, 9)


def test_the_schedule_generator_asks_before_it_writes(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.drill_actions.open_schedule()
    dialog = page.dialog
    assert isinstance(dialog, ScheduleDialog)
    dialog.year.setValue(2026)
    dialog.generate()
    settle(ctx)
    placed = [p for p in dialog.proposals if p.starts_at is not None]
    assert placed
    before = _count(ctx)
    asked = answer_confirm(monkeypatch, False)
    dialog.write()
    settle(ctx)
    assert len(asked) == 1 and f"将 {len(placed)} 项建议写入" in asked[0]
    for finding in dialog.forewarned:  # whatever the check found is in the question
        assert finding in asked[0]
    assert _count(ctx) == before and dialog.write_button.isEnabled()
    answer_confirm(monkeypatch, True)
    dialog.write()
    settle(ctx)
    assert _count(ctx) == before + len(placed)


def test_the_question_offers_save_anyway_and_go_back(qtbot: Any) -> None:
    seen: dict[str, Any] = {}

    def answer(button: str) -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen["buttons"] = [b.text() for b in box.buttons()]
        seen["default"] = box.defaultButton().text()
        seen["text"] = box.text() + "\n" + box.informativeText()
        next(b for b in box.buttons() if b.text() == button).click()

    findings = [f"冲突{i}" for i in range(12)]
    QTimer.singleShot(0, lambda: answer("返回修改"))
    assert messages.save_anyway(None, "演练", findings) is False
    assert sorted(seen["buttons"]) == sorted(["仍然保存", "返回修改"])
    assert seen["default"] == "返回修改"  # Enter never saves a conflict by accident
    assert "保存后将出现以下 12 项冲突" in seen["text"] and "冲突9" in seen["text"]
    assert "冲突10" not in seen["text"] and "另有 2 项" in seen["text"]
    QTimer.singleShot(0, lambda: answer("仍然保存"))
    assert messages.save_anyway(None, "演练", findings[:1]) is True
