"""避难场所 page: the register with overdue colours, the form, recording an inspection, the
class editor and the audit side lists (demo data, offscreen)."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from typing import Any

import pytest
from sqlalchemy import func, select

from PySide6.QtCore import Qt

from drillplan.db.models import Facility, FacilityClass, FacilityInspection
from tests.support.ui import AS_OF, error_under, fill, settle, shown

from drillplan.ui.areas.facilities.classes_dialog import ClassesDialog
from drillplan.ui.areas.facilities.page import FacilitiesPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog
from drillplan.ui.rows_model import TONES

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> FacilitiesPage:
    shown_page = shown(qtbot, ctx, FacilitiesPage(ctx), (1366, 760))
    settle(ctx)
    return shown_page


def _count(ctx: UiContext, model: Any) -> int:
    with ctx.db.session() as session:
        return int(session.scalar(select(func.count(model.id))) or 0)


def test_the_register_and_the_audit_lists(page: FacilitiesPage, ctx: UiContext) -> None:
    assert page.view.rows_model.rowCount() == _count(ctx, Facility) >= 15
    assert page.streets.rows_model.rowCount() == 11  # the 11 streets and towns
    overdue = {i.name for i in page.overdue.rows_model.rows}
    assert "白鹤中学" in overdue
    names = [r["name"] for r in page.view.rows_model.rows]
    row = names.index("白鹤中学")
    due_column = 7
    colour = page.view.rows_model.index(row, due_column).data(Qt.ItemDataRole.ForegroundRole)
    assert colour == TONES["bad"]
    page.search.setText("朱家角")
    assert {r["street_name"] for r in page.view.rows_model.rows} == {"朱家角镇"}
    assert page.count.text().startswith("共 ")


def test_new_facility_through_the_form(page: FacilitiesPage, ctx: UiContext) -> None:
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    form = dialog.form
    fill(form, code="QP-BN-099", name="青浦区测试避难点", capacity_people="300", phone="12345")
    assert "格式不正确" in error_under(form, "phone")  # checked when leaving the field
    fill(form, phone="021-59729999")
    form.editors["class_id"].set(page._classes[0][0])
    form.editors["street_unit_id"].set(page._streets[0][0])
    form.editors["unit_in_charge_id"].set(page._units[0][0])
    form.editors["amenities"].set(["water", "toilets"])
    dialog.accept()
    settle(ctx)
    with ctx.db.session() as session:
        made = session.scalar(select(Facility).where(Facility.code == "QP-BN-099"))
        assert made is not None and made.amenities == ["water", "toilets"]
    settle(ctx)
    assert "QP-BN-099" in [r["code"] for r in page.view.rows_model.rows]


def test_record_an_inspection(page: FacilitiesPage, ctx: UiContext) -> None:
    before = _count(ctx, FacilityInspection)
    page.view.choose_row(0)
    page.record_inspection()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, inspector="张伟")
    dialog.accept()
    settle(ctx)
    assert _count(ctx, FacilityInspection) == before + 1
    settle(ctx)
    assert page.view.rows_model.rows[0]["last_inspected_on"] >= AS_OF


def test_the_class_editor(page: FacilitiesPage, ctx: UiContext, qtbot: Any) -> None:
    page.edit_classes()
    dialog = page.dialog
    assert isinstance(dialog, ClassesDialog)
    settle(ctx)
    assert dialog.view.rows_model.rowCount() == _count(ctx, FacilityClass) == 5
    dialog.new()
    child = dialog.child
    assert child is not None
    fill(child.form, code="PARK", name="公园应急避难点", kind="shelter_point")
    child.accept()
    settle(ctx)
    assert _count(ctx, FacilityClass) == 6
    dialog.reject()
