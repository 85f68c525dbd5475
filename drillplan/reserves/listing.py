"""Capacity reserves as a table (the one listing engine, drillplan.listing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from drillplan.db.models import CapacityReserve, Material
from drillplan.listing.core import ID_KEY, Column, Listing
from drillplan.listing.core import number_column as _n


def _capacity() -> Select[Any]:
    return select(
        CapacityReserve.id.label(ID_KEY),
        CapacityReserve.code.label("code"),
        CapacityReserve.supplier.label("supplier"),
        Material.code.label("material_code"),
        Material.name.label("material_name"),
        CapacityReserve.promised_qty.label("promised_qty"),
        Material.uom.label("uom"),
        CapacityReserve.lead_time_hours.label("lead_time_hours"),
        CapacityReserve.contact.label("contact"),
        CapacityReserve.phone.label("phone"),
        CapacityReserve.agreement_no.label("agreement_no"),
        CapacityReserve.valid_until.label("valid_until"),
    ).join(Material, CapacityReserve.material_id == Material.id)


CAPACITY_RESERVES = Listing(
    "capacity_reserves",
    "产能储备",
    "Capacity reserves",
    (
        Column("code", "储备编号", "Code"),
        Column("supplier", "供应商", "Supplier"),
        Column("material_code", "物资编码", "Material code"),
        Column("material_name", "物资名称", "Material"),
        _n("promised_qty", "承诺数量", "Promised"),
        Column("uom", "单位", "Unit"),
        _n("lead_time_hours", "响应时限(小时)", "Lead time (h)"),
        Column("contact", "联系人", "Contact"),
        Column("phone", "联系电话", "Phone"),
        Column("agreement_no", "协议编号", "Agreement no."),
        Column("valid_until", "有效期至", "Valid until", kind="date", expiry=True),
    ),
    _capacity,
    default_order="code",
)
