"""The drill dialog's fields (with the recurrence editor) and the evaluation dialog
(indicator scores, findings and corrective actions tracked to closure)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from drillplan.drills import editing, evaluation
from drillplan.drills import read as drills_read
from drillplan.drills.conflicts import KINDS, ConflictItem
from drillplan.drills.foresee import conflicts_if_saved
from drillplan.kernel.vocab import (
    ActionStatus,
    DrillForm,
    DrillPurpose,
    DrillScope,
    HseepType,
    Severity,
    label,
)

from drillplan.ui.areas.drills.evaluation_form import EvaluationForm, evaluate_keywords
from drillplan.ui.areas.drills.recurrence import RecurrenceEditor
from drillplan.ui.context import UiContext
from drillplan.ui.dialogs import BaseDialog, Forewarn, FormDialog, open_once
from drillplan.ui.forms import FieldSpec, _message, vocab, vocab_label
from drillplan.ui.i18n import current_language, tr
from drillplan.ui.ops import Op
from drillplan.ui.rows_model import Col, RowsView
from drillplan.ui.widgets import tool_button

Choices = list[tuple[int, str]]


def drill_fields(units: Choices, plans: Choices, teams: Choices, *, new: bool) -> list[FieldSpec]:
    fields = [
        FieldSpec("code", tr("演练编号"), max_length=32, placeholder=tr("留空自动编号")),
        FieldSpec("title", tr("演练名称"), required=True, max_length=200),
        FieldSpec("form", tr("演练形式"), "choice", required=True, choices=vocab(DrillForm)),
        FieldSpec("scope", tr("演练规模"), "choice", required=True, choices=vocab(DrillScope)),
        FieldSpec("purpose", tr("演练目的"), "choice", choices=vocab(DrillPurpose)),
        FieldSpec(
            "hseep_type",
            tr("演练类型（HSEEP）"),
            "choice",
            choices=vocab(HseepType),
            empty_choice=True,
        ),
        FieldSpec(
            "organiser_unit_id",
            tr("组织单位"),
            "choice",
            required=True,
            choices=units,
            searchable=True,
        ),
        FieldSpec("venue", tr("地点"), max_length=200),
        FieldSpec("starts_at", tr("开始时间"), "datetime", required=True),
        FieldSpec(
            "ends_at", tr("结束时间"), "datetime", required=True, keeps_duration_of="starts_at"
        ),
        FieldSpec("rrule", tr("重复"), "custom", factory=RecurrenceEditor, aliases=("exdates",)),
        FieldSpec(
            "plan_ids",
            tr("检验的预案"),
            "multi",
            choices=plans,
            aliases=("plans",),
            searchable=True,
        ),
        FieldSpec(
            "team_ids",
            tr("参演队伍"),
            "multi",
            choices=teams,
            aliases=("participants",),
            searchable=True,
        ),
        FieldSpec("required_certificates", tr("参演人员须持证书"), "list"),
        FieldSpec("weekend_allowed", tr("允许安排在休息日"), "bool"),
        FieldSpec("flood_related", tr("防汛防台演练"), "bool"),
        FieldSpec("scenario", tr("情景设计"), "multiline"),
    ]
    if new:
        statuses = [(s, vocab_label(s)) for s in editing.CREATE_STATUSES]
        fields.insert(
            2,
            FieldSpec("status", tr("状态"), "choice", choices=[(s.value, n) for s, n in statuses]),
        )
    return fields


def participants_for(team_ids: list[int], existing: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep unit participants and the roles of teams still taking part; new teams 参演."""
    kept = [p for p in existing if p["unit_id"] is not None]
    roles = {p["team_id"]: p["role"] for p in existing if p["team_id"] is not None}
    return kept + [{"team_id": t, "unit_id": None, "role": roles.get(t, "参演")} for t in team_ids]


def save_new_drill(user: str) -> Any:
    def save(session: Session, values: dict[str, Any]) -> Any:
        team_ids = values.pop("team_ids") or []
        plan_ids = values.pop("plan_ids") or []
        values = {k: v for k, v in values.items() if v is not None}
        return editing.create_drill(
            session,
            plan_ids=plan_ids,
            participants=participants_for(team_ids, []),
            user=user,
            **values,
        )

    return save


