"""The drill schedule as an iCalendar file (RFC 5545, the ``icalendar`` package).

One VEVENT per occurrence, so any calendar program shows each drill on its own day. UIDs are
stable, so importing a newer export into Outlook updates the events instead of duplicating
them:

* an occurrence of a recurring drill: ``drill-{id}-{original start:%Y%m%dT%H%M%S}@drillplan``;
  the *original* start (where the rule puts it), so a moved occurrence keeps its UID;
* a single (non-recurring) drill: ``drill-{id}@drillplan``, so rescheduling it by editing its
  start keeps the UID too.

SEQUENCE is the drill's ``row_version``, which every edit (including moves and exceptions)
raises, so calendars take the newer version. Cancelled drills, cancelled occurrences and
EXDATEs are exported with STATUS:CANCELLED, which removes them from calendars that imported
them earlier. Times carry TZID Asia/Shanghai with its VTIMEZONE. The file is written whole
or not at all (:mod:`drillplan.kernel.atomic`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.db.models import Drill, DrillParticipant
from drillplan.drills.recurrence import TZ, Occurrence, occurrences_in_year
from drillplan.kernel.atomic import atomic_write
from drillplan.kernel.vocab import DrillStatus, label

if TYPE_CHECKING:
    from icalendar import Calendar, Event

PRODID = "-//drillplan//青浦区应急演练计划//ZH"
DEFAULT_NAME = "青浦区应急演练计划"
_STATUS = {
    DrillStatus.PLANNED: "TENTATIVE",
    DrillStatus.PREPARING: "CONFIRMED",
    DrillStatus.CONDUCTED: "CONFIRMED",
    DrillStatus.EVALUATED: "CONFIRMED",
    DrillStatus.CANCELLED: "CANCELLED",
}


@dataclass(frozen=True)
class IcsExport:
    path: Path
    events: int
    cancelled: int


def occurrence_uid(drill: Drill, occ: Occurrence) -> str:
    if not drill.rrule:
        return f"drill-{drill.id}@drillplan"
    return f"drill-{drill.id}-{occ.original_start:%Y%m%dT%H%M%S}@drillplan"


def _description(drill: Drill) -> str:
    form = f"{label(drill.form)} / {label(drill.scope)}"
    if drill.hseep_type:
        form += f"（{label(drill.hseep_type)}）"
    lines = [f"演练编号：{drill.code}", f"演练形式：{form}"]
    if drill.plans:
        lines.append("预案：" + "；".join(f"{p.code}《{p.title}》" for p in drill.plans))
    lines.append(f"组织单位：{drill.organiser.name}")
    parts = []
    for p in drill.participants:
        who = p.team.name if p.team is not None else (p.unit.name if p.unit else "")
        parts.append(f"{who}（{p.role}）")
    if parts:
        lines.append("参演：" + "、".join(parts))
    if drill.scenario:
        lines.append(f"场景：{drill.scenario}")
    lines.append(f"状态：{label(drill.status)}")
    return "\n".join(lines)


def _local(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=TZ)


def build_calendar(
    session: Session,
    *,
    year: int,
    calendar_name: str = DEFAULT_NAME,
    stamp: dt.datetime | None = None,
) -> Calendar:
    """The calendar of ``year``'s occurrences (cancelled ones as STATUS:CANCELLED).

    ``stamp`` is the DTSTAMP of every event (default: now, UTC).
    """
    from icalendar import Calendar, Event  # imported when a calendar is written, not at start-up

    stamp = (stamp or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    occs = occurrences_in_year(session, year, include_cancelled=True)
    ids = sorted({o.drill_id for o in occs})
    drills = {
        d.id: d
        for d in session.scalars(
            select(Drill)
            .where(Drill.id.in_(ids))
            .options(
                selectinload(Drill.participants).selectinload(DrillParticipant.team),
                selectinload(Drill.participants).selectinload(DrillParticipant.unit),
                selectinload(Drill.plans),
                selectinload(Drill.organiser),
            )
        )
    }
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    events: list[tuple[dt.datetime, str, Event]] = []
    for occ in occs:
        drill = drills[occ.drill_id]
        uid = occurrence_uid(drill, occ)
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", _local(occ.start))
        event.add("dtend", _local(occ.end))
        event.add("summary", f"{drill.title}（{drill.code}）")
        if drill.venue:
            event.add("location", drill.venue)
        event.add("description", _description(drill))
        event.add("categories", ["应急演练", label(drill.form)])
        event.add("status", "CANCELLED" if occ.cancelled else _STATUS[drill.status])
        event.add("sequence", drill.row_version)
        events.append((occ.start, uid, event))
    for _, _, event in sorted(events, key=lambda e: (e[0], e[1])):
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal


def export_ics(
    session: Session,
    *,
    year: int,
    path: str | Path,
    calendar_name: str = DEFAULT_NAME,
    stamp: dt.datetime | None = None,
) -> IcsExport:
    """Write ``year``'s schedule to ``path`` (see :func:`build_calendar`)."""
    cal = build_calendar(session, year=year, calendar_name=calendar_name, stamp=stamp)
    target = Path(path)
    data = cal.to_ical()
    with atomic_write(target, "wb") as fh:
        fh.write(data)
    events = cal.walk("VEVENT")
    cancelled = sum(1 for e in events if str(e.get("status")) == "CANCELLED")
    return IcsExport(target, len(events), cancelled)
