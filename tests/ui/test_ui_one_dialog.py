"""One edit dialog per record, and edit conflicts in the form's words (issue 18).

A double-click emits both ``doubleClicked`` and ``activated``; a second double-click comes
while the first dialog's record is still being read. Either way the user gets one editor of
the record (the open one is raised). A save made stale by someone else names the fields by
the form's labels and shows the values as the form does (no ``<PlanKind...>``, no
``owner_unit_id``).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import select

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from drillplan.auth.conflicts import edit_conflict
from drillplan.db.database import Database
from drillplan.db.models import Plan
from drillplan.kernel.formatting import to_jsonable
from drillplan.kernel.vocab import PlanKind
from drillplan.plans import register
from tests.support.ui import AS_OF, fill, open_errors, settle

from drillplan.ui import messages
from drillplan.ui.areas.units.dialog import UnitsDialog
from drillplan.ui.dialogs import BaseDialog, FormDialog
from drillplan.ui.shell.main_window import MainWindow


def open_dialogs() -> list[BaseDialog]:
    """The dialogs open now over the window of this test (others may linger from others)."""
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, BaseDialog) and w.isVisible() and _ours(w)
    ]


def _ours(widget: Any) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if _current and parent is _current[-1]:
            return True
        parent = parent.parentWidget()
    return not _current


_current: list[MainWindow] = []


@pytest.fixture
def window(qtbot: Any, demo_db: Database) -> Iterator[MainWindow]:
    win = MainWindow(demo_db, as_of=AS_OF)
    qtbot.addWidget(win)
    win.resize(1300, 720)
    win.show()
    settle(win.ctx)
    _current.append(win)
    yield win
    for dialog in open_dialogs():
        dialog.reject()
    _current.remove(win)


def _page(win: MainWindow, area: str, tab: str | None = None) -> Any:
    win.show_area(area)
    page = win.pages[area]
    if tab is not None:
        page.show_tab(tab)
    settle(win.ctx)
    return page


def test_a_double_click_opens_one_editor_and_a_second_raises_it(window: MainWindow) -> None:
    page = _page(window, "plans")
    view = page.panel.view
    rect = view.visualRect(page.panel.model.index(2, 1))
    QTest.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    QTest.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    settle(window.ctx)
    first = open_dialogs()
    assert [d.objectName() for d in first] == ["planEdit"]
    page.edit_item()  # the second double-click (or Edit), once the first dialog is open
    page.panel.activated.emit(page.panel.current_id())
    settle(window.ctx)
    assert open_dialogs() == first
    first[0].reject()
    settle(window.ctx)
    page.edit_item()  # once it is closed, Edit opens a new one
    settle(window.ctx)
    again = open_dialogs()
    assert len(again) == 1 and again[0] is not first[0]


EDITS: dict[str, Callable[[MainWindow], Any]] = {
    "plans": lambda w: _page(w, "plans").edit_item,
    "teams": lambda w: _page(w, "teams").edit_item,
    "drills": lambda w: _page(w, "drills").edit_item,
    "materials": lambda w: _page(w, "stock", "materials").edit_item,
    "depots": lambda w: _page(w, "stock", "depots").edit_item,
    "members": lambda w: _page(w, "teams").member_actions.edit_member,
    "certificates": lambda w: _with_certificate(_page(w, "teams")).member_actions.edit_certificate,
}


def _with_certificate(page: Any) -> Any:
    """The teams page with a member chosen who holds a certificate."""
    ctx = page.ctx
    for team in range(page.panel.model.rowCount()):
        page.panel.view.setCurrentIndex(page.panel.model.index(team, 0))
        settle(ctx)
        for member in range(page.members.rows_model.rowCount()):
            page.members.choose_row(member)
            settle(ctx)
            page.certificates.choose_row(0)
            if page.current_certificate() is not None:
                return page
    raise AssertionError("the demo data has no certificate")


@pytest.mark.parametrize("area", sorted(EDITS))
def test_every_area_gives_one_editor_per_record(window: MainWindow, area: str) -> None:
    edit = EDITS[area](window)
    edit()
    edit()  # both requests are in flight before either dialog opens
    settle(window.ctx)
    shown = open_dialogs()
    assert len(shown) == 1, [d.windowTitle() for d in shown]
    assert isinstance(shown[0], FormDialog)
    edit()
    settle(window.ctx)
    assert open_dialogs() == shown


def test_the_units_dialog_gives_one_editor_per_unit(qtbot: Any, window: MainWindow) -> None:
    units = UnitsDialog(window, window.ctx)
    qtbot.addWidget(units)
    units.show()
    settle(window.ctx)
    units.edit()
    units.edit()
    settle(window.ctx)
    editors = [d for d in open_dialogs() if isinstance(d, FormDialog)]
    assert [d.objectName() for d in editors] == ["unit"]


def _plan(db: Database, code: str) -> tuple[int, int]:
    with db.session() as session:
        plan = session.scalars(select(Plan).where(Plan.code == code)).one()
        return plan.id, plan.row_version


def test_a_stale_save_names_fields_by_their_labels(window: MainWindow) -> None:
    page = _page(window, "plans")
    page.edit_item()
    settle(window.ctx)
    (dialog,) = open_dialogs()
    assert isinstance(dialog, FormDialog)
    code = dialog.form.editors["code"].raw()
    plan_id, version = _plan(window.ctx.db, code)
    with window.ctx.db.session() as session:  # someone else saves first
        register.update_plan(
            session, plan_id=plan_id, expected_version=version, title="他人的标题", kind="special"
        )
    fill(dialog.form, title="我的标题")
    owner = dialog.form.editor("owner_unit_id")
    owner.setCurrentIndex((owner.currentIndex() + 1) % owner.count())
    owner_name = owner.currentText()
    dialog.accept()
    settle(window.ctx)
    (text,) = open_errors()
    assert f"预案 {code} 在您编辑期间已被他人修改" in text
    assert "预案名称：他人保存为“他人的标题”，您填写的是“我的标题”" in text
    assert "他人保存为“专项预案”" in text  # the kind by its label, as the form's drop-down
    assert f"您填写的是“{owner_name}”" in text  # the unit by its name, not its id
    for internal in ("owner_unit_id", "PlanKind", "<", "special", "evaluation_interval"):
        assert internal not in text
    assert "编号" not in text  # unchanged fields are not listed
    assert dialog.isVisible()  # nothing lost: the form stays open with the user's values
    assert _plan(window.ctx.db, code)[1] == version + 1


def test_conflicts_outside_a_form_show_values_not_reprs(demo_db: Database) -> None:
    with demo_db.session() as session:
        plan = session.scalars(select(Plan).order_by(Plan.code)).first()
        assert plan is not None and plan.kind != PlanKind.SPECIAL
        plan_id, code = plan.id, plan.code
        current = {"code": code, "kind": plan.kind, "title": "旧名称"}
    conflict = edit_conflict(
        table="plan",
        row_id=plan_id,
        expected_version=1,
        current=to_jsonable(current),
        attempted={"kind": "special", "title": "新名称", "owner_unit_id": 3},
    )
    assert code in str(conflict) and f"#{plan_id}" not in str(conflict)
    _title, text, _details = messages.describe(conflict)
    assert "类型：他人保存为“" in text and "您填写的是“专项预案”" in text
    assert "名称：他人保存为“旧名称”，您填写的是“新名称”" in text
    assert "以及其他 1 项" in text  # a field without a label is counted, not named
    assert "owner_unit_id" not in text and "<" not in text


def test_values_are_shown_as_people_read_them() -> None:
    assert messages.value_text("x", True) == "是" and messages.value_text("x", None) == "（空）"
    assert messages.value_text("x", ["台风", "暴雨"]) == "台风、暴雨"
    assert messages.value_text("x", "2027-01-01T09:30:00") == "2027-01-01 09:30"
    assert messages.value_text("x", "20270101") == "20270101"  # a code stays as typed


def test_vocabulary_members_become_their_codes() -> None:
    assert to_jsonable(PlanKind.GRASSROOTS) == "grassroots"
    assert to_jsonable({"kinds": [PlanKind.SPECIAL]}) == {"kinds": ["special"]}
    assert repr(to_jsonable(PlanKind.SPECIAL)) == "'special'"
