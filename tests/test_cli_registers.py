"""The register commands end to end on a temporary database: units, teams, members,
certificates, depots, materials, quotas, plans and drills: add, list, set, their JSON keys,
exit status 2 on bad input, and nothing written by a refused command."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlalchemy import func, select

from drillplan.cli.main import main
from drillplan.db.base import Base
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Drill, Team

OWNER = "310118-YJJ"
SOCIAL_CREDIT_CODE = "52310118MJ5X12340X"

UNIT_KEYS = {"id", "code", "name", "kind", "kind_label", "tier", "parent", "credit_code",
             "address", "contact", "phone", "population", "row_version"}  # fmt: skip
TEAM_KEYS = {"id", "code", "name", "kind", "kind_label", "specialties", "owner_unit", "tier",
             "base", "duty_phone", "response_minutes", "readiness", "headcount", "credit_code",
             "agreement_no", "agreement_expires_on", "row_version"}  # fmt: skip
DEPOT_KEYS = {"id", "code", "name", "tier", "tier_label", "owner_unit", "address", "keeper",
              "keeper_phone", "capacity_m3", "row_version",
              "agreement_supplier", "agreement_contact", "agreement_phone"}  # fmt: skip
MATERIAL_KEYS = {"id", "code", "name", "uom", "spec", "shelf_life_days", "needs_rotation",
                 "flood_control", "reference_price", "criticality", "synonyms"}  # fmt: skip
PLAN_KEYS = {"id", "code", "title", "kind", "kind_label", "category", "hazards", "owner_unit",
             "holder_class", "response_levels", "status", "status_label", "version",
             "approved_on", "published_on", "filed_on", "filed_with",
             "evaluation_interval_months", "drill_interval_months", "flood_related", "notes",
             "row_version"}  # fmt: skip
DRILL_KEYS = {"id", "code", "title", "form", "scope", "purpose", "hseep_type", "status",
              "starts_at", "ends_at", "rrule", "exdates", "venue", "organiser", "plans",
              "participants", "weekend_allowed", "flood_related", "required_certificates",
              "row_version"}  # fmt: skip


class Cli:
    """``drillplan --db URL ...`` with its exit status, stdout and stderr."""

    def __init__(self, db: Database, capsys: pytest.CaptureFixture[str]) -> None:
        self.db, self.capsys = db, capsys
        self.out = self.err = ""

    def __call__(self, *argv: str) -> int:
        self.capsys.readouterr()
        status = main(["--db", self.db.url, *argv])
        captured = self.capsys.readouterr()
        self.out, self.err = captured.out, captured.err
        return status

    def json(self, *argv: str) -> Any:
        status = self(*argv, "--format", "json")
        assert status == 0, self.err
        return json.loads(self.out)

    def refused(self, *argv: str) -> str:
        """Run a command that must be refused: exit 2, nothing printed on stdout, nothing
        written; returns stderr."""
        before = counts(self.db)
        assert self(*argv) == 2, (self.out, self.err)
        assert self.out == ""
        assert counts(self.db) == before
        return self.err


def counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


@pytest.fixture
def cli(db: Database, capsys: pytest.CaptureFixture[str]) -> Cli:
    return Cli(db, capsys)


@pytest.fixture
def owner(cli: Cli) -> Cli:
    cli.json("units", "add", "--code", OWNER, "--name", "青浦区应急管理局", "--kind", "部门")
    return cli


# ---------------------------------------------------------------------------------- units


def test_units_add_list_set(cli: Cli) -> None:
    top = cli.json("units", "add", "--code", OWNER, "--name", "青浦区应急管理局", "--kind", "部门",
                   "--tier", "District", "--phone", "021 59721234")  # fmt: skip
    assert set(top) == UNIT_KEYS
    assert (top["kind"], top["tier"], top["phone"], top["parent"]) == (
        "department", "district", "021-59721234", None,
    )  # fmt: skip
    street = cli.json("units", "add", "--code", "310118-001", "--name", "夏阳街道",
                      "--kind", "street_town", "--tier", "街镇级", "--parent", OWNER)  # fmt: skip
    assert (street["parent"], street["tier"]) == (OWNER, "street")
    listed = cli.json("units", "list")
    assert [u["code"] for u in listed] == ["310118-001", OWNER]
    # a unit can be named by its exact name as well as its code (as in an import)
    moved = cli.json("units", "set", "310118-001", "--parent", "", "--contact", "李明")
    assert (moved["parent"], moved["contact"], moved["row_version"]) == (None, "李明", 2)
    assert cli("units", "set", "夏阳街道", "--name", "夏阳街道办事处") == 0
    assert "已修改单位 (unit updated)" in cli.out and "夏阳街道办事处" in cli.out


def test_units_refusals(cli: Cli) -> None:
    err = cli.refused("units", "add", "--code", "U1", "--name", "某局", "--kind", "机关")
    assert "错误 (error): kind:" in err and "机关" in err
    cli.json("units", "add", "--code", "U1", "--name", "某局", "--kind", "部门")
    err = cli.refused("units", "set", "U1", "--parent", "U1")
    assert "parent_id: 上级单位不能是本单位" in err
    err = cli.refused("units", "add", "--code", "U2", "--name", "某局", "--kind", "部门",
                      "--parent", "NOPE")  # fmt: skip
    assert "parent_id: 单位“NOPE”不存在" in err
    err = cli.refused("units", "set", "NOPE", "--name", "x")
    assert "NOPE" in err


# ---------------------------------------------------------------------------------- teams


def test_teams_add_list_set_and_audit(owner: Cli) -> None:
    cli = owner
    team = cli.json("teams", "add", "--code", "QP-T01", "--name", "青浦蓝天救援队",
                    "--kind", "社会应急力量", "--owner", OWNER, "--credit-code",
                    SOCIAL_CREDIT_CODE, "--specialties", "水上救援、山地救援",
                    "--duty-phone", "+86 138 1234 5678", "--response-minutes", "30")  # fmt: skip
    assert set(team) == TEAM_KEYS
    assert (team["kind"], team["owner_unit"], team["tier"], team["readiness"]) == (
        "social", OWNER, "district", "ready",
    )  # fmt: skip
    assert (team["specialties"], team["duty_phone"], team["response_minutes"]) == (
        ["水上救援", "山地救援"], "13812345678", 30,
    )  # fmt: skip
    cli.json("teams", "add", "--code", "QP-T02", "--name", "防汛抢险队", "--kind", "Professional",
             "--owner", "青浦区应急管理局", "--tier", "区级")  # fmt: skip
    assert [t["code"] for t in cli.json("teams", "list")] == ["QP-T01", "QP-T02"]
    assert [t["code"] for t in cli.json("teams", "list", "--search", "防汛")] == ["QP-T02"]
    assert cli("teams", "list", "--format", "csv") == 0
    assert cli.out.splitlines()[0] == "code,name,kind,owner_unit,tier,duty_phone,readiness"
    changed = cli.json("teams", "set", "QP-T02", "--readiness", "部分可用", "--headcount", "25",
                       "--expected-version", "1")  # fmt: skip
    assert (changed["readiness"], changed["headcount"], changed["row_version"]) == (
        "limited", 25, 2,
    )  # fmt: skip
    with cli.db.session() as session:
        team_id = session.scalar(select(Team.id).where(Team.code == "QP-T02"))
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.table_name == "team", AuditLog.row_id == team_id)
        ).all()
        assert actions == ["team.create", "team.update"]


def test_teams_refusals_write_nothing(owner: Cli) -> None:
    cli = owner
    base = ("teams", "add", "--code", "QP-T01", "--name", "蓝天", "--owner", OWNER)
    err = cli.refused(*base, "--kind", "社会应急力量")
    assert "credit_code: 社会应急力量须填写统一社会信用代码" in err
    assert "a social rescue force needs its unified social credit code" in err
    err = cli.refused(*base, "--kind", "专业队伍", "--duty-phone", "123")
    assert "duty_phone: 电话号码“123”格式不正确" in err
    err = cli.refused(*base, "--kind", "专业队伍", "--response-minutes", "半小时")
    assert "response_minutes:" in err
    err = cli.refused("teams", "add", "--code", "QP-T01", "--name", "蓝天", "--kind", "专业队伍",
                      "--owner", "没有的单位")  # fmt: skip
    assert "owner_unit_id: 单位“没有的单位”不存在" in err
    cli.json(*base, "--kind", "专业队伍")
    err = cli.refused(*base, "--kind", "专业队伍")
    assert "code:" in err and "已被使用" in err
    err = cli.refused("teams", "set", "QP-T01", "--kind", "社会应急力量")
    assert "credit_code:" in err
    err = cli.refused("teams", "set", "QP-T01", "--name", "改名", "--expected-version", "7")
    assert "已被他人修改" in err
    assert cli.json("teams", "list")[0]["name"] == "蓝天"


def test_members_and_certificates(owner: Cli) -> None:
    cli = owner
    cli.json("teams", "add", "--code", "QP-T01", "--name", "蓝天", "--kind", "专业队伍",
             "--owner", OWNER)  # fmt: skip
    member = cli.json("members", "add", "--team", "QP-T01", "--name", "张伟",
                      "--phone", "13900001111", "--insured-until", "2026年12月31日")  # fmt: skip
    assert set(member) == {"id", "team", "name", "role", "phone", "insured_until", "active"}
    assert (member["role"], member["insured_until"], member["active"]) == (
        "队员", "2026-12-31", True,
    )  # fmt: skip
    cert = cli.json("certificates", "add", "--team", "QP-T01", "--member", "张伟",
                    "--type", "水上救援员", "--number", "SJ-001", "--issued-on", "2024-01-10",
                    "--expires-on", "2027-01-09")  # fmt: skip
    assert set(cert) == {"id", "team", "member", "cert_type", "number", "issued_on",
                         "expires_on"}  # fmt: skip
    assert [m["name"] for m in cli.json("members", "list", "--team", "QP-T01")] == ["张伟"]
    err = cli.refused("members", "add", "--team", "QP-T01", "--name", "李四", "--phone", "110")
    assert "phone:" in err
    err = cli.refused("certificates", "add", "--team", "QP-T01", "--member", "张伟",
                      "--type", "水上救援员", "--number", "SJ-002", "--issued-on", "2024-01-10",
                      "--expires-on", "2023-01-01")  # fmt: skip
    assert "expires_on:" in err
    err = cli.refused("certificates", "add", "--team", "QP-T01", "--member", "王五",
                      "--type", "x", "--number", "1", "--issued-on", "2024-01-10")  # fmt: skip
    assert "没有这名队员" in err


# ------------------------------------------------------------------- depots and materials


def test_depots_materials_quotas(owner: Cli) -> None:
    cli = owner
    depot = cli.json("depots", "add", "--code", "QP-D01", "--name", "青浦区防汛物资仓库",
                     "--tier", "区级", "--owner", OWNER, "--keeper", "王强",
                     "--keeper-phone", "021-59721234", "--capacity", "1,200")  # fmt: skip
    assert set(depot) == DEPOT_KEYS
    assert (depot["tier"], depot["capacity_m3"], depot["owner_unit"]) == ("district", 1200, OWNER)
    moved = cli.json("depots", "set", "QP-D01", "--tier", "Agreement reserve", "--keeper", "")
    assert (moved["tier"], moved["keeper"], moved["row_version"]) == ("agreement", None, 2)
    assert [d["code"] for d in cli.json("depots", "list")] == ["QP-D01"]

    material = cli.json("materials", "add", "--code", "2010101", "--name", "救生衣",
                        "--uom", "件", "--shelf-life", "1825", "--needs-rotation",
                        "--reference-price", "85.50")  # fmt: skip
    assert set(material) == MATERIAL_KEYS
    assert material["criticality"] == "critical"  # class 2 (equipment): 关键 by default
    assert cli.json("materials", "set", "2010101", "--criticality", "一般")["criticality"] == (
        "general"
    )
    assert (material["shelf_life_days"], material["needs_rotation"], material["flood_control"]) == (
        1825, True, False,
    )  # fmt: skip
    changed = cli.json("materials", "set", "2010101", "--no-needs-rotation", "--spec", "成人")
    assert (changed["needs_rotation"], changed["spec"], changed["shelf_life_days"]) == (
        False, "成人", 1825,
    )  # fmt: skip
    assert [m["code"] for m in cli.json("materials", "list", "--search", "救生")] == ["2010101"]

    quota = cli.json("quotas", "set", "--depot", "QP-D01", "--material", "2010101", "--qty", "500")
    assert quota == {"id": quota["id"], "depot": "QP-D01", "material": "2010101",
                     "material_name": "救生衣", "required_qty": 500}  # fmt: skip
    assert len(cli.json("quotas", "list", "--depot", "QP-D01")) == 1
    removed = cli.json("quotas", "set", "--depot", "QP-D01", "--material", "2010101", "--qty", "")
    assert removed["required_qty"] is None
    assert cli.json("quotas", "list") == []


def test_depot_and_material_refusals(owner: Cli) -> None:
    cli = owner
    err = cli.refused("depots", "add", "--code", "QP-D01", "--name", "仓库", "--tier", "省级",
                      "--owner", OWNER)  # fmt: skip
    assert "tier:" in err and "省级" in err
    err = cli.refused("depots", "add", "--code", "QP-D01", "--name", "仓库", "--tier", "区级",
                      "--owner", OWNER, "--keeper-phone", "021-123")  # fmt: skip
    assert "keeper_phone: 电话号码“021-123”格式不正确" in err
    err = cli.refused("depots", "add", "--code", "QP-D01", "--name", "仓库", "--tier", "区级",
                      "--owner", OWNER, "--capacity", "-3")  # fmt: skip
    assert "capacity_m3:" in err
    for shelf in ("-5", "三年", "0"):
        err = cli.refused("materials", "add", "--code", "2010101", "--name", "救生衣",
                          "--uom", "件", "--shelf-life", shelf)  # fmt: skip
        assert "shelf_life_days: 保质期" in err
    err = cli.refused("materials", "add", "--code", "201", "--name", "救生衣", "--uom", "件")
    assert "code: 物资编码“201”应为 7 位数字" in err
    err = cli.refused("materials", "add", "--code", "2010101", "--name", "", "--uom", "件")
    assert "name: 物资名称不能为空" in err
    err = cli.refused("quotas", "set", "--depot", "NOPE", "--material", "2010101", "--qty", "1")
    assert "NOPE" in err


# ---------------------------------------------------------------------------------- plans


def test_plans_add_and_set(owner: Cli) -> None:
    cli = owner
    plan = cli.json("plans", "add", "--code", "QP-ZX-001", "--title", "青浦区防汛防台专项应急预案",
                    "--kind", "专项预案", "--category", "Natural disaster", "--owner", OWNER,
                    "--hazards", "台风、暴雨", "--status", "已发布", "--published-on", "2024/6/1",
                    "--flood-related", "--as-of", "2026-03-01")  # fmt: skip
    assert set(plan) == PLAN_KEYS
    assert (plan["kind"], plan["category"], plan["status"], plan["published_on"]) == (
        "special", "natural", "published", "2024-06-01",
    )  # fmt: skip
    assert (plan["hazards"], plan["flood_related"], plan["evaluation_interval_months"]) == (
        ["台风", "暴雨"], True, 36,
    )  # fmt: skip
    changed = cli.json("plans", "set", "QP-ZX-001", "--filed-on", "2024年6月20日",
                       "--drill-interval", "24", "--as-of", "2026-03-01")  # fmt: skip
    assert (changed["filed_on"], changed["drill_interval_months"], changed["row_version"]) == (
        "2024-06-20", 24, 2,
    )  # fmt: skip
    cleared = cli.json("plans", "set", "QP-ZX-001", "--filed-on", "")
    assert cleared["filed_on"] is None
    assert [p["code"] for p in cli.json("plans", "list")] == ["QP-ZX-001"]


def test_plan_refusals(owner: Cli) -> None:
    cli = owner
    base = ("plans", "add", "--code", "QP-ZX-001", "--owner", OWNER, "--category", "自然灾害")
    err = cli.refused(*base, "--title", "预案", "--kind", "年度预案")
    assert "kind: 预案类别“年度预案”" in err
    err = cli.refused(*base, "--title", "", "--kind", "专项预案")
    assert "title: 预案名称不能为空" in err
    err = cli.refused(*base, "--title", "预案", "--kind", "专项预案",
                      "--evaluation-interval", "0")  # fmt: skip
    assert "evaluation_interval_months:" in err
    err = cli.refused(*base, "--title", "预案", "--kind", "专项预案", "--approved-on",
                      "2026-06-01", "--as-of", "2026-03-01")  # fmt: skip
    assert "approved_on:" in err and "晚于今天" in err
    cli.json(*base, "--title", "预案", "--kind", "专项预案")
    err = cli.refused("plans", "set", "QP-ZX-001", "--published-on", "2024-06-01",
                      "--filed-on", "2024-05-01")  # fmt: skip
    assert "filed_on:" in err
    err = cli.refused("plans", "set", "QP-ZX-001", "--title", "x", "--expected-version", "9")
    assert "已被他人修改" in err


# --------------------------------------------------------------------------------- drills


def _drill_setup(cli: Cli) -> None:
    cli.json("units", "add", "--code", "310118-001", "--name", "夏阳街道", "--kind", "街道/镇",
             "--tier", "街镇级")  # fmt: skip
    cli.json("teams", "add", "--code", "QP-T01", "--name", "防汛抢险队", "--kind", "专业队伍",
             "--owner", OWNER)  # fmt: skip
    cli.json("plans", "add", "--code", "QP-ZX-001", "--title", "防汛防台专项应急预案",
             "--kind", "专项预案", "--category", "自然灾害", "--owner", OWNER)  # fmt: skip


def test_drills_add_and_set(owner: Cli) -> None:
    cli = owner
    _drill_setup(cli)
    drill = cli.json("drills", "add", "--title", "防汛防台桌面推演", "--kind", "桌面演练",
                     "--scope", "综合", "--organiser", "青浦区应急管理局",
                     "--start", "2026/5/20 9:00", "--end", "2026-05-20 11:30",
                     "--plan", "QP-ZX-001", "--team", "QP-T01:保障", "--unit", "310118-001",
                     "--certificate", "水上救援员")  # fmt: skip
    assert set(drill) == DRILL_KEYS
    assert (drill["code"], drill["form"], drill["scope"], drill["status"]) == (
        "QP-DR-2026-001", "tabletop", "comprehensive", "planned",
    )  # fmt: skip
    assert (drill["starts_at"], drill["ends_at"], drill["organiser"]) == (
        "2026-05-20T09:00:00", "2026-05-20T11:30:00", OWNER,
    )  # fmt: skip
    assert drill["plans"] == ["QP-ZX-001"]
    assert sorted(drill["participants"], key=str) == sorted(
        [{"team": "QP-T01", "unit": None, "role": "保障"},
         {"team": None, "unit": "310118-001", "role": "参演"}], key=str,
    )  # fmt: skip
    assert drill["required_certificates"] == ["水上救援员"]

    changed = cli.json("drills", "set", "QP-DR-2026-001", "--start", "2026-05-21 09:00",
                       "--end", "2026-05-21 12:00", "--venue", "青浦区应急指挥中心",
                       "--status", "筹备", "--no-plans", "--team", "QP-T01（指挥）")  # fmt: skip
    assert (changed["starts_at"], changed["venue"], changed["status"], changed["plans"]) == (
        "2026-05-21T09:00:00", "青浦区应急指挥中心", "preparing", [],
    )  # fmt: skip
    roles = {(p["team"], p["unit"]): p["role"] for p in changed["participants"]}
    assert roles == {("QP-T01", None): "指挥", (None, "310118-001"): "参演"}
    assert changed["row_version"] > drill["row_version"]
    assert cli("drills", "list") == 0 and "QP-DR-2026-001" in cli.out
    assert cli("drills", "add", "--code", "DR-X", "--title", "实战演练", "--form", "live",
               "--scope", "Single-function", "--organiser", OWNER, "--start", "2026-06-01 09:00",
               "--end", "2026-06-01 10:00") == 0  # fmt: skip
    assert "已新建演练 (drill created)" in cli.out


def test_drill_refusals(owner: Cli) -> None:
    cli = owner
    _drill_setup(cli)
    base = ("drills", "add", "--title", "推演", "--scope", "综合", "--organiser", OWNER)
    err = cli.refused(*base, "--form", "桌面演练", "--start", "2026-05-20 09:00",
                      "--end", "2026-05-20 08:00")  # fmt: skip
    assert "ends_at: 结束时间 2026-05-20 08:00 早于开始时间 2026-05-20 09:00" in err
    err = cli.refused(*base, "--form", "沙盘演练", "--start", "2026-05-20 09:00",
                      "--end", "2026-05-20 10:00")  # fmt: skip
    assert "form:" in err and "沙盘演练" in err
    err = cli.refused(*base, "--form", "live", "--start", "五月二十日", "--end", "2026-05-20 10:00")
    assert "starts_at:" in err
    err = cli.refused(*base, "--form", "live", "--start", "2026-05-20 09:00",
                      "--end", "2026-05-20 10:00", "--team", "NOPE")  # fmt: skip
    assert "participants: 队伍“NOPE”不存在" in err
    err = cli.refused(*base, "--form", "live", "--start", "2026-05-20 09:00",
                      "--end", "2026-05-20 10:00", "--plan", "QP-ZX-999")  # fmt: skip
    assert "plans: 预案“QP-ZX-999”不存在" in err
    cli.json(*base, "--code", "DR-1", "--form", "live", "--start", "2026-05-20 09:00",
             "--end", "2026-05-20 10:00")  # fmt: skip
    err = cli.refused("drills", "set", "DR-1", "--status", "已评估")
    assert "status:" in err
    # a refused step undoes the steps before it: the new venue is not kept either
    err = cli.refused("drills", "set", "DR-1", "--venue", "新地点", "--status", "已评估")
    with cli.db.session() as session:
        assert session.scalar(select(Drill.venue).where(Drill.code == "DR-1")) is None
    err = cli.refused("drills", "set", "DR-9", "--venue", "x")
    assert "DR-9" in err
