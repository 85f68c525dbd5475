"""The pre-flood-season check (汛前检查): a checklist, each line ok or missing and why.

Rules (docs/preseason.md):

* Window: the season of ``year`` runs from ``flood_season_start`` to ``flood_season_end``
  (settings); the check opens ``preseason_lead_days`` before the start and is *due* while
  ``opens <= as_of <= season_end``. Without ``year``: the season not yet over on ``as_of``
  (this year's until its end, then next year's).
* Materials are judged usable on the first day of the season (or on ``as_of`` once the season
  has begun): the usable rule is the stock's own (:func:`drillplan.stock.coverage.quota_lines`,
  :func:`drillplan.readiness.hazard_check.hazard_check`), never re-written here.
  1. flood-control materials: every material line of the flood hazards' matrix (防汛, 台风,
     暴雨 by code, name or alias) at each hazard's lowest level (what must be in place when the
     first warning comes), and every quota line of a material marked ``flood_control``;
  2. pumps and generators inspected: each lot in stock of a pump or generator (class 20601 /
     20501 or a name or synonym with 水泵, 排涝泵, 发电机) passes when its last inspection is
     on or after ``season_start - preseason_inspection_days``;
  3. boats and life jackets: each lot in stock of a boat or a life-saving item (橡皮艇, 冲锋舟,
     救生衣, 救生圈 ...) passes when it does not expire before the season's end;
  4. plans drilled: each flood-related plan in force (its hazards name 防汛, 洪涝, 台风, 暴雨 ...
     or the matrix links it to a flood hazard) passes when its drill is not overdue
     (:func:`drillplan.plans.due.plan_due`) and it was drilled after last year's season ended;
  5. teams certified: each team on a flood hazard's matrix lines or with the specialty 防汛抢险 /
     水上救援 passes when it is 待命 and no active member's certificates have all lapsed
     (expired, or expiring before the season's end: renew them first); a matrix team also
     needs its largest matrix headcount of active members holding a certificate valid through
     the season's end (issued by ``as_of``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.db.models import (
    Certificate,
    Hazard,
    HazardPlan,
    HazardTeamLine,
    Holder,
    Lot,
    Material,
    Member,
    Plan,
    Team,
)
from drillplan.directory.matching import find_materials
from drillplan.hazards.levels import LEVEL_CODES, level_label
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.vocab import PlanStatus, Readiness, label
from drillplan.plans.due import plan_due
from drillplan.stock.coverage import quota_lines

FLOOD_HAZARD_CODES = frozenset({"flood", "typhoon", "rainstorm"})
FLOOD_WORDS = ("防汛", "洪水", "洪涝", "台风", "防台", "暴雨", "内涝")
PUMP_QUERIES = ("20601", "20501", "水泵", "排涝泵", "发电机")
BOAT_QUERIES = ("20301", "橡皮艇", "冲锋舟", "救生衣", "救生圈")
TEAM_SPECIALTIES = ("防汛", "水上救援", "水域救援")
IN_FORCE = frozenset({PlanStatus.APPROVED, PlanStatus.PUBLISHED, PlanStatus.REVISING})

SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("materials", "防汛物资", "Flood-control materials"),
    ("pumps", "水泵与发电机检查", "Pumps and generators inspected"),
    ("boats", "船艇与救生器材有效期", "Boats and life-saving gear within expiry"),
    ("plans", "预案演练", "Plans drilled"),
    ("teams", "队伍持证", "Teams certified"),
)


@dataclass(frozen=True)
class CheckLine:
    """One line of the checklist; ``ref`` names the row behind it (lot, plan, team, quota)."""

    section: str
    code: str
    name: str
    place: str
    ok: bool
    what: str
    what_en: str
    ref: str  # "lot", "plan", "team", "quota", "matrix"
    ref_id: int
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def status(self) -> str:
        return "ok" if self.ok else "missing"

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "code": self.code,
            "name": self.name,
            "place": self.place,
            "status": self.status,
            "ok": self.ok,
            "what": self.what,
            "what_en": self.what_en,
            "ref": self.ref,
            "ref_id": self.ref_id,
            **self.figures,
        }


@dataclass(frozen=True)
class Window:
    year: int
    opens: dt.date
    season_start: dt.date
    season_end: dt.date
    lead_days: int

    def due_on(self, day: dt.date) -> bool:
        return self.opens <= day <= self.season_end


@dataclass(frozen=True)
class PreseasonCheck:
    as_of: dt.date
    window: Window
    judged_on: dt.date  # the day materials are judged usable on
    inspected_since: dt.date
    lines: tuple[CheckLine, ...] = ()

    @property
    def due(self) -> bool:
        return self.window.due_on(self.as_of)

    @property
    def missing(self) -> tuple[CheckLine, ...]:
        return tuple(line for line in self.lines if not line.ok)

    @property
    def ok(self) -> bool:
        return not self.missing

    def section(self, key: str) -> tuple[CheckLine, ...]:
        return tuple(line for line in self.lines if line.section == key)

    def as_dict(self) -> dict[str, Any]:
        """Stable JSON keys (docs/cli.md)."""
        w = self.window
        return {
            "year": w.year,
            "as_of": self.as_of,
            "opens": w.opens,
            "season_start": w.season_start,
            "season_end": w.season_end,
            "lead_days": w.lead_days,
            "due": self.due,
            "judged_on": self.judged_on,
            "inspected_since": self.inspected_since,
            "ok": self.ok,
            "lines_count": len(self.lines),
            "missing_count": len(self.missing),
            "sections": [
                {
                    "key": key,
                    "title": zh,
                    "title_en": en,
                    "lines": [line.as_dict() for line in self.section(key)],
                    "missing_count": sum(not line.ok for line in self.section(key)),
                }
                for key, zh, en in SECTIONS
            ],
        }


# ------------------------------------------------------------------------------ window


def season_window(session: Session, *, as_of: dt.date, year: int | None = None) -> Window:
    """The check's window for ``year`` (default: the season not yet over on ``as_of``)."""
    lead = int(settings.get(session, "preseason_lead_days"))
    if year is None:
        year = as_of.year
        if settings.flood_season(session, year)[1] < as_of:
            year += 1
    elif isinstance(year, bool) or not 1900 <= int(year) <= 2199:
        raise ValidationError("year", f"年份应在 1900 至 2199 之间（输入为 {year}）",
                              message_en=f"the year must be 1900..2199, got {year}")  # fmt: skip
    start, end = settings.flood_season(session, int(year))
    return Window(int(year), start - dt.timedelta(days=lead), start, end, lead)


