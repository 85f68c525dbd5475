"""应急预案 page: search, filters, create, edit (validation shown, nothing saved), status
transitions, revisions, history, attachments, delete with confirmation."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt
from PySide6.QtGui import QDesktopServices

from drillplan.db.database import Database
from drillplan.db.models import Plan, PlanDocument
from drillplan.kernel.vocab import PlanKind, PlanStatus
from drillplan.listing import fetch_ids
from drillplan.plans.listing import PLANS
from tests.support.ui import (
    answer_confirm,
    closed,
    error_under,
    fill,
    open_errors,
    settle,
    shown,  # fixtures: tests/ui/conftest.py
)

from drillplan.ui.areas.plans.page import PlansPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> PlansPage:
    return shown(qtbot, ctx, PlansPage(ctx), (1100, 700))


def plan_by_code(db: Database, code: str) -> Plan | None:
    with db.session() as session:
        return session.scalar(select(Plan).where(Plan.code == code))


def new_plan(page: PlansPage, ctx: UiContext, code: str = "QP-ZX-2025-099") -> Plan:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    owner = page._units[0][0]
    fill(
        dialog.form,
        code=code,
        title="青浦区测试专项应急预案",
        kind="special",
        category="natural",
        owner_unit_id=owner,
    )
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    plan = plan_by_code(ctx.db, code)
    assert plan is not None
    return plan


def test_open_search_and_filters(qtbot: Any, page: PlansPage, ctx: UiContext) -> None:
    panel = page.panel
    with ctx.db.session() as session:
        every = fetch_ids(session, PLANS)
        special = fetch_ids(session, PLANS, equals={"kind": "special"})
    assert panel.model.total == len(every) > 0
    panel.search.setText("防汛")  # keyClicks takes ASCII only
    qtbot.waitUntil(lambda: 0 < panel.model.total < len(every))
    panel.search.clear()
    qtbot.waitUntil(lambda: panel.model.total == len(every))
    kind = panel.choice_boxes["kind"]
    kind.setCurrentIndex(kind.findData(PlanKind.SPECIAL.value))
    assert panel.model.total == len(special)
    kind.setCurrentIndex(0)
    page.overdue.setChecked(True)
    settle(ctx)
    assert 0 < panel.model.total < len(every)
    assert panel.restriction.isVisible() and "逾期预案" in panel.restriction.property("text")
    page.overdue.setChecked(False)
    assert panel.model.total == len(every)
    owner = panel.choice_boxes["owner_id"]
    assert owner.count() > 1  # the units were loaded by an op


def test_create_then_edit_with_a_validation_error_then_save(
    page: PlansPage, ctx: UiContext
) -> None:
    plan = new_plan(page, ctx)
    assert plan.status == PlanStatus.DRAFTING and plan.current_version == "1.0"
    assert page.panel.current_id() == plan.id  # the new row is selected

    page.edit_item()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    assert dialog.form.editor("code").property("text") == plan.code
    fill(dialog.form, code="??", title="改过的名称")
    dialog.accept()
    settle(ctx)
    assert "格式不正确" in error_under(dialog.form, "code")  # the core's message, inline
    assert dialog.isVisible()
    saved = plan_by_code(ctx.db, plan.code)
    assert saved is not None and saved.title == "青浦区测试专项应急预案"  # nothing saved

    fill(dialog.form, title="")
    dialog.accept()  # required: caught before any op
    assert "不能为空" in error_under(dialog.form, "title")

    fill(dialog.form, code=plan.code, title="改过的名称")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    saved = plan_by_code(ctx.db, plan.code)
    assert saved is not None and saved.title == "改过的名称" and saved.row_version == 2
    title_column = PLANS.keys.index("title")
    row = page.panel.model.row_of(plan.id)
    assert page.panel.model.index(row, title_column).data() == "改过的名称"


def test_enter_saves_and_escape_cancels(qtbot: Any, page: PlansPage, ctx: UiContext) -> None:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert closed(dialog)
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, code="QP-ENTER-01", title="回车保存", owner_unit_id=page._units[0][0])
    qtbot.keyClick(dialog.form.editor("title"), Qt.Key.Key_Return)
    settle(ctx)
    assert plan_by_code(ctx.db, "QP-ENTER-01") is not None


def test_form_tab_order_follows_the_fields(page: PlansPage) -> None:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    editors = [e.widget for e in dialog.form.editors.values()]
    for first, second in pairwise(editors):
        assert _next_tab_stop(first, editors) is second
    assert editors[0].hasFocus() or dialog.focusWidget() is editors[0]


def _next_tab_stop(widget: Any, editors: list[Any]) -> Any:
    """The editor Tab moves to from ``widget`` (labels skipped; the line edit inside an
    editable picker belongs to its picker)."""
    w = widget.nextInFocusChain()
    for _ in range(200):
        owner = next((e for e in editors if w is e or e.isAncestorOf(w)), None)
        if owner is not None and owner is not widget and w.focusPolicy() & Qt.FocusPolicy.TabFocus:
            return owner
        w = w.nextInFocusChain()
    return None


def test_status_transition_revision_and_history(page: PlansPage, ctx: UiContext) -> None:
    plan = new_plan(page, ctx, "QP-LIFE-01")
    settle(ctx)
    assert page.state is not None and page.state.allowed == ("reviewing", "abolished")
    page._fill_status_menu()
    captions = [a.property("text") for a in page.status_menu.actions()]
    assert captions == ["改为“审核中”…", "改为“已废止”…"]
    page.transition("reviewing")
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    dialog.accept()
    settle(ctx)
    assert plan_by_code(ctx.db, "QP-LIFE-01").status == PlanStatus.REVIEWING  # type: ignore[union-attr]

    published = ctx.db.session
    with published() as session:
        target = session.scalar(
            select(Plan).where(Plan.status == PlanStatus.PUBLISHED).order_by(Plan.code)
        )
        assert target is not None
        target_id, version = target.id, target.current_version
    page.panel.select_id(target_id)
    settle(ctx)
    page.revise()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, reason="risk_changed", summary="风险评估更新")
    dialog.accept()
    settle(ctx)
    with published() as session:
        revised = session.get(Plan, target_id)
        assert revised is not None and revised.status == PlanStatus.REVISING
        assert revised.current_version != version

    page.evaluate()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, conclusion="keep", summary="仍然适用")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with published() as session:
        evaluated = session.get(Plan, target_id)
        assert evaluated is not None and evaluated.evaluations[-1].summary == "仍然适用"

    page.show_history()
    settle(ctx)
    rows = page.dialog.view.rows_model.rows  # type: ignore[union-attr]
    assert any(r.what == "version" and r.summary == "风险评估更新" for r in rows)
    del plan


def test_attachments_open_with_the_system_viewer(
    page: PlansPage, ctx: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[str] = []
    monkeypatch.setattr(
        QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True
    )
    answer_confirm(monkeypatch, True)
    document = tmp_path / "预案正文.pdf"
    document.write_bytes(b"%PDF-1.4")
    page.show_attachments()
    dialog = page.dialog
    dialog.add(str(document))  # type: ignore[union-attr]
    settle(ctx)
    dialog.view.choose_row(0)  # type: ignore[union-attr]
    assert dialog.open_current()  # type: ignore[union-attr]
    assert opened == [str(document)]
    dialog.remove()  # type: ignore[union-attr]
    settle(ctx)
    with ctx.db.session() as session:
        assert session.scalar(select(PlanDocument.id)) is None


def test_delete_asks_first_and_refuses_issued_plans(
    page: PlansPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = new_plan(page, ctx, "QP-DEL-01")
    asked = answer_confirm(monkeypatch, False)
    page.delete_item()
    settle(ctx)
    assert asked and plan_by_code(ctx.db, "QP-DEL-01") is not None  # "no": kept
    answer_confirm(monkeypatch, True)
    page.delete_item()
    settle(ctx)
    assert plan_by_code(ctx.db, "QP-DEL-01") is None
    assert page.panel.model.row_of(plan.id) is None

    with ctx.db.session() as session:
        issued = session.scalar(select(Plan.id).where(Plan.status == PlanStatus.PUBLISHED))
    page.panel.select_id(issued)
    page.delete_item()
    settle(ctx)
    assert any("不能删除" in text for text in open_errors())
