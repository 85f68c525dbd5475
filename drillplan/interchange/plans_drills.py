"""Plans and drills: written through the register's own operations (``create_plan``,
``update_plan``, ``create_drill``, ``update_drill`` ...), so every rule of the core applies."""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterator
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Drill, Plan
from drillplan.drills import editing
from drillplan.interchange import kinds
from drillplan.interchange.context import CREATE, UNCHANGED, UPDATE, Context, Record
from drillplan.interchange.registers import code_maps
from drillplan.interchange.spec import Kind, T
from drillplan.kernel.vocab import DrillStatus, label
from drillplan.plans.register import create_plan, update_plan

DEFAULT_ROLE = "参演"


def _zh(value: object) -> str:
    """A vocabulary value by its Chinese label (anything else as it is)."""
    return label(value, "zh") if isinstance(value, StrEnum) else str(value)


_ROLE = re.compile(r"(.+?)\s*[(（:：]\s*([^()（）]*?)\s*[)）]?")


class _Base:
    kind: Kind
    model: type[Plan] | type[Drill]
    self_refs: frozenset[str] = frozenset()
    core_checks = True  # cells are judged by the register's own create/update functions

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        """Field -> value of the columns the file has; a blank optional cell of a field that
        cannot be empty (持有单位类型 ...) keeps the stored value, or the default of a new row."""
        table = self.model.__table__
        out: dict[str, Any] = {}
        for col in self.kind.columns:
            skipped = col.info or col.stamp or col.key in ("teams", "units", "plans")
            if skipped or not ctx.present(col.key):
                continue
            value = rec.resolved.get(col.key) if col.type == T.REF else rec.values.get(col.key)
            if value is None and col.type in (T.BOOL, T.LIST):
                value = False if col.type == T.BOOL else []
            name = col.field or col.key
            column = table.c.get(name)
            if value is None and not col.required and column is not None and not column.nullable:
                continue
            out[name] = value
        return out

    def check(self, ctx: Context, records: list[Record]) -> None:
        good = [r for r in records if r.ok]
        ctx.duplicates(good, self._key, "code")
        current = {obj.code: obj for obj in ctx.session.scalars(select(self.model))}
        for rec in good:
            if rec.ok:
                self.classify(ctx, rec, current.get(str(rec.values["code"])))

    def _key(self, rec: Record) -> Hashable:
        return rec.values.get("code")

    def classify(self, ctx: Context, rec: Record, obj: Any) -> None:
        raise NotImplementedError

    def write(self, ctx: Context, records: list[Record]) -> None:
        for n, rec in enumerate(records):
            if n % 200 == 0:
                ctx.tick(len(records) + n)
            if rec.action in (CREATE, UPDATE):
                with ctx.row(rec):
                    (self.create if rec.action == CREATE else self.update)(ctx, rec)

    def create(self, ctx: Context, rec: Record) -> None:
        raise NotImplementedError

    def update(self, ctx: Context, rec: Record) -> None:
        raise NotImplementedError

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        raise NotImplementedError


