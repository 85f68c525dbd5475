"""`drillplan drills ...`: list drills, propose the annual schedule, find conflicts, export
iCalendar, record an evaluation (drill_evaluate.py), list corrective actions. JSON keys are
documented in ``docs/drills.md`` (evaluate: ``docs/cli.md``)."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli import drill_evaluate, output
from drillplan.cli.argtypes import int_arg, version_arg
from drillplan.cli.common import Out, date_arg, emit, run
from drillplan.cli.lookup import changed, reference, show, user_of
from drillplan.db.models import Drill
from drillplan.drills import conflicts, editing, evaluation, ics, schedule
from drillplan.drills import read as drills_read
from drillplan.kernel.errors import NotFound

EXIT_OK, EXIT_FINDINGS = 0, 1

LIST_COLUMNS = [
    "code",
    "title",
    "form",
    "scope",
    "status",
    "starts_at",
    "ends_at",
    "rrule",
    "occurrences",
    "venue",
    "organiser",
    "plans",
    "teams",
]
SCHEDULE_COLUMNS = [
    "starts_at",
    "ends_at",
    "plan_code",
    "title",
    "form",
    "venue",
    "teams",
    "due",
    "overdue",
    "drill_code",
]
CONFLICT_COLUMNS = ["date", "kind", "drill_codes", "subject", "reason_zh", "reason_en"]
ACTION_COLUMNS = [
    "due_on",
    "days_overdue",
    "status",
    "drill_code",
    "finding_seq",
    "severity",
    "action",
    "owner_unit",
    "owner_name",
    "closed_on",
]


_year = int_arg(minimum=2000, maximum=2100, what="年份", what_en="year")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    drills = sub.add_parser("drills", help="drills: schedule, conflicts, ics, evaluate, actions")
    d = drills.add_subparsers(dest="drills_command", metavar="ACTION", required=True)

    p = d.add_parser("list", help="drills (with --year: those with an occurrence that year)")
    p.add_argument("--year", type=_year)
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = d.add_parser("schedule", help="propose the annual drill plan (--write creates it)")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--write", action="store_true", help="create the proposed drills")
    p.add_argument("--as-of", type=date_arg, default=None, help="propose no date before (today)")
    p.add_argument("--user", default="cli", help="user name for the audit log")
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = d.add_parser("conflicts", help="every clash of the year's schedule (exit 1 if any)")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = d.add_parser("ics", help="export the year's schedule as iCalendar")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("-o", "--output", required=True, metavar="FILE.ics")
    p.add_argument("--name", default=ics.DEFAULT_NAME, help="calendar name")

    p = d.add_parser("actions", help="corrective actions (--overdue: open and past due)")
    p.add_argument("--overdue", action="store_true")
    p.add_argument("--as-of", type=date_arg, default=None, help="judge overdue on DATE (today)")
    p.add_argument("--format", choices=output.FORMATS, default="table")

    _register_edits(d)
    drill_evaluate.register(d)


def _joined(value: Any) -> Any:
    return "; ".join(str(v) for v in value) if isinstance(value, list) else value


# --------------------------------------------------------------------------------- list


def drill_row(drill: Drill, occurrences: int | None = None) -> dict[str, Any]:
    return {
        "code": drill.code,
        "title": drill.title,
        "form": drill.form.value,
        "scope": drill.scope.value,
        "status": drill.status.value,
        "starts_at": drill.starts_at.isoformat(),
        "ends_at": drill.ends_at.isoformat(),
        "rrule": drill.rrule,
        "occurrences": occurrences,
        "venue": drill.venue,
        "organiser": drill.organiser.name,
        "plans": [p.code for p in drill.plans],
        "teams": [p.team.code for p in drill.participants if p.team is not None],
    }


def _list(session: Session, args: argparse.Namespace) -> int:
    drills, counts = drills_read.drills_listed(session, year=args.year)
    rows = [drill_row(d, counts.get(d.id) if counts is not None else None) for d in drills]
    if args.format != "json":
        rows = [{k: _joined(v) for k, v in r.items()} for r in rows]
    emit(rows, LIST_COLUMNS, args.format)
    return EXIT_OK


# ----------------------------------------------------------------------------- schedule


def _schedule(session: Session, args: argparse.Namespace) -> int:
    as_of = args.as_of or dt.date.today()
    proposals = schedule.propose_schedule(session, year=args.year, as_of=as_of)
    if args.write:
        schedule.write_schedule(session, proposals, user=args.user)
    rows = [p.as_dict() for p in proposals]
    if args.format == "json":
        print(output.dumps(rows))
        return EXIT_OK
    flat = [
        {
            **{k: _joined(v) for k, v in r.items()},
            "explanation_zh": " ".join(r["explanation_zh"]),
            "explanation_en": " ".join(r["explanation_en"]),
        }
        for r in rows
    ]
    if args.format == "csv":
        emit(flat, [*SCHEDULE_COLUMNS, "explanation_zh", "explanation_en"], "csv")
        return EXIT_OK
    if not rows:
        print(f"{args.year} 年没有需要新安排的演练 (no drill to propose for {args.year})")
        return EXIT_OK
    emit(flat, SCHEDULE_COLUMNS, "table")
    print()
    for p in proposals:
        when = f"{p.starts_at:%Y-%m-%d %H:%M}" if p.starts_at else "未安排"
        print(f"{p.plan_code} → {when}")
        for line in p.explanation_zh:
            print(f"  - {line}")
    written = sum(1 for p in proposals if p.drill_code)
    if args.write:
        print(f"\n已写入 {written} 场演练 (created {written} drills)")
    return EXIT_OK


# ---------------------------------------------------------------------------- conflicts


def _conflicts(session: Session, args: argparse.Namespace) -> int:
    found = conflicts.find_conflicts(session, year=args.year)
    rows = [c.as_dict() for c in found]
    if args.format == "json":
        print(output.dumps(rows))
    elif args.format == "table" and not rows:
        print(f"{args.year} 年演练安排未发现冲突 (no conflicts in {args.year})")
    else:
        flat = [{k: _joined(v) for k, v in r.items()} for r in rows]
        cols = CONFLICT_COLUMNS if args.format == "csv" else CONFLICT_COLUMNS[:-1]
        emit(flat, cols, args.format)
    return EXIT_FINDINGS if found else EXIT_OK


# ---------------------------------------------------------------------------------- ics


def _ics(session: Session, args: argparse.Namespace) -> int:
    result = ics.export_ics(session, year=args.year, path=args.output, calendar_name=args.name)
    print(
        f"已导出 {result.events} 个日程（其中取消 {result.cancelled} 个）-> {result.path} "
        f"(exported {result.events} events, {result.cancelled} cancelled)"
    )
    return EXIT_OK


# ------------------------------------------------------------------------------ actions


def _actions(session: Session, args: argparse.Namespace) -> int:
    as_of = args.as_of or dt.date.today()
    found = evaluation.actions(session, as_of=as_of, overdue_only=args.overdue)
    emit([a.as_dict() for a in found], ACTION_COLUMNS, args.format)
    return EXIT_OK


# -------------------------------------------------------------------------- add and set
# The drill dialog's own write functions (drills/editing.py create_drill, update_drill,
# set_plans, set_participants, transition_status) with the user's words: vocabulary as typed,
# date-times as people write them; only units, plans and teams are turned into ids (by code or
# exact name, as an import does).

DRILL_COLUMNS = ["code", "title", "form", "scope", "status", "starts_at", "ends_at", "organiser"]
DRILL_OPTIONS = {
    "new_code": "code",
    "title": "title",
    "form": "form",
    "scope": "scope",
    "purpose": "purpose",
    "hseep_type": "hseep_type",
    "scenario": "scenario",
    "venue": "venue",
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "rrule": "rrule",
    "exdates": "exdates",
    "weekend_allowed": "weekend_allowed",
    "flood_related": "flood_related",
    "required_certificates": "required_certificates",
}
_ROLE = re.compile(r"(.+?)\s*[(（:：]\s*([^()（）]*?)\s*[)）]?")


def _drill_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    code_help = "drill code (default: the next QP-DR-YEAR-NNN)" if new else "a new code"
    p.add_argument("--code", dest="new_code", metavar="CODE", help=code_help)
    p.add_argument("--title", required=new, help="演练名称")
    p.add_argument(
        "--form", "--kind", dest="form", required=new, help="桌面演练/实战演练 (or the key)"
    )
    p.add_argument("--scope", required=new, help="单项/综合 (single/comprehensive)")
    p.add_argument("--organiser", metavar="UNIT", required=new, help="organiser unit code")
    p.add_argument(
        "--start",
        dest="starts_at",
        metavar="DATETIME",
        required=new,
        help="e.g. '2026-05-20 09:00'",
    )
    p.add_argument(
        "--end", dest="ends_at", metavar="DATETIME", required=new, help="e.g. '2026-05-20 11:30'"
    )
    p.add_argument("--purpose", help="检验性/示范性/研究性 (default testing)")
    p.add_argument("--hseep-type", help="seminar, workshop, tabletop, game, drill, ...")
    p.add_argument("--scenario", help="情景设计")
    p.add_argument("--venue", help="地点")
    p.add_argument("--rrule", help="RFC 5545 RRULE, e.g. FREQ=YEARLY;COUNT=3 ('' for none)")
    p.add_argument(
        "--exdate", dest="exdates", action="append", metavar="DATETIME",
        help="an occurrence not held (repeat)",
    )  # fmt: skip
    p.add_argument("--weekend-allowed", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--flood-related", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument(
        "--certificate", dest="required_certificates", action="append", metavar="TYPE",
        help="a certificate participants must hold (repeat)",
    )  # fmt: skip
    p.add_argument(
        "--plan", dest="plans", action="append", metavar="CODE",
        help="a plan the drill exercises (repeat)" + ("" if new else "; replaces the plans"),
    )  # fmt: skip
    p.add_argument(
        "--team", dest="teams", action="append", metavar="CODE[:ROLE]",
        help="a participating team, role after ':' (default 参演; repeat)",
    )  # fmt: skip
    p.add_argument(
        "--unit", dest="units", action="append", metavar="CODE[:ROLE]",
        help="a participating unit, role after ':' (repeat)",
    )  # fmt: skip
    p.add_argument("--format", choices=output.FORMATS, default="table")


def _register_edits(d: Any) -> None:
    p = d.add_parser("add", help="create a drill (as the drill dialog does)")
    _drill_options(p, new=True)
    p.add_argument("--status", help="计划/筹备/已实施 (default planned)")
    p = d.add_parser("set", help="change a drill: the fields given, its plans or participants")
    p.add_argument("drill", metavar="CODE")
    p.add_argument("--expected-version", type=version_arg, help="refuse if the drill changed since")
    p.add_argument("--no-plans", action="store_true", help="the drill exercises no plan")
    p.add_argument("--status", help="the next phase: 筹备, 已实施, 已评估 or 取消")
    _drill_options(p, new=False)


def drill_record(drill: Drill) -> dict[str, Any]:
    return {
        "id": drill.id,
        "code": drill.code,
        "title": drill.title,
        "form": drill.form.value,
        "scope": drill.scope.value,
        "purpose": drill.purpose.value,
        "hseep_type": drill.hseep_type.value if drill.hseep_type else None,
        "status": drill.status.value,
        "starts_at": drill.starts_at.isoformat(),
        "ends_at": drill.ends_at.isoformat(),
        "rrule": drill.rrule,
        "exdates": list(drill.exdates or []),
        "venue": drill.venue,
        "organiser": drill.organiser.code,
        "plans": [p.code for p in drill.plans],
        "participants": [
            {
                "team": p.team.code if p.team is not None else None,
                "unit": p.unit.code if p.unit is not None else None,
                "role": p.role,
            }
            for p in drill.participants
        ],
        "weekend_allowed": drill.weekend_allowed,
        "flood_related": drill.flood_related,
        "required_certificates": list(drill.required_certificates or []),
        "row_version": drill.row_version,
    }


def _when(value: object) -> object:
    """A date-time as people write it (2026/5/20 9:00, 2026年5月20日 9时30分); anything else is
    passed on for the drill's own check to refuse with its field."""
    from drillplan.interchange.values import BadValue, to_datetime

    if not isinstance(value, str):
        return value
    try:
        return to_datetime(value)
    except BadValue:
        return value


