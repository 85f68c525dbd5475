"""Capacity reserves (产能储备): check, create, edit, delete.

A capacity reserve is a supplier's promise to deliver or produce ``promised_qty`` of a
material within ``lead_time_hours``: not a lot, never added into usable stock. The
resource directory lists it as its own kind of holder and the shortfall audit shows it beside
a quota's shortfall (shown, not counted). The ``check_*`` function validates without writing
(an import checks every row first).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import CapacityReserve, Material, Unit
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.dates import parse_optional_date
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.numbers import parse_quantity
from drillplan.kernel.text import normalize_text
from drillplan.org.units import unit_id

CAPACITY_FIELDS = (
    "code",
    "supplier",
    "supplier_unit_id",
    "contact",
    "phone",
    "material_id",
    "promised_qty",
    "lead_time_hours",
    "agreement_no",
    "valid_from",
    "valid_until",
    "notes",
)
LEAD_TIME_MAX_HOURS = 24 * 366
_LEAD = re.compile(r"^(\d+(?:\.\d+)?)\s*(小时|时|h|hr|hrs|hours?|天|日|d|days?)?$", re.IGNORECASE)
_DAY_UNITS = {"天", "日", "d", "day", "days"}


def parse_lead_time(value: object) -> int:
    """A lead time as hours: a number of hours (48, 48小时, 48h) or of days (2天, 2d)."""
    if isinstance(value, bool):
        value = str(value)
    if isinstance(value, int):
        hours: Decimal = Decimal(value)
    else:
        text = normalize_text("" if value is None else str(value)).strip()
        if not text:
            raise ValidationError(
                "lead_time_hours",
                "响应时限不能为空",
                message_en="lead time is required",
                rule="required",
            )
        match = _LEAD.match(text)
        if match is None:
            raise ValidationError(
                "lead_time_hours",
                f"响应时限“{v.shown(text)}”应写成小时数或天数，如 48、48小时、2天",
                message_en=f"lead time {text!r}: hours or days, e.g. 48, 48h, 2d",
                rule="bad_lead_time",
            )
        hours = Decimal(match.group(1))
        if (match.group(2) or "").lower() in _DAY_UNITS:
            hours *= 24
    if hours != hours.to_integral_value() or hours < 0 or hours > LEAD_TIME_MAX_HOURS:
        raise ValidationError(
            "lead_time_hours",
            f"响应时限应为 0 至 {LEAD_TIME_MAX_HOURS} 之间的整小时数",
            message_en=f"lead time must be whole hours between 0 and {LEAD_TIME_MAX_HOURS}",
            rule="out_of_range",
        )
    return int(hours)


def lead_time_text(hours: int, *, lang: str = "zh") -> str:
    """48 -> "48 小时"; whole days of three or more: 72 -> "3 天"."""
    if hours >= 72 and hours % 24 == 0:
        return f"{hours // 24} 天" if lang == "zh" else f"{hours // 24} days"
    return f"{hours} 小时" if lang == "zh" else f"{hours} hours"


def _material_id(session: Session, value: object) -> int:
    if value is None or value == "":
        raise ValidationError(
            "material_id", "物资不能为空", message_en="material is required", rule="required"
        )
    material_id = int(value)  # type: ignore[call-overload]
    if session.get(Material, material_id) is None:
        raise ValidationError(
            "material_id", f"物资 {material_id} 不存在", message_en=f"no material {material_id}"
        )
    return material_id


def _values(
    session: Session, raw: Mapping[str, Any], *, row: CapacityReserve | None
) -> dict[str, Any]:
    raw = c.merged(row, CAPACITY_FIELDS, raw)
    check = v.Checks()
    supplier_unit = check(
        lambda value: (
            unit_id(session, value, "supplier_unit_id") if value not in (None, "") else None
        ),
        raw.get("supplier_unit_id"),
    )
    supplier = raw.get("supplier")
    if (supplier is None or str(supplier).strip() == "") and supplier_unit is not None:
        unit = session.get(Unit, supplier_unit)
        supplier = unit.name if unit is not None else None
    values = {
        "code": check(v.parse_code, raw.get("code"), what="储备编号"),
        "supplier": check(
            v.parse_text, supplier, field="supplier", what="供应商", max_len=120, required=True
        ),
        "supplier_unit_id": supplier_unit,
        "contact": check(
            v.parse_text, raw.get("contact"), field="contact", what="联系人", max_len=60
        ),
        "phone": check(v.parse_optional_phone, raw.get("phone"), field="phone"),
        "material_id": check(_material_id, session, raw.get("material_id")),
        "promised_qty": check(
            parse_quantity,
            raw.get("promised_qty"),
            field="promised_qty",
            what="承诺数量",
            what_en="promised quantity",
        ),
        "lead_time_hours": check(parse_lead_time, raw.get("lead_time_hours")),
        "agreement_no": check(
            v.parse_text, raw.get("agreement_no"), field="agreement_no", what="协议编号", max_len=40
        ),
        "valid_from": check(parse_optional_date, raw.get("valid_from"), field="valid_from"),
        "valid_until": check(parse_optional_date, raw.get("valid_until"), field="valid_until"),
        "notes": check(v.parse_text, raw.get("notes"), field="notes", what="备注", max_len=2000),
    }
    check.done()
    start, end = values["valid_from"], values["valid_until"]
    if start is not None and end is not None and end < start:
        raise ValidationError(
            "valid_until",
            f"有效期至 {end} 早于生效日期 {start}",
            message_en="valid until is before valid from",
            rule="end_before_start",
        )
    c.unique(session, CapacityReserve.code, values["code"], row.id if row else None, "储备编号")
    return values


def check_capacity_reserve(
    session: Session, *, reserve_id: int | None = None, **fields: Any
) -> dict[str, Any]:
    """Every field as :func:`create_capacity_reserve` (no ``reserve_id``) or
    :func:`update_capacity_reserve` would store it, or the ValidationError they would raise."""
    row = c.get(session, CapacityReserve, reserve_id, "产能储备") if reserve_id else None
    return _values(session, fields, row=row)


def create_capacity_reserve(
    session: Session, *, user: str = "system", **fields: Any
) -> CapacityReserve:
    return auditlog.insert(
        session,
        CapacityReserve(**_values(session, fields, row=None)),
        user=user,
        action="capacity_reserve.create",
    )


def update_capacity_reserve(
    session: Session,
    *,
    reserve_id: int,
    expected_version: int | None,
    user: str = "system",
    **fields: Any,
) -> CapacityReserve:
    row = c.get(session, CapacityReserve, reserve_id, "产能储备")
    c.check_version(row, expected_version, f"产能储备 {row.code} ")
    values = _values(session, fields, row=row)
    return auditlog.update(
        session,
        row,
        values,
        user=user,
        action="capacity_reserve.update",
        what=f"产能储备 {row.code} ",
    )


def delete_capacity_reserve(
    session: Session, *, reserve_id: int, expected_version: int | None = None, user: str = "system"
) -> None:
    row = c.get(session, CapacityReserve, reserve_id, "产能储备")
    c.check_version(row, expected_version, f"产能储备 {row.code} ")
    auditlog.delete(session, row, user=user, action="capacity_reserve.delete")


def in_force(row: CapacityReserve, on: dt.date) -> bool:
    """The promise holds on ``on`` (within valid from .. until where given)."""
    if row.valid_from is not None and on < row.valid_from:
        return False
    return row.valid_until is None or on <= row.valid_until