class PlanHandler(_Base):
    kind, model = kinds.PLANS, Plan

    def fields(self, ctx: Context, rec: Record) -> dict[str, Any]:
        out = super().fields(ctx, rec)
        for name in ("status", "version", "evaluation_interval_months"):
            if out.get(name) is None:
                out.pop(name, None)
        return out

    def classify(self, ctx: Context, rec: Record, plan: Plan | None) -> None:
        if plan is None:
            rec.action = CREATE
            return
        rec.target = plan
        values = self.fields(ctx, rec)
        for name, kept in (("status", plan.status), ("version", plan.current_version)):
            given = values.pop(name, None)
            if given is not None and given != kept:
                ctx.problem(
                    rec.row, name, "lifecycle",
                    f"预案 {plan.code} 的{'状态' if name == 'status' else '版本'}是“{_zh(kept)}”，"
                    f"文件中为“{_zh(given)}”：请用状态变更或修订功能修改，导入不改变它",
                    f"plan {plan.code} is {kept}, the file says {given}: change it through"
                    " the plan's lifecycle, not an import",
                )  # fmt: skip
                rec.ok = False
        changes = {k: v for k, v in values.items() if getattr(plan, k) != v}
        rec.resolved["changes"] = changes
        rec.action = UPDATE if changes else UNCHANGED

    def create(self, ctx: Context, rec: Record) -> None:
        create_plan(ctx.session, **self.fields(ctx, rec), user=ctx.operator, today=ctx.today)

    def update(self, ctx: Context, rec: Record) -> None:
        plan: Plan = rec.target  # type: ignore[assignment]
        update_plan(
            ctx.session, plan_id=plan.id, expected_version=plan.row_version,
            user=ctx.operator, today=ctx.today, **rec.resolved["changes"],  # type: ignore[arg-type]
        )  # fmt: skip

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        units = code_maps(session)["unit"]
        for p in session.scalars(select(Plan).order_by(Plan.code)):
            yield {
                "code": p.code, "title": p.title, "kind": p.kind, "category": p.category,
                "hazards": list(p.hazards or []), "owner_unit": units[p.owner_unit_id],
                "holder_class": p.holder_class, "status": p.status,
                "version": p.current_version, "response_levels": list(p.response_levels or []),
                "approved_on": p.approved_on, "published_on": p.published_on,
                "filed_on": p.filed_on, "filed_with": p.filed_with,
                "evaluation_interval_months": p.evaluation_interval_months,
                "drill_interval_months": p.drill_interval_months,
                "flood_related": p.flood_related, "notes": p.notes,
            }  # fmt: skip


def _status_path(start: DrillStatus, goal: DrillStatus) -> list[DrillStatus] | None:
    """The shortest chain of allowed transitions from ``start`` to ``goal``."""
    paths: dict[DrillStatus, list[DrillStatus]] = {start: []}
    queue = [start]
    while queue:
        here = queue.pop(0)
        if here == goal:
            return paths[here]
        for nxt in editing.TRANSITIONS[here]:
            if nxt not in paths:
                paths[nxt] = [*paths[here], nxt]
                queue.append(nxt)
    return None


