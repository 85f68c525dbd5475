"""`drillplan facilities list|add|edit|remove|inspect|audit|classes`: shelters (应急避难场所)
and dual-use (平急两用) facilities.

Every command calls the write function the desktop form calls (:mod:`drillplan.facilities`)
with the user's words: vocabulary values as typed (code, 中文 or English label), numbers,
phones and dates as text; units and classes by code or exact name. A refusal exits 2 with the
domain's field and message, and nothing is written; ``audit`` exits 1 when it finds something.
JSON keys are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli.argtypes import version_arg
from drillplan.cli.common import EXIT_FINDINGS, EXIT_OK, Out, add_format, date_arg, run
from drillplan.cli.lookup import changed, listed, show, user_of
from drillplan.db.models import FacilityClass
from drillplan.facilities import audit as facility_audit
from drillplan.facilities import classes as facility_classes
from drillplan.facilities import read
from drillplan.facilities import register as facilities
from drillplan.kernel import records as c
from drillplan.kernel.errors import ValidationError

__all__ = ["cmd_facilities", "register"]

HELP = "shelters and dual-use facilities (避难场所/平急两用)"

FACILITY_OPTIONS = {
    "new_code": "code",
    "name": "name",
    "facility_class": "class_id",
    "address": "address",
    "street": "street_unit_id",
    "unit_in_charge": "unit_in_charge_id",
    "capacity": "capacity_people",
    "area": "area_m2",
    "normal_use": "normal_use",
    "emergency_use": "emergency_use",
    "conversion_hours": "conversion_hours",
    "amenities": "amenities",
    "contact": "contact",
    "phone": "phone",
    "last_inspected": "last_inspected_on",
    "inspection_days": "inspection_days",
    "status": "status",
    "notes": "notes",
}
CLASS_OPTIONS = {
    "new_code": "code",
    "name": "name",
    "kind": "kind",
    "level": "level",
    "stay_type": "stay_type",
    "min_capacity": "min_capacity",
    "max_capacity": "max_capacity",
    "notes": "notes",
}
AUDIT_COLUMNS = ["code", "name", "street", "last_inspected_on", "next_due", "days_overdue"]
STREET_COLUMNS = ["code", "name", "population", "shelters", "capacity", "ratio", "problem"]


def _facility_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    p.add_argument(
        "--code",
        dest="new_code",
        metavar="CODE",
        required=new,
        help="facility code (场所编号)" if new else "a new code",
    )
    p.add_argument("--name", required=new, help="场所名称")
    p.add_argument(
        "--class",
        dest="facility_class",
        metavar="CLASS",
        required=new,
        help="class code or name (facilities classes list)",
    )
    p.add_argument("--street", metavar="UNIT", required=new, help="所在街镇 (unit code or name)")
    p.add_argument(
        "--unit-in-charge", metavar="UNIT", required=new, help="责任单位 (unit code or name)"
    )
    p.add_argument("--address")
    p.add_argument("--capacity", help="可容纳人数 (people)")
    p.add_argument("--area", help="面积 (m²)")
    p.add_argument("--normal-use", help="平时用途")
    p.add_argument("--emergency-use", help="急时用途: 避难安置/医疗救治/物资中转/隔离/指挥调度")
    p.add_argument("--conversion-hours", help="平急转换时间（小时）")
    p.add_argument("--amenities", help="供水、供电、厕所、医疗点、标识、应急广播")
    p.add_argument("--contact")
    p.add_argument("--phone", help="mobile or Shanghai landline")
    p.add_argument("--last-inspected", help="最近巡查日期")
    p.add_argument("--inspection-days", help="巡查周期（天）; default: the setting")
    p.add_argument("--status", help="可用/部分可用/停用/在建")
    p.add_argument("--notes")
    add_format(p)


def _class_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    p.add_argument(
        "--code",
        dest="new_code",
        metavar="CODE",
        required=new,
        help="class code" if new else "a new code",
    )
    p.add_argument("--name", required=new, help="分类名称")
    p.add_argument("--kind", required=new, help="应急避难场所/应急避难点/平急两用设施")
    p.add_argument("--level", help="等级, e.g. Ⅱ类")
    p.add_argument("--stay-type", help="紧急/短期/长期 (GB/T 44012-2024)")
    p.add_argument("--min-capacity")
    p.add_argument("--max-capacity")
    p.add_argument("--notes")
    add_format(p)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("facilities", help=HELP)
    s = p.add_subparsers(dest="facilities_command", metavar="ACTION", required=True)
    q = s.add_parser("list", help="the facility register")
    q.add_argument("--search", help="words that must all appear (code, name, street ...)")
    q.add_argument("--as-of", type=date_arg, help="judge next inspection due on DATE (today)")
    add_format(q)
    _facility_options(s.add_parser("add", help="register a facility"), new=True)
    q = s.add_parser("edit", help="change a facility's fields (those given)")
    q.add_argument("facility", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg, help="refuse if it changed since")
    _facility_options(q, new=False)
    q = s.add_parser("remove", help="delete a facility and its inspection history")
    q.add_argument("facility", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg)
    add_format(q)
    q = s.add_parser("inspect", help="record an inspection (巡查)")
    q.add_argument("facility", metavar="CODE")
    q.add_argument("--date", dest="inspected_on", help="巡查日期 (default today)")
    q.add_argument("--inspector", required=True, help="巡查人")
    q.add_argument("--result", help="合格/有问题待整改/不合格 (default 合格)")
    q.add_argument("--notes")
    add_format(q)
    q = s.add_parser(
        "audit", help="inspections overdue, capacity per street-town (exit 1: findings)"
    )
    q.add_argument("--as-of", type=date_arg, help="judge on DATE (today)")
    q.add_argument("--horizon", type=int, default=30, help="also list inspections due within DAYS")
    add_format(q)

    cp = s.add_parser("classes", help="the shelter classification (a table the office edits)")
    cs = cp.add_subparsers(dest="classes_command", metavar="ACTION", required=True)
    add_format(cs.add_parser("list", help="every class"))
    _class_options(cs.add_parser("add", help="add a class"), new=True)
    q = cs.add_parser("edit", help="change a class's fields (those given)")
    q.add_argument("facility_class_code", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg)
    _class_options(q, new=False)
    add_format(cs.add_parser("seed", help="add the starter classes whose code is not used yet"))


def _class_by_code(session: Session, code: str) -> FacilityClass:
    found = facility_classes.class_id(session, code, "code")
    return c.get(session, FacilityClass, found, "避难场所分类")


def _classes(args: argparse.Namespace, session: Session, out: Out) -> int:
    command = args.classes_command
    columns = read.CLASS_COLUMNS
    if command == "list":
        listed(out, [read.class_record(r) for r in read.classes(session)], columns, args.format)
        return EXIT_OK
    if command == "seed":
        added = facility_classes.ensure_starter_classes(session, user=user_of(session))
        if args.format == "json":
            out.json({"added": added})
        else:
            out.print(f"已加入 {added} 个推荐分类 (added {added} starter classes)")
        return EXIT_OK
    fields = changed(args, CLASS_OPTIONS)
    if command == "add":
        row = facility_classes.create_class(session, user=user_of(session), **fields)
        done = ("已新建分类", "class created")
    else:
        row = facility_classes.update_class(
            session,
            class_id=_class_by_code(session, args.facility_class_code).id,
            expected_version=args.expected_version,
            user=user_of(session),
            **fields,
        )
        done = ("已修改分类", "class updated")
    session.flush()
    session.refresh(row)
    show(out, read.class_record(row), columns, args.format, done_zh=done[0], done_en=done[1])
    return EXIT_OK


def _record(session: Session, facility_id: int, as_of: dt.date) -> dict[str, Any]:
    found = [r for r in read.facilities(session, as_of=as_of) if r["id"] == facility_id]
    return found[0]


def _audit(args: argparse.Namespace, session: Session, out: Out) -> int:
    as_of = args.as_of or dt.date.today()
    if args.horizon < 0:
        raise ValidationError("horizon", "天数不能为负数", message_en="horizon must be >= 0")
    result = facility_audit.audit(session, as_of=as_of, horizon=args.horizon)
    if args.format == "json":
        out.json(result.as_dict())
    elif args.format == "csv":
        out.rows([i.as_dict() for i in result.inspections], AUDIT_COLUMNS, "csv")
    else:
        out.print(f"巡查逾期 {len(result.overdue)} 处 (inspections overdue)")
        if result.overdue:
            out.rows([i.as_dict() for i in result.overdue], AUDIT_COLUMNS, "table")
        out.print(f"{args.horizon} 天内到期 {len(result.due_soon)} 处 (due within the horizon)")
        if result.due_soon:
            out.rows([i.as_dict() for i in result.due_soon], AUDIT_COLUMNS, "table")
        out.print(f"街镇避难容量（目标：常住人口的 {result.target_ratio:.0%}）"
                  " (capacity per street-town)")  # fmt: skip
        rows = [s.as_dict() | {"problem": facility_audit.problem_label(s.problem)}
                for s in result.streets]  # fmt: skip
        out.rows(rows, STREET_COLUMNS, "table")
    return EXIT_FINDINGS if result.findings else EXIT_OK


def cmd_facilities(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.facilities_command
        if command == "classes":
            return _classes(args, session, out)
        if command == "audit":
            return _audit(args, session, out)
        as_of = getattr(args, "as_of", None) or dt.date.today()
        if command == "list":
            rows = read.facilities(session, as_of=as_of, search=args.search)
            listed(out, rows, read.FACILITY_COLUMNS, args.format)
            return EXIT_OK
        user = user_of(session)
        if command == "add":
            row = facilities.create_facility(session, user=user, **changed(args, FACILITY_OPTIONS))
            done = ("已新建场所", "facility created")
        elif command == "edit":
            row = facilities.update_facility(
                session,
                facility_id=facilities.facility_by_code(session, args.facility).id,
                expected_version=args.expected_version,
                user=user,
                **changed(args, FACILITY_OPTIONS),
            )
            done = ("已修改场所", "facility updated")
        elif command == "remove":
            target = facilities.facility_by_code(session, args.facility)
            gone = {"id": target.id, "code": target.code, "name": target.name}
            facilities.delete_facility(
                session, facility_id=target.id, expected_version=args.expected_version,
                user=user,
            )  # fmt: skip
            show(out, gone, ["code", "name"], args.format, done_zh="已删除场所",
                 done_en="facility removed")  # fmt: skip
            return EXIT_OK
        else:  # inspect
            target = facilities.facility_by_code(session, args.facility)
            facilities.record_inspection(
                session,
                facility_id=target.id,
                user=user,
                inspected_on=args.inspected_on or dt.date.today(),
                inspector=args.inspector,
                result=args.result,
                notes=args.notes,
            )
            row = target
            done = ("已记录巡查", "inspection recorded")
        session.flush()
        session.refresh(row)
        record = _record(session, row.id, as_of)
        show(out, record, read.FACILITY_COLUMNS, args.format, done_zh=done[0], done_en=done[1])
        return EXIT_OK

    return run(args, body)
