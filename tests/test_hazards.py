"""The warning-level response matrix (issue 15 item 2): editing it, refusals, the hazard check
against a hand-computed example, the command line and the printed check."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import (
    AuditLog,
    Certificate,
    HazardMaterialLine,
    HazardPlan,
    HazardTeamLine,
    Lot,
    Member,
    Plan,
)
from drillplan.hazards import matrix
from drillplan.hazards.levels import parse_level
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import (
    DepotTier,
    EmergencyCategory,
    HolderClass,
    PlanKind,
    PlanStatus,
    Readiness,
    UnitKind,
)
from drillplan.readiness.hazard_check import hazard_check
from tests import factories as f

AS_OF = dt.date(2026, 12, 1)


def _members(session, team, valid: int, *, expired: int = 0, inactive: int = 0) -> None:  # type: ignore[no-untyped-def]
    """``valid`` active members with a valid certificate, ``expired`` active ones whose only
    certificate expired, ``inactive`` ones with a valid certificate but no longer active."""
    kinds = [("v", True, None)] * valid + [("x", True, dt.date(2026, 1, 1))] * expired
    kinds += [("i", False, None)] * inactive
    for n, (tag, active, expires) in enumerate(kinds):
        member = Member(team_id=team.id, name=f"{team.code}{tag}{n}", active=active)
        session.add(member)
        session.flush()
        session.add(Certificate(member_id=member.id, cert_type="救援员", number=f"{team.code}{n}",
                                issued_on=dt.date(2024, 1, 1), expires_on=expires))  # fmt: skip
    session.flush()


def _plan(session, owner, code: str, published: dt.date, **kw: Any) -> Plan:  # type: ignore[no-untyped-def]
    row = Plan(code=code, title=kw.pop("title", f"预案{code}"), kind=PlanKind.SPECIAL,
               category=EmergencyCategory.NATURAL, owner_unit_id=owner.id,
               holder_class=HolderClass.GOVERNMENT, status=kw.pop("status", PlanStatus.PUBLISHED),
               approved_on=published, published_on=published, **kw)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _world(db: Database) -> None:
    """Three units, three depots, two materials, two teams, two plans, the starter hazards."""
    with db.session() as session:
        office = f.unit(session, code="310118-YJJ", name="青浦区应急管理局",
                        kind=UnitKind.GOVERNMENT)  # fmt: skip
        xiayang = f.unit(session, code="310118001", name="夏阳街道", kind=UnitKind.STREET_TOWN,
                         parent_id=office.id)  # fmt: skip
        yingpu = f.unit(session, code="310118002", name="盈浦街道", kind=UnitKind.STREET_TOWN,
                        parent_id=office.id)  # fmt: skip
        bags = f.material(session, code="2030101", name="编织袋", uom="条")
        jackets = f.material(session, code="2020101", name="救生衣", uom="件")
        _d, qp = f.depot(session, office, code="D-QP", name="区防汛物资仓库")
        _d, xy = f.depot(session, xiayang, code="D-XY", name="夏阳街道储备点",
                         tier=DepotTier.STREET)  # fmt: skip
        _d, yp = f.depot(session, yingpu, code="D-YP", name="盈浦街道储备点",
                         tier=DepotTier.STREET, keeper_phone="13800000001")  # fmt: skip
        f.lot(session, bags, qp, "B1", on_hand=Decimal(5000))
        f.lot(session, bags, qp, "B2", on_hand=Decimal(1000), expiry_date=dt.date(2026, 11, 30))
        f.lot(session, bags, xy, "B3", on_hand=Decimal(800))
        f.lot(session, bags, yp, "B4", on_hand=Decimal(3000))
        f.lot(session, jackets, qp, "J1", on_hand=Decimal(100))
        fx = f.team(session, office, code="T-FX", name="区防汛抢险队", readiness=Readiness.READY)
        _members(session, fx, 3, expired=1, inactive=1)
        sw = f.team(session, office, code="T-SW", name="水上救援队", readiness=Readiness.LIMITED)
        _members(session, sw, 2)
        _plan(session, office, "YA-TF", dt.date(2026, 6, 1), title="青浦区防台风专项应急预案")
        _plan(session, office, "YA-OLD", dt.date(2020, 1, 1), title="旧防汛预案")
        matrix.ensure_starter_hazards(session)


def _matrix(db: Database) -> None:
    with db.session() as session:
        matrix.link_plan(session, hazard="台风", plan="YA-TF", levels="黄、橙、红")
        matrix.link_plan(session, hazard="台风", plan="YA-OLD", min_level="红")
        matrix.add_team_line(session, hazard="台风", level="黄", team="T-FX", headcount="2")
        matrix.add_team_line(session, hazard="台风", level="Ⅰ级", team="T-FX", headcount=4)
        matrix.add_team_line(session, hazard="台风", level="橙", team="水上救援队", headcount=2)
        matrix.add_material_line(session, hazard="台风", level="黄", material="编织袋",
                                 quantity="1000", depot="D-XY")  # fmt: skip
        matrix.add_material_line(session, hazard="typhoon", level="red", material="2030101",
                                 quantity="4,000", depot="区防汛物资仓库")  # fmt: skip
        matrix.add_material_line(session, hazard="台风", level="橙", material="救生衣",
                                 quantity="80")  # fmt: skip


def test_levels_are_parsed_from_the_words_people_use() -> None:
    assert [parse_level(x) for x in ("蓝", "黄色", "ORANGE", "Ⅰ级", "IV", "三级")] == [
        "blue", "yellow", "orange", "red", "blue", "yellow"]  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        parse_level("紫")
    assert refused.value.field == "level"


def test_the_check_at_red_line_by_line(db: Database) -> None:
    _world(db)
    _matrix(db)
    with db.sessions() as session:
        result = hazard_check(session, hazard="台风", level="红", as_of=AS_OF)
    teams = {t.code: t for t in result.teams}
    # T-FX: the red line (4) governs the yellow one (2); 3 counted (expired and inactive not)
    fx = teams["T-FX"]
    assert (fx.from_level, fx.headcount, fx.counted, fx.short, fx.ok) == ("red", 4, 3, 1, False)
    sw = teams["T-SW"]  # enough people, but not ready
    assert (sw.headcount, sw.counted, sw.short, sw.ready, sw.ok) == (2, 2, 0, False, False)
    mats = {(m.code, m.place_code): m for m in result.materials}
    xy = mats[("2030101", "D-XY")]
    assert (xy.required, xy.usable, xy.short, xy.uom) == (1000, 800, 200, "条")
    # nearest surplus: 盈浦 beside 夏阳 first, then the district depot (5000 usable - 4000 kept)
    assert [(s.code, s.surplus, s.covers) for s in xy.nearest] == [
        ("D-YP", 3000, True), ("D-QP", 1000, True)]  # fmt: skip
    assert xy.nearest[0].phone == "13800000001"
    qp = mats[("2030101", "D-QP")]
    assert (qp.required, qp.usable, qp.ok) == (4000, 5000, True)  # the expired 1000 not counted
    jk = mats[("2020101", "")]
    assert (jk.place_kind, jk.required, jk.usable, jk.ok) == ("district", 80, 100, True)
    plans = {p.code: p for p in result.plans}
    assert plans["YA-TF"].current and plans["YA-TF"].from_level == "yellow"
    assert not plans["YA-OLD"].current
    assert any("评估逾期" in x for x in plans["YA-OLD"].problems)
    assert any("演练逾期" in x for x in plans["YA-OLD"].problems)
    missing = [(m["kind"], m["code"]) for m in result.missing]
    assert missing == [("team", "T-SW"), ("team", "T-FX"), ("material", "2030101"),
                       ("plan", "YA-OLD")]  # fmt: skip
    assert not result.ok
    data = result.as_dict()
    assert set(data) == {"hazard", "hazard_name", "level", "level_label", "as_of", "ok",
                         "missing_count", "teams", "materials", "plans", "missing"}  # fmt: skip
    assert data["missing_count"] == 4


def test_lower_levels_do_not_see_higher_lines(db: Database) -> None:
    _world(db)
    _matrix(db)
    with db.sessions() as session:
        result = hazard_check(session, hazard="台风", level="黄", as_of=AS_OF)
    assert [(t.code, t.headcount, t.ok) for t in result.teams] == [("T-FX", 2, True)]
    assert [(m.place_code, m.short) for m in result.materials] == [("D-XY", 200)]
    # at yellow the district depot keeps nothing back: all 5000 are surplus
    assert [(s.code, s.surplus) for s in result.materials[0].nearest] == [
        ("D-YP", 3000), ("D-QP", 5000)]  # fmt: skip
    assert [p.code for p in result.plans] == ["YA-TF"]
    assert [m["kind"] for m in result.missing] == ["material"]


def test_a_level_with_no_plan_is_missing_and_a_full_match_is_ok(db: Database) -> None:
    _world(db)
    with db.session() as session:
        result = hazard_check(session, hazard="洪水", level="蓝", as_of=AS_OF)  # 防汛 alias
        assert [m["what"] for m in result.missing] == ["没有在此级别启动的预案"]
        matrix.link_plan(session, hazard="防汛", plan="YA-TF", min_level="蓝")
        matrix.add_team_line(session, hazard="防汛", level="蓝", team="T-FX", headcount=3)
        result = hazard_check(session, hazard="防汛", level="红", as_of=AS_OF)
    assert result.ok and result.missing == ()


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda s: matrix.add_material_line(s, hazard="台风", level="红", material="帐篷",
                                            quantity=1), "material"),
        (lambda s: matrix.add_team_line(s, hazard="台风", level="红", team="T-NONE",
                                        headcount=1), "team"),
        (lambda s: matrix.add_team_line(s, hazard="高温", level="蓝", team="T-FX",
                                        headcount=1), "level"),
        (lambda s: matrix.add_material_line(s, hazard="台风", level="红", material="编织袋",
                                            quantity="0"), "quantity"),
        (lambda s: matrix.add_material_line(s, hazard="台风", level="红", material="编织袋",
                                            quantity="-5"), "quantity"),
        (lambda s: matrix.add_team_line(s, hazard="台风", level="红", team="T-FX",
                                        headcount="0"), "headcount"),
        (lambda s: matrix.link_plan(s, hazard="台风", plan="YA-TF", levels="黄,红"), "levels"),
        (lambda s: matrix.link_plan(s, hazard="台风", plan="YA-TF", levels="蓝,黄"), "levels"),
        (lambda s: matrix.link_plan(s, hazard="高温", plan="YA-TF", levels="蓝,黄,橙,红"),
         "levels"),
        (lambda s: matrix.link_plan(s, hazard="台风", plan="YA-NONE", min_level="红"), "plan"),
        (lambda s: matrix.add_material_line(s, hazard="地震", level="红", material="编织袋",
                                            quantity=1), "hazard"),
        (lambda s: matrix.add_material_line(s, hazard="台风", level="红", material="编织袋",
                                            quantity=1, depot="D-XY", unit="310118001"), "depot"),
        (lambda s: matrix.set_levels(s, hazard="台风", levels="黄,红"), "levels"),
    ],
)  # fmt: skip
def test_bad_input_is_refused_with_its_field_and_nothing_changes(
    db: Database, call: Any, field: str
) -> None:
    _world(db)
    with db.sessions() as session:
        audit_before = session.scalar(select(func.count(AuditLog.id)))
    with db.session() as session, pytest.raises(ValidationError) as refused:
        call(session)
    assert refused.value.field == field
    with db.sessions() as session:
        for model in (HazardPlan, HazardTeamLine, HazardMaterialLine):
            assert session.scalar(select(func.count(model.id))) == 0
        assert session.scalar(select(func.count(AuditLog.id))) == audit_before


def test_duplicates_and_levels_in_use(db: Database) -> None:
    _world(db)
    _matrix(db)
    with db.session() as session:
        with pytest.raises(ValidationError) as refused:
            matrix.add_team_line(session, hazard="台风", level="黄", team="T-FX", headcount=9)
        assert refused.value.field == "team"
        with pytest.raises(ValidationError) as refused:
            matrix.set_levels(session, hazard="台风", levels="橙,红")  # yellow lines exist
        assert (refused.value.field, refused.value.rule) == ("levels", "level_in_use")
        matrix.remove_team_line(session, hazard="台风", level="黄", team="T-FX")
        matrix.remove_material_line(session, hazard="台风", level="黄", material="编织袋",
                                    depot="D-XY")  # fmt: skip
        matrix.unlink_plan(session, hazard="台风", plan="YA-TF")
        assert matrix.set_levels(session, hazard="台风", levels="橙、红").levels == [
            "orange", "red"]  # fmt: skip
        actions = set(session.scalars(select(AuditLog.action)))
    assert {"hazard_team_line.create", "hazard_team_line.delete", "hazard.levels",
            "hazard_plan.delete", "hazard_material_line.delete"} <= actions  # fmt: skip


def _cli(db: Database, *args: str) -> int:
    return main(["--db", db.url, *args])


def test_the_command_line(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _world(db)
    _matrix(db)
    capsys.readouterr()
    check = ["readiness", "--hazard", "台风", "--level", "红", "--as-of", AS_OF.isoformat()]
    assert _cli(db, *check, "--format", "json") == 1
    data = json.loads(capsys.readouterr().out)
    assert (data["hazard"], data["level"], data["ok"], data["missing_count"]) == (
        "typhoon", "red", False, 4)  # fmt: skip
    team_keys = {"team", "team_name", "from_level", "headcount", "readiness", "ready", "counted",
                 "short", "ok", "problem", "phone", "alternatives"}  # fmt: skip
    assert set(data["teams"][0]) == team_keys
    line = next(m for m in data["materials"] if m["place_code"] == "D-XY")
    assert (line["required"], line["usable"], line["short"]) == (1000, 800, 200)
    assert set(line["nearest_surplus"][0]) == {"kind", "code", "name", "unit", "surplus", "phone",
                                               "covers"}  # fmt: skip
    assert set(data["plans"][0]) == {"plan", "title", "from_level", "status", "current",
                                     "problems", "problems_en"}  # fmt: skip
    assert _cli(db, *check) == 1
    text = capsys.readouterr().out
    assert "缺项 4 项" in text and "D-YP" in text
    assert _cli(db, "readiness", "--hazard", "高温", "--level", "蓝") == 2
    assert "level" in capsys.readouterr().err
    assert _cli(db, "readiness", "--hazard", "地震", "--level", "红") == 2
    assert _cli(db, "readiness", "--hazard", "台风") == 2
    assert _cli(db, "readiness", "--level", "bogus") == 2
    capsys.readouterr()

    assert _cli(db, "hazards", "list", "--format", "json") == 0
    rows = {r["name"]: r for r in json.loads(capsys.readouterr().out)}
    assert rows["高温"]["levels"] == ["yellow", "orange", "red"]
    assert (rows["台风"]["plans"], rows["台风"]["teams"], rows["台风"]["materials"]) == (2, 3, 3)
    assert _cli(db, "hazards", "add-line", "防汛", "--level", "橙", "--material", "救生衣",
                "--quantity", "50", "--unit", "310118001", "--format", "json") == 0  # fmt: skip
    added = json.loads(capsys.readouterr().out)
    assert added["lines"] == [{"kind": "material", "level": "orange", "code": "2020101",
                               "name": "救生衣", "amount": 50, "uom": "件", "place": "310118001",
                               "level_label": "橙色（Ⅱ级）"}]  # fmt: skip
    assert _cli(db, "hazards", "add-line", "防汛", "--level", "橙", "--material", "救生衣",
                "--quantity", "0") == 2  # fmt: skip
    assert "quantity: " in capsys.readouterr().err
    assert _cli(db, "hazards", "add-line", "防汛", "--plan", "YA-TF", "--levels", "蓝,橙,红") == 2
    assert "levels: " in capsys.readouterr().err
    assert _cli(db, "hazards", "add-line", "防汛", "--level", "红", "--team", "T-X",
                "--headcount", "3") == 2  # fmt: skip
    assert "team: " in capsys.readouterr().err
    assert _cli(db, "hazards", "levels", "防汛", "--format", "json") == 0
    assert len(json.loads(capsys.readouterr().out)["lines"]) == 1
    assert _cli(db, "hazards", "remove-line", "防汛", "--level", "橙", "--material", "救生衣",
                "--unit", "夏阳街道") == 0  # fmt: skip
    assert _cli(db, "hazards", "levels", "高温", "--set", "黄,橙,红", "--format", "json") == 0
    capsys.readouterr()
    with db.sessions() as session:
        assert session.scalar(select(func.count(HazardMaterialLine.id))) == 3


def test_the_printed_check(db: Database, tmp_path: Path) -> None:
    from pypdf import PdfReader

    from drillplan.reports.registry import build_report

    _world(db)
    _matrix(db)
    with db.sessions() as session:
        result = build_report(session, "hazard-check", tmp_path / "h.pdf", as_of=AS_OF,
                              hazard="台风", level="红")  # fmt: skip
    reader = PdfReader(str(result.path))
    text = "".join(page.extract_text() for page in reader.pages).replace("\n", "")
    assert "台风" in text and "区防汛抢险队" in text and "D-YP" in text and "YA-OLD" in text
    assert result.figures == {"teams": 2, "materials": 3, "plans": 2, "missing": 4}


def test_the_demo_matrix_shows_a_shortfall(db: Database) -> None:
    from drillplan.demo import load_demo

    with db.session() as session:
        load_demo(session, as_of=AS_OF)
    with db.sessions() as session:
        typhoon = hazard_check(session, hazard="台风", level="红", as_of=AS_OF)
        flood = hazard_check(session, hazard="防汛", level="红", as_of=AS_OF)
        blue = hazard_check(session, hazard="台风", level="蓝", as_of=AS_OF)
    assert not typhoon.ok
    boats = next(m for m in typhoon.materials if m.code == "2030102")
    assert boats.place_code == "CK-310118102" and boats.short > 0 and boats.nearest
    assert ("team", "TD-SH-03") in {(m["kind"], m["code"]) for m in typhoon.missing}
    assert len(flood.teams) == 3 and len(flood.materials) == 4 and len(flood.plans) == 5
    assert len(blue.teams) == 1 and len(blue.plans) == 1  # only the blue lines


def test_a_team_or_material_on_the_matrix_is_not_deleted(db: Database) -> None:
    from drillplan.db.models import Material, Team
    from drillplan.org.teams import delete_team
    from drillplan.stock.catalogue import delete_material

    _world(db)
    with db.session() as session:
        matrix.add_team_line(session, hazard="台风", level="红", team="T-SW", headcount=2)
        matrix.add_material_line(session, hazard="台风", level="红", material="救生衣",
                                 quantity=1)  # fmt: skip
        team = session.scalar(select(Team).where(Team.code == "T-SW"))
        jackets = session.scalar(select(Material).where(Material.code == "2020101"))
        assert team is not None and jackets is not None
        with pytest.raises(ValidationError) as refused:
            delete_team(session, team_id=team.id)
        assert "预警响应待命" in refused.value.message
        session.execute(Lot.__table__.delete().where(Lot.material_id == jackets.id))
        with pytest.raises(ValidationError) as refused:
            delete_material(session, material_id=jackets.id)
        assert "预警响应矩阵" in refused.value.message
