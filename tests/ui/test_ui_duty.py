"""通讯录与值班 page: the contacts with their form, the month's roster with conflicts shown
(red, the reason in the tooltip and in the side list), month navigation, export and print."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt

from drillplan.db.models import Contact, DutyShift
from tests.support.ui import (
    answer_confirm,
    error_under,
    fill,
    open_errors,
    settle,
    shown,
    wait_for,
)

from drillplan.ui.areas.duty.page import DutyPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> DutyPage:
    return shown(qtbot, ctx, DutyPage(ctx), (1200, 760))


def test_contacts_list_and_form(page: DutyPage, ctx: UiContext, tmp_path: Path) -> None:
    assert page.panel.model.total > 60
    page.panel.search.setText("保管员")
    page.panel._apply_search()
    assert 10 < page.panel.model.total < 30
    page.new_item()  # Ctrl+N on the contacts tab: a new contact
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    unit = page.choices.units[0][0]
    fill(dialog.form, name="测试联系人", role="科员", unit_id=unit, mobile="1391234")
    assert "格式不正确" in error_under(dialog.form, "mobile")  # inline, before saving
    fill(dialog.form, mobile="021-59721234")
    assert "不是手机号码" in error_under(dialog.form, "mobile")
    fill(dialog.form, mobile="13912345678", office_phone="(021)59721234")
    dialog.accept()
    settle(ctx)
    with ctx.db.session() as session:
        saved = session.scalar(select(Contact).where(Contact.name == "测试联系人"))
        assert saved is not None and saved.office_phone == "021-59721234"


def test_roster_month_conflicts_and_files(
    qtbot: Any, page: DutyPage, ctx: UiContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    told = answer_confirm(monkeypatch, True)
    page.show_tab("roster")
    assert page.month_label.text() == "2025年6月"
    assert {r.day.day for r in page.roster.rows_model.rows} == set(range(1, 31))
    assert page.findings == [] and "未发现问题" in page.check_title.text()
    page.move_month(1)
    settle(ctx)
    assert page.month_label.text() == "2025年7月"
    assert len(page.findings) == 31  # no shift yet: every day lacks its leader
    leader = page.choices.people[0][0]
    for kind, officers in ((1, "甲、乙"), (3, "甲")):  # 白班, then 全天 with 甲 again
        page.roster.choose_row(0)
        page.new_item()  # Ctrl+N on the roster tab: a new shift on the chosen day
        dialog = page.dialog
        assert isinstance(dialog, FormDialog)
        fill(dialog.form, shift_kind_id=page.choices.kinds[kind - 1][0], leader=leader,
             officers=officers, phone="021-59701110")  # fmt: skip
        dialog.accept()
        settle(ctx)
    with ctx.db.session() as session:
        assert (
            len(session.scalars(select(DutyShift).where(DutyShift.day >= "2025-07-01")).all()) == 2
        )
    rows = page.roster.rows_model.rows[:2]
    assert [r.shift.shift for r in rows] == ["白班", "全天"]
    model = page.roster.rows_model
    tip = model.data(model.index(0, 5), Qt.ItemDataRole.ToolTipRole)
    assert "甲 同时排在7月1日白班（值班员）和7月1日全天（值班员）" in tip
    assert model.data(model.index(0, 5), Qt.ItemDataRole.ForegroundRole) is not None
    assert page.finding_list.count() == 32  # 30 days without a leader, 甲 and the leader twice
    page.finding_list.setCurrentRow(0)
    assert page.roster.current().day.day == 1
    page.grab().save(str(tmp_path / "duty-roster.png"))
    if os.environ.get("DRILLPLAN_KEEP_PNG"):
        page.grab().save(os.environ["DRILLPLAN_KEEP_PNG"])
    page.export("duty", str(tmp_path / "july.xlsx"))
    page.print_month(str(tmp_path / "july.pdf"))
    settle(ctx)
    wait_for(qtbot, lambda: (tmp_path / "july.pdf").exists() or bool(open_errors()))
    assert open_errors() == []
    assert (tmp_path / "july.xlsx").stat().st_size > 0
    assert (tmp_path / "july.pdf").read_bytes().startswith(b"%PDF")
    page.roster.choose_row(1)
    page.delete_item()  # Del: the 全天 shift, after the confirmation
    settle(ctx)
    assert told and len(page.findings) == 30


def test_edit_a_team_contact_keeps_its_owner(page: DutyPage, ctx: UiContext) -> None:
    page.panel.search.setText("队长")
    page.panel._apply_search()
    settle(ctx)
    page.panel.ensure_current()
    contact_id = page.panel.current_id()
    assert contact_id is not None
    page.edit_item()  # Enter
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    assert dialog.form.editors["scope_unit_id"].raw() is None  # only for suppliers
    fill(dialog.form, role="副队长")
    dialog.accept()
    settle(ctx)
    with ctx.db.session() as session:
        contact = session.get(Contact, contact_id)
        assert contact is not None and contact.role == "副队长" and contact.team_id is not None
        assert contact.scope_unit_id == contact.team.owner_unit_id


def test_shift_kinds_are_edited_in_the_desktop(page: DutyPage, ctx: UiContext) -> None:
    page.show_tab("roster")
    page.open_kinds()
    settle(ctx)
    kinds = page.kinds_dialog
    assert [r["name"] for r in kinds.table.rows_model.rows] == ["白班", "夜班", "全天"]
    kinds.new_kind()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, code="early", name="早班", starts="25:00", ends="9:00")
    assert "不是时刻" in error_under(dialog.form, "starts")
    fill(dialog.form, starts="7点")
    dialog.accept()
    settle(ctx)
    assert kinds.table.rows_model.rows[0]["hours"] == "07:00-09:00"
    assert any(text.startswith("早班") for _id, text in page.choices.kinds)
