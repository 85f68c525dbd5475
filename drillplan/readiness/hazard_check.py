"""Can the district meet a hazard's warning level today? The check, line by line.

Rules (docs/hazards.md):

* A line of the matrix for a level applies at that level and every higher one (a 黄 line also
  applies at 橙 and 红). When a team or a material at one place is on several lines that
  apply, the largest headcount or quantity governs (a line states what must be in place).
* Team: met when its readiness is 待命 (ready) and its active members holding at least one
  certificate valid on the as-of date (issued on or before it, no expiry or expiring on or
  after it) are at least the headcount.
* Team alternatives: for a team line not met, up to 3 other teams that could stand in: teams
  not on any line of this check, of the same kind and sharing a specialty with it (any
  specialty when it has none), 待命 (ready), with at least as many active members holding a
  valid certificate as the line lacks (its shortfall; the whole headcount when the team is
  not ready). Nearest first: a team of the same owner unit, then of a unit with the same
  parent (beside it), then the rest; then the most such members, then the code.
* Material: usable = on-hand of lots not expired on the as-of date, of that material (so in
  its unit of measure), at the place the line names: a depot; the holders (depots and teams)
  of a unit and the units below it; or, with no place, every holder of the district. Short
  lines name the nearest holders with a surplus (:func:`drillplan.directory.find.find`
  ordered from the place's unit: that unit, the units beside it, the rest); a holder's surplus
  is its usable quantity less what the matrix asks it to hold for this level.
* Plan: each plan activated at or below the level must be in force (approved, published or
  being revised) and current: not overdue for evaluation or drill and no revision asked for
  and not done (:func:`drillplan.plans.due.plan_due`). A level with no plan is a finding.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from drillplan.auth.scope import units_in_scope
from drillplan.db.models import (
    Certificate,
    Depot,
    Hazard,
    HazardMaterialLine,
    HazardPlan,
    HazardTeamLine,
    Material,
    Member,
    Plan,
    Team,
    Unit,
)
from drillplan.directory.find import TEAM, find
from drillplan.hazards.levels import LEVEL_CODES, level_label, level_rank, parse_level
from drillplan.hazards.matrix import get_hazard
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.vocab import PlanStatus, Readiness, label
from drillplan.plans.due import plan_due

ZERO = Decimal(0)
IN_FORCE = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED, PlanStatus.REVISING})
#: how many holders with a surplus a short material line names
SURPLUS_SHOWN = 3


@dataclass(frozen=True)
class Alternative:
    """A team that could stand in for a team line not met."""

    code: str
    name: str
    unit: str
    counted: int  # its active members with a valid certificate
    phone: str | None
    nearness: int  # 0 same owner unit, 1 a unit beside it (same parent), 2 elsewhere

    def as_dict(self) -> dict[str, Any]:
        return {"team": self.code, "team_name": self.name, "unit": self.unit,
                "counted": self.counted, "phone": self.phone,
                "nearness": ("same_unit", "beside", "elsewhere")[self.nearness]}  # fmt: skip


#: how many alternative teams a team line not met names
ALTERNATIVES_SHOWN = 3


@dataclass(frozen=True)
class TeamLine:
    team_id: int
    code: str
    name: str
    from_level: str
    headcount: int
    readiness: str
    counted: int  # active members with a valid certificate
    phone: str | None
    alternatives: tuple[Alternative, ...] = ()

    @property
    def ready(self) -> bool:
        return self.readiness == Readiness.READY

    @property
    def short(self) -> int:
        return max(self.headcount - self.counted, 0)

    @property
    def ok(self) -> bool:
        return self.ready and self.short == 0

    @property
    def needed(self) -> int:
        """The people another team must bring: the shortfall, or all when not ready."""
        return self.headcount if not self.ready else self.short

    def problem(self, lang: str = "zh") -> str:
        parts = []
        if not self.ready:
            state = label(Readiness(self.readiness), lang)
            parts.append(f"状态为“{state}”，不是待命" if lang == "zh" else f"status {state}")
        if self.short:
            parts.append(
                f"持有效证书的在岗队员 {self.counted} 人，差 {self.short} 人"
                if lang == "zh"
                else f"{self.counted} members with valid certificates, {self.short} short"
            )
        return "；".join(parts) if lang == "zh" else "; ".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "team": self.code,
            "team_name": self.name,
            "from_level": self.from_level,
            "headcount": self.headcount,
            "readiness": self.readiness,
            "ready": self.ready,
            "counted": self.counted,
            "short": self.short,
            "ok": self.ok,
            "problem": self.problem(),
            "phone": self.phone,
            "alternatives": [a.as_dict() for a in self.alternatives],
        }


@dataclass(frozen=True)
class Surplus:
    kind: str  # depot or team
    code: str
    name: str
    unit: str
    surplus: Decimal
    phone: str | None
    covers: bool  # the surplus alone makes up the shortfall

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "surplus": self.surplus,
            "phone": self.phone,
            "covers": self.covers,
        }


@dataclass(frozen=True)
class MaterialLine:
    material_id: int
    code: str
    name: str
    uom: str
    from_level: str
    required: Decimal
    place_kind: str  # depot, unit, district
    place_code: str
    place_name: str
    usable: Decimal
    nearest: tuple[Surplus, ...] = ()

    @property
    def short(self) -> Decimal:
        return max(self.required - self.usable, ZERO)

    @property
    def ok(self) -> bool:
        return self.short == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "material": self.code,
            "material_name": self.name,
            "uom": self.uom,
            "from_level": self.from_level,
            "required": self.required,
            "place_kind": self.place_kind,
            "place_code": self.place_code,
            "place_name": self.place_name,
            "usable": self.usable,
            "short": self.short,
            "ok": self.ok,
            "nearest_surplus": [s.as_dict() for s in self.nearest],
        }


@dataclass(frozen=True)
class PlanLine:
    plan_id: int
    code: str
    title: str
    from_level: str
    status: str
    problems: tuple[str, ...] = ()
    problems_en: tuple[str, ...] = ()

    @property
    def current(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan": self.code,
            "title": self.title,
            "from_level": self.from_level,
            "status": self.status,
            "current": self.current,
            "problems": list(self.problems),
            "problems_en": list(self.problems_en),
        }


@dataclass(frozen=True)
class HazardCheck:
    hazard_code: str
    hazard_name: str
    hazard_name_en: str
    level: str
    as_of: dt.date
    teams: tuple[TeamLine, ...] = ()
    materials: tuple[MaterialLine, ...] = ()
    plans: tuple[PlanLine, ...] = ()
    missing: tuple[dict[str, Any], ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON keys (docs/cli.md)."""
        return {
            "hazard": self.hazard_code,
            "hazard_name": self.hazard_name,
            "level": self.level,
            "level_label": level_label(self.level),
            "as_of": self.as_of,
            "ok": self.ok,
            "missing_count": len(self.missing),
            "teams": [t.as_dict() for t in self.teams],
            "materials": [m.as_dict() for m in self.materials],
            "plans": [p.as_dict() for p in self.plans],
            "missing": list(self.missing),
        }


