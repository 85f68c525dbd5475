"""Organisation units (单位): the owners of plans, teams and depots. Create and edit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Unit
from drillplan.kernel import records as c
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import validate_credit_code
from drillplan.kernel.vocab import Tier, UnitKind

UNIT_FIELDS = (
    "code",
    "name",
    "kind",
    "tier",
    "parent_id",
    "credit_code",
    "address",
    "contact",
    "phone",
)


def _values(session: Session, raw: Mapping[str, Any], *, override: bool) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(UNIT_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "不能在此修改", message_en=f"{unknown[0]} not editable")
    code_value = raw.get("credit_code")
    credit = None
    if code_value is not None and str(code_value).strip():
        credit = validate_credit_code(str(code_value), allow_bad_check=override)
    parent = raw.get("parent_id")
    return {
        "code": c.code(raw.get("code"), what="单位编号"),
        "name": c.clean(raw.get("name"), "name", "单位名称", 120, required=True),
        "kind": c.choice(UnitKind, raw.get("kind"), "kind", "单位类型"),
        "tier": c.choice(Tier, raw.get("tier") or Tier.DISTRICT, "tier", "层级"),
        "parent_id": None if parent in (None, "") else unit_id(session, parent, "parent_id"),
        "credit_code": credit,
        "address": c.clean(raw.get("address"), "address", "地址", 200, required=False),
        "contact": c.clean(raw.get("contact"), "contact", "联系人", 60, required=False),
        "phone": c.phone(raw.get("phone"), "phone"),
    }


def create_unit(
    session: Session, *, user: str = "system", credit_code_override: bool = False, **fields: Any
) -> Unit:
    values = _values(session, fields, override=credit_code_override)
    c.unique(session, Unit.code, values["code"], None, "单位编号")
    unit = Unit(**values)
    session.add(unit)
    session.flush()
    auditlog.record(session, user=user, action="unit.create", row=unit)
    return unit


def update_unit(
    session: Session,
    *,
    unit_id: int,
    expected_version: int | None,
    user: str = "system",
    credit_code_override: bool = False,
    **fields: Any,
) -> Unit:
    unit = c.get(session, Unit, unit_id, "单位")
    c.check_version(unit, expected_version, f"单位 {unit.code} ")
    merged = {name: getattr(unit, name) for name in UNIT_FIELDS} | dict(fields)
    values = _values(session, merged, override=credit_code_override)
    if values["parent_id"] == unit.id:
        raise ValidationError(
            "parent_id", "上级单位不能是本单位", message_en="a unit cannot own itself"
        )
    c.unique(session, Unit.code, values["code"], unit.id, "单位编号")
    before = auditlog.snapshot(unit)
    for name, value in values.items():
        if getattr(unit, name) != value:
            setattr(unit, name, value)
    c.flush(session, f"单位 {unit.code} ")
    auditlog.record(session, user=user, action="unit.update", row=unit, before=before)
    return unit


def unit_id(session: Session, value: object, field: str = "owner_unit_id") -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValidationError(field, "请选择单位", message_en="choose a unit") from exc
    if session.get(Unit, number) is None:
        raise ValidationError(field, f"单位 {number} 不存在", message_en=f"no unit {number}")
    return number
