"""`drillplan depots|materials|quotas ...`: depots, the material catalogue and depot quotas.

Every command calls the write function the desktop form calls (:mod:`drillplan.stock.catalogue`)
with the user's words: the tier as typed (code, 中文 or English label), numbers and phones as
text; only references (owner unit, depot, material) are turned into ids, by code or exact name
as an import does. A refusal exits 2 with the domain's field and message, and nothing is
written. JSON keys are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli.argtypes import version_arg
from drillplan.cli.common import EXIT_OK, Out, add_format, run
from drillplan.cli.lookup import changed, find, listed, reference, show, user_of
from drillplan.db.models import Depot, Material, Quota
from drillplan.kernel.vocab import label
from drillplan.listing.records import listed_rows
from drillplan.stock import catalogue
from drillplan.stock import read as stock_read
from drillplan.stock.listing import DEPOTS, MATERIALS

__all__ = [
    "cmd_depots",
    "cmd_materials",
    "cmd_quotas",
    "depot_record",
    "material_record",
    "register",
]

DEPOT_COLUMNS = ["code", "name", "tier", "owner_unit", "keeper", "keeper_phone", "capacity_m3"]
MATERIAL_COLUMNS = [
    "code", "name", "uom", "spec", "shelf_life_days", "needs_rotation", "criticality",
]  # fmt: skip
QUOTA_COLUMNS = ["depot", "material", "material_name", "required_qty"]

# argparse dest -> the domain's field name (options not given are not passed)
DEPOT_OPTIONS = {
    "new_code": "code",
    "name": "name",
    "tier": "tier",
    "address": "address",
    "keeper": "keeper",
    "keeper_phone": "keeper_phone",
    "capacity_m3": "capacity_m3",
    "agreement_supplier": "agreement_supplier",
    "agreement_contact": "agreement_contact",
    "agreement_phone": "agreement_phone",
}
MATERIAL_OPTIONS = {
    "new_code": "code",
    "name": "name",
    "uom": "uom",
    "spec": "spec",
    "shelf_life_days": "shelf_life_days",
    "needs_rotation": "needs_rotation",
    "flood_control": "flood_control",
    "reference_price": "reference_price",
    "criticality": "criticality",
    "synonyms": "synonyms",
}


def depot_record(depot: Depot) -> dict[str, Any]:
    return {
        "id": depot.id,
        "code": depot.code,
        "name": depot.name,
        "tier": depot.tier.value,
        "tier_label": label(depot.tier),
        "owner_unit": depot.owner_unit.code,
        "address": depot.address,
        "keeper": depot.keeper,
        "keeper_phone": depot.keeper_phone,
        "capacity_m3": depot.capacity_m3,
        "agreement_supplier": depot.agreement_supplier,
        "agreement_contact": depot.agreement_contact,
        "agreement_phone": depot.agreement_phone,
        "row_version": depot.row_version,
    }


def material_record(material: Material) -> dict[str, Any]:
    return {
        "id": material.id,
        "code": material.code,
        "name": material.name,
        "uom": material.uom,
        "spec": material.spec,
        "shelf_life_days": material.shelf_life_days,
        "needs_rotation": material.needs_rotation,
        "criticality": str(material.criticality),
        "flood_control": material.flood_control,
        "reference_price": material.reference_price,
        "synonyms": list(material.synonyms or []),
    }


def _depot_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    if new:
        p.add_argument(
            "--code", dest="new_code", metavar="CODE", required=True, help="depot code (库点编号)"
        )
    else:
        p.add_argument("--code", dest="new_code", metavar="CODE", help="a new code for the depot")
    p.add_argument("--name", required=new, help="库点名称")
    p.add_argument("--tier", required=new, help="市级/区级/街镇级/企业/协议储备 (or the key)")
    p.add_argument("--owner", metavar="UNIT", required=new, help="owner unit code")
    p.add_argument("--address")
    p.add_argument("--keeper", help="保管员")
    p.add_argument("--keeper-phone", help="mobile or Shanghai landline")
    p.add_argument("--capacity", dest="capacity_m3", metavar="M3", help="库容（立方米）")
    p.add_argument("--agreement-supplier", help="协议储备：协议供应商")
    p.add_argument("--agreement-contact", help="协议储备：联系人")
    p.add_argument("--agreement-phone", help="协议储备：联系电话 (mobile or Shanghai landline)")
    add_format(p)


def _material_options(p: argparse.ArgumentParser, *, new: bool) -> None:
    if new:
        p.add_argument(
            "--code", dest="new_code", metavar="CODE", required=True, help="7-digit GB/T 38565 code"
        )
    else:
        p.add_argument(
            "--code", dest="new_code", metavar="CODE", help="a new code for the material"
        )
    p.add_argument("--name", required=new, help="物资名称")
    p.add_argument("--uom", required=new, help="计量单位 (件, 条, 台 ...)")
    p.add_argument("--spec", help="规格型号")
    p.add_argument("--shelf-life", dest="shelf_life_days", metavar="DAYS", help="保质期（天）")
    p.add_argument("--needs-rotation", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--flood-control", action=argparse.BooleanOptionalAction, default=None)
    p.add_argument("--reference-price", metavar="YUAN", help="参考单价（元）")
    p.add_argument(
        "--criticality",
        help="重要程度：关键/重要/一般 (critical/important/general; default by class)",
    )
    p.add_argument("--synonyms", help="别名，以、或逗号分隔（冲锋艇、抢险舟）; '' clears them")
    add_format(p)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("depots", help="depots (储备库/点): add, list, set")
    s = p.add_subparsers(dest="depots_command", metavar="ACTION", required=True)
    _depot_options(s.add_parser("add", help="register a depot"), new=True)
    q = s.add_parser("list", help="the depot register")
    q.add_argument("--search", help="words that must all appear (code, name, tier ...)")
    add_format(q)
    q = s.add_parser("set", help="change a depot's fields (those given)")
    q.add_argument("depot", metavar="CODE")
    q.add_argument("--expected-version", type=version_arg, help="refuse if the depot changed since")
    _depot_options(q, new=False)

    p = sub.add_parser("materials", help="the material catalogue (物资品类): add, list, set")
    s = p.add_subparsers(dest="materials_command", metavar="ACTION", required=True)
    _material_options(s.add_parser("add", help="add a material to the catalogue"), new=True)
    q = s.add_parser("list", help="the catalogue")
    q.add_argument("--search", help="words that must all appear (code, name, spec ...)")
    add_format(q)
    q = s.add_parser("set", help="change a material's fields (those given)")
    q.add_argument("material", metavar="CODE")
    _material_options(q, new=False)

    p = sub.add_parser("quotas", help="depot quotas (储备定额): set, list")
    s = p.add_subparsers(dest="quotas_command", metavar="ACTION", required=True)
    q = s.add_parser("set", help="a depot's quota of a material ('' removes it)")
    q.add_argument("--depot", required=True, metavar="CODE")
    q.add_argument("--material", required=True, metavar="CODE")
    q.add_argument("--qty", required=True, help="required quantity ('' removes the quota)")
    add_format(q)
    q = s.add_parser("list", help="the depots' own quotas")
    q.add_argument("--depot", metavar="CODE")
    add_format(q)


def _listed(session: Session, model: Any, listing: Any, search: str | None) -> list[Any]:
    """Rows of a register in the listing's order, filtered by its search (as the desktop)."""
    return listed_rows(session, model, listing, search=search)