def save_drill_edit(user: str, drill_id: int, version: int, existing: list[dict[str, Any]]) -> Any:
    def save(session: Session, values: dict[str, Any]) -> Any:
        team_ids = values.pop("team_ids") or []
        plan_ids = values.pop("plan_ids") or []
        if not values.get("code"):
            values.pop("code", None)
        drill = drills_read.drill_edit_checked(
            session,
            drill_id,
            expected_version=version,
            attempted=values,
            save=lambda: editing.update_drill(
                session, drill_id=drill_id, expected_version=version, changes=values, user=user
            ),
        )
        editing.set_plans(session, drill_id=drill_id, plan_ids=plan_ids, user=user)
        editing.set_participants(
            session, drill_id=drill_id, participants=participants_for(team_ids, existing), user=user
        )
        return drill

    return save


def foreseen_conflicts(save: Any, drill_id: int | None = None) -> Forewarn:
    """Before ``save`` runs: the conflicts it would bring (team or venue double-booked, weekend
    or holiday, certificates, plan overdue), each as (Chinese, English) with its kind."""

    def check(session: Session, values: dict[str, Any]) -> list[tuple[str, str]]:
        seen = conflicts_if_saved(
            session, lambda: save(session, values), drill_ids=[drill_id] if drill_id else []
        )
        return conflict_lines(seen.new_conflicts)

    return check


def conflict_lines(items: list[ConflictItem]) -> list[tuple[str, str]]:
    """Each conflict as (Chinese, English), its kind first: "非工作日：演练 ..."."""
    return [
        (f"{KINDS[c.kind][0]}：{c.reason_zh}", f"{KINDS[c.kind][1]}: {c.reason_en}") for c in items
    ]


