"""`drillplan capacity list|add|edit|remove`: capacity reserves (产能储备).

Every command calls the write function the desktop form calls
(:mod:`drillplan.reserves.capacity`) with the user's words; the material and the supplier
unit are turned into ids by code or exact name, as an import does. A refusal exits 2 with
the domain's field and message, and nothing is written. JSON keys are in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli.argtypes import version_arg
from drillplan.cli.common import EXIT_OK, Out, add_format, run
from drillplan.cli.lookup import changed, listed, reference, show, user_of
from drillplan.db.models import CapacityReserve
from drillplan.kernel.errors import NotFound
from drillplan.listing.records import listed_rows
from drillplan.reserves import capacity
from drillplan.reserves.listing import CAPACITY_RESERVES

__all__ = ["capacity_record", "cmd_capacity", "register"]

HELP = "capacity reserves (产能储备): list, add, edit, remove"
COLUMNS = [
    "code", "supplier", "material", "material_name", "promised_qty", "uom", "lead_time",
    "contact", "phone", "valid_until",
]  # fmt: skip
OPTIONS = {
    "new_code": "code",
    "supplier": "supplier",
    "contact": "contact",
    "phone": "phone",
    "promised_qty": "promised_qty",
    "lead_time": "lead_time_hours",
    "agreement_no": "agreement_no",
    "valid_from": "valid_from",
    "valid_until": "valid_until",
    "notes": "notes",
}


def capacity_record(row: CapacityReserve) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.code,
        "supplier": row.supplier,
        "supplier_unit": row.supplier_unit.code if row.supplier_unit is not None else None,
        "contact": row.contact,
        "phone": row.phone,
        "material": row.material.code,
        "material_name": row.material.name,
        "uom": row.material.uom,
        "promised_qty": row.promised_qty,
        "lead_time_hours": row.lead_time_hours,
        "lead_time": capacity.lead_time_text(row.lead_time_hours),
        "agreement_no": row.agreement_no,
        "valid_from": row.valid_from,
        "valid_until": row.valid_until,
        "notes": row.notes,
        "row_version": row.row_version,
    }


def _options(p: argparse.ArgumentParser, *, new: bool) -> None:
    if new:
        p.add_argument("--code", dest="new_code", metavar="CODE", required=True, help="储备编号")
    else:
        p.add_argument("--code", dest="new_code", metavar="CODE", help="a new code")
    p.add_argument("--supplier", help="供应商名称（或用 --supplier-unit 指定单位）")
    p.add_argument("--supplier-unit", metavar="UNIT", help="supplier unit code or name")
    p.add_argument("--contact", help="联系人")
    p.add_argument("--phone", help="mobile or Shanghai landline")
    p.add_argument("--material", metavar="CODE", required=new, help="material code or name")
    p.add_argument("--qty", dest="promised_qty", required=new, help="承诺数量（物资的计量单位）")
    p.add_argument("--lead-time", required=new, help="响应时限：小时数或天数（48、48小时、2天）")
    p.add_argument("--agreement-no", help="协议编号")
    p.add_argument("--valid-from", help="生效日期")
    p.add_argument("--valid-until", help="有效期至")
    p.add_argument("--notes", help="备注")
    add_format(p)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("capacity", help=HELP)
    s = p.add_subparsers(dest="capacity_command", metavar="ACTION", required=True)
    q = s.add_parser("list", help="the capacity reserves")
    q.add_argument("--search", help="words that must all appear (code, supplier, material ...)")
    add_format(q)
    _options(s.add_parser("add", help="register a capacity reserve"), new=True)
    q = s.add_parser("edit", help="change a capacity reserve's fields (those given)")
    q.add_argument("reserve", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg, help="refuse if it changed since")
    _options(q, new=False)
    q = s.add_parser("remove", help="delete a capacity reserve")
    q.add_argument("reserve", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg, help="refuse if it changed since")
    add_format(q)


def _reserve_id(session: Session, code: str) -> int:
    from sqlalchemy import select

    found = session.scalar(select(CapacityReserve.id).where(CapacityReserve.code == code.strip()))
    if found is None:
        raise NotFound(f"没有编号为 {code} 的产能储备 (no capacity reserve {code})")
    return found


def cmd_capacity(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.capacity_command
        if command == "list":
            rows = listed_rows(session, CapacityReserve, CAPACITY_RESERVES, search=args.search)
            listed(out, [capacity_record(r) for r in rows], COLUMNS, args.format)
            return EXIT_OK
        if command == "remove":
            reserve_id = _reserve_id(session, args.reserve)
            record = capacity_record(session.get_one(CapacityReserve, reserve_id))
            capacity.delete_capacity_reserve(
                session,
                reserve_id=reserve_id,
                expected_version=args.expected_version,
                user=user_of(session),
            )
            show(out, record, COLUMNS, args.format, done_zh="已删除产能储备",
                 done_en="capacity reserve removed")  # fmt: skip
            return EXIT_OK
        fields = changed(args, OPTIONS)
        if args.material is not None:
            fields["material_id"] = reference(session, "material", args.material, "material_id")
        if args.supplier_unit is not None:
            fields["supplier_unit_id"] = reference(
                session, "unit", args.supplier_unit, "supplier_unit_id"
            )
        if command == "add":
            row = capacity.create_capacity_reserve(session, user=user_of(session), **fields)
            done = ("已新建产能储备", "capacity reserve created")
        else:
            row = capacity.update_capacity_reserve(
                session,
                reserve_id=_reserve_id(session, args.reserve),
                expected_version=args.expected_version,
                user=user_of(session),
                **fields,
            )
            done = ("已修改产能储备", "capacity reserve updated")
        session.flush()
        session.refresh(row)
        show(out, capacity_record(row), COLUMNS, args.format, done_zh=done[0], done_en=done[1])
        return EXIT_OK

    return run(args, body)