# -------------------------------------------------------------------------------- depots


def cmd_depots(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.depots_command
        if command == "list":
            rows = [depot_record(d) for d in _listed(session, Depot, DEPOTS, args.search)]
            listed(out, rows, DEPOT_COLUMNS, args.format)
            return EXIT_OK
        fields = changed(args, DEPOT_OPTIONS)
        if args.owner is not None:
            fields["owner_unit_id"] = reference(session, "unit", args.owner, "owner_unit_id")
        if command == "add":
            depot = catalogue.create_depot(session, user=user_of(session), **fields)
            done = ("已新建储备库", "depot created")
        else:
            depot = catalogue.update_depot(
                session,
                depot_id=find(session, "depot", args.depot),
                expected_version=args.expected_version,
                user=user_of(session),
                **fields,
            )
            done = ("已修改储备库", "depot updated")
        session.flush()
        session.refresh(depot)
        show(out, depot_record(depot), DEPOT_COLUMNS, args.format, done_zh=done[0], done_en=done[1])
        return EXIT_OK

    return run(args, body)


# ----------------------------------------------------------------------------- materials


def cmd_materials(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.materials_command
        if command == "list":
            rows = [material_record(m) for m in _listed(session, Material, MATERIALS, args.search)]
            listed(out, rows, MATERIAL_COLUMNS, args.format)
            return EXIT_OK
        fields = changed(args, MATERIAL_OPTIONS)
        if command == "add":
            material = catalogue.create_material(session, user=user_of(session), **fields)
            done = ("已新建物资", "material created")
        else:
            material = catalogue.update_material(
                session,
                material_id=find(session, "material", args.material),
                user=user_of(session),
                **fields,
            )
            done = ("已修改物资", "material updated")
        session.flush()
        show(
            out,
            material_record(material),
            MATERIAL_COLUMNS,
            args.format,
            done_zh=done[0],
            done_en=done[1],
        )
        return EXIT_OK

    return run(args, body)


# -------------------------------------------------------------------------------- quotas


def quota_record(session: Session, quota: Quota) -> dict[str, Any]:
    depot = session.get(Depot, quota.depot_id)
    material = session.get(Material, quota.material_id)
    assert depot is not None and material is not None
    return {
        "id": quota.id,
        "depot": depot.code,
        "material": material.code,
        "material_name": material.name,
        "required_qty": quota.required_qty,
    }


def cmd_quotas(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        if args.quotas_command == "list":
            depot_id = find(session, "depot", args.depot) if args.depot else None
            quotas = stock_read.depot_quotas_by_code(session, depot_id=depot_id)
            rows = [quota_record(session, q) for q in quotas]
            listed(out, rows, QUOTA_COLUMNS, args.format)
            return EXIT_OK
        depot_id = find(session, "depot", args.depot)
        material_id = find(session, "material", args.material)
        quota = catalogue.set_quota(
            session,
            depot_id=depot_id,
            material_id=material_id,
            required_qty=args.qty,
            user=user_of(session),
        )
        if quota is None:
            depot, material = session.get(Depot, depot_id), session.get(Material, material_id)
            assert depot is not None and material is not None
            record: dict[str, Any] = {
                "id": None,
                "depot": depot.code,
                "material": material.code,
                "material_name": material.name,
                "required_qty": None,
            }
            show(
                out,
                record,
                QUOTA_COLUMNS,
                args.format,
                done_zh="已删除定额",
                done_en="quota removed",
            )
        else:
            show(
                out,
                quota_record(session, quota),
                QUOTA_COLUMNS,
                args.format,
                done_zh="已设置定额",
                done_en="quota set",
            )
        return EXIT_OK

    return run(args, body)
