"""The pre-flood-season check (issue 15 item 3): the checklist against a hand-computed example,
the window from the settings, the setting refused through the core and the command line, the
command's exit codes and JSON, and the printed checklist."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Certificate, Member, Plan, Quota, Setting
from drillplan.hazards import matrix
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import (
    DrillStatus,
    EmergencyCategory,
    HolderClass,
    PlanKind,
    PlanStatus,
    Readiness,
    UnitKind,
)
from drillplan.readiness.preseason import SECTIONS, preseason_check, season_window
from drillplan.reports.registry import build_report
from tests import factories as f

AS_OF = dt.date(2026, 5, 10)  # the 2026 season: 06-01..09-30, the check opens 05-02


def _plan(session: Session, owner: Any, code: str, hazards: list[str]) -> Plan:
    row = Plan(code=code, title=f"预案{code}", kind=PlanKind.SPECIAL,
               category=EmergencyCategory.NATURAL, owner_unit_id=owner.id,
               holder_class=HolderClass.GOVERNMENT, status=PlanStatus.PUBLISHED,
               approved_on=dt.date(2024, 1, 1), published_on=dt.date(2024, 1, 1),
               hazards=hazards)  # fmt: skip
    session.add(row)
    session.flush()
    return row


def _member(session: Session, team: Any, name: str, expires: dt.date | str | None) -> None:
    member = Member(team_id=team.id, name=name, active=True)
    session.add(member)
    session.flush()
    if expires != "none":
        session.add(Certificate(member_id=member.id, cert_type="救援员", number=name,
                                issued_on=dt.date(2024, 1, 1), expires_on=expires))  # fmt: skip
    session.flush()


def _world(db: Database) -> None:
    with db.session() as session:
        office = f.unit(session, code="310118-YJJ", name="青浦区应急管理局",
                        kind=UnitKind.GOVERNMENT)  # fmt: skip
        bags = f.material(session, code="3010101", name="编织袋", uom="条", flood_control=True)
        tents = f.material(session, code="1010101", name="单帐篷", uom="顶")
        pump = f.material(session, code="2060101", name="潜水泵", uom="台", shelf_life_days=None)
        gen = f.material(session, code="2050101", name="柴油发电机组", uom="台",
                         shelf_life_days=None)  # fmt: skip
        boat = f.material(session, code="2030101", name="橡皮艇", uom="艘")
        jacket = f.material(session, code="2010101", name="救生衣", uom="件")
        depot, qp = f.depot(session, office, code="D-QP", name="区防汛物资仓库")
        session.add(Quota(depot_id=depot.id, material_id=bags.id, required_qty=Decimal(1000)))
        session.add(Quota(depot_id=depot.id, material_id=tents.id, required_qty=Decimal(10)))
        f.lot(session, bags, qp, "B1", on_hand=Decimal(800))
        # expires before the season starts: not usable on its first day
        f.lot(session, bags, qp, "B2", on_hand=Decimal(500), expiry_date=dt.date(2026, 5, 15))
        kw: dict[str, Any] = {"expiry_date": None, "production_date": None}
        f.lot(session, pump, qp, "P1", on_hand=Decimal(2), last_inspected_on=dt.date(2025, 7, 1),
              **kw)  # fmt: skip
        f.lot(session, pump, qp, "P2", on_hand=Decimal(1), last_inspected_on=dt.date(2025, 5, 31),
              **kw)  # fmt: skip
        f.lot(session, pump, qp, "P0", on_hand=Decimal(0), **kw)  # used up: not a line
        f.lot(session, gen, qp, "G1", on_hand=Decimal(1), **kw)
        f.lot(session, boat, qp, "K1", on_hand=Decimal(3), expiry_date=dt.date(2026, 9, 30))
        f.lot(session, jacket, qp, "J1", on_hand=Decimal(50), expiry_date=dt.date(2026, 8, 1))
        fx = f.team(session, office, code="T-FX", name="防汛抢险队", specialties=["防汛抢险"])
        _member(session, fx, "甲", None)
        _member(session, fx, "乙", dt.date(2026, 8, 1))  # lapses before the season ends
        _member(session, fx, "丙", "none")  # holds none: not a lapse
        f.team(session, office, code="T-LIM", name="街镇队", specialties=["防汛抢险"],
               readiness=Readiness.LIMITED)  # fmt: skip
        ok = f.team(session, office, code="T-OK", name="水上队", specialties=["水上救援"])
        _member(session, ok, "丁", dt.date(2027, 1, 1))
        sw = f.team(session, office, code="T-SW", name="通信保障队", specialties=["通信"])
        _member(session, sw, "戊", None)
        f.team(session, office, code="T-MED", name="医疗队", specialties=["医疗救护"])
        fx_plan = _plan(session, office, "YA-FX", ["防汛"])
        tf_plan = _plan(session, office, "YA-TF", [])  # flood-related through the matrix
        _plan(session, office, "YA-EQ", ["地震"])  # not flood-related
        for code, plan, day in (("DR-FX", fx_plan, 20), ("DR-TF", tf_plan, 40)):
            start = dt.datetime(2025, 9, 1, 9) + dt.timedelta(days=day)
            drill = f.drill(session, office, code=code, status=DrillStatus.CONDUCTED,
                            starts_at=start, ends_at=start + dt.timedelta(hours=2))  # fmt: skip
            drill.plans.append(plan)
        session.flush()
        matrix.ensure_starter_hazards(session)
        matrix.link_plan(session, hazard="台风", plan="YA-TF", min_level="蓝")
        matrix.add_team_line(session, hazard="台风", level="橙", team="T-SW", headcount=2)
        matrix.add_material_line(session, hazard="台风", level="蓝", material="编织袋",
                                 quantity="500", depot="D-QP")  # fmt: skip
        matrix.add_material_line(
            session, hazard="台风", level="黄", material="编织袋", quantity="5000", depot="D-QP"
        )  # not the lowest level


def test_the_checklist_line_by_line(db: Database) -> None:
    _world(db)
    with db.sessions() as session:
        check = preseason_check(session, as_of=AS_OF)
    w = check.window
    assert (w.year, w.opens, w.season_start, w.season_end, check.due) == (
        2026, dt.date(2026, 5, 2), dt.date(2026, 6, 1), dt.date(2026, 9, 30), True)  # fmt: skip
    assert check.judged_on == dt.date(2026, 6, 1)
    assert check.inspected_since == dt.date(2025, 6, 1)  # 365 days before the season starts
    got = [(ln.section, ln.code, ln.ok, ln.figures.get("batch") or ln.figures.get("source"))
           for ln in check.lines]  # fmt: skip
    assert [(s, c, ok) for s, c, ok, _x in got if s not in ("plans", "teams")] == [
        ("materials", "3010101", True),
        ("materials", "3010101", False),
        ("pumps", "2050101", False),
        ("pumps", "2060101", True),
        ("pumps", "2060101", False),
        ("boats", "2010101", False),
        ("boats", "2030101", True),
    ]
    matrix_line, quota_line = check.section("materials")
    assert matrix_line.figures["source"] == "matrix:typhoon:blue"
    assert (matrix_line.figures["required"], matrix_line.figures["usable"]) == (500, 800)
    # B2 expires before the season's first day: 800 usable of the 1000 quota
    assert (quota_line.figures["required"], quota_line.figures["usable"],
            quota_line.figures["short"]) == (1000, 800, 200)  # fmt: skip
    assert quota_line.what == "储备定额 1,000 条，可用 800，差 200 条"
    assert quota_line.place == "D-QP 区防汛物资仓库"
    pumps = {ln.figures["batch"]: ln for ln in check.section("pumps")}
    assert pumps["G1"].what == "批次 G1（1 台）从未检查"
    assert pumps["P2"].what == "批次 P2（1 台）最近一次检查 2025-05-31，应在 2025-06-01 或以后"
    assert "P0" not in pumps
    boats = {ln.figures["batch"]: ln for ln in check.section("boats")}
    assert "早于汛期结束 2026-09-30" in boats["J1"].what and boats["K1"].ok
    plans = {ln.code: ln for ln in check.section("plans")}
    assert set(plans) == {"YA-FX", "YA-TF"}
    assert not plans["YA-FX"].ok and "上一汛期结束（2025-09-30）后未演练" in plans["YA-FX"].what
    assert plans["YA-TF"].ok and plans["YA-TF"].figures["last_drill"] == dt.date(2025, 10, 11)
    teams = {ln.code: ln for ln in check.section("teams")}
    assert set(teams) == {"T-FX", "T-LIM", "T-OK", "T-SW"}
    assert teams["T-FX"].what == "1 名队员的证书已过期或在汛期结束前到期（乙）"
    assert teams["T-LIM"].what == "状态为“部分可用”，不是待命"
    assert teams["T-OK"].ok
    assert teams["T-SW"].what == "持证 1 人，矩阵要求 2 人"
    assert (len(check.lines), len(check.missing)) == (13, 8)
    data = check.as_dict()
    assert [s["key"] for s in data["sections"]] == [key for key, _zh, _en in SECTIONS]
    assert [s["missing_count"] for s in data["sections"]] == [1, 2, 1, 1, 3]


def test_the_window_follows_the_settings(db: Database) -> None:
    with db.session() as session:
        settings.set_text(session, "flood_season_start", "07-01")
        settings.set_text(session, "flood_season_end", "10-15")
        settings.set_text(session, "preseason_lead_days", "10")
    with db.sessions() as session:
        w = season_window(session, as_of=dt.date(2026, 6, 20))
        assert (w.year, w.opens, w.season_start, w.season_end) == (
            2026, dt.date(2026, 6, 21), dt.date(2026, 7, 1), dt.date(2026, 10, 15))  # fmt: skip
        assert not w.due_on(dt.date(2026, 6, 20))
        assert w.due_on(dt.date(2026, 6, 21)) and w.due_on(dt.date(2026, 10, 15))
        assert preseason_check(session, as_of=dt.date(2026, 10, 15)).window.year == 2026
        after = preseason_check(session, as_of=dt.date(2026, 10, 16))
        assert (after.window.year, after.window.opens, after.due) == (
            2027, dt.date(2027, 6, 21), False)  # fmt: skip
        assert season_window(session, as_of=AS_OF, year=2030).season_end == dt.date(2030, 10, 15)
        with pytest.raises(ValidationError) as refused:
            season_window(session, as_of=AS_OF, year=1800)
        assert refused.value.field == "year"


@pytest.mark.parametrize("text", ["181", "-1", "三十", "", "2.5"])
def test_the_lead_days_setting_is_refused_with_its_field(db: Database, text: str) -> None:
    with db.session() as session, pytest.raises(ValidationError) as refused:
        settings.set_text(session, "preseason_lead_days", text)
    assert refused.value.field == "preseason_lead_days"
    assert "汛前检查提前天数" in refused.value.message
    with db.sessions() as session:
        assert session.get(Setting, "preseason_lead_days") is None
    assert settings.option("preseason_lead_days").parse("0") == 0


def test_the_command_line_settings_door(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", db.url, "settings", "set", "preseason_lead_days", "200"]) == 2
    err = capsys.readouterr().err
    assert "preseason_lead_days" in err and "汛前检查提前天数" in err
    assert main(["--db", db.url, "settings", "set", "preseason_inspection_days", "0"]) == 2
    assert "preseason_inspection_days" in capsys.readouterr().err
    assert main(["--db", db.url, "settings", "set", "preseason_lead_days", "45"]) == 0
    capsys.readouterr()
    argv = ["--db", db.url, "readiness", "--preseason", "--year", "2026", "--format", "json"]
    assert main([*argv, "--as-of", "2026-04-17"]) == 0  # an empty register: nothing missing
    data = json.loads(capsys.readouterr().out)
    assert (data["opens"], data["lead_days"], data["due"]) == ("2026-04-17", 45, True)


def test_the_command_exit_codes_and_json(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _world(db)
    base = ["--db", db.url, "readiness", "--preseason", "--as-of", AS_OF.isoformat()]
    assert main([*base, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "year", "as_of", "opens", "season_start", "season_end", "lead_days", "due", "judged_on",
        "inspected_since", "ok", "lines_count", "missing_count", "sections",
    }  # fmt: skip
    assert (data["year"], data["due"], data["lines_count"], data["missing_count"]) == (
        2026, True, 13, 8)  # fmt: skip
    line = data["sections"][0]["lines"][1]
    assert {k: line[k] for k in ("section", "code", "status", "ref", "required", "short")} == {
        "section": "materials", "code": "3010101", "status": "missing", "ref": "quota",
        "required": 1000, "short": 200}  # fmt: skip
    assert main(base) == 1
    table = capsys.readouterr().out
    assert "2026年汛前检查" in table and "缺项 8 项" in table and "3. 船艇与救生器材有效期" in table
    assert main([*base, "--hazard", "台风"]) == 2
    assert "preseason" in capsys.readouterr().err
    assert main(["--db", db.url, "readiness", "--year", "2026"]) == 2
    with pytest.raises(SystemExit) as bad:
        main([*base, "--year", "1800"])
    assert bad.value.code == 2


def test_the_printed_checklist(db: Database, tmp_path: Path) -> None:
    _world(db)
    out = tmp_path / "pre.pdf"
    with db.session() as session:
        result = build_report(session, "preseason", out, as_of=AS_OF, year=2026)
    assert result.figures["lines"] == 13 and result.figures["missing"] == 8
    pages = PdfReader(out).pages
    text = "".join(p.extract_text() for p in pages)
    for n, (_key, zh, _en) in enumerate(SECTIONS):
        assert f"{'一二三四五'[n]}、{zh}" in text
    assert "汛前检查表" in text and f"第 1 页 共 {len(pages)} 页" in text
    assert "2026年汛期 2026-06-01 至 2026-09-30" in text and "缺项" in text
    en = tmp_path / "pre-en.pdf"
    with db.session() as session:
        build_report(session, "preseason", en, as_of=AS_OF, lang="en")
    text = "".join(p.extract_text() for p in PdfReader(en).pages)
    assert "Pre-Flood-Season Check" in text and "1. Flood-control materials" in text
