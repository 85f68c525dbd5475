"""The shelter classification as data (a table the office edits): check, create, edit.

GB/T 44012-2024 classifies shelters by level and by how long people stay (紧急 / 短期 / 长期);
Shanghai also lists smaller 应急避难点. The exact class names and capacity thresholds are
unconfirmed (DOMAIN.md), so the starter set below is only a proposal the office changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Facility, FacilityClass
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.numbers import ID_MAX
from drillplan.kernel.vocab import FacilityKind, StayType

CLASS_FIELDS = (
    "code",
    "name",
    "kind",
    "level",
    "stay_type",
    "min_capacity",
    "max_capacity",
    "notes",
)

#: the starter classes written by migration 0017 and by the demo (same rows)
STARTER_CLASSES: tuple[dict[str, Any], ...] = (
    {"code": "I", "name": "Ⅰ类应急避难场所", "kind": FacilityKind.SHELTER, "level": "Ⅰ类",
     "stay_type": StayType.LONG_TERM, "min_capacity": 5000, "max_capacity": None,
     "notes": "长期避难（30 天以上）；分类名称与门槛暂定，请按本区规划修改"},
    {"code": "II", "name": "Ⅱ类应急避难场所", "kind": FacilityKind.SHELTER, "level": "Ⅱ类",
     "stay_type": StayType.SHORT_TERM, "min_capacity": 1000, "max_capacity": 4999,
     "notes": "短期避难（数日至 30 天）"},
    {"code": "III", "name": "Ⅲ类应急避难场所", "kind": FacilityKind.SHELTER, "level": "Ⅲ类",
     "stay_type": StayType.IMMEDIATE, "min_capacity": 200, "max_capacity": 999,
     "notes": "紧急避难（数小时至数日）"},
    {"code": "POINT", "name": "应急避难点", "kind": FacilityKind.SHELTER_POINT, "level": None,
     "stay_type": StayType.IMMEDIATE, "min_capacity": None, "max_capacity": 500,
     "notes": "社区、学校、公共建筑内的临时避难点"},
    {"code": "DUAL", "name": "平急两用设施", "kind": FacilityKind.DUAL_USE, "level": None,
     "stay_type": StayType.SHORT_TERM, "min_capacity": None, "max_capacity": None,
     "notes": "平时正常使用，急时转换为安置、医疗、物资中转或隔离场所"},
)  # fmt: skip


def _values(
    session: Session, raw: Mapping[str, Any], *, row: FacilityClass | None
) -> dict[str, Any]:
    raw = c.merged(row, CLASS_FIELDS, raw)
    check = v.Checks()
    out = {
        "code": check(v.parse_code, raw.get("code"), what="分类编号"),
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="分类名称", max_len=60, required=True
        ),
        "kind": check(v.parse_enum, FacilityKind, raw.get("kind"), field="kind", what="类型"),
        "level": check(v.parse_text, raw.get("level"), field="level", what="等级", max_len=20),
        "stay_type": check(
            v.parse_enum,
            StayType,
            raw.get("stay_type"),
            field="stay_type",
            what="避难时长",
            optional=True,
        ),
        "min_capacity": check(
            v.parse_optional_int, raw.get("min_capacity"), field="min_capacity", what="最小容量"
        ),
        "max_capacity": check(
            v.parse_optional_int, raw.get("max_capacity"), field="max_capacity", what="最大容量"
        ),
        "notes": check(v.parse_text, raw.get("notes"), field="notes", what="备注", max_len=2000),
    }
    check.done()
    low, high = out["min_capacity"], out["max_capacity"]
    if low is not None and high is not None and high < low:
        raise ValidationError(
            "max_capacity",
            f"最大容量 {high} 小于最小容量 {low}",
            message_en="max_capacity is below min_capacity",
            rule="capacity_range",
        )
    c.unique(session, FacilityClass.code, out["code"], row.id if row else None, "分类编号")
    return out


def check_class(session: Session, *, class_id: int | None = None, **fields: Any) -> dict[str, Any]:
    """The class's fields as :func:`create_class` / :func:`update_class` would store them."""
    row = c.get(session, FacilityClass, class_id, "避难场所分类") if class_id is not None else None
    return _values(session, fields, row=row)


def create_class(session: Session, *, user: str = "system", **fields: Any) -> FacilityClass:
    values = _values(session, fields, row=None)
    return auditlog.insert(
        session, FacilityClass(**values), user=user, action="facility_class.create"
    )


def update_class(
    session: Session,
    *,
    class_id: int,
    expected_version: int | None = None,
    user: str = "system",
    **fields: Any,
) -> FacilityClass:
    row = c.get(session, FacilityClass, class_id, "避难场所分类")
    c.check_version(row, expected_version, f"避难场所分类 {row.code} ")
    values = _values(session, fields, row=row)
    return auditlog.update(
        session, row, values, user=user, action="facility_class.update", what=f"分类 {row.code} "
    )


def delete_class(session: Session, *, class_id: int, user: str = "system") -> None:
    row = c.get(session, FacilityClass, class_id, "避难场所分类")
    used = session.scalar(select(func.count(Facility.id)).where(Facility.class_id == row.id)) or 0
    if used:
        raise ValidationError(
            "class_id",
            f"分类 {row.code} 仍有 {used} 处场所使用，不能删除",
            message_en=f"class {row.code} is used by {used} facilities",
        )
    auditlog.delete(session, row, user=user, action="facility_class.delete")


def class_id(session: Session, value: object, field: str = "class_id") -> int:
    """A class given by id, code or name."""
    known = isinstance(value, int) and not isinstance(value, bool) and 0 < value <= ID_MAX
    if known and session.get(FacilityClass, value) is not None:
        return value  # type: ignore[return-value]
    text = "" if value is None else str(value).strip()
    if not text:
        raise ValidationError(field, "请选择分类", message_en="choose a class", rule="required")
    found = session.scalar(
        select(FacilityClass.id).where((FacilityClass.code == text) | (FacilityClass.name == text))
    )
    if found is None and text.isdigit() and int(text) <= ID_MAX:
        found = session.scalar(select(FacilityClass.id).where(FacilityClass.id == int(text)))
    if found is None:
        names = "、".join(session.scalars(select(FacilityClass.code).order_by(FacilityClass.id)))
        raise ValidationError(
            field,
            f"分类“{v.shown(text)}”不存在（可选：{names}）",
            message_en=f"no facility class {text!r}",
            rule="not_in_list",
        )
    return found


def ensure_starter_classes(session: Session, *, user: str = "system") -> int:
    """Add the starter classes whose code is not yet used; returns how many were added."""
    have = set(session.scalars(select(FacilityClass.code)))
    added = 0
    for row in STARTER_CLASSES:
        if row["code"] not in have:
            create_class(session, user=user, **row)
            added += 1
    return added
