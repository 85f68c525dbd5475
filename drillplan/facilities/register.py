"""The facility register (应急避难场所 / 平急两用设施): check, create, edit, delete, and the
inspections (巡查) that keep a facility's last inspection date, with their history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.audit import log as auditlog
from drillplan.db.models import Facility, FacilityInspection, Unit
from drillplan.facilities.classes import class_id
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.numbers import ID_MAX
from drillplan.kernel.text import normalize_text
from drillplan.kernel.vocab import (
    FACILITY_AMENITIES,
    EmergencyUse,
    FacilityStatus,
    InspectionResult,
    UnitKind,
)

FACILITY_FIELDS = (
    "code",
    "name",
    "class_id",
    "address",
    "street_unit_id",
    "unit_in_charge_id",
    "capacity_people",
    "area_m2",
    "normal_use",
    "emergency_use",
    "conversion_hours",
    "amenities",
    "contact",
    "phone",
    "last_inspected_on",
    "inspection_days",
    "status",
    "notes",
)
INSPECTION_FIELDS = ("inspected_on", "inspector", "result", "notes")

AREA_LIMIT = Decimal("99999999999.9")


def _unit(session: Session, value: object, field: str, *, street: bool = False) -> int:
    """A unit given by id, code or name; ``street`` wants a street-town (街道/镇)."""
    if isinstance(value, int) and not isinstance(value, bool):
        found = session.get(Unit, value) if 0 < value <= ID_MAX else None
        value = found.code if found is not None else str(value)
    text = "" if value is None else normalize_text(str(value))
    if not text:
        what = "所在街镇" if street else "责任单位"
        raise ValidationError(field, f"请选择{what}", message_en=f"{field} is required",
                              rule="required")  # fmt: skip
    unit = session.scalar(select(Unit).where((Unit.code == text) | (Unit.name == text)))
    if unit is None and text.isdigit() and int(text) <= ID_MAX:
        unit = session.get(Unit, int(text))
    if unit is None:
        raise ValidationError(
            field, f"单位“{v.shown(text)}”不存在", message_en=f"no unit {text!r}",
            rule="not_in_list",
        )  # fmt: skip
    if street and unit.kind != UnitKind.STREET_TOWN:
        raise ValidationError(
            field,
            f"“{unit.name}”不是街道/镇，所在街镇应选街道或镇",
            message_en=f"{unit.name} is not a street or town",
            rule="not_street_town",
        )
    return unit.id


def parse_amenities(value: object, *, field: str = "amenities") -> list[str]:
    """The facilities present, given as keys or labels (供水、供电、厕所 ...), in a fixed order."""
    names = v.parse_strings(value, field=field)
    lookup: dict[str, str] = {}
    for key, (zh, en) in FACILITY_AMENITIES.items():
        for name in (key, zh, en):
            lookup[normalize_text(name).casefold()] = key
    lookup.update({"水": "water", "电": "power", "卫生间": "toilets", "医疗": "medical",
                   "广播": "broadcast", "标志": "signage"})  # fmt: skip
    chosen: set[str] = set()
    for name in names:
        key = lookup.get(normalize_text(name).casefold())
        if key is None:
            allowed = "、".join(zh for zh, _en in FACILITY_AMENITIES.values())
            raise ValidationError(
                field,
                f"设施“{v.shown(name)}”不是可选值（可选：{allowed}）",
                message_en=f"{field} {name!r} is not one of {', '.join(FACILITY_AMENITIES)}",
                rule="not_in_list",
            )
        chosen.add(key)
    return [k for k in FACILITY_AMENITIES if k in chosen]


def _values(session: Session, raw: Mapping[str, Any], *, row: Facility | None) -> dict[str, Any]:
    raw = c.merged(row, FACILITY_FIELDS, raw)
    check = v.Checks()
    capacity = raw.get("capacity_people")
    out: dict[str, Any] = {
        "code": check(v.parse_code, raw.get("code"), what="场所编号"),
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="场所名称", max_len=120, required=True
        ),
        "class_id": check(class_id, session, raw.get("class_id")),
        "address": check(v.parse_text, raw.get("address"), field="address", what="地址",
                         max_len=200),
        "street_unit_id": check(_unit, session, raw.get("street_unit_id"), "street_unit_id",
                                street=True),
        "unit_in_charge_id": check(_unit, session, raw.get("unit_in_charge_id"),
                                   "unit_in_charge_id"),
        "capacity_people": check(v.parse_optional_int, 0 if capacity in (None, "") else capacity,
                                 field="capacity_people", what="可容纳人数"),
        "area_m2": check(v.parse_optional_decimal, raw.get("area_m2"), field="area_m2",
                         what="面积", maximum=AREA_LIMIT),
        "normal_use": check(v.parse_text, raw.get("normal_use"), field="normal_use",
                            what="平时用途", max_len=60),
        "emergency_use": check(v.parse_enum, EmergencyUse,
                               raw.get("emergency_use") or EmergencyUse.SHELTERING,
                               field="emergency_use", what="急时用途"),
        "conversion_hours": check(v.parse_optional_int, raw.get("conversion_hours"),
                                  field="conversion_hours", what="转换时间"),
        "amenities": check(parse_amenities, raw.get("amenities")),
        "contact": check(v.parse_text, raw.get("contact"), field="contact", what="联系人",
                         max_len=60),
        "phone": check(v.parse_optional_phone, raw.get("phone"), field="phone"),
        "last_inspected_on": check(v.parse_optional_date, raw.get("last_inspected_on"),
                                   field="last_inspected_on"),
        "inspection_days": check(v.parse_optional_int, raw.get("inspection_days"),
                                 field="inspection_days", what="巡查周期", minimum=1,
                                 maximum=3660),
        "status": check(v.parse_enum, FacilityStatus,
                        raw.get("status") or FacilityStatus.IN_SERVICE, field="status",
                        what="状态"),
        "notes": check(v.parse_text, raw.get("notes"), field="notes", what="备注", max_len=2000),
    }  # fmt: skip
    check.done()
    if out["area_m2"] is not None:
        out["area_m2"] = out["area_m2"].quantize(Decimal("0.1"))
    c.unique(session, Facility.code, out["code"], row.id if row else None, "场所编号")
    return out


def check_facility(
    session: Session, *, facility_id: int | None = None, **fields: Any
) -> dict[str, Any]:
    """The facility's fields as :func:`create_facility` (no ``facility_id``) or
    :func:`update_facility` would store them, or the ValidationError they would raise."""
    row = c.get(session, Facility, facility_id, "场所") if facility_id is not None else None
    return _values(session, fields, row=row)


def create_facility(session: Session, *, user: str = "system", **fields: Any) -> Facility:
    values = _values(session, fields, row=None)
    return auditlog.insert(session, Facility(**values), user=user, action="facility.create")


def update_facility(
    session: Session,
    *,
    facility_id: int,
    expected_version: int | None = None,
    user: str = "system",
    **fields: Any,
) -> Facility:
    """Edit a facility; fields not given keep their value."""
    row = c.get(session, Facility, facility_id, "场所")
    c.check_version(row, expected_version, f"场所 {row.code} ")
    values = _values(session, fields, row=row)
    return auditlog.update(
        session, row, values, user=user, action="facility.update", what=f"场所 {row.code} "
    )


def delete_facility(
    session: Session, *, facility_id: int, expected_version: int | None = None,
    user: str = "system",
) -> None:  # fmt: skip
    """Delete a facility with its inspection history."""
    row = c.get(session, Facility, facility_id, "场所")
    c.check_version(row, expected_version, f"场所 {row.code} ")
    before = auditlog.snapshot(row)
    auditlog.delete(session, row, user=user, action="facility.delete", before=before)


def facility_by_code(session: Session, code: str) -> Facility:
    row = session.scalar(select(Facility).where(Facility.code == normalize_text(code)))
    if row is None:
        raise ValidationError("code", f"场所编号“{v.shown(code)}”不存在",
                              message_en=f"no facility {code!r}", rule="not_found")  # fmt: skip
    return row


def interval_days(session: Session, facility: Facility) -> int:
    """The facility's own inspection interval, else the office's setting."""
    return facility.inspection_days or int(settings.get(session, "facility_inspection_days"))


def next_due(facility: Facility, days: int) -> dt.date | None:
    """When the next inspection is due; None when it was never inspected (due at once)."""
    if facility.last_inspected_on is None:
        return None
    return facility.last_inspected_on + dt.timedelta(days=days)


# ------------------------------------------------------------------------- inspections


def _inspection_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    raw = c.merged(None, INSPECTION_FIELDS, raw)
    check = v.Checks()
    out = {
        "inspected_on": check(v.parse_date, raw.get("inspected_on"), field="inspected_on"),
        "inspector": check(v.parse_text, raw.get("inspector"), field="inspector",
                           what="巡查人", max_len=60, required=True),
        "result": check(v.parse_enum, InspectionResult,
                        raw.get("result") or InspectionResult.PASSED, field="result",
                        what="巡查结果"),
        "notes": check(v.parse_text, raw.get("notes"), field="notes", what="备注", max_len=2000),
    }  # fmt: skip
    check.done()
    return out


def check_inspection(session: Session, *, facility_id: int, **fields: Any) -> dict[str, Any]:
    c.get(session, Facility, facility_id, "场所")
    return _inspection_values(fields)


def record_inspection(
    session: Session,
    *,
    facility_id: int,
    user: str = "system",
    today: dt.date | None = None,
    **fields: Any,
) -> FacilityInspection:
    """Record an inspection; the facility's last inspection moves to it when it is later."""
    facility = c.get(session, Facility, facility_id, "场所")
    values = _inspection_values(fields)
    today = today or dt.date.today()
    if values["inspected_on"] > today:
        raise ValidationError(
            "inspected_on",
            f"巡查日期 {values['inspected_on']} 晚于今天",
            message_en="the inspection date is in the future",
            rule="future_date",
        )
    row = auditlog.insert(
        session,
        FacilityInspection(facility_id=facility.id, **values),
        user=user,
        action="facility_inspection.create",
    )
    last = facility.last_inspected_on
    if last is None or values["inspected_on"] > last:
        auditlog.update(
            session,
            facility,
            {"last_inspected_on": values["inspected_on"]},
            user=user,
            action="facility.inspected",
            what=f"场所 {facility.code} ",
        )
    return row
