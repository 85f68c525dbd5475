"""Shelters and dual-use facilities (issue 14 item 3): classes, register, inspections, the
audit, the readiness component, the command line and import/export."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from sqlalchemy import func, select

from drillplan import settings
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Facility, FacilityInspection, Unit
from drillplan.facilities import audit, classes, register
from drillplan.interchange import stale
from drillplan.interchange.exporter import export_file, export_rows
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.kernel.errors import EditConflict, ValidationError
from drillplan.kernel.vocab import EmergencyUse, UnitKind
from drillplan.org import units
from drillplan.readiness.facility_facts import facility_facts
from drillplan.readiness.score import readiness
from tests import factories as f

AS_OF = dt.date(2026, 12, 1)


def _world(db: Database) -> dict[str, int]:
    """Two street-towns (one with no shelter), the office, the starter classes."""
    with db.session() as session:
        office = f.unit(session, code="310118-YJJ", name="青浦区应急管理局")
        xiayang = f.unit(session, code="310118001", name="夏阳街道", kind=UnitKind.STREET_TOWN,
                         population=100_000)  # fmt: skip
        jinze = f.unit(session, code="310118104", name="金泽镇", kind=UnitKind.STREET_TOWN,
                       population=50_000)  # fmt: skip
        classes.ensure_starter_classes(session)
        return {"office": office.id, "xiayang": xiayang.id, "jinze": jinze.id}


def _gym(session, ids: dict[str, int], **kw) -> Facility:  # type: ignore[no-untyped-def]
    values = {
        "code": "QP-BN-001", "name": "青浦区体育馆", "class_id": "II",
        "street_unit_id": ids["xiayang"], "unit_in_charge_id": ids["office"],
        "capacity_people": "3000", "area_m2": "12000", "amenities": "供水、供电、厕所",
        "phone": "021-59721234", "last_inspected_on": "2026年10月15日",
    } | kw  # fmt: skip
    return register.create_facility(session, user="form", **values)


def test_create_edit_and_the_audit_log(db: Database) -> None:
    ids = _world(db)
    with db.session() as session:
        gym = _gym(session, ids)
        assert (gym.capacity_people, gym.last_inspected_on) == (3000, dt.date(2026, 10, 15))
        assert gym.amenities == ["water", "power", "toilets"]
        assert gym.emergency_use == EmergencyUse.SHELTERING
        register.update_facility(session, facility_id=gym.id, expected_version=1,
                                 capacity_people=3500, emergency_use="医疗救治")  # fmt: skip
        assert (gym.capacity_people, gym.emergency_use, gym.row_version) == (
            3500, EmergencyUse.MEDICAL, 2)  # fmt: skip
        with pytest.raises(EditConflict):
            register.update_facility(session, facility_id=gym.id, expected_version=1, name="x")
        actions = set(session.scalars(select(AuditLog.action)))
        assert {"facility.create", "facility.update", "facility_class.create"} <= actions


@pytest.mark.parametrize(
    ("change", "field", "says"),
    [
        ({"capacity_people": "-5"}, "capacity_people", "可容纳人数"),
        ({"area_m2": "-1"}, "area_m2", "不能为负数"),
        ({"phone": "5972"}, "phone", "“5972”格式不正确"),
        ({"emergency_use": "打麻将"}, "emergency_use", "打麻将"),
        ({"amenities": "供水、游泳池"}, "amenities", "游泳池"),
        ({"class_id": "IV"}, "class_id", "IV"),
        ({"street_unit_id": "310118-YJJ"}, "street_unit_id", "不是街道/镇"),
        ({"last_inspected_on": "2026-13-40"}, "last_inspected_on", ""),
        ({"name": ""}, "name", "不能为空"),
    ],
)
def test_bad_input_is_refused_with_its_field(
    db: Database, change: dict[str, str], field: str, says: str
) -> None:
    ids = _world(db)
    with db.session() as session, pytest.raises(ValidationError) as refused:
        _gym(session, ids, **change)
    assert refused.value.field == field and says in refused.value.message
    with db.sessions() as session:
        assert session.scalar(select(func.count(Facility.id))) == 0


def test_class_rules(db: Database) -> None:
    _world(db)
    with db.session() as session:
        with pytest.raises(ValidationError) as refused:
            classes.create_class(session, code="X", name="X", kind="应急避难场所",
                                 min_capacity="500", max_capacity="100")  # fmt: skip
        assert refused.value.field == "max_capacity"
        with pytest.raises(ValidationError) as refused:
            classes.create_class(session, code="II", name="重复", kind="避难点")
        assert refused.value.field == "code"
        assert classes.ensure_starter_classes(session) == 0  # already there


def test_an_inspection_moves_the_last_date_and_keeps_history(db: Database) -> None:
    ids = _world(db)
    with db.session() as session:
        gym = _gym(session, ids)
        register.record_inspection(session, facility_id=gym.id, inspected_on="2026-11-20",
                                   inspector="张伟", result="合格", today=AS_OF)  # fmt: skip
        register.record_inspection(session, facility_id=gym.id, inspected_on="2026-09-01",
                                   inspector="李娜", result="有问题", today=AS_OF)  # fmt: skip
        assert gym.last_inspected_on == dt.date(2026, 11, 20)  # an older one does not move it
        assert session.scalar(select(func.count(FacilityInspection.id))) == 2
        with pytest.raises(ValidationError) as refused:
            register.record_inspection(session, facility_id=gym.id, inspected_on="2027-01-01",
                                       inspector="张伟", today=AS_OF)  # fmt: skip
        assert refused.value.field == "inspected_on"
        with pytest.raises(ValidationError) as refused:
            register.record_inspection(session, facility_id=gym.id, inspected_on="2026-11-01",
                                       inspector="", today=AS_OF)  # fmt: skip
        assert refused.value.field == "inspector"


def test_audit_overdue_due_soon_and_capacity_per_street(db: Database) -> None:
    ids = _world(db)
    with db.session() as session:
        _gym(session, ids, last_inspected_on="2026-08-01")  # 90 days -> due 10-30: overdue
        _gym(
            session,
            ids,
            code="QP-BN-002",
            name="夏阳湖公园",
            class_id="I",
            capacity_people="8000",
            last_inspected_on="2026-09-15",
        )  # due 12-14: within 30
        _gym(
            session,
            ids,
            code="QP-BN-003",
            name="新建公园",
            capacity_people="9000",
            status="在建",
            last_inspected_on=None,
        )  # being built: neither counted nor due
        result = audit.audit(session, as_of=AS_OF, horizon=30)
    assert [i.code for i in result.overdue] == ["QP-BN-001"]
    assert result.overdue[0].days_overdue == 32
    assert [(i.code, i.days_overdue) for i in result.due_soon] == [("QP-BN-002", -13)]
    streets = {s.name: s for s in result.streets}
    xiayang, jinze = streets["夏阳街道"], streets["金泽镇"]
    assert (xiayang.shelters, xiayang.capacity, xiayang.ratio) == (2, 11000, 0.11)
    assert (xiayang.problem, xiayang.coverage) == ("", 1.0)  # 11000 >= 100000 x 0.1
    assert (jinze.shelters, jinze.problem) == (0, "no_shelter")
    assert result.findings == 2  # one overdue inspection, one street-town with no shelter
    with db.session() as session:
        settings.set_value(session, "shelter_capacity_ratio", 0.2)
    with db.sessions() as session:
        xiayang = {s.name: s for s in audit.street_capacity(session)}["夏阳街道"]
    assert (xiayang.problem, xiayang.coverage) == ("below_target", 0.55)


def test_the_readiness_component_is_explained(db: Database) -> None:
    ids = _world(db)
    with db.session() as session:
        _gym(session, ids, last_inspected_on="2026-08-01", capacity_people="5000")
        facts = list(facility_facts(session, as_of=AS_OF))
    by = {(x.table, x.label): x for x in facts}
    assert by[("facility", "青浦区体育馆 巡查")].good == 0
    assert "逾期 32 天" in by[("facility", "青浦区体育馆 巡查")].problem
    assert by[("unit", "夏阳街道 避难容量")].good == pytest.approx(0.5)  # 5000 / 10000
    assert by[("unit", "金泽镇 避难容量")].good == 0
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF)
        comp = {c.key: c for c in result.district.components}["facilities"]
        assert comp.total == 3 and float(comp.good) == pytest.approx(0.5)
        assert comp.value == pytest.approx(16.7)
        assert {p.label for p in comp.problems} == {
            "青浦区体育馆 巡查", "夏阳街道 避难容量", "金泽镇 避难容量",
        }  # fmt: skip
        assert any(fx.component == "facilities" for fx in result.fixes)


def test_no_facility_means_no_data_and_unchanged_scores(db: Database) -> None:
    _world(db)  # street-towns with populations, but no facility
    with db.sessions() as session:
        facts = list(facility_facts(session, as_of=AS_OF))
        comp = {c.key: c for c in readiness(session, as_of=AS_OF).district.components}
    assert facts == [] and comp["facilities"].value is None


def test_unit_population_is_checked_by_the_unit_form(db: Database) -> None:
    with db.session() as session:
        row = units.create_unit(session, code="310118105", name="赵巷镇", kind="镇",
                                tier="街镇级", population="56000")  # fmt: skip
        assert row.population == 56000
        with pytest.raises(ValidationError) as refused:
            units.update_unit(session, unit_id=row.id, expected_version=None, population="-3")
        assert refused.value.field == "population"


def _cli(db: Database, *args: str) -> int:
    return main(["--db", db.url, *args])


def test_the_command_line(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    ids = _world(db)
    with db.session() as session:
        _gym(session, ids, last_inspected_on="2026-08-01")
    capsys.readouterr()
    assert (
        _cli(
            db,
            "facilities",
            "add",
            "--code",
            "QP-BN-009",
            "--name",
            "朱家角中学",
            "--class",
            "III",
            "--street",
            "金泽镇",
            "--unit-in-charge",
            "310118-YJJ",
            "--capacity",
            "800",
            "--emergency-use",
            "避难安置",
            "--format",
            "json",
        )
        == 0
    )
    made = json.loads(capsys.readouterr().out)
    assert (made["code"], made["capacity_people"], made["overdue"]) == ("QP-BN-009", 800, True)
    assert _cli(db, "facilities", "edit", "QP-BN-009", "--phone", "123") == 2
    assert "phone: " in capsys.readouterr().err
    assert (
        _cli(
            db,
            "facilities",
            "inspect",
            "QP-BN-009",
            "--inspector",
            "张伟",
            "--date",
            "2026-11-30",
            "--format",
            "json",
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["last_inspected_on"] == "2026-11-30"
    assert _cli(db, "facilities", "audit", "--as-of", AS_OF.isoformat(), "--format", "json") == 1
    found = json.loads(capsys.readouterr().out)
    assert [o["code"] for o in found["overdue"]] == ["QP-BN-001"]
    assert {s["name"]: s["problem"] for s in found["streets"]} == {
        "夏阳街道": "below_target", "金泽镇": "below_target"}  # fmt: skip
    assert _cli(db, "facilities", "list", "--search", "朱家角", "--format", "json") == 0
    assert [r["code"] for r in json.loads(capsys.readouterr().out)] == ["QP-BN-009"]
    assert (
        _cli(
            db,
            "facilities",
            "classes",
            "add",
            "--code",
            "PARK",
            "--name",
            "公园避难点",
            "--kind",
            "避难点",
            "--stay-type",
            "紧急",
            "--format",
            "json",
        )
        == 0
    )
    assert json.loads(capsys.readouterr().out)["kind"] == "shelter_point"
    assert _cli(db, "facilities", "classes", "edit", "PARK", "--max-capacity", "-1") == 2
    assert "max_capacity" in capsys.readouterr().err
    assert _cli(db, "facilities", "remove", "QP-BN-009") == 0
    assert "已删除场所" in capsys.readouterr().out
    assert _cli(db, "units", "set", "310118104", "--population", "52000", "--format",
                "json") == 0  # fmt: skip
    assert json.loads(capsys.readouterr().out)["population"] == 52000
    with db.sessions() as session:
        assert session.scalar(select(Unit.population).where(Unit.code == "310118104")) == 52000
        assert session.scalar(select(func.count(Facility.id))) == 1


def test_import_round_trip_and_a_bad_cell(db: Database, tmp_path: Path) -> None:
    ids = _world(db)
    with db.session() as session:
        _gym(session, ids)
        _gym(session, ids, code="QP-BN-002", name="国家会展中心（上海）", class_id="DUAL",
             emergency_use="隔离", normal_use="会展", conversion_hours="48")  # fmt: skip
    for name in ("facility-classes", "facilities"):
        with db.sessions() as session:
            export_file(session, KINDS[name], tmp_path / f"{name}.xlsx")
            before = list(export_rows(session, KINDS[name]))
        with db.session() as session:
            report = import_file(session, KINDS[name], tmp_path / f"{name}.xlsx", today=AS_OF)
        assert report.problems == [] and report.created == report.updated == 0, name
        with db.sessions() as session:
            assert list(export_rows(session, KINDS[name])) == before
    assert before[1]["amenities"] == ["water", "power", "toilets"]
    with db.sessions() as session:  # the export carries each row's version (记录版本)
        assert set(stale.stamps(session, KINDS["facilities"]).values()) == {1}
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "场所编号,场所名称,分类,所在街镇,责任单位,可容纳人数,联系电话\n"
        "QP-BN-010,赵巷公园,III,310118001,310118-YJJ,500,021-59721234\n"
        "QP-BN-011,徐泾中学,III,310118001,310118-YJJ,600,5972\n",
        encoding="utf-8",
    )
    with db.session() as session:
        report = import_file(session, KINDS["facilities"], bad, today=AS_OF)
    assert [(p.row, p.column) for p in report.problems] == [(3, "联系电话")]
    with db.sessions() as session:
        assert session.scalar(select(func.count(Facility.id))) == 2  # nothing written


def test_the_report_prints_register_overdue_and_capacity(db: Database, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from drillplan.reports.registry import build_report

    ids = _world(db)
    with db.session() as session:
        _gym(session, ids, last_inspected_on="2026-08-01")
    with db.sessions() as session:
        result = build_report(session, "facilities", tmp_path / "f.pdf", as_of=AS_OF)
    text = "".join(page.extract_text() for page in PdfReader(str(result.path)).pages)
    text = text.replace("\n", "")
    assert "青浦区体育馆" in text and "二、巡查逾期" in text and "金泽镇" in text
    assert "无避难场所" in text  # 金泽镇 has none
    assert result.figures == {"facilities": 1, "overdue": 1, "streets_below_target": 2}
