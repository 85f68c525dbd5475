"""救援队伍 page: teams, members, certificates; credit code and phone checked inline."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from sqlalchemy import select

from drillplan.db.models import Certificate, Member, Team
from drillplan.listing import fetch_ids
from drillplan.org.listing import TEAMS
from tests.support.ui import (
    answer_confirm,
    closed,
    error_under,
    fill,
    open_errors,
    settle,
    shown,  # fixtures: tests/ui/conftest.py
)

from drillplan.ui.areas.teams.page import TeamsPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui

GOOD_CODE = "52310118MJ01QHKGW3"  # a social organisation's code with a right check character


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> TeamsPage:
    return shown(qtbot, ctx, TeamsPage(ctx), (1100, 760))


def team(ctx: UiContext, code: str) -> Team | None:
    with ctx.db.session() as session:
        return session.scalar(select(Team).where(Team.code == code))


def test_open_shows_members_of_the_current_team(page: TeamsPage, ctx: UiContext) -> None:
    with ctx.db.session() as session:
        assert page.panel.model.total == len(fetch_ids(session, TEAMS))
    assert page.panel.current_id() is not None
    assert page.members.rows_model.rowCount() > 0
    assert page.certificates.rows_model.rowCount() >= 0
    page.panel.search.setText("蓝鲸")
    page.panel._apply_search()
    assert page.panel.model.total == 1
    settle(ctx)
    assert page.members.rows_model.rows  # the found team's members


def test_create_team_with_inline_code_and_phone_checks(page: TeamsPage, ctx: UiContext) -> None:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    unit = page._units[0][0]
    fill(
        dialog.form,
        code="TD-SH-99",
        name="测试救援队",
        kind="social",
        owner_unit_id=unit,
        duty_phone="12345",
    )
    assert "格式不正确" in error_under(dialog.form, "duty_phone")  # shown on leaving the field
    fill(dialog.form, duty_phone="(021)59720000", credit_code="52310118MJ01QHKGW")
    assert "18" in error_under(dialog.form, "credit_code")  # length, inline
    dialog.accept()
    assert team(ctx, "TD-SH-99") is None  # nothing saved while errors show
    fill(dialog.form, credit_code="52310118MJ01QHKGW4")  # wrong check character
    dialog.accept()
    settle(ctx)
    assert "校验位" in error_under(dialog.form, "credit_code")  # from the core
    assert team(ctx, "TD-SH-99") is None
    fill(dialog.form, credit_code_override=True)  # the explicit override
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    saved = team(ctx, "TD-SH-99")
    assert saved is not None and saved.duty_phone == "021-59720000"
    assert saved.credit_code == "52310118MJ01QHKGW4"
    assert page.panel.current_id() == saved.id


def test_edit_team_stale_version_and_save(page: TeamsPage, ctx: UiContext) -> None:
    team_id = page.panel.current_id()
    page.edit_item()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, duty_phone="abc")
    dialog.accept()
    assert "格式不正确" in error_under(dialog.form, "duty_phone")
    fill(dialog.form, duty_phone="13800138000", base="新的驻地")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        saved = session.get(Team, team_id)
        assert saved is not None and saved.base == "新的驻地" and saved.duty_phone == "13800138000"


def test_members_and_certificates(
    page: TeamsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    team_id = page.panel.current_id()
    page.member_actions.add_member()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    with ctx.db.session() as session:
        team = session.get_one(Team, team_id)
        assert dialog.windowTitle() == f"添加队员：{team.name}"  # the team it is added to
    fill(dialog.form, name="测试队员", phone="1380013800")  # 10 digits
    dialog.accept()
    assert error_under(dialog.form, "phone")
    fill(dialog.form, phone="13800138000")
    dialog.accept()
    settle(ctx)
    with ctx.db.session() as session:
        member = session.scalar(select(Member).where(Member.name == "测试队员"))
        assert member is not None and member.team_id == team_id
        member_id = member.id
    assert page.members.current().member_id == member_id

    page.member_actions.add_certificate()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(
        dialog.form,
        cert_type="救生员证",
        number="JS-0001",
        issued_on="2024-01-01",
        expires_on="2023-12-31",
    )
    dialog.accept()
    settle(ctx)
    assert "早于" in error_under(dialog.form, "expires_on")
    fill(dialog.form, expires_on="2025/7/1")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    assert [c.number for c in page.certificates.rows_model.rows] == ["JS-0001"]
    status = page.certificates.rows_model.index(0, 4).data()
    assert status == "30天内到期"  # 2025-07-01 is 30 days after 2025-06-01

    asked = answer_confirm(monkeypatch, True)
    page.certificates.choose_row(0)
    page.member_actions.delete_certificate()
    settle(ctx)
    page.member_actions.delete_member()
    settle(ctx)
    assert len(asked) == 2
    with ctx.db.session() as session:
        assert session.get(Member, member_id) is None
        assert session.scalar(select(Certificate).where(Certificate.number == "JS-0001")) is None


def test_delete_team_asks_and_refuses_teams_in_use(
    page: TeamsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(
        dialog.form,
        code="TD-TMP-01",
        name="临时队",
        kind="volunteer",
        owner_unit_id=page._units[0][0],
    )
    dialog.accept()
    settle(ctx)
    answer_confirm(monkeypatch, False)
    page.delete_item()
    assert team(ctx, "TD-TMP-01") is not None
    answer_confirm(monkeypatch, True)
    page.delete_item()
    settle(ctx)
    assert team(ctx, "TD-TMP-01") is None
    page.panel.search.setText("TD-ZY-01")
    page.panel._apply_search()
    page.delete_item()
    settle(ctx)
    assert any("不能删除" in text for text in open_errors())


def test_units_dialog(qtbot: Any, ctx: UiContext) -> None:
    from drillplan.db.models import Unit

    from drillplan.ui.areas.units.dialog import UnitsDialog

    dialog = UnitsDialog(None, ctx)
    qtbot.addWidget(dialog)
    settle(ctx)
    count = dialog.view.rows_model.rowCount()
    assert count > 0
    dialog.new()
    settle(ctx)
    form = dialog.child
    assert isinstance(form, FormDialog)
    fill(form.form, code="U-UI-01", name="界面测试单位", phone="12")
    assert error_under(form.form, "phone")
    form.accept()
    settle(ctx)
    with ctx.db.session() as session:
        assert session.scalar(select(Unit).where(Unit.code == "U-UI-01")) is None
    fill(form.form, phone="13800138000")
    form.accept()
    settle(ctx)
    assert dialog.view.rows_model.rowCount() == count + 1
    assert dialog.view.current().code == "U-UI-01"
    dialog.edit()
    settle(ctx)
    form = dialog.child
    assert isinstance(form, FormDialog)
    fill(form.form, contact="李明")
    form.accept()
    settle(ctx)
    with ctx.db.session() as session:
        assert session.scalar(select(Unit.contact).where(Unit.code == "U-UI-01")) == "李明"
