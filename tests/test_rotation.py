"""Rotation suggestions list every occurrence of a recurring drill in their window, including
a series that started before the as-of date (EXDATEs, moves and cancellations applied)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from drillplan.db.database import Database
from drillplan.db.models import DrillOccurrenceMove, DrillParticipant, Holder
from drillplan.kernel.vocab import DrillStatus, HolderKind
from drillplan.stock.rotation import rotation_suggestions
from tests import factories as f

AS_OF = dt.date(2025, 6, 1)  # window: 2025-06-01 .. 2025-07-31


def _world(db: Database) -> None:
    """Team T1 holds 20 life jackets expiring 2025-06-20 and 5 expiring 2025-07-25.

    DR-W (planned, weekly from Tuesday 2025-05-06, 10 times; T1 takes part) falls on
    05-06 .. 05-27 (before the as-of date) and 06-03, 06-10 (EXDATE), 06-17, 06-24, 07-01 and
    07-08 (moved to 07-09). DR-ONE (planned, 2025-06-12, T1): a single drill. DR-OFF
    (cancelled series) and DR-T2 (team T2, which holds no life jackets) never show.
    """
    with db.session() as session:
        u = f.unit(session)
        vest = f.material(session, code="2010101", name="救生衣", uom="件")
        t1 = f.team(session, u, code="T1", name="蓝天救援队")
        t2 = f.team(session, u, code="T2", name="水上救援队")
        holder = Holder(kind=HolderKind.TEAM, team_id=t1.id)
        session.add(holder)
        session.flush()
        for batch, qty, expires in (
            ("B1", 20, dt.date(2025, 6, 20)),
            ("B2", 5, dt.date(2025, 7, 25)),
        ):
            lot = f.lot(session, vest, holder, batch=batch, on_hand=Decimal(qty),
                        expiry_date=expires)  # fmt: skip
            f.movement(session, lot, qty, moved_on=dt.date(2025, 1, 1))
        tue = dt.datetime(2025, 5, 6, 9, 0)
        weekly = f.drill(
            session, u, code="DR-W", title="每周水域救援训练", starts_at=tue,
            ends_at=tue + dt.timedelta(hours=2), rrule="FREQ=WEEKLY;COUNT=10",
            exdates=["2025-06-10"], status=DrillStatus.PLANNED,
        )  # fmt: skip
        session.add(
            DrillOccurrenceMove(
                drill_id=weekly.id,
                original_start=dt.datetime(2025, 7, 8, 9, 0),
                new_start=dt.datetime(2025, 7, 9, 14, 0),
                new_end=dt.datetime(2025, 7, 9, 16, 0),
            )
        )
        one = f.drill(
            session, u, code="DR-ONE", starts_at=dt.datetime(2025, 6, 12, 9),
            ends_at=dt.datetime(2025, 6, 12, 11), status=DrillStatus.PLANNED,
        )  # fmt: skip
        off = f.drill(
            session, u, code="DR-OFF", starts_at=tue, ends_at=tue + dt.timedelta(hours=1),
            rrule="FREQ=WEEKLY;COUNT=10", status=DrillStatus.CANCELLED,
        )  # fmt: skip
        other = f.drill(
            session, u, code="DR-T2", starts_at=dt.datetime(2025, 6, 5, 9),
            ends_at=dt.datetime(2025, 6, 5, 11), status=DrillStatus.PLANNED,
        )  # fmt: skip
        for drill, team in ((weekly, t1), (one, t1), (off, t1), (other, t2)):
            session.add(DrillParticipant(drill_id=drill.id, team_id=team.id))
        session.flush()


def test_every_occurrence_of_a_series_begun_before_the_as_of_date(db: Database) -> None:
    _world(db)
    with db.session() as session:
        found = {s.batch_no: s for s in rotation_suggestions(session, as_of=AS_OF)}
    assert sorted(found) == ["B1", "B2"]
    b1, b2 = found["B1"], found["B2"]
    assert (b1.month, b1.expiry_date, b2.month) == ("this", dt.date(2025, 6, 20), "next")
    # B1 expires 06-20: the series' 06-03 and 06-17 (06-10 is an EXDATE) and the 06-12 drill
    assert [(u.drill_code, u.starts_on, u.team_code) for u in b1.drills] == [
        ("DR-W", dt.date(2025, 6, 3), "T1"),
        ("DR-ONE", dt.date(2025, 6, 12), "T1"),
        ("DR-W", dt.date(2025, 6, 17), "T1"),
    ]
    # B2 expires 07-25: every occurrence in the window up to then, the moved one at 07-09
    assert [(u.drill_code, u.starts_on) for u in b2.drills] == [
        ("DR-W", dt.date(2025, 6, 3)),
        ("DR-ONE", dt.date(2025, 6, 12)),
        ("DR-W", dt.date(2025, 6, 17)),
        ("DR-W", dt.date(2025, 6, 24)),
        ("DR-W", dt.date(2025, 7, 1)),
        ("DR-W", dt.date(2025, 7, 9)),
    ]
    assert {u.drill_title for u in b2.drills} == {"每周水域救援训练", "防汛演练"}
    assert b2.as_dict()["drills"][0]["starts_on"] == dt.date(2025, 6, 3)


def test_occurrences_before_the_as_of_date_are_not_listed(db: Database) -> None:
    _world(db)
    with db.session() as session:
        found = {s.batch_no: s for s in rotation_suggestions(session, as_of=dt.date(2025, 6, 18))}
    # as of 06-18 the window ends 07-31; B1 (06-20) has no drill left before it expires
    assert found["B1"].drills == []
    assert [u.starts_on for u in found["B2"].drills] == [
        dt.date(2025, 6, 24),
        dt.date(2025, 7, 1),
        dt.date(2025, 7, 9),
    ]
