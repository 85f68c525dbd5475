"""响应矩阵 page: a hazard's levels and lines, a team line added through its dialog, a refused
value shown under its field, the check run for a chosen level and printed."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from drillplan.db.models import HazardTeamLine, Team
from drillplan.hazards import matrix
from tests.support.ui import closed, error_under, fill, settle, shown

from drillplan.ui import opener
from drillplan.ui.areas.hazards.page import HazardsPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> HazardsPage:
    with ctx.db.session() as session:
        matrix.ensure_starter_hazards(session)
    return shown(qtbot, ctx, HazardsPage(ctx), (1198, 700))


def _team(ctx: UiContext) -> str:
    with ctx.db.session() as session:
        code = session.scalar(select(Team.code).order_by(Team.code))
    assert code is not None
    return code


def _choose(page: HazardsPage, ctx: UiContext, code: str) -> None:
    page.hazard_box.setCurrentIndex(page.hazard_box.findData(code))
    settle(ctx)


def test_a_team_line_through_the_dialog_and_a_refused_headcount(
    page: HazardsPage, ctx: UiContext
) -> None:
    _choose(page, ctx, "heat")  # 高温 starts at yellow
    assert page.levels() == ["yellow", "orange", "red"]
    assert "黄色" in page.levels_label.text() and "蓝色" not in page.levels_label.text()
    team = _team(ctx)
    page.actions.add_team()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, level="orange", team=team, headcount="0")
    dialog.accept()
    settle(ctx)
    assert "大于 0" in error_under(dialog.form, "headcount")
    fill(dialog.form, headcount="12")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    rows = page.lines.rows_model.rows
    assert [(r["kind"], r["level"], r["code"], r["amount"]) for r in rows] == [
        ("team", "orange", team, 12)]  # fmt: skip
    # the same team at the same level again: refused, named under the team field
    page.actions.add_team()
    again = page.dialog
    assert isinstance(again, FormDialog) and again is not dialog
    fill(again.form, level="orange", team=team, headcount="3")
    again.accept()
    settle(ctx)
    assert "已列有队伍" in error_under(again.form, "team")
    again.reject()
    with ctx.db.session() as session:
        heat = matrix.get_hazard(session, "heat")
        count = select(func.count()).select_from(HazardTeamLine)
        assert session.scalar(count.where(HazardTeamLine.hazard_id == heat.id)) == 1


def test_the_check_runs_for_the_chosen_level_and_prints(
    page: HazardsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(opener, "system_open", lambda path: opened.append(path) or True)
    team = _team(ctx)
    with ctx.db.session() as session:
        matrix.add_team_line(session, hazard="高温", level="橙", team=team, headcount=9999)
    page.refresh()
    settle(ctx)
    _choose(page, ctx, "heat")
    page.level_box.setCurrentIndex(page.level_box.findData("red"))
    page.actions.check()
    settle(ctx)
    assert page.result is not None and page.result.level == "red"
    rows = page.checked.rows_model.rows
    assert [(r["kind"], r["code"], r["need"], r["ok"]) for r in rows if r["kind"] == "team"] == [
        ("team", team, 9999, False)]  # fmt: skip
    assert "不满足" in page.summary.text()
    page.actions.print_check()
    settle(ctx)
    assert page.actions.printed and Path(page.actions.printed[0]).stat().st_size > 0
