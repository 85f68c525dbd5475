"""单位管理: the organisation units that own plans, teams and depots (needed first on an
empty database)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from drillplan.kernel.values import validate_credit_code, validate_phone
from drillplan.kernel.vocab import Tier, UnitKind, label
from drillplan.org import read as org_read
from drillplan.org import units

from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog, FormDialog, open_once
from drillplan.ui.forms import FieldSpec, vocab
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.ops import Op
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button


def unit_fields(parents: list[tuple[int, str]]) -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("单位编号"), required=True, max_length=32),
        FieldSpec("name", tr("单位名称"), required=True, max_length=120),
        FieldSpec("kind", tr("单位类型"), "choice", required=True, choices=vocab(UnitKind)),
        FieldSpec("tier", tr("层级"), "choice", required=True, choices=vocab(Tier)),
        FieldSpec(
            "parent_id",
            tr("上级单位"),
            "choice",
            choices=parents,
            empty_choice=True,
            searchable=True,
        ),
        FieldSpec(
            "credit_code",
            tr("统一社会信用代码"),
            max_length=18,
            check=lambda v: validate_credit_code(v, allow_bad_check=True),
        ),
        FieldSpec("credit_code_override", tr("代码已核实：校验位或类别不符仍保存"), "bool"),
        FieldSpec("address", tr("地址"), max_length=200),
        FieldSpec("contact", tr("联系人"), max_length=60),
        FieldSpec("phone", tr("联系电话"), check=lambda v: validate_phone(v)),
        FieldSpec(
            "population", tr("常住人口"), "int", hint=tr("街镇的常住人口，用于避难场所容量核算")
        ),
    ]


class UnitsDialog(BaseDialog):
    def __init__(self, parent: QWidget | None, ctx: UiContext) -> None:
        super().__init__(parent, "units", tr("单位管理"))
        self.ctx = ctx
        self.child: FormDialog | None = None
        lang = current_language()
        self.view = RowsView(
            [
                Col(tr("单位编号"), lambda u: u.code),
                Col(tr("单位名称"), lambda u: u.name),
                Col(tr("单位类型"), lambda u: label(u.kind, lang)),
                Col(tr("层级"), lambda u: label(u.tier, lang)),
                Col(tr("上级单位"), lambda u: u.parent),
                Col(tr("联系电话"), lambda u: u.phone),
            ],
            "unitsTable",
            self,
        )
        self.view.doubleClicked.connect(lambda _i: self.edit())
        note = QLabel(tr("预案、队伍和储备库都属于某个单位；空数据库请先在这里登记单位。"), self)
        note.setObjectName("pageNote")
        note.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(tool_button(tr("新建单位"), self, self.new))
        bar.addWidget(tool_button(tr("编辑"), self, self.edit))
        bar.addStretch(1)
        bar.addWidget(tool_button(tr("关闭"), self, self.reject))
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addLayout(bar)
        self.resize(860, 520)
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        def got(rows: list[org_read.UnitRow]) -> None:
            self.view.set_rows(rows)
            ids = [r.unit_id for r in rows]
            self.view.choose_row(ids.index(keep) if keep in ids else 0)

        Op(org_read.unit_rows, parent=self).success(got).run(self.ctx.runner)

    def _form(
        self, title: str, values: dict[str, Any], save: Any, record: int | None = None
    ) -> None:
        def opened(parents: list[tuple[int, str]]) -> None:
            dialog = FormDialog(
                self,
                self.ctx,
                name="unit",
                title=title,
                fields=unit_fields(parents),
                save=save,
                values=values,
                areas=("units",),
                record=record,
            )
            if open_once(dialog) is not dialog:
                return
            dialog.saved.connect(lambda unit: self.reload(getattr(unit, "id", None)))
            dialog.finished.connect(dialog.deleteLater)
            self.child = dialog

        Op(org_read.unit_choices, parent=self).success(opened).run(self.ctx.runner)

    def new(self) -> None:
        user = self.ctx.user

        def save(session: Session, v: dict[str, Any]) -> Any:
            override = bool(v.pop("credit_code_override", False))
            return units.create_unit(session, user=user, credit_code_override=override, **v)

        self._form(tr("新建单位"), {"kind": "department", "tier": "district"}, save)

    def edit(self) -> None:
        row = self.view.current()
        if row is None:
            return
        user = self.ctx.user

        def opened(values: dict[str, Any]) -> None:
            version = values.pop("row_version")

            def save(session: Session, v: dict[str, Any]) -> Any:
                override = bool(v.pop("credit_code_override", False))
                return units.update_unit(
                    session,
                    unit_id=row.unit_id,
                    expected_version=version,
                    user=user,
                    credit_code_override=override,
                    **v,
                )

            self._form(tr("编辑单位 {code}").format(code=row.code), values, save, row.unit_id)

        Op(lambda s: org_read.unit_record(s, row.unit_id), parent=self).success(opened).run(
            self.ctx.runner
        )
