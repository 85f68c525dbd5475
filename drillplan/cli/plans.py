"""`drillplan plans ...` and `drillplan holidays ...`: the plan register from the command line.

Wire into drillplan/cli/main.py with ``from drillplan.plans import cli as cli_plans``,
``cli_plans.register(sub)`` and the commands ``"plans": cli_plans.cmd_plans`` and
``"holidays": cli_plans.cmd_holidays``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from drillplan.calendar import holiday_list, workdays
from drillplan.cli import output
from drillplan.cli.argtypes import version_arg, year_arg
from drillplan.cli.common import Out, add_format, date_arg, emit, run
from drillplan.cli.lookup import changed, reference, show, user_of
from drillplan.db.models import Plan
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_enum
from drillplan.kernel.vocab import PlanStatus, label
from drillplan.plans import due, lifecycle, rules
from drillplan.plans import read as plans_read
from drillplan.plans import register as plan_register
from drillplan.plans.common import plan_by_code

DUE_COLUMNS = [
    "code",
    "title",
    "status",
    "filing_deadline",
    "filed_on",
    "next_evaluation",
    "evaluation_days_overdue",
    "next_drill",
    "last_drill",
    "drill_days_overdue",
    "overdue",
    "reasons",
]
LIST_COLUMNS = [
    "code",
    "title",
    "kind",
    "status",
    "version",
    "owner_unit",
    "approved_on",
    "published_on",
    "filed_on",
    "evaluation_interval_months",
    "drill_interval_months",
]


def _op(sub: Any, name: str, help_text: str) -> argparse.ArgumentParser:
    p: argparse.ArgumentParser = sub.add_parser(name, help=help_text)
    p.add_argument("--plan", required=True, metavar="CODE", help="plan code")
    p.add_argument("--date", type=date_arg, default=None, help="date of the change (today)")
    p.add_argument("--user", default="cli")
    add_format(p)
    return p


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    plans = sub.add_parser("plans", help="contingency plans: due dates, lifecycle, versions")
    s = plans.add_subparsers(dest="plans_command", metavar="ACTION", required=True)
    p = s.add_parser("due", help="next evaluation, drill, publication and filing dates")
    p.add_argument("--as-of", type=date_arg, default=None, help="judge on DATE (today)")
    p.add_argument("--overdue-only", action="store_true")
    p.add_argument("--plan", action="append", metavar="CODE", dest="plans")
    add_format(p)
    p = s.add_parser("list", help="the plan register")
    p.add_argument("--status", help="only plans in this status")
    p.add_argument("--all", action="store_true", help="include abolished plans")
    add_format(p)
    p = _op(s, "transition", "move a plan to another status (编制中 -> 审核中 -> ...)")
    p.add_argument("--to", required=True, metavar="STATUS", help="status key or 中文名")
    p.add_argument("--note")
    p = _op(s, "revise", "start a revision: a new version with its reason")
    p.add_argument("--reason", required=True, choices=sorted(lifecycle.REVISION_REASONS))
    p.add_argument("--summary", required=True)
    p.add_argument("--version", dest="new_version", help="new version (next major: 1.0 -> 2.0)")
    p = _op(s, "evaluate", "record an evaluation (评估)")
    p.add_argument(
        "--conclusion", required=True, choices=sorted(plan_register.EVALUATION_CONCLUSIONS)
    )
    p.add_argument("--summary", default="")
    for name, help_text in (("versions", "every version"), ("history", "every status change")):
        p = s.add_parser(name, help=help_text)
        p.add_argument("--plan", required=True, metavar="CODE")
        add_format(p)
    _register_edits(s)

    hol = sub.add_parser("holidays", help="public holidays and make-up workdays (调休)")
    h = hol.add_subparsers(dest="holidays_command", metavar="ACTION", required=True)
    p = h.add_parser("set", help="enter a year's official list from a CSV: date,name,off|work")
    p.add_argument("--year", type=year_arg, required=True)
    p.add_argument("--file", type=Path, required=True)
    p = h.add_parser("show", help="the year's holidays and make-up workdays")
    p.add_argument("--year", type=year_arg, required=True)
    add_format(p)


def _with_session(args: argparse.Namespace, body: Callable[[Session], int]) -> int:
    return run(args, lambda session, _out: body(session))


# ---------------------------------------------------------------------------------- plans


def _due(session: Session, args: argparse.Namespace) -> int:
    ids = [plan_by_code(session, c).id for c in args.plans] if args.plans else None
    found = due.plan_due(
        session, as_of=args.as_of or dt.date.today(), plan_ids=ids, overdue_only=args.overdue_only
    )
    rows = [r.as_dict() for r in found]
    if args.format == "json":
        print(output.dumps(rows))
        return 0
    for row in rows:
        row["status"] = label(str(row["status"]))
        row["reasons"] = "；".join(row["reasons"])  # type: ignore[arg-type]
    emit(rows, DUE_COLUMNS, args.format)
    return 0


def _list(session: Session, args: argparse.Namespace) -> int:
    status = (
        parse_enum(PlanStatus, args.status, field="status", what="预案状态")
        if args.status
        else None
    )
    plans = plans_read.register_plans(session, status=status, include_abolished=args.all)
    rows = [
        {
            "code": p.code,
            "title": p.title,
            "kind": str(p.kind),
            "status": str(p.status),
            "version": p.current_version,
            "owner_unit": p.owner_unit.name,
            "approved_on": p.approved_on,
            "published_on": p.published_on,
            "filed_on": p.filed_on,
            "evaluation_interval_months": p.evaluation_interval_months,
            "drill_interval_months": rules.drill_rule(p).months,
        }
        for p in plans
    ]
    emit(rows, LIST_COLUMNS, args.format)
    return 0


def _versions(session: Session, args: argparse.Namespace) -> int:
    plan = plan_by_code(session, args.plan)
    rows = [
        {
            "version": r.version,
            "revised_on": r.revised_on,
            "reason": r.reason,
            "reason_label": lifecycle.reason_label(r.reason),
            "summary": r.summary,
            "current": r.version == plan.current_version,
        }
        for r in lifecycle.versions(session, plan.id)
    ]
    emit(
        rows, ["version", "revised_on", "reason", "reason_label", "summary", "current"], args.format
    )
    return 0


def _history(session: Session, args: argparse.Namespace) -> int:
    plan = plan_by_code(session, args.plan)
    rows = [
        {
            "changed_on": c.changed_on,
            "from_status": str(c.from_status) if c.from_status else None,
            "to_status": str(c.to_status),
            "to_label": label(c.to_status),
            "user": c.username,
            "note": c.note,
        }
        for c in lifecycle.history(session, plan.id)
    ]
    emit(rows, ["changed_on", "from_status", "to_status", "to_label", "user", "note"], args.format)
    return 0


def _change(session: Session, args: argparse.Namespace) -> int:
    plan = plan_by_code(session, args.plan)
    on = args.date or dt.date.today()
    cmd = args.plans_command
    if cmd == "transition":
        lifecycle.transition(
            session, plan_id=plan.id, to_status=args.to, on=on, user=args.user, note=args.note
        )
    elif cmd == "revise":
        lifecycle.revise(
            session,
            plan_id=plan.id,
            reason=args.reason,
            summary=args.summary,
            on=on,
            new_version=args.new_version,
            user=args.user,
        )
    elif cmd == "evaluate":
        plan_register.record_evaluation(
            session,
            plan_id=plan.id,
            on=on,
            conclusion=args.conclusion,
            summary=args.summary,
            user=args.user,
        )
    row = {
        "code": plan.code,
        "status": str(plan.status),
        "status_label": label(plan.status),
        "version": plan.current_version,
        "approved_on": plan.approved_on,
        "published_on": plan.published_on,
    }
    emit([row], list(row), args.format)
    return 0


# ------------------------------------------------------------------------- add and set
# The plan dialog's own write functions (plans/register.py create_plan / update_plan) with the
# user's words: vocabulary as typed (code, 中文 or English label), months as text; only the
# owner unit is turned into an id (by code or exact name, as an import does).

PLAN_COLUMNS = ["code", "title", "kind", "category", "owner_unit", "status", "version"]
PLAN_OPTIONS = {
    "new_code": "code",
    "title": "title",
    "kind": "kind",
    "category": "category",
    "holder_class": "holder_class",
    "hazards": "hazards",
    "response_levels": "response_levels",
    "approved_on": "approved_on",
    "published_on": "published_on",
    "filed_on": "filed_on",
    "filed_with": "filed_with",
    "evaluation_interval_months": "evaluation_interval_months",
    "drill_interval_months": "drill_interval_months",
    "flood_related": "flood_related",
    "notes": "notes",
}
PLAN_DATES = ("approved_on", "published_on", "filed_on")


def _date_or_blank(value: str) -> dt.date | str:
    """A date, or '' (clear the date: ``plans set CODE --filed-on ''``)."""
    return "" if not value.strip() else date_arg(value)


def _plan_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    if new:
        p.add_argument(
            "--code", dest="new_code", metavar="CODE", required=True, help="plan code (预案编号)"
        )
    else:
        p.add_argument("--code", dest="new_code", metavar="CODE", help="a new code for the plan")
    p.add_argument("--title", required=new, help="预案名称")
    p.add_argument("--kind", required=new, help="总体预案/专项预案/部门预案 ... (or the key)")
    p.add_argument("--category", required=new, help="自然灾害/事故灾难/公共卫生事件/社会安全事件")
    p.add_argument("--owner", metavar="UNIT", required=new, help="owner unit code (编制单位)")
    p.add_argument("--holder-class", help="持有单位类型: sets the default drill interval")
    p.add_argument("--hazards", help="风险类型, separated by 、 or commas")
    p.add_argument("--response-levels", help="响应级别, separated by 、 or commas")
    dates = date_arg if new else _date_or_blank
    p.add_argument("--approved-on", type=dates, help="批准日期")
    p.add_argument("--published-on", type=dates, help="发布日期")
    p.add_argument("--filed-on", type=dates, help="备案日期")
    p.add_argument("--filed-with", help="备案机关")
    p.add_argument(
        "--evaluation-interval", dest="evaluation_interval_months", metavar="MONTHS",
        help="评估周期（月，default 36）",
    )  # fmt: skip
    p.add_argument(
        "--drill-interval", dest="drill_interval_months", metavar="MONTHS",
        help="演练周期（月; default: by kind and holder class）",
    )  # fmt: skip
    p.add_argument("--flood-related", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--notes")
    p.add_argument("--as-of", type=date_arg, help="today, for the no-future-dates rule")
    add_format(p)


def _register_edits(s: Any) -> None:
    p = s.add_parser("add", help="register a plan (a new draft, or an existing plan)")
    _plan_options(p, new=True)
    p.add_argument("--status", help="编制中/审核中/已批准/已发布/修订中 (default drafting)")
    p.add_argument("--version", help="version (default 1.0)")
    p.add_argument("--on", type=date_arg, help="date a new draft is entered (today)")
    p = s.add_parser("set", help="change a plan's register fields (not status or version)")
    p.add_argument("plan", metavar="CODE")
    p.add_argument("--expected-version", type=version_arg, help="refuse if the plan changed since")
    _plan_options(p, new=False)


def plan_record(plan: Plan) -> dict[str, Any]:
    return {
        "id": plan.id,
        "code": plan.code,
        "title": plan.title,
        "kind": plan.kind.value,
        "kind_label": label(plan.kind),
        "category": plan.category.value,
        "hazards": list(plan.hazards or []),
        "owner_unit": plan.owner_unit.code,
        "holder_class": plan.holder_class.value,
        "response_levels": list(plan.response_levels or []),
        "status": plan.status.value,
        "status_label": label(plan.status),
        "version": plan.current_version,
        "approved_on": plan.approved_on,
        "published_on": plan.published_on,
        "filed_on": plan.filed_on,
        "filed_with": plan.filed_with,
        "evaluation_interval_months": plan.evaluation_interval_months,
        "drill_interval_months": plan.drill_interval_months,
        "flood_related": plan.flood_related,
        "notes": plan.notes,
        "row_version": plan.row_version,
    }


def _plan_fields(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    fields = changed(args, PLAN_OPTIONS)
    for name in PLAN_DATES:
        if fields.get(name) == "":
            fields[name] = None
    if args.owner is not None:
        fields["owner_unit_id"] = reference(session, "unit", args.owner, "owner_unit_id")
    return fields


def _add(session: Session, args: argparse.Namespace) -> int:
    fields = _plan_fields(session, args)
    for name in ("status", "version", "on"):
        if getattr(args, name) is not None:
            fields[name] = getattr(args, name)
    plan = plan_register.create_plan(session, user=user_of(session), today=args.as_of, **fields)
    session.flush()
    session.refresh(plan)
    show(Out(), plan_record(plan), PLAN_COLUMNS, args.format, done_zh="已新建预案",
         done_en="plan created")  # fmt: skip
    return 0


def _set(session: Session, args: argparse.Namespace) -> int:
    plan = plan_by_code(session, args.plan)
    expected = args.expected_version if args.expected_version is not None else plan.row_version
    plan = plan_register.update_plan(
        session, plan_id=plan.id, expected_version=expected, user=user_of(session),
        today=args.as_of, **_plan_fields(session, args),
    )  # fmt: skip
    session.flush()
    session.refresh(plan)
    show(Out(), plan_record(plan), PLAN_COLUMNS, args.format, done_zh="已修改预案",
         done_en="plan updated")  # fmt: skip
    return 0


PLAN_ACTIONS: dict[str, Callable[[Session, argparse.Namespace], int]] = {
    "add": _add,
    "set": _set,
    "due": _due,
    "list": _list,
    "versions": _versions,
    "history": _history,
    "transition": _change,
    "revise": _change,
    "evaluate": _change,
}


def cmd_plans(args: argparse.Namespace) -> int:
    action = PLAN_ACTIONS[args.plans_command]
    return _with_session(args, lambda session: action(session, args))


# ------------------------------------------------------------------------------- holidays


def _read(path: Path) -> str:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ValidationError(
            "file", f"无法读取文件 {path}：{exc}", message_en=f"cannot read {path}: {exc}"
        ) from exc
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(
        "file",
        f"文件 {path} 不是文本文件（应为 UTF-8 或 GB18030 编码的放假安排文本）",
        message_en=f"{path} is not a UTF-8 or GB18030 text file",
        rule="not_text",
    )


def cmd_holidays(args: argparse.Namespace) -> int:
    if args.holidays_command == "set":
        listed = holiday_list.parse_official_list(_read(args.file), year=args.year)

        def store(session: Session) -> int:
            workdays.set_official_list(session, args.year, listed.days_off, listed.workdays)
            print(
                f"已录入 {args.year} 年官方安排：放假 {len(listed.days_off)} 天，"
                f"调休上班 {len(listed.workdays)} 天 (official list stored)"
            )
            return 0

        return _with_session(args, store)

    def show(session: Session) -> int:
        rows = holiday_list.year_rows(session, args.year)
        if args.format == "table":
            print(holiday_list.year_status(session, args.year))
        emit(rows, ["date", "weekday", "name", "type", "source"], args.format)
        return 0

    return _with_session(args, show)
