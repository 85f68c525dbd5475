"""RRULE expansion with EXDATEs, moved and cancelled occurrences (dates checked by hand)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import Drill, Unit
from drillplan.drills import editing, recurrence
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DrillStatus
from tests import factories as f

D = dt.datetime


def _weekly(session: Session, unit: Unit, **kw: object) -> Drill:
    """Mondays 09:00-11:00 from 3 March 2025, six times: 3, 10, 17, 24, 31 March, 7 April."""
    return editing.create_drill(
        session,
        title="周一防汛值守演练",
        form="live",
        scope="single",
        organiser_unit_id=unit.id,
        starts_at=D(2025, 3, 3, 9),
        ends_at=D(2025, 3, 3, 11),
        rrule=str(kw.pop("rrule", "FREQ=WEEKLY;COUNT=6")),
        **kw,  # type: ignore[arg-type]
    )


def _starts(occs: list[recurrence.Occurrence]) -> list[dt.datetime]:
    return [o.start for o in occs]


def test_plain_expansion(db: Database) -> None:
    with db.session() as session:
        drill = _weekly(session, f.unit(session))
        occs = recurrence.occurrences(drill, D(2025, 1, 1), D(2026, 1, 1))
        assert _starts(occs) == [
            D(2025, 3, 3, 9),
            D(2025, 3, 10, 9),
            D(2025, 3, 17, 9),
            D(2025, 3, 24, 9),
            D(2025, 3, 31, 9),
            D(2025, 4, 7, 9),
        ]
        assert all(o.end - o.start == dt.timedelta(hours=2) for o in occs)
        assert not any(o.moved or o.cancelled for o in occs)


def test_exdate_move_and_cancel(db: Database) -> None:
    with db.session() as session:
        drill = _weekly(session, f.unit(session))
        editing.add_exdate(session, drill_id=drill.id, when=D(2025, 3, 10, 9))
        editing.move_occurrence(
            session,
            drill_id=drill.id,
            original_start=D(2025, 3, 17, 9),
            new_start=D(2025, 3, 19, 14),
        )
        editing.cancel_occurrence(session, drill_id=drill.id, original_start=D(2025, 3, 24, 9))
        occs = recurrence.occurrences(drill, D(2025, 1, 1), D(2026, 1, 1))
        assert [(o.original_start, o.start, o.end, o.moved) for o in occs] == [
            (D(2025, 3, 3, 9), D(2025, 3, 3, 9), D(2025, 3, 3, 11), False),
            (D(2025, 3, 17, 9), D(2025, 3, 19, 14), D(2025, 3, 19, 16), True),
            (D(2025, 3, 31, 9), D(2025, 3, 31, 9), D(2025, 3, 31, 11), False),
            (D(2025, 4, 7, 9), D(2025, 4, 7, 9), D(2025, 4, 7, 11), False),
        ]
        with_cancelled = recurrence.occurrences(
            drill, D(2025, 1, 1), D(2026, 1, 1), include_cancelled=True
        )
        assert [(o.start, o.cancelled) for o in with_cancelled if o.cancelled] == [
            (D(2025, 3, 10, 9), True),
            (D(2025, 3, 24, 9), True),
        ]
        assert drill.exdates == ["2025-03-10T09:00:00"]


def test_a_move_carries_an_occurrence_into_and_out_of_a_window(db: Database) -> None:
    with db.session() as session:
        drill = _weekly(session, f.unit(session))
        # the 7 April occurrence moves to 28 March 15:00, with its own end
        editing.move_occurrence(
            session,
            drill_id=drill.id,
            original_start=D(2025, 4, 7, 9),
            new_start=D(2025, 3, 28, 15),
            new_end=D(2025, 3, 28, 17, 30),
        )
        march = recurrence.occurrences(drill, D(2025, 3, 1), D(2025, 4, 1))
        assert _starts(march)[-2:] == [D(2025, 3, 28, 15), D(2025, 3, 31, 9)]
        assert march[-2].end == D(2025, 3, 28, 17, 30)
        april = recurrence.occurrences(drill, D(2025, 4, 1), D(2025, 5, 1))
        assert april == []


def test_moving_back_to_the_original_time_removes_the_move(db: Database) -> None:
    with db.session() as session:
        drill = _weekly(session, f.unit(session))
        editing.move_occurrence(
            session,
            drill_id=drill.id,
            original_start=D(2025, 3, 17, 9),
            new_start=D(2025, 3, 18, 9),
        )
        row = editing.move_occurrence(
            session,
            drill_id=drill.id,
            original_start=D(2025, 3, 17, 9),
            new_start=D(2025, 3, 17, 9),
        )
        assert row is None
        assert recurrence.load_moves(session, [drill.id]) == {}
        editing.cancel_occurrence(session, drill_id=drill.id, original_start=D(2025, 3, 24, 9))
        editing.add_exdate(session, drill_id=drill.id, when=D(2025, 3, 31, 9))
        editing.restore_occurrence(session, drill_id=drill.id, original_start=D(2025, 3, 24, 9))
        editing.restore_occurrence(session, drill_id=drill.id, original_start=D(2025, 3, 31, 9))
        assert len(recurrence.occurrences(drill, D(2025, 1, 1), D(2026, 1, 1))) == 6


def test_exdate_as_a_date_removes_that_day(db: Database) -> None:
    with db.session() as session:
        drill = _weekly(session, f.unit(session), exdates=["2025-03-24"])
        assert D(2025, 3, 24, 9) not in _starts(
            recurrence.occurrences(drill, D(2025, 1, 1), D(2026, 1, 1))
        )


def test_monthly_by_weekday_and_utc_until(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        # first Tuesday of each month from 7 January 2025: 7 Jan, 4 Feb, 4 Mar (1 Feb, 1 Mar
        # are Saturdays); UNTIL 2025-03-05 01:00 UTC is 09:00 in Shanghai
        drill = editing.create_drill(
            session,
            title="月度桌面推演",
            form="tabletop",
            scope="single",
            organiser_unit_id=unit.id,
            starts_at=D(2025, 1, 7, 9),
            ends_at=D(2025, 1, 7, 10),
            rrule="RRULE:FREQ=MONTHLY;BYDAY=1TU;UNTIL=20250305T010000Z",
        )
        assert drill.rrule == "FREQ=MONTHLY;BYDAY=1TU;UNTIL=20250305T090000"
        assert _starts(recurrence.occurrences(drill, D(2025, 1, 1), D(2026, 1, 1))) == [
            D(2025, 1, 7, 9),
            D(2025, 2, 4, 9),
            D(2025, 3, 4, 9),
        ]


def test_single_drill_has_one_occurrence(db: Database) -> None:
    with db.session() as session:
        drill = f.drill(session, f.unit(session))
        occs = recurrence.occurrences(drill, D(2025, 1, 1), D(2026, 1, 1))
        assert [(o.start, o.end) for o in occs] == [(drill.starts_at, drill.ends_at)]
        assert recurrence.occurrences(drill, D(2026, 1, 1), D(2027, 1, 1)) == []


def test_occurrences_in_year_spans_drills_and_skips_cancelled(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        weekly = _weekly(session, unit)
        single = f.drill(session, unit, code="DR-S", starts_at=D(2025, 3, 10, 9))
        gone = f.drill(session, unit, code="DR-C", status=DrillStatus.CANCELLED)
        # a series from December 2024 reaches into 2025
        older = editing.create_drill(
            session,
            title="跨年演练",
            form="tabletop",
            scope="single",
            organiser_unit_id=unit.id,
            starts_at=D(2024, 12, 23, 9),
            ends_at=D(2024, 12, 23, 10),
            rrule="FREQ=WEEKLY;COUNT=3",
        )
        occs = recurrence.occurrences_in_year(session, 2025)
        assert [(o.drill_id, o.start) for o in occs if o.drill_id == older.id] == [
            (older.id, D(2025, 1, 6, 9))
        ]
        assert sum(o.drill_id == weekly.id for o in occs) == 6
        assert [o.drill_id for o in occs if o.start == D(2025, 3, 10, 9)] == [
            weekly.id,
            single.id,
        ]
        assert gone.id not in {o.drill_id for o in occs}
        everything = recurrence.occurrences_in_year(session, 2025, include_cancelled=True)
        assert [o.cancelled for o in everything if o.drill_id == gone.id] == [True]


@pytest.mark.parametrize(
    ("rule", "fragment"),
    [
        ("FREQ=SOMETIMES", "FREQ"),
        ("COUNT=3", "FREQ"),
        ("FREQ=WEEKLY", "COUNT"),  # unbounded
        ("FREQ=YEARLY;COUNT=7", "COUNT"),  # ends more than 5 years later
        ("FREQ=HOURLY;COUNT=3", "每天"),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=3", "不一致"),  # 3 March 2025 is a Monday
        ("DTSTART:20250303T090000\nRRULE:FREQ=DAILY;COUNT=2", "RRULE"),
        ("FREQ=WEEKLY;UNTIL=20250301", "没有任何"),
    ],
)
def test_bad_rules_are_rejected_naming_the_field(db: Database, rule: str, fragment: str) -> None:
    with db.session() as session:
        unit = f.unit(session)
        with pytest.raises(ValidationError) as err:
            _weekly(session, unit, rrule=rule)
        assert err.value.field == "rrule"
        assert fragment in err.value.message
        assert session.query(Drill).count() == 0
