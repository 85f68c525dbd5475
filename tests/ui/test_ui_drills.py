"""演练 page: list and dialog (recurrence editor), month calendar moves with the conflict
check, status, evaluation with findings and actions, the schedule generator, conflicts."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import QPoint, Qt

from drillplan.db.models import CorrectiveAction, Drill, DrillOccurrenceMove, Finding
from drillplan.kernel.vocab import ActionStatus, DrillStatus
from tests.support.ui import (
    AS_OF,
    answer_confirm,
    closed,
    error_under,
    fill,
    settle,
    shown,  # fixtures: tests/ui/conftest.py
)

from drillplan.ui.areas.drills.calendar import MonthCalendar
from drillplan.ui.areas.drills.dialogs import EvaluationDialog
from drillplan.ui.areas.drills.page import DrillsPage
from drillplan.ui.areas.drills.recurrence import RecurrenceEditor
from drillplan.ui.areas.drills.schedule_dialog import ScheduleDialog
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> DrillsPage:
    return shown(qtbot, ctx, DrillsPage(ctx), (1200, 800))


def drill(ctx: UiContext, code: str) -> Drill | None:
    with ctx.db.session() as session:
        return session.scalar(select(Drill).where(Drill.code == code))


def participants(ctx: UiContext, code: str) -> int:
    with ctx.db.session() as session:
        found = session.scalar(select(Drill).where(Drill.code == code))
        return len(found.participants) if found else 0


def create(page: DrillsPage, ctx: UiContext, code: str, start: dt.datetime, **extra: Any) -> Drill:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    units = page._choices[0]
    fill(
        dialog.form,
        code=code,
        title="界面测试演练",
        form="tabletop",
        scope="single",
        organiser_unit_id=units[0][0],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        **extra,
    )
    dialog.accept()
    settle(ctx)
    assert closed(dialog), {k: error_under(dialog.form, k) for k in dialog.form.errors}
    saved = drill(ctx, code)
    assert saved is not None
    return saved


def test_recurrence_editor_builds_and_reads_rules(qtbot: Any) -> None:
    editor = RecurrenceEditor()
    qtbot.addWidget(editor)
    assert editor.value() is None and editor.summary.property("text") == "不重复"
    editor.set_parts("weekly", interval=2, weekdays=("MO", "WE"), count=6)
    assert editor.value() == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"
    assert editor.summary.property("text") == "每 2 周（周一、周三），共 6 次"
    assert editor.weekdays["MO"].isEnabled()
    editor.set_value("FREQ=MONTHLY;UNTIL=20251231T235959")
    assert editor.by_until.isChecked() and editor.until.date().toPython() == dt.date(2025, 12, 31)
    assert not editor.weekdays["MO"].isEnabled()
    editor.set_value(None)
    assert editor.value() is None


def test_create_edit_validation_and_delete(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = dt.datetime(2025, 7, 7, 9, 0)
    saved = create(page, ctx, "QP-DR-UI-01", start, team_ids=[page._choices[2][0][0]])
    assert participants(ctx, "QP-DR-UI-01") == 1 and saved.status == DrillStatus.PLANNED
    page.panel.select_id(saved.id)
    page.edit_item()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, ends_at=start - dt.timedelta(hours=1), title="改名")
    dialog.accept()
    settle(ctx)
    assert "早于开始时间" in error_under(dialog.form, "ends_at")
    assert drill(ctx, "QP-DR-UI-01").title == "界面测试演练"  # type: ignore[union-attr]
    rule = dialog.form.editor("rrule")
    assert isinstance(rule, RecurrenceEditor)
    rule.set_parts("weekly", weekdays=("MO",), count=4)
    fill(dialog.form, ends_at=start + dt.timedelta(hours=3))
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    saved = drill(ctx, "QP-DR-UI-01")
    assert (
        saved is not None
        and saved.title == "改名"
        and saved.rrule == "FREQ=WEEKLY;BYDAY=MO;COUNT=4"
    )
    assert participants(ctx, "QP-DR-UI-01") == 1  # kept through the edit
    answer_confirm(monkeypatch, False)
    page.delete_item()
    assert drill(ctx, "QP-DR-UI-01") is not None
    answer_confirm(monkeypatch, True)
    page.delete_item()
    settle(ctx)
    assert drill(ctx, "QP-DR-UI-01") is None


def test_calendar_drag_moves_a_single_drill_after_the_conflict_check(
    qtbot: Any, page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    saved = create(page, ctx, "QP-DR-UI-02", dt.datetime(2025, 6, 10, 9, 0))
    page.show_tab("calendar")
    settle(ctx)
    cal = page.calendar
    assert isinstance(cal, MonthCalendar) and (cal.year, cal.month) == (2025, 6)
    item = next(i for i in cal.items if i.drill_id == saved.id)
    chip = next(r for i, r in cal.chip_rects() if i is item)
    target = cal.day_rect(dt.date(2025, 6, 12))
    assert target is not None
    asked = answer_confirm(monkeypatch, True)
    qtbot.mousePress(cal, Qt.MouseButton.LeftButton, pos=chip.center())
    qtbot.mouseMove(cal, chip.center() + QPoint(20, 0))
    qtbot.mouseMove(cal, target.center())
    qtbot.mouseRelease(cal, Qt.MouseButton.LeftButton, pos=target.center())
    settle(ctx)
    moved = drill(ctx, "QP-DR-UI-02")
    assert moved is not None and moved.starts_at == dt.datetime(2025, 6, 12, 9, 0)
    assert moved.ends_at == dt.datetime(2025, 6, 12, 11, 0)
    assert page.drill_actions.last_move.new_start == moved.starts_at
    assert any(i.drill_id == saved.id and i.day == dt.date(2025, 6, 12) for i in cal.items)

    # to a Saturday: the non-working-day conflict is shown first; "no" leaves it alone
    asked = answer_confirm(monkeypatch, False)
    item = next(i for i in cal.items if i.drill_id == saved.id)
    page.drill_actions.request_move(item, dt.date(2025, 6, 14))
    settle(ctx)
    assert asked and "冲突" in asked[0]
    assert drill(ctx, "QP-DR-UI-02").starts_at.date() == dt.date(2025, 6, 12)  # type: ignore[union-attr]


def test_moving_one_occurrence_of_a_series(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = dt.datetime(2025, 6, 3, 14, 0)
    saved = create(page, ctx, "QP-DR-UI-03", start, rrule="FREQ=WEEKLY;COUNT=3")
    page.show_tab("calendar")
    settle(ctx)
    second = next(
        i for i in page.calendar.items if i.drill_id == saved.id and i.day == dt.date(2025, 6, 10)
    )
    answer_confirm(monkeypatch, True)
    page.drill_actions.request_move(second, dt.date(2025, 6, 11))
    settle(ctx)
    with ctx.db.session() as session:
        move = session.scalar(
            select(DrillOccurrenceMove).where(DrillOccurrenceMove.drill_id == saved.id)
        )
        assert move is not None and move.new_start == dt.datetime(2025, 6, 11, 14, 0)
    assert drill(ctx, "QP-DR-UI-03").starts_at == start  # type: ignore[union-attr]
    days = sorted(i.day for i in page.calendar.items if i.drill_id == saved.id)
    assert days == [dt.date(2025, 6, 3), dt.date(2025, 6, 11), dt.date(2025, 6, 17)]


def test_cancelling_one_occurrence_of_a_series(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    start = dt.datetime(2025, 6, 3, 14, 0)
    saved = create(page, ctx, "QP-DR-UI-05", start, rrule="FREQ=WEEKLY;COUNT=3")
    page.show_tab("calendar")
    settle(ctx)
    second = next(
        i for i in page.calendar.items if i.drill_id == saved.id and i.day == dt.date(2025, 6, 10)
    )
    page.calendar.selected = second
    asked = answer_confirm(monkeypatch, False)  # "no": nothing happens
    page.drill_actions.cancel_selected_occurrence()
    settle(ctx)
    assert asked and len([i for i in page.calendar.items if i.drill_id == saved.id]) == 3
    answer_confirm(monkeypatch, True)
    page.calendar.selected = next(
        i for i in page.calendar.items if i.drill_id == saved.id and i.day == dt.date(2025, 6, 10)
    )
    page.drill_actions.cancel_selected_occurrence()
    settle(ctx)
    days = sorted(i.day for i in page.calendar.items if i.drill_id == saved.id)
    assert days == [dt.date(2025, 6, 3), dt.date(2025, 6, 17)]  # the series keeps the others


def test_calendar_keyboard(qtbot: Any, page: DrillsPage, ctx: UiContext) -> None:
    page.show_tab("calendar")
    settle(ctx)
    cal = page.calendar
    cal.setFocus()
    start = cal.current_day
    qtbot.keyClick(cal, Qt.Key.Key_Right)
    qtbot.keyClick(cal, Qt.Key.Key_Down)
    assert cal.current_day == start + dt.timedelta(days=8)
    qtbot.keyClick(cal, Qt.Key.Key_PageDown)
    settle(ctx)
    assert (cal.year, cal.month) == (2025, 7)
    assert page.month_label.property("text") == "2025 年 7 月"


def test_status_and_evaluation(page: DrillsPage, ctx: UiContext) -> None:
    saved = create(page, ctx, "QP-DR-UI-04", dt.datetime(2025, 5, 20, 9, 0), status="conducted")
    page.panel.select_id(saved.id)
    page.drill_actions.fill_status_menu(page.status_menu)
    assert [a.property("text") for a in page.status_menu.actions()] == ["改为“已评估”"]
    page.drill_actions.evaluate()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, EvaluationDialog)
    dialog.save()
    assert error_under(dialog.form, "indicator_scores.organisation")  # required, caught here
    fill(
        dialog.form,
        **{
            "indicator_scores.organisation": "80",
            "indicator_scores.plan": "90",
            "indicator_scores.command": "70",
            "indicator_scores.teams": "85",
            "indicator_scores.equipment": "120",
            "summary": "总体良好",
        },
    )
    dialog.save()
    settle(ctx)
    assert "超出范围" in error_under(dialog.form, "indicator_scores.equipment")
    assert drill(ctx, "QP-DR-UI-04").status == DrillStatus.CONDUCTED  # type: ignore[union-attr]
    fill(dialog.form, **{"indicator_scores.equipment": "75"})
    dialog.save()
    settle(ctx)
    evaluated = drill(ctx, "QP-DR-UI-04")
    assert evaluated is not None and evaluated.status == DrillStatus.EVALUATED
    assert float(evaluated.score) == 80.0  # type: ignore[arg-type]

    dialog.add_finding()
    fill(dialog.child.form, description="通信不畅", severity="major")
    dialog.child.accept()
    settle(ctx)
    assert [f.description for f in dialog.findings.rows_model.rows] == ["通信不畅"]
    dialog.add_action()
    fill(dialog.child.form, action="建立备用通信", owner_unit_id=page._choices[0][0][0])
    dialog.child.accept()
    settle(ctx)
    assert [a.action for a in dialog.actions.rows_model.rows] == ["建立备用通信"]
    dialog.actions.choose_row(0)
    dialog.close_action()
    dialog.child.accept()
    settle(ctx)
    with ctx.db.session() as session:
        action = session.scalar(
            select(CorrectiveAction).join(Finding).where(Finding.drill_id == saved.id)
        )
        assert action is not None and action.status == ActionStatus.CLOSED


def test_schedule_generator_explains_and_writes(
    page: DrillsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.drill_actions.open_schedule()
    dialog = page.dialog
    assert isinstance(dialog, ScheduleDialog)
    dialog.year.setValue(2026)
    dialog.generate()
    settle(ctx)
    assert dialog.proposals and dialog.write_button.isEnabled()
    assert dialog.why.toPlainText().startswith(dialog.proposals[0].plan_code)
    answer_confirm(monkeypatch, True)
    with ctx.db.session() as session:
        before = len(session.scalars(select(Drill.id)).all())
    dialog.write()
    settle(ctx)
    with ctx.db.session() as session:
        after = len(session.scalars(select(Drill.id)).all())
    assert after - before == len(dialog.written) > 0


def test_conflicts_and_actions_tabs(page: DrillsPage, ctx: UiContext) -> None:
    page.show_tab("conflicts")
    page.conflict_year.setValue(AS_OF.year)
    settle(ctx)
    rows = page.conflicts.rows_model.rows
    assert rows and all(r.reason_zh for r in rows)
    page.show_tab("actions")
    settle(ctx)
    every = len(page.actions.rows_model.rows)
    page.overdue_only.setChecked(True)
    settle(ctx)
    overdue = page.actions.rows_model.rows
    assert 0 < len(overdue) <= every and all(a.days_overdue > 0 for a in overdue)
