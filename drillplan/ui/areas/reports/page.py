"""报表: choose a report and its options, generate it off the UI thread with progress, then
open the PDF in the system viewer."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from drillplan.drills import read as drills_read
from drillplan.kernel.progress import Progress
from drillplan.kernel.values import parse_date
from drillplan.reports.registry import KINDS, build_report
from drillplan.reports.result import ReportResult

from drillplan.ui import messages
from drillplan.ui.area import AreaPage
from drillplan.ui.context import UiContext
from drillplan.ui.i18n import LANGUAGES, current_language, pick, tr
from drillplan.ui.opener import open_path
from drillplan.ui.widgets import page_header, tool_button


def reports_dir() -> Path:
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(base or Path.home()) / "drillplan-reports"


class ReportsPage(AreaPage):
    areas = ("drills", "competitions")

    def __init__(self, ctx: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, parent)
        self.kinds = QListWidget(self)
        self.kinds.setObjectName("reports")
        self.kinds.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for kind in KINDS.values():
            item = QListWidgetItem(pick(kind.zh, kind.en), self.kinds)
            item.setData(Qt.ItemDataRole.UserRole, kind.key)
        self.kinds.currentRowChanged.connect(lambda _r: self._kind_changed())
        self.as_of_edit = QLineEdit(ctx.as_of().isoformat(), self)
        self.as_of_edit.setObjectName("reportAsOf")
        self.year = QSpinBox(self)
        self.year.setObjectName("reportYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.as_of().year)
        self.drill = QComboBox(self)
        self.drill.setObjectName("reportDrill")
        self.lang = QComboBox(self)
        self.lang.setObjectName("reportLanguage")
        for key, name in LANGUAGES.items():
            self.lang.addItem(name, key)
        self.lang.setCurrentIndex(list(LANGUAGES).index(current_language()))
        self.path_edit = QLineEdit(self)
        self.path_edit.setObjectName("reportPath")
        self.generate_button = QPushButton(tr("生成并打开 (Ctrl+P)"), self)
        self.generate_button.setObjectName("generate")
        self.generate_button.clicked.connect(lambda _c=False: self.generate())
        self.result_label = QLabel(self)
        self.result_label.setObjectName("pageNote")
        self.result_label.setWordWrap(True)
        self.last_result: ReportResult | None = None
        self.opened: list[str] = []
        form = QFormLayout()
        form.addRow(tr("统计截止日期"), self.as_of_edit)
        form.addRow(tr("年度"), self.year)
        form.addRow(tr("演练"), self.drill)
        form.addRow(tr("报表语言"), self.lang)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(tool_button(tr("另存为…"), self, self.choose_path))
        form.addRow(tr("保存到"), path_row)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(self.generate_button)
        right.addWidget(self.result_label)
        right.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.kinds, 1)
        body.addLayout(right, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_header("报表", "Reports"))
        note = QLabel(
            tr("选择报表和选项后生成 PDF；生成在后台进行，完成后用系统默认程序打开。"), self
        )
        note.setObjectName("pageNote")
        layout.addWidget(note)
        layout.addLayout(body, 1)
        self.kinds.setCurrentRow(0)
        self.refresh()

    def kind(self) -> str:
        item = self.kinds.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else next(iter(KINDS))

    def choose_kind(self, key: str) -> None:
        self.kinds.setCurrentRow(list(KINDS).index(key))

    def _kind_changed(self) -> None:
        spec = KINDS[self.kind()]
        self.year.setEnabled(spec.needs_year)
        self.drill.setEnabled(spec.needs_drill)
        name = f"{spec.key}-{self.ctx.as_of():%Y%m%d}.pdf"
        self.path_edit.setText(str(reports_dir() / name))

    def refresh(self) -> None:
        def got(drills: list[tuple[str, str]]) -> None:
            keep = self.drill.currentData()
            self.drill.clear()
            for code, shown in drills:
                self.drill.addItem(shown, code)
            index = self.drill.findData(keep)
            self.drill.setCurrentIndex(max(index, 0))

        self.op(drills_read.evaluated_drill_choices, got)

    def choose_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, tr("保存报表"), self.path_edit.displayText(), "PDF (*.pdf)"
        )
        if path:
            self.path_edit.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def options(self) -> dict[str, Any]:
        spec = KINDS[self.kind()]
        as_of = parse_date(self.as_of_edit.displayText(), field="as_of")
        return {
            "kind": spec.key,
            "as_of": as_of,
            "lang": str(self.lang.currentData()),
            "year": self.year.value() if spec.needs_year else None,
            "drill": self.drill.currentData() if spec.needs_drill else None,
        }

    def new_item(self) -> None:
        self.generate()

    def generate(self) -> None:
        try:
            options = self.options()
        except Exception as exc:
            messages.show_error(self, exc)
            return
        path = Path(
            self.path_edit.displayText().strip() or reports_dir() / f"{options['kind']}.pdf"
        )
        self.generate_button.setEnabled(False)
        self.result_label.setText(tr("正在生成…"))

        def build(session: Any, progress: Progress) -> ReportResult:
            path.parent.mkdir(parents=True, exist_ok=True)
            progress.update(label=tr("正在生成报表…"))
            # each page checks the token: a cancel stops the build, no file is written
            return build_report(session, options.pop("kind"), path, progress=progress, **options)

        def failed(exc: BaseException) -> None:
            self.generate_button.setEnabled(True)
            self.result_label.setText(tr("未生成。"))
            from drillplan.kernel.progress import Cancelled

            if isinstance(exc, Cancelled):
                path.unlink(missing_ok=True)
                return
            messages.show_error(self, exc)

        op = self.op(build, self._done, progress=tr("正在生成报表…"))
        op.failure(failed)

    def _done(self, result: ReportResult) -> None:
        self.generate_button.setEnabled(True)
        self.last_result = result
        self.result_label.setText(tr("已生成：{path}").format(path=result.path))
        self.open_pdf(result.path)

    def open_pdf(self, path: Path) -> bool:
        self.opened.append(str(path))
        return open_path(self, path)

    def default_date(self) -> dt.date:
        return self.ctx.as_of()
