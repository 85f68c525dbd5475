"""The stock operations of the 物资储备 page: which holder and lot they act on, and the
dialog each one opens. The page owns one :class:`StockActions` and wires its buttons to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.orm import Session

from drillplan.stock import ledger
from drillplan.stock import read as stock_read
from drillplan.stock.read import LotContext

from drillplan.ui.area import PageHost
from drillplan.ui.areas.stock import dialogs as sd
from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import tr


class StockHost(PageHost, Protocol):
    """What the stock operations need of their page."""

    def selection(self) -> tuple[str, Any, Any]:
        """(kind, key, holder id) of the depot tree's current node."""
        ...

    def selection_caption(self) -> str: ...

    def current_lot(self) -> int | None: ...

    def selected_lot(self) -> int | None:
        """The lot the user is looking at (the lots tab's current row), else None."""
        ...

    def current_movement(self) -> stock_read.LedgerRow | None: ...

    def show_tab(self, name: str) -> None: ...

    def refresh(self) -> None: ...


Choices = list[tuple[int, str]]


def _from_lot(lot: LotContext, holder_key: str) -> dict[str, Any]:
    return {holder_key: lot.holder_id, "material_id": lot.material_id, "lot_id": lot.line.lot_id}


class StockActions:
    def __init__(self, page: StockHost) -> None:
        self.page = page

    def holder_id(self) -> int | None:
        """The holder of the depot chosen in the tree (None: a tier or every depot)."""
        kind, _key, holder = self.page.selection()
        return holder if kind == "depot" else None

    def _with_choices(self, then: Callable[..., None]) -> None:
        """Load holders, materials and the selected lot (if any), then open a dialog with
        them: an operation started on a lot preselects its holder, material and lot."""
        lot_id = self.page.selected_lot()
        self.page.op(
            lambda s: (
                stock_read.holder_choices(s),
                stock_read.material_choices(s),
                stock_read.lot_context(s, lot_id) if lot_id is not None else None,
            ),
            lambda r: then(*r),
        )

    def _saved(self, _result: Any = None) -> None:
        self.page.refresh()

    def _save_with(self, call: Callable[..., Any], **fixed: Any) -> Any:
        """A form's save: ``call`` with the non-empty values, the operator and today."""
        ctx = self.page.ctx

        def save(session: Session, v: dict[str, Any]) -> Any:
            v = {k: val for k, val in v.items() if val is not None}
            if "lot_id" in v:  # the lot chosen in the form: take from it, not FEFO
                v["lot_ids"] = [v.pop("lot_id")]
            return call(session, operator=ctx.user, today=ctx.today(), **fixed, **v)

        return save

    def receive(self) -> None:
        holder, as_of = self.holder_id(), self.page.ctx.as_of()

        def opened(holders: Choices, materials: Choices, lot: LotContext | None) -> None:
            values: dict[str, Any] = {"holder_id": holder, "on": as_of}
            if lot is not None:  # another batch of the selected lot's material, same place
                values |= {"holder_id": lot.holder_id, "material_id": lot.material_id}
            self.page.form(
                name="stockReceive",
                title=tr("入库"),
                fields=sd.receive_fields(holders, materials),
                values=values,
                save=self._save_with(ledger.receive),
                changes=("stock",),
                saved=self._saved,
            )

        self._with_choices(opened)

    def issue(self) -> None:
        holder, page = self.holder_id(), self.page

        def opened(holders: Choices, materials: Choices, lot: LotContext | None) -> None:
            values: dict[str, Any] = {"holder_id": holder, "on": page.ctx.as_of()}
            if lot is not None:
                values |= _from_lot(lot, "holder_id")
            dialog = sd.IssueDialog(
                page.widget(),
                page.ctx,
                save=self._save_with(ledger.issue),
                fields=sd.issue_fields(holders, materials, lot.line if lot else None),
                values=values,
                source=page,
                lot=lot,
            )
            page.open_dialog(dialog, self._saved)

        self._with_choices(opened)

    def transfer(self) -> None:
        holder, as_of = self.holder_id(), self.page.ctx.as_of()

        def opened(holders: Choices, materials: Choices, lot: LotContext | None) -> None:
            values: dict[str, Any] = {"from_holder_id": holder, "on": as_of}
            if lot is not None:
                values |= _from_lot(lot, "from_holder_id")
            self.page.form(
                name="stockTransfer",
                title=tr("调拨"),
                fields=sd.transfer_fields(holders, materials, lot.line if lot else None),
                values=values,
                save=self._save_with(ledger.transfer),
                changes=("stock",),
                saved=self._saved,
            )

        self._with_choices(opened)

    def _lot_action(self, name: str, title: str, fields: Any, call: Callable[..., Any]) -> None:
        lot_id = self.page.current_lot()
        if lot_id is None:
            self.page.show_tab("lots")
            self.page.need_selection(tr("一个批次"))
            return
        as_of = self.page.ctx.as_of()

        def opened(line: stock_read.LotLine | None) -> None:
            if line is None:
                return
            caption = tr("{title}：{material} 批次 {batch}（结存 {qty} {uom}）").format(
                title=title,
                material=line.material,
                batch=line.batch_no,
                qty=f"{line.on_hand.normalize():f}",
                uom=line.uom,
            )
            self.page.form(
                name=name,
                title=caption,
                fields=fields,
                values={"on": as_of},
                save=self._save_with(call, lot_id=lot_id),
                changes=("stock",),
                saved=self._saved,
            )

        self.page.op(lambda s: stock_read.lot_line(s, lot_id), opened)

    def write_off(self) -> None:
        self._lot_action("stockWriteOff", tr("报损"), sd.write_off_fields(), ledger.write_off)

    def rotate(self) -> None:
        self._lot_action("stockRotate", tr("轮换"), sd.rotate_fields(), ledger.rotate)

    def count(self) -> None:
        holder, lot_id, page = self.holder_id(), self.page.current_lot(), self.page
        if holder is None and lot_id is None:
            page.need_selection(tr("储备库（左侧）或批次"))
            return
        name = page.selection_caption() if holder is not None else ""

        def opened(result: tuple[int, list[stock_read.LotLine]]) -> None:
            holder_id, lots = result
            dialog = sd.CountDialog(
                page.widget(),
                page.ctx,
                holder_id=holder_id,
                holder_name=name,
                lots=lots,
                source=page,
            )
            page.open_dialog(dialog, self._saved)

        def load(session: Session) -> tuple[int, list[stock_read.LotLine]]:
            holder_id = holder
            if holder_id is None:
                found = stock_read.lot_holder(session, lot_id)  # type: ignore[arg-type]
                assert found is not None
                holder_id = found[0]
            return holder_id, stock_read.lots_at(session, holder_id, in_stock_only=True)

        page.op(load, opened)

    def reverse(self) -> None:
        """冲正: undo a wrong movement with a compensating one (the ledger is never edited)."""
        row = self.page.current_movement()
        if row is None:
            self.page.need_selection(tr("一条台账记录"))
            return
        ctx = self.page.ctx

        def save(session: Session, v: dict[str, Any]) -> Any:
            return ledger.reverse(
                session,
                movement_id=row.movement_id,
                on=v["on"],
                reason=v.get("reason") or "",
                operator=ctx.user,
                today=ctx.today(),
            )

        self.page.form(
            name="stockReverse",
            title=tr("冲正 {date} 的记录").format(date=row.moved_on.isoformat()),
            fields=[
                FieldSpec("on", tr("冲正日期"), "date", required=True, aliases=("date",)),
                FieldSpec("reason", tr("冲正原因"), required=True, max_length=150),
            ],
            values={"on": ctx.as_of()},
            save=save,
            changes=("stock",),
            saved=self._saved,
        )