class DrillHandler(_Base):
    kind, model = kinds.DRILLS, Drill

    def _participants(self, ctx: Context, rec: Record) -> set[tuple[int | None, int | None, str]]:
        out: set[tuple[int | None, int | None, str]] = set()
        for key, ref in (("teams", "team"), ("units", "unit")):
            for item in rec.values.get(key) or []:  # type: ignore[attr-defined]
                m = _ROLE.fullmatch(item)
                code, role = (m[1], m[2] or DEFAULT_ROLE) if m else (item, DEFAULT_ROLE)
                target = ctx.resolve(rec, key, ref, code)
                if target is not None:
                    out.add((target, None, role) if ref == "team" else (None, target, role))
        return out

    def classify(self, ctx: Context, rec: Record, drill: Drill | None) -> None:
        status = rec.values.get("status") or DrillStatus.PLANNED
        rec.resolved["status"] = status
        rec.resolved["plan_ids"] = {
            ctx.resolve(rec, "plans", "plan", c)
            for c in rec.values.get("plans") or []  # type: ignore[attr-defined]
        }
        rec.resolved["participants"] = self._participants(ctx, rec)
        if not rec.ok:
            return
        if drill is None:
            rec.action = CREATE
            return
        rec.target = drill
        if status != drill.status and _status_path(drill.status, status) is None:  # type: ignore[arg-type]
            ctx.problem(
                rec.row, "status", "lifecycle",
                f"演练 {drill.code} 的状态不能从“{_zh(drill.status)}”改为“{_zh(status)}”",
                f"drill {drill.code} cannot go from {drill.status.value} to {status}",
            )  # fmt: skip
            rec.ok = False
        changes = {
            k: v
            for k, v in self.fields(ctx, rec).items()
            if k in editing.EDITABLE_FIELDS and getattr(drill, k) != v
        }
        rec.resolved["changes"] = changes
        same = (
            not changes
            and status == drill.status
            and rec.resolved["plan_ids"] == {p.id for p in drill.plans}
            and rec.resolved["participants"] == self._current(drill)
        )
        rec.action = UNCHANGED if same else UPDATE

    @staticmethod
    def _current(drill: Drill) -> set[tuple[int | None, int | None, str]]:
        return {(p.team_id, p.unit_id, p.role) for p in drill.participants}

    @staticmethod
    def _specs(rec: Record) -> list[editing.ParticipantSpec]:
        return [
            editing.ParticipantSpec(t, u, r)
            for t, u, r in sorted(rec.resolved["participants"], key=str)  # type: ignore[arg-type]
        ]

    def create(self, ctx: Context, rec: Record) -> None:
        goal: DrillStatus = rec.resolved["status"]  # type: ignore[assignment]
        first = {DrillStatus.EVALUATED: DrillStatus.CONDUCTED}.get(goal, goal)
        first = DrillStatus.PLANNED if first == DrillStatus.CANCELLED else first
        values = {k: v for k, v in self.fields(ctx, rec).items() if k != "status"}
        drill = editing.create_drill(
            ctx.session, **values, plan_ids=sorted(rec.resolved["plan_ids"]),  # type: ignore[arg-type]
            participants=self._specs(rec), status=first, user=ctx.operator,
        )  # fmt: skip
        for step in _status_path(first, goal) or []:
            editing.transition_status(ctx.session, drill_id=drill.id, to=step, user=ctx.operator)

    def update(self, ctx: Context, rec: Record) -> None:
        drill: Drill = rec.target  # type: ignore[assignment]
        s, user = ctx.session, ctx.operator
        if rec.resolved["changes"]:
            editing.update_drill(
                s, drill_id=drill.id, expected_version=None,
                changes=rec.resolved["changes"], user=user,  # type: ignore[arg-type]
            )  # fmt: skip
        if rec.resolved["plan_ids"] != {p.id for p in drill.plans}:
            editing.set_plans(
                s,
                drill_id=drill.id,
                plan_ids=sorted(rec.resolved["plan_ids"]),
                user=user,  # type: ignore[arg-type]
            )
        if rec.resolved["participants"] != self._current(drill):
            editing.set_participants(s, drill_id=drill.id, participants=self._specs(rec), user=user)
        for step in _status_path(drill.status, rec.resolved["status"]) or []:  # type: ignore[arg-type]
            editing.transition_status(s, drill_id=drill.id, to=step, user=user)

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        maps = code_maps(session)

        def who(code: str, role: str) -> str:
            return code if role == DEFAULT_ROLE else f"{code}({role})"

        for d in session.scalars(select(Drill).order_by(Drill.code)):
            parts = d.participants
            yield {
                "code": d.code, "title": d.title, "form": d.form, "scope": d.scope,
                "purpose": d.purpose, "hseep_type": d.hseep_type,
                "organiser": maps["unit"][d.organiser_unit_id], "starts_at": d.starts_at,
                "ends_at": d.ends_at, "venue": d.venue, "status": d.status,
                "plans": [p.code for p in d.plans],
                "teams": sorted(who(maps["team"][p.team_id], p.role) for p in parts if p.team_id),
                "units": sorted(who(maps["unit"][p.unit_id], p.role) for p in parts if p.unit_id),
                "scenario": d.scenario or None, "rrule": d.rrule, "exdates": list(d.exdates or []),
                "required_certificates": list(d.required_certificates or []),
                "weekend_allowed": d.weekend_allowed, "flood_related": d.flood_related,
            }  # fmt: skip
