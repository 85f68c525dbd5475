"""The iCalendar export parsed back with a real parser: events, stable UIDs, moves, statuses."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import Drill
from drillplan.drills import editing, ics
from tests import factories as f

D = dt.datetime
SH = ZoneInfo("Asia/Shanghai")


def _scenario(session: Session) -> dict[str, Drill]:
    unit = f.unit(session, name="区应急管理局")
    team = f.team(session, unit, name="区综合救援队")
    weekly = editing.create_drill(
        session,
        code="DR-W",
        title="周一值守演练",
        form="tabletop",
        scope="single",
        organiser_unit_id=unit.id,
        starts_at=D(2025, 3, 3, 9),
        ends_at=D(2025, 3, 3, 11),
        rrule="FREQ=WEEKLY;COUNT=5",  # 3, 10, 17, 24, 31 March
        venue="区应急指挥中心",
        participants=[{"team_id": team.id, "role": "参演"}],
    )
    single = editing.create_drill(
        session,
        code="DR-S",
        title="防汛抢险实战演练",
        form="live",
        scope="comprehensive",
        organiser_unit_id=unit.id,
        starts_at=D(2025, 5, 20, 9),
        ends_at=D(2025, 5, 20, 11, 30),
        venue="淀山湖",
        scenario="台风“梅花”过境，圩堤管涌",
    )
    editing.transition_status(session, drill_id=single.id, to="preparing")
    gone = editing.create_drill(
        session,
        code="DR-C",
        title="已取消的演练",
        form="tabletop",
        scope="single",
        organiser_unit_id=unit.id,
        starts_at=D(2025, 6, 3, 9),
        ends_at=D(2025, 6, 3, 10),
    )
    editing.transition_status(session, drill_id=gone.id, to="cancelled")
    f.drill(session, unit, code="DR-2024", starts_at=D(2024, 5, 20, 9), ends_at=D(2024, 5, 20, 10))
    return {"weekly": weekly, "single": single, "gone": gone}


def _export(session: Session, tmp_path: Path, name: str = "a.ics") -> Calendar:
    path = tmp_path / name
    result = ics.export_ics(session, year=2025, path=path)
    cal = Calendar.from_ical(path.read_bytes())
    assert result.events == len(cal.walk("VEVENT"))
    return cal


def _events(cal: Calendar) -> dict[str, dict[str, object]]:
    out = {}
    for ev in cal.walk("VEVENT"):
        out[str(ev["UID"])] = {
            "start": ev.decoded("DTSTART"),
            "end": ev.decoded("DTEND"),
            "status": str(ev["STATUS"]),
            "sequence": int(ev["SEQUENCE"]),
            "summary": str(ev["SUMMARY"]),
            "location": str(ev.get("LOCATION", "")),
            "description": str(ev.get("DESCRIPTION", "")),
        }
    return out


def test_export_parses_back_with_one_event_per_occurrence(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        drills = _scenario(session)
        cal = _export(session, tmp_path)
        assert str(cal["VERSION"]) == "2.0"
        assert str(cal["PRODID"]).startswith("-//drillplan//")
        assert str(cal["X-WR-CALNAME"]) == "青浦区应急演练计划"
        assert str(cal["X-WR-TIMEZONE"]) == "Asia/Shanghai"
        assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Asia/Shanghai"]
        events = _events(cal)
        w, s, c = drills["weekly"].id, drills["single"].id, drills["gone"].id
        assert sorted(events) == sorted(
            [
                *(f"drill-{w}-202503{d:02d}T090000@drillplan" for d in (3, 10, 17, 24, 31)),
                f"drill-{s}@drillplan",
                f"drill-{c}@drillplan",
            ]
        )
        first = events[f"drill-{w}-20250303T090000@drillplan"]
        assert first["start"] == D(2025, 3, 3, 9, tzinfo=SH)
        assert first["end"] == D(2025, 3, 3, 11, tzinfo=SH)
        assert first["status"] == "TENTATIVE"
        assert first["location"] == "区应急指挥中心"
        assert "区综合救援队（参演）" in str(first["description"])
        live = events[f"drill-{s}@drillplan"]
        assert live["status"] == "CONFIRMED"
        assert "实战演练" in str(live["description"]) and "圩堤管涌" in str(live["description"])
        assert events[f"drill-{c}@drillplan"]["status"] == "CANCELLED"


def test_uids_are_stable_and_a_moved_occurrence_keeps_its_uid(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        drills = _scenario(session)
        before = _events(_export(session, tmp_path, "before.ics"))
        again = _events(_export(session, tmp_path, "again.ics"))
        assert sorted(before) == sorted(again)
        weekly = drills["weekly"]
        editing.move_occurrence(
            session,
            drill_id=weekly.id,
            original_start=D(2025, 3, 17, 9),
            new_start=D(2025, 3, 19, 14),
        )
        editing.add_exdate(session, drill_id=weekly.id, when=D(2025, 3, 24, 9))
        editing.cancel_occurrence(session, drill_id=weekly.id, original_start=D(2025, 3, 31, 9))
        single = drills["single"]
        editing.update_drill(
            session,
            drill_id=single.id,
            expected_version=single.row_version,
            changes={"starts_at": D(2025, 5, 21, 9), "ends_at": D(2025, 5, 21, 11, 30)},
        )
        after = _events(_export(session, tmp_path, "after.ics"))
        assert sorted(after) == sorted(before)  # same events, updated in place
        moved = after[f"drill-{weekly.id}-20250317T090000@drillplan"]
        assert moved["start"] == D(2025, 3, 19, 14, tzinfo=SH)
        assert moved["end"] == D(2025, 3, 19, 16, tzinfo=SH)
        assert (
            moved["sequence"] > before[f"drill-{weekly.id}-20250317T090000@drillplan"]["sequence"]
        )
        for day in (24, 31):
            assert after[f"drill-{weekly.id}-202503{day}T090000@drillplan"]["status"] == "CANCELLED"
        rescheduled = after[f"drill-{single.id}@drillplan"]
        assert rescheduled["start"] == D(2025, 5, 21, 9, tzinfo=SH)


def test_an_empty_year_is_a_valid_calendar(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        _scenario(session)
        path = tmp_path / "empty.ics"
        result = ics.export_ics(session, year=2030, path=path, calendar_name="测试")
        cal = Calendar.from_ical(path.read_bytes())
        assert result.events == 0 and cal.walk("VEVENT") == []
        assert str(cal["X-WR-CALNAME"]) == "测试"
