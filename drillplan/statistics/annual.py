"""年度统计: the year's figures for the superior bureau, computed once from SQL aggregates.

Every section is a list of small rows keyed by street-town (街镇) where the data allows; the
PDF report (:mod:`drillplan.reports.annual_statistics_report`) and the workbook
(:mod:`drillplan.statistics.workbook`) both print one :class:`AnnualStatistics`.

Rules (documented in docs/reports.md):
- a record's street-town is that of its unit (plan: owner, drill: organiser, team: owner,
  depot: owner): the unit itself when it is a 街道/镇, else the nearest street-town above it;
  a record with none counts on the district row (:data:`NO_STREET`);
- plans: every plan not abolished (已废止) at the time of printing, by kind; revised = plans
  with a revision dated in the year; filed = plans whose 备案 date is in the year;
- drills: drills starting in the year, not cancelled, by form x scope; participants = the
  teams and units taking part; evaluated = 已评估 or with an evaluation date; corrective
  actions of those drills and how many are closed;
- trainings: the trainings register's own yearly totals (:func:`drillplan.trainings.read.totals`);
- teams: every team by kind; active members; members holding at least one certificate
  valid at year end (issued on or before 31 December, no expiry or expiring on or after it);
- reserves (depot stock only, team equipment excluded): per depot tier x street-town x top
  material class x unit of measure (quantities of different units are never added):
  usable = the ledger balance at year end of lots not expired at year end (their on-hand
  less the movements dated after the year end); value = usable x
  the lot's unit cost (lots without a cost add no value); renewed = receipts and rotation
  receipts dated in the year; written off = write-offs dated in the year (reversed
  movements and their reversals are left out of both);
- competitions: held in the year (by date), with events, entries and distinct teams.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from drillplan.db.models import (
    Certificate,
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    CorrectiveAction,
    Depot,
    Drill,
    DrillParticipant,
    Finding,
    Holder,
    Lot,
    Material,
    Member,
    Movement,
    Plan,
    PlanRevision,
    Team,
    Unit,
)
from drillplan.kernel.vocab import (
    ActionStatus,
    DepotTier,
    DrillForm,
    DrillScope,
    DrillStatus,
    MovementKind,
    PlanKind,
    PlanStatus,
    TeamKind,
    UnitKind,
)
from drillplan.trainings import read as trainings_read
from drillplan.trainings.read import Totals as TrainingTotals

__all__ = [
    "CLASS_NAMES",
    "NO_STREET",
    "AnnualStatistics",
    "CompetitionRow",
    "DrillRow",
    "PlanRow",
    "ReserveRow",
    "TeamRow",
    "annual_statistics",
    "street_of_units",
]

NO_STREET = trainings_read.NO_STREET
NO_STREET_EN = trainings_read.NO_STREET_EN
ZERO = Decimal(0)
QTY = Decimal("0.001")
CENT = Decimal("0.01")

# GB/T 38565-2020 top level (the first digit of a material code)
CLASS_NAMES: dict[str, tuple[str, str]] = {
    "1": ("基本生活保障物资", "Basic living support"),
    "2": ("应急装备及配套物资", "Emergency equipment and supplies"),
    "3": ("工程材料与机械加工设备", "Engineering materials and machinery"),
}


def class_name(code: str, lang: str = "zh") -> str:
    names = CLASS_NAMES.get(code)
    if names is None:
        return code
    return f"{code} {names[0] if lang == 'zh' else names[1]}"


@dataclass(frozen=True)
class PlanRow:
    street: str
    kind: PlanKind
    plans: int
    revised: int
    filed: int


@dataclass(frozen=True)
class DrillRow:
    street: str
    form: DrillForm
    scope: DrillScope
    drills: int
    participants: int
    evaluated: int
    actions: int
    actions_closed: int


@dataclass(frozen=True)
class TeamRow:
    street: str
    kind: TeamKind
    teams: int
    members: int
    certified: int


@dataclass(frozen=True)
class ReserveRow:
    tier: DepotTier
    street: str
    material_class: str  # the first digit of the material code
    uom: str
    usable: Decimal
    value: Decimal
    renewed: Decimal
    written_off: Decimal


@dataclass(frozen=True)
class CompetitionRow:
    title: str
    held_on: dt.date
    events: int
    entries: int
    teams: int


@dataclass(frozen=True)
class CompetitionStreetRow:
    """The competitions of the year as one street-town took part (by its teams' owner unit)."""

    street: str
    competitions: int  # competitions with an entry of its teams
    teams: int  # distinct teams that entered
    entries: int  # entries (team x event)
    ranked_first: int  # entries ranked 1 in their event


@dataclass(frozen=True)
class AnnualStatistics:
    year: int
    lang: str
    streets: list[str]  # every street-town by code, then the district row
    plans: list[PlanRow] = field(default_factory=list)
    drills: list[DrillRow] = field(default_factory=list)
    trainings: TrainingTotals | None = None
    teams: list[TeamRow] = field(default_factory=list)
    reserves: list[ReserveRow] = field(default_factory=list)
    competitions: list[CompetitionRow] = field(default_factory=list)
    competition_streets: list[CompetitionStreetRow] = field(default_factory=list)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.year, 12, 31)

    def summary(self) -> dict[str, Any]:
        """The headline figures (the first sheet, the report's summary, the JSON ``summary``)."""
        t_events, t_heads = self.trainings.total if self.trainings else (0, 0)
        return {
            "year": self.year,
            "plans": sum(r.plans for r in self.plans),
            "plans_revised": sum(r.revised for r in self.plans),
            "plans_filed": sum(r.filed for r in self.plans),
            "drills": sum(r.drills for r in self.drills),
            "drill_participants": sum(r.participants for r in self.drills),
            "drills_evaluated": sum(r.evaluated for r in self.drills),
            "corrective_actions": sum(r.actions for r in self.drills),
            "corrective_actions_closed": sum(r.actions_closed for r in self.drills),
            "training_events": t_events,
            "training_headcount": t_heads,
            "teams": sum(r.teams for r in self.teams),
            "members": sum(r.members for r in self.teams),
            "members_certified": sum(r.certified for r in self.teams),
            "reserve_value": sum((r.value for r in self.reserves), ZERO),
            "competitions": len(self.competitions),
            "competition_entries": sum(r.entries for r in self.competitions),
        }

    def reserves_by_uom(self) -> dict[str, dict[str, Decimal]]:
        """Totals per unit of measure (never across units): usable, value, renewed, written off."""
        out: dict[str, dict[str, Decimal]] = {}
        for r in self.reserves:
            t = out.setdefault(
                r.uom, {"usable": ZERO, "value": ZERO, "renewed": ZERO, "written_off": ZERO}
            )
            t["usable"] += r.usable
            t["value"] += r.value
            t["renewed"] += r.renewed
            t["written_off"] += r.written_off
        return dict(sorted(out.items()))


