"""A plan's history and versions, and its attached documents (opened by the system viewer)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from drillplan.kernel.vocab import label
from drillplan.plans import documents
from drillplan.plans import read as plans_read

from drillplan.ui import messages
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.opener import open_path
from drillplan.ui.ops import Op
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button


def _what(row: plans_read.HistoryRow) -> str:
    lang = current_language()
    if row.what == "version":
        return tr("版本 {version}").format(version=row.version)
    if row.from_status is None:
        return tr("登记为“{status}”").format(status=label(row.to_status, lang))
    return f"{label(row.from_status, lang)} → {label(row.to_status, lang)}"


class HistoryDialog(BaseDialog):
    """Every status change and every version of one plan, oldest first."""

    def __init__(self, parent: QWidget | None, ctx: UiContext, plan_id: int) -> None:
        super().__init__(parent, "planHistory", tr("预案历史与版本"))
        self.view = RowsView(
            [
                Col(tr("日期"), lambda r: r.on),
                Col(tr("事项"), _what),
                Col(tr("原因/说明"), lambda r: r.reason),
                Col(tr("修订内容"), lambda r: r.summary),
                Col(tr("操作人"), lambda r: r.user),
            ],
            "planHistoryTable",
            self,
        )
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        close.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(close)
        self.resize(820, 420)
        lang = current_language()
        Op(lambda s: plans_read.plan_history(s, plan_id, lang), parent=self).success(
            self.view.set_rows
        ).run(ctx.runner)


class AttachmentsDialog(BaseDialog):
    """Documents attached to a plan: add (a file reference), open, remove."""

    def __init__(
        self, parent: QWidget | None, ctx: UiContext, plan_id: int, source: object = None
    ) -> None:
        super().__init__(parent, "planAttachments", tr("预案附件"))
        self.ctx = ctx
        self.plan_id = plan_id
        self.source = source
        self.view = RowsView(
            [
                Col(tr("名称"), lambda d: d.title),
                Col(tr("添加日期"), lambda d: d.added_on),
                Col(tr("文件位置"), lambda d: d.path),
            ],
            "attachmentsTable",
            self,
        )
        self.view.doubleClicked.connect(lambda _i: self.open_current())
        note = QLabel(tr("附件保存的是文件位置；双击或按“打开”用系统程序查看。"), self)
        note.setObjectName("pageNote")
        buttons = QHBoxLayout()
        buttons.addWidget(tool_button(tr("添加…"), self, self.add))
        buttons.addWidget(tool_button(tr("打开"), self, self.open_current))
        buttons.addWidget(tool_button(tr("移除"), self, self.remove))
        buttons.addStretch(1)
        buttons.addWidget(tool_button(tr("关闭"), self, self.reject))
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.view)
        layout.addLayout(buttons)
        self.resize(720, 360)
        self.reload()

    def reload(self) -> None:
        plan_id = self.plan_id
        Op(lambda s: plans_read.documents(s, plan_id), parent=self).success(self.view.set_rows).run(
            self.ctx.runner
        )

    def add(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, tr("选择附件文件"))
        if not path:
            return
        plan_id, user, today = self.plan_id, self.ctx.user, self.ctx.today()
        op = Op(
            lambda s: documents.add_document(s, plan_id=plan_id, path=path, on=today, user=user),
            parent=self,
        )
        op.changes("plans", source=self.source).success(lambda _d: self.reload()).run(
            self.ctx.runner
        )

    def open_current(self) -> bool:
        doc = self.view.current()
        if doc is None:
            return False
        if not Path(doc.path).exists():
            messages.inform(
                self, tr("找不到文件"), tr("文件不存在或已移动：\n{path}").format(path=doc.path)
            )
            return False
        return open_path(self, doc.path)

    def remove(self) -> None:
        doc = self.view.current()
        if doc is None or not messages.confirm(
            self,
            tr("移除附件"),
            tr("从预案中移除附件“{title}”？（文件本身不会删除）").format(title=doc.title),
        ):
            return
        user = self.ctx.user
        op = Op(
            lambda s: documents.remove_document(s, document_id=doc.document_id, user=user),
            parent=self,
        )
        op.changes("plans", source=self.source).success(lambda _r: self.reload()).run(
            self.ctx.runner
        )
