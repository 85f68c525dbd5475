"""The evaluation form's record tab goes to the same evaluate() as the command line: the same
too-long value is refused with the same field, and the dialog shows it under that field."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Drill
from drillplan.drills import editing, evaluation
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DrillStatus
from tests import factories as f
from tests.support.ui import fill, settle, shown

from drillplan.ui.areas.drills.dialogs import EvaluationDialog
from drillplan.ui.areas.drills.evaluation_form import EvaluationForm, evaluate_keywords
from drillplan.ui.context import UiContext

GOOD = {"organisation": 90, "plan": 85, "command": 78, "teams": 88, "equipment": 80}
TOO_LONG_LEAD = "张" * 61
TOO_LONG_COURSE = "经" * 8001


def _drill(db: Database) -> int:
    with db.session() as session:
        drill = editing.create_drill(
            session,
            code="DR-EV",
            title="防汛抢险实战演练",
            form="live",
            scope="comprehensive",
            organiser_unit_id=f.unit(session).id,
            starts_at=dt.datetime(2025, 5, 20, 9),
            ends_at=dt.datetime(2025, 5, 20, 11),
            status=DrillStatus.CONDUCTED,
        )
        return drill.id


def _cli(db: Database, *argv: str) -> int:
    return main(["--db", db.url, *argv])


def test_form_and_cli_refuse_the_same_too_long_course_with_the_same_field(
    db: Database, qtbot: object, capsys: pytest.CaptureFixture[str]
) -> None:
    drill_id = _drill(db)
    form = EvaluationForm()
    form.set_values(
        {f"indicator_scores.{k}": v for k, v in GOOD.items()}
        | {"summary": "组织有序", "evaluated_on": dt.date(2025, 5, 23)}
        | {"evaluation_lead": TOO_LONG_LEAD, "indicator_comments.command": "指挥链清晰"}
        | {"course": TOO_LONG_COURSE}
    )
    values = form.collect()
    assert values is not None
    assert values["evaluation_lead"] == "张" * 60  # the editor holds no more than the rule
    keywords = evaluate_keywords(values)
    assert keywords["indicator_comments"] == {"command": "指挥链清晰"}
    with db.session() as session, pytest.raises(ValidationError) as exc:
        evaluation.evaluate(session, drill_id=drill_id, **keywords)
    assert exc.value.field == "course"
    assert form.show_error(exc.value.field, exc.value.message)
    assert form.currentIndex() == 1  # the record tab, where the course is

    scores = [a for k, v in GOOD.items() for a in ("--indicator", f"{k}={v}")]
    argv = ["drills", "evaluate", "DR-EV", *scores, "--summary", "组织有序", "--on", "2025-05-23"]
    assert _cli(db, *argv, "--course", TOO_LONG_COURSE) == 2
    assert "course" in capsys.readouterr().err
    with db.session() as session:
        drill = session.get(Drill, drill_id)
        assert drill is not None and drill.status == DrillStatus.CONDUCTED


def test_the_dialog_saves_the_record_and_shows_it_again(qtbot: Any, ctx: UiContext) -> None:
    with ctx.db.session() as session:
        conducted = session.scalars(
            select(Drill).where(Drill.status == DrillStatus.CONDUCTED).order_by(Drill.code)
        ).first()
        assert conducted is not None
        drill_id = conducted.id
    dialog = shown(qtbot, ctx, EvaluationDialog(None, ctx, drill_id, [], None), (860, 760))
    settle(ctx)
    fill(dialog.form, **{f"indicator_scores.{k}": str(v) for k, v in GOOD.items()},
         summary="组织有序", evaluation_lead="王建国", evaluators="李明、陈静",
         objectives="检验预案：达成\n锻炼队伍：基本达成", course="09:00 发布预警",
         **{"indicator_comments.command": "指挥链清晰"})  # fmt: skip
    dialog.save()
    settle(ctx)
    with ctx.db.session() as session:
        saved = session.get(Drill, drill_id)
        assert saved is not None and saved.status == DrillStatus.EVALUATED
        assert (saved.evaluation_lead, saved.evaluators) == ("王建国", "李明、陈静")
        assert saved.objectives == "检验预案：达成\n锻炼队伍：基本达成"
        assert saved.indicator_comments == {"command": "指挥链清晰"}
    dialog.close()
    again = shown(qtbot, ctx, EvaluationDialog(None, ctx, drill_id, [], None), (860, 760))
    settle(ctx)
    assert again.form.editors["evaluation_lead"].raw() == "王建国"
    assert again.form.editors["indicator_comments.command"].raw() == "指挥链清晰"
