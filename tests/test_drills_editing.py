"""Creating and editing drills: bad input rejected with the field named and nothing changed."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import (
    AuditLog,
    Drill,
    DrillOccurrenceMove,
    DrillParticipant,
    Plan,
    Unit,
    drill_plan,
)
from drillplan.drills import editing
from drillplan.kernel.errors import Conflict, NotFound, ValidationError
from drillplan.kernel.vocab import DrillStatus, EmergencyCategory, PlanKind, PlanStatus
from drillplan.plans.rules import last_drilled
from tests import factories as f

D = dt.datetime


def _plan(session: Session, owner: Unit, code: str = "P1", **kw: Any) -> Plan:
    row = Plan(
        code=code,
        title=kw.pop("title", f"预案{code}"),
        kind=kw.pop("kind", PlanKind.SPECIAL),
        category=kw.pop("category", EmergencyCategory.NATURAL),
        owner_unit_id=owner.id,
        status=kw.pop("status", PlanStatus.PUBLISHED),
        published_on=kw.pop("published_on", dt.date(2023, 3, 1)),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def _state(session: Session) -> tuple[Any, ...]:
    """Everything an editing call could change."""
    session.flush()
    drills = session.execute(
        select(
            Drill.id,
            Drill.title,
            Drill.status,
            Drill.starts_at,
            Drill.ends_at,
            Drill.rrule,
            Drill.exdates,
            Drill.row_version,
        ).order_by(Drill.id)
    ).all()
    links = session.execute(select(drill_plan).order_by(drill_plan.c.drill_id)).all()
    parts = session.execute(
        select(DrillParticipant.drill_id, DrillParticipant.team_id, DrillParticipant.unit_id)
    ).all()
    moves = session.execute(
        select(DrillOccurrenceMove.original_start, DrillOccurrenceMove.new_start)
    ).all()
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    return (tuple(drills), tuple(links), tuple(parts), tuple(moves), audits)


def _new(session: Session, unit: Unit, **kw: Any) -> Drill:
    args: dict[str, Any] = {
        "title": "危化品泄漏处置演练",
        "form": "live",
        "scope": "single",
        "organiser_unit_id": unit.id,
        "starts_at": D(2025, 5, 20, 9),
        "ends_at": D(2025, 5, 20, 11),
    }
    args.update(kw)
    return editing.create_drill(session, **args)


def test_create_links_plans_and_participants_and_audits(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        team = f.team(session, unit)
        plan = _plan(session, unit)
        drill = _new(
            session,
            unit,
            plan_ids=[plan.id],
            participants=[
                editing.ParticipantSpec(team_id=team.id, role="主攻"),
                {"unit_id": unit.id, "role": "指挥"},
            ],
            required_certificates=["危化品作业证", "危化品作业证", " 急救证 "],
        )
        assert drill.code == "QP-DR-2025-001"
        assert drill.status == DrillStatus.PLANNED
        assert [p.code for p in drill.plans] == ["P1"]
        assert [(p.team_id, p.unit_id, p.role) for p in drill.participants] == [
            (team.id, None, "主攻"),
            (None, unit.id, "指挥"),
        ]
        assert drill.required_certificates == ["危化品作业证", "急救证"]
        assert _new(session, unit).code == "QP-DR-2025-002"
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "drill.create")).first()
        assert entry is not None and entry.after["plans"] == ["P1"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"ends_at": D(2025, 5, 20, 8)}, "ends_at"),  # end before start
        ({"title": "  "}, "title"),
        ({"form": "sideways"}, "form"),
        ({"organiser_unit_id": 999}, "organiser_unit_id"),
        ({"starts_at": dt.date(2025, 5, 20)}, "starts_at"),
        ({"exdates": ["2025-05-27T09:00:00"]}, "exdates"),  # not recurring
        ({"participants": [{"team_id": 1, "unit_id": 1}]}, "participants"),
        ({"participants": [{"team_id": 999}]}, "participants"),
        ({"plan_ids": [999]}, "plans"),
        ({"status": "evaluated"}, "status"),
        ({"status": "cancelled"}, "status"),
        ({"weekend_allowed": "yes"}, "weekend_allowed"),
    ],
)
def test_bad_new_drill_is_rejected_and_nothing_is_written(
    db: Database, changes: dict[str, Any], field: str
) -> None:
    with db.session() as session:
        unit = f.unit(session)
        f.team(session, unit)
        before = _state(session)
        with pytest.raises(ValidationError) as err:
            _new(session, unit, **changes)
        assert err.value.field == field
        assert err.value.message and err.value.message_en
        assert _state(session) == before


def test_duplicate_code_is_rejected(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        _new(session, unit, code="DR-A")
        with pytest.raises(ValidationError) as err:
            _new(session, unit, code="DR-A")
        assert err.value.field == "code"


def test_update_with_end_before_start_changes_nothing(db: Database) -> None:
    with db.session() as session:
        drill = _new(session, f.unit(session))
        before = _state(session)
        with pytest.raises(ValidationError) as err:
            editing.update_drill(
                session,
                drill_id=drill.id,
                expected_version=drill.row_version,
                changes={"starts_at": D(2025, 5, 21, 9)},
            )
        assert err.value.field == "ends_at"
        with pytest.raises(ValidationError) as err:
            editing.update_drill(
                session,
                drill_id=drill.id,
                expected_version=drill.row_version,
                changes={"status": "x"},
            )
        assert err.value.field == "status"
        assert _state(session) == before


def test_update_checks_the_version_and_bumps_it(db: Database) -> None:
    with db.session() as session:
        drill = _new(session, f.unit(session))
        assert drill.row_version == 1
        editing.update_drill(
            session, drill_id=drill.id, expected_version=1, changes={"venue": "区应急指挥中心"}
        )
        assert drill.row_version == 2
        with pytest.raises(Conflict):
            editing.update_drill(
                session, drill_id=drill.id, expected_version=1, changes={"venue": "别处"}
            )
        assert drill.venue == "区应急指挥中心"
        with pytest.raises(NotFound):
            editing.update_drill(session, drill_id=999, expected_version=1, changes={})


def test_changing_the_series_drops_moves_that_no_longer_match(db: Database) -> None:
    with db.session() as session:
        drill = _new(
            session,
            f.unit(session),
            starts_at=D(2025, 3, 3, 9),
            ends_at=D(2025, 3, 3, 11),
            rrule="FREQ=WEEKLY;COUNT=4",
            exdates=["2025-03-10T09:00:00"],
        )
        editing.move_occurrence(
            session,
            drill_id=drill.id,
            original_start=D(2025, 3, 17, 9),
            new_start=D(2025, 3, 18, 9),
        )
        version = drill.row_version
        editing.update_drill(
            session,
            drill_id=drill.id,
            expected_version=version,
            changes={"starts_at": D(2025, 3, 3, 14), "ends_at": D(2025, 3, 3, 16)},
        )
        assert drill.row_version == version + 1
        assert drill.exdates == []
        assert session.scalar(select(func.count()).select_from(DrillOccurrenceMove)) == 0
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "drill.update").order_by(AuditLog.id.desc())
        ).first()
        assert entry is not None and len(entry.after["dropped_moves"]) == 1


def test_status_runs_through_the_phases_only(db: Database) -> None:
    with db.session() as session:
        drill = _new(session, f.unit(session))
        before = _state(session)
        with pytest.raises(ValidationError) as err:
            editing.transition_status(session, drill_id=drill.id, to="evaluated")
        assert err.value.field == "status"
        with pytest.raises(ValidationError) as err:
            editing.transition_status(session, drill_id=drill.id, to="conducted")
        assert err.value.field == "status"
        with pytest.raises(ValidationError) as err:
            editing.transition_status(session, drill_id=drill.id, to="finished")
        assert err.value.field == "status"
        assert _state(session) == before
        for to in ("preparing", "conducted", "evaluated"):
            editing.transition_status(session, drill_id=drill.id, to=to)
        assert drill.status == DrillStatus.EVALUATED
        with pytest.raises(ValidationError):
            editing.transition_status(session, drill_id=drill.id, to="cancelled")


@pytest.mark.parametrize("path", [["cancelled"], ["preparing", "cancelled"]])
def test_cancel_before_the_drill_only(db: Database, path: list[str]) -> None:
    with db.session() as session:
        drill = _new(session, f.unit(session))
        for to in path:
            editing.transition_status(session, drill_id=drill.id, to=to)
        assert drill.status == DrillStatus.CANCELLED
        with pytest.raises(ValidationError) as err:
            editing.transition_status(session, drill_id=drill.id, to="planned")
        assert err.value.field == "status"


def test_conducted_drill_cannot_be_cancelled(db: Database) -> None:
    with db.session() as session:
        drill = _new(session, f.unit(session), status="conducted")
        with pytest.raises(ValidationError) as err:
            editing.transition_status(session, drill_id=drill.id, to="cancelled")
        assert err.value.field == "status"


def test_a_cancelled_drill_cannot_drill_a_plan(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        plan = _plan(session, unit)
        drill = _new(session, unit, plan_ids=[plan.id])
        editing.transition_status(session, drill_id=drill.id, to="cancelled")
        # a cancelled drill never counts as the plan being drilled
        assert last_drilled(session) == {}
        other = _plan(session, unit, code="P2")
        before = _state(session)
        with pytest.raises(ValidationError) as err:
            editing.set_plans(session, drill_id=drill.id, plan_ids=[plan.id, other.id])
        assert err.value.field == "plans"
        assert _state(session) == before
        # unlinking is fine
        editing.set_plans(session, drill_id=drill.id, plan_ids=[])
        assert drill.plans == []


def test_abolished_plan_cannot_be_linked(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        old = _plan(session, unit, status=PlanStatus.ABOLISHED)
        drill = _new(session, unit)
        with pytest.raises(ValidationError) as err:
            editing.set_plans(session, drill_id=drill.id, plan_ids=[old.id])
        assert err.value.field == "plans"


def test_set_participants_reconciles_and_bumps_the_version(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        t1, t2 = f.team(session, unit, code="T1"), f.team(session, unit, code="T2")
        drill = _new(session, unit, participants=[{"team_id": t1.id}])
        first_row = drill.participants[0].id
        editing.set_participants(
            session,
            drill_id=drill.id,
            expected_version=drill.row_version,
            participants=[{"team_id": t1.id, "role": "保障"}, {"team_id": t2.id}],
        )
        assert [(p.id == first_row, p.team_id, p.role) for p in drill.participants] == [
            (True, t1.id, "保障"),
            (False, t2.id, "参演"),
        ]
        assert drill.row_version == 2
        with pytest.raises(ValidationError) as err:
            editing.set_participants(
                session, drill_id=drill.id, participants=[{"team_id": t1.id}, {"team_id": t1.id}]
            )
        assert err.value.field == "participants"


def test_occurrence_edits_are_checked(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        single = _new(session, unit)
        weekly = _new(
            session,
            unit,
            starts_at=D(2025, 3, 3, 9),
            ends_at=D(2025, 3, 3, 11),
            rrule="FREQ=WEEKLY;COUNT=4",
        )
        editing.add_exdate(session, drill_id=weekly.id, when=D(2025, 3, 10, 9))
        before = _state(session)
        bad: list[tuple[dict[str, Any], str]] = [
            ({"drill_id": single.id, "original_start": D(2025, 5, 20, 9)}, "original_start"),
            ({"drill_id": weekly.id, "original_start": D(2025, 3, 4, 9)}, "original_start"),
            ({"drill_id": weekly.id, "original_start": D(2025, 3, 10, 9)}, "original_start"),
            (
                {
                    "drill_id": weekly.id,
                    "original_start": D(2025, 3, 17, 9),
                    "new_end": D(2025, 3, 18, 8),
                },
                "new_end",
            ),
        ]
        for kw, field in bad:
            with pytest.raises(ValidationError) as err:
                editing.move_occurrence(session, new_start=D(2025, 3, 18, 9), **kw)
            assert err.value.field == field
        with pytest.raises(ValidationError) as err:
            editing.add_exdate(session, drill_id=weekly.id, when=D(2025, 3, 11, 9))
        assert err.value.field == "exdates"
        with pytest.raises(ValidationError) as err:
            editing.cancel_occurrence(session, drill_id=weekly.id, original_start=D(2025, 4, 7, 9))
        assert err.value.field == "original_start"
        assert _state(session) == before