# --- street-towns ----------------------------------------------------------------------------


def street_of_units(session: Session, lang: str = "zh") -> tuple[dict[int, str], list[str]]:
    """Each unit's street-town name (the unit itself or the nearest street-town above it; the
    district row when none) and the row labels: street-towns by code, then the district row."""
    units = session.execute(select(Unit.id, Unit.parent_id, Unit.kind, Unit.name, Unit.code)).all()
    by_id = {u.id: u for u in units}
    none = NO_STREET if lang == "zh" else NO_STREET_EN
    found: dict[int, str] = {}
    for u in units:
        seen: set[int] = set()
        cur: Any = u
        name = none
        while cur is not None and cur.id not in seen:
            seen.add(cur.id)
            if UnitKind(cur.kind) is UnitKind.STREET_TOWN:
                name = cur.name
                break
            cur = by_id.get(cur.parent_id) if cur.parent_id is not None else None
        found[u.id] = name
    streets = [u.name for u in sorted(units, key=lambda u: u.code)
               if UnitKind(u.kind) is UnitKind.STREET_TOWN]  # fmt: skip
    return found, [*dict.fromkeys(streets), none]


def _year(year: int) -> tuple[dt.date, dt.date, dt.datetime, dt.datetime]:
    return (
        dt.date(year, 1, 1),
        dt.date(year, 12, 31),
        dt.datetime(year, 1, 1),
        dt.datetime(year + 1, 1, 1),
    )


