"""The handler of each kind (how it is checked, written and read back)."""

from __future__ import annotations

from functools import cache

from drillplan.interchange.context import Handler


@cache
def handlers() -> dict[str, Handler]:
    from drillplan.interchange import capacity, duty_contacts, lots, plans_drills, registers
    from drillplan.interchange import trainings as trainings_io
    from drillplan.interchange.facilities import facility_handlers
    from drillplan.interchange.hazard_matrix import HazardMatrixHandler

    found: list[Handler] = [
        registers.UnitHandler(),
        registers.MaterialHandler(),
        registers.DepotHandler(),
        registers.TeamHandler(),
        registers.MemberHandler(),
        registers.CertificateHandler(),
        lots.LotHandler(),
        plans_drills.PlanHandler(),
        plans_drills.DrillHandler(),
        duty_contacts.ContactHandler(),
        duty_contacts.DutyHandler(),
        *facility_handlers(),
        trainings_io.TrainingHandler(),
        capacity.CapacityReserveHandler(),
        HazardMatrixHandler(),
    ]
    return {h.kind.name: h for h in found}


def handler_for(kind: str) -> Handler:
    return handlers()[kind]