def _participants(
    session: Session, texts: list[str] | None, kind: str
) -> list[dict[str, Any]] | None:
    if texts is None:
        return None
    out: list[dict[str, Any]] = []
    for text in texts:
        m = _ROLE.fullmatch(text.strip())
        code, role = (m[1], m[2]) if m else (text, "")
        spec: dict[str, Any] = {f"{kind}_id": reference(session, kind, code, "participants")}
        if role:
            spec["role"] = role
        out.append(spec)
    return out


def _plan_ids(session: Session, codes: list[str] | None) -> list[int] | None:
    if codes is None:
        return None
    return [reference(session, "plan", c, "plans") or 0 for c in codes]


def _drill_fields(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    fields = changed(args, DRILL_OPTIONS)
    for name in ("starts_at", "ends_at"):
        if name in fields:
            fields[name] = _when(fields[name])
    if fields.get("rrule") == "":
        fields["rrule"] = None
    if args.organiser is not None:
        fields["organiser_unit_id"] = reference(
            session, "unit", args.organiser, "organiser_unit_id"
        )
    return fields


def _add(session: Session, args: argparse.Namespace) -> int:
    fields = _drill_fields(session, args)
    teams = _participants(session, args.teams, "team") or []
    units = _participants(session, args.units, "unit") or []
    if args.status is not None:
        fields["status"] = args.status
    drill = editing.create_drill(
        session,
        plan_ids=_plan_ids(session, args.plans) or [],
        participants=teams + units,
        user=user_of(session),
        **fields,
    )
    session.flush()
    session.refresh(drill)
    show(Out(), drill_record(drill), DRILL_COLUMNS, args.format, done_zh="已新建演练",
         done_en="drill created")  # fmt: skip
    return EXIT_OK


def _set(session: Session, args: argparse.Namespace) -> int:
    drill_id = drills_read.drill_id_by_code(session, args.drill)
    if drill_id is None:
        raise NotFound(f"没有编号为 {args.drill} 的演练 (no drill with code {args.drill})")
    user = user_of(session)
    fields = _drill_fields(session, args)
    if fields or args.expected_version is not None:
        editing.update_drill(
            session, drill_id=drill_id, expected_version=args.expected_version,
            changes=fields, user=user,
        )  # fmt: skip
    plan_ids = [] if args.no_plans else _plan_ids(session, args.plans)
    if plan_ids is not None:
        editing.set_plans(session, drill_id=drill_id, plan_ids=plan_ids, user=user)
    teams = _participants(session, args.teams, "team")
    units = _participants(session, args.units, "unit")
    if teams is not None or units is not None:
        drill = editing.get_drill(session, drill_id)
        kept = [
            {"team_id": p.team_id, "unit_id": p.unit_id, "role": p.role}
            for p in drill.participants
            if (p.team_id is not None and teams is None)
            or (p.unit_id is not None and units is None)
        ]
        editing.set_participants(
            session, drill_id=drill_id, participants=kept + (teams or []) + (units or []),
            user=user,
        )  # fmt: skip
    if args.status is not None:
        editing.transition_status(session, drill_id=drill_id, to=args.status, user=user)
    drill = editing.get_drill(session, drill_id)
    session.flush()
    session.refresh(drill)
    show(Out(), drill_record(drill), DRILL_COLUMNS, args.format, done_zh="已修改演练",
         done_en="drill updated")  # fmt: skip
    return EXIT_OK


_HANDLERS: dict[str, Callable[[Session, argparse.Namespace], int]] = {
    "add": _add,
    "set": _set,
    "list": _list,
    "schedule": _schedule,
    "conflicts": _conflicts,
    "ics": _ics,
    "actions": _actions,
    "evaluate": drill_evaluate.evaluate,
}


def cmd_drills(args: argparse.Namespace) -> int:
    return run(args, lambda session, _out: _HANDLERS[args.drills_command](session, args))
