"""Importing the plain registers goes through the areas' own check, create and update functions:
the rules, the messages and the audit entries are the form's."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Certificate, Member, Team, Unit
from drillplan.demo import fingerprint
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.interchange.problems import ImportReport
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import TeamKind
from drillplan.org import teams
from tests import factories as f

OWNER = "310118-YJJ"
SOCIAL_CREDIT_CODE = "52310118MJ5X12340X"


def write(tmp_path: Path, kind: str, rows: list[dict[str, object]]) -> Path:
    spec = KINDS[kind]
    path = tmp_path / f"{kind}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([spec.column(key).zh for key in rows[0]])
        out.writerows([["" if v is None else v for v in r.values()] for r in rows])
    return path


def run(db: Database, path: Path, kind: str, **kw: Any) -> ImportReport:
    with db.session() as session:
        return import_file(session, kind, path, operator="importer", **kw)


def state(db: Database) -> str:
    with db.sessions() as session:
        return fingerprint(session)


def actions(db: Database) -> list[str]:
    with db.sessions() as session:
        return list(session.scalars(select(AuditLog.action).order_by(AuditLog.id)))


@pytest.fixture
def owned(db: Database) -> Database:
    with db.session() as session:
        f.unit(session, code=OWNER, name="青浦区应急管理局")
    return db


def social(**changes: object) -> dict[str, object]:
    row: dict[str, object] = {
        "code": "QP-T09", "name": "青浦蓝天救援队", "kind": "社会应急力量",
        "owner_unit": OWNER, "tier": "区级", "credit_code": SOCIAL_CREDIT_CODE,
    }  # fmt: skip
    row.update(changes)
    return row


def test_a_social_team_without_credit_code_is_refused_as_by_the_form(
    owned: Database, tmp_path: Path
) -> None:
    with owned.session() as session, pytest.raises(ValidationError) as form:
        owner = session.scalar(select(Unit.id).where(Unit.code == OWNER))
        teams.create_team(
            session, code="QP-T09", name="青浦蓝天救援队", kind="social", owner_unit_id=owner
        )
    before = state(owned)
    path = write(tmp_path, "teams", [social(credit_code=None)])
    for dry_run in (True, False):  # the check reports exactly what the import reports
        report = run(owned, path, "teams", dry_run=dry_run)
        assert [(p.row, p.column, p.rule, p.message) for p in report.problems] == [
            (2, "统一社会信用代码", "credit_code_required", form.value.message)
        ]
        assert not report.written
    assert state(owned) == before


def test_every_bad_field_of_a_row_is_listed_in_the_forms_words(
    owned: Database, tmp_path: Path
) -> None:
    bad = social(kind="救火队", duty_phone="123", response_minutes="-3", name="")
    report = run(owned, write(tmp_path, "teams", [bad]), "teams")
    found = {(p.column, p.rule) for p in report.problems}
    assert found == {
        ("队伍类型", "not_in_list"),
        ("值班电话", "bad_phone"),
        ("响应时间（分钟）", "negative"),
        ("队伍名称", "required"),
    }
    by_column = {p.column: p.message for p in report.problems}
    assert by_column["队伍名称"] == "队伍名称不能为空"  # the form's message, not the cell's
    assert "“救火队”不是可选值" in by_column["队伍类型"]


def test_an_update_obeys_the_form_too(owned: Database, tmp_path: Path) -> None:
    with owned.session() as session:  # entered before the rule, straight into the table
        owner = session.scalars(select(Unit)).one()
        f.team(session, owner, code="QP-T09", kind=TeamKind.SOCIAL)
    report = run(owned, write(tmp_path, "teams", [social(credit_code="", name="新名称")]), "teams")
    assert [(p.column, p.rule) for p in report.problems] == [
        ("统一社会信用代码", "credit_code_required")
    ]
    report = run(owned, write(tmp_path, "teams", [social(name="新名称")]), "teams")
    assert (report.problems, report.updated) == ([], 1)
    assert actions(owned)[-2:] == ["team.update", "import.teams"]


def test_each_row_is_written_and_audited_once_by_its_area(owned: Database, tmp_path: Path) -> None:
    files = {
        "units": [{"code": "310118-102", "name": "朱家角镇", "kind": "街道/镇", "tier": "街镇级",
                   "parent": OWNER, "phone": "021-59240000"}],
        "materials": [{"code": "２０１０１０１", "name": "救生衣", "uom": "件",
                       "shelf_life_days": "1,825", "needs_rotation": "是"}],
        "depots": [{"code": "QP-D01", "name": "青浦区防汛物资仓库", "tier": "District",
                    "owner_unit": OWNER, "capacity_m3": "1,200"}],
        "teams": [social()],
        "members": [{"team": "QP-T09", "name": "王强", "phone": "+86 138 0013 8000",
                     "active": "是"}],
        "certificates": [{"team": "QP-T09", "member": "王强", "cert_type": "水上救援员",
                          "number": "ＳＳ-001", "issued_on": "2024年3月15日",
                          "expires_on": "2027/3/14"}],
    }  # fmt: skip
    for kind, rows in files.items():
        report = run(owned, write(tmp_path, kind, rows), kind)
        assert (report.problems, report.created) == ([], 1), kind
    assert actions(owned) == [
        "unit.create", "import.units", "material.create", "import.materials",
        "depot.create", "import.depots", "team.create", "import.teams",
        "member.create", "import.members", "certificate.create", "import.certificates",
    ]  # fmt: skip
    with owned.sessions() as session:
        member = session.scalars(select(Member)).one()
        cert = session.scalars(select(Certificate)).one()
        assert (member.phone, cert.number) == ("13800138000", "SS-001")
        assert session.scalar(select(AuditLog.username).limit(1)) == "importer"
    for kind, rows in files.items():  # the same files again: nothing to do
        report = run(owned, write(tmp_path, kind, rows), kind)
        assert (report.problems, report.created, report.updated) == ([], 0, 0), kind


def test_units_name_parents_of_the_same_file_in_any_order(db: Database, tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"code": "310118-102-01", "name": "朱家角镇应急办", "kind": "部门", "tier": "街镇级",
         "parent": "朱家角镇"},
        {"code": "310118-102", "name": "朱家角镇", "kind": "街道/镇", "tier": "街镇级",
         "parent": "310118"},
        {"code": "310118", "name": "青浦区人民政府", "kind": "政府", "tier": "区级", "parent": ""},
    ]  # fmt: skip
    report = run(db, write(tmp_path, "units", rows), "units")
    assert (report.problems, report.created) == ([], 3)
    with db.sessions() as session:
        ids = dict(session.execute(select(Unit.code, Unit.id)).tuples().all())
        parents = dict(session.execute(select(Unit.code, Unit.parent_id)).tuples().all())
    assert parents == {
        "310118": None,
        "310118-102": ids["310118"],
        "310118-102-01": ids["310118-102"],
    }
    assert actions(db) == ["unit.create"] * 3 + ["import.units"]  # one entry a unit


def test_a_cycle_of_parents_is_refused(db: Database, tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {"code": "A", "name": "甲", "kind": "部门", "tier": "区级", "parent": "B"},
        {"code": "B", "name": "乙", "kind": "部门", "tier": "区级", "parent": "A"},
    ]
    report = run(db, write(tmp_path, "units", rows), "units")
    assert {(p.row, p.column, p.rule) for p in report.problems} == {
        (2, "上级单位", "parent_cycle"),
        (3, "上级单位", "parent_cycle"),
    }
    with db.sessions() as session:
        assert session.scalar(select(func.count(Unit.id))) == 0


def test_a_parent_below_the_unit_is_refused_by_the_area(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        top = f.unit(session, code="A")
        f.unit(session, code="B", parent_id=top.id)
    row = {"code": "A", "name": "甲", "kind": "部门", "tier": "区级", "parent": "B"}
    report = run(db, write(tmp_path, "units", [row]), "units")
    assert [(p.column, p.rule) for p in report.problems] == [("上级单位", "parent_cycle")]


def test_a_certificate_moves_to_the_member_the_file_names(owned: Database, tmp_path: Path) -> None:
    with owned.session() as session:
        owner = session.scalars(select(Unit)).one()
        team = f.team(session, owner, code="QP-T01")
        wrong = teams.add_member(session, team_id=team.id, name="王强")
        teams.add_member(session, team_id=team.id, name="李明")
        teams.add_certificate(
            session, member_id=wrong.id, cert_type="救生员", number="N1", issued_on="2024-01-01"
        )
    row = {"team": "QP-T01", "member": "李明", "cert_type": "救生员", "number": "N1",
           "issued_on": "2024-01-01", "expires_on": "2023-12-31"}  # fmt: skip
    report = run(owned, write(tmp_path, "certificates", [row]), "certificates")
    assert [(p.column, p.rule) for p in report.problems] == [("有效期至", "expires_before_issued")]
    row["expires_on"] = "2027-01-01"
    report = run(owned, write(tmp_path, "certificates", [row]), "certificates")
    assert (report.problems, report.updated) == ([], 1)
    with owned.sessions() as session:
        cert = session.scalars(select(Certificate)).one()
        holder = session.get_one(Member, cert.member_id)
        assert (holder.name, cert.expires_on) == ("李明", dt.date(2027, 1, 1))
    assert actions(owned)[-2:] == ["certificate.update", "import.certificates"]


def test_a_blank_optional_cell_keeps_a_field_that_cannot_be_empty(
    owned: Database, tmp_path: Path
) -> None:
    run(owned, write(tmp_path, "teams", [social(readiness="部分可用")]), "teams")
    report = run(owned, write(tmp_path, "teams", [social(readiness="")]), "teams")
    assert (report.problems, report.unchanged) == ([], 1)
    with owned.sessions() as session:
        assert session.scalars(select(Team.readiness)).one() == "limited"


def test_a_certificate_needs_its_team_and_holder(owned: Database, tmp_path: Path) -> None:
    with owned.session() as session:
        owner = session.scalars(select(Unit)).one()
        team = f.team(session, owner, code="QP-T01")
        teams.add_member(session, team_id=team.id, name="王强")
    rows: list[dict[str, object]] = [
        {"team": "QP-T01", "member": "", "cert_type": "救生员", "number": "N1",
         "issued_on": "2024-01-01"},
        {"team": "", "member": "王强", "cert_type": "救生员", "number": "N2",
         "issued_on": "2024-01-01"},
        {"team": "QP-T01", "member": "王强", "cert_type": "救生员", "number": "N3",
         "issued_on": ""},
    ]  # fmt: skip
    report = run(owned, write(tmp_path, "certificates", rows), "certificates")
    assert [(p.row, p.column, p.rule) for p in report.problems] == [
        (2, "姓名", "required"),
        (3, "队伍编码", "required"),
        (4, "发证日期", "required"),
    ]
    assert report.problems[2].message == "发证日期不能为空"  # the form's words
