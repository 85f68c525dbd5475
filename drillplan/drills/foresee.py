"""The conflicts a drill would have if it were saved: asked before a save, not after.

The desktop asks before it saves a drill (new or edited), moves one on the calendar, or writes
the drills of the schedule generator: :func:`conflicts_if_saved` runs the very write the save
would run inside a savepoint, lists the conflicts (:mod:`drillplan.drills.conflicts`: team or
venue double-booked, weekend or public holiday, certificates missing or expired, a plan
overdue before its drill) that involve the drills written and that they do not have now, and
rolls everything back. A ``ValidationError`` of the write is raised as the save would raise it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Drill
from drillplan.drills.conflicts import ConflictItem, find_conflicts

__all__ = ["Foreseen", "conflict_key", "conflicts_if_saved"]

Written = Drill | Sequence[Drill] | None


@dataclass(frozen=True)
class Foreseen:
    """What saving would bring: the drills' conflicts after the save and the new ones."""

    drill_ids: tuple[int, ...]
    conflicts: list[ConflictItem] = field(default_factory=list)
    new_conflicts: list[ConflictItem] = field(default_factory=list)


def conflict_key(item: ConflictItem) -> tuple[object, ...]:
    """What makes a conflict the same one before and after a change."""
    return (item.kind, item.date, item.drill_ids, item.subject)


def _years(session: Session, drill_ids: Iterable[int]) -> set[int]:
    ids = list(drill_ids)
    if not ids:
        return set()
    rows = session.execute(select(Drill.starts_at, Drill.ends_at).where(Drill.id.in_(ids)))
    return {moment.year for start, end in rows for moment in (start, end)}


def _involving(session: Session, drill_ids: set[int], years: set[int]) -> list[ConflictItem]:
    found: dict[tuple[object, ...], ConflictItem] = {}
    for year in sorted(years):
        for item in find_conflicts(session, year=year):
            if drill_ids & set(item.drill_ids):
                found.setdefault(conflict_key(item), item)
    return sorted(found.values(), key=lambda c: (c.date, c.kind, c.drill_codes, c.subject))


def _ids(written: Written) -> set[int]:
    if written is None:
        return set()
    drills = [written] if isinstance(written, Drill) else list(written)
    return {d.id for d in drills}


def conflicts_if_saved(
    session: Session, save: Callable[[], Written], *, drill_ids: Sequence[int] = ()
) -> Foreseen:
    """The conflicts the drills that ``save()`` writes would have; nothing is saved.

    ``drill_ids`` are the drills ``save()`` edits (none for a new drill): their conflicts now
    are not "new". ``save()`` returns the drill (or drills) written."""
    before_ids = set(drill_ids)
    before_years = _years(session, before_ids)
    before = {conflict_key(c) for c in _involving(session, before_ids, before_years)}
    savepoint = session.begin_nested()
    try:
        written = save()
        session.flush()
        ids = _ids(written) | before_ids
        after = _involving(session, ids, before_years | _years(session, ids))
    finally:
        savepoint.rollback()
        session.expire_all()
    return Foreseen(
        drill_ids=tuple(sorted(ids)),
        conflicts=after,
        new_conflicts=[c for c in after if conflict_key(c) not in before],
    )
