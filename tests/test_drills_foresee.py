"""The conflicts a drill would have if saved (asked before the save), and that nothing is saved."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Drill, Unit
from drillplan.drills import editing
from drillplan.drills.foresee import conflicts_if_saved
from drillplan.kernel.errors import ValidationError
from tests import factories as f

D = dt.datetime


def _create(session: Session, unit: Unit, code: str, start: dt.datetime, **kw: Any) -> Drill:
    return editing.create_drill(
        session,
        code=code,
        title=f"演练{code}",
        form="live",
        scope="single",
        organiser_unit_id=unit.id,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        **kw,
    )


def _count(session: Session, model: Any) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_a_new_drill_that_double_books_a_team_on_new_years_day(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        team = f.team(session, unit, code="T-FX", name="区防汛抢险队")
        _create(session, unit, "DR-A", D(2025, 1, 1, 9), participants=[{"team_id": team.id}])
        drills, audit = _count(session, Drill), _count(session, AuditLog)
        seen = conflicts_if_saved(
            session,
            lambda: _create(
                session, unit, "DR-B", D(2025, 1, 1, 10), participants=[{"team_id": team.id}]
            ),
        )
        kinds = sorted({c.kind for c in seen.new_conflicts})
        assert kinds == ["non_working_day", "team_double_booked"]
        team_clash = next(c for c in seen.new_conflicts if c.kind == "team_double_booked")
        assert team_clash.drill_codes == ("DR-A", "DR-B") and "区防汛抢险队" in team_clash.reason_zh
        holiday = next(c for c in seen.new_conflicts if c.kind == "non_working_day")
        assert holiday.drill_codes == ("DR-B",) and "元旦" in holiday.reason_zh
        # nothing was written: no drill, no audit entry
        assert (_count(session, Drill), _count(session, AuditLog)) == (drills, audit)
        assert session.scalar(select(Drill).where(Drill.code == "DR-B")) is None


def test_an_edit_lists_only_what_it_brings(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        drill = _create(session, unit, "DR-A", D(2025, 5, 17, 9))  # a Saturday already

        def edit(start: dt.datetime, venue: str | None = None) -> Any:
            changes: dict[str, Any] = {"starts_at": start, "ends_at": start + dt.timedelta(hours=2)}
            if venue:
                changes["venue"] = venue
            return lambda: editing.update_drill(
                session, drill_id=drill.id, expected_version=drill.row_version, changes=changes
            )

        same = conflicts_if_saved(session, edit(D(2025, 5, 17, 14)), drill_ids=[drill.id])
        assert [c.kind for c in same.conflicts] == ["non_working_day"]
        assert same.new_conflicts == []  # the Saturday was there before: not new
        _create(session, unit, "DR-V", D(2025, 5, 20, 9), venue="区应急指挥中心")
        moved = conflicts_if_saved(
            session, edit(D(2025, 5, 20, 10), "区应急指挥中心"), drill_ids=[drill.id]
        )
        assert [c.kind for c in moved.new_conflicts] == ["venue_double_booked"]
        assert session.get_one(Drill, drill.id).starts_at == D(2025, 5, 17, 9)  # not saved


def test_a_save_that_is_refused_raises_as_the_save_would(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        with pytest.raises(ValidationError) as err:
            conflicts_if_saved(
                session,
                lambda: editing.create_drill(
                    session,
                    title="倒序",
                    form="live",
                    scope="single",
                    organiser_unit_id=unit.id,
                    starts_at=D(2025, 5, 20, 9),
                    ends_at=D(2025, 5, 20, 8),
                ),
            )
        assert err.value.field == "ends_at"
        assert _count(session, Drill) == 0
