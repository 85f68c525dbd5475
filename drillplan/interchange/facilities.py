"""Import and export of facility classes and facilities through
:mod:`drillplan.facilities.classes` and :mod:`drillplan.facilities.register` (the desktop
forms' functions), so an import obeys the form's rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Facility, FacilityClass
from drillplan.facilities import classes, register
from drillplan.interchange.facility_kinds import FACILITIES, FACILITY_CLASSES
from drillplan.interchange.registers import AreaFunctions, RegisterHandler, code_maps


class FacilityClassHandler(RegisterHandler):
    kind, model = FACILITY_CLASSES, FacilityClass
    area = AreaFunctions(
        classes.check_class, classes.create_class, classes.update_class, "class_id"
    )


class FacilityHandler(RegisterHandler):
    kind, model = FACILITIES, Facility
    area = AreaFunctions(
        register.check_facility,
        register.create_facility,
        register.update_facility,
        "facility_id",
    )

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        maps = code_maps(session)
        class_codes = dict(session.execute(select(FacilityClass.id, FacilityClass.code)).all())
        for obj in session.scalars(select(Facility).order_by(Facility.code)):
            row: dict[str, Any] = self.to_row(obj, maps)
            row["facility_class"] = class_codes.get(obj.class_id)
            row["amenities"] = list(obj.amenities or [])
            yield row


def facility_handlers() -> list[RegisterHandler]:
    return [FacilityClassHandler(), FacilityHandler()]
