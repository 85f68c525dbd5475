"""The stock operations of the 物资储备 page (a mixin): which holder and lot they act on,
and the dialog each one opens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from drillplan.stock import ledger
from drillplan.ui_queries import choices

from drillplan.ui import stock_dialogs as sd
from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import tr

if TYPE_CHECKING:
    from drillplan.ui.stock_view import StockPage

    _Base = StockPage
else:
    _Base = object


class StockActions(_Base):
    def _holder_id(self) -> int | None:
        kind, _key, holder = self.selection()
        return holder if kind == "depot" else None

    def _with_choices(self, then: Any) -> None:
        """Load holders and materials, then open a dialog with them."""
        self.op(lambda s: (choices.holders(s), choices.materials(s)), lambda r: then(*r))

    def _dialog_saved(self, _result: Any = None) -> None:
        self.refresh()

    def receive(self) -> None:
        ctx = self.ctx
        holder = self._holder_id()

        def opened(holders: list[tuple[int, str]], materials: list[tuple[int, str]]) -> None:
            def save(session: Session, v: dict[str, Any]) -> Any:
                v = {k: val for k, val in v.items() if val is not None}
                return ledger.receive(session, operator=ctx.user, today=ctx.today(), **v)

            self.form(
                name="stockReceive",
                title=tr("入库"),
                fields=sd.receive_fields(holders, materials),
                values={"holder_id": holder, "on": ctx.as_of()},
                save=save,
                changes=("stock",),
                saved=self._dialog_saved,
            )

        self._with_choices(opened)

    def issue(self) -> None:
        ctx = self.ctx
        holder = self._holder_id()

        def opened(holders: list[tuple[int, str]], materials: list[tuple[int, str]]) -> None:
            def save(session: Session, v: dict[str, Any]) -> Any:
                v = {k: val for k, val in v.items() if val is not None}
                return ledger.issue(session, operator=ctx.user, today=ctx.today(), **v)

            dialog = sd.IssueDialog(
                self,
                ctx,
                save=save,
                fields=sd.issue_fields(holders, materials),
                values={"holder_id": holder, "on": ctx.as_of()},
                source=self,
            )
            dialog.saved.connect(self._dialog_saved)
            dialog.finished.connect(dialog.deleteLater)
            self.dialog = dialog
            dialog.open()

        self._with_choices(opened)

    def transfer(self) -> None:
        ctx = self.ctx
        holder = self._holder_id()

        def opened(holders: list[tuple[int, str]], materials: list[tuple[int, str]]) -> None:
            def save(session: Session, v: dict[str, Any]) -> Any:
                v = {k: val for k, val in v.items() if val is not None}
                return ledger.transfer(session, operator=ctx.user, today=ctx.today(), **v)

            self.form(
                name="stockTransfer",
                title=tr("调拨"),
                fields=sd.transfer_fields(holders, materials),
                values={"from_holder_id": holder, "on": ctx.as_of()},
                save=save,
                changes=("stock",),
                saved=self._dialog_saved,
            )

        self._with_choices(opened)

    def _lot_action(self, name: str, title: str, fields: Any, call: Any) -> None:
        lot_id = self.lots.current_id()
        if lot_id is None:
            self.tabs.setCurrentIndex(0)
            self.need_selection(tr("一个批次"))
            return
        ctx = self.ctx

        def opened(line: choices.LotLine | None) -> None:
            if line is None:
                return

            def save(session: Session, v: dict[str, Any]) -> Any:
                v = {k: val for k, val in v.items() if val is not None}
                return call(session, lot_id=lot_id, operator=ctx.user, today=ctx.today(), **v)

            caption = tr("{title}：{material} 批次 {batch}（结存 {qty} {uom}）").format(
                title=title,
                material=line.material,
                batch=line.batch_no,
                qty=f"{line.on_hand.normalize():f}",
                uom=line.uom,
            )
            self.form(
                name=name,
                title=caption,
                fields=fields,
                values={"on": ctx.as_of()},
                save=save,
                changes=("stock",),
                saved=self._dialog_saved,
            )

        self.op(lambda s: choices.lot_line(s, lot_id), opened)

    def write_off(self) -> None:
        self._lot_action("stockWriteOff", tr("报损"), sd.write_off_fields(), ledger.write_off)

    def rotate(self) -> None:
        self._lot_action("stockRotate", tr("轮换"), sd.rotate_fields(), ledger.rotate)

    def count(self) -> None:
        holder = self._holder_id()
        lot_id = self.lots.current_id()
        if holder is None and lot_id is None:
            self.need_selection(tr("储备库（左侧）或批次"))
            return
        item = self.tree.currentItem()
        name = item.data(0, 0) if holder is not None and item is not None else ""

        def opened(result: tuple[int, list[choices.LotLine]]) -> None:
            holder_id, lots = result
            dialog = sd.CountDialog(
                self, self.ctx, holder_id=holder_id, holder_name=str(name), lots=lots, source=self
            )
            dialog.saved.connect(self._dialog_saved)
            dialog.finished.connect(dialog.deleteLater)
            self.dialog = dialog
            dialog.open()

        def load(session: Session) -> tuple[int, list[choices.LotLine]]:
            holder_id = holder
            if holder_id is None:
                found = choices.lot_holder(session, lot_id)  # type: ignore[arg-type]
                assert found is not None
                holder_id = found[0]
            return holder_id, choices.lots_at(session, holder_id, in_stock_only=True)

        self.op(load, opened)

    def reverse(self) -> None:
        """冲正: undo a wrong movement with a compensating one (the ledger is never edited)."""
        row = self.ledger.current()
        if row is None:
            self.need_selection(tr("一条台账记录"))
            return
        ctx = self.ctx

        def save(session: Session, v: dict[str, Any]) -> Any:
            return ledger.reverse(
                session,
                movement_id=row.movement_id,
                on=v["on"],
                reason=v.get("reason") or "",
                operator=ctx.user,
                today=ctx.today(),
            )

        self.form(
            name="stockReverse",
            title=tr("冲正 {date} 的记录").format(date=row.moved_on.isoformat()),
            fields=[
                FieldSpec("on", tr("冲正日期"), "date", required=True, aliases=("date",)),
                FieldSpec("reason", tr("冲正原因"), required=True, max_length=150),
            ],
            values={"on": ctx.as_of()},
            save=save,
            changes=("stock",),
            saved=self._dialog_saved,
        )
