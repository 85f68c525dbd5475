"""班次设置: the shift kinds of the roster (local practice, so the office edits them)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout

from drillplan.duty import shift_kinds

from drillplan.ui.area import AreaPage
from drillplan.ui.dialogs import BaseDialog
from drillplan.ui.forms import FieldSpec
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button


def kind_fields() -> list[FieldSpec]:
    clock = "08:30"
    return [
        FieldSpec("code", tr("代码"), required=True, max_length=16, placeholder="early"),
        FieldSpec("name", tr("班次名称"), required=True, max_length=20, placeholder=tr("早班")),
        FieldSpec("starts", tr("开始时刻"), required=True, placeholder=clock,
                  check=lambda v: shift_kinds.parse_clock(v, field="starts", what=tr("开始时刻"))),
        FieldSpec("ends", tr("结束时刻"), required=True, placeholder="17:30",
                  hint=tr("不晚于开始时刻时，在次日结束"),
                  check=lambda v: shift_kinds.parse_clock(v, field="ends", what=tr("结束时刻"))),
        FieldSpec("sort_order", tr("排序"), "int"),
        FieldSpec("active", tr("启用（新班次可选）"), "bool"),
    ]  # fmt: skip


def _rows(session: Session) -> list[dict[str, Any]]:
    return [
        {"id": k.id, "code": k.code, "name": k.name, "starts": k.starts, "ends": k.ends,
         "sort_order": k.sort_order, "active": k.active, "row_version": k.row_version,
         "hours": shift_kinds.hours_text(k)}
        for k in shift_kinds.shift_kinds(session)
    ]  # fmt: skip


class ShiftKindsDialog(BaseDialog):
    """The shift kinds with 新建 and 编辑 (through the page's form and the core functions)."""

    def __init__(self, page: AreaPage, changed: Any) -> None:
        super().__init__(page, "shiftKinds", tr("班次设置"))
        self.page, self._changed = page, changed
        self.table = RowsView(
            [
                Col(tr("代码"), lambda r: r["code"]),
                Col(tr("班次名称"), lambda r: r["name"]),
                Col(tr("时间"), lambda r: shift_kinds.hours_in(r["hours"], current_language())),
                Col(tr("启用"), lambda r: tr("是") if r["active"] else tr("否")),
            ],
            "shiftKindsTable",
            self,
        )
        self.table.doubleClicked.connect(lambda _i: self.edit_kind())
        bar = QHBoxLayout()
        note = QLabel(
            tr("班次为本单位的排班习惯，可按需增改；已使用的班次不能删除，可停用。"), self
        )
        note.setWordWrap(True)
        bar.addWidget(note, 1)
        bar.addWidget(tool_button(tr("新建班次"), self, self.new_kind))
        bar.addWidget(tool_button(tr("编辑"), self, self.edit_kind))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table)
        self.resize(560, 320)
        self.reload()

    def reload(self, _result: Any = None) -> None:
        self.page.op(_rows, self.table.set_rows)

    def _saved(self, result: Any) -> None:
        self.reload()
        self._changed()

    def new_kind(self) -> None:
        user = self.page.ctx.user
        self.page.form(
            name="shiftKindNew",
            title=tr("新建班次"),
            fields=kind_fields(),
            values={"active": True},
            save=lambda s, v: shift_kinds.create_shift_kind(s, user=user, **v),
            changes=("duty",),
            saved=self._saved,
        )

    def edit_kind(self) -> None:
        row = self.table.current()
        if row is None:
            self.page.need_selection(tr("一个班次"))
            return
        user, kind_id, version = self.page.ctx.user, row["id"], row["row_version"]
        values = {k: row[k] for k in ("code", "name", "starts", "ends", "sort_order", "active")}
        self.page.form(
            name="shiftKindEdit",
            title=tr("编辑班次 {name}").format(name=row["name"]),
            fields=kind_fields(),
            values=values,
            save=lambda s, v: shift_kinds.update_shift_kind(
                s, shift_kind_id=kind_id, expected_version=version, user=user, **v
            ),
            changes=("duty",),
            saved=self._saved,
            record=("shift_kind", kind_id),
        )


def open_shift_kinds(page: AreaPage, changed: Any) -> ShiftKindsDialog:
    dialog = ShiftKindsDialog(page, changed)
    dialog.finished.connect(dialog.deleteLater)
    dialog.open()
    return dialog
