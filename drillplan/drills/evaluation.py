"""Drill evaluation (评估): indicator scores, findings and corrective actions tracked to closure.

The indicators follow the structure of GB/T 46792-2025 (突发事件应急演练评估指南): each is
scored 0–100 and the overall score is their mean unless the evaluators give one. Findings
(problems exposed) carry a severity; each finding gets corrective actions (整改措施) with an
owner unit, a due date (by default ``action_due_days`` after the evaluation, 90 days as in the
HSEEP improvement plan) and a status tracked to closure.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from drillplan import settings
from drillplan.audit import log as auditlog
from drillplan.db.models import CorrectiveAction, Drill, Finding, Unit
from drillplan.drills import evaluation_record
from drillplan.drills.editing import check_transition, check_version, flush_or_conflict, get_drill
from drillplan.kernel import records
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.vocab import ActionStatus, DrillStatus, Severity, label

INDICATORS: dict[str, tuple[str, str]] = {
    "organisation": ("组织与保障", "Organisation and support"),
    "plan": ("预案适用性", "Plan soundness"),
    "command": ("指挥与协调", "Command and coordination"),
    "teams": ("队伍表现", "Team performance"),
    "equipment": ("装备与物资", "Equipment and supplies"),
}
SCORE_MIN, SCORE_MAX = 0, 100
EVALUABLE = (DrillStatus.CONDUCTED, DrillStatus.EVALUATED)
OPEN_STATUSES = (ActionStatus.OPEN, ActionStatus.IN_PROGRESS)


def _score(value: Any, field: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal | str):
        raise ValidationError(field, f"分数“{value}”不是数字", message_en=f"{value!r} is no number")
    try:
        number = Decimal(str(value).strip())
    except ArithmeticError as exc:
        raise ValidationError(
            field, f"分数“{value}”不是数字", message_en=f"{value!r} is no number"
        ) from exc
    if not number.is_finite() or not SCORE_MIN <= number <= SCORE_MAX:
        raise ValidationError(
            field,
            f"分数 {value} 超出范围（{SCORE_MIN}–{SCORE_MAX}）",
            message_en=f"score {value} is outside {SCORE_MIN}..{SCORE_MAX}",
        )
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _date(value: Any, field: str) -> dt.date:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValidationError(field, "需要一个日期", message_en=f"{field} needs a date")
    return value


def _number(d: Decimal) -> float | int:
    return int(d) if d == d.to_integral_value() else float(d)


def evaluate(
    session: Session,
    *,
    drill_id: int,
    indicator_scores: dict[str, Any],
    summary: str,
    evaluated_on: dt.date,
    score: Any = None,
    expected_version: int | None = None,
    user: str = "system",
    evaluation_lead: str | None = None,
    evaluators: str | None = None,
    evaluation_method: str | None = None,
    objectives: str | None = None,
    course: str | None = None,
    strengths: str | None = None,
    plan_suggestions: str | None = None,
    indicator_comments: dict[str, Any] | None = None,
) -> Drill:
    """Record the evaluation of a conducted drill (and set it evaluated).

    Every indicator of :data:`INDICATORS` must be scored 0–100 (field
    ``indicator_scores.<key>``); ``score`` defaults to their mean. A drill already evaluated can
    be evaluated again (a correction: the whole record is replaced, a field not given is
    cleared); any other status is rejected (field ``status``). The lead, evaluators, method,
    objectives (one a line, optionally ending "：达成" / "：基本达成" / "：未达成"), course,
    strengths, plan suggestions and per-indicator comments are checked by
    :mod:`drillplan.drills.evaluation_record`.
    """
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    if drill.status not in EVALUABLE:
        raise ValidationError(
            "status",
            f"演练 {drill.code} 状态为“{label(drill.status)}”，只有已实施的演练才能评估",
            message_en=f"drill {drill.code} is {drill.status.value}; only a conducted drill "
            "can be evaluated",
        )
    if drill.status == DrillStatus.CONDUCTED:
        check_transition(drill, DrillStatus.EVALUATED)
    if not isinstance(indicator_scores, dict):
        raise ValidationError(
            "indicator_scores", "应为各指标的分数", message_en="indicator scores must be a mapping"
        )
    scores: dict[str, Decimal] = {}
    for key in indicator_scores:
        if key not in INDICATORS:
            raise ValidationError(
                f"indicator_scores.{key}",
                f"没有评估指标“{key}”（可选：{'、'.join(INDICATORS)}）",
                message_en=f"unknown indicator {key!r}",
            )
    for key, (zh, en) in INDICATORS.items():
        if key not in indicator_scores or indicator_scores[key] is None:
            raise ValidationError(
                f"indicator_scores.{key}",
                f"请为“{zh}”评分",
                message_en=f"indicator {en!r} has no score",
            )
        scores[key] = _score(indicator_scores[key], f"indicator_scores.{key}")
    if score is None:
        overall = (sum(scores.values()) / len(scores)).quantize(
            Decimal("0.01"), rounding=ROUND_HALF_UP
        )
    else:
        overall = _score(score, "score")
    text = (summary or "").strip()
    if not text:
        raise ValidationError(
            "summary", "请填写评估总结", message_en="an evaluation summary is required"
        )
    on = _date(evaluated_on, "evaluated_on")
    if on < drill.starts_at.date():
        raise ValidationError(
            "evaluated_on",
            f"评估日期 {on} 早于演练日期 {drill.starts_at.date()}",
            message_en="the evaluation is dated before the drill",
        )
    record = evaluation_record.parse_record(
        {
            "evaluation_lead": evaluation_lead,
            "evaluators": evaluators,
            "evaluation_method": evaluation_method,
            "objectives": objectives,
            "course": course,
            "strengths": strengths,
            "plan_suggestions": plan_suggestions,
        }
    )
    comments = evaluation_record.parse_comments(indicator_comments, INDICATORS)
    before = auditlog.snapshot(drill)
    for name, value in record.items():
        setattr(drill, name, value)
    drill.indicator_comments = comments
    drill.indicator_scores = {k: _number(v) for k, v in scores.items()}
    drill.score = overall
    drill.evaluation_summary = text
    drill.evaluated_on = on
    drill.status = DrillStatus.EVALUATED
    flush_or_conflict(session, drill)
    auditlog.record(session, user=user, action="drill.evaluate", row=drill, before=before)
    return drill


def add_finding(
    session: Session,
    *,
    drill_id: int,
    description: str,
    severity: Severity | str = Severity.MINOR,
    user: str = "system",
) -> Finding:
    """A problem the drill exposed (numbered 1, 2, ... per drill)."""
    drill = get_drill(session, drill_id)
    if drill.status not in EVALUABLE:
        raise ValidationError(
            "status",
            f"演练 {drill.code} 尚未实施，不能登记问题",
            message_en=f"drill {drill.code} has not taken place",
        )
    text = (description or "").strip()
    if not text:
        raise ValidationError(
            "description", "请描述发现的问题", message_en="a description is required"
        )
    try:
        level = Severity(severity)
    except ValueError as exc:
        raise ValidationError(
            "severity",
            f"“{severity}”不是有效的严重程度（minor/major/critical）",
            message_en=f"{severity!r} is not a severity",
        ) from exc
    seq = (
        session.scalar(select(func.max(Finding.seq)).where(Finding.drill_id == drill.id)) or 0
    ) + 1
    finding = Finding(drill_id=drill.id, seq=seq, description=text, severity=level)
    return auditlog.insert(session, finding, user=user, action="drill.finding")


def _finding(session: Session, finding_id: int) -> Finding:
    finding = session.get(Finding, finding_id)
    if finding is None:
        raise NotFound(f"问题 {finding_id} 不存在 (no finding {finding_id})")
    return finding


def _action(session: Session, action_id: int) -> CorrectiveAction:
    action = session.get(CorrectiveAction, action_id)
    if action is None:
        raise NotFound(f"整改措施 {action_id} 不存在 (no corrective action {action_id})")
    return action


def default_due(session: Session, drill: Drill, *, today: dt.date | None = None) -> dt.date:
    base = drill.evaluated_on or today or dt.date.today()
    return base + dt.timedelta(days=int(settings.get(session, "action_due_days")))


def add_action(
    session: Session,
    *,
    finding_id: int,
    action: str,
    owner_unit_id: int,
    due_on: dt.date | None = None,
    owner_name: str | None = None,
    today: dt.date | None = None,
    user: str = "system",
) -> CorrectiveAction:
    """A corrective action for a finding; due by default ``action_due_days`` after evaluation."""
    finding = _finding(session, finding_id)
    text = (action or "").strip()
    if not text:
        raise ValidationError("action", "请填写整改措施", message_en="the action is required")
    if session.get(Unit, owner_unit_id) is None:
        raise ValidationError(
            "owner_unit_id",
            f"责任单位 {owner_unit_id} 不存在",
            message_en=f"no owner unit {owner_unit_id}",
        )
    drill = finding.drill
    due = default_due(session, drill, today=today) if due_on is None else _date(due_on, "due_on")
    if due < drill.starts_at.date():
        raise ValidationError(
            "due_on",
            f"整改期限 {due} 早于演练日期 {drill.starts_at.date()}",
            message_en="the due date is before the drill",
        )
    name = (owner_name or "").strip() or None
    if name is not None and len(name) > 60:
        raise ValidationError("owner_name", "不能超过 60 个字符", message_en="too long")
    row = CorrectiveAction(
        finding_id=finding.id,
        action=text,
        owner_unit_id=owner_unit_id,
        owner_name=name,
        due_on=due,
        status=ActionStatus.OPEN,
    )
    return auditlog.insert(session, row, user=user, action="drill.action")


def set_action_status(
    session: Session,
    *,
    action_id: int,
    status: ActionStatus | str,
    closed_on: dt.date | None = None,
    expected_version: int | None = None,
    today: dt.date | None = None,
    user: str = "system",
) -> CorrectiveAction:
    """open / in_progress / closed (closing needs ``closed_on``; reopening clears it)."""
    row = _action(session, action_id)
    records.check_version(row, expected_version, f"整改措施 {row.id} ")
    try:
        target = ActionStatus(status)
    except ValueError as exc:
        raise ValidationError(
            "status",
            f"“{status}”不是有效的整改状态（open/in_progress/closed）",
            message_en=f"{status!r} is not an action status",
        ) from exc
    closed: dt.date | None = None
    if target == ActionStatus.CLOSED:
        if closed_on is None:
            raise ValidationError(
                "closed_on", "关闭整改措施需要填写完成日期", message_en="closing needs a date"
            )
        closed = _date(closed_on, "closed_on")
        drill_day = row.finding.drill.starts_at.date()
        if closed < drill_day:
            raise ValidationError(
                "closed_on",
                f"完成日期 {closed} 早于演练日期 {drill_day}",
                message_en="closed before the drill took place",
            )
        if closed > (today or dt.date.today()):
            raise ValidationError(
                "closed_on", f"完成日期 {closed} 晚于今天", message_en="closed in the future"
            )
    elif closed_on is not None:
        raise ValidationError(
            "closed_on",
            "只有关闭的整改措施才有完成日期",
            message_en="only a closed action has a closing date",
        )
    before = auditlog.snapshot(row)
    row.status = target
    row.closed_on = closed
    session.flush()
    auditlog.record(session, user=user, action="drill.action_status", row=row, before=before)
    return row


def close_action(
    session: Session,
    *,
    action_id: int,
    closed_on: dt.date,
    expected_version: int | None = None,
    today: dt.date | None = None,
    user: str = "system",
) -> CorrectiveAction:
    """Close a corrective action on ``closed_on`` (not in the future, not before the drill)."""
    return set_action_status(
        session,
        action_id=action_id,
        status=ActionStatus.CLOSED,
        closed_on=closed_on,
        expected_version=expected_version,
        today=today,
        user=user,
    )


# ------------------------------------------------------------------------------- listing


@dataclass(frozen=True)
class ActionRow:
    action_id: int
    drill_id: int
    drill_code: str
    drill_title: str
    finding_seq: int
    finding: str
    severity: str
    action: str
    owner_unit: str
    owner_name: str | None
    due_on: dt.date
    status: str
    closed_on: dt.date | None
    days_overdue: int  # 0 when not overdue (or closed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "action_id": self.action_id,
            "drill_code": self.drill_code,
            "drill_title": self.drill_title,
            "finding_seq": self.finding_seq,
            "finding": self.finding,
            "severity": self.severity,
            "action": self.action,
            "owner_unit": self.owner_unit,
            "owner_name": self.owner_name,
            "due_on": self.due_on.isoformat(),
            "status": self.status,
            "closed_on": self.closed_on.isoformat() if self.closed_on else None,
            "days_overdue": self.days_overdue,
        }


def actions(
    session: Session,
    *,
    as_of: dt.date,
    overdue_only: bool = False,
    drill_id: int | None = None,
) -> list[ActionRow]:
    """Corrective actions by due date (open ones overdue when ``due_on < as_of``)."""
    stmt = (
        select(CorrectiveAction)
        .join(Finding, Finding.id == CorrectiveAction.finding_id)
        .join(Drill, Drill.id == Finding.drill_id)
        .options(
            selectinload(CorrectiveAction.finding).selectinload(Finding.drill),
            selectinload(CorrectiveAction.owner_unit),
        )
        .order_by(CorrectiveAction.due_on, Drill.code, Finding.seq, CorrectiveAction.id)
    )
    if overdue_only:
        stmt = stmt.where(
            CorrectiveAction.status.in_(OPEN_STATUSES), CorrectiveAction.due_on < as_of
        )
    if drill_id is not None:
        stmt = stmt.where(Drill.id == drill_id)
    out: list[ActionRow] = []
    for row in session.scalars(stmt):
        finding, drill = row.finding, row.finding.drill
        late = row.status in OPEN_STATUSES and row.due_on < as_of
        out.append(
            ActionRow(
                action_id=row.id,
                drill_id=drill.id,
                drill_code=drill.code,
                drill_title=drill.title,
                finding_seq=finding.seq,
                finding=finding.description,
                severity=finding.severity.value,
                action=row.action,
                owner_unit=row.owner_unit.name,
                owner_name=row.owner_name,
                due_on=row.due_on,
                status=row.status.value,
                closed_on=row.closed_on,
                days_overdue=(as_of - row.due_on).days if late else 0,
            )
        )
    return out


def overdue_actions(session: Session, *, as_of: dt.date) -> list[ActionRow]:
    """Open or in-progress actions due before ``as_of``, most overdue first."""
    return actions(session, as_of=as_of, overdue_only=True)


def indicator_rows(drill: Drill) -> list[dict[str, Any]]:
    """The drill's indicator scores with their names (for reports), in indicator order."""
    scores = drill.indicator_scores or {}
    comments = drill.indicator_comments or {}
    return [
        {
            "key": key,
            "name_zh": zh,
            "name_en": en,
            "score": scores.get(key),
            "comment": comments.get(key),
        }
        for key, (zh, en) in INDICATORS.items()
    ]