class EvaluationDialog(BaseDialog):
    """评估: indicator scores and summary; findings with their corrective actions."""

    def __init__(
        self, parent: QWidget | None, ctx: UiContext, drill_id: int, units: Choices, source: object
    ) -> None:
        super().__init__(parent, "drillEvaluation", tr("演练评估"), record=drill_id)
        self.ctx, self.drill_id, self.units, self.source = ctx, drill_id, units, source
        self.data: Any = None
        self.title_label = QLabel(self)
        self.title_label.setObjectName("dataLabel")
        self.form = EvaluationForm(self)
        self.save_button = QPushButton(tr("保存评估"), self)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.findings = RowsView(
            [
                Col(tr("序号"), lambda f: f.seq, right=True),
                Col(
                    tr("严重程度"),
                    lambda f: vocab_label(Severity(f.severity)),
                    tone=lambda f: "bad" if f.severity == "critical" else None,
                ),
                Col(tr("问题描述"), lambda f: f.description),
                Col(tr("整改措施"), lambda f: len(f.actions), right=True),
            ],
            "findingsTable",
            self,
        )
        self.findings.selectionModel().currentRowChanged.connect(lambda *_a: self._show_actions())
        self.actions = RowsView(
            [
                Col(tr("整改措施"), lambda a: a.action),
                Col(tr("责任单位"), lambda a: a.owner_unit),
                Col(tr("整改期限"), lambda a: a.due_on, tone=self._action_tone),
                Col(
                    tr("状态"),
                    lambda a: label(a.status, current_language()),
                    tone=self._action_tone,
                ),
                Col(tr("完成日期"), lambda a: a.closed_on),
            ],
            "actionsTable",
            self,
        )
        top = QHBoxLayout()
        top.addWidget(self.form, 1)
        findings_bar = QHBoxLayout()
        findings_bar.addWidget(QLabel(tr("发现的问题"), self))
        findings_bar.addStretch(1)
        findings_bar.addWidget(tool_button(tr("添加问题"), self, self.add_finding))
        actions_bar = QHBoxLayout()
        actions_bar.addWidget(QLabel(tr("整改措施"), self))
        actions_bar.addStretch(1)
        actions_bar.addWidget(tool_button(tr("添加整改措施"), self, self.add_action))
        actions_bar.addWidget(tool_button(tr("标记完成"), self, self.close_action))
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.save_button)
        bottom.addWidget(tool_button(tr("关闭"), self, self.reject))
        layout = QVBoxLayout(self)
        layout.addWidget(self.title_label)
        layout.addLayout(top)
        layout.addLayout(findings_bar)
        layout.addWidget(self.findings)
        layout.addLayout(actions_bar)
        layout.addWidget(self.actions)
        layout.addLayout(bottom)
        self.resize(860, 760)
        self.reload()

    def _action_tone(self, a: Any) -> str | None:
        if a.status == ActionStatus.CLOSED.value:
            return "good"
        return "bad" if a.due_on < self.ctx.as_of() else None

    def reload(self) -> None:
        drill_id = self.drill_id
        Op(lambda s: drills_read.drill_evaluation(s, drill_id), parent=self).success(self._got).run(
            self.ctx.runner
        )

    def _got(self, data: Any) -> None:
        first = self.data is None
        self.data = data
        self.title_label.setText(
            f"{data.code} {data.title}（{label(data.status, current_language())}）"
        )
        if first:
            values: dict[str, Any] = {
                f"indicator_scores.{k}": v for k, v in data.indicator_scores.items()
            }
            values |= {
                "score": data.score,
                "summary": data.summary,
                "evaluated_on": data.evaluated_on or self.ctx.as_of(),
            } | data.record
            self.form.set_values(values)
        current = self.findings.current()
        self.findings.set_rows(list(data.findings))
        ids = [f.finding_id for f in data.findings]
        keep = current.finding_id if current else None
        self.findings.choose_row(ids.index(keep) if keep in ids else 0)
        self._show_actions()

    def _show_actions(self) -> None:
        finding = self.findings.current()
        self.actions.set_rows(list(finding.actions) if finding else [])

    def _run(self, fn: Any, then: Any = None, errors_to_form: bool = False) -> None:
        op = Op(fn, parent=self).changes("drills", source=self.source)
        op.success(lambda r: (then(r) if then else None, self.reload()))
        if errors_to_form:
            op.failure(self._failed)
        op.run(self.ctx.runner)

    def _failed(self, exc: BaseException) -> None:
        from drillplan.kernel.errors import ValidationError

        from drillplan.ui import messages

        if isinstance(exc, ValidationError) and self.form.show_error(exc.field, _message(exc)):
            return
        messages.show_error(self, exc)

    def save(self) -> None:
        values = self.form.collect()
        if values is None or self.data is None:
            return
        keywords = evaluate_keywords(values)
        drill_id, version, user = self.drill_id, self.data.row_version, self.ctx.user
        self._run(
            lambda s: evaluation.evaluate(
                s, drill_id=drill_id, expected_version=version, user=user, **keywords
            ),
            errors_to_form=True,
        )

    def _small_form(
        self,
        name: str,
        title: str,
        fields: list[FieldSpec],
        save: Any,
        values: dict[str, Any] | None = None,
    ) -> FormDialog:
        dialog = FormDialog(
            self,
            self.ctx,
            name=name,
            title=title,
            fields=fields,
            save=save,
            values=values,
            areas=("drills",),
            source=self.source,
        )
        shown = open_once(dialog)
        if shown is not dialog:
            return shown  # type: ignore[return-value]
        dialog.saved.connect(lambda _r: self.reload())
        dialog.finished.connect(dialog.deleteLater)
        self.child = dialog
        return dialog

    def add_finding(self) -> None:
        drill_id, user = self.drill_id, self.ctx.user
        self._small_form(
            "finding",
            tr("添加发现的问题"),
            [
                FieldSpec("description", tr("问题描述"), "multiline", required=True),
                FieldSpec("severity", tr("严重程度"), "choice", choices=vocab(Severity)),
            ],
            lambda s, v: evaluation.add_finding(s, drill_id=drill_id, user=user, **v),
        )

    def add_action(self) -> None:
        finding = self.findings.current()
        if finding is None:
            return
        user, today = self.ctx.user, self.ctx.today()
        self._small_form(
            "action",
            tr("添加整改措施"),
            [
                FieldSpec("action", tr("整改措施"), "multiline", required=True),
                FieldSpec(
                    "owner_unit_id",
                    tr("责任单位"),
                    "choice",
                    required=True,
                    choices=self.units,
                    searchable=True,
                ),
                FieldSpec("owner_name", tr("责任人"), max_length=60),
                FieldSpec("due_on", tr("整改期限"), "date", hint=tr("留空按设置的整改期限天数")),
            ],
            lambda s, v: evaluation.add_action(
                s,
                finding_id=finding.finding_id,
                today=today,
                user=user,
                **{k: x for k, x in v.items() if x is not None},
            ),
        )

    def close_action(self) -> None:
        action = self.actions.current()
        if action is None:
            return
        user, today = self.ctx.user, self.ctx.today()
        self._small_form(
            "closeAction",
            tr("整改完成"),
            [
                FieldSpec("closed_on", tr("完成日期"), "date", required=True),
            ],
            lambda s, v: evaluation.close_action(
                s,
                action_id=action.action_id,
                closed_on=v["closed_on"],
                expected_version=action.row_version,
                today=today,
                user=user,
            ),
            values={"closed_on": today},
        )


def default_times(day: dt.date) -> dict[str, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(9, 0))
    return {"starts_at": start, "ends_at": start + dt.timedelta(hours=3)}
