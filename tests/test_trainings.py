"""Training and public education events: create, edit, bad input refused with its field,
materials issued through the ledger, never a drill of a plan, yearly totals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Lot, Movement, Plan, TrainingEvent
from drillplan.drills import plan_due as drill_plan_due
from drillplan.kernel.errors import EditConflict, ValidationError
from drillplan.kernel.vocab import (
    EmergencyCategory,
    HolderClass,
    MovementKind,
    PlanKind,
    PlanStatus,
    TrainingKind,
    UnitKind,
)
from drillplan.plans.due import plan_due
from drillplan.stock import ledger
from drillplan.stock.check import run_checks
from drillplan.trainings import events, materials, read
from tests import factories as f

TODAY = dt.date(2025, 12, 1)


def _setup(session: Session) -> dict[str, Any]:
    office = f.unit(session, "YJJ", name="青浦区应急管理局")
    zhujiajiao = f.unit(session, "ZJJ", name="朱家角镇", kind=UnitKind.STREET_TOWN)
    xiayang = f.unit(session, "XY", name="夏阳街道", kind=UnitKind.STREET_TOWN)
    plan = Plan(
        code="QP-ZX-001",
        title="青浦区防汛防台专项应急预案",
        kind=PlanKind.SPECIAL,
        category=EmergencyCategory.NATURAL,
        owner_unit_id=office.id,
        status=PlanStatus.PUBLISHED,
        holder_class=HolderClass.GOVERNMENT,
        published_on=dt.date(2022, 1, 10),
        approved_on=dt.date(2022, 1, 5),
    )
    session.add(plan)
    team = f.team(session, office, "QP-T01")
    session.flush()
    return {"office": office, "zjj": zhujiajiao, "xy": xiayang, "plan": plan, "team": team}


def _event(session: Session, s: dict[str, Any], **kw: Any) -> TrainingEvent:
    values: dict[str, Any] = {
        "title": "防灾减灾日科普宣传",
        "kind": "科普宣传",
        "starts_at": "2025-05-12 09:00",
        "ends_at": "2025-05-12 11:30",
        "street_unit_id": s["zjj"].id,
        "organiser_unit_id": s["office"].id,
        "venue": "朱家角镇文化广场",
        "audience": "社区居民",
        "headcount": "120",
        "topics": "防汛防台、家庭应急包",
    }
    values.update(kw)
    return events.create_event(session, user="tester", **values)


def test_create_numbers_parses_and_audits(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        e = _event(session, s, plan_ids=[s["plan"].id], team_ids=[s["team"].id])
        second = _event(session, s, title="第二场")
        assert e.code == "QP-PX-2025-001" and second.code == "QP-PX-2025-002"
        assert e.kind is TrainingKind.PUBLICITY
        assert e.starts_at == dt.datetime(2025, 5, 12, 9, 0)
        assert e.headcount == 120 and e.topics == ["防汛防台", "家庭应急包"]
        assert [p.code for p in e.plans] == ["QP-ZX-001"] and [t.code for t in e.teams] == [
            "QP-T01"
        ]
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.table_name == "training_event")
        )
        assert list(actions) == ["training.create", "training.create"]
        no_end = _event(session, s, ends_at=None, starts_at="2025/6/3")
        assert no_end.ends_at == no_end.starts_at == dt.datetime(2025, 6, 3, 9, 0)


def test_edit_keeps_other_fields_and_locks(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        e = _event(session, s, plan_ids=[s["plan"].id])
        version = e.row_version
        events.update_event(
            session, event_id=e.id, expected_version=version, headcount=150, team_ids=[s["team"].id]
        )
        assert e.headcount == 150 and e.title == "防灾减灾日科普宣传"
        assert [p.code for p in e.plans] == ["QP-ZX-001"] and len(e.teams) == 1
        with pytest.raises(EditConflict):
            events.update_event(session, event_id=e.id, expected_version=version, headcount=1)
        record = read.event_record(session, e.id)
        assert record["headcount"] == 150 and record["team_ids"] == [s["team"].id]
        events.delete_event(session, event_id=e.id)
        assert session.scalar(select(func.count(TrainingEvent.id))) == 0


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"title": " "}, "title"),
        ({"kind": "演习"}, "kind"),
        ({"starts_at": "2025-13-40"}, "starts_at"),
        ({"ends_at": "2025-05-11 09:00"}, "ends_at"),
        ({"headcount": "-3"}, "headcount"),
        ({"headcount": "很多"}, "headcount"),
        ({"organiser_unit_id": None}, "organiser_unit_id"),
        ({"code": "坏 编号"}, "code"),
        ({"plan_ids": [99999]}, "plan_ids"),
    ],
)
def test_bad_input_is_refused_with_its_field(db: Database, change: dict, field: str) -> None:
    with db.session() as session:
        s = _setup(session)
        with pytest.raises(ValidationError) as err:
            _event(session, s, **change)
        assert err.value.field == field
        assert session.scalar(select(func.count(TrainingEvent.id))) == 0


def test_street_must_be_a_street_or_town(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        with pytest.raises(ValidationError) as err:
            _event(session, s, street_unit_id=s["office"].id)
        assert err.value.field == "street_unit_id" and "不是街道或镇" in err.value.message


def test_database_refuses_end_before_start(db: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with db.session() as session:
        s = _setup(session)
        session.add(
            TrainingEvent(
                code="X1",
                title="t",
                kind=TrainingKind.LECTURE,
                starts_at=dt.datetime(2025, 1, 2),
                ends_at=dt.datetime(2025, 1, 1),
                organiser_unit_id=s["office"].id,
                headcount=0,
                topics=[],
            )
        )
        with pytest.raises(IntegrityError):
            session.flush()


def _stock(session: Session, s: dict[str, Any]) -> dict[str, Any]:
    mat = f.material(session, "2020101", name="灭火器", uom="具")
    _, holder = f.depot(session, s["office"], "QP-D01")
    for batch, qty, expiry in (
        ("LATE", 30, dt.date(2028, 1, 1)),
        ("EARLY", 10, dt.date(2026, 6, 1)),
    ):
        ledger.receive(
            session,
            holder_id=holder.id,
            material_id=mat.id,
            quantity=qty,
            on=dt.date(2025, 1, 10),
            batch_no=batch,
            expiry_date=expiry,
            today=TODAY,
        )
    return {"mat": mat, "holder": holder}


def test_materials_are_issued_through_the_ledger(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        st = _stock(session, s)
        e = _event(session, s)
        changes = materials.issue_for_event(
            session,
            event_id=e.id,
            holder_id=st["holder"].id,
            material_id=st["mat"].id,
            quantity="15",
            today=TODAY,
        )
        assert len(changes.movements) == 2  # FEFO: all of EARLY, then 5 of LATE
        on_hand = dict(session.execute(select(Lot.batch_no, Lot.on_hand)).tuples().all())
        assert on_hand == {"EARLY": Decimal(0), "LATE": Decimal(25)}
        moves = session.scalars(select(Movement).where(Movement.kind == MovementKind.ISSUE)).all()
        assert {m.document_no for m in moves} == {e.code}
        assert all(m.moved_on == dt.date(2025, 5, 12) for m in moves)
        assert all("防灾减灾日科普宣传" in (m.reason or "") for m in moves)
        lines = materials.issues_of(session, e.id)
        assert [(x.batch_no, x.quantity) for x in lines] == [
            ("EARLY", Decimal(10)),
            ("LATE", Decimal(5)),
        ]
        assert sum(x.quantity for x in lines) == Decimal(15)
        assert run_checks(session) == []


def test_never_below_zero_and_nothing_written(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        st = _stock(session, s)
        e = _event(session, s)
        ids = (e.id, st["holder"].id, st["mat"].id)
    with pytest.raises(ValidationError) as err, db.session() as session:
        materials.issue_for_event(
            session, event_id=ids[0], holder_id=ids[1], material_id=ids[2], quantity=41,
            today=TODAY,
        )  # fmt: skip
    assert err.value.field == "quantity"
    with db.session() as session:
        issues = select(func.count(Movement.id)).where(Movement.kind == MovementKind.ISSUE)
        assert session.scalar(issues) == 0
        assert sum(session.scalars(select(Lot.on_hand))) == Decimal(40)


def test_an_event_with_issues_keeps_its_code_and_cannot_be_deleted(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        st = _stock(session, s)
        e = _event(session, s)
        materials.issue_for_event(
            session, event_id=e.id, holder_id=st["holder"].id, material_id=st["mat"].id,
            quantity=1, today=TODAY,
        )  # fmt: skip
        with pytest.raises(ValidationError) as err:
            events.update_event(session, event_id=e.id, expected_version=None, code="NEW-1")
        assert err.value.field == "code"
        with pytest.raises(ValidationError):
            events.delete_event(session, event_id=e.id)


def test_a_training_never_counts_as_a_drill_of_its_plan(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        plan = s["plan"]
        _event(
            session, s, kind="培训", title="防汛预案专题培训", plan_ids=[plan.id],
            starts_at="2025-03-01 09:00", ends_at="2025-03-01 12:00",
        )  # fmt: skip
        [due] = plan_due(session, as_of=dt.date(2025, 12, 1), plan_ids=[plan.id])
        assert due.last_drill is None and due.last_drill_code is None
        assert due.drill_overdue
        years = drill_plan_due.plan_years(session, 2025)
        assert all(not y.events for y in years if y.plan.id == plan.id)


def test_totals_equal_the_rows(db: Database) -> None:
    with db.session() as session:
        s = _setup(session)
        _event(session, s, headcount=100)
        _event(session, s, headcount=20, kind="进学校")
        _event(session, s, headcount=35, kind="进学校", street_unit_id=s["xy"].id)
        _event(session, s, headcount=7, kind="讲座", street_unit_id=None)
        _event(session, s, headcount=999, starts_at="2024-05-12")  # another year
        t = read.totals(session, 2025)
        rows = read.events_of_year(session, 2025)
        assert t.total == (len(rows), sum(r.headcount for r in rows)) == (4, 162)
        assert t.cells[("朱家角镇", TrainingKind.PUBLICITY)] == (1, 100)
        assert t.cells[("朱家角镇", TrainingKind.SCHOOL)] == (1, 20)
        assert t.row("朱家角镇") == (2, 120)
        assert t.column(TrainingKind.SCHOOL) == (2, 55)
        assert t.streets == ["夏阳街道", "朱家角镇", read.NO_STREET]
        assert sum(r["headcount"] for r in t.records()) == 162
        assert len(read.events_of_year(session, 2025, kind=TrainingKind.SCHOOL)) == 2
        assert len(read.events_of_year(session, 2025, street_id=s["xy"].id)) == 1


def test_public_education_days() -> None:
    days = {d.zh: d.on for d in read.public_education_days(2025)}
    assert days["全国防灾减灾日"] == dt.date(2025, 5, 12)
    assert days["国际减灾日"] == dt.date(2025, 10, 8)  # second Wednesday
    assert days["全国消防日"] == dt.date(2025, 11, 9)
    assert read.public_education_days(2026)[2].on == dt.date(2026, 10, 14)


def test_import_round_trip_and_bad_cell(db: Database, tmp_path: Any) -> None:
    from drillplan.interchange.exporter import export_file, export_rows
    from drillplan.interchange.importer import import_file

    with db.session() as session:
        s = _setup(session)
        _event(session, s, plan_ids=[s["plan"].id], team_ids=[s["team"].id])
        _event(session, s, kind="进学校", street_unit_id=None, topics="消防、地震", notes="备注")
    path = tmp_path / "trainings.xlsx"
    with db.session() as session:
        before = list(export_rows(session, "trainings"))
        assert export_file(session, "trainings", path).rows == 2
        for e in session.scalars(select(TrainingEvent)):
            events.delete_event(session, event_id=e.id)
    with db.session() as session:
        report = import_file(session, "trainings", path, today=TODAY)
        assert report.problems == [] and report.created == 2
    with db.session() as session:
        assert list(export_rows(session, "trainings")) == before
        again = import_file(session, "trainings", path, today=TODAY)
        assert again.problems == [] and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "日期,类型,主题,组织单位,人数\n2025-05-12,科普宣传,防汛,YJJ,50\n2025-06-01,科普宣传,消防,YJJ,很多\n",
        encoding="utf-8",
    )
    with db.session() as session:
        report = import_file(session, "trainings", bad, today=TODAY)
        assert [(p.row, p.column) for p in report.problems] == [(3, "人数")]
        assert session.scalar(select(func.count(TrainingEvent.id))) == 2  # nothing written


def test_report_renders_totals_and_events(db: Database, tmp_path: Any) -> None:
    from pypdf import PdfReader

    from drillplan.reports.registry import build_report

    with db.session() as session:
        s = _setup(session)
        _event(session, s, headcount=100)
        _event(
            session, s, headcount=35, kind="进学校", street_unit_id=s["xy"].id, title="消防进校园"
        )
    with db.session() as session:
        result = build_report(session, "trainings", tmp_path / "t.pdf", as_of=TODAY, year=2025)
    assert result.figures == {"year": 2025, "events": 2, "headcount": 135}
    text = "\n".join(p.extract_text() for p in PdfReader(str(result.path)).pages)
    for needle in (
        "2025 年度培训与宣教统计",
        "夏阳街道",
        "朱家角镇",
        "2 / 135",
        "消防进校园",
        "第 1 页 共",
    ):
        assert needle in text, needle


def test_shared_mode_role_and_scope(db: Database) -> None:
    """A viewer writes nothing; a street editor registers events its own unit organises and
    issues from its own depot, never for another street."""
    from drillplan.auth.context import bind_actor
    from drillplan.kernel.errors import PermissionDenied
    from tests.support.org import TODAY as ORG_DAY
    from tests.support.org import actor_of, build_org

    org = build_org(db)

    def add(session: Session, organiser: int) -> TrainingEvent:
        return events.create_event(
            session, title="进社区宣传", kind="进社区", starts_at=ORG_DAY,
            organiser_unit_id=organiser, street_unit_id=org.s1,
        )  # fmt: skip

    for user, organiser in (("viewer", org.s1), ("keeper1", org.s2)):
        bind_actor(db, actor_of(db, user))
        with pytest.raises(PermissionDenied), db.session() as session:
            add(session, organiser)
        bind_actor(db, None)
    bind_actor(db, actor_of(db, "keeper1"))
    try:
        with db.session() as session:
            event = add(session, org.s1)
            materials.issue_for_event(
                session, event_id=event.id, holder_id=org.holder1, material_id=org.material,
                quantity=3, today=ORG_DAY,
            )  # fmt: skip
            event_id = event.id
        with pytest.raises(PermissionDenied), db.session() as session:
            materials.issue_for_event(
                session, event_id=event_id, holder_id=org.holder2, material_id=org.material,
                quantity=1, today=ORG_DAY,
            )  # fmt: skip
    finally:
        bind_actor(db, None)
    with db.session() as session:
        assert [x.quantity for x in materials.issues_of(session, event_id)] == [Decimal(3)]
        actions = session.scalars(
            select(AuditLog.username).where(AuditLog.action == "training.create")
        )
        assert list(actions) == ["keeper1"]
