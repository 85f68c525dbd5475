"""Organisation units (单位): the owners of plans, teams and depots. Check, create and edit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Unit
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
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
    "population",
)


# the registration class a unit kind's credit code must have (DOMAIN.md, GB 32100-2015)
CREDIT_CODE_CLASS_OF_KIND: dict[UnitKind, tuple[str, str, str]] = {
    UnitKind.SOCIAL_ORG: ("social_organisation", "社会组织单位", "a social organisation unit"),
    UnitKind.ENTERPRISE: ("enterprise", "企业单位", "an enterprise unit"),
}


def credit_code(value: object, *, kind: UnitKind | None, override: bool) -> str | None:
    """The unit's credit code, checked against its kind (a social organisation needs a
    51/52/53/59 code, an enterprise a 91/92/93 one); ``override`` accepts a real code that
    fails (a wrong check character or a class that does not match)."""
    code = v.parse_optional_credit_code(value, override=override)
    wanted = CREDIT_CODE_CLASS_OF_KIND.get(kind) if kind is not None else None
    if code is not None and wanted is not None and not override:
        expected, who, who_en = wanted
        v.require_credit_code_class(code, expected, who=who, who_en=who_en)
    return code


def _values(
    session: Session, raw: Mapping[str, Any], *, unit: Unit | None, override: bool
) -> dict[str, Any]:
    raw = c.merged(unit, UNIT_FIELDS, raw)
    parent = raw.get("parent_id")
    check = v.Checks()
    kind = check(v.parse_enum, UnitKind, raw.get("kind"), field="kind", what="单位类型")
    values = {
        "code": check(v.parse_code, raw.get("code"), what="单位编号"),
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="单位名称", max_len=120, required=True
        ),
        "kind": kind,
        "tier": check(
            v.parse_enum, Tier, raw.get("tier") or Tier.DISTRICT, field="tier", what="层级"
        ),
        "parent_id": None if parent in (None, "") else check(unit_id, session, parent, "parent_id"),
        "credit_code": check(credit_code, raw.get("credit_code"), kind=kind, override=override),
        "address": check(
            v.parse_text, raw.get("address"), field="address", what="地址", max_len=200
        ),
        "contact": check(
            v.parse_text, raw.get("contact"), field="contact", what="联系人", max_len=60
        ),
        "phone": check(v.parse_optional_phone, raw.get("phone"), field="phone"),
        "population": check(
            v.parse_optional_int, raw.get("population"), field="population", what="常住人口"
        ),
    }
    check.done()
    if unit is not None and values["parent_id"] is not None:
        _check_not_below(session, unit, values["parent_id"])
    c.unique(session, Unit.code, values["code"], unit.id if unit else None, "单位编号")
    return values


def _check_not_below(session: Session, unit: Unit, parent_id: int) -> None:
    """The new parent is neither the unit itself nor one of the units below it."""
    seen: set[int] = set()
    here: int | None = parent_id
    while here is not None and here not in seen:
        if here == unit.id:
            own = parent_id == unit.id
            raise ValidationError(
                "parent_id",
                "上级单位不能是本单位" if own else "上级单位不能是本单位的下级单位",
                message_en="a unit cannot own itself" if own else "the parent is below the unit",
                rule="self_parent" if own else "parent_cycle",
            )
        seen.add(here)
        row = session.get(Unit, here)
        here = row.parent_id if row is not None else None


def check_unit(
    session: Session,
    *,
    unit_id: int | None = None,
    credit_code_override: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    """Every field of the unit as :func:`create_unit` (no ``unit_id``) or :func:`update_unit`
    would store it, or the ValidationError they would raise; writes nothing."""
    unit = c.get(session, Unit, unit_id, "单位") if unit_id is not None else None
    return _values(session, fields, unit=unit, override=credit_code_override)


def create_unit(
    session: Session, *, user: str = "system", credit_code_override: bool = False, **fields: Any
) -> Unit:
    values = _values(session, fields, unit=None, override=credit_code_override)
    return auditlog.insert(session, Unit(**values), user=user, action="unit.create")


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
    values = _values(session, fields, unit=unit, override=credit_code_override)
    return auditlog.update(
        session, unit, values, user=user, action="unit.update", what=f"单位 {unit.code} "
    )


def unit_id(session: Session, value: object, field: str = "owner_unit_id") -> int:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise ValidationError(field, "请选择单位", message_en="choose a unit") from exc
    if session.get(Unit, number) is None:
        raise ValidationError(field, f"单位 {number} 不存在", message_en=f"no unit {number}")
    return number