def _governing(rows: list[tuple[Any, str, Any]]) -> dict[Any, tuple[str, Any]]:
    """key -> (from level, amount): the largest amount; ties: the lowest level."""
    out: dict[Any, tuple[str, Any]] = {}
    for key, level, amount in sorted(rows, key=lambda r: level_rank(r[1])):
        if key not in out or amount > out[key][1]:
            out[key] = (level, amount)
    return out


def _team_lines(session: Session, h: Hazard, levels: list[str], as_of: dt.date) -> list[TeamLine]:
    rows = session.execute(
        select(HazardTeamLine.team_id, HazardTeamLine.level, HazardTeamLine.headcount).where(
            HazardTeamLine.hazard_id == h.id, HazardTeamLine.level.in_(levels)
        )
    ).all()
    wanted = _governing([(t, lv, n) for t, lv, n in rows])
    if not wanted:
        return []
    valid = or_(Certificate.expires_on.is_(None), Certificate.expires_on >= as_of)
    counted = dict(
        session.execute(
            select(Member.team_id, func.count(func.distinct(Member.id)))
            .join(Certificate, Certificate.member_id == Member.id)
            .where(
                Member.team_id.in_(list(wanted)),
                Member.active.is_(True),
                Certificate.issued_on <= as_of,
                valid,
            )
            .group_by(Member.team_id)
        ).all()
    )
    out = []
    teams = list(session.scalars(select(Team).where(Team.id.in_(list(wanted)))))
    for team in teams:
        level, headcount = wanted[team.id]
        out.append(
            TeamLine(team.id, team.code, team.name, level, int(headcount),
                     Readiness(team.readiness).value, int(counted.get(team.id, 0)),
                     team.duty_phone)
        )  # fmt: skip
    if any(not t.ok for t in out):
        by_id = {t.id: t for t in teams}
        others = _other_teams(session, set(wanted), as_of)
        out = [t if t.ok else _with_alternatives(t, by_id[t.team_id], others) for t in out]
    return sorted(out, key=lambda t: (level_rank(t.from_level), t.code))