# ----------------------------------------------------------------------------- helpers


def flood_hazards(session: Session) -> list[Hazard]:
    """The hazards of the flood season: by code (flood, typhoon, rainstorm), name or alias."""
    out = []
    for h in session.scalars(select(Hazard).order_by(Hazard.id)):
        names = {h.name, *(h.aliases or [])}
        if h.code in FLOOD_HAZARD_CODES or names & set(FLOOD_WORDS):
            out.append(h)
    return out


def _material_ids(session: Session, queries: tuple[str, ...]) -> set[int]:
    return {m.id for q in queries for m in find_materials(session, q)}


def _holder_names(session: Session, holder_ids: set[int]) -> dict[int, tuple[str, str]]:
    out: dict[int, tuple[str, str]] = {}
    for holder in session.scalars(select(Holder).where(Holder.id.in_(holder_ids))):
        who = holder.depot if holder.depot is not None else holder.team
        if who is not None:
            out[holder.id] = (who.code, who.name)
    return out


def _lots(session: Session, material_ids: set[int]) -> list[tuple[Lot, Material]]:
    if not material_ids:
        return []
    rows = session.execute(
        select(Lot, Material)
        .join(Material, Material.id == Lot.material_id)
        .where(Lot.material_id.in_(material_ids), Lot.on_hand > 0)
        .order_by(Material.code, Lot.holder_id, Lot.batch_no)
    ).all()
    return [(lot, mat) for lot, mat in rows]


# ---------------------------------------------------------------------------- sections


def _materials(session: Session, hazards: list[Hazard], judged_on: dt.date) -> list[CheckLine]:
    from drillplan.readiness.hazard_check import hazard_check

    out: list[CheckLine] = []
    for h in hazards:
        levels = [c for c in LEVEL_CODES if c in (h.levels or [])]
        if not levels:
            continue
        check = hazard_check(session, hazard=h, level=levels[0], as_of=judged_on)
        for m in check.materials:
            place = m.place_name if m.place_kind == "district" else f"{m.place_code} {m.place_name}"
            src = f"{h.name}{level_label(levels[0])}"
            out.append(
                CheckLine(
                    "materials", m.code, m.name, place, m.ok,
                    f"{src}：需 {fmt_number(m.required)} {m.uom}，可用 {fmt_number(m.usable)}"
                    + ("" if m.ok else f"，差 {fmt_number(m.short)} {m.uom}"),
                    f"{h.name_en or h.code} {level_label(levels[0], 'en')}: "
                    f"{fmt_number(m.usable)} of {fmt_number(m.required)} {m.uom} usable"
                    + ("" if m.ok else f", {fmt_number(m.short)} short"),
                    "matrix", h.id,
                    {"source": f"matrix:{h.code}:{levels[0]}", "uom": m.uom,
                     "required": m.required, "usable": m.usable, "short": m.short},
                )
            )  # fmt: skip
    flood_ids = set(session.scalars(select(Material.id).where(Material.flood_control.is_(True))))
    for q in quota_lines(session, as_of=judged_on):
        if q.material_id not in flood_ids:
            continue
        ok = q.shortfall == 0
        out.append(
            CheckLine(
                "materials", q.material_code, q.material_name, f"{q.depot_code} {q.depot_name}", ok,
                f"储备定额 {fmt_number(q.required)} {q.uom}，可用 {fmt_number(q.usable)}"
                + ("" if ok else f"，差 {fmt_number(q.shortfall)} {q.uom}"),
                f"quota {fmt_number(q.required)} {q.uom}, {fmt_number(q.usable)} usable"
                + ("" if ok else f", {fmt_number(q.shortfall)} short"),
                "quota", q.depot_id,
                {"source": "quota", "uom": q.uom, "required": q.required, "usable": q.usable,
                 "short": q.shortfall},
            )
        )  # fmt: skip
    return out


