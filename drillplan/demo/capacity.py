"""Demo capacity reserves (产能储备): suppliers' promises, not lots (issue 14)."""

from __future__ import annotations

from decimal import Decimal

from drillplan.demo.context import Ctx
from drillplan.kernel.values import validate_phone


def build_capacity_reserves(ctx: Ctx) -> None:
    units = {u["code"]: u for u in ctx.json("units.json")["units"]}
    for rec in ctx.json("capacity_reserves.json")["capacity_reserves"]:
        unit_code = rec.get("supplier_unit")
        ctx.add(
            "capacity_reserve",
            {
                "code": rec["code"],
                "supplier": rec.get("supplier") or units[unit_code]["name"],
                "supplier_unit_id": ctx.id_of("unit", unit_code) if unit_code else None,
                "contact": rec.get("contact"),
                "phone": (
                    validate_phone(rec["phone"], field=rec["code"]) if rec.get("phone") else None
                ),
                "material_id": ctx.id_of("material", rec["material"]),
                "promised_qty": Decimal(rec["promised_qty"]),
                "lead_time_hours": int(rec["lead_time_hours"]),
                "agreement_no": rec.get("agreement_no"),
                "valid_from": ctx.day(rec.get("valid_from")),
                "valid_until": ctx.day(rec.get("valid_until")),
                "notes": rec.get("notes"),
                "row_version": 1,
            },
            key=rec["code"],
        )
