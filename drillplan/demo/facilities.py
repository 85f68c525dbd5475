"""Demo shelters and dual-use facilities of Qingpu (resources/demo/facilities.json), the
starter classification, inspection histories and the street-towns' populations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from drillplan.demo.context import Ctx
from drillplan.facilities.classes import STARTER_CLASSES
from drillplan.kernel.values import validate_phone
from drillplan.kernel.vocab import EmergencyUse, FacilityStatus, InspectionResult

#: an inspection this long before the latest one, for the history
EARLIER_DAYS = 91


def build_facilities(ctx: Ctx) -> None:
    data = ctx.json("facilities.json")
    populations: dict[str, int] = data["populations"]
    for row in ctx.rows.get("unit", []):
        if row["code"] in populations:
            row["population"] = populations[row["code"]]
    for cls in STARTER_CLASSES:
        ctx.add("facility_class", {**cls, "row_version": 1}, key=cls["code"])
    for item in data["facilities"]:
        days = item["inspected"]
        last = ctx.base - dt.timedelta(days=days) if days is not None else None
        facility_id = ctx.add(
            "facility",
            {
                "code": item["code"],
                "name": item["name"],
                "class_id": ctx.id_of("facility_class", item["class"]),
                "address": item.get("address"),
                "street_unit_id": ctx.id_of("unit", item["street"]),
                "unit_in_charge_id": ctx.id_of("unit", item["unit"]),
                "capacity_people": item["capacity"],
                "area_m2": Decimal(item["area"]),
                "normal_use": item.get("normal_use"),
                "emergency_use": EmergencyUse(item["use"]),
                "conversion_hours": item.get("hours"),
                "amenities": list(item.get("amenities", [])),
                "contact": item.get("contact"),
                "phone": validate_phone(item["phone"], field=item["code"]),
                "last_inspected_on": last,
                "inspection_days": None,
                "status": FacilityStatus.IN_SERVICE,
                "notes": None,
                "row_version": 1,
            },
            key=item["code"],
        )
        if last is None:
            continue
        for when, result, notes in (
            (last - dt.timedelta(days=EARLIER_DAYS), InspectionResult.DEFECTS,
             "应急标识部分缺失，已要求补设"),
            (last, InspectionResult.PASSED, None),
        ):  # fmt: skip
            ctx.add(
                "facility_inspection",
                {
                    "facility_id": facility_id,
                    "inspected_on": when,
                    "inspector": item.get("contact") or "巡查员",
                    "result": result,
                    "notes": notes,
                },
            )
