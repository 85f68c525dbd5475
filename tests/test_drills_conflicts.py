"""Each conflict kind from a minimal hand-built scenario, and gone once the clash is fixed."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import Certificate, Drill, Member, Plan, Team, Unit
from drillplan.drills import editing
from drillplan.drills.conflicts import ConflictItem, find_conflicts
from drillplan.kernel.vocab import DrillStatus, EmergencyCategory, HolderClass, PlanKind, PlanStatus
from tests import factories as f

D = dt.datetime
YEAR = 2025


def _drill(session: Session, unit: Unit, code: str, start: dt.datetime, **kw: Any) -> Drill:
    hours = kw.pop("hours", 2)
    return editing.create_drill(
        session,
        code=code,
        title=kw.pop("title", f"演练{code}"),
        form="live",
        scope="single",
        organiser_unit_id=unit.id,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        **kw,
    )


def _kinds(session: Session, kind: str) -> list[ConflictItem]:
    return [c for c in find_conflicts(session, year=YEAR) if c.kind == kind]


def _move(session: Session, drill: Drill, start: dt.datetime) -> None:
    editing.update_drill(
        session,
        drill_id=drill.id,
        expected_version=drill.row_version,
        changes={"starts_at": start, "ends_at": start + (drill.ends_at - drill.starts_at)},
    )


def test_no_drills_no_conflicts(db: Database) -> None:
    with db.session() as session:
        f.unit(session)
        assert find_conflicts(session, year=YEAR) == []


def test_team_double_booked(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        team = f.team(session, unit, code="T-FX", name="区防汛抢险队")
        a = _drill(session, unit, "DR-A", D(2025, 5, 20, 9), participants=[{"team_id": team.id}])
        b = _drill(session, unit, "DR-B", D(2025, 5, 20, 10), participants=[{"team_id": team.id}])
        found = _kinds(session, "team_double_booked")
        assert len(found) == 1
        item = found[0]
        assert (item.date, item.drill_codes, item.subject) == (
            dt.date(2025, 5, 20),
            ("DR-A", "DR-B"),
            "T-FX",
        )
        assert "区防汛抢险队" in item.reason_zh and "T-FX" in item.reason_en
        assert set(item.drill_ids) == {a.id, b.id}
        assert find_conflicts(session, year=YEAR) == found  # nothing else is wrong
        _move(session, b, D(2025, 5, 20, 11))  # back to back is fine
        assert _kinds(session, "team_double_booked") == []


def test_team_clash_with_a_moved_occurrence_of_a_series(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        team = f.team(session, unit)
        weekly = _drill(
            session,
            unit,
            "DR-W",
            D(2025, 3, 3, 9),
            rrule="FREQ=WEEKLY;COUNT=4",
            participants=[{"team_id": team.id}],
        )
        _drill(session, unit, "DR-X", D(2025, 3, 19, 14), participants=[{"team_id": team.id}])
        assert _kinds(session, "team_double_booked") == []  # a series never clashes with itself
        editing.move_occurrence(
            session,
            drill_id=weekly.id,
            original_start=D(2025, 3, 17, 9),
            new_start=D(2025, 3, 19, 15),
        )
        found = _kinds(session, "team_double_booked")
        assert [(c.date, c.drill_codes) for c in found] == [
            (dt.date(2025, 3, 19), ("DR-W", "DR-X"))
        ]
        editing.cancel_occurrence(session, drill_id=weekly.id, original_start=D(2025, 3, 17, 9))
        assert _kinds(session, "team_double_booked") == []


def test_venue_double_booked(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        _drill(session, unit, "DR-A", D(2025, 5, 20, 9), venue="区应急指挥中心 一楼")
        b = _drill(session, unit, "DR-B", D(2025, 5, 20, 9), venue="区应急指挥中心一楼", hours=0)
        found = _kinds(session, "venue_double_booked")
        assert [(c.drill_codes, c.subject) for c in found] == [
            (("DR-A", "DR-B"), "区应急指挥中心 一楼")
        ]
        editing.update_drill(
            session, drill_id=b.id, expected_version=b.row_version, changes={"venue": "青浦体育馆"}
        )
        assert _kinds(session, "venue_double_booked") == []


def test_non_working_day(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        sat = _drill(session, unit, "DR-SAT", D(2025, 5, 17, 9))
        holiday = _drill(session, unit, "DR-NAT", D(2025, 10, 1, 9))
        _drill(session, unit, "DR-MAKEUP", D(2025, 9, 28, 9))  # a Sunday worked (调休上班)
        found = _kinds(session, "non_working_day")
        assert [(c.drill_codes, c.date, c.subject) for c in found] == [
            (("DR-SAT",), dt.date(2025, 5, 17), "周末"),
            (("DR-NAT",), dt.date(2025, 10, 1), "国庆节"),
        ]
        assert "国庆节" in found[1].reason_zh and "public holiday" in found[1].reason_en
        editing.update_drill(
            session,
            drill_id=holiday.id,
            expected_version=holiday.row_version,
            changes={"weekend_allowed": True},
        )
        _move(session, sat, D(2025, 5, 19, 9))
        assert _kinds(session, "non_working_day") == []


def test_a_drill_running_into_the_weekend_clashes(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        _drill(session, unit, "DR-LONG", D(2025, 5, 16, 9), hours=30)  # Friday into Saturday
        assert [c.date for c in _kinds(session, "non_working_day")] == [dt.date(2025, 5, 17)]


def _member(
    session: Session,
    team: Team,
    name: str,
    certs: list[tuple[str, str, dt.date, dt.date | None]],
    active: bool = True,
) -> Member:
    member = Member(team_id=team.id, name=name, active=active)
    member.certificates = [
        Certificate(cert_type=t, number=n, issued_on=i, expires_on=e) for t, n, i, e in certs
    ]
    session.add(member)
    session.flush()
    return member


def test_certificate_expired(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        team = f.team(session, unit, code="T-WR", name="水上救援队")
        ok = dt.date(2020, 1, 1)
        _member(session, team, "张三", [("潜水员证", "A1", ok, dt.date(2027, 1, 1))])
        lapsed = _member(session, team, "李四", [("潜水员证", "A2", ok, dt.date(2025, 4, 30))])
        _member(session, team, "王五", [])  # has none
        _member(session, team, "赵六", [], active=False)  # inactive members do not count
        drill = _drill(
            session,
            unit,
            "DR-W",
            D(2025, 5, 20, 9),
            participants=[{"team_id": team.id}],
            required_certificates=["潜水员证"],
        )
        found = _kinds(session, "certificate_expired")
        assert [(c.subject, c.date) for c in found] == [
            ("T-WR/李四", dt.date(2025, 5, 20)),
            ("T-WR/王五", dt.date(2025, 5, 20)),
        ]
        assert "2025-04-30 过期" in found[0].reason_zh
        assert "没有该证书" in found[1].reason_zh
        # 李四 renews, 王五 leaves the team
        lapsed.certificates.append(
            Certificate(
                cert_type="潜水员证",
                number="A3",
                issued_on=dt.date(2025, 5, 1),
                expires_on=dt.date(2028, 5, 1),
            )
        )
        wang = session.query(Member).filter_by(name="王五").one()
        wang.active = False
        session.flush()
        assert _kinds(session, "certificate_expired") == []
        # a certificate issued only after the drill does not help
        lapsed.certificates[-1].issued_on = dt.date(2025, 5, 21)
        session.flush()
        found = _kinds(session, "certificate_expired")
        assert len(found) == 1 and "2025-05-21" in found[0].reason_zh
        editing.update_drill(
            session,
            drill_id=drill.id,
            expected_version=drill.row_version,
            changes={"required_certificates": []},
        )
        assert _kinds(session, "certificate_expired") == []


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


def test_plan_overdue_before_its_drill(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        # published 1 March 2022, never drilled: due by 1 March 2025 (every 3 years)
        plan = _plan(session, unit, "QP-ZX-2022-001", published_on=dt.date(2022, 3, 1))
        drill = _drill(session, unit, "DR-P", D(2025, 5, 20, 9), plan_ids=[plan.id])
        found = _kinds(session, "plan_overdue_before_drill")
        assert [(c.subject, c.date, c.drill_codes) for c in found] == [
            ("QP-ZX-2022-001", dt.date(2025, 3, 1), ("DR-P",))
        ]
        assert "2025-03-01" in found[0].reason_zh and "80 天" in found[0].reason_zh
        _move(session, drill, D(2025, 2, 20, 9))
        assert _kinds(session, "plan_overdue_before_drill") == []


def test_plan_due_in_the_year_without_a_drill(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        # drilled 10 June 2024 by a conducted drill; every 6 months: due 10 December 2024
        risky = _plan(
            session,
            unit,
            "QP-QY-001",
            holder_class=HolderClass.HIGH_RISK,
            published_on=dt.date(2020, 1, 1),
        )
        _drill(
            session,
            unit,
            "DR-2024",
            D(2024, 6, 10, 9),
            plan_ids=[risky.id],
            status=DrillStatus.CONDUCTED,
        )
        # published 15 August 2022: due 15 August 2025
        later = _plan(session, unit, "QP-ZX-002", published_on=dt.date(2022, 8, 15))
        _plan(session, unit, "QP-ZX-003", published_on=dt.date(2024, 1, 1))  # due 2027
        _plan(session, unit, "QP-ZX-004", status=PlanStatus.DRAFTING)  # not in force
        _plan(
            session,
            unit,
            "QP-ZX-005",
            status=PlanStatus.ABOLISHED,
            published_on=dt.date(2010, 1, 1),
        )
        found = _kinds(session, "plan_overdue_before_drill")
        assert [(c.subject, c.date, c.drill_codes) for c in found] == [
            ("QP-QY-001", dt.date(2024, 12, 10), ()),
            ("QP-ZX-002", dt.date(2025, 8, 15), ()),
        ]
        assert "年初即已逾期" in found[0].reason_zh and "DR-2024" in found[0].reason_zh
        # drilling the risky plan in March covers it until September: due again then
        _drill(session, unit, "DR-R1", D(2025, 3, 10, 9), plan_ids=[risky.id])
        found = _kinds(session, "plan_overdue_before_drill")
        assert [(c.subject, c.date, c.drill_codes) for c in found] == [
            ("QP-QY-001", dt.date(2024, 12, 10), ("DR-R1",)),
            ("QP-ZX-002", dt.date(2025, 8, 15), ()),
            ("QP-QY-001", dt.date(2025, 9, 10), ()),
        ]
        _drill(session, unit, "DR-R2", D(2025, 9, 8, 9), plan_ids=[risky.id])
        _drill(session, unit, "DR-L", D(2025, 8, 14, 9), plan_ids=[later.id])
        found = _kinds(session, "plan_overdue_before_drill")
        # the only clash left is that the risky plan was already overdue at the March drill
        assert [(c.subject, c.date, c.drill_codes) for c in found] == [
            ("QP-QY-001", dt.date(2024, 12, 10), ("DR-R1",))
        ]


def test_cancelled_drills_never_clash(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session)
        team = f.team(session, unit)
        _drill(
            session, unit, "DR-A", D(2025, 5, 17, 9), participants=[{"team_id": team.id}], venue="X"
        )
        b = _drill(
            session, unit, "DR-B", D(2025, 5, 17, 9), participants=[{"team_id": team.id}], venue="X"
        )
        assert {c.kind for c in find_conflicts(session, year=YEAR)} == {
            "team_double_booked",
            "venue_double_booked",
            "non_working_day",
        }
        editing.transition_status(session, drill_id=b.id, to="cancelled")
        assert [c.drill_codes for c in find_conflicts(session, year=YEAR)] == [("DR-A",)]
