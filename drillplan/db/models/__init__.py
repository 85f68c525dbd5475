"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from __future__ import annotations

from drillplan.db import column_limits as column_limits  # registers the flush check
from drillplan.db.base import Base
from drillplan.db.models.capacity import CapacityReserve
from drillplan.db.models.competitions import Competition, CompetitionEntry, CompetitionEvent
from drillplan.db.models.contacts import Contact, DutyOfficer, DutyShift, ShiftKind
from drillplan.db.models.drills import (
    CorrectiveAction,
    Drill,
    DrillOccurrenceMove,
    DrillParticipant,
    Finding,
    drill_plan,
)
from drillplan.db.models.facilities import Facility, FacilityClass, FacilityInspection
from drillplan.db.models.hazards import Hazard, HazardMaterialLine, HazardPlan, HazardTeamLine
from drillplan.db.models.interchange import ImportExtra
from drillplan.db.models.org import AuditLog, Holiday, Setting, Unit, User
from drillplan.db.models.plans import (
    Plan,
    PlanDocument,
    PlanEvaluation,
    PlanRevision,
    PlanStatusChange,
)
from drillplan.db.models.stock import Depot, Holder, Lot, Material, Movement, Quota, TierQuota
from drillplan.db.models.teams import Certificate, Member, Team
from drillplan.db.models.trainings import TrainingEvent, training_plan, training_team

# isort: split
from drillplan.db.models.requests import AllocationLine, AllocationRequest, Reservation

__all__ = [
    "AllocationLine",
    "AllocationRequest",
    "AuditLog",
    "Base",
    "CapacityReserve",
    "Certificate",
    "Competition",
    "CompetitionEntry",
    "CompetitionEvent",
    "Contact",
    "CorrectiveAction",
    "Depot",
    "Drill",
    "DrillOccurrenceMove",
    "DrillParticipant",
    "DutyOfficer",
    "DutyShift",
    "Facility",
    "FacilityClass",
    "FacilityInspection",
    "Finding",
    "Hazard",
    "HazardMaterialLine",
    "HazardPlan",
    "HazardTeamLine",
    "Holder",
    "Holiday",
    "ImportExtra",
    "Lot",
    "Material",
    "Member",
    "Movement",
    "Plan",
    "PlanDocument",
    "PlanEvaluation",
    "PlanRevision",
    "PlanStatusChange",
    "Quota",
    "Reservation",
    "Setting",
    "ShiftKind",
    "Team",
    "TierQuota",
    "TrainingEvent",
    "Unit",
    "User",
    "drill_plan",
    "training_plan",
    "training_team",
]
