"""The shelter classification editor: a small dialog over the office's class table."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from drillplan.facilities import classes as facility_classes
from drillplan.facilities import read
from drillplan.kernel.vocab import FacilityKind, StayType

from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog, FormDialog, open_once
from drillplan.ui.forms import FieldSpec, vocab
from drillplan.ui.i18n import tr
from drillplan.ui.ops import Op
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button


def class_fields() -> list[FieldSpec]:
    return [
        FieldSpec("code", tr("分类编号"), required=True, max_length=32),
        FieldSpec("name", tr("分类名称"), required=True, max_length=60),
        FieldSpec("kind", tr("类型"), "choice", required=True, choices=vocab(FacilityKind)),
        FieldSpec("level", tr("等级"), max_length=20, placeholder="Ⅱ类"),
        FieldSpec(
            "stay_type", tr("避难时长"), "choice", choices=vocab(StayType), empty_choice=True
        ),
        FieldSpec("min_capacity", tr("最小容量（人）"), "int"),
        FieldSpec("max_capacity", tr("最大容量（人）"), "int"),
        FieldSpec("notes", tr("备注"), "multiline"),
    ]


class ClassesDialog(BaseDialog):
    """The classes as a table; new, edit and the starter set."""

    def __init__(self, parent: QWidget | None, ctx: UiContext) -> None:
        super().__init__(parent, "facilityClasses", tr("避难场所分类"))
        self.ctx = ctx
        self.child: FormDialog | None = None
        self.view = RowsView(
            [
                Col(tr("分类编号"), lambda r: r["code"]),
                Col(tr("分类名称"), lambda r: r["name"]),
                Col(tr("类型"), lambda r: r["kind_label"]),
                Col(tr("等级"), lambda r: r["level"]),
                Col(tr("避难时长"), lambda r: r["stay_type_label"]),
                Col(tr("最小容量（人）"), lambda r: r["min_capacity"], right=True),
                Col(tr("最大容量（人）"), lambda r: r["max_capacity"], right=True),
            ],
            "facilityClassesTable",
            self,
        )
        self.view.doubleClicked.connect(lambda _i: self.edit())
        note = QLabel(
            tr(
                "分类名称与容量门槛暂定（GB/T 44012-2024 按等级和避难时长分类），请按本区规划修改。"
            ),
            self,
        )
        note.setObjectName("pageNote")
        note.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(tool_button(tr("新建分类"), self, self.new))
        bar.addWidget(tool_button(tr("编辑"), self, self.edit))
        bar.addWidget(tool_button(tr("加入推荐分类"), self, self.seed))
        bar.addStretch(1)
        bar.addWidget(tool_button(tr("关闭"), self, self.reject))
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addLayout(bar)
        self.resize(820, 420)
        self.reload()

    def reload(self, keep: int | None = None) -> None:
        def load(session: Session) -> list[dict[str, Any]]:
            return [read.class_record(r) for r in read.classes(session)]

        def got(rows: list[dict[str, Any]]) -> None:
            self.view.set_rows(rows)
            ids = [r["id"] for r in rows]
            self.view.choose_row(ids.index(keep) if keep in ids else 0)

        Op(load, parent=self).success(got).run(self.ctx.runner)

    def _form(self, title: str, values: dict[str, Any], save: Any, record: int | None) -> None:
        dialog = FormDialog(self, self.ctx, name="facilityClass", title=title,
                            fields=class_fields(), save=save, values=values,
                            areas=("facilities",), record=record)  # fmt: skip
        if open_once(dialog) is not dialog:
            return
        dialog.saved.connect(lambda row: self.reload(getattr(row, "id", None)))
        dialog.finished.connect(dialog.deleteLater)
        self.child = dialog

    def new(self) -> None:
        user = self.ctx.user

        def save(session: Session, v: dict[str, Any]) -> Any:
            return facility_classes.create_class(session, user=user, **v)

        self._form(tr("新建分类"), {"kind": FacilityKind.SHELTER.value}, save, None)

    def edit(self) -> None:
        row = self.view.current()
        if row is None:
            return
        class_id, user = row["id"], self.ctx.user

        def opened(values: dict[str, Any]) -> None:
            version = values.pop("row_version")

            def save(session: Session, v: dict[str, Any]) -> Any:
                return facility_classes.update_class(
                    session, class_id=class_id, expected_version=version, user=user, **v
                )

            self._form(tr("编辑分类 {code}").format(code=row["code"]), values, save, class_id)

        Op(lambda s: read.class_values(s, class_id), parent=self).success(opened).run(
            self.ctx.runner
        )

    def seed(self) -> None:
        user = self.ctx.user
        op = Op(lambda s: facility_classes.ensure_starter_classes(s, user=user), parent=self)
        op.changes("facilities").success(lambda _n: self.reload()).run(self.ctx.runner)
