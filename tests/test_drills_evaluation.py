"""Evaluation: indicator scores, findings, corrective actions to closure, overdue actions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, CorrectiveAction, Drill, Finding, Unit
from drillplan.drills import editing, evaluation
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.vocab import ActionStatus, DrillStatus, Severity
from tests import factories as f

D = dt.datetime
GOOD = {"organisation": 90, "plan": 85, "command": 78, "teams": 88, "equipment": 80.5}


def _conducted(session: Session, unit: Unit, status: DrillStatus = DrillStatus.CONDUCTED) -> Drill:
    return editing.create_drill(
        session,
        title="防汛抢险实战演练",
        form="live",
        scope="comprehensive",
        organiser_unit_id=unit.id,
        starts_at=D(2025, 5, 20, 9),
        ends_at=D(2025, 5, 20, 11, 30),
        status=status,
    )


def _state(session: Session) -> tuple[Any, ...]:
    session.flush()
    drills = session.execute(
        select(
            Drill.id,
            Drill.status,
            Drill.score,
            Drill.indicator_scores,
            Drill.evaluated_on,
            Drill.evaluation_summary,
            Drill.row_version,
        ).order_by(Drill.id)
    ).all()
    findings = session.scalar(select(func.count()).select_from(Finding))
    actions = session.execute(
        select(CorrectiveAction.id, CorrectiveAction.status, CorrectiveAction.closed_on)
    ).all()
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    return (tuple(drills), findings, tuple(actions), audits)


def _evaluate(session: Session, drill: Drill, **kw: Any) -> Drill:
    args: dict[str, Any] = {
        "drill_id": drill.id,
        "indicator_scores": dict(GOOD),
        "summary": "组织有序，通信保障存在短板",
        "evaluated_on": dt.date(2025, 5, 23),
    }
    args.update(kw)
    return evaluation.evaluate(session, **args)


def test_evaluate_scores_the_indicators_and_sets_evaluated(db: Database) -> None:
    with db.session() as session:
        drill = _conducted(session, f.unit(session))
        _evaluate(session, drill, user="评估组")
        assert drill.status == DrillStatus.EVALUATED
        assert drill.indicator_scores == GOOD
        assert drill.score == Decimal("84.30")  # (90 + 85 + 78 + 88 + 80.5) / 5
        assert drill.evaluated_on == dt.date(2025, 5, 23)
        # a correction: given overall score, evaluated again
        _evaluate(session, drill, score=82)
        assert drill.score == Decimal("82.00")
        rows = evaluation.indicator_rows(drill)
        assert [(r["key"], r["name_zh"], r["score"]) for r in rows][2] == (
            "command",
            "指挥与协调",
            78,
        )


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"indicator_scores": {**GOOD, "command": 101}}, "indicator_scores.command"),
        ({"indicator_scores": {**GOOD, "teams": -1}}, "indicator_scores.teams"),
        ({"indicator_scores": {**GOOD, "plan": "good"}}, "indicator_scores.plan"),
        ({"indicator_scores": {**GOOD, "plan": True}}, "indicator_scores.plan"),
        ({"indicator_scores": {**GOOD, "morale": 80}}, "indicator_scores.morale"),
        (
            {"indicator_scores": {k: v for k, v in GOOD.items() if k != "equipment"}},
            "indicator_scores.equipment",
        ),
        ({"score": 101}, "score"),
        ({"summary": " "}, "summary"),
        ({"evaluated_on": dt.date(2025, 5, 19)}, "evaluated_on"),
    ],
)
def test_bad_evaluation_is_rejected_and_nothing_changes(
    db: Database, kw: dict[str, Any], field: str
) -> None:
    with db.session() as session:
        drill = _conducted(session, f.unit(session))
        before = _state(session)
        with pytest.raises(ValidationError) as err:
            _evaluate(session, drill, **kw)
        assert err.value.field == field
        assert _state(session) == before
        assert drill.status == DrillStatus.CONDUCTED


@pytest.mark.parametrize("status", [DrillStatus.PLANNED, DrillStatus.PREPARING])
def test_only_a_conducted_drill_is_evaluated(db: Database, status: DrillStatus) -> None:
    with db.session() as session:
        drill = _conducted(session, f.unit(session), status=status)
        before = _state(session)
        with pytest.raises(ValidationError) as err:
            _evaluate(session, drill)
        assert err.value.field == "status"
        with pytest.raises(ValidationError) as err:
            evaluation.add_finding(session, drill_id=drill.id, description="问题")
        assert err.value.field == "status"
        assert _state(session) == before


def test_findings_and_actions_tracked_to_closure(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        other = f.unit(session, "U2", name="区水务局")
        drill = _conducted(session, unit)
        _evaluate(session, drill)
        first = evaluation.add_finding(
            session, drill_id=drill.id, description="现场通信中断 15 分钟", severity="major"
        )
        second = evaluation.add_finding(session, drill_id=drill.id, description="物资清单未更新")
        assert (first.seq, second.seq, second.severity) == (1, 2, Severity.MINOR)
        # default due: 90 days after the evaluation (23 May 2025 + 90 = 21 August 2025)
        a1 = evaluation.add_action(
            session, finding_id=first.id, action="配备卫星电话", owner_unit_id=other.id
        )
        assert a1.due_on == dt.date(2025, 8, 21)
        assert a1.status == ActionStatus.OPEN
        settings.set_value(session, "action_due_days", 30)
        a2 = evaluation.add_action(
            session,
            finding_id=second.id,
            action="更新物资清单",
            owner_unit_id=unit.id,
            owner_name="王科长",
        )
        assert a2.due_on == dt.date(2025, 6, 22)
        a3 = evaluation.add_action(
            session,
            finding_id=second.id,
            action="组织复训",
            owner_unit_id=unit.id,
            due_on=dt.date(2025, 12, 31),
        )
        evaluation.set_action_status(session, action_id=a3.id, status="in_progress")

        as_of = dt.date(2025, 9, 1)
        late = evaluation.overdue_actions(session, as_of=as_of)
        assert [(r.action, r.days_overdue) for r in late] == [
            ("更新物资清单", 71),  # due 22 June
            ("配备卫星电话", 11),  # due 21 August
        ]
        assert late[0].owner_name == "王科长" and late[1].owner_unit == "区水务局"
        assert late[1].severity == "major" and late[1].drill_code == drill.code

        evaluation.close_action(
            session, action_id=a2.id, closed_on=dt.date(2025, 8, 30), today=as_of
        )
        assert (a2.status, a2.closed_on) == (ActionStatus.CLOSED, dt.date(2025, 8, 30))
        assert [r.action for r in evaluation.overdue_actions(session, as_of=as_of)] == [
            "配备卫星电话"
        ]
        everything = evaluation.actions(session, as_of=as_of)
        assert [(r.action, r.status) for r in everything] == [
            ("更新物资清单", "closed"),
            ("配备卫星电话", "open"),
            ("组织复训", "in_progress"),
        ]
        # reopening clears the closing date (the database insists: closed iff closed_on)
        evaluation.set_action_status(session, action_id=a2.id, status="open")
        assert a2.closed_on is None


def test_bad_actions_are_rejected(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        drill = _conducted(session, unit)
        finding = evaluation.add_finding(session, drill_id=drill.id, description="指挥部选址不当")
        action = evaluation.add_action(
            session,
            finding_id=finding.id,
            action="重新选址",
            owner_unit_id=unit.id,
            today=dt.date(2025, 5, 21),
        )
        assert action.due_on == dt.date(2025, 8, 19)  # not evaluated yet: today + 90
        before = _state(session)
        cases: list[tuple[dict[str, Any], str]] = [
            ({"action": " "}, "action"),
            ({"owner_unit_id": 999}, "owner_unit_id"),
            ({"due_on": dt.date(2025, 5, 1)}, "due_on"),
        ]
        for kw, field in cases:
            args: dict[str, Any] = {
                "finding_id": finding.id,
                "action": "整改",
                "owner_unit_id": unit.id,
                **kw,
            }
            with pytest.raises(ValidationError) as err:
                evaluation.add_action(session, **args)
            assert err.value.field == field
        today = dt.date(2025, 6, 1)
        for kw, field in [
            ({"status": "closed"}, "closed_on"),
            ({"status": "closed", "closed_on": dt.date(2025, 6, 2)}, "closed_on"),  # future
            ({"status": "closed", "closed_on": dt.date(2025, 5, 1)}, "closed_on"),  # before drill
            ({"status": "open", "closed_on": dt.date(2025, 5, 30)}, "closed_on"),
            ({"status": "done"}, "status"),
        ]:
            with pytest.raises(ValidationError) as err:
                evaluation.set_action_status(session, action_id=action.id, today=today, **kw)
            assert err.value.field == field
        with pytest.raises(ValidationError) as err:
            evaluation.add_finding(session, drill_id=drill.id, description="x", severity="huge")
        assert err.value.field == "severity"
        assert _state(session) == before
        with pytest.raises(NotFound):
            evaluation.close_action(session, action_id=999, closed_on=today)