def _lot_line(
    section: str, lot: Lot, mat: Material, where: tuple[str, str], ok: bool, zh: str, en: str
) -> CheckLine:
    return CheckLine(
        section, mat.code, mat.name, " ".join(where), ok, zh, en, "lot", lot.id,
        {"batch": lot.batch_no, "on_hand": Decimal(lot.on_hand), "uom": mat.uom,
         "expiry_date": lot.expiry_date, "last_inspected_on": lot.last_inspected_on},
    )  # fmt: skip


def _lot_section(
    session: Session,
    section: str,
    queries: Any,
    judge: Callable[[Lot, str], tuple[bool, str, str]],
) -> list[CheckLine]:
    """One line per lot in stock of the materials ``queries`` name; ``judge(lot, qty)`` gives
    (ok, zh, en) with ``qty`` the batch and its quantity as the line starts."""
    lots = _lots(session, _material_ids(session, queries))
    names = _holder_names(session, {lot.holder_id for lot, _m in lots})
    out = []
    for lot, mat in lots:
        qty = f"批次 {lot.batch_no}（{fmt_number(lot.on_hand)} {mat.uom}）"
        ok, zh, en = judge(lot, qty)
        out.append(_lot_line(section, lot, mat, names.get(lot.holder_id, ("", "")), ok, zh, en))
    return out


def _pumps(session: Session, since: dt.date) -> list[CheckLine]:
    def judge(lot: Lot, qty: str) -> tuple[bool, str, str]:
        last = lot.last_inspected_on
        if last is None:
            return False, f"{qty}从未检查", f"batch {lot.batch_no} never inspected"
        if last >= since:
            return True, f"{qty}于 {last} 检查", f"batch {lot.batch_no} inspected on {last}"
        return (
            False,
            f"{qty}最近一次检查 {last}，应在 {since} 或以后",
            f"batch {lot.batch_no} last inspected on {last}, due on or after {since}",
        )

    return _lot_section(session, "pumps", PUMP_QUERIES, judge)


def _boats(session: Session, season_end: dt.date) -> list[CheckLine]:
    def judge(lot: Lot, qty: str) -> tuple[bool, str, str]:
        expiry = lot.expiry_date
        if expiry is None:
            return True, f"{qty}无有效期", f"batch {lot.batch_no} does not expire"
        if expiry >= season_end:
            return True, f"{qty}有效期至 {expiry}", f"batch {lot.batch_no} valid until {expiry}"
        return (
            False,
            f"{qty}有效期至 {expiry}，早于汛期结束 {season_end}",
            f"batch {lot.batch_no} expires on {expiry}, before the season ends {season_end}",
        )

    return _lot_section(session, "boats", BOAT_QUERIES, judge)


def _plans(
    session: Session, hazards: list[Hazard], as_of: dt.date, last_season_end: dt.date
) -> list[CheckLine]:
    linked = set(
        session.scalars(
            select(HazardPlan.plan_id).where(HazardPlan.hazard_id.in_([h.id for h in hazards]))
        )
    )
    plans = [
        p
        for p in session.scalars(select(Plan).order_by(Plan.code))
        if PlanStatus(p.status) in IN_FORCE
        and (p.id in linked or any(w in x for x in (p.hazards or []) for w in FLOOD_WORDS))
    ]
    due = {d.plan_id: d for d in plan_due(session, as_of=as_of, plan_ids=[p.id for p in plans])}
    out = []
    for plan in plans:
        row = due.get(plan.id)
        last = row.last_drill if row is not None else None
        zh: list[str] = []
        en: list[str] = []
        if row is not None and row.drill_overdue:
            zh.append(f"演练逾期 {row.drill_days_overdue} 天（应于 {row.next_drill}）")
            en.append(f"drill {row.drill_days_overdue} days overdue (due {row.next_drill})")
        if last is None or last <= last_season_end:
            when = f"最近一次演练 {last}" if last else "从未演练"
            zh.append(f"{when}，上一汛期结束（{last_season_end}）后未演练")
            en.append(f"not drilled since last season ended on {last_season_end}")
        ok = not zh
        if ok:
            zh, en = [f"{last} 已演练"], [f"drilled on {last}"]
        out.append(
            CheckLine("plans", plan.code, plan.title, "", ok, "；".join(zh), "; ".join(en), "plan",
                      plan.id, {"plan_status": PlanStatus(plan.status).value, "last_drill": last,
                                "next_drill": row.next_drill if row else None})
        )  # fmt: skip
    return out