def _qty(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(QTY)


# --- sections ---------------------------------------------------------------------------------


def _plans(session: Session, year: int, street: dict[int, str], none: str) -> list[PlanRow]:
    first, last, _s, _e = _year(year)
    revised = (
        select(PlanRevision.plan_id)
        .where(PlanRevision.revised_on.between(first, last))
        .distinct()
        .subquery()
    )
    rows = session.execute(
        select(
            Plan.owner_unit_id,
            Plan.kind,
            func.count(Plan.id),
            func.count(revised.c.plan_id),
            func.count(Plan.id).filter(Plan.filed_on.between(first, last)),
        )
        .outerjoin(revised, revised.c.plan_id == Plan.id)
        .where(Plan.status != PlanStatus.ABOLISHED)
        .group_by(Plan.owner_unit_id, Plan.kind)
    ).all()
    cells: dict[tuple[str, PlanKind], list[int]] = defaultdict(lambda: [0, 0, 0])
    for unit_id, kind, n, rev, filed in rows:
        cell = cells[(street.get(unit_id, none), PlanKind(kind))]
        cell[0] += n
        cell[1] += rev
        cell[2] += filed
    return [PlanRow(s, k, *v) for (s, k), v in cells.items()]


def _drills(session: Session, year: int, street: dict[int, str], none: str) -> list[DrillRow]:
    _f, _l, start, end = _year(year)
    in_year = and_(
        Drill.starts_at >= start, Drill.starts_at < end, Drill.status != DrillStatus.CANCELLED
    )
    participants = (
        select(DrillParticipant.drill_id, func.count().label("n"))
        .group_by(DrillParticipant.drill_id)
        .subquery()
    )
    actions = (
        select(
            Finding.drill_id,
            func.count(CorrectiveAction.id).label("n"),
            func.count(CorrectiveAction.id)
            .filter(CorrectiveAction.status == ActionStatus.CLOSED)
            .label("closed"),
        )
        .join(CorrectiveAction, CorrectiveAction.finding_id == Finding.id)
        .group_by(Finding.drill_id)
        .subquery()
    )
    evaluated = or_(Drill.status == DrillStatus.EVALUATED, Drill.evaluated_on.is_not(None))
    rows = session.execute(
        select(
            Drill.organiser_unit_id,
            Drill.form,
            Drill.scope,
            func.count(Drill.id),
            func.coalesce(func.sum(participants.c.n), 0),
            func.count(Drill.id).filter(evaluated),
            func.coalesce(func.sum(actions.c.n), 0),
            func.coalesce(func.sum(actions.c.closed), 0),
        )
        .outerjoin(participants, participants.c.drill_id == Drill.id)
        .outerjoin(actions, actions.c.drill_id == Drill.id)
        .where(in_year)
        .group_by(Drill.organiser_unit_id, Drill.form, Drill.scope)
    ).all()
    cells: dict[tuple[str, DrillForm, DrillScope], list[int]] = defaultdict(lambda: [0] * 5)
    for unit_id, form, scope, *numbers in rows:
        cell = cells[(street.get(unit_id, none), DrillForm(form), DrillScope(scope))]
        for i, n in enumerate(numbers):
            cell[i] += int(n)
    return [DrillRow(s, f, sc, *v) for (s, f, sc), v in cells.items()]


def _teams(session: Session, year: int, street: dict[int, str], none: str) -> list[TeamRow]:
    year_end = dt.date(year, 12, 31)
    valid = (
        select(Certificate.member_id)
        .where(
            Certificate.issued_on <= year_end,
            or_(Certificate.expires_on.is_(None), Certificate.expires_on >= year_end),
        )
        .distinct()
        .subquery()
    )
    members = (
        select(
            Member.team_id,
            func.count(Member.id).label("n"),
            func.count(valid.c.member_id).label("certified"),
        )
        .outerjoin(valid, valid.c.member_id == Member.id)
        .where(Member.active.is_(True))
        .group_by(Member.team_id)
        .subquery()
    )
    rows = session.execute(
        select(
            Team.owner_unit_id,
            Team.kind,
            func.count(Team.id),
            func.coalesce(func.sum(members.c.n), 0),
            func.coalesce(func.sum(members.c.certified), 0),
        )
        .outerjoin(members, members.c.team_id == Team.id)
        .group_by(Team.owner_unit_id, Team.kind)
    ).all()
    cells: dict[tuple[str, TeamKind], list[int]] = defaultdict(lambda: [0, 0, 0])
    for unit_id, kind, *numbers in rows:
        cell = cells[(street.get(unit_id, none), TeamKind(kind))]
        for i, n in enumerate(numbers):
            cell[i] += int(n)
    return [TeamRow(s, k, *v) for (s, k), v in cells.items()]


def _reserves(session: Session, year: int, street: dict[int, str], none: str) -> list[ReserveRow]:
    first, last, _s, _e = _year(year)
    cls = func.substr(Material.code, 1, 1)
    keys = (Depot.tier, Depot.owner_unit_id, cls, Material.uom)

    def base(*columns: Any, ledger: bool = True) -> Any:
        stmt = select(*keys, *columns)
        if ledger:
            stmt = stmt.select_from(Movement).join(Lot, Lot.id == Movement.lot_id)
        else:
            stmt = stmt.select_from(Lot)
        return (
            stmt.join(Material, Material.id == Lot.material_id)
            .join(Holder, Holder.id == Lot.holder_id)
            .join(Depot, Depot.id == Holder.depot_id)
        )

    cells: dict[tuple[DepotTier, str, str, str], list[Decimal]] = defaultdict(lambda: [ZERO] * 4)

    def cell(tier: Any, unit_id: int, code: str, uom: str) -> list[Decimal]:
        return cells[(DepotTier(tier), street.get(unit_id, none), str(code), str(uom))]

    # usable at year end: the balance then of lots not expired then = the on-hand (the ledger's
    # sum, proved by `drillplan check`) less what moved after the year end; per unit cost
    unexpired = or_(Lot.expiry_date.is_(None), Lot.expiry_date >= last)
    balance: dict[tuple[Any, ...], Decimal] = defaultdict(lambda: ZERO)
    for *key, qty in session.execute(
        base(Lot.unit_cost, func.sum(Lot.on_hand), ledger=False)
        .where(unexpired, Lot.on_hand != 0)
        .group_by(*keys, Lot.unit_cost)
    ):
        balance[tuple(key)] += _qty(qty)
    for *key, qty in session.execute(
        base(Lot.unit_cost, func.sum(Movement.quantity))
        .where(Movement.moved_on > last, unexpired)
        .group_by(*keys, Lot.unit_cost)
    ):
        balance[tuple(key)] -= _qty(qty)
    for (tier, unit_id, code, uom, cost), q in balance.items():
        c = cell(tier, unit_id, code, uom)
        c[0] += q
        if cost is not None:
            c[1] += (q * Decimal(str(cost))).quantize(CENT)
    # flows of the year, reversed movements and reversals left out
    reversed_ids = select(Movement.reverses_id).where(Movement.reverses_id.is_not(None))
    flows = session.execute(
        base(Movement.kind, func.sum(Movement.quantity))
        .where(
            Movement.moved_on.between(first, last),
            Movement.kind.in_(
                [MovementKind.RECEIPT, MovementKind.ROTATION_IN, MovementKind.WRITE_OFF]
            ),
            Movement.id.not_in(reversed_ids),
        )
        .group_by(*keys, Movement.kind)
    ).all()
    for tier, unit_id, code, uom, kind, qty in flows:
        c = cell(tier, unit_id, code, uom)
        if MovementKind(kind) is MovementKind.WRITE_OFF:
            c[3] += -_qty(qty)
        else:
            c[2] += _qty(qty)
    return [
        ReserveRow(t, s, code, uom, *v)
        for (t, s, code, uom), v in cells.items()
        if any(x != 0 for x in v)
    ]


def _competitions(session: Session, year: int) -> list[CompetitionRow]:
    first, last, _s, _e = _year(year)
    rows = session.execute(
        select(
            Competition.title,
            Competition.held_on,
            func.count(func.distinct(CompetitionEvent.id)),
            func.count(CompetitionEntry.id),
            func.count(func.distinct(CompetitionEntry.team_id)),
        )
        .outerjoin(CompetitionEvent, CompetitionEvent.competition_id == Competition.id)
        .outerjoin(CompetitionEntry, CompetitionEntry.event_id == CompetitionEvent.id)
        .where(Competition.held_on.between(first, last))
        .group_by(Competition.id, Competition.title, Competition.held_on)
        .order_by(Competition.held_on, Competition.title)
    ).all()
    return [CompetitionRow(t, h, int(e), int(n), int(k)) for t, h, e, n, k in rows]


def _competition_streets(
    session: Session, year: int, street: dict[int, str], none: str
) -> list[CompetitionStreetRow]:
    first, last, _s, _e = _year(year)
    rows = session.execute(
        select(
            Team.owner_unit_id,
            CompetitionEvent.competition_id,
            CompetitionEntry.team_id,
            CompetitionEntry.rank,
        )
        .join(CompetitionEvent, CompetitionEvent.id == CompetitionEntry.event_id)
        .join(Competition, Competition.id == CompetitionEvent.competition_id)
        .join(Team, Team.id == CompetitionEntry.team_id)
        .where(Competition.held_on.between(first, last))
    ).all()
    cells: dict[str, tuple[set[int], set[int], list[int]]] = {}
    for unit_id, competition_id, team_id, rank in rows:
        comps, teams, counts = cells.setdefault(street.get(unit_id, none), (set(), set(), [0, 0]))
        comps.add(competition_id)
        teams.add(team_id)
        counts[0] += 1
        counts[1] += rank == 1
    return [CompetitionStreetRow(s, len(c), len(t), n[0], n[1]) for s, (c, t, n) in cells.items()]


def _order(streets: list[str]) -> Any:
    rank = {s: i for i, s in enumerate(streets)}
    return lambda s: rank.get(s, len(rank))


def annual_statistics(session: Session, year: int, *, lang: str = "zh") -> AnnualStatistics:
    """Every section of the yearly statistics of ``year`` (see the module's rules)."""
    street, streets = street_of_units(session, lang)
    none = streets[-1]
    at = _order(streets)
    kinds = {k: i for i, k in enumerate(PlanKind)}
    forms = {k: i for i, k in enumerate(DrillForm)}
    scopes = {k: i for i, k in enumerate(DrillScope)}
    team_kinds = {k: i for i, k in enumerate(TeamKind)}
    tiers = {k: i for i, k in enumerate(DepotTier)}
    return AnnualStatistics(
        year=year,
        lang=lang,
        streets=streets,
        plans=sorted(
            _plans(session, year, street, none), key=lambda r: (at(r.street), kinds[r.kind])
        ),
        drills=sorted(
            _drills(session, year, street, none),
            key=lambda r: (at(r.street), forms[r.form], scopes[r.scope]),
        ),
        trainings=trainings_read.totals(session, year, lang=lang),
        teams=sorted(
            _teams(session, year, street, none), key=lambda r: (at(r.street), team_kinds[r.kind])
        ),
        reserves=sorted(
            _reserves(session, year, street, none),
            key=lambda r: (tiers[r.tier], at(r.street), r.material_class, r.uom),
        ),
        competitions=_competitions(session, year),
        competition_streets=sorted(
            _competition_streets(session, year, street, none), key=lambda r: at(r.street)
        ),
    )
