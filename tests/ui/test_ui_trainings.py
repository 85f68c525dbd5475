"""培训与宣教 page: list with filters, the event form, materials issued through the ledger with
the stock issue dialog, and the yearly totals."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from sqlalchemy import func, select

from drillplan.db.models import Movement, TrainingEvent
from drillplan.trainings import read
from tests.support.ui import AS_OF, closed, fill, settle, shown

from drillplan.ui.areas.trainings.page import TrainingsPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> TrainingsPage:
    p = shown(qtbot, ctx, TrainingsPage(ctx), (1200, 800))
    settle(ctx)
    return p


def _count(ctx: UiContext) -> int:
    with ctx.db.session() as session:
        return session.scalar(select(func.count(TrainingEvent.id))) or 0


def test_list_filters_and_totals(page: TrainingsPage, ctx: UiContext) -> None:
    with ctx.db.session() as session:
        rows = read.events_of_year(session, AS_OF.year)
        totals = read.totals(session, AS_OF.year)
    assert rows and page.panel.model.total == len(rows)  # the year filter starts on as_of's
    assert page.totals.rows_model.rows[-1][-1] == totals.total
    assert str(totals.total[1]) in page.totals_caption.text()
    box = page.panel.choice_boxes["kind"]
    box.setCurrentIndex(box.findData("school"))
    settle(ctx)
    assert page.panel.model.total == sum(1 for r in rows if r.kind == "school")


def test_create_through_the_form(page: TrainingsPage, ctx: UiContext) -> None:
    before = _count(ctx)
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    unit = page._choices[0][0][0]
    street = page._choices[1][0][0]
    fill(dialog.form, title="测试科普宣传", kind="publicity", organiser_unit_id=unit,
         street_unit_id=street, headcount="-1")  # fmt: skip
    dialog.accept()
    settle(ctx)
    assert _count(ctx) == before  # refused: the headcount
    fill(dialog.form, headcount="88")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    assert _count(ctx) == before + 1
    with ctx.db.session() as session:
        saved = session.scalar(select(TrainingEvent).where(TrainingEvent.title == "测试科普宣传"))
        assert saved is not None and saved.headcount == 88 and saved.street_unit_id == street


def test_issue_materials_goes_through_the_ledger(page: TrainingsPage, ctx: UiContext) -> None:
    page.panel.select_id(page.panel.current_id())
    event_id = page.panel.current_id()
    assert event_id is not None
    page.issue_materials()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    assert "document_no" not in dialog.form.editors  # the event's code is the document number
    with ctx.db.session() as session:
        code = session.get_one(TrainingEvent, event_id).code
        before = session.scalar(select(func.count(Movement.id)).where(Movement.document_no == code))
    holder = dialog.form.editors["holder_id"].spec.choices[0][0]
    fill(dialog.form, holder_id=holder)
    mats = dialog.form.editors["material_id"].spec.choices
    for material, _text in mats:  # the first material the depot has in stock
        fill(dialog.form, material_id=material, quantity="1")
        dialog.accept()
        settle(ctx)
        if closed(dialog):
            break
    assert closed(dialog)
    with ctx.db.session() as session:
        after = session.scalar(select(func.count(Movement.id)).where(Movement.document_no == code))
    assert after > before
    settle(ctx)
    assert page.issues.rows_model.rows
