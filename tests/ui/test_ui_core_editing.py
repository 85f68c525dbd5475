"""The Qt-free commands and queries behind the UI (the areas' writes and their read.py).

No Qt here: these run like every other core test, on SQLite and (when configured) PostgreSQL.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # no Qt is used here; kept for symmetry

import datetime as dt
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from drillplan.competitions import deleting as competition_deleting
from drillplan.competitions import read as competitions_read
from drillplan.db import connection
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Depot, Drill, Holder, Plan, PlanDocument, Team, Unit
from drillplan.demo import load_demo
from drillplan.drills import calendar, moving
from drillplan.drills import deleting as drill_deleting
from drillplan.drills.rrule import RuleParts, build_rrule, describe, parse_parts
from drillplan.kernel.errors import Conflict, NotFound, ValidationError
from drillplan.kernel.vocab import DrillStatus, PlanStatus
from drillplan.org import read as org_read
from drillplan.org import teams, units
from drillplan.plans import deleting as plan_deleting
from drillplan.plans import documents
from drillplan.plans import read as plans_read
from drillplan.readiness import dashboard
from drillplan.readiness.score import COMPONENTS, readiness
from drillplan.stock import catalogue as depots
from drillplan.stock import read as stock_read

AS_OF = dt.date(2025, 6, 1)


@pytest.fixture
def demo(db: Database) -> Database:
    with db.session() as session:
        load_demo(session, as_of=AS_OF)
    return db


def unit_id(db: Database) -> int:
    with db.session() as session:
        return session.scalars(select(Unit.id).order_by(Unit.id)).first()  # type: ignore[return-value]


def test_teams_members_certificates(demo: Database) -> None:
    owner = unit_id(demo)
    with demo.session() as session, pytest.raises(ValidationError) as err:
        teams.create_team(session, code="T-X", name="x", kind="social", owner_unit_id=owner)
    assert err.value.field == "credit_code"  # social forces need their code
    with demo.session() as session, pytest.raises(ValidationError) as err:
        teams.create_team(
            session,
            code="T-X",
            name="x",
            kind="social",
            owner_unit_id=owner,
            credit_code="52310118MJ01QHKGW4",
        )
    assert err.value.field == "credit_code" and "校验位" in err.value.message
    with demo.session() as session:
        team = teams.create_team(
            session,
            code="T-X",
            name="x",
            kind="social",
            owner_unit_id=owner,
            credit_code="52310118mj01qhkgw4",
            credit_code_override=True,
            duty_phone="+86 138-0013-8000",
            user="u",
        )
        team_id = team.id
        assert team.credit_code == "52310118MJ01QHKGW4" and team.duty_phone == "13800138000"
    with demo.session() as session, pytest.raises(Conflict):
        teams.update_team(session, team_id=team_id, expected_version=99, name="y")
    with demo.session() as session:
        teams.update_team(
            session, team_id=team_id, expected_version=1, name="新名称", credit_code_override=True
        )
        member = teams.add_member(session, team_id=team_id, name="王强", phone="021-59720000")
        cert = teams.add_certificate(
            session,
            member_id=member.id,
            cert_type="救生员",
            number="N1",
            issued_on="2024-01-01",
            expires_on="2026/1/1",
        )
        assert cert.expires_on == dt.date(2026, 1, 1)
        member_id = member.id
    with demo.session() as session, pytest.raises(ValidationError) as err:
        teams.add_certificate(
            session,
            member_id=member_id,
            cert_type="救生员",
            number="N1",
            issued_on=dt.date(2024, 1, 1),
        )
    assert err.value.field == "number"
    with demo.session() as session:
        assert [r.name for r in org_read.team_members(session, team_id)] == ["王强"]
        assert org_read.team_record(session, team_id)["name"] == "新名称"
        teams.delete_team(session, team_id=team_id)
        assert session.get(Team, team_id) is None
        actions = set(session.scalars(select(AuditLog.action).where(AuditLog.username == "u")))
        assert "team.create" in actions


def test_team_in_use_is_not_deleted(demo: Database) -> None:
    with demo.session() as session:
        used = session.scalar(select(Team.id).where(Team.code == "TD-ZY-01"))
    with demo.session() as session, pytest.raises(ValidationError, match="不能删除"):
        teams.delete_team(session, team_id=used)  # type: ignore[arg-type]


def test_depots_materials_quotas_units(demo: Database) -> None:
    owner = unit_id(demo)
    with demo.session() as session:
        depot = depots.create_depot(
            session,
            code="CK-T",
            name="测试库",
            tier="street",
            owner_unit_id=owner,
            capacity_m3="12.5",
        )
        assert session.scalar(select(Holder.id).where(Holder.depot_id == depot.id)) is not None
        material = depots.create_material(session, code="9990001", name="测试", uom="件")
        quota = depots.set_quota(
            session, depot_id=depot.id, material_id=material.id, required_qty="10"
        )
        assert quota is not None and quota.required_qty == Decimal(10)
        assert (
            depots.set_quota(session, depot_id=depot.id, material_id=material.id, required_qty="")
            is None
        )
        depot_id, material_id = depot.id, material.id
    with demo.session() as session, pytest.raises(ValidationError, match="7 位数字"):
        depots.create_material(session, code="12", name="x", uom="件")
    with demo.session() as session:
        depots.update_depot(session, depot_id=depot_id, expected_version=1, keeper="李明")
        depots.delete_material(session, material_id=material_id)
        depots.delete_depot(session, depot_id=depot_id)
        assert session.get(Depot, depot_id) is None
        unit = units.create_unit(session, code="U-T", name="测试单位", kind="department")
        units.update_unit(session, unit_id=unit.id, expected_version=1, phone="13800138000")
    with demo.session() as session:
        stocked = session.scalar(select(Holder.depot_id).where(Holder.depot_id.is_not(None)))
    with demo.session() as session, pytest.raises(ValidationError, match="台账"):
        depots.delete_depot(session, depot_id=stocked)  # type: ignore[arg-type]


def test_deleting_plans_drills_competitions_and_documents(demo: Database) -> None:
    with demo.session() as session:
        published = session.scalar(select(Plan.id).where(Plan.status == PlanStatus.PUBLISHED))
        held = session.scalar(select(Drill.id).where(Drill.status == DrillStatus.EVALUATED))
    with demo.session() as session, pytest.raises(ValidationError, match="废止"):
        plan_deleting.delete_plan(session, plan_id=published)  # type: ignore[arg-type]
    with demo.session() as session, pytest.raises(ValidationError):
        drill_deleting.delete_drill(session, drill_id=held)  # type: ignore[arg-type]
    with demo.session() as session:
        doc = documents.add_document(session, plan_id=published, path="/srv/预案/总体预案.pdf")  # type: ignore[arg-type]
        assert doc.title == "总体预案.pdf"
        assert [d.title for d in plans_read.documents(session, published)] == ["总体预案.pdf"]  # type: ignore[arg-type]
        documents.remove_document(session, document_id=doc.id)
        assert session.scalar(select(func.count(PlanDocument.id))) == 0
        competition = competitions_read.competition_choices(session)[0][0]
        assert competition_deleting.delete_competition(session, competition_id=competition) > 0
    with demo.session() as session, pytest.raises(NotFound):
        plan_deleting.delete_plan(session, plan_id=999_999)


def test_preview_move_changes_nothing_and_move_reports_new_conflicts(demo: Database) -> None:
    with demo.session() as session:
        drill = session.scalars(
            select(Drill)
            .where(Drill.status == DrillStatus.PLANNED, Drill.rrule.is_(None))
            .order_by(Drill.starts_at)
        ).first()
        assert drill is not None
        drill_id, start, version = drill.id, drill.starts_at, drill.row_version
    saturday = start.date() + dt.timedelta(days=(5 - start.weekday()) % 7 or 7)
    with demo.session() as session:
        preview = moving.preview_move(
            session, drill_id=drill_id, original_start=start, day=saturday
        )
        assert preview.new_start.date() == saturday
        assert any(c.kind == "non_working_day" for c in preview.new_conflicts)
    with demo.session() as session:
        assert session.get(Drill, drill_id).starts_at == start  # type: ignore[union-attr]
        audits = session.scalar(
            select(func.count(AuditLog.id)).where(AuditLog.action == "drill.update")
        )
    with demo.session() as session:
        moved = moving.move_to_day(
            session, drill_id=drill_id, original_start=start, day=saturday, expected_version=version
        )
        assert moved.new_start.time() == start.time()
    with demo.session() as session:
        assert session.get(Drill, drill_id).starts_at.date() == saturday  # type: ignore[union-attr]
        after = session.scalar(
            select(func.count(AuditLog.id)).where(AuditLog.action == "drill.update")
        )
        assert after == audits + 1
    with demo.session() as session, pytest.raises(ValidationError):
        moving.move_to_day(session, drill_id=drill_id, original_start=start, day=saturday)


def test_rrule_builder() -> None:
    parts = RuleParts("weekly", 2, ("WE", "MO"), 6, None)
    text = build_rrule(parts)
    assert text == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;COUNT=6"
    assert parse_parts(text) == RuleParts("weekly", 2, ("MO", "WE"), 6, None)
    assert describe(text) == "每 2 周（周一、周三），共 6 次"
    assert describe(text, "en") == "every 2 weeks (Mon, Wed), 6 times"
    until = build_rrule(RuleParts("monthly", 1, (), None, dt.date(2025, 12, 31)))
    assert until == "FREQ=MONTHLY;UNTIL=20251231T235959"
    assert describe(until) == "每月，至 2025-12-31"
    assert build_rrule(RuleParts()) is None and describe(None) == "不重复"
    with pytest.raises(ValidationError):
        build_rrule(RuleParts("weekly"))  # no end
    with pytest.raises(ValidationError):
        parse_parts("FREQ=WEEKLY;BYSETPOS=1;COUNT=2")


def test_dashboard_calendar_and_details(demo: Database) -> None:
    with demo.session() as session:
        data = dashboard.dashboard(session, as_of=AS_OF)
        assert data.horizon == 90 and data.score is not None
        assert data.score == readiness(session, as_of=AS_OF).district.score
        assert [c.key for c in data.components] == list(COMPONENTS)  # every component, in order
        assert data.figure("lots_expired").count > 0
        items = calendar.month_items(session, 2025, 6)
        assert items and all(i.start.month in (5, 6, 7) for i in items)
        tree = stock_read.depot_tree(session)
        assert [t for t, _label, _nodes in tree][:2] == ["city", "district"]
        holder = stock_read.holder_choices(session)[0][0]
        material = stock_read.materials_at(session, holder)[0][0]
        picks = stock_read.fefo_preview(
            session,
            holder_id=holder,
            material_id=material,
            quantity="1",
            on=AS_OF,
            allow_expired=True,
        )
        assert sum(p.take for p in picks) == 1
        lot = picks[0].lot_id
        ledger = stock_read.lot_ledger(session, lot)
        assert ledger[-1].balance == picks[0].on_hand
        plan = session.scalar(select(Plan.id).where(Plan.status == PlanStatus.PUBLISHED))
        history = plans_read.plan_history(session, plan)  # type: ignore[arg-type]
        assert {r.what for r in history} == {"status", "version"}
        state = plans_read.plan_state(session, plan)  # type: ignore[arg-type]
        assert state.allowed == ("revising", "abolished")


def test_connection_check(demo: Database, tmp_path: object) -> None:
    result = connection.check_connection(demo.url)
    assert result.usable and result.revision == result.head
    fresh = connection.check_connection(str(tmp_path) + "/new.sqlite3")
    assert fresh.revision is None and "新建" in fresh.message_zh
    with pytest.raises(ValidationError):
        connection.check_connection("")
    with pytest.raises(ValidationError):
        connection.check_connection("postgresql+psycopg://nobody@127.0.0.1:1/none")