def _certified(session: Session, team_ids: list[int], as_of: dt.date) -> dict[int, int]:
    """team id -> its active members holding a certificate valid on ``as_of``."""
    valid = or_(Certificate.expires_on.is_(None), Certificate.expires_on >= as_of)
    return dict(
        session.execute(
            select(Member.team_id, func.count(func.distinct(Member.id)))
            .join(Certificate, Certificate.member_id == Member.id)
            .where(Member.team_id.in_(team_ids), Member.active.is_(True),
                   Certificate.issued_on <= as_of, valid)
            .group_by(Member.team_id)
        ).tuples().all()
    )  # fmt: skip


def _other_teams(session: Session, taken: set[int], as_of: dt.date) -> list[tuple[Team, Unit, int]]:
    """The ready teams not on a line of this check, with their owner unit and certified
    members."""
    rows = session.execute(
        select(Team, Unit).join(Unit, Unit.id == Team.owner_unit_id)
        .where(Team.readiness == Readiness.READY, Team.id.not_in(taken or {0}))
    ).tuples().all()  # fmt: skip
    counted = _certified(session, [t.id for t, _u in rows], as_of) if rows else {}
    return [(t, u, int(counted.get(t.id, 0))) for t, u in rows]


def _with_alternatives(
    line: TeamLine, team: Team, others: list[tuple[Team, Unit, int]]
) -> TeamLine:
    """The line with the nearest teams that could stand in (rule in the module's doc)."""
    mine = set(team.specialties or [])
    owner = team.owner_unit
    found = []
    for other, unit, counted in others:
        if other.kind != team.kind or counted < line.needed or counted == 0:
            continue
        if mine and not mine & set(other.specialties or []):
            continue
        if unit.id == owner.id:
            nearness = 0
        elif owner.parent_id is not None and unit.parent_id == owner.parent_id:
            nearness = 1
        else:
            nearness = 2
        found.append(Alternative(other.code, other.name, unit.name, counted, other.duty_phone,
                                 nearness))  # fmt: skip
    found.sort(key=lambda a: (a.nearness, -a.counted, a.code))
    return replace(line, alternatives=tuple(found[:ALTERNATIVES_SHOWN]))


def _material_lines(
    session: Session, h: Hazard, levels: list[str], as_of: dt.date
) -> list[MaterialLine]:
    rows = session.execute(
        select(
            HazardMaterialLine.material_id,
            HazardMaterialLine.depot_id,
            HazardMaterialLine.unit_id,
            HazardMaterialLine.level,
            HazardMaterialLine.quantity,
        ).where(HazardMaterialLine.hazard_id == h.id, HazardMaterialLine.level.in_(levels))
    ).all()
    wanted = _governing([((m, d, u), lv, Decimal(q)) for m, d, u, lv, q in rows])
    # what the matrix asks each depot to hold of each material (kept back from its surplus)
    held_back: dict[tuple[int, int], Decimal] = {}
    for (mid, depot_id, _unit_id), (_lv, qty) in wanted.items():
        if depot_id is not None:
            held_back[(mid, depot_id)] = qty
    out = []
    for (mid, depot_id, unit_id), (level, required) in wanted.items():
        material = session.get(Material, mid)
        assert material is not None
        near: int | None = None
        if depot_id is not None:
            depot = session.get(Depot, depot_id)
            assert depot is not None
            kind, code, name, near = "depot", depot.code, depot.name, depot.owner_unit_id
        elif unit_id is not None:
            unit = session.get(Unit, unit_id)
            assert unit is not None
            kind, code, name, near = "unit", unit.code, unit.name, unit.id
        else:
            kind, code, name = "district", "", "全区"
        scope = units_in_scope(session, unit_id) if unit_id is not None else frozenset()
        found = find(session, material.code, near_unit=near, as_of=as_of)
        usable, others = ZERO, []
        for holder in found.holders:
            if holder.kind not in ("depot", TEAM):
                continue  # a capacity reserve is a promise, not stock
            qty = sum((x.usable for x in holder.holdings if x.material_id == mid), ZERO)
            inside = (
                kind == "district"
                or (kind == "depot" and holder.kind == "depot" and holder.id == depot_id)
                or (kind == "unit" and holder.unit_id in scope)
            )
            if inside:
                usable += qty
                continue
            spare = qty - (held_back.get((mid, holder.id), ZERO) if holder.kind == "depot" else 0)
            if spare > 0:
                others.append((holder, spare))
        short = max(required - usable, ZERO)
        nearest: tuple[Surplus, ...] = ()
        if short > 0:
            nearest = tuple(
                Surplus(hd.kind, hd.code, hd.name, hd.unit_name, spare, hd.phone, spare >= short)
                for hd, spare in others[:SURPLUS_SHOWN]
            )
        out.append(
            MaterialLine(mid, material.code, material.name, material.uom, level, required,
                         kind, code, name, usable, nearest)
        )  # fmt: skip
    return sorted(out, key=lambda m: (level_rank(m.from_level), m.code, m.place_code))


