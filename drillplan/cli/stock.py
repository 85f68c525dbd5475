"""`drillplan audit ...` and `drillplan stock ...`: the stockpile commands."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.cli.argtypes import choice_help, enum_arg, id_arg, type_error
from drillplan.cli.common import Out, add_format, date_arg, run
from drillplan.db.models import Movement
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import parse_id, shown
from drillplan.kernel.vocab import DepotTier
from drillplan.stock import coverage, expiry, holders, ledger, rotation
from drillplan.stock import read as stock_read

HORIZON_HELP = "days, e.g. 30,90 (default: the office setting expiry_horizons)"


def _horizons(value: str) -> list[int]:
    """``--horizon 15,45``, parsed by the office setting's own rule (as the settings page)."""
    try:
        return settings.option("expiry_horizons").parse(value)
    except ValidationError as exc:
        raise type_error(exc) from exc


def _common(p: argparse.ArgumentParser, *, as_of: bool = True) -> None:
    add_format(p)
    if as_of:
        p.add_argument("--as-of", type=date_arg, default=None, help="judge expiry on DATE (today)")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    audit = sub.add_parser("audit", help="expiry and shortfall audits")
    a = audit.add_subparsers(dest="audit_command", metavar="AUDIT", required=True)
    p = a.add_parser("expiry", help="lots expired or expiring within the horizons")
    p.add_argument(
        "--horizon",
        type=_horizons,
        default=None,
        help="days, e.g. 30,90 (default: the office setting)",
    )
    p.add_argument(
        "--tier", type=enum_arg(DepotTier, what="层级", field="tier"), help=choice_help(DepotTier)
    )
    p.add_argument("--depot")
    p.add_argument("--team")
    p.add_argument("--material")
    p.add_argument("--summary", action="store_true", help="counts per tier and status only")
    _common(p)
    p = a.add_parser("shortfall", help="quota coverage and shortfall")
    p.add_argument(
        "--tier", type=enum_arg(DepotTier, what="层级", field="tier"), help=choice_help(DepotTier)
    )
    p.add_argument("--depot")
    p.add_argument(
        "--by", choices=["line", "depot", "tier", "material", "district"], default="line"
    )
    _common(p)
    p = a.add_parser("certificates", help="members' certificates expiring")
    p.add_argument(
        "--horizon",
        type=_horizons,
        default=None,
        help="days, e.g. 30,90 (default: the office setting)",
    )
    p.add_argument("--team")
    _common(p)
    p = a.add_parser("agreements", help="teams' cooperation agreements expiring")
    p.add_argument(
        "--horizon",
        type=_horizons,
        default=None,
        help="days, e.g. 30,90 (default: the office setting)",
    )
    _common(p)
    p = a.add_parser("rotation", help="lots to rotate this month and next, with drill uses")
    _common(p)

    stock = sub.add_parser("stock", help="ledger operations (each one transaction)")
    s = stock.add_subparsers(dest="stock_command", metavar="OPERATION", required=True)

    def op(name: str, help_text: str) -> argparse.ArgumentParser:
        q = s.add_parser(name, help=help_text)
        q.add_argument("--date", type=date_arg, default=None, help="movement date (today)")
        q.add_argument("--operator", default="cli")
        q.add_argument("--doc", help="document number")
        add_format(q)
        return q

    q = op("receive", "入库: receive a lot")
    q.add_argument("--holder", required=True, help="depot or team code")
    q.add_argument("--material", required=True, help="material code")
    q.add_argument("--qty", required=True)
    q.add_argument("--batch", required=True)
    q.add_argument("--production", type=date_arg)
    q.add_argument("--expiry", type=date_arg)
    q.add_argument("--uom")
    q.add_argument("--cost")
    q.add_argument("--supplier")
    q = op("issue", "领用/发料: issue FEFO or from named lots")
    q.add_argument("--holder", required=True)
    q.add_argument("--material", required=True)
    q.add_argument("--qty", required=True)
    q.add_argument("--lot", type=id_arg, action="append", dest="lots")
    q.add_argument("--force-expired", metavar="REASON")
    q.add_argument("--reason")
    q.add_argument("--to", dest="counterpart")
    q = op("transfer", "调拨: to another depot or a team")
    q.add_argument("--from", dest="from_holder", required=True)
    q.add_argument("--to", dest="to_holder", required=True)
    q.add_argument("--material", required=True)
    q.add_argument("--qty", required=True)
    q.add_argument("--lot", type=id_arg, action="append", dest="lots")
    q.add_argument("--reason")
    q = op("write-off", "报损")
    q.add_argument("--lot", type=id_arg, required=True)
    q.add_argument("--qty", required=True)
    q.add_argument("--reason", required=True, choices=sorted(ledger.WRITE_OFF_REASONS))
    q.add_argument("--note")
    q = op("rotate", "轮换: replace a lot with fresh stock")
    q.add_argument("--lot", type=id_arg, required=True)
    q.add_argument("--new-batch", required=True)
    q.add_argument("--new-expiry", type=date_arg)
    q.add_argument("--new-production", type=date_arg)
    q.add_argument("--qty")
    q = op("count", "盘点: counted quantities, differences become adjustments")
    q.add_argument("--holder", required=True)
    q.add_argument("--lot", action="append", required=True, metavar="LOT_ID=QTY", dest="counts")
    q = op("reverse", "冲正: undo a wrong movement")
    q.add_argument("--movement", type=id_arg, required=True)
    q.add_argument("--reason", required=True)
    q = s.add_parser("lots", help="lots with their quantity on hand")
    q.add_argument("--holder")
    q.add_argument("--material")
    add_format(q)
    q = s.add_parser("ledger", help="the movements of one lot")
    q.add_argument("--lot", type=id_arg, required=True)
    add_format(q)


