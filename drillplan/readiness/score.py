"""Readiness scores (0-100) per depot, team, plan, tier and for the district, each explained.

A score is the weighted mean of its components that have data (weights: the
``readiness_weights`` setting, one editable place). A component is ``sum(good) / sum(total)``
over its facts (``drillplan.readiness.facts``):

- coverage:     quota lines: each weighs its material's criticality (关键 3, 重要 2, 一般 1)
                and is good by its ratio min(usable / quota, 1), so the component is
                ``sum(weight x ratio) / sum(weight)``: quantities of different units are never
                added (docs/readiness.md has the formula and a worked example);
- expiry:       lots with stock, neither expired nor within the first expiry horizon;
- certificates: members' certificates and teams' cooperation agreements not expired;
- headcount:    active members of the teams' target headcount;
- plans:        plan deadlines (drill, evaluation, filing, publication) not overdue;
- actions:      corrective actions not overdue;
- facilities:   shelters and dual-use facilities inspected on time, and each street-town's
                shelter capacity against its population, min(capacity / (population x
                target ratio), 1) (:mod:`drillplan.readiness.facility_facts`; no facility: no data).

"What to fix first" ranks each problem fact by the district points it costs, which is what
the district score would gain if that one row were put right:
``component weight share x (total - good) / component total x 100``. Points are kept
unrounded for the ranking and shown with 3 significant digits (:func:`points_text`), so
items stay distinct at city scale where each costs a few thousandths of a point.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.readiness.facility_facts import facility_facts
from drillplan.readiness.facts import Fact, Facts, gather
from drillplan.readiness.lazy import LazyList

if TYPE_CHECKING:
    from drillplan.readiness.facts import Tally
    from drillplan.readiness.tallies import Scope

COMPONENTS = (
    "coverage",
    "expiry",
    "certificates",
    "headcount",
    "plans",
    "actions",
    "facilities",
)
COMPONENT_LABELS = {
    "coverage": ("储备定额保障率", "Quota coverage"),
    "expiry": ("物资有效期", "Stock within shelf life"),
    "certificates": ("证书与协议有效", "Certificates and agreements current"),
    "headcount": ("人员在岗率", "Headcount"),
    "plans": ("预案合规", "Plan compliance"),
    "actions": ("整改按期", "Corrective actions on time"),
    "facilities": ("避难场所保障", "Shelters inspected and sufficient"),
}


@dataclass(frozen=True)
class Component:
    key: str
    weight: float
    value: float | None  # 0-100, None when there is nothing to judge
    good: Decimal
    total: Decimal
    problems: Sequence[Fact] = field(
        default_factory=list
    )  # read on demand: drillplan.readiness.lazy

    def as_dict(self, *, problems: bool = True) -> dict[str, object]:
        """``problems`` False: only their number (a city's components hold millions of
        problem rows; listing them all is a drill-down, not a summary)."""
        out: dict[str, object] = {
            "component": self.key,
            "label": COMPONENT_LABELS[self.key][0],
            "weight": self.weight,
            "value": self.value,
            "good": self.good,
            "total": self.total,
            "problem_count": len(self.problems),
        }
        if problems:
            out["problems"] = [
                {"table": f.table, "row_id": f.row_id, "label": f.label, "problem": f.problem}
                for f in self.problems
            ]
        return out


@dataclass(frozen=True)
class Score:
    level: str  # district, tier, depot, team, plan
    key: str
    name: str
    score: float | None
    components: list[Component]

    def as_dict(self, *, problems: bool = True) -> dict[str, object]:
        return {
            "level": self.level,
            "key": self.key,
            "name": self.name,
            "score": self.score,
            "components": [c.as_dict(problems=problems) for c in self.components],
        }


@dataclass(frozen=True)
class Fix:
    points: float
    component: str
    table: str
    row_id: int | str
    label: str
    problem: str

    @property
    def points_text(self) -> str:
        return points_text(self.points)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = dict(self.__dict__)
        out["points"] = float(f"{self.points:.6g}")
        out["points_text"] = self.points_text
        return out


def points_text(points: float) -> str:
    """Points lost with 3 significant digits (1.49, 0.0216, 0.00180): the order of the
    fix-first list stays visible however small each item is."""
    if points <= 0:
        return "0"
    if points >= 100:
        return f"{points:.0f}"
    return f"{points:#.3g}"


@dataclass
class Readiness:
    as_of: dt.date
    weights: dict[str, float]
    district: Score
    tiers: list[Score]
    depots: list[Score]
    teams: list[Score]
    plans: list[Score]
    fixes: Sequence[Fix]  # ranked on demand: drillplan.readiness.lazy

    def as_dict(self, *, fixes: int | None = None, problems: bool = True) -> dict[str, object]:
        """Everything, or (``fixes``) only the first N of the ranked fixes and (``problems``
        False) each component's problem count without its rows: what ``drillplan readiness
        --format json`` prints unless asked for all, since a city's full lists are 585 MB of
        JSON and two minutes to write."""
        listed = self.fixes if fixes is None else self.fixes[:fixes]
        return {
            "as_of": self.as_of,
            "weights": self.weights,
            "district": self.district.as_dict(problems=problems),
            "tiers": [s.as_dict(problems=problems) for s in self.tiers],
            "depots": [s.as_dict(problems=problems) for s in self.depots],
            "teams": [s.as_dict(problems=problems) for s in self.teams],
            "plans": [s.as_dict(problems=problems) for s in self.plans],
            "fix_count": len(self.fixes),
            "fixes": [f.as_dict() for f in listed],
        }


ProblemLoader = Callable[[str], Callable[[int | None], Iterator[Fact]]]


def _components(
    facts: Iterable[Fact],
    weights: dict[str, float],
    keys: Iterable[str],
    tallies: Iterable[Tally] = (),
    problems_of: ProblemLoader | None = None,
) -> list[Component]:
    """Each component from its facts (the small ones) and its tallies (the large ones, whose
    problem rows ``problems_of(component)`` reads when they are looked at)."""
    by: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by[fact.component].append(fact)
    tallied: dict[str, list[Tally]] = defaultdict(list)
    for tally in tallies:
        tallied[tally.component].append(tally)
    out = []
    for key in keys:
        items, sums = by.get(key, []), tallied.get(key, [])
        total = sum((f.total for f in items), Decimal(0)) + sum((t.total for t in sums), Decimal(0))
        good = sum((f.good for f in items), Decimal(0)) + sum((t.good for t in sums), Decimal(0))
        value = round(float(good / total * 100), 1) if total > 0 else None
        count = sum(t.problems for t in sums)
        load = problems_of(key) if count and problems_of is not None else None
        problems = LazyList([f for f in items if f.good < f.total], count, load)
        out.append(Component(key, weights.get(key, 0.0), value, good, total, problems))
    return out


def _score(components: list[Component]) -> float | None:
    judged = [c for c in components if c.value is not None and c.weight > 0]
    weight = sum(c.weight for c in judged)
    if not judged or weight <= 0:
        return None
    return round(sum(c.weight * (c.value or 0) for c in judged) / weight, 1)


def _make(
    level: str,
    key: str,
    name: str,
    facts: Iterable[Fact],
    weights: dict[str, float],
    keys: Iterable[str] = COMPONENTS,
    tallies: Iterable[Tally] = (),
    problems_of: ProblemLoader | None = None,
) -> Score:
    comps = _components(facts, weights, keys, tallies, problems_of)
    return Score(level, key, name, _score(comps), comps)


def _fix(points: float, comp: Component, fact: Fact) -> Fix:
    return Fix(points, comp.key, fact.table, fact.row_id, fact.label, fact.problem)


def _fix_key(fix: Fix) -> tuple[float, str, str, str]:
    return (-fix.points, fix.component, fix.table, str(fix.row_id))


class _Fixes:
    """Every problem of the district ranked by the points it costs, read on demand: the first
    ``n`` come from each component's ``n`` worst rows (``worst``), the whole list (iterating)
    from every row."""

    def __init__(self, district: Score, worst: ProblemLoader | None) -> None:
        judged = [c for c in district.components if c.value is not None and c.weight > 0]
        weight_sum = sum(c.weight for c in judged)
        self.shares = [(c, c.weight / weight_sum) for c in judged]
        self.worst = worst
        self.count = sum(len(c.problems) for c in judged)

    def _ranked(self, facts_of: Callable[[Component], Iterable[Fact]]) -> list[Fix]:
        fixes = [
            _fix(share * float((fact.total - fact.good) / comp.total) * 100, comp, fact)
            for comp, share in self.shares
            for fact in facts_of(comp)
        ]
        fixes.sort(key=_fix_key)
        return fixes

    def all(self) -> Iterator[Fix]:
        yield from self._ranked(lambda comp: comp.problems)

    def first(self, limit: int | None) -> Iterator[Fix]:
        if limit is None or self.worst is None:
            yield from self.all()
            return
        margin = limit + 100  # rows ranked in floating point in SQL, exactly here

        def candidates(comp: Component) -> Iterable[Fact]:
            problems = comp.problems
            if not isinstance(problems, LazyList) or problems.lazy_count == 0:
                return problems
            return [*problems.head, *self.worst(comp.key)(margin)]  # type: ignore[misc]

        yield from self._ranked(candidates)[:limit]


def _fixes(district: Score, worst: ProblemLoader | None = None) -> LazyList[Fix]:
    ranking = _Fixes(district, worst)
    return LazyList([], ranking.count, ranking.first)


TIER_NAMES = {
    "city": "市级",
    "district": "区级",
    "street": "街镇级",
    "enterprise": "企业代储",
    "agreement": "协议储备",
}


def _weights(session: Session) -> dict[str, float]:
    return {k: float(v) for k, v in settings.get(session, "readiness_weights").items()}


def _facts(session: Session, as_of: dt.date) -> Facts:
    horizons = settings.get(session, "expiry_horizons")
    return gather_all(session, as_of=as_of, first_horizon=min(horizons))


def gather_all(session: Session, *, as_of: dt.date, first_horizon: int) -> Facts:
    """The facts of every component: the small ones row by row, the large ones tallied."""
    from drillplan.readiness.tallies import tallies

    facts = gather(session, as_of=as_of, first_horizon=first_horizon)
    facts.items.extend(facility_facts(session, as_of=as_of))  # issue 14: shelters
    facts.tallies = tallies(session, as_of=as_of, first_horizon=first_horizon)
    return facts


def _loaders(session: Session, facts: Facts, scope: Scope) -> tuple[ProblemLoader, ProblemLoader]:
    """(the problem rows of a component within ``scope`` in listing order, the same worst
    first) for :func:`_components` and :func:`_fixes`."""

    def loader(worst_first: bool, component: str) -> Callable[[int | None], Iterator[Fact]]:
        return partial(_rows, session, facts, component, scope, worst_first=worst_first)

    return partial(loader, False), partial(loader, True)


def _rows(
    session: Session,
    facts: Facts,
    component: str,
    scope: Scope,
    limit: int | None,
    *,
    worst_first: bool,
) -> Iterator[Fact]:
    from drillplan.readiness.tallies import problem_rows

    def read(reader: Session) -> Iterator[Fact]:
        return problem_rows(
            reader,
            component,
            scope,
            as_of=facts.as_of,
            first_horizon=facts.first_horizon,
            limit=limit,
            worst_first=worst_first,
        )

    if session.in_transaction():  # the caller's transaction is still open: read in it
        return read(session)
    # The caller has committed or closed its session (commit, then print): read in a short
    # session of our own, closed when the rows have been read, so that no transaction (and on
    # PostgreSQL no lock) is left open by a list looked at later.
    return _in_own_session(session, read)


def _in_own_session(session: Session, read: Callable[[Session], Iterator[Fact]]) -> Iterator[Fact]:
    with Session(bind=session.get_bind()) as reader:
        rows = read(reader)
        try:
            yield from rows
        finally:
            close = getattr(rows, "close", None)
            if close is not None:
                close()


def district_score(session: Session, *, as_of: dt.date, facts: Facts | None = None) -> Score:
    """Only the district's score and its components (what the dashboard shows)."""
    from drillplan.readiness.tallies import Scope

    facts = facts or _facts(session, as_of)
    listed, _worst = _loaders(session, facts, Scope())
    return _make(
        "district",
        "district",
        "全区",
        facts.items,
        _weights(session),
        COMPONENTS,
        facts.tallies,
        listed,
    )


