"""The audit log view, offscreen: its reads run on the op runner like every other view."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from PySide6.QtCore import QModelIndex, Qt

from drillplan.auth.context import bind_actor
from drillplan.db.database import Database, open_db
from drillplan.db.models import Lot
from drillplan.stock import ledger
from tests.support.org import TODAY, actor_of, build_org
from tests.support.ui import settle  # fixtures: tests/ui/conftest.py

from drillplan.ui.areas.audit.page import AuditModel, AuditView
from drillplan.ui.context import UiContext

pytestmark = pytest.mark.ui


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    db = open_db(tmp_path / "audit.sqlite3")
    yield db
    db.close()


@pytest.fixture
def audit_ctx(database: Database) -> Iterator[UiContext]:
    context = UiContext.create(database, as_of=TODAY)
    yield context
    context.close()


def test_audit_view_lists_filters_and_shows_before_after(
    qtbot: QtBot, database: Database, audit_ctx: UiContext, qtmodeltester: object
) -> None:
    org = build_org(database)
    bind_actor(database, actor_of(database, "keeper1"))
    with database.session() as session:
        ledger.issue(
            session,
            holder_id=org.holder1,
            material_id=org.material,
            quantity=5,
            on=TODAY,
            today=TODAY,
        )
    view = AuditView(audit_ctx, poll_ms=0)
    qtbot.addWidget(view)
    settle(audit_ctx)
    qtmodeltester.check(view.model)  # type: ignore[attr-defined]
    settle(audit_ctx)
    model = view.model
    assert model.rowCount() == model.total > 5
    newest = model.entry(0)
    assert newest is not None and newest.table == "lot"  # written at commit, after stock.issue
    # read only
    assert not model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable

    view.user_box.setCurrentIndex(view.user_box.findData("keeper1"))
    settle(audit_ctx)
    assert {model.entry(r).username for r in range(model.rowCount())} == {"keeper1"}  # type: ignore[union-attr]
    view.action_box.setCurrentIndex(view.action_box.findData("stock.issue"))
    settle(audit_ctx)
    assert model.rowCount() == 1
    assert "1" in view.count_label.text()

    view.table.setCurrentIndex(model.index(0, 0))
    fields = {view.detail.item(r, 0).text() for r in range(view.detail.rowCount())}
    assert "quantity" in fields and "on_hand" in fields

    view.search_box.setText("no-such-thing")
    settle(audit_ctx)
    assert model.rowCount() == 0


def test_audit_view_refreshes_when_another_client_changes_data(
    qtbot: QtBot, database: Database, audit_ctx: UiContext
) -> None:
    org = build_org(database)
    bind_actor(database, actor_of(database, "admin"))
    view = AuditView(audit_ctx, poll_ms=0)
    qtbot.addWidget(view)
    answers: list[bool] = []
    view.polled.connect(answers.append)
    settle(audit_ctx)
    before = view.model.rowCount()
    view.poll()
    settle(audit_ctx)
    assert answers == [False]
    other = open_db(database.url)  # a second client
    bind_actor(other, actor_of(other, "district"))
    with other.session() as session:
        session.get_one(Lot, org.lot1).location = "A-01"
    other.close()
    view.poll()
    settle(audit_ctx)
    assert answers == [False, True]
    assert view.model.rowCount() == before + 1
    assert view.user_box.findData("district") >= 0


def test_audit_model_pages_on_demand(database: Database, audit_ctx: UiContext) -> None:
    build_org(database)
    bind_actor(database, actor_of(database, "admin"))
    for i in range(450):
        with database.session() as session:
            session.get_one(Lot, 1).location = f"L{i}"
    model = AuditModel(audit_ctx.runner)
    assert model.rowCount() == 0  # nothing is read on the UI thread
    settle(audit_ctx)
    assert model.rowCount() == 200 and model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert not model.canFetchMore(QModelIndex())  # one page at a time
    settle(audit_ctx)
    model.fetchMore(QModelIndex())
    settle(audit_ctx)
    assert model.rowCount() == model.total and not model.canFetchMore(QModelIndex())
