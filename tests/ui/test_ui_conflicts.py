"""Concurrent edits in the UI: a stale save shows both versions; other clients' changes."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

from sqlalchemy import select

from drillplan.auth.conflicts import EditConflict, save_or_conflict
from drillplan.db.database import Database
from drillplan.db.models import Plan
from drillplan.plans import register

from drillplan.ui import messages
from drillplan.ui.ops import OpChanges
from drillplan.ui.shell.main_window import MainWindow


def test_a_stale_save_is_shown_with_both_versions(demo_db: Database) -> None:
    with demo_db.session() as session:
        plan = session.scalars(select(Plan).order_by(Plan.code)).first()
        assert plan is not None
        plan_id, version, title = plan.id, plan.row_version, plan.title
    with demo_db.session() as session:  # someone else saves first
        register.update_plan(session, plan_id=plan_id, expected_version=version, title="他人修改")
    try:
        with demo_db.session() as session:
            save_or_conflict(
                session,
                Plan,
                plan_id,
                expected_version=version,
                attempted={"title": "我的修改"},
                save=lambda: register.update_plan(
                    session, plan_id=plan_id, expected_version=version, title="我的修改"
                ),
            )
    except EditConflict as exc:
        conflict = exc
    else:  # pragma: no cover - the save must not go through
        raise AssertionError("the stale save was accepted")
    heading, text, _details = messages.describe(conflict)
    assert heading == "数据已被修改"
    assert "他人修改" in text and "我的修改" in text  # both versions shown
    with demo_db.sessions() as session:
        assert session.get_one(Plan, plan_id).title == "他人修改"  # nothing lost or overwritten
    assert title != "他人修改"


def test_a_local_file_is_not_polled_and_other_changes_refresh_views(
    qtbot: Any,
    demo_db: Database,
) -> None:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    assert not hasattr(win, "_poll")  # a local SQLite file has no other clients
    seen: list[OpChanges] = []
    win.ctx.runner.changes_applied.connect(seen.append)
    win._watcher = object()  # type: ignore[attr-defined]
    win._others_changed(True)
    win._others_changed(False)
    assert [c.areas for c in seen] == [frozenset({"all"})]
