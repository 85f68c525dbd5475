"""The hazards as listing rows (``drillplan hazards list``; docs/cli.md)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import Hazard, HazardMaterialLine, HazardPlan, HazardTeamLine
from drillplan.hazards.levels import LABELS, LEVEL_CODES

HAZARD_COLUMNS = ["code", "name", "name_en", "levels_text", "plans", "teams", "materials"]


def _counts(session: Session, model: Any) -> dict[int, int]:
    stmt = select(model.hazard_id, func.count(model.id)).group_by(model.hazard_id)
    return {hid: int(n) for hid, n in session.execute(stmt)}


def hazards(session: Session) -> list[dict[str, Any]]:
    plans = _counts(session, HazardPlan)
    teams = _counts(session, HazardTeamLine)
    materials = _counts(session, HazardMaterialLine)
    out = []
    for h in session.scalars(select(Hazard).order_by(Hazard.id)):
        levels = [c for c in LEVEL_CODES if c in (h.levels or [])]
        out.append(
            {
                "id": h.id,
                "code": h.code,
                "name": h.name,
                "name_en": h.name_en,
                "aliases": list(h.aliases or []),
                "levels": levels,
                "levels_text": "、".join(LABELS[c][0] for c in levels),
                "plans": plans.get(h.id, 0),
                "teams": teams.get(h.id, 0),
                "materials": materials.get(h.id, 0),
                "notes": h.notes,
                "row_version": h.row_version,
            }
        )
    return out
