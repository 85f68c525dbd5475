"""`drillplan requests list|show|new|approve|refuse|dispatch|receive|cancel`: allocation
requests (调拨申请).

Each command is one step of :mod:`drillplan.requests.steps` (the desktop page calls the same
functions): holders and materials by code, everything else as typed. A refusal exits 2 with
the domain's ``field: message`` and nothing is written. JSON keys: ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.cli.common import EXIT_OK, Out, add_format, date_arg, run
from drillplan.cli.lookup import listed, show, user_of
from drillplan.db.models import AllocationRequest
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.values import parse_enum
from drillplan.kernel.vocab import RequestState
from drillplan.listing.core import fetch_ids
from drillplan.requests import read, steps
from drillplan.requests.listing import REQUESTS
from drillplan.stock import holders

__all__ = ["cmd_requests", "register"]

HELP = "allocation requests (调拨申请): new, approve, dispatch, receive"
COLUMNS = [
    "number",
    "state_label",
    "purpose_label",
    "requester",
    "holder",
    "needed_by",
    "dispatch_note_no",
]
LINE_COLUMNS = [
    "material_code",
    "material",
    "uom",
    "requested",
    "approved",
    "dispatched",
    "received",
]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    area = sub.add_parser("requests", help=HELP)
    r = area.add_subparsers(dest="requests_command", metavar="ACTION", required=True)

    p = r.add_parser("list", help="the requests, filtered by state")
    p.add_argument("--state", help="requested, approved, 部分批准 ... (code, 中文 or English)")
    p.add_argument("--search", help="words to find in number, holders, purpose")
    add_format(p)

    p = r.add_parser("show", help="one request with its lines and reservations")
    p.add_argument("number")
    add_format(p)

    p = r.add_parser("new", help="ask a holder for materials (checked against its usable stock)")
    p.add_argument("--requester", required=True, help="code of the depot or team asking")
    p.add_argument("--holder", required=True, help="code of the depot or team asked")
    p.add_argument("--purpose", required=True, help="演练 / 应急响应 / 轮换 / 补充")
    p.add_argument("--needed-by", required=True, help="date the materials are needed")
    p.add_argument("--line", action="append", required=True, metavar="MATERIAL=QTY")
    p.add_argument("--note")
    p.add_argument("--returns", metavar="NUMBER", help="this request sends back that drill loan")
    _common(p)

    p = r.add_parser("approve", help="approve in whole or part: reserves lots FEFO")
    p.add_argument("number")
    p.add_argument("--line", action="append", metavar="MATERIAL=QTY", help="approved quantity")
    p.add_argument("--expected-version", type=int)
    _common(p)

    p = r.add_parser("refuse", help="refuse with a reason")
    p.add_argument("number")
    p.add_argument("--reason", required=True)
    p.add_argument("--expected-version", type=int)
    _common(p)

    p = r.add_parser("dispatch", help="post the transfer-out of the reserved lots (调拨单)")
    p.add_argument("number")
    p.add_argument("--note-no", help="dispatch note number (default: the request's number)")
    p.add_argument("--date", type=date_arg, help="dispatch date (today)")
    p.add_argument("--expected-version", type=int)
    _common(p)

    p = r.add_parser("receive", help="confirm receipt: posts the transfer-in")
    p.add_argument("number")
    p.add_argument("--line", action="append", metavar="MATERIAL=QTY", help="received quantity")
    p.add_argument("--note", help="why less arrived than was dispatched")
    p.add_argument("--date", type=date_arg, help="receipt date (today)")
    p.add_argument("--expected-version", type=int)
    _common(p)

    p = r.add_parser("cancel", help="cancel an open request: releases its reservations")
    p.add_argument("number")
    p.add_argument("--expected-version", type=int)
    _common(p)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as-of", type=date_arg, default=None, help="judge on DATE (today)")
    add_format(p)


def _holder(session: Session, code: str, field: str) -> int:
    try:
        return holders.holder_by_code(session, code.strip()).id
    except NotFound as exc:
        raise ValidationError(field, str(exc)) from exc


def _material(session: Session, code: str) -> int:
    try:
        return holders.material_by_code(session, code.strip()).id
    except NotFound as exc:
        raise ValidationError("material", str(exc)) from exc


def _lines(session: Session, given: list[str] | None) -> dict[int, str]:
    out: dict[int, str] = {}
    for text in given or ():
        code, sep, qty = text.partition("=")
        if not sep:
            raise ValidationError(
                "line",
                f"“{text}”应写作 物资编码=数量，例如 2030102=20",
                message_en="write MATERIAL=QTY, e.g. 2030102=20",
            )
        out[_material(session, code)] = qty.strip()
    return out


def _request(session: Session, number: str) -> AllocationRequest:
    try:
        return read.by_number(session, number)
    except NotFound as exc:
        raise ValidationError("number", str(exc)) from exc


def _show(session: Session, out: Out, request: AllocationRequest, fmt: str, done: str) -> None:
    session.flush()
    session.refresh(request)
    record = read.request_record(session, request)
    if fmt == "json":
        out.json(record)
        return
    show(out, record, COLUMNS, fmt, done_zh=done, done_en=record["state"])
    if fmt == "table":
        out.rows(record["lines"], LINE_COLUMNS, fmt)


def cmd_requests(args: argparse.Namespace) -> int:
    command = args.requests_command
    today: dt.date | None = getattr(args, "as_of", None)

    def body(session: Session, out: Out) -> int:
        user = user_of(session)
        if command == "list":
            equals = {}
            if args.state:
                equals["state"] = parse_enum(RequestState, args.state, field="state", what="状态")
            ids = fetch_ids(session, REQUESTS, search=args.search, equals=equals)
            found = session.scalars(select(AllocationRequest).where(AllocationRequest.id.in_(ids)))
            by_id = {r.id: r for r in found}
            rows = [read.request_record(session, by_id[i]) for i in ids]
            listed(out, rows, COLUMNS, args.format)
            return EXIT_OK
        if command == "show":
            request = _request(session, args.number)
            _show(session, out, request, args.format, request.number)
            return EXIT_OK
        if command == "new":
            lines = _lines(session, args.line)
            returns = _request(session, args.returns).id if args.returns else None
            request = steps.create_request(
                session,
                requester_holder_id=_holder(session, args.requester, "requester"),
                holder_id=_holder(session, args.holder, "holder"),
                purpose=args.purpose,
                needed_by=args.needed_by,
                lines=[{"material_id": m, "quantity": q} for m, q in lines.items()],
                note=args.note,
                returns_request_id=returns,
                user=user,
                today=today,
            )
            _show(session, out, request, args.format, "已提交调拨申请")
            return EXIT_OK
        request = _request(session, args.number)
        version = args.expected_version
        common = {"request_id": request.id, "expected_version": version, "user": user}
        if command == "approve":
            approved: dict[int, object] | None = _lines(session, args.line) or None
            steps.approve(session, approved=approved, today=today, **common)
            done = "已批准"
        elif command == "refuse":
            steps.refuse(session, reason=args.reason, today=today, **common)
            done = "已拒绝"
        elif command == "dispatch":
            steps.dispatch(
                session, dispatch_note_no=args.note_no, on=args.date, today=today, **common
            )
            done = "已发运"
        elif command == "receive":
            got: dict[int, object] | None = _lines(session, args.line) or None
            steps.receive(
                session, received=got, note=args.note, on=args.date, today=today, **common
            )
            done = "已确认接收"
        else:
            steps.cancel(session, today=today, **common)
            done = "已撤销"
        _show(session, out, request, args.format, done)
        return EXIT_OK

    return run(args, body, write=command not in ("list", "show"))
