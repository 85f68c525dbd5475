"""Single occurrences of a recurring drill: move, cancel, skip (EXDATE) and restore one.

Like the rest of :mod:`drillplan.drills.editing` (which re-exports these), each public
function is one user action on the caller's session; every change bumps
``Drill.row_version`` and writes the audit log.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Drill, DrillOccurrenceMove
from drillplan.drills import recurrence
from drillplan.drills.inputs import _datetime, _exdates
from drillplan.drills.versioning import _touch, check_version, flush_or_conflict, get_drill
from drillplan.kernel.errors import ValidationError


def _series_occurrence(drill: Drill, original_start: Any) -> dt.datetime:
    original = _datetime(original_start, "original_start")
    if drill.rrule is None:
        raise ValidationError(
            "original_start",
            "非重复演练请直接修改开始和结束时间",
            message_en="a single drill is rescheduled by editing its start and end",
        )
    if original not in recurrence.series_starts(drill.rrule, drill.starts_at):
        raise ValidationError(
            "original_start",
            f"{original:%Y-%m-%d %H:%M} 不是演练 {drill.code} 的任何一次",
            message_en=f"{original:%Y-%m-%d %H:%M} is not an occurrence of {drill.code}",
        )
    exdates = [recurrence.parse_exdate(x) for x in drill.exdates or []]
    if recurrence.is_excluded(original, exdates):
        raise ValidationError(
            "original_start",
            f"{original:%Y-%m-%d %H:%M} 已设为例外日期（不举行）",
            message_en=f"{original:%Y-%m-%d %H:%M} is an exception date",
        )
    return original


def _move_row(session: Session, drill_id: int, original: dt.datetime) -> DrillOccurrenceMove | None:
    return session.scalar(
        select(DrillOccurrenceMove).where(
            DrillOccurrenceMove.drill_id == drill_id,
            DrillOccurrenceMove.original_start == original,
        )
    )


def move_occurrence(
    session: Session,
    *,
    drill_id: int,
    original_start: dt.datetime,
    new_start: dt.datetime,
    new_end: dt.datetime | None = None,
    expected_version: int | None = None,
    user: str = "system",
) -> DrillOccurrenceMove | None:
    """Move one occurrence of a recurring drill (its length is kept unless ``new_end``).

    Moving it back to its original time removes the move (and returns None).
    """
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    original = _series_occurrence(drill, original_start)
    start = _datetime(new_start, "new_start")
    end = (
        _datetime(new_end, "new_end")
        if new_end is not None
        else start + (drill.ends_at - drill.starts_at)
    )
    if end < start:
        raise ValidationError(
            "new_end",
            f"结束时间 {end:%Y-%m-%d %H:%M} 早于开始时间 {start:%Y-%m-%d %H:%M}",
            message_en="the end is before the start",
        )
    row = _move_row(session, drill.id, original)
    before = auditlog.snapshot(row) if row is not None else None
    if start == original and end == original + (drill.ends_at - drill.starts_at):
        if row is not None:
            session.delete(row)
        row = None
    elif row is None:
        row = DrillOccurrenceMove(
            drill_id=drill.id, original_start=original, new_start=start, new_end=end
        )
        session.add(row)
    else:
        row.new_start, row.new_end = start, end
    _touch(drill)
    flush_or_conflict(session, drill)
    auditlog.record(
        session,
        user=user,
        action="drill.move_occurrence",
        table="drill_occurrence_move",
        row_id=row.id if row is not None else None,
        before=before,
        after={
            "drill_id": drill.id,
            "original_start": original,
            "new_start": start,
            "new_end": end,
        },
    )
    return row


def cancel_occurrence(
    session: Session,
    *,
    drill_id: int,
    original_start: dt.datetime,
    expected_version: int | None = None,
    user: str = "system",
) -> DrillOccurrenceMove:
    """Cancel one occurrence of a recurring drill (a move without a new time)."""
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    original = _series_occurrence(drill, original_start)
    row = _move_row(session, drill.id, original)
    before = auditlog.snapshot(row) if row is not None else None
    if row is None:
        row = DrillOccurrenceMove(drill_id=drill.id, original_start=original)
        session.add(row)
    else:
        row.new_start, row.new_end = None, None
    _touch(drill)
    flush_or_conflict(session, drill)
    auditlog.record(session, user=user, action="drill.cancel_occurrence", row=row, before=before)
    return row


def add_exdate(
    session: Session,
    *,
    drill_id: int,
    when: dt.datetime | dt.date,
    expected_version: int | None = None,
    user: str = "system",
) -> Drill:
    """Add an EXDATE: the occurrence starting at ``when`` (or every one on that day) is skipped."""
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    texts = _exdates([*(drill.exdates or []), when], drill.rrule, drill.starts_at)
    before = {"exdates": list(drill.exdates or [])}
    drill.exdates = texts
    flush_or_conflict(session, drill)
    auditlog.record(
        session,
        user=user,
        action="drill.exdate",
        row=drill,
        before=before,
        after={"exdates": texts},
    )
    return drill


def restore_occurrence(
    session: Session,
    *,
    drill_id: int,
    original_start: dt.datetime,
    expected_version: int | None = None,
    user: str = "system",
) -> Drill:
    """Undo a move, a cancellation or an EXDATE of one occurrence."""
    drill = get_drill(session, drill_id)
    check_version(drill, expected_version)
    original = _datetime(original_start, "original_start")
    if original not in recurrence.series_starts(drill.rrule, drill.starts_at):
        raise ValidationError(
            "original_start",
            f"{original:%Y-%m-%d %H:%M} 不是演练 {drill.code} 的任何一次",
            message_en=f"{original:%Y-%m-%d %H:%M} is not an occurrence of {drill.code}",
        )
    row = _move_row(session, drill.id, original)
    before = {
        "exdates": list(drill.exdates or []),
        "move": auditlog.snapshot(row) if row is not None else None,
    }
    if row is not None:
        session.delete(row)
    drill.exdates = [
        x
        for x in drill.exdates or []
        if not recurrence.is_excluded(original, [recurrence.parse_exdate(x)])
    ]
    _touch(drill)
    flush_or_conflict(session, drill)
    auditlog.record(
        session,
        user=user,
        action="drill.restore_occurrence",
        row=drill,
        before=before,
        after={"exdates": drill.exdates, "original_start": original},
    )
    return drill
