"""Loading a drill and guarding its ``row_version`` (optimistic locking).

``expected_version`` is the ``row_version`` the caller saw: :func:`check_version` refuses a
drill changed since, :func:`flush_or_conflict` turns a concurrent change detected on flush
into ``EditConflict``, and ``_touch`` makes a change to a drill's children bump the drill's own
version (the iCalendar SEQUENCE). Re-exported by :mod:`drillplan.drills.editing`.
"""

from __future__ import annotations

from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from drillplan.db.models import Drill
from drillplan.kernel import records
from drillplan.kernel.errors import NotFound


def get_drill(session: Session, drill_id: int) -> Drill:
    drill = session.get(Drill, drill_id)
    if drill is None:
        raise NotFound(f"演练 {drill_id} 不存在 (no drill {drill_id})")
    return drill


def check_version(drill: Drill, expected_version: int | None) -> None:
    records.check_version(drill, expected_version, f"演练 {drill.code} ")


def flush_or_conflict(session: Session, drill: Drill) -> None:
    records.flush(session, f"演练 {drill.code} ")


def _touch(drill: Drill) -> None:
    """Make the drill row itself UPDATE (bumping row_version) when only its children changed."""
    flag_modified(drill, "exdates")