def _as_of(args: argparse.Namespace) -> dt.date:
    return args.as_of or dt.date.today()


# ---------------------------------------------------------------------------------- audit

LOT_COLUMNS = [
    "lot_id",
    "batch",
    "material_code",
    "material_name",
    "holder_code",
    "holder_name",
    "tier",
    "quantity",
    "unit",
    "expiry_date",
    "days_left",
    "status",
    "value",
    "action",
]


def _audit(session: Session, args: argparse.Namespace, out: Out) -> int:
    as_of = _as_of(args)
    cmd = args.audit_command
    if cmd == "expiry" and args.summary:
        rows = [
            r.__dict__
            for r in expiry.expiry_summary(
                session, as_of=as_of, horizons=args.horizon, tier=args.tier, depot_code=args.depot
            )
        ]
        out.rows(rows, ["tier", "status", "lots", "quantity", "value"], args.format)
    elif cmd == "expiry":
        found = expiry.lot_expiry(
            session,
            as_of=as_of,
            horizons=args.horizon,
            tier=args.tier,
            depot_code=args.depot,
            team_code=args.team,
            material_code=args.material,
        )
        out.rows([x.as_dict() for x in found], LOT_COLUMNS, args.format)
    elif cmd == "shortfall":
        lines = coverage.quota_lines(session, as_of=as_of, tier=args.tier, depot_code=args.depot)
        if args.by == "line":
            from drillplan.reserves.cover import capacity_by_material

            short = [x.material_id for x in lines if x.shortfall > 0]
            capacity = capacity_by_material(session, short, as_of=as_of)
            rows = [
                {
                    "depot_code": x.depot_code,
                    "depot_name": x.depot_name,
                    "tier": x.tier,
                    "material_code": x.material_code,
                    "material_name": x.material_name,
                    "unit": x.uom,
                    "required": x.required,
                    "usable": x.usable,
                    "shortfall": x.shortfall,
                    "coverage_pct": x.coverage_pct,
                    "criticality": x.criticality.value,
                    "weight": x.weight,
                    "quota_source": x.quota_source,
                    # shown beside the shortfall, never counted (drillplan.reserves.cover)
                    "capacity_reserves": "；".join(
                        c.text(x.uom) for c in capacity.get(x.material_id, ())
                    )
                    if x.shortfall > 0
                    else "",
                }
                for x in lines
            ]
            cols = list(rows[0]) if rows else ["depot_code", "material_code", "shortfall"]
        else:
            groups = (
                [coverage.district_total(lines)]
                if args.by == "district"
                else coverage.group_by(lines, args.by)
            )
            # one row per group and unit of measure: quantities of different units never add;
            # coverage_pct is that unit's weighted coverage, group_coverage_pct the group's
            rows = [
                {
                    "key": g.key,
                    "name": g.name,
                    "unit": u.uom,
                    "required": u.required,
                    "covered": u.covered,
                    "shortfall": u.shortfall,
                    "coverage_pct": u.coverage_pct,
                    "lines": u.lines,
                    "lines_short": u.lines_short,
                    "group_coverage_pct": g.coverage_pct,
                }
                for g in groups
                for u in g.units
            ]
            cols = ["key", "name", "unit", "required", "covered", "shortfall", "coverage_pct"]
            cols += ["lines", "lines_short", "group_coverage_pct"]
        out.rows(rows, cols, args.format)
    elif cmd == "certificates":
        certs = expiry.certificate_expiry(
            session, as_of=as_of, horizons=args.horizon, team_code=args.team
        )
        cols = ["team_code", "team_name", "member_name", "cert_type", "number", "expires_on"]
        out.rows([c.as_dict() for c in certs], [*cols, "days_left", "status"], args.format)
    elif cmd == "agreements":
        agreements = expiry.agreement_expiry(session, as_of=as_of, horizons=args.horizon)
        cols = ["team_code", "team_name", "agreement_no", "expires_on", "days_left", "status"]
        out.rows([a.as_dict() for a in agreements], cols, args.format)
    elif cmd == "rotation":
        found_r = rotation.rotation_suggestions(session, as_of=as_of)
        if args.format == "json":
            out.json([r.as_dict() for r in found_r])
        else:
            rows = []
            for r in found_r:
                d = r.as_dict()
                d["drills"] = "; ".join(
                    f"{u['starts_on']} {u['drill_code']} {u['team_name']}" for u in d["drills"]
                )
                rows.append(d)
            cols = ["month", "expiry_date", "days_left", "material_name", "batch_no"]
            cols += ["holder_name", "quantity", "uom", "drills"]
            out.rows(rows, cols, args.format)
    return 0


