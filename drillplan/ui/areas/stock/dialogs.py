"""The stock operations as dialogs: receive, issue (with its FEFO preview), transfer,
write off, rotate and count. Each calls one function of :mod:`drillplan.stock.ledger`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QLabel, QLineEdit, QTableWidget, QTableWidgetItem, QWidget

from drillplan.kernel.errors import ValidationError
from drillplan.stock import ledger
from drillplan.stock import read as stock_read
from drillplan.stock.ledger import WRITE_OFF_REASONS
from drillplan.stock.read import LotContext, LotLine

from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import FormDialog
from drillplan.ui.forms import FieldSpec, _message
from drillplan.ui.i18n import pick, tr
from drillplan.ui.ops import Op
from drillplan.ui.rows_model import Col, RowsView, show

Choices = list[tuple[int, str]]


def receive_fields(holders: Choices, materials: Choices) -> list[FieldSpec]:
    return [
        FieldSpec(
            "holder_id",
            tr("入库到"),
            "choice",
            required=True,
            choices=holders,
            aliases=("holder",),
            searchable=True,
        ),
        FieldSpec(
            "material_id",
            tr("物资"),
            "choice",
            required=True,
            choices=materials,
            aliases=("material",),
            searchable=True,
        ),
        FieldSpec("quantity", tr("数量"), "decimal", required=True),
        FieldSpec("on", tr("入库日期"), "date", required=True, aliases=("date",)),
        FieldSpec("batch_no", tr("批次号"), required=True, max_length=60),
        FieldSpec("production_date", tr("生产日期"), "date"),
        FieldSpec("expiry_date", tr("有效期至"), "date", hint=tr("留空时按生产日期加保质期计算")),
        FieldSpec("unit_cost", tr("单价（元）"), "decimal"),
        FieldSpec("supplier", tr("供应商"), max_length=120),
        FieldSpec("source", tr("来源"), max_length=60, placeholder=tr("采购 / 调拨 / 捐赠")),
        FieldSpec("location", tr("库位"), max_length=60),
        FieldSpec("document_no", tr("单据号"), max_length=60),
        FieldSpec("reason", tr("备注"), max_length=200),
    ]


def lot_fields(lot: LotLine | None) -> list[FieldSpec]:
    """The lot to take from when the operation starts from a selected lot (else FEFO)."""
    if lot is None:
        return []
    expiry = lot.expiry_date.isoformat() if lot.expiry_date else "—"
    caption = tr("批次 {batch}（有效期至 {expiry}，结存 {qty} {uom}）").format(
        batch=lot.batch_no, expiry=expiry, qty=f"{lot.on_hand.normalize():f}", uom=lot.uom
    )
    return [
        FieldSpec(
            "lot_id",
            tr("出自批次"),
            "choice",
            choices=[(lot.lot_id, caption), (None, tr("按有效期先出（自动选批次）"))],
            aliases=("lot_ids",),
        )
    ]


def issue_fields(
    holders: Choices, materials: Choices, lot: LotLine | None = None
) -> list[FieldSpec]:
    return [
        FieldSpec(
            "holder_id",
            tr("出库自"),
            "choice",
            required=True,
            choices=holders,
            aliases=("holder",),
            searchable=True,
        ),
        FieldSpec(
            "material_id",
            tr("物资"),
            "choice",
            required=True,
            choices=materials,
            aliases=("material",),
            searchable=True,
        ),
        *lot_fields(lot),
        FieldSpec("quantity", tr("数量"), "decimal", required=True),
        FieldSpec("on", tr("出库日期"), "date", required=True, aliases=("date",)),
        FieldSpec("counterpart", tr("领用单位/人"), max_length=120),
        FieldSpec("reason", tr("用途"), max_length=200),
        FieldSpec("document_no", tr("单据号"), max_length=60),
        FieldSpec(
            "force_expired_reason",
            tr("发放过期物资的原因"),
            max_length=200,
            aliases=("lot_ids",),
            hint=tr("只有填写原因时才会发放已过期的批次"),
        ),
    ]


def transfer_fields(
    holders: Choices, materials: Choices, lot: LotLine | None = None
) -> list[FieldSpec]:
    return [
        FieldSpec(
            "from_holder_id",
            tr("调出方"),
            "choice",
            required=True,
            choices=holders,
            aliases=("from_holder",),
            searchable=True,
        ),
        FieldSpec(
            "to_holder_id",
            tr("调入方"),
            "choice",
            required=True,
            choices=holders,
            aliases=("to_holder",),
            searchable=True,
        ),
        FieldSpec(
            "material_id",
            tr("物资"),
            "choice",
            required=True,
            choices=materials,
            aliases=("material", "lot"),
            searchable=True,
        ),
        *lot_fields(lot),
        FieldSpec("quantity", tr("数量"), "decimal", required=True),
        FieldSpec("on", tr("调拨日期"), "date", required=True, aliases=("date",)),
        FieldSpec("reason", tr("事由"), max_length=200),
        FieldSpec("document_no", tr("单据号"), max_length=60),
    ]


def write_off_fields() -> list[FieldSpec]:
    reasons = [(k, pick(zh, en)) for k, (zh, en) in WRITE_OFF_REASONS.items()]
    return [
        FieldSpec("quantity", tr("数量"), "decimal", required=True),
        FieldSpec("on", tr("报损日期"), "date", required=True, aliases=("date",)),
        FieldSpec("reason", tr("报损原因"), "choice", required=True, choices=reasons),
        FieldSpec("note", tr("说明"), max_length=150),
        FieldSpec("document_no", tr("单据号"), max_length=60),
    ]


def rotate_fields() -> list[FieldSpec]:
    return [
        FieldSpec("new_batch_no", tr("新批次号"), required=True, max_length=60),
        FieldSpec("new_production_date", tr("新批次生产日期"), "date"),
        FieldSpec("new_expiry_date", tr("新批次有效期至"), "date"),
        FieldSpec("quantity", tr("轮换数量"), "decimal", hint=tr("留空则轮换全部结存")),
        FieldSpec("on", tr("轮换日期"), "date", required=True, aliases=("date",)),
        FieldSpec("unit_cost", tr("新批次单价（元）"), "decimal"),
        FieldSpec("supplier", tr("供应商"), max_length=120),
        FieldSpec("document_no", tr("单据号"), max_length=60),
    ]


class IssueDialog(FormDialog):
    """Issue stock; the lots FEFO will take are shown as holder, material or quantity change."""

    def __init__(
        self,
        parent: QWidget | None,
        ctx: UiContext,
        *,
        save: Callable[[Session, dict[str, Any]], Any],
        fields: list[FieldSpec],
        values: dict[str, Any],
        source: object,
        lot: LotContext | None = None,
    ) -> None:
        super().__init__(
            parent,
            ctx,
            name="stockIssue",
            title=tr("出库（先到期先出）"),
            fields=fields,
            save=save,
            values=values,
            areas=("stock",),
            source=source,
        )
        self.lot_of = (lot.holder_id, lot.material_id) if lot is not None else None
        self.lot_of_id = lot.line.lot_id if lot is not None else None
        self.preview_note = QLabel(tr("将按有效期先后从以下批次出库："), self)
        self.preview = RowsView(
            [
                Col(tr("批次号"), lambda p: p.batch_no),
                Col(tr("有效期至"), lambda p: p.expiry_date),
                Col(tr("结存"), lambda p: p.on_hand, right=True),
                Col(tr("本次出库"), lambda p: p.take, right=True),
            ],
            "fefoPreview",
            self,
        )
        self.preview.setMaximumHeight(150)
        layout = self.layout()
        layout.insertWidget(layout.count() - 2, self.preview_note)
        layout.insertWidget(layout.count() - 2, self.preview)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(300)
        self._timer.timeout.connect(self.update_preview)
        for key in ("holder_id", "material_id"):
            self.form.editor(key).currentIndexChanged.connect(lambda _i: self._other_stock())
        if "lot_id" in self.form.editors:
            self.form.editor("lot_id").currentIndexChanged.connect(lambda _i: self._timer.start())
        quantity = self.form.editor("quantity")
        assert isinstance(quantity, QLineEdit)
        quantity.textChanged.connect(lambda _t: self._timer.start())
        self.form.editor("force_expired_reason").textChanged.connect(lambda _t: self._timer.start())
        self.update_preview()

    def _other_stock(self) -> None:
        """Another holder or material: the preselected lot no longer applies, FEFO does."""
        if "lot_id" in self.form.editors and self.lot_of is not None:
            same = (
                self.form.editors["holder_id"].raw(),
                self.form.editors["material_id"].raw(),
            ) == self.lot_of
            self.form.editors["lot_id"].set(self.lot_of_id if same else None)
        self._timer.start()

    def update_preview(self) -> None:
        raw = {k: self.form.editors[k].raw() for k in ("holder_id", "material_id")}
        lot = self.form.editors["lot_id"].raw() if "lot_id" in self.form.editors else None
        quantity = self.form.editor("quantity")
        forced = self.form.editor("force_expired_reason")
        assert isinstance(quantity, QLineEdit) and isinstance(forced, QLineEdit)
        qty = quantity.displayText().strip()
        if not qty or None in raw.values():
            self.preview.set_rows([])
            return
        on = self.ctx.as_of()
        allow = bool(forced.displayText().strip())

        def failed(exc: BaseException) -> None:
            self.preview.set_rows([])
            if isinstance(exc, ValidationError):
                self.form.show_error(exc.field, _message(exc), focus=False)

        Op(
            lambda s: stock_read.fefo_preview(
                s,
                holder_id=raw["holder_id"],
                material_id=raw["material_id"],
                quantity=qty,
                on=on,
                allow_expired=allow,
                lot_ids=[lot] if lot is not None else None,
            ),
            parent=self,
        ).success(self._show_preview).failure(failed).run(self.ctx.runner)

    def _show_preview(self, picks: list[stock_read.Pick]) -> None:
        self.form.clear_errors()
        named = "lot_id" in self.form.editors and self.form.editors["lot_id"].raw() is not None
        self.preview_note.setText(
            tr("将从所选批次出库：") if named else tr("将按有效期先后从以下批次出库：")
        )
        self.preview.set_rows(picks)


class CountDialog(FormDialog):
    """盘点: the book quantity of every lot at a holder; type what was counted."""

    def __init__(
        self,
        parent: QWidget | None,
        ctx: UiContext,
        *,
        holder_id: int,
        holder_name: str,
        lots: list[LotLine],
        source: object,
    ) -> None:
        user, today = ctx.user, ctx.today()

        def save(session: Session, values: dict[str, Any]) -> Any:
            counted = self.counted()
            return ledger.count(
                session,
                holder_id=holder_id,
                counted=counted,
                on=values["on"],
                document_no=values.get("document_no"),
                operator=user,
                today=today,
            )

        super().__init__(
            parent,
            ctx,
            name="stockCount",
            title=tr("盘点：{holder}").format(holder=holder_name),
            fields=[
                FieldSpec("on", tr("盘点日期"), "date", required=True, aliases=("date",)),
                FieldSpec("document_no", tr("盘点单号"), max_length=60),
            ],
            save=save,
            values={"on": ctx.as_of()},
            areas=("stock",),
            source=source,
            intro=tr("在“实盘数量”一栏填写清点结果；留空的批次不调整。"),
        )
        self.lots = lots
        self.table = QTableWidget(len(lots), 5, self)
        self.table.setObjectName("countTable")
        self.table.setHorizontalHeaderLabels(
            [tr("物资"), tr("批次号"), tr("有效期至"), tr("账面数量"), tr("实盘数量")]
        )
        self.table.verticalHeader().setVisible(False)
        for row, lot in enumerate(lots):
            for column, value in enumerate(
                (
                    lot.material,
                    lot.batch_no,
                    show(lot.expiry_date),
                    f"{show(lot.on_hand)} {lot.uom}",
                )
            ):
                item = QTableWidgetItem(value)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(row, column, item)
            self.table.setItem(row, 4, QTableWidgetItem(""))
        self.table.resizeColumnsToContents()
        layout = self.layout()
        layout.insertWidget(layout.count() - 2, self.table)
        self.resize(720, 480)

    def set_counted(self, row: int, value: str) -> None:
        self.table.item(row, 4).setData(Qt.ItemDataRole.DisplayRole, value)

    def counted(self) -> dict[int, str]:
        out: dict[int, str] = {}
        for row, lot in enumerate(self.lots):
            value = self.table.item(row, 4).data(Qt.ItemDataRole.DisplayRole)
            if value is not None and str(value).strip():
                out[lot.lot_id] = str(value).strip()
        return out


def today_default(ctx: UiContext) -> dict[str, dt.date]:
    return {"on": ctx.as_of()}
