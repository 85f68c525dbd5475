"""Reading the facility register: records for lists, the command line and exports."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from drillplan import settings
from drillplan.db.models import Facility, FacilityClass, FacilityInspection
from drillplan.facilities.register import next_due
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.text import normalize_text
from drillplan.kernel.vocab import FACILITY_AMENITIES, label

FACILITY_COLUMNS = [
    "code", "name", "class", "street", "capacity_people", "emergency_use",
    "last_inspected_on", "next_due", "status",
]  # fmt: skip
CLASS_COLUMNS = ["code", "name", "kind", "level", "stay_type", "min_capacity", "max_capacity"]


def amenities_text(keys: list[str] | None, lang: str = "zh") -> str:
    index = 0 if lang == "zh" else 1
    sep = "、" if lang == "zh" else ", "
    return sep.join(FACILITY_AMENITIES[k][index] for k in keys or [] if k in FACILITY_AMENITIES)


def class_record(row: FacilityClass) -> dict[str, Any]:
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "kind": row.kind.value,
        "kind_label": label(row.kind),
        "level": row.level,
        "stay_type": row.stay_type.value if row.stay_type is not None else None,
        "stay_type_label": label(row.stay_type) if row.stay_type is not None else "",
        "min_capacity": row.min_capacity,
        "max_capacity": row.max_capacity,
        "notes": row.notes,
        "row_version": row.row_version,
    }


def facility_record(row: Facility, *, as_of: dt.date, default_days: int) -> dict[str, Any]:
    days = row.inspection_days or default_days
    due = next_due(row, days)
    overdue = due is None or due < as_of
    return {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "class": row.facility_class.code,
        "class_name": row.facility_class.name,
        "kind": row.facility_class.kind.value,
        "address": row.address,
        "street": row.street_unit.code,
        "street_name": row.street_unit.name,
        "unit_in_charge": row.unit_in_charge.code,
        "unit_in_charge_name": row.unit_in_charge.name,
        "capacity_people": row.capacity_people,
        "area_m2": row.area_m2,
        "normal_use": row.normal_use,
        "emergency_use": row.emergency_use.value,
        "emergency_use_label": label(row.emergency_use),
        "conversion_hours": row.conversion_hours,
        "amenities": list(row.amenities or []),
        "amenities_label": amenities_text(row.amenities),
        "contact": row.contact,
        "phone": row.phone,
        "last_inspected_on": row.last_inspected_on,
        "inspection_days": days,
        "next_due": due,
        "overdue": overdue,
        "status": row.status.value,
        "status_label": label(row.status),
        "notes": row.notes,
        "row_version": row.row_version,
    }


def facilities(
    session: Session, *, as_of: dt.date, search: str | None = None
) -> list[dict[str, Any]]:
    """Every facility (by code) as a record; ``search``: words that must all appear."""
    default = int(settings.get(session, "facility_inspection_days"))
    rows = session.scalars(
        select(Facility)
        .options(
            joinedload(Facility.facility_class),
            joinedload(Facility.street_unit),
            joinedload(Facility.unit_in_charge),
        )
        .order_by(Facility.code)
    )
    out = [facility_record(r, as_of=as_of, default_days=default) for r in rows]
    words = normalize_text(search or "").casefold().split()
    if words:

        def text(rec: dict[str, Any]) -> str:
            keys = ("code", "name", "class_name", "street_name", "address", "unit_in_charge_name",
                    "emergency_use_label", "normal_use")  # fmt: skip
            return " ".join(str(rec.get(k) or "") for k in keys).casefold()

        out = [r for r in out if all(w in text(r) for w in words)]
    return out


def classes(session: Session) -> list[FacilityClass]:
    return list(session.scalars(select(FacilityClass).order_by(FacilityClass.id)))


def inspections(session: Session, facility_id: int) -> list[dict[str, Any]]:
    rows = session.scalars(
        select(FacilityInspection)
        .where(FacilityInspection.facility_id == facility_id)
        .order_by(FacilityInspection.inspected_on.desc(), FacilityInspection.id.desc())
    )
    return [
        {"id": r.id, "inspected_on": r.inspected_on, "inspector": r.inspector,
         "result": r.result.value, "result_label": label(r.result), "notes": r.notes}
        for r in rows
    ]  # fmt: skip


def capacity_text(people: int | None) -> str:
    return "" if people is None else fmt_number(people)


# --- what the desktop form opens with -----------------------------------------------------


def facility_values(session: Session, facility_id: int) -> dict[str, Any]:
    """The stored fields of a facility as the edit form shows them (plus ``row_version``)."""
    from drillplan.facilities.register import FACILITY_FIELDS
    from drillplan.listing.records import row_values

    return row_values(session, Facility, facility_id, FACILITY_FIELDS)


def class_values(session: Session, class_id: int) -> dict[str, Any]:
    from drillplan.facilities.classes import CLASS_FIELDS
    from drillplan.listing.records import row_values

    return row_values(session, FacilityClass, class_id, CLASS_FIELDS)


def class_choices(session: Session) -> list[tuple[int, str]]:
    return [(r.id, r.name) for r in classes(session)]


def street_choices(session: Session) -> list[tuple[int, str]]:
    from drillplan.db.models import Unit
    from drillplan.kernel.vocab import UnitKind

    rows = session.execute(
        select(Unit.id, Unit.name).where(Unit.kind == UnitKind.STREET_TOWN).order_by(Unit.code)
    )
    return [(r.id, r.name) for r in rows]
