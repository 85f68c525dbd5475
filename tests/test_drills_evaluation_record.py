"""The evaluation's own record (lead, evaluators, method, objectives, course, strengths, plan
suggestions, indicator comments): stored by evaluate(), refused alike by every door."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy.orm import Session

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Drill, Unit
from drillplan.drills import editing, evaluation, evaluation_record
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DrillStatus
from tests import factories as f

GOOD = {"organisation": 90, "plan": 85, "command": 78, "teams": 88, "equipment": 80}
TOO_LONG_LEAD = "张" * 61


def _conducted(session: Session, unit: Unit) -> Drill:
    return editing.create_drill(
        session,
        code="DR-EV",
        title="防汛抢险实战演练",
        form="live",
        scope="comprehensive",
        organiser_unit_id=unit.id,
        starts_at=dt.datetime(2025, 5, 20, 9),
        ends_at=dt.datetime(2025, 5, 20, 11, 30),
        status=DrillStatus.CONDUCTED,
    )


def _evaluate(session: Session, drill: Drill, **kw: Any) -> Drill:
    args: dict[str, Any] = {
        "drill_id": drill.id,
        "indicator_scores": dict(GOOD),
        "summary": "组织有序",
        "evaluated_on": dt.date(2025, 5, 23),
    } | kw
    return evaluation.evaluate(session, **args)


def test_evaluate_stores_the_record_and_a_correction_replaces_it(db: Database) -> None:
    with db.session() as session:
        drill = _conducted(session, f.unit(session))
        _evaluate(
            session,
            drill,
            evaluation_lead="  王建国 ",
            evaluators="李明、陈静",
            evaluation_method="现场观察、查阅记录、访谈",
            objectives="检验防汛预案：达成\n磨合区街联动机制：基本达成\n\n检验通信保障: 未达成",
            course="9:00 发布预警；9:20 队伍集结。",
            strengths="响应迅速",
            plan_suggestions="补充备用通信方式",
            indicator_comments={"command": "指挥链清晰", "teams": " "},
        )
        assert drill.evaluation_lead == "王建国"
        assert drill.evaluators == "李明、陈静"
        assert drill.indicator_comments == {"command": "指挥链清晰"}  # blank comment dropped
        got = evaluation_record.objectives(drill.objectives)
        assert [(o.text, o.verdict) for o in got] == [
            ("检验防汛预案", "met"),
            ("磨合区街联动机制", "partly_met"),
            ("检验通信保障", "not_met"),
        ]
        assert evaluation.indicator_rows(drill)[2]["comment"] == "指挥链清晰"
        _evaluate(session, drill, evaluation_lead="李明")  # the whole record is replaced
        assert (drill.evaluation_lead, drill.course, drill.indicator_comments) == (
            "李明",
            None,
            None,
        )


def test_objectives_without_a_verdict_keep_their_colons() -> None:
    got = evaluation_record.objectives("检验预案：响应程序\n锻炼队伍：达成")
    assert [(o.text, o.verdict_zh) for o in got] == [
        ("检验预案：响应程序", None),
        ("锻炼队伍", "达成"),
    ]


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"evaluation_lead": TOO_LONG_LEAD}, "evaluation_lead"),
        ({"course": "经" * 8001}, "course"),
        ({"indicator_comments": {"plan": "评" * 1001}}, "indicator_comments.plan"),
        ({"indicator_comments": {"nope": "x"}}, "indicator_comments.nope"),
    ],
)
def test_too_long_or_unknown_is_refused_with_its_field_and_nothing_changes(
    db: Database, kw: dict[str, Any], field: str
) -> None:
    with db.session() as session:
        drill = _conducted(session, f.unit(session))
        with pytest.raises(ValidationError) as exc:
            _evaluate(session, drill, **kw)
        assert exc.value.field == field
        assert drill.status == DrillStatus.CONDUCTED and drill.evaluation_lead is None


def _cli(db: Database, *argv: str) -> int:
    return main(["--db", db.url, *argv])


def _cli_args(*extra: str) -> list[str]:
    scores = [a for k, v in GOOD.items() for a in ("--indicator", f"{k}={v}")]
    return [
        "drills",
        "evaluate",
        "DR-EV",
        *scores,
        "--summary",
        "组织有序",
        "--on",
        "2025-05-23",
        *extra,
    ]


def test_cli_records_the_evaluation(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.session() as session:
        _conducted(session, f.unit(session))
    argv = _cli_args(
        "--lead", "王建国", "--evaluators", "李明、陈静", "--method", "现场观察",
        "--objective", "检验防汛预案：达成", "--objective", "锻炼队伍：未达成",
        "--comment", "command=指挥链清晰", "--plan-suggestions", "补充备用通信",
        "--format", "json",
    )  # fmt: skip
    assert _cli(db, *argv) == 0
    assert '"evaluation_lead": "王建国"' in capsys.readouterr().out
    with db.session() as session:
        drill = session.get(Drill, 1)
        assert drill is not None and drill.status == DrillStatus.EVALUATED
        assert drill.objectives == "检验防汛预案：达成\n锻炼队伍：未达成"
        assert drill.indicator_comments == {"command": "指挥链清晰"}
        assert drill.plan_suggestions == "补充备用通信"
