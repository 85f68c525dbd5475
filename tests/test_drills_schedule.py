"""The annual drill plan: covers every due plan, flood drills before the season, working days,
never double-booked, load spread across months, deterministic."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.calendar.workdays import calendar_for
from drillplan.db.database import Database
from drillplan.db.models import Drill, Plan, Unit
from drillplan.drills import editing, schedule
from drillplan.drills.conflicts import find_conflicts
from drillplan.drills.recurrence import occurrences_in_year
from drillplan.kernel.vocab import (
    DrillForm,
    DrillStatus,
    EmergencyCategory,
    HolderClass,
    PlanKind,
    PlanStatus,
    Readiness,
    UnitKind,
)
from drillplan.plans.rules import drill_due
from tests import factories as f

D = dt.datetime
YEAR = 2025


def _plan(session: Session, owner: Unit, code: str, **kw: Any) -> Plan:
    row = Plan(
        code=code,
        title=kw.pop("title", f"预案{code}"),
        kind=kw.pop("kind", PlanKind.SPECIAL),
        category=EmergencyCategory.NATURAL,
        owner_unit_id=owner.id,
        status=kw.pop("status", PlanStatus.PUBLISHED),
        holder_class=kw.pop("holder_class", HolderClass.GOVERNMENT),
        **kw,
    )
    session.add(row)
    session.flush()
    return row


def _held(session: Session, unit: Unit, code: str, day: dt.date, plan: Plan, **kw: Any) -> Drill:
    start = dt.datetime.combine(day, dt.time(9))
    return editing.create_drill(
        session,
        code=code,
        title=f"演练{code}",
        form=kw.pop("form", "live"),
        scope="single",
        organiser_unit_id=unit.id,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        plan_ids=[plan.id],
        status=kw.pop("status", DrillStatus.CONDUCTED),
        **kw,
    )


def _district(session: Session) -> dict[str, Any]:
    """A small district: the flood office and the emergency bureau share the flood team."""
    flood_office = f.unit(session, "WATER", name="区水务局")
    bureau = f.unit(session, "EMB", name="区应急管理局")
    chem = f.unit(session, "CHEM", name="某化工企业", kind=UnitKind.ENTERPRISE)
    flood_team = f.team(session, flood_office, "T-FX", name="区防汛抢险队")
    f.team(session, flood_office, "T-OFF", name="停用队伍", readiness=Readiness.UNAVAILABLE)
    rescue = f.team(session, bureau, "T-JY", name="区综合救援队")
    chem_team = f.team(session, chem, "T-HG", name="企业专职消防队")
    plans = {
        # flood plans: published 2022-04-10 -> due 2025-04-10; drilled 2022-05-12 -> 2025-05-12
        "flood": _plan(
            session,
            flood_office,
            "QP-ZX-FX",
            title="青浦区防汛防台专项应急预案",
            flood_related=True,
            published_on=dt.date(2022, 4, 10),
        ),
        "flood2": _plan(
            session,
            flood_office,
            "QP-ZX-FX2",
            title="青浦区城市内涝应急预案",
            flood_related=True,
            published_on=dt.date(2021, 1, 5),
        ),
        # a flood plan due in January cannot wait for April
        "flood_jan": _plan(
            session,
            flood_office,
            "QP-BM-SW",
            kind=PlanKind.DEPARTMENTAL,
            flood_related=True,
            drill_interval_months=12,
            published_on=dt.date(2024, 1, 10),
        ),
        # never drilled since 2020: overdue
        "overdue": _plan(session, bureau, "QP-ZX-DZ", published_on=dt.date(2020, 1, 6)),
        # every 6 months, last drilled 20 December 2024: twice in 2025
        "chem": _plan(
            session,
            chem,
            "QP-QY-HG",
            kind=PlanKind.ENTERPRISE,
            holder_class=HolderClass.HIGH_RISK,
            published_on=dt.date(2023, 1, 1),
        ),
        # due 2025-09-01 but already has a drill planned in June: nothing to propose
        "covered": _plan(session, bureau, "QP-ZX-JT", published_on=dt.date(2022, 9, 1)),
        # not due in 2025
        "fresh": _plan(session, bureau, "QP-ZX-XX", published_on=dt.date(2024, 6, 1)),
        "draft": _plan(session, bureau, "QP-ZX-CG", status=PlanStatus.DRAFTING),
        "gone": _plan(
            session,
            bureau,
            "QP-ZX-FZ",
            status=PlanStatus.ABOLISHED,
            published_on=dt.date(2015, 1, 1),
        ),
    }
    _held(
        session,
        flood_office,
        "DR-2022-FX2",
        dt.date(2022, 5, 12),
        plans["flood2"],
        venue="淀山湖防汛演练场",
        participants=[{"team_id": flood_team.id}, {"unit_id": bureau.id, "role": "指挥"}],
    )
    _held(
        session,
        chem,
        "DR-2024-HG",
        dt.date(2024, 12, 20),
        plans["chem"],
        participants=[{"team_id": chem_team.id}],
    )
    _held(
        session,
        bureau,
        "DR-2025-JT",
        dt.date(2025, 6, 10),
        plans["covered"],
        status=DrillStatus.PLANNED,
        participants=[{"team_id": rescue.id}],
    )
    # the flood team is busy on the first working days of April (another office's drill)
    for day in (1, 2, 3):
        start = D(2025, 4, day, 9)
        editing.create_drill(
            session,
            code=f"DR-OTHER-{day}",
            title="其他单位演练",
            form="live",
            scope="single",
            organiser_unit_id=bureau.id,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=8),
            participants=[{"team_id": flood_team.id}],
        )
    return {"plans": plans, "flood_team": flood_team}


def _by_plan(proposals: list[schedule.Proposal]) -> dict[str, list[schedule.Proposal]]:
    out: dict[str, list[schedule.Proposal]] = {}
    for p in proposals:
        out.setdefault(p.plan_code, []).append(p)
    return out


def test_every_due_plan_is_covered_within_its_interval(db: Database) -> None:
    with db.session() as session:
        s = _district(session)
        proposals = schedule.propose_schedule(session, year=YEAR)
        by_plan = _by_plan(proposals)
        assert sorted(by_plan) == ["QP-BM-SW", "QP-QY-HG", "QP-ZX-DZ", "QP-ZX-FX", "QP-ZX-FX2"]
        assert all(p.starts_at is not None for p in proposals)
        for code, found in by_plan.items():
            plan = s["plans"][next(k for k, v in s["plans"].items() if v.code == code)]
            for p in found:
                assert p.starts_at is not None
                assert p.due == drill_due(plan, p.last_drilled)
                if not p.overdue:
                    assert p.starts_at.date() <= p.due, code
        # the 6-monthly plan twice, each within 6 months of the previous drill
        chem = by_plan["QP-QY-HG"]
        assert len(chem) == 2
        assert chem[0].last_drilled == dt.date(2024, 12, 20)
        assert chem[0].due == dt.date(2025, 6, 20)
        first = chem[0].starts_at
        assert first is not None
        assert chem[1].due == drill_due(s["plans"]["chem"], first.date())
        assert chem[1].last_drilled == first.date()
        second = chem[1].starts_at
        assert second is not None and drill_due(s["plans"]["chem"], second.date()) > dt.date(
            2025, 12, 31
        )
        # the overdue plan goes first thing in the year
        overdue = by_plan["QP-ZX-DZ"][0]
        assert overdue.overdue and overdue.due == dt.date(2023, 1, 6)
        # overdue: within the first ten working days (1 January is New Year's Day), least busy
        assert D(2025, 1, 2, 9) <= overdue.starts_at <= D(2025, 1, 15, 9)
        assert any("逾期" in line for line in overdue.explanation_zh)


def test_flood_drills_before_the_season_on_working_days(db: Database) -> None:
    with db.session() as session:
        _district(session)
        proposals = schedule.propose_schedule(session, year=YEAR)
        by_plan = _by_plan(proposals)
        cal = calendar_for(session, [YEAR])
        for p in proposals:
            assert p.starts_at is not None
            assert cal.is_workday(p.starts_at.date()), p
            assert (p.starts_at.time(), p.ends_at.time() if p.ends_at else None) in [
                (dt.time(9), dt.time(11, 30)),
                (dt.time(14), dt.time(16, 30)),
            ]
            if p.flood_related:
                assert p.starts_at.date() < dt.date(2025, 6, 1)
        # due 10 April: in the pre-season window April-May, but not on 1-3 April (team busy)
        flood = by_plan["QP-ZX-FX"][0].starts_at
        assert flood is not None and dt.date(2025, 4, 7) <= flood.date() <= dt.date(2025, 4, 10)
        assert any("汛期" in line for line in by_plan["QP-ZX-FX"][0].explanation_zh)
        # due 12 May 2025 (drilled 12 May 2022): April or May
        flood2 = by_plan["QP-ZX-FX2"][0].starts_at
        assert flood2 is not None and dt.date(2025, 4, 1) <= flood2.date() <= dt.date(2025, 5, 12)
        # due 10 January: before the due date, not in April
        jan = by_plan["QP-BM-SW"][0].starts_at
        assert jan is not None and jan.date() <= dt.date(2025, 1, 10)


def test_flood_season_start_is_a_setting(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        _plan(session, unit, "QP-FX", flood_related=True, published_on=dt.date(2022, 12, 20))
        settings.set_value(session, "flood_season_start", "07-01")
        (p,) = schedule.propose_schedule(session, year=YEAR)
        assert p.starts_at is not None
        assert dt.date(2025, 5, 1) <= p.starts_at.date() <= dt.date(2025, 6, 30)


def test_no_team_or_venue_is_double_booked(db: Database) -> None:
    with db.session() as session:
        _district(session)
        proposals = schedule.propose_schedule(session, year=YEAR)
        schedule.write_schedule(session, proposals, user="tester")
        kinds = [(c.kind, c.subject) for c in find_conflicts(session, year=YEAR)]
        assert not [k for k in kinds if k[0] != "plan_overdue_before_drill"]
        # only the plan that was overdue before the year remains overdue at its drill
        assert kinds == [("plan_overdue_before_drill", "QP-ZX-DZ")]


def test_overdue_drills_are_spread_over_the_first_working_days(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        team = f.team(session, unit)
        # two plans of one owner, both overdue: not piled onto 2 January
        _plan(session, unit, "P-A", published_on=dt.date(2020, 1, 1))
        _plan(session, unit, "P-B", published_on=dt.date(2020, 1, 2))
        a, b = schedule.propose_schedule(session, year=YEAR)
        assert (a.plan_code, a.starts_at) == ("P-A", D(2025, 1, 2, 9))
        assert (b.plan_code, b.starts_at) == ("P-B", D(2025, 1, 3, 9))
        assert any("当天演练最少" in line for line in b.explanation_zh)
        assert a.team_codes == b.team_codes == [team.code]


def test_load_is_spread_across_months(db: Database) -> None:
    with db.session() as session:
        # twelve plans of twelve owners, all due 31 December: one per month
        for i in range(12):
            owner = f.unit(session, f"U{i:02d}")
            _plan(session, owner, f"P{i:02d}", published_on=dt.date(2022, 12, 31))
        proposals = schedule.propose_schedule(session, year=YEAR)
        months = sorted(p.starts_at.month for p in proposals if p.starts_at)
        assert months == list(range(1, 13))


def test_schedule_is_deterministic_and_explained(db: Database) -> None:
    with db.session() as session:
        _district(session)
    with db.session() as session:
        first = [p.as_dict() for p in schedule.propose_schedule(session, year=YEAR)]
    with db.session() as session:
        second = [p.as_dict() for p in schedule.propose_schedule(session, year=YEAR)]
    assert first == second
    flood2 = next(p for p in first if p["plan_code"] == "QP-ZX-FX2")
    text = " ".join(flood2["explanation_zh"])
    assert "《突发事件应急预案管理办法》" in text  # the rule
    assert "DR-2022-FX2" in text and "2022-05-12" in text  # the last drill
    assert "2025-05-12" in text  # the due date
    assert "工作日" in text  # why this day
    assert "沿用上次演练 DR-2022-FX2" in text  # where the teams and venue come from
    assert flood2["venue"] == "淀山湖防汛演练场"
    assert flood2["teams"] == ["T-FX"]
    assert flood2["explanation_en"] and len(flood2["explanation_en"]) == len(
        flood2["explanation_zh"]
    )


def test_first_drill_uses_the_owner_units_teams_and_default_venue(db: Database) -> None:
    with db.session() as session:
        s = _district(session)
        by_plan = _by_plan(schedule.propose_schedule(session, year=YEAR))
        overdue = by_plan["QP-ZX-DZ"][0]
        assert overdue.form == DrillForm.TABLETOP
        assert overdue.venue == "区应急管理局会议室"
        assert overdue.team_codes == ["T-JY"]
        flood = by_plan["QP-ZX-FX"][0]
        assert flood.team_codes == [s["flood_team"].code]  # not the unavailable team
        assert flood.organiser_name == "区水务局"


def test_as_of_keeps_proposals_in_the_future(db: Database) -> None:
    with db.session() as session:
        _district(session)
        proposals = schedule.propose_schedule(session, year=YEAR, as_of=dt.date(2025, 7, 15))
        assert all(p.starts_at and p.starts_at.date() > dt.date(2025, 7, 15) for p in proposals)
        flood = _by_plan(proposals)["QP-ZX-FX"][0]
        assert flood.overdue  # due 10 April, now past


def test_write_schedule_creates_planned_drills(db: Database) -> None:
    with db.session() as session:
        s = _district(session)
        proposals = schedule.propose_schedule(session, year=YEAR)
        created = schedule.write_schedule(session, proposals, user="tester")
        assert len(created) == len(proposals)
        codes = [d.code for d in created]
        assert sorted(codes) == [f"QP-DR-2025-{i:03d}" for i in range(1, len(created) + 1)]
        for drill, p in zip(created, proposals, strict=True):
            assert drill.status == DrillStatus.PLANNED
            assert [pl.code for pl in drill.plans] == [p.plan_code]
            assert p.drill_code == drill.code
        flood2 = next(d for d in created if d.plans[0].code == "QP-ZX-FX2")
        assert {(x.team_id, x.unit_id, x.role) for x in flood2.participants} == {
            (s["flood_team"].id, None, "参演"),
            (None, session.scalars(select(Unit).where(Unit.code == "EMB")).one().id, "指挥"),
        }
        # written: nothing left to propose
        assert schedule.propose_schedule(session, year=YEAR) == []
        assert len(occurrences_in_year(session, YEAR)) == len(created) + 4
