"""`drillplan drills evaluate CODE ...`: record a drill's evaluation, as the evaluation form does.

The scores, summary and date, and the evaluation's own record (lead, evaluators, method,
objectives with their verdict, course, strengths, plan suggestions, a comment per indicator)
all go to :func:`drillplan.drills.evaluation.evaluate`, which checks them.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli import output
from drillplan.cli.argtypes import version_arg
from drillplan.cli.common import Out, date_arg
from drillplan.cli.lookup import show, user_of
from drillplan.drills import editing, evaluation
from drillplan.drills import read as drills_read
from drillplan.kernel.errors import NotFound, ValidationError

COLUMNS = ["code", "status", "score", "evaluated_on", "evaluation_lead", "evaluators"]
TEXTS = {  # option dest -> evaluate() keyword
    "lead": "evaluation_lead",
    "evaluators": "evaluators",
    "method": "evaluation_method",
    "course": "course",
    "strengths": "strengths",
    "plan_suggestions": "plan_suggestions",
}


def register(d: Any) -> None:
    keys = "/".join(evaluation.INDICATORS)
    p = d.add_parser("evaluate", help="record a conducted drill's evaluation (评估)")
    p.add_argument("drill", metavar="CODE")
    p.add_argument(
        "--indicator",
        action="append",
        default=[],
        metavar="KEY=SCORE",
        help=f"an indicator's score 0-100, every one required ({keys})",
    )
    p.add_argument(
        "--comment",
        action="append",
        default=[],
        metavar="KEY=TEXT",
        help="the written comment on an indicator",
    )
    p.add_argument("--score", help="overall score (default: the indicators' mean)")
    p.add_argument("--summary", required=True, help="评估总结")
    p.add_argument("--on", type=date_arg, required=True, help="评估日期 (evaluation date)")
    p.add_argument("--lead", help="评估组长 (evaluation lead)")
    p.add_argument("--evaluators", help="评估人员, names separated by 、")
    p.add_argument("--method", help="评估方法 (evaluation method)")
    p.add_argument(
        "--objective",
        action="append",
        default=[],
        metavar="TEXT",
        help="an objective, optionally ending ：达成 / ：基本达成 / ：未达成 (repeat)",
    )
    p.add_argument("--course", help="演练经过 (course of the drill)")
    p.add_argument("--strengths", help="亮点 (strengths)")
    p.add_argument("--plan-suggestions", help="预案修订建议 (suggestions for revising the plan)")
    p.add_argument("--expected-version", type=version_arg, help="refuse if the drill changed since")
    p.add_argument("--format", choices=output.FORMATS, default="table")  # fmt: skip


def _pairs(texts: list[str], field: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for text in texts:
        key, sep, value = text.partition("=")
        if not sep:
            raise ValidationError(
                field, f"“{text}”应写作 指标=值", message_en=f"{text!r} is not KEY=VALUE"
            )
        out[key.strip()] = value
    return out


def record(session: Session, drill_id: int) -> dict[str, Any]:
    drill = editing.get_drill(session, drill_id)
    return {
        "code": drill.code,
        "status": drill.status.value,
        "score": str(drill.score) if drill.score is not None else None,
        "indicator_scores": dict(drill.indicator_scores or {}),
        "indicator_comments": dict(drill.indicator_comments or {}),
        "evaluated_on": drill.evaluated_on.isoformat() if drill.evaluated_on else None,
        "summary": drill.evaluation_summary,
        "evaluation_lead": drill.evaluation_lead,
        "evaluators": drill.evaluators,
        "evaluation_method": drill.evaluation_method,
        "objectives": drill.objectives,
        "course": drill.course,
        "strengths": drill.strengths,
        "plan_suggestions": drill.plan_suggestions,
        "row_version": drill.row_version,
    }


def evaluate(session: Session, args: argparse.Namespace) -> int:
    drill_id = drills_read.drill_id_by_code(session, args.drill)
    if drill_id is None:
        raise NotFound(f"没有编号为 {args.drill} 的演练 (no drill with code {args.drill})")
    texts = {kw: getattr(args, dest) for dest, kw in TEXTS.items()}
    evaluation.evaluate(
        session,
        drill_id=drill_id,
        indicator_scores=_pairs(args.indicator, "indicator_scores"),
        indicator_comments=_pairs(args.comment, "indicator_comments") or None,
        summary=args.summary,
        evaluated_on=args.on,
        score=args.score,
        objectives="\n".join(args.objective) or None,
        expected_version=args.expected_version,
        user=user_of(session),
        **texts,
    )
    session.flush()
    show(Out(), record(session, drill_id), COLUMNS, args.format, done_zh="已保存评估",
         done_en="evaluation saved")  # fmt: skip
    return 0