def readiness(session: Session, *, as_of: dt.date, facts: Facts | None = None) -> Readiness:
    """Every score, from the same facts, with the weights in force. The problem lists and the
    fix-first list are read on demand (``len()`` is immediate): use them while ``session``
    is open."""
    from drillplan.readiness.tallies import Scope

    weights = _weights(session)
    facts = facts or _facts(session, as_of)
    items = facts.items
    # group the facts once (a scan per depot, team and plan is quadratic at city scale)
    by_tier: dict[str | None, list[Fact]] = defaultdict(list)
    by_depot: dict[int, list[Fact]] = defaultdict(list)
    by_team: dict[int, list[Fact]] = defaultdict(list)
    by_plan: dict[int, list[Fact]] = defaultdict(list)
    for fact in items:
        by_tier[fact.tier].append(fact)
        if fact.depot_id is not None:
            by_depot[fact.depot_id].append(fact)
        if fact.team_id is not None:
            by_team[fact.team_id].append(fact)
        for plan_id in fact.plan_ids:
            by_plan[plan_id].append(fact)
    t_tier: dict[str | None, list[Tally]] = defaultdict(list)
    t_depot: dict[int, list[Tally]] = defaultdict(list)
    t_team: dict[int, list[Tally]] = defaultdict(list)
    for tally in facts.tallies:
        t_tier[tally.tier].append(tally)
        if tally.depot_id is not None:
            t_depot[tally.depot_id].append(tally)
        if tally.team_id is not None:
            t_team[tally.team_id].append(tally)

    def listed(scope: Scope) -> ProblemLoader:
        return _loaders(session, facts, scope)[0]

    whole, worst = _loaders(session, facts, Scope())
    district = _make(
        "district", "district", "全区", items, weights, COMPONENTS, facts.tallies, whole
    )
    tiers = [
        _make(
            "tier",
            t,
            TIER_NAMES[t],
            by_tier[t],
            weights,
            COMPONENTS,
            t_tier[t],
            listed(Scope(tier=t)),
        )
        for t in TIER_NAMES
        if by_tier.get(t) or t_tier.get(t)
    ]
    depots = [
        _make(
            "depot",
            code,
            name,
            by_depot.get(depot_id, []),
            weights,
            ("coverage", "expiry"),
            t_depot.get(depot_id, []),
            listed(Scope(depot_id=depot_id)),
        )
        for depot_id, (code, name, _tier) in sorted(facts.depots.items(), key=lambda x: x[1][0])
    ]
    teams = [
        _make(
            "team",
            code,
            name,
            by_team.get(team_id, []),
            weights,
            ("expiry", "certificates", "headcount"),
            t_team.get(team_id, []),
            listed(Scope(team_id=team_id)),
        )
        for team_id, (code, name, _tier) in sorted(facts.teams.items(), key=lambda x: x[1][0])
    ]
    plans = [
        _make("plan", code, title, by_plan.get(plan_id, []), weights, ("plans", "actions"))
        for plan_id, (code, title, _tier) in sorted(facts.plans.items(), key=lambda x: x[1][0])
    ]
    return Readiness(as_of, weights, district, tiers, depots, teams, plans, _fixes(district, worst))
