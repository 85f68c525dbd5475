"""Import and export of the warning-level response matrix (预警响应矩阵, issue 15 item 2): one
sheet, one line a row, its 类型 saying what the line is: 预案 (a plan activated from the level
up), 队伍 (a team standing by, with its headcount) or 物资 (a material to pre-position, with its
quantity, at a depot or at a unit's holders, or anywhere in the district when both are blank).

Every row is written by the function the desktop page and ``drillplan hazards add-line`` call
(:mod:`drillplan.hazards.matrix`): a refusal names the same field, reported in that field's
column, and the whole file is refused with nothing written. A line already in the matrix with
the same values is unchanged; a team or material line with another headcount, quantity or
notes is replaced (removed and added by the same functions); a plan line gets the new level.
The import adds and changes lines; it never removes a line the file does not have.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterator
from decimal import Decimal
from typing import Any

from sqlalchemy import select
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
from drillplan.hazards import matrix
from drillplan.hazards.levels import LABELS, level_rank
from drillplan.interchange.context import CREATE, UNCHANGED, UPDATE, Context, Record
from drillplan.interchange.hazard_matrix_kind import HAZARD_MATRIX, LINE_WORDS, MATERIAL, PLAN, TEAM
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.text import normalize_text

#: the core's name of a field -> the column it is reported in
_FIELD_COLUMN = {"min_level": "level", "levels": "level"}


def _code(value: object) -> str:
    return "" if value in (None, "") else normalize_text(str(value))


def _moved(exc: ValidationError) -> ValidationError:
    """The core's ``min_level`` / ``levels`` of a plan line are this sheet's level column."""
    column = _FIELD_COLUMN.get(exc.field)
    if column is None:
        return exc
    return ValidationError(column, exc.message, message_en=exc.message_en, rule=exc.rule)


class HazardMatrixHandler:
    kind = HAZARD_MATRIX
    core_checks = True  # headcount and quantity are judged by the matrix functions

    # --- checking ------------------------------------------------------------------------

    def _line_kind(self, ctx: Context, rec: Record) -> str | None:
        raw = _code(rec.values.get("line")).casefold()
        found = LINE_WORDS.get(raw)
        if found is None:
            ctx.problem(rec.row, "line", "not_in_list",
                        f"类型“{rec.values.get('line')}”不正确（可选：预案、队伍、物资）",
                        "line must be 预案 (plan), 队伍 (team) or 物资 (material)")  # fmt: skip
        return found

    def _resolve(self, ctx: Context, rec: Record, line: str) -> None:
        """The row's hazard, level and line target by the matrix's own look-ups; the key
        columns rewritten in the export's words (so kept columns find their row again)."""
        s = ctx.session
        h = matrix.get_hazard(s, rec.values.get("hazard"))
        cell = rec.values.get("level")
        names = v.parse_strings(cell, field="levels") if line == PLAN else []
        if len(names) > 1:  # a plan's activation levels as a run: 黄、橙、红
            level = matrix.activation_level(h, levels=names)
        else:
            level = matrix.activation_level(h, min_level=cell)
        r = rec.resolved
        r["hazard"], r["level"], r["line"] = h, level, line
        keys = {"hazard": h.name, "line": line, "level": LABELS[level][0], "plan": "",
                "team": "", "material": "", "depot": "", "unit": ""}  # fmt: skip
        if line == PLAN:
            r["plan"] = matrix.get_plan(s, rec.values.get("plan"))
            keys["plan"] = r["plan"].code  # type: ignore[attr-defined]
        elif line == TEAM:
            r["team"] = matrix.get_team(s, rec.values.get("team"))
            keys["team"] = r["team"].code  # type: ignore[attr-defined]
            # the same rule add_team_line applies, here so that every row's problems are listed
            matrix._positive_int(rec.values.get("headcount"), "headcount", "最低待命人数")
        else:
            r["material"] = matrix.get_material(s, rec.values.get("material"))
            keys["material"] = r["material"].code  # type: ignore[attr-defined]
            matrix._positive_quantity(rec.values.get("quantity"))
            depot, unit = rec.values.get("depot"), rec.values.get("unit")
            depot_id, unit_id = matrix._place(s, depot, unit)
            r["depot_id"], r["unit_id"] = depot_id, unit_id
            if depot_id is not None:
                keys["depot"] = s.get(Depot, depot_id).code  # type: ignore[union-attr]
            if unit_id is not None:
                keys["unit"] = s.get(Unit, unit_id).code  # type: ignore[union-attr]
        rec.values.update(keys)

    def natural_key(self, rec: Record) -> Hashable:
        """A plan is linked once per hazard (at one level); other lines once per level."""
        skip = {"level"} if rec.values.get("line") == PLAN else set()
        return tuple(rec.values.get(k) for k in self.kind.key if k not in skip)

    def check(self, ctx: Context, records: list[Record]) -> None:
        if ctx.session.scalar(select(Hazard.id).limit(1)) is None:
            # a database without hazards yet: the starter list first, as the page and the
            # command do on first use (a dry run rolls it back with the rest)
            matrix.ensure_starter_hazards(ctx.session, user=ctx.operator)
        for rec in records:
            if not rec.ok:
                continue
            line = self._line_kind(ctx, rec)
            if line is None:
                rec.ok = False
                continue
            try:
                self._resolve(ctx, rec, line)
            except ValidationError as exc:
                ctx.error(rec.row, _moved(exc))
                rec.ok = False
        ctx.duplicates([r for r in records if r.ok], self.natural_key, "line")
        for rec in records:
            if rec.ok:
                self._classify(ctx, rec)

    def _classify(self, ctx: Context, rec: Record) -> None:
        s, r = ctx.session, rec.resolved
        h: Hazard = r["hazard"]  # type: ignore[assignment]
        notes = rec.values.get("notes")
        if r["line"] == PLAN:
            link = s.scalar(select(HazardPlan).where(
                HazardPlan.hazard_id == h.id, HazardPlan.plan_id == r["plan"].id))  # type: ignore[attr-defined]  # fmt: skip
            rec.target = link
            rec.action = (CREATE if link is None
                          else UNCHANGED if link.min_level == r["level"] else UPDATE)  # fmt: skip
            return
        if r["line"] == TEAM:
            row: Any = s.scalar(select(HazardTeamLine).where(
                HazardTeamLine.hazard_id == h.id, HazardTeamLine.level == r["level"],
                HazardTeamLine.team_id == r["team"].id))  # type: ignore[attr-defined]  # fmt: skip
            same = row is not None and str(row.headcount) == str(rec.values.get("headcount"))
        else:
            row = matrix._material_line(s, h, r["level"], r["material"],  # type: ignore[arg-type]
                                        r["depot_id"], r["unit_id"])  # type: ignore[arg-type]  # fmt: skip
            quantity = rec.values.get("quantity")
            same = row is not None and isinstance(quantity, Decimal | int) and (
                Decimal(row.quantity) == Decimal(quantity))  # fmt: skip
        same = same and (row.notes or None) == (notes or None)
        rec.target = row
        rec.action = CREATE if row is None else UNCHANGED if same else UPDATE

    # --- writing ---------------------------------------------------------------------------

    def write(self, ctx: Context, records: list[Record]) -> None:
        for n, rec in enumerate(records):
            if n % 500 == 0:
                ctx.tick(len(records) + n)
            if rec.action not in (CREATE, UPDATE):
                continue
            with ctx.row(rec):
                try:
                    self._save(ctx, rec)
                except ValidationError as exc:
                    raise _moved(exc) from exc

    def _save(self, ctx: Context, rec: Record) -> None:
        s, r, user = ctx.session, rec.resolved, ctx.operator
        h, level, values = r["hazard"], r["level"], rec.values
        if r["line"] == PLAN:
            matrix.link_plan(s, hazard=h, plan=r["plan"], min_level=level, user=user)
            return
        if r["line"] == TEAM:
            if rec.action == UPDATE:
                matrix.remove_team_line(s, hazard=h, level=level, team=r["team"], user=user)
            matrix.add_team_line(s, hazard=h, level=level, team=r["team"],
                                 headcount=values.get("headcount"), notes=values.get("notes"),
                                 user=user)  # fmt: skip
            return
        depot, unit = _code(values.get("depot")) or None, _code(values.get("unit")) or None
        if rec.action == UPDATE:
            matrix.remove_material_line(s, hazard=h, level=level, material=r["material"],
                                        depot=depot, unit=unit, user=user)  # fmt: skip
        matrix.add_material_line(s, hazard=h, level=level, material=r["material"],
                                 quantity=values.get("quantity"), depot=depot, unit=unit,
                                 notes=values.get("notes"), user=user)  # fmt: skip

    # --- export ----------------------------------------------------------------------------

    def export_rows(self, session: Session) -> Iterator[dict[str, object]]:
        depots = dict(session.execute(select(Depot.id, Depot.code)).tuples().all())
        units = dict(session.execute(select(Unit.id, Unit.code)).tuples().all())
        rows: list[tuple[tuple[object, ...], dict[str, object]]] = []
        blank = {"plan": "", "team": "", "headcount": None, "material": "", "quantity": None,
                 "depot": "", "unit": ""}  # fmt: skip
        for h in session.scalars(select(Hazard).order_by(Hazard.id)):
            base = {"hazard": h.name}
            for link, plan in session.execute(
                select(HazardPlan, Plan).join(Plan, Plan.id == HazardPlan.plan_id)
                .where(HazardPlan.hazard_id == h.id)
            ).tuples():  # fmt: skip
                row = {**base, **blank, "line": PLAN, "level": LABELS[link.min_level][0],
                       "plan": plan.code, "name": plan.title, "notes": None}  # fmt: skip
                rows.append(((h.id, level_rank(link.min_level), 0, plan.code), row))
            for tline, team in session.execute(
                select(HazardTeamLine, Team).join(Team, Team.id == HazardTeamLine.team_id)
                .where(HazardTeamLine.hazard_id == h.id)
            ).tuples():  # fmt: skip
                row = {**base, **blank, "line": TEAM, "level": LABELS[tline.level][0],
                       "team": team.code, "headcount": tline.headcount, "name": team.name,
                       "notes": tline.notes}  # fmt: skip
                rows.append(((h.id, level_rank(tline.level), 1, team.code), row))
            for mline, mat in session.execute(
                select(HazardMaterialLine, Material)
                .join(Material, Material.id == HazardMaterialLine.material_id)
                .where(HazardMaterialLine.hazard_id == h.id)
            ).tuples():  # fmt: skip
                row = {**base, **blank, "line": MATERIAL, "level": LABELS[mline.level][0],
                       "material": mat.code, "quantity": Decimal(mline.quantity),
                       "depot": depots.get(mline.depot_id, "") if mline.depot_id else "",
                       "unit": units.get(mline.unit_id, "") if mline.unit_id else "",
                       "name": mat.name, "notes": mline.notes}  # fmt: skip
                place = f"{row['depot']}{row['unit']}"
                rows.append(((h.id, level_rank(mline.level), 2, mat.code + place), row))
        for _key, row in sorted(rows, key=lambda kr: kr[0]):
            yield row
