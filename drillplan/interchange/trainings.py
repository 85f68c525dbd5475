"""Import and export of training and public education events (the office's sheet: 日期, 类型,
主题, 组织单位, 街镇, 地点, 对象, 人数 ...), through the functions of the event form
(:mod:`drillplan.trainings.events`).

Rows are matched on the event code; a row without a code is a new event, numbered as the
form numbers it. Linked plans and teams (codes separated by 、) are resolved here and passed
as ids; a row without a title takes its topics as the title.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.db.models import TrainingEvent
from drillplan.interchange import kinds
from drillplan.interchange.context import CREATE, UNCHANGED, UPDATE, Context, Record
from drillplan.interchange.registers import (
    CHANGES,
    FIELDS,
    AreaFunctions,
    RegisterHandler,
    code_maps,
)
from drillplan.trainings import events

LINKS = (("plans", "plan", "plan_ids"), ("teams", "team", "team_ids"))


class TrainingHandler(RegisterHandler):
    kind, model = kinds.TRAININGS, TrainingEvent
    area = AreaFunctions(events.check_event, events.create_event, events.update_event, "event_id")
    order_by = ("starts_at", "code")

    def natural_key(self, rec: Record) -> Hashable:
        code = rec.values.get("code")
        return (code,) if code else ("", rec.row)  # no code: a new event, never a duplicate

    def rules(self, ctx: Context, rec: Record) -> None:
        for key, ref, _field in LINKS:
            if key in rec.values:
                codes = rec.values.get(key) or []
                ids = [ctx.resolve(rec, key, ref, c) for c in codes]  # type: ignore[attr-defined]
                rec.resolved[key] = [i for i in ids if i is not None]

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        out = super().fields(ctx, rec)
        for key, _ref, field in LINKS:
            if field in out:
                out[field] = sorted(rec.resolved.get(key) or [])  # type: ignore[type-var]
        if not out.get("title") and out.get("topics") and isinstance(out["topics"], list):
            out["title"] = "、".join(str(t) for t in out["topics"])[:200]
        if not out.get("code"):
            out.pop("code", None)
        return out

    def classify(
        self, rec: Record, target: Any, fields: dict[str, Any], values: dict[str, Any]
    ) -> None:
        if target is None:
            rec.action, rec.resolved[FIELDS] = CREATE, fields
            return
        rec.target = target
        current = {
            "plan_ids": [p.id for p in target.plans],
            "team_ids": [t.id for t in target.teams],
        }
        changes = {
            k: v
            for k, v in values.items()
            if (sorted(current[k]) != sorted(v) if k in current else getattr(target, k) != v)
        }
        rec.resolved[CHANGES] = changes
        rec.action = UPDATE if changes else UNCHANGED

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        units = code_maps(session)["unit"]
        stmt = (
            select(TrainingEvent)
            .options(selectinload(TrainingEvent.plans), selectinload(TrainingEvent.teams))
            .order_by(TrainingEvent.starts_at, TrainingEvent.code)
        )
        for e in session.scalars(stmt):
            yield {
                "code": e.code, "starts_at": e.starts_at, "ends_at": e.ends_at, "kind": e.kind,
                "title": e.title, "topics": list(e.topics or []),
                "organiser": units[e.organiser_unit_id],
                "street": units[e.street_unit_id] if e.street_unit_id is not None else None,
                "venue": e.venue, "audience": e.audience, "headcount": e.headcount,
                "plans": [p.code for p in e.plans], "teams": [t.code for t in e.teams],
                "notes": e.notes,
            }  # fmt: skip
