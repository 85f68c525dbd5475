"""报表: the printed reports this tool will produce. Generating them comes in a later version."""

from __future__ import annotations

from typing import NamedTuple

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from drillplan.ui.widgets import page_header


class ReportKind(NamedTuple):
    key: str
    zh: str
    en: str
    contents: str


REPORT_KINDS: tuple[ReportKind, ...] = (
    ReportKind(
        "readiness",
        "战备评估报告",
        "Readiness report",
        "全区汇总、分层级、分库点与队伍的评分及需整改事项",
    ),
    ReportKind(
        "expiry", "物资到期审计", "Expiry audit", "已过期与即将到期的物资批次、队员证书和合作协议"
    ),
    ReportKind("drill-schedule", "年度演练计划", "Annual drill schedule", "全年演练安排表与月历"),
    ReportKind(
        "drill-evaluation", "演练评估报告", "Drill evaluation", "演练评估结论、发现的问题与整改措施"
    ),
    ReportKind("competition", "技能比武成绩", "Competition results", "各科目成绩、用时与名次"),
    ReportKind(
        "plans", "预案登记册", "Plan register", "预案编号、类型、状态、版本、备案与评估日期"
    ),
)

NOTE_ZH = "PDF 报表的生成将在后续版本中提供。下表列出计划提供的报表及其内容。"
NOTE_EN = "Generating PDF reports comes in a later version; the table lists the planned reports."


class ReportsPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        note = QLabel(f"{NOTE_ZH}\n{NOTE_EN}", self)
        note.setObjectName("notice")
        note.setWordWrap(True)
        self.table = QTreeWidget(self)
        self.table.setObjectName("reports")
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.table.setHeaderLabels(["报表", "Report", "内容", "代号"])
        for kind in REPORT_KINDS:
            QTreeWidgetItem(self.table, [kind.zh, kind.en, kind.contents, kind.key])
        for column, width in enumerate((150, 180, 420)):
            self.table.setColumnWidth(column, width)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(page_header("报表", "Reports"))
        layout.addWidget(note)
        layout.addSpacing(8)
        layout.addWidget(self.table, 1)
