"""`drillplan contacts ...` (通讯录) and `drillplan duty ...` (值班表).

Every command calls the write function the desktop form calls (:mod:`drillplan.contacts.register`,
:mod:`drillplan.duty.roster`) with the user's words: phones, dates and names as typed; only
units, depots and teams are turned into ids (by code or exact name, as an import does). A
refusal exits 2 with the domain's field and message, and nothing is written. ``duty check``
exits 1 when the month has findings. JSON keys are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.cli.argtypes import version_arg
from drillplan.cli.common import EXIT_FINDINGS, EXIT_OK, Out, add_format, run
from drillplan.cli.lookup import changed, listed, reference, show, user_of
from drillplan.contacts import read as contacts_read
from drillplan.contacts import register as contacts
from drillplan.db.models import Contact
from drillplan.duty import roster, shift_kinds
from drillplan.duty.conflicts import parse_month
from drillplan.duty.read import Month, month_view, shift_row
from drillplan.kernel.errors import NotFound
from drillplan.kernel.numbers import ID_MAX

__all__ = ["cmd_contacts", "cmd_duty", "register"]

CONTACT_COLUMNS = ["id", "name", "role", "owner", "mobile", "office_phone"]
SHIFT_COLUMNS = ["day", "weekday", "shift", "leader", "officers", "phone", "findings"]
FINDING_COLUMNS = ["day", "rule", "message"]
CONTACT_OPTIONS = {
    "name": "name",
    "role": "role",
    "supplier": "supplier",
    "mobile": "mobile",
    "office_phone": "office_phone",
    "email": "email",
    "notes": "notes",
}
SHIFT_OPTIONS = {"leader": "leader", "officers": "officers", "phone": "phone", "notes": "notes"}
OWNERS = (("unit", "unit_id"), ("depot", "depot_id"), ("team", "team_id"))


# ------------------------------------------------------------------------------- parsers


def _contact_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    p.add_argument("--name", required=new, help="姓名")
    p.add_argument("--role", help="职务/岗位")
    p.add_argument("--unit", metavar="UNIT", help="the unit (code or name) the person belongs to")
    p.add_argument("--depot", metavar="DEPOT", help="the depot (code or name)")
    p.add_argument("--team", metavar="TEAM", help="the team (code or name)")
    p.add_argument("--supplier", help="an agreement supplier's name (协议供应商)")
    p.add_argument("--scope-unit", metavar="UNIT", help="主管单位 of a supplier's contact")
    p.add_argument("--mobile", help="手机号 (1[3-9] + 9 digits, optional +86)")
    p.add_argument("--office-phone", help="办公电话 (021-xxxxxxxx or a mobile)")
    p.add_argument("--email")
    p.add_argument("--notes")
    add_format(p)


def _shift_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--leader", help="带班领导 (a contact's name or any name; '' for none)")
    p.add_argument("--officers", help="值班员, separated by 、 or commas ('' for none)")
    p.add_argument("--phone", help="值班电话")
    p.add_argument("--notes")
    add_format(p)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("contacts", help="contacts (通讯录): list, add, edit, remove")
    s = p.add_subparsers(dest="contacts_command", metavar="ACTION", required=True)
    q = s.add_parser("list", help="the contacts, filtered")
    q.add_argument("text", nargs="?", help="words that must all appear (name, role, owner ...)")
    q.add_argument("--unit", metavar="UNIT")
    q.add_argument("--depot", metavar="DEPOT")
    q.add_argument("--team", metavar="TEAM")
    add_format(q)
    _contact_options(s.add_parser("add", help="add a contact"), new=True)
    q = s.add_parser("edit", help="change a contact's fields (those given)")
    q.add_argument("contact", metavar="ID|NAME")
    q.add_argument("--expected-version", type=version_arg, help="refuse if changed since")
    _contact_options(q, new=False)
    q = s.add_parser("remove", help="delete a contact (not while on the duty roster)")
    q.add_argument("contact", metavar="ID|NAME")
    q.add_argument("--expected-version", type=version_arg, help="refuse if changed since")
    add_format(q)

    p = sub.add_parser(
        "duty", help="the duty roster (值班表): the month, check, add, edit, remove, kinds"
    )
    p.add_argument("--month", dest="show_month", metavar="YYYY-MM", help="default: this month")
    add_format(p)
    s = p.add_subparsers(dest="duty_command", metavar="ACTION")
    q = s.add_parser("show", help="the month's shifts and findings")
    q.add_argument("--month", metavar="YYYY-MM")
    add_format(q)
    q = s.add_parser("check", help="the month's conflicts: exit 1 when there are any")
    q.add_argument("--month", metavar="YYYY-MM")
    add_format(q)
    q = s.add_parser("add", help="add a shift")
    q.add_argument("--day", required=True, help="日期 (2026-12-01, 2026年12月1日 ...)")
    q.add_argument("--shift", required=True, help="班次 (白班, 夜班, 全天 or the code)")
    _shift_options(q)
    q = s.add_parser("edit", help="change a shift (the fields given)")
    q.add_argument("--day", required=True)
    q.add_argument("--shift", required=True)
    q.add_argument("--new-day", help="move the shift to another day")
    q.add_argument("--new-shift", help="make it another shift kind")
    q.add_argument("--expected-version", type=version_arg, help="refuse if changed since")
    _shift_options(q)
    q = s.add_parser("remove", help="delete a shift")
    q.add_argument("--day", required=True)
    q.add_argument("--shift", required=True)
    add_format(q)
    q = s.add_parser("kinds", help="the shift kinds (班次): list, add, edit")
    add_format(q)
    k = q.add_subparsers(dest="kinds_command", metavar="ACTION")
    r = k.add_parser("list", help="the shift kinds and their hours")
    add_format(r)
    for name in ("add", "edit"):
        r = k.add_parser(name, help=f"{name} a shift kind (an end not after the start: next day)")
        if name == "edit":
            r.add_argument("kind", metavar="CODE|NAME")
            r.add_argument("--code", dest="new_code", help="a new code")
            r.add_argument("--expected-version", type=version_arg)
        else:
            r.add_argument("--code", dest="new_code", required=True, help="e.g. early")
        r.add_argument("--name", required=name == "add", help="班次名称, e.g. 早班")
        r.add_argument("--starts", required=name == "add", help="开始时刻 08:30")
        r.add_argument("--ends", required=name == "add", help="结束时刻 17:30")
        r.add_argument("--order", dest="sort_order", help="position in lists")
        r.add_argument("--active", choices=["yes", "no"], help="no: not offered for new shifts")
        add_format(r)


# ------------------------------------------------------------------------------ contacts


def _find_contact(session: Session, text: str) -> Contact:
    text = text.strip()
    if text.isdigit() and int(text) <= ID_MAX:
        found = session.get(Contact, int(text))
        if found is not None:
            return found
    named = list(session.scalars(select(Contact).where(Contact.name == text)))
    if len(named) != 1:
        what = "没有这个联系人" if not named else "有多个同名联系人，请用编号（contacts list）"
        raise NotFound(f"{what}：{text} (contact {text!r}: {'ambiguous' if named else 'none'})")
    return named[0]


def _contact_fields(session: Session, args: argparse.Namespace) -> dict[str, Any]:
    fields = changed(args, CONTACT_OPTIONS)
    named = [(opt, field) for opt, field in OWNERS if getattr(args, opt) is not None]
    if named or args.supplier is not None:  # a new owner: the others are cleared
        for opt, field in OWNERS:
            fields[field] = reference(session, opt, getattr(args, opt), field)
        fields.setdefault("supplier", None)
    if args.scope_unit is not None:
        fields["scope_unit_id"] = reference(session, "unit", args.scope_unit, "scope_unit_id")
    return fields


def cmd_contacts(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.contacts_command
        if command == "list":
            owners = {
                field: reference(session, opt, getattr(args, opt), field)
                for opt, field in OWNERS
                if getattr(args, opt) is not None
            }
            ids = contacts_read.contact_ids(session, search=args.text, **owners)
            rows = [contacts_read.contact_record(c)
                    for c in contacts_read.contacts_in_order(session, ids)]  # fmt: skip
            listed(out, rows, CONTACT_COLUMNS, args.format)
            return EXIT_OK
        if command == "remove":
            contact = _find_contact(session, args.contact)
            record = contacts_read.contact_record(contact)
            contacts.delete_contact(session, contact_id=contact.id,
                                    expected_version=args.expected_version,
                                    user=user_of(session))  # fmt: skip
            show(out, record, CONTACT_COLUMNS, args.format, done_zh="已删除联系人",
                 done_en="contact removed")  # fmt: skip
            return EXIT_OK
        fields = _contact_fields(session, args)
        if command == "add":
            contact = contacts.create_contact(session, user=user_of(session), **fields)
            done = ("已新建联系人", "contact created")
        else:
            contact = contacts.update_contact(
                session,
                contact_id=_find_contact(session, args.contact).id,
                expected_version=args.expected_version,
                user=user_of(session),
                **fields,
            )
            done = ("已修改联系人", "contact updated")
        session.flush()
        session.refresh(contact)
        show(out, contacts_read.contact_record(contact), CONTACT_COLUMNS, args.format,
             done_zh=done[0], done_en=done[1])  # fmt: skip
        return EXIT_OK

    return run(args, body)


# ---------------------------------------------------------------------------------- duty


def _month_of(args: argparse.Namespace) -> tuple[int, int]:
    text = getattr(args, "month", None) or args.show_month
    if text is None:
        today = dt.date.today()
        return today.year, today.month
    return parse_month(text)


def _show_month(out: Out, month: Month, fmt: str) -> None:
    if fmt == "json":
        out.json(month.as_dict())
        return
    rows = [
        r.as_dict() | {"officers": "、".join(r.officers), "findings": "、".join(
            sorted({f.rule for f in r.findings}))}
        for r in month.rows
    ]  # fmt: skip
    if fmt == "table":
        out.print(f"{month.title}值班表 (duty roster {month.year}-{month.month:02d})")
    out.rows(rows, SHIFT_COLUMNS, fmt)
    if fmt == "table":
        if month.findings:
            out.print(f"\n发现 {len(month.findings)} 个问题 ({len(month.findings)} findings):")
            out.rows([f.as_dict() for f in month.findings], FINDING_COLUMNS, fmt)
        else:
            out.print("\n未发现冲突 (no conflicts)")


KIND_OPTIONS = {"new_code": "code", "name": "name", "starts": "starts", "ends": "ends",
                "sort_order": "sort_order"}  # fmt: skip


def _kind_record(kind: Any) -> dict[str, Any]:
    return {"code": kind.code, "name": kind.name, "hours": shift_kinds.hours_text(kind),
            "starts": kind.starts, "ends": kind.ends, "sort_order": kind.sort_order,
            "active": kind.active, "row_version": kind.row_version}  # fmt: skip


def _kinds(session: Session, out: Out, args: argparse.Namespace) -> int:
    columns = ["code", "name", "hours", "active"]
    command = getattr(args, "kinds_command", None) or "list"
    if command == "list":
        rows = [_kind_record(k) for k in shift_kinds.shift_kinds(session)]
        listed(out, rows, columns, args.format)
        return EXIT_OK
    fields = changed(args, KIND_OPTIONS)
    if args.active is not None:
        fields["active"] = args.active == "yes"
    if command == "add":
        kind = shift_kinds.create_shift_kind(session, user=user_of(session), **fields)
        done = ("已添加班次", "shift kind added")
    else:
        kind_id = shift_kinds.shift_kind_id(session, args.kind, field="kind")
        kind = shift_kinds.update_shift_kind(session, shift_kind_id=kind_id,
                                             expected_version=args.expected_version,
                                             user=user_of(session), **fields)  # fmt: skip
        done = ("已修改班次", "shift kind updated")
    session.flush()
    session.refresh(kind)
    show(out, _kind_record(kind), columns, args.format, done_zh=done[0], done_en=done[1])
    return EXIT_OK


def _shift_record(shift: Any) -> dict[str, Any]:
    return shift_row(shift).as_dict()


def cmd_duty(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.duty_command or "show"
        if command in ("show", "check"):
            month = month_view(session, *_month_of(args))
            _show_month(out, month, args.format)
            return EXIT_FINDINGS if command == "check" and month.findings else EXIT_OK
        if command == "kinds":
            return _kinds(session, out, args)
        columns = ["day", "weekday", "shift", "leader", "officers", "phone"]
        if command == "add":
            shift = roster.create_shift(session, user=user_of(session), day=args.day,
                                        shift_kind_id=args.shift,
                                        **changed(args, SHIFT_OPTIONS))  # fmt: skip
            done = ("已添加值班安排", "shift added")
        else:
            found = roster.find_shift(session, day=args.day, shift_kind=args.shift)
            if found is None:
                raise NotFound(f"{args.day} 没有{args.shift} (no such shift)")
            if command == "remove":
                record = _shift_record(found)
                roster.delete_shift(session, shift_id=found.id, user=user_of(session))
                show(out, record, columns, args.format, done_zh="已删除值班安排",
                     done_en="shift removed")  # fmt: skip
                return EXIT_OK
            fields = changed(args, SHIFT_OPTIONS)
            if args.new_day is not None:
                fields["day"] = args.new_day
            if args.new_shift is not None:
                fields["shift_kind_id"] = args.new_shift
            shift = roster.update_shift(session, shift_id=found.id,
                                        expected_version=args.expected_version,
                                        user=user_of(session), **fields)  # fmt: skip
            done = ("已修改值班安排", "shift updated")
        session.flush()
        session.refresh(shift)
        record = _shift_record(shift)
        if args.format != "json":
            record["officers"] = "、".join(record["officers"])
        show(out, record, columns, args.format, done_zh=done[0], done_en=done[1])
        return EXIT_OK

    return run(args, body)
