"""调拨申请 page: the list with its state filter, the new-request form refusing more than the
holder has, and a request taken through approve (in part), dispatch, receipt and printing."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from drillplan.db.models import AllocationRequest
from drillplan.kernel.vocab import RequestState
from tests.support.ui import closed, error_under, fill, settle, shown

from drillplan.ui import opener
from drillplan.ui.areas.requests.page import RequestsPage
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog

pytestmark = pytest.mark.ui


@pytest.fixture
def page(qtbot: Any, ctx: UiContext) -> RequestsPage:
    return shown(qtbot, ctx, RequestsPage(ctx), (1200, 760))


def _request(ctx: UiContext, state: RequestState) -> AllocationRequest:
    with ctx.db.session() as session:
        found = session.scalars(
            select(AllocationRequest).where(AllocationRequest.state == state)
        ).first()
        assert found is not None
        session.expunge(found)
        return found


def _state(ctx: UiContext, request_id: int) -> RequestState:
    with ctx.db.session() as session:
        return session.get_one(AllocationRequest, request_id).state


def _select(page: RequestsPage, ctx: UiContext, request_id: int) -> None:
    assert page.panel.select_id(request_id)
    settle(ctx)
    assert page.record is not None and page.record["id"] == request_id


def test_list_and_state_filter(page: RequestsPage, ctx: UiContext) -> None:
    with ctx.db.session() as session:
        total = session.scalar(select(func.count(AllocationRequest.id)))
    assert page.panel.model.total == total == 7
    box = page.state_filter
    box.setCurrentIndex(box.findData(RequestState.DISPATCHED.value))
    settle(ctx)
    assert page.panel.model.total == 1
    box.setCurrentIndex(0)
    settle(ctx)
    assert page.panel.model.total == total


def test_new_request_refuses_more_than_usable(page: RequestsPage, ctx: UiContext) -> None:
    source = _request(ctx, RequestState.REQUESTED)
    page.new_item()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    with ctx.db.session() as session:
        line = session.get_one(AllocationRequest, source.id).lines[0]
        material_id = line.material_id
    fill(
        dialog.form,
        requester_holder_id=source.requester_holder_id,
        holder_id=source.holder_id,
        material_id=material_id,
        quantity="999999",
    )
    dialog.accept()
    settle(ctx)
    assert "可用库存" in error_under(dialog.form, "quantity")
    fill(dialog.form, quantity="1")
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    with ctx.db.session() as session:
        assert session.scalar(select(func.count(AllocationRequest.id))) == 8


def test_approve_in_part_dispatch_receive_and_print(
    page: RequestsPage, ctx: UiContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[Path] = []
    monkeypatch.setattr(opener, "system_open", lambda path: opened.append(path) or True)
    request = _request(ctx, RequestState.REQUESTED)
    _select(page, ctx, request.id)
    assert page.record is not None
    line = page.record["lines"][0]
    key = f"line_{line['material_code']}"
    asked = Decimal(line["requested"])
    page.approve()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, **{key: str(asked + 1)})
    dialog.accept()
    settle(ctx)
    assert "超过申请数量" in error_under(dialog.form, key)
    fill(dialog.form, **{key: str(asked - 1)})
    dialog.accept()
    settle(ctx)
    assert closed(dialog)
    assert _state(ctx, request.id) is RequestState.PARTLY_APPROVED
    _select(page, ctx, request.id)
    page.dispatch()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, dispatch_note_no="QP-DB-UI-1")
    dialog.accept()
    settle(ctx)
    assert closed(dialog) and _state(ctx, request.id) is RequestState.DISPATCHED
    _select(page, ctx, request.id)
    page.receive()
    dialog = page.dialog
    assert isinstance(dialog, FormDialog)
    fill(dialog.form, **{key: str(asked)})  # more than the asked - 1 dispatched
    dialog.accept()
    settle(ctx)
    assert "超过发运数量" in error_under(dialog.form, key)
    assert _state(ctx, request.id) is RequestState.DISPATCHED
    fill(dialog.form, **{key: str(asked - 1)})
    dialog.accept()
    settle(ctx)
    assert closed(dialog) and _state(ctx, request.id) is RequestState.RECEIVED
    _select(page, ctx, request.id)
    assert "已接收" in page.detail.text()
    page.print_note()
    settle(ctx)
    assert page.printed and Path(page.printed[0]).stat().st_size > 0
    assert opened == [Path(page.printed[0])]
