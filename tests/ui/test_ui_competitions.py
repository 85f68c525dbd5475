"""技能比武 page: competitions, events, results entry with the live ranking."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import select

from drillplan.db.models import Competition, CompetitionEntry
from tests.support.ui import (
    answer_confirm,
    closed,
    error_under,
    fill,
    settle,
    shown,  # fixtures: tests/ui/conftest.py
)

from drillplan.ui.areas.competitions.page import CompetitionsPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> CompetitionsPage:
    return shown(qtbot, ctx, CompetitionsPage(ctx), (1200, 760))


def test_open_shows_events_results_and_ranking(page: CompetitionsPage) -> None:
    assert page.results is not None
    assert page.events.rows_model.rowCount() == len(page.results.events) > 0
    assert page.event_results.rows_model.rowCount() > 0
    ranking = page.ranking.rows_model.rows
    assert ranking and ranking[0].rank == 1
    assert page.entries.model.total > 0
    page.entries.search.setText("心肺")
    page.entries._apply_search()
    assert page.entries.model.total > 0


def test_create_competition_event_and_results_with_live_ranking(
    page: CompetitionsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, year="2025", title="界面测试比武", held_on="2026-01-05")
    dialog.accept()
    settle(ctx)
    assert "不在 2025 年度" in error_under(dialog.form, "held_on")
    fill(dialog.form, held_on="2025-10-20", points_table="5、3、1")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        created = session.scalar(select(Competition).where(Competition.title == "界面测试比武"))
        assert created is not None and created.points_table == [5, 3, 1]
    assert page.panel.current_id() == created.id

    page.add_event()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, name="绳索救援", kind="team", scoring="time")
    dialog.accept()
    settle(ctx)
    assert [e.name for e in page.events.rows_model.rows] == ["绳索救援"]

    teams = page._teams
    for team_id, seconds in ((teams[0][0], "301.5"), (teams[1][0], "288")):
        page.record_result()
        dialog = page.dialog
        assert isinstance(dialog, FormDialog)
        assert "time_seconds" in dialog.form.editors and "score" not in dialog.form.editors
        fill(dialog.form, team_id=team_id, time_seconds=seconds)
        dialog.accept()
        settle(ctx)
        assert closed(dialog)
    ranking = page.ranking.rows_model.rows
    assert [r.team_id for r in ranking[:2]] == [teams[1][0], teams[0][0]]  # faster wins
    assert ranking[0].total == Decimal(5)

    page.event_results.choose_row(1)  # correct the slower team's time: it now wins
    page.record_result()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, time_seconds="-1")
    dialog.accept()
    settle(ctx)
    assert error_under(dialog.form, "time_seconds")
    fill(dialog.form, time_seconds="250")
    dialog.accept()
    settle(ctx)
    assert page.ranking.rows_model.rows[0].team_id == teams[0][0]  # re-ranked at once

    asked = answer_confirm(monkeypatch, True)
    page.event_results.choose_row(0)
    page.remove_result()
    settle(ctx)
    assert asked
    with ctx.db.session() as session:
        left = session.scalars(select(CompetitionEntry).join(CompetitionEntry.event)).all()
        assert len([e for e in left if e.event.competition_id == created.id]) == 1

    page.delete_item()
    settle(ctx)
    with ctx.db.session() as session:
        assert session.get(Competition, created.id) is None