# ---------------------------------------------------------------------------------- stock

MOVEMENT_COLUMNS = ["id", "lot_id", "kind", "quantity", "moved_on", "transfer_ref", "reason"]


def _movement_row(m: Movement) -> dict[str, Any]:
    return {
        "id": m.id,
        "lot_id": m.lot_id,
        "kind": str(m.kind),
        "quantity": m.quantity,
        "moved_on": m.moved_on,
        "transfer_ref": m.transfer_ref,
        "reason": m.reason,
    }


def _parse_counts(values: list[str]) -> dict[int, str]:
    counts: dict[int, str] = {}
    for item in values:
        lot, sep, qty = item.partition("=")
        if not sep:
            raise ValidationError(
                "--lot",
                f"盘点格式应为 批次ID=数量: {shown(item)}",
                message_en="expected LOT_ID=QTY",
            )
        counts[parse_id(lot, field="--lot", what="批次ID", what_en="lot id")] = qty
    return counts


def _stock_op(session: Session, args: argparse.Namespace) -> ledger.Changes:
    on = args.date or dt.date.today()
    common = {"on": on, "operator": args.operator}
    cmd = args.stock_command
    if cmd == "receive":
        return ledger.receive(
            session,
            holder_id=holders.holder_by_code(session, args.holder).id,
            material_id=holders.material_by_code(session, args.material).id,
            quantity=args.qty,
            batch_no=args.batch,
            production_date=args.production,
            expiry_date=args.expiry,
            uom=args.uom,
            unit_cost=args.cost,
            supplier=args.supplier,
            document_no=args.doc,
            **common,
        )
    if cmd == "issue":
        return ledger.issue(
            session,
            holder_id=holders.holder_by_code(session, args.holder).id,
            material_id=holders.material_by_code(session, args.material).id,
            quantity=args.qty,
            lot_ids=args.lots,
            force_expired_reason=args.force_expired,
            reason=args.reason,
            counterpart=args.counterpart,
            document_no=args.doc,
            **common,
        )
    if cmd == "transfer":
        return ledger.transfer(
            session,
            from_holder_id=holders.holder_by_code(session, args.from_holder).id,
            to_holder_id=holders.holder_by_code(session, args.to_holder).id,
            material_id=holders.material_by_code(session, args.material).id,
            quantity=args.qty,
            lot_ids=args.lots,
            reason=args.reason,
            document_no=args.doc,
            **common,
        )
    if cmd == "write-off":
        return ledger.write_off(
            session,
            lot_id=args.lot,
            quantity=args.qty,
            reason=args.reason,
            note=args.note,
            document_no=args.doc,
            **common,
        )
    if cmd == "rotate":
        return ledger.rotate(
            session,
            lot_id=args.lot,
            new_batch_no=args.new_batch,
            new_expiry_date=args.new_expiry,
            new_production_date=args.new_production,
            quantity=args.qty,
            document_no=args.doc,
            **common,
        )
    if cmd == "count":
        return ledger.count(
            session,
            holder_id=holders.holder_by_code(session, args.holder).id,
            counted=_parse_counts(args.counts),
            document_no=args.doc,
            **common,
        )
    if cmd == "reverse":
        return ledger.reverse(session, movement_id=args.movement, reason=args.reason, **common)
    raise AssertionError(cmd)


def _stock_query(session: Session, args: argparse.Namespace, out: Out) -> int:
    if args.stock_command == "ledger":
        rows = [_movement_row(m) for m in stock_read.movements_of(session, args.lot)]
        out.rows(rows, MOVEMENT_COLUMNS, args.format)
        return 0
    lots = stock_read.lots_of(
        session,
        holder_id=holders.holder_by_code(session, args.holder).id if args.holder else None,
        material_id=holders.material_by_code(session, args.material).id if args.material else None,
    )
    rows = [
        {
            "lot_id": lot.id,
            "holder": holders.describe(session, lot.holder_id).code,
            "material_code": lot.material.code,
            "material_name": lot.material.name,
            "batch": lot.batch_no,
            "on_hand": lot.on_hand,
            "unit": lot.material.uom,
            "expiry_date": lot.expiry_date,
        }
        for lot in lots
    ]
    cols = ["lot_id", "holder", "material_code", "material_name", "batch", "on_hand", "unit"]
    out.rows(rows, [*cols, "expiry_date"], args.format)
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    return run(args, lambda session, out: _audit(session, args, out))


def cmd_stock(args: argparse.Namespace) -> int:
    if args.stock_command in ("lots", "ledger"):
        return run(args, lambda session, out: _stock_query(session, args, out))

    def body(session: Session, out: Out) -> int:
        changes = _stock_op(session, args)
        rows = [_movement_row(m) for m in changes.movements]
        if args.format == "json":
            out.json({"transfer_ref": changes.transfer_ref, "movements": rows})
        else:
            out.rows(rows, MOVEMENT_COLUMNS, args.format)
        return 0

    return run(args, body, write=True)
