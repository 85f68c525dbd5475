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
- actions:      corrective actions not overdue.

"What to fix first" ranks each problem fact by the district points it costs, which is what
the district score would gain if that one row were put right:
``component weight share x (total - good) / component total x 100``. Points are kept
unrounded for the ranking and shown with 3 significant digits (:func:`points_text`), so
items stay distinct at city scale where each costs a few thousandths of a point.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.readiness.facts import Fact, Facts, gather

COMPONENTS = ("coverage", "expiry", "certificates", "headcount", "plans", "actions")
COMPONENT_LABELS = {
    "coverage": ("储备定额保障率", "Quota coverage"),
    "expiry": ("物资有效期", "Stock within shelf life"),
    "certificates": ("证书与协议有效", "Certificates and agreements current"),
    "headcount": ("人员在岗率", "Headcount"),
    "plans": ("预案合规", "Plan compliance"),
    "actions": ("整改按期", "Corrective actions on time"),
}


@dataclass(frozen=True)
class Component:
    key: str
    weight: float
    value: float | None  # 0-100, None when there is nothing to judge
    good: Decimal
    total: Decimal
    problems: list[Fact] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "component": self.key,
            "label": COMPONENT_LABELS[self.key][0],
            "weight": self.weight,
            "value": self.value,
            "good": self.good,
            "total": self.total,
            "problems": [
                {"table": f.table, "row_id": f.row_id, "label": f.label, "problem": f.problem}
                for f in self.problems
            ],
        }


@dataclass(frozen=True)
class Score:
    level: str  # district, tier, depot, team, plan
    key: str
    name: str
    score: float | None
    components: list[Component]

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "key": self.key,
            "name": self.name,
            "score": self.score,
            "components": [c.as_dict() for c in self.components],
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
    fixes: list[Fix]

    def as_dict(self) -> dict[str, object]:
        return {
            "as_of": self.as_of,
            "weights": self.weights,
            "district": self.district.as_dict(),
            "tiers": [s.as_dict() for s in self.tiers],
            "depots": [s.as_dict() for s in self.depots],
            "teams": [s.as_dict() for s in self.teams],
            "plans": [s.as_dict() for s in self.plans],
            "fixes": [f.as_dict() for f in self.fixes],
        }


def _components(
    facts: Iterable[Fact], weights: dict[str, float], keys: Iterable[str]
) -> list[Component]:
    by: dict[str, list[Fact]] = defaultdict(list)
    for fact in facts:
        by[fact.component].append(fact)
    out = []
    for key in keys:
        items = by.get(key, [])
        total = sum((f.total for f in items), Decimal(0))
        good = sum((f.good for f in items), Decimal(0))
        value = round(float(good / total * 100), 1) if total > 0 else None
        problems = [f for f in items if f.good < f.total]
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
) -> Score:
    comps = _components(facts, weights, keys)
    return Score(level, key, name, _score(comps), comps)


def _fixes(district: Score) -> list[Fix]:
    judged = [c for c in district.components if c.value is not None and c.weight > 0]
    weight_sum = sum(c.weight for c in judged)
    fixes = []
    for comp in judged:
        share = comp.weight / weight_sum
        for fact in comp.problems:
            points = share * float((fact.total - fact.good) / comp.total) * 100
            fixes.append(Fix(points, comp.key, fact.table, fact.row_id, fact.label, fact.problem))
    fixes.sort(key=lambda f: (-f.points, f.component, f.table, str(f.row_id)))
    return fixes


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
    return gather(session, as_of=as_of, first_horizon=min(horizons))


def district_score(session: Session, *, as_of: dt.date, facts: Facts | None = None) -> Score:
    """Only the district's score and its components (what the dashboard shows)."""
    facts = facts or _facts(session, as_of)
    return _make("district", "district", "全区", facts.items, _weights(session))


def readiness(session: Session, *, as_of: dt.date, facts: Facts | None = None) -> Readiness:
    """Every score, from the same facts, with the weights in force."""
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

    district = _make("district", "district", "全区", items, weights)
    tiers = [
        _make("tier", t, TIER_NAMES[t], by_tier[t], weights) for t in TIER_NAMES if by_tier.get(t)
    ]
    depots = [
        _make("depot", code, name, by_depot.get(depot_id, []), weights, ("coverage", "expiry"))
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
        )
        for team_id, (code, name, _tier) in sorted(facts.teams.items(), key=lambda x: x[1][0])
    ]
    plans = [
        _make("plan", code, title, by_plan.get(plan_id, []), weights, ("plans", "actions"))
        for plan_id, (code, title, _tier) in sorted(facts.plans.items(), key=lambda x: x[1][0])
    ]
    return Readiness(as_of, weights, district, tiers, depots, teams, plans, _fixes(district))
