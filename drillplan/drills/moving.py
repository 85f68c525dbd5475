"""Moving a drill (or one occurrence of a recurring drill) to another day, conflicts checked.

This is what dragging a drill on the month calendar does: the time of day and the length
are kept; a single drill gets a new start and end (``update_drill``), an occurrence of a
series is moved on its own (``move_occurrence``). :func:`preview_move` makes the move in a
savepoint, lists the conflicts it would bring, and rolls it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from drillplan.drills import editing
from drillplan.drills.conflicts import ConflictItem, find_conflicts
from drillplan.drills.foresee import conflict_key
from drillplan.drills.recurrence import occurrences
from drillplan.kernel.errors import ValidationError


@dataclass(frozen=True)
class MoveResult:
    drill_id: int
    code: str
    title: str
    new_start: dt.datetime
    new_end: dt.datetime
    conflicts: list[ConflictItem] = field(default_factory=list)  # involving the drill after
    new_conflicts: list[ConflictItem] = field(default_factory=list)  # not there before


def _involving(session: Session, drill_id: int, year: int) -> list[ConflictItem]:
    return [c for c in find_conflicts(session, year=year) if drill_id in c.drill_ids]


def move_to_day(
    session: Session,
    *,
    drill_id: int,
    original_start: dt.datetime,
    day: dt.date,
    expected_version: int | None = None,
    user: str = "system",
) -> MoveResult:
    """Move the occurrence that the series put at ``original_start`` to ``day``."""
    drill = editing.get_drill(session, drill_id)
    editing.check_version(drill, expected_version)
    if drill.rrule is None:
        if original_start != drill.starts_at:
            raise ValidationError(
                "original_start", "演练时间已变更，请刷新后重试", message_en="stale start time"
            )
        start, end = drill.starts_at, drill.ends_at
    else:
        window = (
            original_start - dt.timedelta(days=3660),
            original_start + dt.timedelta(days=3660),
        )
        found = [o for o in occurrences(drill, *window) if o.original_start == original_start]
        if not found:
            raise ValidationError(
                "original_start",
                f"{original_start:%Y-%m-%d %H:%M} 不是演练 {drill.code} 的任何一次",
                message_en="not an occurrence of the drill",
            )
        start, end = found[0].start, found[0].end
    new_start = dt.datetime.combine(day, start.time())
    new_end = new_start + (end - start)
    years = sorted({start.year, new_start.year})
    before = {conflict_key(c) for y in years for c in _involving(session, drill.id, y)}
    if drill.rrule is None:
        editing.update_drill(
            session,
            drill_id=drill.id,
            expected_version=expected_version,
            changes={"starts_at": new_start, "ends_at": new_end},
            user=user,
        )
    else:
        editing.move_occurrence(
            session,
            drill_id=drill.id,
            original_start=original_start,
            new_start=new_start,
            new_end=new_end,
            expected_version=expected_version,
            user=user,
        )
    after = _involving(session, drill.id, new_start.year)
    return MoveResult(
        drill_id=drill.id,
        code=drill.code,
        title=drill.title,
        new_start=new_start,
        new_end=new_end,
        conflicts=after,
        new_conflicts=[c for c in after if conflict_key(c) not in before],
    )


def preview_move(
    session: Session,
    *,
    drill_id: int,
    original_start: dt.datetime,
    day: dt.date,
    expected_version: int | None = None,
) -> MoveResult:
    """What :func:`move_to_day` would do and which conflicts it would bring; changes nothing."""
    savepoint = session.begin_nested()
    try:
        return move_to_day(
            session,
            drill_id=drill_id,
            original_start=original_start,
            day=day,
            expected_version=expected_version,
        )
    finally:
        savepoint.rollback()
        session.expire_all()
