"""The hazards and their matrix lines as listing rows (``drillplan hazards list|levels``;
docs/cli.md)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.models import (
    Depot,
    Hazard,
    HazardMaterialLine,
    HazardPlan,
    HazardTeamLine,
    Material,
    Plan,
    Team,
    Unit,
)
from drillplan.hazards.levels import LABELS, LEVEL_CODES, level_label, level_rank
from drillplan.hazards.matrix import get_hazard

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


def matrix_lines(session: Session, *, hazard: object) -> list[dict[str, Any]]:
    """Every line of a hazard's matrix, by level: plans, teams, materials (docs/cli.md)."""
    h = get_hazard(session, hazard)
    out: list[dict[str, Any]] = []
    for link, plan in session.execute(
        select(HazardPlan, Plan).join(Plan, Plan.id == HazardPlan.plan_id)
        .where(HazardPlan.hazard_id == h.id)
    ).all():  # fmt: skip
        out.append({"kind": "plan", "level": link.min_level, "code": plan.code,
                    "name": plan.title, "amount": None, "uom": None, "place": None})  # fmt: skip
    for line, team in session.execute(
        select(HazardTeamLine, Team).join(Team, Team.id == HazardTeamLine.team_id)
        .where(HazardTeamLine.hazard_id == h.id)
    ).all():  # fmt: skip
        out.append({"kind": "team", "level": line.level, "code": team.code, "name": team.name,
                    "amount": line.headcount, "uom": "人", "place": None})  # fmt: skip
    places: dict[tuple[str, int], str] = defaultdict(str)
    for did, dcode in session.execute(select(Depot.id, Depot.code)):
        places[("depot", did)] = dcode
    for mline, mat in session.execute(
        select(HazardMaterialLine, Material)
        .join(Material, Material.id == HazardMaterialLine.material_id)
        .where(HazardMaterialLine.hazard_id == h.id)
    ).all():  # fmt: skip
        if mline.depot_id is not None:
            place = places[("depot", mline.depot_id)]
        elif mline.unit_id is not None:
            unit = session.get(Unit, mline.unit_id)
            place = unit.code if unit is not None else ""
        else:
            place = ""
        out.append({"kind": "material", "level": mline.level, "code": mat.code,
                    "name": mat.name, "amount": Decimal(mline.quantity), "uom": mat.uom,
                    "place": place})  # fmt: skip
    order = {"plan": 0, "team": 1, "material": 2}
    out.sort(key=lambda r: (level_rank(r["level"]), order[r["kind"]], r["code"], r["place"] or ""))
    for r in out:
        r["level_label"] = level_label(r["level"])
    return out


def line_choices(session: Session) -> dict[str, list[tuple[str, str]]]:
    """What a matrix line may name, by code (the matrix functions take codes): plans, teams,
    materials, depots and units as (code, "code name")."""
    sources = {
        "plan": select(Plan.code, Plan.title).order_by(Plan.code),
        "team": select(Team.code, Team.name).order_by(Team.code),
        "material": select(Material.code, Material.name).order_by(Material.code),
        "depot": select(Depot.code, Depot.name).order_by(Depot.code),
        "unit": select(Unit.code, Unit.name).order_by(Unit.code),
    }
    return {
        key: [(code, f"{code} {name}") for code, name in session.execute(stmt).tuples()]
        for key, stmt in sources.items()
    }
