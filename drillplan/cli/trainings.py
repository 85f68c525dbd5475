"""`drillplan trainings list|add|edit|remove|issue|show|totals`: training and public
education events (培训与宣教).

Every command calls the write function the desktop form calls (:mod:`drillplan.trainings`)
with the user's words: the kind as typed (code, 中文 or English), dates and numbers as text;
only references are turned into ids (by code or exact name, as an import does). ``issue``
is an ordinary ledger issue (FEFO, never below zero) whose document number is the event's
code. A refusal exits 2 with the domain's field and message, and nothing is written. JSON
keys are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.cli.argtypes import version_arg, year_arg
from drillplan.cli.common import EXIT_OK, Out, add_format, date_arg, run
from drillplan.cli.lookup import changed, listed, reference, show, user_of
from drillplan.db.models import TrainingEvent
from drillplan.kernel.errors import NotFound
from drillplan.kernel.values import parse_enum
from drillplan.kernel.vocab import TrainingKind, label
from drillplan.stock import holders
from drillplan.trainings import events, materials, read

__all__ = ["cmd_trainings", "event_record", "register"]

HELP = "training and public education events (培训与宣教)"
EVENT_COLUMNS = [
    "code", "starts_at", "kind_label", "title", "street", "organiser", "headcount", "venue",
]  # fmt: skip
TOTAL_COLUMNS = ["street", "kind_label", "events", "headcount"]
ISSUE_COLUMNS = ["moved_on", "holder", "material_code", "material_name", "batch_no", "quantity"]
OPTIONS = {
    "new_code": "code",
    "title": "title",
    "kind": "kind",
    "starts_at": "starts_at",
    "ends_at": "ends_at",
    "venue": "venue",
    "audience": "audience",
    "headcount": "headcount",
    "topics": "topics",
    "notes": "notes",
}


def event_record(session: Session, event: TrainingEvent) -> dict[str, Any]:
    issued = materials.issues_of(session, event.id)
    return {
        "id": event.id,
        "code": event.code,
        "title": event.title,
        "kind": event.kind.value,
        "kind_label": label(event.kind),
        "starts_at": event.starts_at,
        "ends_at": event.ends_at,
        "street": event.street_unit.name if event.street_unit is not None else None,
        "street_code": event.street_unit.code if event.street_unit is not None else None,
        "organiser": event.organiser_unit.name,
        "organiser_code": event.organiser_unit.code,
        "venue": event.venue,
        "audience": event.audience,
        "headcount": event.headcount,
        "topics": list(event.topics or []),
        "plans": [p.code for p in event.plans],
        "teams": [t.code for t in event.teams],
        "notes": event.notes,
        "issues": len(issued),
        "row_version": event.row_version,
    }


def _issue_record(line: materials.IssueLine) -> dict[str, Any]:
    return {
        "movement_id": line.movement_id,
        "moved_on": line.moved_on,
        "holder": line.holder,
        "material_code": line.material_code,
        "material_name": line.material_name,
        "uom": line.uom,
        "batch_no": line.batch_no,
        "quantity": line.quantity,
    }


# ------------------------------------------------------------------------------- parsers


def _options(p: argparse.ArgumentParser, *, new: bool) -> None:
    code_help = "event code (default: the next QP-PX-YEAR-NNN)" if new else "a new code"
    p.add_argument("--code", dest="new_code", metavar="CODE", help=code_help)
    p.add_argument("--title", required=new, help="活动名称")
    p.add_argument("--kind", required=new, help="培训/科普宣传/讲座/进社区/进学校/进企业")
    p.add_argument(
        "--start", dest="starts_at", metavar="DATETIME", required=new,
        help="e.g. '2026-05-12 09:00' (a date alone: 09:00)",
    )  # fmt: skip
    p.add_argument("--end", dest="ends_at", metavar="DATETIME", help="default: the start")
    p.add_argument("--street", metavar="UNIT", help="街道/镇 (code or name; '' for none)")
    p.add_argument("--organiser", metavar="UNIT", required=new, help="organiser unit code")
    p.add_argument("--venue", help="地点")
    p.add_argument("--audience", help="参加对象")
    p.add_argument("--headcount", help="参加人数")
    p.add_argument("--topics", help="主题, separated by 、 or commas")
    p.add_argument("--notes", help="备注")
    p.add_argument(
        "--plan", dest="plans", action="append", metavar="CODE",
        help="a linked plan (repeat)" + ("" if new else "; replaces the plans"),
    )  # fmt: skip
    p.add_argument(
        "--team", dest="teams", action="append", metavar="CODE",
        help="a linked team (repeat)" + ("" if new else "; replaces the teams"),
    )  # fmt: skip
    add_format(p)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("trainings", help=HELP)
    s = p.add_subparsers(dest="trainings_command", metavar="ACTION", required=True)
    q = s.add_parser("list", help="the events of a year")
    q.add_argument("--year", type=year_arg, help="default: this year")
    q.add_argument("--kind", help="only this kind")
    q.add_argument("--street", metavar="UNIT", help="only this street or town")
    add_format(q)
    _options(s.add_parser("add", help="register an event (as the event form does)"), new=True)
    q = s.add_parser("edit", help="change an event's fields (those given)")
    q.add_argument("event", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg, help="refuse if it changed since")
    _options(q, new=False)
    q = s.add_parser("remove", help="delete an event (refused once materials were issued)")
    q.add_argument("event", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg)
    add_format(q)
    q = s.add_parser("show", help="one event with the materials issued for it")
    q.add_argument("event", metavar="CODE")
    add_format(q)
    q = s.add_parser("issue", help="issue materials for an event through the ledger (FEFO)")
    q.add_argument("event", metavar="CODE")
    q.add_argument("--holder", required=True, help="depot or team code")
    q.add_argument("--material", required=True, help="material code")
    q.add_argument("--qty", required=True)
    q.add_argument("--date", type=date_arg, help="default: the event's day (today if ahead)")
    q.add_argument("--operator", default="cli", help="经办人")
    add_format(q)
    q = s.add_parser("totals", help="events and headcount by street-town and kind")
    q.add_argument("--year", type=year_arg, help="default: this year")
    add_format(q)


# ------------------------------------------------------------------------------ commands


def _event(session: Session, code: str) -> TrainingEvent:
    event = session.scalar(select(TrainingEvent).where(TrainingEvent.code == code.strip()))
    if event is None:
        raise NotFound(f"没有编号为 {code} 的培训活动 (no training event {code})")
    return event


def _fields(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    fields = changed(args, OPTIONS)
    if args.street is not None:
        fields["street_unit_id"] = reference(session, "unit", args.street, "street_unit_id")
    if args.organiser is not None:
        fields["organiser_unit_id"] = reference(
            session, "unit", args.organiser, "organiser_unit_id"
        )
    if args.plans is not None:
        fields["plan_ids"] = [reference(session, "plan", c, "plan_ids") for c in args.plans]
    if args.teams is not None:
        fields["team_ids"] = [reference(session, "team", c, "team_ids") for c in args.teams]
    return fields


def _list(session: Session, out: Out, args: argparse.Namespace) -> int:
    year = args.year or dt.date.today().year
    kind = parse_enum(TrainingKind, args.kind, field="kind", optional=True) if args.kind else None
    street = reference(session, "unit", args.street, "street_unit_id") if args.street else None
    rows = [
        event_record(session, e)
        for e in read.events_of_year(session, year, kind=kind, street_id=street)
    ]
    listed(out, rows, EVENT_COLUMNS, args.format)
    return EXIT_OK


def _totals(session: Session, out: Out, args: argparse.Namespace) -> int:
    year = args.year or dt.date.today().year
    totals = read.totals(session, year)
    rows = totals.records()
    if args.format == "json":
        events_n, heads = totals.total
        out.json({"year": year, "rows": rows, "events": events_n, "headcount": heads})
        return EXIT_OK
    listed(out, rows, TOTAL_COLUMNS, args.format)
    if args.format == "table":
        events_n, heads = totals.total
        out.print(f"合计 total: {events_n} 场 events, {heads} 人次 attendees")
    return EXIT_OK


def cmd_trainings(args: argparse.Namespace) -> int:
    command = args.trainings_command

    def body(session: Session, out: Out) -> int:
        if command == "list":
            return _list(session, out, args)
        if command == "totals":
            return _totals(session, out, args)
        user = user_of(session)
        if command == "add":
            event = events.create_event(session, user=user, **_fields(session, args))
            done = ("已登记培训活动", "event created")
        elif command == "edit":
            event = events.update_event(
                session,
                event_id=_event(session, args.event).id,
                expected_version=args.expected_version,
                user=user,
                **_fields(session, args),
            )
            done = ("已修改培训活动", "event updated")
        elif command == "remove":
            event = _event(session, args.event)
            record = event_record(session, event)
            events.delete_event(
                session, event_id=event.id, expected_version=args.expected_version, user=user
            )
            show(out, record, EVENT_COLUMNS, args.format, done_zh="已删除", done_en="deleted")
            return EXIT_OK
        elif command == "issue":
            event = _event(session, args.event)
            materials.issue_for_event(
                session,
                event_id=event.id,
                holder_id=holders.holder_by_code(session, args.holder).id,
                material_id=holders.material_by_code(session, args.material).id,
                quantity=args.qty,
                on=args.date,
                operator=args.operator,
            )
            done = ("已为培训活动发放物资", "materials issued for the event")
        else:  # show
            event = _event(session, args.event)
            done = ("培训活动", "training event")
        session.flush()
        session.refresh(event)
        record = event_record(session, event)
        if command in ("issue", "show"):
            lines = [_issue_record(x) for x in materials.issues_of(session, event.id)]
            if args.format == "json":
                out.json({**record, "issued": lines})
                return EXIT_OK
            show(out, record, EVENT_COLUMNS, args.format, done_zh=done[0], done_en=done[1])
            if lines:
                out.print("")
                out.rows(lines, ISSUE_COLUMNS, args.format)
            return EXIT_OK
        show(out, record, EVENT_COLUMNS, args.format, done_zh=done[0], done_en=done[1])
        return EXIT_OK

    return run(args, body, write=command == "issue")
