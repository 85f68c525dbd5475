"""What the page, the command line and the report read about training events: the events of
a year (filtered by kind and street-town), one event's values for its form, the yearly
totals by street-town and kind, and the public education days the office plans around."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.db.models import TrainingEvent, Unit
from drillplan.kernel.vocab import TrainingKind, UnitKind, label
from drillplan.listing.records import row_values
from drillplan.trainings.events import EVENT_FIELDS, year_bounds

__all__ = [
    "NO_STREET",
    "PublicDay",
    "Totals",
    "event_record",
    "events_of_year",
    "public_education_days",
    "street_choices",
    "totals",
]

NO_STREET = "（区级/未指定街镇）"
NO_STREET_EN = "(district / no street-town)"


def events_of_year(
    session: Session,
    year: int | None,
    *,
    kind: TrainingKind | None = None,
    street_id: int | None = None,
) -> list[TrainingEvent]:
    """The events starting in ``year`` (None: every year), by start then code."""
    stmt = select(TrainingEvent).options(
        selectinload(TrainingEvent.plans),
        selectinload(TrainingEvent.teams),
        selectinload(TrainingEvent.street_unit),
        selectinload(TrainingEvent.organiser_unit),
    )
    if year is not None:
        start, end = year_bounds(year)
        stmt = stmt.where(TrainingEvent.starts_at >= start, TrainingEvent.starts_at < end)
    if kind is not None:
        stmt = stmt.where(TrainingEvent.kind == kind)
    if street_id is not None:
        stmt = stmt.where(TrainingEvent.street_unit_id == street_id)
    return list(session.scalars(stmt.order_by(TrainingEvent.starts_at, TrainingEvent.code)))


def event_record(session: Session, event_id: int) -> dict[str, Any]:
    """The event's stored values (for its form), with ``plan_ids`` and ``team_ids``."""
    out = row_values(session, TrainingEvent, event_id, EVENT_FIELDS)
    event = session.get_one(TrainingEvent, event_id)
    out["plan_ids"] = [p.id for p in event.plans]
    out["team_ids"] = [t.id for t in event.teams]
    return out


def street_choices(session: Session) -> list[tuple[int, str]]:
    """The streets and towns (街道/镇) by code: (id, name)."""
    rows = session.execute(
        select(Unit.id, Unit.name).where(Unit.kind == UnitKind.STREET_TOWN).order_by(Unit.code)
    )
    return [(r.id, r.name) for r in rows]


@dataclass(frozen=True)
class Totals:
    """Events and headcount of a year by street-town x kind (``cells[(street, kind)]``)."""

    year: int
    streets: list[str]  # row labels, street-towns by code, then the district row if any
    kinds: list[TrainingKind]  # every kind, in vocabulary order
    cells: dict[tuple[str, TrainingKind], tuple[int, int]]  # (events, headcount)

    def row(self, street: str) -> tuple[int, int]:
        pairs = [self.cells.get((street, k), (0, 0)) for k in self.kinds]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    def column(self, kind: TrainingKind) -> tuple[int, int]:
        pairs = [self.cells.get((s, kind), (0, 0)) for s in self.streets]
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    @property
    def total(self) -> tuple[int, int]:
        pairs = list(self.cells.values())
        return sum(p[0] for p in pairs), sum(p[1] for p in pairs)

    def records(self, lang: str = "zh") -> list[dict[str, Any]]:
        """One record per street-town x kind that has events (the JSON/CSV of ``totals``)."""
        out = []
        for street in self.streets:
            for kind in self.kinds:
                events, heads = self.cells.get((street, kind), (0, 0))
                if events:
                    out.append(
                        {
                            "year": self.year,
                            "street": street,
                            "kind": kind.value,
                            "kind_label": label(kind, lang),
                            "events": events,
                            "headcount": heads,
                        }
                    )
        return out


def totals(session: Session, year: int, *, lang: str = "zh") -> Totals:
    """Events and headcount of ``year`` by street-town and kind; an event without a
    street-town counts on the district row."""
    start, end = year_bounds(year)
    rows = session.execute(
        select(Unit.code, Unit.name, TrainingEvent.kind, TrainingEvent.headcount)
        .select_from(TrainingEvent)
        .outerjoin(Unit, TrainingEvent.street_unit_id == Unit.id)
        .where(TrainingEvent.starts_at >= start, TrainingEvent.starts_at < end)
    ).all()
    none = NO_STREET if lang == "zh" else NO_STREET_EN
    cells: dict[tuple[str, TrainingKind], list[int]] = defaultdict(lambda: [0, 0])
    codes: dict[str, str] = {}
    for code, name, kind, heads in rows:
        street = name if name is not None else none
        codes[street] = code if code is not None else "\uffff"
        cell = cells[(street, TrainingKind(kind))]
        cell[0] += 1
        cell[1] += heads or 0
    streets = sorted(codes, key=lambda s: (codes[s], s))
    return Totals(
        year=year,
        streets=streets,
        kinds=list(TrainingKind),
        cells={k: (v[0], v[1]) for k, v in cells.items()},
    )


# --- public education days (DOMAIN.md) -----------------------------------------------------


@dataclass(frozen=True)
class PublicDay:
    on: dt.date
    zh: str
    en: str

    def name(self, lang: str = "zh") -> str:
        return self.zh if lang == "zh" else self.en


def public_education_days(year: int) -> list[PublicDay]:
    """防灾减灾日 12 May, 安全生产月 (from 1 June), 国际减灾日 (2nd Wednesday of October),
    全国消防日 9 November: the dates the form offers as suggestions."""
    october = dt.date(year, 10, 1)
    first_wed = october + dt.timedelta(days=(2 - october.weekday()) % 7)
    return [
        PublicDay(dt.date(year, 5, 12), "全国防灾减灾日", "Disaster Prevention and Reduction Day"),
        PublicDay(dt.date(year, 6, 1), "安全生产月", "Work Safety Month"),
        PublicDay(
            first_wed + dt.timedelta(days=7), "国际减灾日", "Intl. Day for Disaster Reduction"
        ),
        PublicDay(dt.date(year, 11, 9), "全国消防日", "National Fire Safety Day"),
    ]
