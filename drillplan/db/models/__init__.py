"""All ORM models; importing this package registers every table on ``Base.metadata``."""

from __future__ import annotations

from drillplan.db import column_limits as column_limits  # registers the flush check
from drillplan.db.base import Base
from drillplan.db.models.capacity import CapacityReserve
from drillplan.db.models.competitions import Competition, CompetitionEntry, CompetitionEvent
from drillplan.db.models.drills import (
    CorrectiveAction,
    Drill,
    DrillOccurrenceMove,
    DrillParticipant,
    Finding,
    drill_plan,
)
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

__all__ = [
    "AuditLog",
    "Base",
    "CapacityReserve",
    "Certificate",
    "Competition",
    "CompetitionEntry",
    "CompetitionEvent",
    "CorrectiveAction",
    "Depot",
    "Drill",
    "DrillOccurrenceMove",
    "DrillParticipant",
    "Finding",
    "Holder",
    "Holiday",
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
    "Setting",
    "Team",
    "TierQuota",
    "Unit",
    "User",
    "drill_plan",
]
