"""`drillplan drills ...`: list drills, propose the annual schedule, find conflicts, export
iCalendar, list corrective actions. JSON keys are documented in ``docs/drills.md``."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.cli import output
from drillplan.cli.common import run
from drillplan.db.models import Drill, DrillParticipant
from drillplan.drills import conflicts, evaluation, ics, recurrence, schedule
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_date

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


def _date(value: str) -> dt.date:
    try:
        return parse_date(value, field="--as-of")
    except ValidationError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from exc


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"年份应为整数，如 2026: {value}") from exc
    if not 2000 <= year <= 2100:
        raise argparse.ArgumentTypeError(f"年份超出范围 2000–2100: {value}")
    return year


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    drills = sub.add_parser("drills", help="drills: schedule, conflicts, iCalendar, actions")
    d = drills.add_subparsers(dest="drills_command", metavar="ACTION", required=True)

    p = d.add_parser("list", help="drills (with --year: those with an occurrence that year)")
    p.add_argument("--year", type=_year)
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = d.add_parser("schedule", help="propose the annual drill plan (--write creates it)")
    p.add_argument("--year", type=_year, required=True)
    p.add_argument("--write", action="store_true", help="create the proposed drills")
    p.add_argument("--as-of", type=_date, default=None, help="propose no date before (today)")
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
    p.add_argument("--as-of", type=_date, default=None, help="judge overdue on DATE (today)")
    p.add_argument("--format", choices=output.FORMATS, default="table")


def _emit(rows: list[dict[str, Any]], columns: list[str], fmt: str) -> None:
    print(output.render(rows, columns, fmt), end="")


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
    stmt = (
        select(Drill)
        .options(
            selectinload(Drill.plans),
            selectinload(Drill.participants).selectinload(DrillParticipant.team),
            selectinload(Drill.organiser),
        )
        .order_by(Drill.starts_at, Drill.code)
    )
    counts: dict[int, int] | None = None
    if args.year is not None:
        counts = {}
        for occ in recurrence.occurrences_in_year(session, args.year, include_cancelled=True):
            counts[occ.drill_id] = counts.get(occ.drill_id, 0) + (0 if occ.cancelled else 1)
        stmt = stmt.where(Drill.id.in_(sorted(counts)))
    rows = [
        drill_row(d, counts.get(d.id) if counts is not None else None)
        for d in session.scalars(stmt)
    ]
    if args.format != "json":
        rows = [{k: _joined(v) for k, v in r.items()} for r in rows]
    _emit(rows, LIST_COLUMNS, args.format)
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
        _emit(flat, [*SCHEDULE_COLUMNS, "explanation_zh", "explanation_en"], "csv")
        return EXIT_OK
    if not rows:
        print(f"{args.year} 年没有需要新安排的演练 (no drill to propose for {args.year})")
        return EXIT_OK
    _emit(flat, SCHEDULE_COLUMNS, "table")
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
        _emit(flat, cols, args.format)
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
    _emit([a.as_dict() for a in found], ACTION_COLUMNS, args.format)
    return EXIT_OK


_HANDLERS: dict[str, Callable[[Session, argparse.Namespace], int]] = {
    "list": _list,
    "schedule": _schedule,
    "conflicts": _conflicts,
    "ics": _ics,
    "actions": _actions,
}


def cmd_drills(args: argparse.Namespace) -> int:
    return run(args, lambda session, _out: _HANDLERS[args.drills_command](session, args))
