"""Import and export of capacity reserves (产能储备) through the form's functions
(:mod:`drillplan.reserves.capacity`): matched on the code, every row checked first."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import CapacityReserve, Unit
from drillplan.interchange import kinds
from drillplan.interchange.context import Context, Record
from drillplan.interchange.registers import AreaFunctions, RegisterHandler
from drillplan.reserves import capacity


class CapacityReserveHandler(RegisterHandler):
    kind, model = kinds.CAPACITY_RESERVES, CapacityReserve
    area = AreaFunctions(
        capacity.check_capacity_reserve,
        capacity.create_capacity_reserve,
        capacity.update_capacity_reserve,
        "reserve_id",
    )

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        out = super().fields(ctx, rec)
        material = out.get("material_id")
        if material is not None and hasattr(material, "id"):  # a MaterialRef
            out["material_id"] = material.id
        return out

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        units = dict(session.execute(select(Unit.id, Unit.code)).tuples().all())
        for row in session.scalars(select(CapacityReserve).order_by(CapacityReserve.code)):
            yield {
                "code": row.code,
                "supplier": row.supplier,
                "supplier_unit": units.get(row.supplier_unit_id) if row.supplier_unit_id else None,
                "contact": row.contact,
                "phone": row.phone,
                "material": row.material.code,
                "promised_qty": row.promised_qty,
                "lead_time_hours": row.lead_time_hours,
                "agreement_no": row.agreement_no,
                "valid_from": row.valid_from,
                "valid_until": row.valid_until,
                "notes": row.notes,
            }