def _teams(
    session: Session, hazards: list[Hazard], as_of: dt.date, season_end: dt.date
) -> list[CheckLine]:
    needed: dict[int, int] = defaultdict(int)
    for team_id, headcount in session.execute(
        select(HazardTeamLine.team_id, HazardTeamLine.headcount).where(
            HazardTeamLine.hazard_id.in_([h.id for h in hazards])
        )
    ):
        needed[team_id] = max(needed[team_id], int(headcount))
    teams = [
        t
        for t in session.scalars(select(Team).order_by(Team.code))
        if t.id in needed or any(w in s for s in (t.specialties or []) for w in TEAM_SPECIALTIES)
    ]
    members: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for mid, tid, name in session.execute(
        select(Member.id, Member.team_id, Member.name)
        .where(Member.team_id.in_([t.id for t in teams]), Member.active.is_(True))
        .order_by(Member.id)
    ):
        members[tid].append((mid, name))
    ids = [mid for rows in members.values() for mid, _name in rows]
    holding = set(session.scalars(select(Certificate.member_id).where(
        Certificate.member_id.in_(ids), Certificate.issued_on <= as_of)))  # fmt: skip
    valid = set(
        session.scalars(
            select(Certificate.member_id).where(
                Certificate.member_id.in_(ids),
                Certificate.issued_on <= as_of,
                (Certificate.expires_on.is_(None)) | (Certificate.expires_on >= season_end),
            )
        )
    )
    out = []
    for team in teams:
        active = members.get(team.id, [])
        lacking = [name for mid, name in active if mid in holding and mid not in valid]
        certified = sum(mid in valid for mid, _name in active)
        zh: list[str] = []
        en: list[str] = []
        if team.readiness != Readiness.READY:
            state = Readiness(team.readiness)
            zh.append(f"状态为“{label(state)}”，不是待命")
            en.append(f"status {label(state, 'en')}, not ready")
        if lacking:
            shown = "、".join(lacking[:5]) + ("等" if len(lacking) > 5 else "")
            zh.append(f"{len(lacking)} 名队员的证书已过期或在汛期结束前到期（{shown}）")
            en.append(f"{len(lacking)} members' certificates lapse before {season_end}")
        headcount = needed.get(team.id)
        if headcount and certified < headcount:
            zh.append(f"持证 {certified} 人，矩阵要求 {headcount} 人")
            en.append(f"{certified} certified of {headcount} required by the matrix")
        ok = not zh
        if ok:
            zh = [f"待命，持汛期内有效证书 {certified} 人"]
            en = [f"ready, {certified} members certified through the season"]
        out.append(
            CheckLine("teams", team.code, team.name, "", ok, "；".join(zh), "; ".join(en), "team",
                      team.id, {"readiness": Readiness(team.readiness).value,
                                "active": len(active), "certified": certified,
                                "headcount": headcount, "uncertified": lacking})
        )  # fmt: skip
    return out


# ------------------------------------------------------------------------------- check


def preseason_check(session: Session, *, as_of: dt.date, year: int | None = None) -> PreseasonCheck:
    """The pre-flood-season checklist of ``year`` on ``as_of`` (see the module's rules)."""
    window = season_window(session, as_of=as_of, year=year)
    judged_on = max(as_of, window.season_start)
    since = window.season_start - dt.timedelta(
        days=int(settings.get(session, "preseason_inspection_days"))
    )
    last_season_end = settings.flood_season(session, window.year - 1)[1]
    hazards = flood_hazards(session)
    lines = [
        *_materials(session, hazards, judged_on),
        *_pumps(session, since),
        *_boats(session, window.season_end),
        *_plans(session, hazards, as_of, last_season_end),
        *_teams(session, hazards, as_of, window.season_end),
    ]
    return PreseasonCheck(as_of, window, judged_on, since, tuple(lines))