def _plan_lines(session: Session, h: Hazard, levels: list[str], as_of: dt.date) -> list[PlanLine]:
    links = dict(
        session.execute(
            select(HazardPlan.plan_id, HazardPlan.min_level).where(
                HazardPlan.hazard_id == h.id, HazardPlan.min_level.in_(levels)
            )
        ).all()
    )
    if not links:
        return []
    due = {d.plan_id: d for d in plan_due(session, as_of=as_of, plan_ids=list(links))}
    out = []
    for plan in session.scalars(select(Plan).where(Plan.id.in_(list(links)))):
        zh: list[str] = []
        en: list[str] = []
        status = PlanStatus(plan.status)
        if status not in IN_FORCE:
            zh.append(f"预案状态为“{label(status)}”，未生效")
            en.append(f"the plan is {label(status, 'en').lower()}: not in force")
        row = due.get(plan.id)
        if row is not None and status in IN_FORCE:
            if row.evaluation_overdue:
                zh.append(
                    f"评估逾期 {row.evaluation_days_overdue} 天（应于 {row.next_evaluation}）"
                )
                en.append(f"evaluation {row.evaluation_days_overdue} days overdue")
            if row.drill_overdue:
                zh.append(f"演练逾期 {row.drill_days_overdue} 天（应于 {row.next_drill}）")
                en.append(f"drill {row.drill_days_overdue} days overdue")
            if row.revision_required_since is not None:
                zh.append(f"{row.revision_required_since} 评估要求修订，尚未修订")
                en.append("a revision asked for is not done")
        out.append(
            PlanLine(plan.id, plan.code, plan.title, links[plan.id], status.value, tuple(zh),
                     tuple(en))
        )  # fmt: skip
    return sorted(out, key=lambda p: (level_rank(p.from_level), p.code))


def _finding(kind: str, code: str | None, name: str | None, zh: str, en: str) -> dict[str, Any]:
    return {"kind": kind, "code": code, "name": name, "short": None, "what": zh, "what_en": en}


def _missing(
    teams: list[TeamLine], materials: list[MaterialLine], plans: list[PlanLine]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for t in teams:
        if not t.ok:
            out.append({"kind": "team", "code": t.code, "name": t.name, "short": t.short,
                        "what": t.problem(), "what_en": t.problem("en")})  # fmt: skip
    for m in materials:
        if not m.ok:
            where = m.place_name
            text = f"{where}可用 {fmt_number(m.usable)} {m.uom}，需 {fmt_number(m.required)}，差 "
            text += f"{fmt_number(m.short)} {m.uom}"
            if m.nearest:
                s = m.nearest[0]
                text += f"；最近的富余：{s.name} {fmt_number(s.surplus)} {m.uom}"
            else:
                text += "；区内没有富余"
            text_en = (
                f"{fmt_number(m.usable)} of {fmt_number(m.required)} {m.uom} usable at "
                f"{m.place_code or 'the district'}: {fmt_number(m.short)} short"
            )
            out.append({"kind": "material", "code": m.code, "name": m.name, "place": m.place_code,
                        "short": m.short, "what": text, "what_en": text_en})  # fmt: skip
    if not plans:
        out.append(_finding("plan", None, None, "没有在此级别启动的预案",
                            "no plan is activated at this level"))  # fmt: skip
    for p in plans:
        if not p.current:
            out.append(_finding("plan", p.code, p.title, "；".join(p.problems),
                                "; ".join(p.problems_en)))  # fmt: skip
    return out


def hazard_check(session: Session, *, hazard: object, level: object, as_of: dt.date) -> HazardCheck:
    """The check of ``hazard`` at ``level`` on ``as_of`` (see the module's rules)."""
    h = get_hazard(session, hazard)
    allowed = [c for c in LEVEL_CODES if c in (h.levels or [])]
    code = parse_level(level, allowed=allowed, hazard=h.name)
    levels = [c for c in LEVEL_CODES if level_rank(c) <= level_rank(code)]
    teams = _team_lines(session, h, levels, as_of)
    materials = _material_lines(session, h, levels, as_of)
    plans = _plan_lines(session, h, levels, as_of)
    missing = _missing(teams, materials, plans)
    return HazardCheck(h.code, h.name, h.name_en, code, as_of, tuple(teams), tuple(materials),
                       tuple(plans), tuple(missing))  # fmt: skip
