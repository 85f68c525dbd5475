"""The settings dialog shows the office's pre-dated movements setting and saves it."""

from __future__ import annotations

from typing import Any

from drillplan import settings
from tests.support.ui import settle  # fixtures: tests/ui/conftest.py

from drillplan.ui.areas.settings.dialog import SettingsDialog
from drillplan.ui.context import UiContext


def test_the_general_page_shows_and_saves_allow_predated_movements(
    qtbot: Any, ctx: UiContext
) -> None:
    dialog = SettingsDialog(None, ctx)
    qtbot.addWidget(dialog)
    settle(ctx)
    box = dialog.page("general").predated  # type: ignore[attr-defined]
    assert box.text() == "允许登记未来日期的出入库" and not box.isChecked()
    box.setChecked(True)
    dialog.accept()
    settle(ctx)
    with ctx.db.session() as session:
        assert settings.get(session, "allow_predated_movements") is True
    again = SettingsDialog(None, ctx)
    qtbot.addWidget(again)
    settle(ctx)
    assert again.page("general").predated.isChecked()  # type: ignore[attr-defined]
