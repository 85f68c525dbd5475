"""Reads of capacity reserves for the desktop form: a record's values and the choices."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import CapacityReserve, Material, Unit
from drillplan.listing.records import row_values
from drillplan.reserves.capacity import CAPACITY_FIELDS


def capacity_record(session: Session, reserve_id: int) -> dict[str, Any]:
    """The stored fields (and ``row_version``) of one capacity reserve, as the form edits them."""
    return row_values(session, CapacityReserve, reserve_id, CAPACITY_FIELDS)


def form_choices(session: Session) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """(materials, units) as (id, "code name") for the form's pickers."""
    materials = [
        (mid, f"{code} {name}（{uom}）")
        for mid, code, name, uom in session.execute(
            select(Material.id, Material.code, Material.name, Material.uom).order_by(Material.code)
        )
    ]
    units = [
        (uid, f"{code} {name}")
        for uid, code, name in session.execute(
            select(Unit.id, Unit.code, Unit.name).order_by(Unit.code)
        )
    ]
    return materials, units
