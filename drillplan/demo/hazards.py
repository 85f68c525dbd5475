"""The demo's warning-level response matrix (resources/demo/hazards.json): the starter hazards
and, for typhoon (台风) and flood control (防汛), the plans activated, the teams standing by and
the materials to pre-position, with deliberate shortfalls so the check shows something."""

from __future__ import annotations

from decimal import Decimal

from drillplan.demo.context import Ctx
from drillplan.hazards.matrix import STARTER_HAZARDS


def build_hazards(ctx: Ctx) -> None:
    for hazard in STARTER_HAZARDS:
        row = {"name_en": "", "aliases": [], "notes": None, **hazard, "row_version": 1}
        row["levels"] = list(row["levels"])
        row["aliases"] = list(row["aliases"])
        ctx.add("hazard", row, key=hazard["code"])
    for code, lines in ctx.json("hazards.json")["matrix"].items():
        hazard_id = ctx.id_of("hazard", code)
        for link in lines["plans"]:
            ctx.add(
                "hazard_plan",
                {
                    "hazard_id": hazard_id,
                    "plan_id": ctx.id_of("plan", link["plan"]),
                    "min_level": link["from"],
                },
            )
        for line in lines["teams"]:
            ctx.add(
                "hazard_team_line",
                {
                    "hazard_id": hazard_id,
                    "level": line["level"],
                    "team_id": ctx.id_of("team", line["team"]),
                    "headcount": line["headcount"],
                    "notes": None,
                },
            )
        for line in lines["materials"]:
            depot = line.get("depot")
            unit = line.get("unit")
            ctx.add(
                "hazard_material_line",
                {
                    "hazard_id": hazard_id,
                    "level": line["level"],
                    "material_id": ctx.id_of("material", line["material"]),
                    "quantity": Decimal(line["quantity"]),
                    "depot_id": ctx.id_of("depot", depot) if depot else None,
                    "unit_id": ctx.id_of("unit", unit) if unit else None,
                    "notes": None,
                },
            )
