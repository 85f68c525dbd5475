"""The evaluation dialog's form: the scores tab and the evaluation record tab (lead,
evaluators, method, objectives, course, strengths, plan suggestions, indicator comments).

The values go to :func:`drillplan.drills.evaluation.evaluate` through :func:`evaluate_keywords`,
so the form obeys the same rules as ``drillplan drills evaluate``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QScrollArea, QTabWidget, QWidget

from drillplan.drills.evaluation import INDICATORS
from drillplan.drills.evaluation_record import COMMENT_MAX, LIMITS

from drillplan.ui.forms import FieldSpec, FormWidget
from drillplan.ui.i18n import pick, tr

COMMENT = "indicator_comments."


def score_fields() -> list[FieldSpec]:
    return [
        FieldSpec(f"indicator_scores.{key}", pick(zh, en), "decimal", required=True,
                  hint=tr("0–100 分"))
        for key, (zh, en) in INDICATORS.items()
    ] + [
        FieldSpec("score", tr("总分（留空取平均）"), "decimal"),
        FieldSpec("evaluated_on", tr("评估日期"), "date", required=True),
        FieldSpec("summary", tr("评估总结"), "multiline", required=True),
    ]  # fmt: skip


def record_fields() -> list[FieldSpec]:
    def limit(name: str) -> int:
        return LIMITS[name][1]

    return [
        FieldSpec("evaluation_lead", tr("评估组长"), max_length=limit("evaluation_lead")),
        FieldSpec("evaluators", tr("评估人员"), hint=tr("姓名之间用“、”分隔"),
                  max_length=limit("evaluators")),
        FieldSpec("evaluation_method", tr("评估方法"), "multiline"),
        FieldSpec("objectives", tr("演练目标"), "multiline",
                  hint=tr("每行一项目标，可在末尾写“：达成”“：基本达成”或“：未达成”")),
        FieldSpec("course", tr("演练经过"), "multiline"),
        FieldSpec("strengths", tr("亮点"), "multiline"),
        FieldSpec("plan_suggestions", tr("预案修订建议"), "multiline"),
    ] + [
        FieldSpec(f"{COMMENT}{key}", tr("评语：{0}").format(pick(zh, en)),
                  max_length=COMMENT_MAX)
        for key, (zh, en) in INDICATORS.items()
    ]  # fmt: skip


def evaluate_keywords(values: Mapping[str, Any]) -> dict[str, Any]:
    """The form's values as the keyword arguments of ``evaluation.evaluate``."""
    scores = {k.split(".", 1)[1]: v for k, v in values.items() if k.startswith("indicator_scores.")}
    comments = {k[len(COMMENT) :]: v for k, v in values.items() if k.startswith(COMMENT) and v}
    return {
        "indicator_scores": scores,
        "summary": values.get("summary"),
        "evaluated_on": values.get("evaluated_on"),
        "score": values.get("score"),
        "indicator_comments": comments or None,
    } | {name: values.get(name) or None for name in LIMITS}


class EvaluationForm(QTabWidget):
    """Two tabs, one form each; set, collected and shown errors as one form."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("evaluationTabs")
        self.scores = FormWidget(score_fields(), self)
        self.record = FormWidget(record_fields(), self)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(self.record)
        self.addTab(self.scores, tr("评分"))
        self.addTab(scroll, tr("评估记录"))
        self._pages: list[tuple[FormWidget, QWidget]] = [
            (self.scores, self.scores),
            (self.record, scroll),
        ]

    @property
    def editors(self) -> dict[str, Any]:
        return self.scores.editors | self.record.editors

    @property
    def errors(self) -> dict[str, Any]:
        return self.scores.errors | self.record.errors

    def editor(self, key: str) -> QWidget:
        return self.editors[key].widget

    def set_values(self, values: Mapping[str, Any]) -> None:
        for form, _page in self._pages:
            form.set_values(values)

    def collect(self) -> dict[str, Any] | None:
        out: dict[str, Any] = {}
        for form, page in self._pages:
            values = form.collect()
            if values is None:
                self.setCurrentWidget(page)
                return None
            out |= values
        return out

    def show_error(self, field: str, message: str) -> bool:
        for form, page in self._pages:
            if form.key_for(field) is not None:
                self.setCurrentWidget(page)
                return form.show_error(field, message)
        return False
