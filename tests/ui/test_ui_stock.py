"""物资储备 page: the depot tree, stock operations as dialogs (FEFO preview), the ledger,
the expiry audit, depots and materials."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select

from PySide6.QtCore import Qt

from drillplan.db.models import Depot, Holder, Lot, Material, Movement
from drillplan.kernel.vocab import MovementKind
from drillplan.listing import fetch_ids
from drillplan.stock import read as stock_read
from drillplan.stock.listing import LOTS
from tests.support.ui import (
    AS_OF,
    answer_confirm,
    closed,
    error_under,
    fill,
    open_errors,
    settle,
    shown,  # fixtures: tests/ui/conftest.py
)

from drillplan.ui.areas.stock.dialogs import CountDialog, IssueDialog
from drillplan.ui.areas.stock.page import StockPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> StockPage:
    return shown(qtbot, ctx, StockPage(ctx), (1200, 760))


def a_depot_with_stock(ctx: UiContext) -> tuple[int, int, int, int]:
    """(depot id, holder id, material id, lot id) of a depot lot that is usable on AS_OF."""
    with ctx.db.session() as session:
        lot = session.scalars(
            select(Lot)
            .join(Holder, Lot.holder_id == Holder.id)
            .where(Holder.depot_id.is_not(None), Lot.on_hand > 10, Lot.expiry_date > AS_OF)
            .order_by(Lot.id)
        ).first()
        assert lot is not None
        return lot.holder.depot_id, lot.holder_id, lot.material_id, lot.id  # type: ignore[return-value]


def test_tree_filters_the_lots(page: StockPage, ctx: UiContext) -> None:
    depot_id, holder_id, _m, _l = a_depot_with_stock(ctx)
    total = page.lots.model.total
    assert page.select_depot(depot_id)
    settle(ctx)
    with ctx.db.session() as session:
        expected = fetch_ids(session, LOTS, filters=["in_stock"], equals={"depot_id": depot_id})
    assert page.lots.model.total == len(expected) < total
    with ctx.db.session() as session:
        code = session.get(Depot, depot_id).code  # type: ignore[union-attr]
        quotas = stock_read.depot_quotas(session, code, AS_OF)
    assert page.quotas.rows_model.rowCount() == len(quotas)  # the depot's quotas
    assert page.stock_actions.holder_id() == holder_id
    page.tree.setCurrentItem(page.tree.topLevelItem(0))
    assert page.lots.model.total == total


def test_receive_with_errors_then_saved(page: StockPage, ctx: UiContext) -> None:
    depot_id, holder_id, material_id, _lot = a_depot_with_stock(ctx)
    page.select_depot(depot_id)
    page.stock_actions.receive()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    assert dialog.form.editors["holder_id"].raw() == holder_id  # the selected depot
    fill(dialog.form, material_id=material_id, quantity="-3", batch_no="UI-2025-01")
    dialog.accept()
    settle(ctx)
    assert "大于 0" in error_under(dialog.form, "quantity")
    fill(dialog.form, quantity="12", on="2099-01-01")
    dialog.accept()
    settle(ctx)
    assert "晚于今天" in error_under(dialog.form, "on")
    with ctx.db.session() as session:
        assert session.scalar(select(Lot.id).where(Lot.batch_no == "UI-2025-01")) is None
    fill(dialog.form, on=AS_OF.isoformat(), expiry_date="2027-06-01")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        lot = session.scalar(select(Lot).where(Lot.batch_no == "UI-2025-01"))
        assert lot is not None and lot.on_hand == Decimal(12) and lot.holder_id == holder_id


def test_issue_shows_the_fefo_lots_before_saving(page: StockPage, ctx: UiContext) -> None:
    depot_id, _holder, material_id, _lot = a_depot_with_stock(ctx)
    page.select_depot(depot_id)
    page.stock_actions.issue()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, IssueDialog)
    fill(dialog.form, material_id=material_id, quantity="3")
    dialog.update_preview()
    settle(ctx)
    picks = dialog.preview.rows_model.rows
    assert picks and sum(p.take for p in picks) == Decimal(3)
    expiries = [p.expiry_date for p in picks]
    assert expiries == sorted(expiries)
    fill(dialog.form, quantity="999999")
    dialog.update_preview()
    settle(ctx)
    assert not dialog.preview.rows_model.rows and "超过" in error_under(dialog.form, "quantity")
    fill(dialog.form, quantity="3", counterpart="界面测试领用")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        issued = session.scalar(
            select(func.sum(Movement.quantity)).where(
                Movement.kind == MovementKind.ISSUE, Movement.counterpart == "界面测试领用"
            )
        )
    assert issued == Decimal(-3)


def test_write_off_rotate_and_ledger(page: StockPage, ctx: UiContext) -> None:
    _depot, _holder, _material, lot_id = a_depot_with_stock(ctx)
    assert page.lots.select_id(lot_id)
    settle(ctx)
    before = len(page.ledger.rows_model.rows)
    assert before > 0 and page.ledger.rows_model.rows[-1].balance > 0
    page.stock_actions.write_off()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, quantity="1", reason="damaged", note="受潮")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    page.lots.select_id(lot_id)
    settle(ctx)
    assert len(page.ledger.rows_model.rows) == before + 1
    assert page.ledger.rows_model.rows[-1].kind == "write_off"
    page.ledger.choose_row(len(page.ledger.rows_model.rows) - 1)
    page.stock_actions.reverse()  # undo the write-off
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    dialog.accept()
    assert error_under(dialog.form, "reason")  # a reason is required
    fill(dialog.form, reason="录错数量")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    page.lots.select_id(lot_id)
    settle(ctx)
    assert page.ledger.rows_model.rows[-1].kind == "reversal"
    page.stock_actions.rotate()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, new_batch_no="ROT-UI-01", new_expiry_date="2030-01-01", quantity="1")
    dialog.accept()
    settle(ctx)
    assert closed(dialog), error_under(dialog.form, "new_expiry_date")
    with ctx.db.session() as session:
        assert session.scalar(select(Lot.id).where(Lot.batch_no == "ROT-UI-01")) is not None


def test_count_adjusts_the_book(page: StockPage, ctx: UiContext) -> None:
    depot_id, _holder, _material, _lot = a_depot_with_stock(ctx)
    page.select_depot(depot_id)
    page.stock_actions.count()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, CountDialog)
    lot = dialog.lots[0]
    dialog.set_counted(0, "abc")
    dialog.accept()
    settle(ctx)
    assert any("不是数字" in t for t in open_errors()) or dialog.general_error.isVisible()
    dialog.set_counted(0, str(lot.on_hand - 1))
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        assert session.get(Lot, lot.lot_id).on_hand == lot.on_hand - 1  # type: ignore[union-attr]


def test_expiry_audit_with_horizon_and_status_text(page: StockPage, ctx: UiContext) -> None:
    page.show_tab("expiry")
    settle(ctx)
    view = page.expiry
    assert [view.horizon.itemData(i) for i in range(view.horizon.count())] == [30, 90, 180]
    lots_90 = view.rows()
    assert lots_90 and {r.status for r in lots_90} <= {"expired", "within_90"}
    model = view.views["lots"].rows_model
    status_column = next(i for i, c in enumerate(model.columns) if c.title == "状态")
    expired_row = next(i for i, r in enumerate(lots_90) if r.status == "expired")
    assert model.index(expired_row, status_column).data() == "已过期"
    colour = model.index(expired_row, status_column).data(Qt.ItemDataRole.ForegroundRole)
    assert colour.name() == "#b3261e"
    view.horizon.setCurrentIndex(view.horizon.findData(180))
    settle(ctx)
    assert len(view.rows()) >= len(lots_90)
    view.kind.setCurrentIndex(1)
    settle(ctx)
    assert view.current_kind() == "certificates" and view.rows()


def test_depots_and_materials(
    page: StockPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.show_tab("depots")
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(
        dialog.form,
        code="CK-UI-01",
        name="测试储备点",
        tier="street",
        owner_unit_id=page._units[0][0],
        keeper_phone="021-1234",
    )
    assert error_under(dialog.form, "keeper_phone")
    fill(dialog.form, keeper_phone="13800138000")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        depot = session.scalar(select(Depot).where(Depot.code == "CK-UI-01"))
        assert depot is not None
        assert session.scalar(select(Holder.id).where(Holder.depot_id == depot.id)) is not None
    page.depots.search.setText("CK-UI-01")
    page.depots._apply_search()
    page.edit_item()
    settle(ctx)
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, keeper="王强")
    dialog.accept()
    settle(ctx)
    answer_confirm(monkeypatch, True)
    page.delete_item()
    settle(ctx)
    with ctx.db.session() as session:
        assert session.scalar(select(Depot).where(Depot.code == "CK-UI-01")) is None

    page.show_tab("materials")
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, code="12345", name="测试物资", uom="件")
    dialog.accept()
    settle(ctx)
    assert "7 位数字" in error_under(dialog.form, "code")
    fill(dialog.form, code="9990001")
    dialog.accept()
    settle(ctx)
    with ctx.db.session() as session:
        assert session.scalar(select(Material.id).where(Material.code == "9990001")) is not None
