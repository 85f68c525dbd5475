"""导入 Excel/CSV: pick a register, a file and its encoding; check it without writing (every
problem listed by sheet, row and column), then import it — only after a clean check.
覆盖他人的修改 (the command line's ``--overwrite``) lets rows changed by someone else since the
file was exported be replaced (see :mod:`drillplan.interchange.stale`)."""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drillplan.interchange.kinds import KINDS
from drillplan.interchange.problems import ImportReport, Problem
from drillplan.kernel.progress import Cancelled, Progress

from drillplan.ui import messages
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog
from drillplan.ui.i18n import pick, tr
from drillplan.ui.ops import Op
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button

# every area an import may touch (units, stock, teams, plans, drills)
IMPORT_AREAS = ("stock", "plans", "teams", "drills", "units")


def _where_column(p: Problem) -> str:
    if p.column and p.letter:
        return f"{p.column} ({p.letter})"
    return p.column or p.letter


class ImportDialog(BaseDialog):
    """The import wizard: 检查（不写入） first, then 导入 once the check found nothing wrong."""

    def __init__(self, parent: QWidget | None, ctx: UiContext) -> None:
        super().__init__(parent, "importDialog", tr("导入 Excel/CSV"))
        self.ctx = ctx
        self.report: ImportReport | None = None
        self._checked: tuple[str, str, str, bool] | None = None  # what the clean check ran on

        self.kind_combo = QComboBox(self)
        self.kind_combo.setObjectName("importKind")
        for kind in sorted(KINDS.values(), key=lambda k: k.order):
            self.kind_combo.addItem(pick(kind.zh, kind.en), kind.name)
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("importPath")
        self.path_edit.setPlaceholderText(tr("选择 .xlsx 或 .csv 文件"))
        self.browse_button = tool_button(tr("浏览…"), self, self.browse)
        self.encoding_combo = QComboBox(self)
        self.encoding_combo.setObjectName("importEncoding")
        self.encoding_combo.addItem(tr("自动"), "")
        self.encoding_combo.addItem("UTF-8", "utf-8")
        self.encoding_combo.addItem("GB18030", "gb18030")
        self.overwrite_box = QCheckBox(tr("覆盖他人的修改"), self)
        self.overwrite_box.setObjectName("importOverwrite")
        self.overwrite_box.setToolTip(
            tr("导出后被他人修改过的记录，也以文件内容为准（默认拒绝这些行）")
        )

        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(self.browse_button)
        form = QFormLayout()
        form.addRow(tr("导入内容"), self.kind_combo)
        form.addRow(tr("文件"), file_row)
        form.addRow(tr("编码（仅 CSV）"), self.encoding_combo)
        form.addRow("", self.overwrite_box)

        self.summary = QLabel(tr("先检查文件：检查不会写入数据库。"), self)
        self.summary.setObjectName("importSummary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = RowsView(
            [
                Col(tr("工作表"), lambda p: p.sheet),
                Col(tr("行"), lambda p: p.row or "", right=True),
                Col(tr("列"), _where_column),
                Col(tr("规则/说明"), lambda p: f"{pick(p.message, p.message_en)} [{p.rule}]"),
            ],
            "importProblems",
            self,
        )

        self.check_button = QPushButton(tr("检查（不写入）"), self)
        self.check_button.setObjectName("importCheck")
        self.check_button.setDefault(True)
        self.check_button.clicked.connect(lambda _c=False: self.check())
        self.import_button = QPushButton(tr("导入"), self)
        self.import_button.setObjectName("importRun")
        self.import_button.setAutoDefault(False)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(lambda _c=False: self.run_import())
        self.close_button = tool_button(tr("关闭"), self, self.reject)
        bar = QHBoxLayout()
        bar.addWidget(self.check_button)
        bar.addWidget(self.import_button)
        bar.addStretch(1)
        bar.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addLayout(bar)

        order = [
            self.kind_combo,
            self.path_edit,
            self.browse_button,
            self.encoding_combo,
            self.overwrite_box,
            self.check_button,
            self.problems,
            self.import_button,
            self.close_button,
        ]
        for first, second in pairwise(order):
            QWidget.setTabOrder(first, second)

        self.kind_combo.currentIndexChanged.connect(lambda _i: self._invalidate())
        self.encoding_combo.currentIndexChanged.connect(lambda _i: self._invalidate())
        self.overwrite_box.toggled.connect(lambda _on: self._invalidate())
        self.path_edit.textChanged.connect(lambda _t: self._invalidate())
        self.resize(860, 560)
        self.kind_combo.setFocus(Qt.FocusReason.OtherFocusReason)

    # --- the choices ----------------------------------------------------------------------

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def set_kind(self, name: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(name))

    def encoding(self) -> str | None:
        return str(self.encoding_combo.currentData()) or None

    def path(self) -> str:
        return self.path_edit.text().strip()

    def overwrite(self) -> bool:
        return self.overwrite_box.isChecked()

    def _params(self) -> tuple[str, str, str, bool]:
        return self.kind(), self.path(), self.encoding() or "", self.overwrite()

    def browse(self) -> None:
        chosen, _filter = QFileDialog.getOpenFileName(
            self,
            tr("选择导入文件"),
            str(Path(self.path()).parent) if self.path() else "",
            tr("表格文件 (*.xlsx *.csv);;所有文件 (*)"),
        )
        if chosen:
            self.path_edit.setText(chosen)

    def _invalidate(self) -> None:
        """Any change of kind, file, encoding or overwrite needs a new check before importing."""
        self._checked = None
        self.import_button.setEnabled(False)

    # --- check and import -----------------------------------------------------------------

    def _op(self, dry_run: bool) -> Op[ImportReport] | None:
        if not self.path():
            self.summary.setText(tr("请先选择要导入的文件。"))
            self.path_edit.setFocus(Qt.FocusReason.OtherFocusReason)
            return None
        from drillplan.interchange.importer import import_file  # loads the spreadsheet readers

        kind, path, encoding, overwrite = (
            self.kind(),
            self.path(),
            self.encoding(),
            self.overwrite(),
        )
        today, operator = self.ctx.today(), self.ctx.user

        def body(session: Session, progress: Progress) -> ImportReport:
            return import_file(
                session,
                kind,
                path,
                dry_run=dry_run,
                encoding=encoding,
                today=today,
                operator=operator,
                progress=lambda done, total: progress.update(done, maximum=total),
                cancel=progress,
                overwrite=overwrite,
            )

        label = tr("正在检查文件…") if dry_run else tr("正在导入…")
        return Op(body, parent=self).with_progress(label)

    def check(self) -> None:
        op = self._op(dry_run=True)
        if op is None:
            return
        params = self._params()
        self._invalidate()
        self.check_button.setEnabled(False)
        op.success(lambda report: self._checked_done(report, params))
        op.failure(lambda exc: self._failed(exc, op.trace))
        op.run(self.ctx.runner)

    def _checked_done(self, report: ImportReport, params: tuple[str, str, str, bool]) -> None:
        self.check_button.setEnabled(True)
        self.show_report(report)
        if report.ok and report.rows and params == self._params():
            self._checked = params
            self.import_button.setEnabled(True)
            self.import_button.setFocus(Qt.FocusReason.OtherFocusReason)

    def run_import(self) -> None:
        if self._checked is None or self._checked != self._params():
            return
        op = self._op(dry_run=False)
        if op is None:
            return
        self._invalidate()
        self.check_button.setEnabled(False)
        op.changes(*IMPORT_AREAS, source=self)
        op.success(self._imported)
        op.failure(lambda exc: self._failed(exc, op.trace))
        op.run(self.ctx.runner)

    def _imported(self, report: ImportReport) -> None:
        self.check_button.setEnabled(True)
        self.show_report(report)

    def _failed(self, exc: BaseException, trace: str = "") -> None:
        """Re-enable the buttons, then the standard error dialog (a cancel is silent)."""
        self.check_button.setEnabled(True)
        if isinstance(exc, Cancelled):
            self.summary.setText(tr("已取消。"))
            return
        messages.show_error(self, exc, trace=trace)

    # --- the result -----------------------------------------------------------------------

    def show_report(self, report: ImportReport) -> None:
        self.report = report
        counts = tr("共 {rows} 行：新增 {created}，更新 {updated}，未变 {unchanged}").format(
            rows=report.rows,
            created=report.created,
            updated=report.updated,
            unchanged=report.unchanged,
        )
        if report.problems:
            head = tr("发现 {n} 个问题，未写入任何数据。请修改文件后重新检查。").format(
                n=len(report.problems)
            )
        elif report.written:
            head = tr("导入完成。")
        elif report.rows:
            head = tr("检查通过，可以导入（检查未写入数据库）。")
        else:
            head = tr("文件中没有数据行。")
        lines = [head, counts]
        if report.encoding:
            lines.append(tr("文件编码：{encoding}").format(encoding=report.encoding))
        if report.kept_columns:
            lines.append(
                tr("保留的附加列（随记录保存，导出时原样带回）：{columns}").format(
                    columns="、".join(report.kept_columns)
                )
            )
        if report.ignored_columns:
            lines.append(
                tr("已忽略的序号列：{columns}").format(columns="、".join(report.ignored_columns))
            )
        if report.warnings:
            lines.append(tr("提示 {n} 条（见下表）").format(n=len(report.warnings)))
        if report.backup:
            lines.append(tr("导入前的数据库已自动备份：{path}").format(path=report.backup))
        self.summary.setText("\n".join(lines))
        self.problems.set_rows([*report.problems, *report.warnings])
