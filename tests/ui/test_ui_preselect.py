"""Actions preselect what is selected: 出库/调拨/入库 started on a lot take its holder,
material and lot; 添加队员 names the selected team."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import select

from drillplan.db.models import Holder, Lot, Movement
from drillplan.kernel.vocab import MovementKind
from tests.support.ui import AS_OF, closed, fill, settle, shown

from drillplan.ui.areas.stock.dialogs import IssueDialog
from drillplan.ui.areas.stock.page import ROLE, StockPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> StockPage:
    return shown(qtbot, ctx, StockPage(ctx), (1200, 760))


def a_later_lot(ctx: UiContext) -> Lot:
    """A usable depot lot that is NOT the one FEFO would take first (another lot of the same
    material at the same depot expires earlier)."""
    with ctx.db.session() as session:
        lots = session.scalars(
            select(Lot)
            .join(Holder, Lot.holder_id == Holder.id)
            .where(Holder.depot_id.is_not(None), Lot.on_hand > 5, Lot.expiry_date > AS_OF)
            .order_by(Lot.holder_id, Lot.material_id, Lot.expiry_date, Lot.id)
        ).all()
        for first, second in pairwise(lots):
            if (first.holder_id, first.material_id) == (second.holder_id, second.material_id):
                session.expunge(second)
                return second
    raise AssertionError("the demo has no depot with two usable lots of one material")


def select_lot(page: StockPage, ctx: UiContext, lot: Lot) -> None:
    with ctx.db.session() as session:
        depot_id = session.get_one(Holder, lot.holder_id).depot_id
    assert depot_id is not None and page.select_depot(depot_id)
    settle(ctx)
    page.show_tab("lots")
    assert page.lots.select_id(lot.id)


def test_issue_on_a_lot_takes_that_lot_not_fefo(page: StockPage, ctx: UiContext) -> None:
    lot = a_later_lot(ctx)
    select_lot(page, ctx, lot)
    page.stock_actions.issue()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, IssueDialog)
    editors = dialog.form.editors
    assert editors["holder_id"].raw() == lot.holder_id
    assert editors["material_id"].raw() == lot.material_id
    assert editors["lot_id"].raw() == lot.id
    fill(dialog.form, quantity="2", counterpart="预选批次领用")
    dialog.update_preview()
    settle(ctx)
    assert [(p.lot_id, p.take) for p in dialog.preview.rows_model.rows] == [(lot.id, Decimal(2))]
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        taken = session.execute(
            select(Movement.lot_id, Movement.quantity).where(
                Movement.kind == MovementKind.ISSUE, Movement.counterpart == "预选批次领用"
            )
        ).all()
    assert [tuple(t) for t in taken] == [(lot.id, Decimal(-2))]


def test_another_material_falls_back_to_fefo(page: StockPage, ctx: UiContext) -> None:
    lot = a_later_lot(ctx)
    select_lot(page, ctx, lot)
    page.stock_actions.issue()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, IssueDialog)
    picker = dialog.form.editor("material_id")
    other = next(i for i in range(picker.count()) if picker.itemData(i) != lot.material_id)
    picker.setCurrentIndex(other)
    assert dialog.form.editors["lot_id"].raw() is None  # 按有效期先出
    picker.setCurrentIndex(picker.findData(lot.material_id))
    assert dialog.form.editors["lot_id"].raw() == lot.id
    dialog.reject()


def test_transfer_and_receive_on_a_lot(page: StockPage, ctx: UiContext) -> None:
    lot = a_later_lot(ctx)
    select_lot(page, ctx, lot)
    page.stock_actions.transfer()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    editors = dialog.form.editors
    assert editors["from_holder_id"].raw() == lot.holder_id
    assert (editors["material_id"].raw(), editors["lot_id"].raw()) == (lot.material_id, lot.id)
    dialog.reject()
    settle(ctx)
    page.stock_actions.receive()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    editors = dialog.form.editors
    assert (editors["holder_id"].raw(), editors["material_id"].raw()) == (
        lot.holder_id,
        lot.material_id,
    )
    assert "lot_id" not in editors  # a receipt makes a new batch
    dialog.reject()


def test_issue_from_the_ledger_tab_preselects_no_lot(page: StockPage, ctx: UiContext) -> None:
    lot = a_later_lot(ctx)
    select_lot(page, ctx, lot)
    page.show_tab("ledger")
    page.stock_actions.issue()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, IssueDialog)
    assert "lot_id" not in dialog.form.editors
    assert dialog.form.editors["holder_id"].raw() == lot.holder_id  # the depot in the tree
    dialog.reject()


def test_new_depot_preselects_the_tier_chosen_in_the_tree(page: StockPage, ctx: UiContext) -> None:
    street = next(i for i in page._tree_items() if i.data(0, ROLE)[:2] == ("tier", "street"))
    page.tree.setCurrentItem(street)
    settle(ctx)
    page.catalogue.new_depot()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    assert dialog.form.editors["tier"].raw() == "street"
    dialog.reject()
