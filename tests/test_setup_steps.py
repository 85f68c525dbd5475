"""The first-start checklist's steps: units → depots → materials → teams → plans, each done
once it has a record."""

from __future__ import annotations

from drillplan.db.database import Database
from drillplan.interchange.kinds import KINDS
from drillplan.plans.register import create_plan
from drillplan.readiness.setup_steps import SETUP_ORDER, next_step, setup_steps
from tests import factories as f


def test_an_empty_database_starts_with_units(db: Database) -> None:
    with db.session() as session:
        steps = setup_steps(session)
    assert [s.key for s in steps] == ["units", "depots", "materials", "teams", "plans"]
    assert not any(s.done for s in steps)
    first = next_step(steps)
    assert first is not None and first.key == "units"
    assert set(SETUP_ORDER) <= set(KINDS)  # every step has an import template


def test_steps_are_done_as_records_arrive(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        f.depot(session, unit, code="D1")
        steps = {s.key: s for s in setup_steps(session)}
        assert steps["units"].count == 1 and steps["depots"].done
        following = next_step(list(steps.values()))
        assert following is not None and following.key == "materials"
        f.material(session)
        f.team(session, unit)
        create_plan(
            session, code="QP-1", title="总体预案", kind="overall", category="natural",
            owner_unit_id=unit.id,
        )  # fmt: skip
        assert next_step(setup_steps(session)) is None
