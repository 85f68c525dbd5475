"""Rotation suggestions: lots to rotate this month and next (FEFO), and the scheduled drills
of teams that use the material, where near-expiry stock could be used up instead of wasted.

A recurring drill contributes every occurrence in the window (its EXDATEs and moves applied,
by :func:`drillplan.drills.recurrence.occurrences_between`), including a series that
started before the as-of date."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Drill, DrillParticipant, Holder, Lot, Team
from drillplan.drills.recurrence import occurrences_between
from drillplan.kernel.vocab import DrillStatus
from drillplan.stock.expiry import lot_expiry


@dataclass(frozen=True)
class DrillUse:
    drill_id: int
    drill_code: str
    drill_title: str
    starts_on: dt.date
    team_code: str
    team_name: str


@dataclass(frozen=True)
class RotationSuggestion:
    lot_id: int
    batch_no: str
    material_code: str
    material_name: str
    holder_code: str
    holder_name: str
    quantity: Decimal
    uom: str
    expiry_date: dt.date
    days_left: int
    month: str  # "this" or "next": the month the lot must be rotated in
    drills: list[DrillUse] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        d = dict(self.__dict__)
        d["drills"] = [dict(u.__dict__) for u in self.drills]
        return d


def rotation_suggestions(session: Session, *, as_of: dt.date) -> list[RotationSuggestion]:
    """Unexpired lots expiring by the end of next month, earliest first, with drill uses."""
    end_this = (as_of.replace(day=1) + relativedelta(months=1)) - dt.timedelta(days=1)
    end_next = (as_of.replace(day=1) + relativedelta(months=2)) - dt.timedelta(days=1)
    horizon = (end_next - as_of).days
    lots = [
        x for x in lot_expiry(session, as_of=as_of, horizons=(horizon,)) if x.status != "expired"
    ]
    if not lots:
        return []
    material_ids = dict(
        session.execute(select(Lot.id, Lot.material_id).where(Lot.id.in_([x.lot_id for x in lots])))
        .tuples()
        .all()
    )
    # teams that use a material: they hold (or held) a lot of it
    users: dict[int, set[int]] = defaultdict(set)
    for material_id, team_id in session.execute(
        select(Lot.material_id, Holder.team_id)
        .join(Holder, Holder.id == Lot.holder_id)
        .where(Holder.team_id.is_not(None), Lot.material_id.in_(set(material_ids.values())))
        .distinct()
    ):
        users[material_id].add(team_id)
    window_start = dt.datetime.combine(as_of, dt.time())
    window_end = dt.datetime.combine(end_next + dt.timedelta(days=1), dt.time())
    occs = [o for o in occurrences_between(session, window_start, window_end) if not o.cancelled]
    drill_ids = sorted({o.drill_id for o in occs})
    drills: dict[int, tuple[str, str]] = {}
    teams_of: dict[int, list[tuple[int, str, str]]] = defaultdict(list)
    if drill_ids:
        for d_id, d_code, d_title, t_id, t_code, t_name in session.execute(
            select(Drill.id, Drill.code, Drill.title, Team.id, Team.code, Team.name)
            .join(DrillParticipant, DrillParticipant.drill_id == Drill.id)
            .join(Team, Team.id == DrillParticipant.team_id)
            .where(
                Drill.id.in_(drill_ids),
                Drill.status.in_([DrillStatus.PLANNED, DrillStatus.PREPARING]),
            )
            .order_by(Drill.id, Team.code)
        ):
            drills[d_id] = (d_code, d_title)
            teams_of[d_id].append((t_id, t_code, t_name))
    # one row per occurrence and participating team, by date, drill code, team code
    upcoming = sorted(
        (
            (
                o.start,
                drills[o.drill_id][0],
                t_code,
                o.drill_id,
                drills[o.drill_id][1],
                t_id,
                t_name,
            )
            for o in occs
            if o.drill_id in drills
            for t_id, t_code, t_name in teams_of[o.drill_id]
        ),
        key=lambda r: (r[0], r[1], r[2]),
    )
    out = []
    for x in lots:
        material_id = material_ids[x.lot_id]
        uses = [
            DrillUse(d_id, d_code, d_title, starts.date(), t_code, t_name)
            for starts, d_code, t_code, d_id, d_title, t_id, t_name in upcoming
            if t_id in users.get(material_id, set()) and starts.date() <= x.expiry_date
        ]
        out.append(
            RotationSuggestion(
                lot_id=x.lot_id,
                batch_no=x.batch_no,
                material_code=x.material_code,
                material_name=x.material_name,
                holder_code=x.holder_code,
                holder_name=x.holder_name,
                quantity=x.quantity,
                uom=x.uom,
                expiry_date=x.expiry_date,
                days_left=x.days_left,
                month="this" if x.expiry_date <= end_this else "next",
                drills=uses,
            )
        )
    return out
