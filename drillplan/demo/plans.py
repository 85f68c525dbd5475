"""Demo contingency plans with their versions, status history and evaluations."""

from __future__ import annotations

from drillplan.demo.context import Ctx, with_year
from drillplan.kernel.vocab import EmergencyCategory, HolderClass, PlanKind, PlanStatus


def build_plans(ctx: Ctx) -> None:
    for plan in ctx.json("plans.json")["plans"]:
        history = [
            (ctx.day_req(day), PlanStatus(status), note) for day, status, note in plan["history"]
        ]
        first_year = min(day for day, _status, _note in history).year
        versions = plan["versions"]
        issued = [v for v in versions if v["approved"]]
        current = issued[-1] if issued else None
        filed_on = ctx.day(current["filed"]) if current else None
        plan_id = ctx.add(
            "plan",
            {
                "code": with_year(plan["code"], first_year),
                "title": with_year(plan["title"], first_year),
                "kind": PlanKind(plan["kind"]),
                "category": EmergencyCategory(plan["category"]),
                "hazards": list(plan["hazards"]),
                "owner_unit_id": ctx.id_of("unit", plan["owner"]),
                "holder_class": HolderClass(plan["holder_class"]),
                "status": PlanStatus(plan["status"]),
                "current_version": versions[-1]["version"] if versions else "1.0",
                "response_levels": list(plan["response_levels"]),
                "approved_on": ctx.day(current["approved"]) if current else None,
                "published_on": ctx.day(current["published"]) if current else None,
                "filed_on": filed_on,
                "filed_with": plan.get("filed_with") if filed_on else None,
                "evaluation_interval_months": int(plan["evaluation_interval_months"]),
                "drill_interval_months": plan.get("drill_interval_months"),
                "flood_related": bool(plan.get("flood_related")),
                "notes": plan.get("notes"),
            },
            key=plan["key"],
        )
        for version in versions:
            ctx.add(
                "plan_revision",
                {
                    "plan_id": plan_id,
                    "version": version["version"],
                    "revised_on": ctx.day_req(version["started"]),
                    "reason": version["reason"],
                    "summary": version["summary"],
                },
            )
        previous = None
        for day, status, note in history:
            ctx.add(
                "plan_status_change",
                {
                    "plan_id": plan_id,
                    "from_status": previous,
                    "to_status": status,
                    "changed_on": day,
                    "username": ctx.operator,
                    "note": note,
                },
            )
            previous = status
        for day, conclusion, summary in plan["evaluations"]:
            ctx.add(
                "plan_evaluation",
                {
                    "plan_id": plan_id,
                    "evaluated_on": ctx.day_req(day),
                    "conclusion": conclusion,
                    "summary": summary,
                },
            )
