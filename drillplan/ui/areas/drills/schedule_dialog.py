"""The annual drill schedule generator: proposals with their explanations, then "write"."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from drillplan.drills.foresee import conflicts_if_saved
from drillplan.drills.schedule import Proposal, propose_schedule, write_schedule

from drillplan.ui import messages
from drillplan.ui.areas.drills.dialogs import conflict_lines
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog
from drillplan.ui.forms import vocab_label
from drillplan.ui.i18n import current_language, pick, tr
from drillplan.ui.ops import Op
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button


def explanation(p: Proposal) -> str:
    lines = p.explanation_zh if current_language() == "zh" else p.explanation_en
    rule = pick(p.rule_zh, p.rule_en)
    return "\n".join([f"{p.plan_code} {p.plan_title}", rule, "", *lines])


class ScheduleDialog(BaseDialog):
    def __init__(self, parent: QWidget | None, ctx: UiContext, source: object = None) -> None:
        super().__init__(parent, "drillSchedule", tr("生成年度演练计划"))
        self.ctx, self.source = ctx, source
        self.proposals: list[Proposal] = []
        self.written: list[Any] = []
        self.forewarned: list[str] = []  # the conflicts the last write would bring
        self.year = QSpinBox(self)
        self.year.setObjectName("scheduleYear")
        self.year.setRange(2000, 2100)
        self.year.setValue(ctx.as_of().year)
        self.generate_button = QPushButton(tr("生成建议"), self)
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.write_button = QPushButton(tr("写入演练计划"), self)
        self.write_button.setEnabled(False)
        self.write_button.clicked.connect(self.write)
        self.status = QLabel(self)
        self.status.setObjectName("rowCount")
        self.view = RowsView(
            [
                Col(
                    tr("建议时间"),
                    lambda p: p.starts_at or tr("无法安排"),
                    tone=lambda p: "bad" if p.starts_at is None else None,
                ),
                Col(tr("预案编号"), lambda p: p.plan_code),
                Col(tr("演练名称"), lambda p: p.title),
                Col(tr("形式"), lambda p: vocab_label(p.form)),
                Col(tr("地点"), lambda p: p.venue),
                Col(tr("参演队伍"), lambda p: "、".join(p.team_codes)),
                Col(tr("应演练日期"), lambda p: p.due, tone=lambda p: "bad" if p.overdue else None),
            ],
            "proposalsTable",
            self,
        )
        self.why = QPlainTextEdit(self)
        self.why.setObjectName("explanation")
        self.why.setReadOnly(True)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._explain())
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("年度"), self))
        bar.addWidget(self.year)
        bar.addWidget(self.generate_button)
        bar.addStretch(1)
        bar.addWidget(self.status)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setObjectName("scheduleSplitter")
        splitter.addWidget(self.view)
        splitter.addWidget(self.why)
        splitter.setStretchFactor(0, 3)
        bottom = QHBoxLayout()
        bottom.addWidget(QLabel(tr("建议只在“写入”后才成为计划中的演练。"), self))
        bottom.addStretch(1)
        bottom.addWidget(self.write_button)
        bottom.addWidget(tool_button(tr("关闭"), self, self.reject))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)
        self.resize(1000, 640)

    def generate(self) -> None:
        year, as_of = self.year.value(), self.ctx.as_of()
        self.generate_button.setEnabled(False)
        op = Op(lambda s, _p: propose_schedule(s, year=year, as_of=as_of), parent=self)
        op.with_progress(tr("正在生成年度演练计划…")).success(self._got).failure(self._failed)
        op.run(self.ctx.runner)

    def _failed(self, exc: BaseException) -> None:
        self.generate_button.setEnabled(True)
        messages.show_error(self, exc)

    def _got(self, proposals: list[Proposal]) -> None:
        self.generate_button.setEnabled(True)
        self.proposals = proposals
        self.view.set_rows(proposals)
        placed = sum(1 for p in proposals if p.starts_at is not None)
        self.status.setText(
            tr("建议 {n} 次演练，其中 {placed} 次已安排时间").format(
                n=len(proposals), placed=placed
            )
        )
        self.write_button.setEnabled(placed > 0)
        self.view.choose_row(0)
        self._explain()

    def _explain(self) -> None:
        current = self.view.current()
        self.why.setPlainText(explanation(current) if current else "")

    def write(self) -> None:
        """Check what writing the proposals would bring (conflicts), ask, then write."""
        proposals = [p for p in self.proposals if p.starts_at is not None]
        if not proposals:
            return
        user = self.ctx.user
        self.write_button.setEnabled(False)

        def check(session: Session) -> list[tuple[str, str]]:
            seen = conflicts_if_saved(session, lambda: write_schedule(session, proposals))
            return conflict_lines(seen.new_conflicts)

        op = Op(check, parent=self)
        op.success(lambda found: self._checked(proposals, user, found))
        op.failure(self._write_failed).run(self.ctx.runner)

    def _checked(self, proposals: list[Proposal], user: str, found: list[tuple[str, str]]) -> None:
        self.forewarned = [pick(zh, en) for zh, en in found]
        question = tr("将 {n} 项建议写入为“计划”状态的演练？").format(n=len(proposals))
        if self.forewarned:
            go = messages.save_anyway(
                self,
                tr("写入演练计划"),
                self.forewarned,
                intro=question
                + "\n"
                + tr("写入后将出现以下 {n} 项冲突：").format(n=len(self.forewarned)),
                yes=tr("仍然写入"),
            )
        else:
            go = messages.confirm(self, tr("写入演练计划"), question)
        if not go:
            self.write_button.setEnabled(True)
            return
        op = Op(lambda s: [d.code for d in write_schedule(s, proposals, user=user)], parent=self)
        op.changes("drills", source=self.source).success(self._written)
        op.failure(self._write_failed).run(self.ctx.runner)

    def _write_failed(self, exc: BaseException) -> None:
        self.write_button.setEnabled(True)
        messages.show_error(self, exc)

    def _written(self, codes: list[str]) -> None:
        self.written = codes
        self.status.setText(tr("已写入 {n} 次演练").format(n=len(codes)))
        self.proposals = []
        self.view.set_rows([])
