"""开始使用: the first-start checklist (units → depots → materials → teams → plans).

Each step says how many records it has, opens the page where they are entered, and saves
the import template of its register (an .xlsx with the columns and instructions), so an
office can fill a spreadsheet instead. The steps come from the core
(:mod:`drillplan.readiness.setup_steps`); the main window shows the dialog on a start with
steps still empty (until "不再自动显示" is ticked) and from 帮助 > 开始使用清单.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFileDialog,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from drillplan.readiness.setup_steps import SETUP_ORDER, SetupStep, next_step, setup_steps

from drillplan.ui import messages
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog
from drillplan.ui.i18n import pick, tr
from drillplan.ui.ops import Op


class ChecklistDialog(BaseDialog):
    go = Signal(str)  # a step's key: the window shows the page where it is entered

    def __init__(self, parent: QWidget | None, ctx: UiContext) -> None:
        super().__init__(parent, "checklist", tr("开始使用"))
        self.ctx = ctx
        self.steps: list[SetupStep] = []
        intro = QLabel(
            tr(
                "空数据库请按以下顺序登记：预案、队伍和储备库都属于某个单位，"
                "入库需要储备库和物资目录。每一步都可以逐条录入，也可以下载导入模板，"
                "在 Excel 中填好后用“文件 > 导入 Excel/CSV…”导入。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(12)
        self.grid.setColumnStretch(1, 1)
        self.status: dict[str, QLabel] = {}
        self.open_buttons: dict[str, QPushButton] = {}
        self.template_buttons: dict[str, QPushButton] = {}
        for row, key in enumerate(SETUP_ORDER):
            number = QLabel(f"{row + 1}.", self)
            number.setObjectName("stepNumber")
            title = QLabel(self)
            title.setObjectName(f"step_{key}")
            title.setWordWrap(True)
            status = QLabel(self)
            status.setObjectName(f"stepStatus_{key}")
            go = QPushButton(tr("去登记"), self)
            go.setObjectName(f"stepGo_{key}")
            go.setAutoDefault(False)
            go.clicked.connect(lambda _c=False, k=key: self.go.emit(k))
            template = QPushButton(tr("下载导入模板…"), self)
            template.setObjectName(f"stepTemplate_{key}")
            template.setAutoDefault(False)
            template.clicked.connect(lambda _c=False, k=key: self.save_template(k))
            for column, widget in enumerate((number, title, status, go, template)):
                self.grid.addWidget(widget, row, column)
            self.status[key] = status
            self.open_buttons[key] = go
            self.template_buttons[key] = template
        self.next_label = QLabel(self)
        self.next_label.setObjectName("nextStep")
        self.next_label.setWordWrap(True)
        self.hide_box = QCheckBox(tr("启动时不再自动显示（可从“帮助 > 开始使用清单”打开）"), self)
        self.hide_box.setChecked(ctx.prefs.checklist_hidden)
        self.hide_box.toggled.connect(lambda on: setattr(ctx.prefs, "checklist_hidden", on))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("关闭"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(self.grid)
        layout.addSpacing(6)
        layout.addWidget(self.next_label)
        layout.addWidget(self.hide_box)
        layout.addWidget(buttons)
        self.setMinimumWidth(820)
        ctx.runner.changes_applied.connect(lambda _changes: self.reload())
        self.reload()

    def reload(self) -> None:
        Op(setup_steps, parent=self).success(self.show_steps).run(self.ctx.runner)

    def show_steps(self, steps: list[SetupStep]) -> None:
        self.steps = steps
        following = next_step(steps)
        for step in steps:
            title = self.findChild(QLabel, f"step_{step.key}")
            assert title is not None
            title.setText(f"<b>{pick(step.zh, step.en)}</b><br>{pick(step.hint_zh, step.hint_en)}")
            if step.done:
                self.status[step.key].setText(tr("✓ 已登记 {n} 条").format(n=step.count))
                self.status[step.key].setStyleSheet("color: #1b6e3a;")
            else:
                self.status[step.key].setText(tr("尚未登记"))
                self.status[step.key].setStyleSheet(
                    "color: #b3261e; font-weight: 600;" if step is following else "color: #666;"
                )
            self.open_buttons[step.key].setDefault(step is following)
        if following is None:
            self.next_label.setText(
                tr("基础数据已齐备：可以安排演练、登记入库，或在“总览”查看战备情况。")
            )
        else:
            self.next_label.setText(
                tr("下一步：登记{what}。").format(what=pick(following.zh, following.en))
            )
        if self.isVisible():
            self.adjustSize()  # the hints arrived after the first layout: room for their lines

    def incomplete(self) -> bool:
        return next_step(self.steps) is not None

    def save_template(self, key: str, path: str | None = None) -> Path | None:
        """Ask where (unless ``path`` is given), write the import template there, say where."""
        if path is None:
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            step = next((s for s in self.steps if s.key == key), None)
            name = f"{pick(step.zh, step.en) if step else key}-{tr('导入模板')}.xlsx"
            path, _filter = QFileDialog.getSaveFileName(
                self,
                tr("保存导入模板"),
                str(Path(folder) / name),
                tr("Excel 工作簿 (*.xlsx)"),
            )
            if not path:
                return None
        from drillplan.interchange.templates import write_template  # openpyxl: only now

        try:
            written = write_template(key, Path(path))
        except OSError as exc:
            messages.show_error(self, exc)
            return None
        messages.inform(
            self,
            tr("导入模板已保存"),
            tr("已保存：\n{path}\n\n填好后用“文件 > 导入 Excel/CSV…”导入。").format(path=written),
        )
        return written
