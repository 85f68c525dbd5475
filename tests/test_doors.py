"""One record, three doors: the desktop form's write function, the command line and an import
refuse the same bad value with the same field and the same message, and write nothing; the
same good value passes through all three.

Each case is one row of :data:`CASES`: the register, what changes in its good row, the field
the domain names. The message is the form door's (the domain write function the desktop form
calls); the command line must print ``field: message`` and exit 2, and the import must report a
problem in that field's column with exactly that message.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.cli.main import main
from drillplan.contacts import register as contacts
from drillplan.db.base import Base
from drillplan.db.database import Database
from drillplan.db.models import Material, Unit
from drillplan.drills import editing
from drillplan.duty import roster
from drillplan.facilities import classes as facility_classes
from drillplan.facilities import register as facility_register
from drillplan.hazards import matrix as hazard_matrix
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import UnitKind
from drillplan.org import teams, units
from drillplan.plans import register
from drillplan.reserves import capacity
from drillplan.stock import catalogue
from drillplan.trainings import events as trainings_events
from tests import factories as f

OWNER = "310118-YJJ"
STREET = "310118001"
TODAY = dt.date(2026, 3, 1)
SOCIAL_CREDIT_CODE = "52310118MJ5X12340X"  # 52: 民办非企业单位, check character X
ENTERPRISE_CREDIT_CODE = "91310118MA1J0X84N3"  # 91: an enterprise, valid check character

# how a value the user typed reaches the form's write function
TEXT, REF, DATETIME, MATERIAL = "text", "ref", "datetime", "material"
MATERIAL_CODE = "3010101"  # a material every database of these tests has (see ``owned``)


@dataclass(frozen=True)
class Register:
    """One register behind the three doors.

    ``fields``: import column key -> (command-line option, the domain's field, how the form
    passes it); ``good``: a valid row in the user's words (vocabulary as Chinese labels);
    ``create``: the write function the desktop form calls.
    """

    kind: str
    command: tuple[str, ...]
    fields: dict[str, tuple[str, str, str]]
    good: dict[str, str]
    create: Callable[..., Any]


REGISTERS = {
    "units": Register(
        "units",
        ("units", "add"),
        {
            "code": ("--code", "code", TEXT),
            "name": ("--name", "name", TEXT),
            "kind": ("--kind", "kind", TEXT),
            "tier": ("--tier", "tier", TEXT),
            "phone": ("--phone", "phone", TEXT),
        },
        {"code": "310118-009", "name": "青浦区测试局", "kind": "部门", "tier": "区级",
         "phone": "021-59721234"},
        lambda s, **v: units.create_unit(s, user="form", **v),
    ),
    "teams": Register(
        "teams",
        ("teams", "add"),
        {
            "code": ("--code", "code", TEXT),
            "name": ("--name", "name", TEXT),
            "kind": ("--kind", "kind", TEXT),
            "owner_unit": ("--owner", "owner_unit_id", REF),
            "tier": ("--tier", "tier", TEXT),
            "duty_phone": ("--duty-phone", "duty_phone", TEXT),
            "credit_code": ("--credit-code", "credit_code", TEXT),
        },
        {"code": "QP-T09", "name": "青浦蓝天救援队", "kind": "社会应急力量", "owner_unit": OWNER,
         "tier": "区级", "duty_phone": "13812345678", "credit_code": SOCIAL_CREDIT_CODE},
        lambda s, **v: teams.create_team(s, user="form", **v),
    ),
    "depots": Register(
        "depots",
        ("depots", "add"),
        {
            "code": ("--code", "code", TEXT),
            "name": ("--name", "name", TEXT),
            "tier": ("--tier", "tier", TEXT),
            "owner_unit": ("--owner", "owner_unit_id", REF),
            "keeper": ("--keeper", "keeper", TEXT),
            "keeper_phone": ("--keeper-phone", "keeper_phone", TEXT),
            "agreement_phone": ("--agreement-phone", "agreement_phone", TEXT),
        },
        {"code": "QP-D09", "name": "青浦区防汛物资仓库", "tier": "区级", "owner_unit": OWNER,
         "keeper": "王强", "keeper_phone": "021-59721234", "agreement_phone": "15324749009"},
        lambda s, **v: catalogue.create_depot(s, user="form", **v),
    ),
    "materials": Register(
        "materials",
        ("materials", "add"),
        {
            "code": ("--code", "code", TEXT),
            "name": ("--name", "name", TEXT),
            "uom": ("--uom", "uom", TEXT),
            "shelf_life_days": ("--shelf-life", "shelf_life_days", TEXT),
            "criticality": ("--criticality", "criticality", TEXT),
        },
        {"code": "2010109", "name": "救生衣", "uom": "件", "shelf_life_days": "1825",
         "criticality": "关键"},
        lambda s, **v: catalogue.create_material(s, user="form", **v),
    ),
    "plans": Register(
        "plans",
        ("plans", "add", "--as-of", TODAY.isoformat()),
        {
            "code": ("--code", "code", TEXT),
            "title": ("--title", "title", TEXT),
            "kind": ("--kind", "kind", TEXT),
            "category": ("--category", "category", TEXT),
            "owner_unit": ("--owner", "owner_unit_id", REF),
        },
        {"code": "QP-ZX-009", "title": "青浦区防汛防台专项应急预案", "kind": "专项预案",
         "category": "自然灾害", "owner_unit": OWNER},
        lambda s, **v: register.create_plan(s, user="form", today=TODAY, **v),
    ),
    "drills": Register(
        "drills",
        ("drills", "add"),
        {
            "code": ("--code", "code", TEXT),
            "title": ("--title", "title", TEXT),
            "form": ("--form", "form", TEXT),
            "scope": ("--scope", "scope", TEXT),
            "organiser": ("--organiser", "organiser_unit_id", REF),
            "starts_at": ("--start", "starts_at", DATETIME),
            "ends_at": ("--end", "ends_at", DATETIME),
        },
        {"code": "QP-DR-2026-009", "title": "防汛防台桌面推演", "form": "桌面演练",
         "scope": "综合", "organiser": OWNER, "starts_at": "2026-05-20 09:00",
         "ends_at": "2026-05-20 11:30"},
        lambda s, **v: editing.create_drill(s, user="form", **v),
    ),
    "contacts": Register(
        "contacts",
        ("contacts", "add"),
        {
            "name": ("--name", "name", TEXT),
            "unit": ("--unit", "unit_id", REF),
            "mobile": ("--mobile", "mobile", TEXT),
            "office_phone": ("--office-phone", "office_phone", TEXT),
            "email": ("--email", "email", TEXT),
        },
        {"name": "王建国", "unit": OWNER, "mobile": "13912345678",
         "office_phone": "021-59721234", "email": "wang@qp.gov.cn"},
        lambda s, **v: contacts.create_contact(s, user="form", **v),
    ),
    "duty": Register(
        "duty",
        ("duty", "add"),
        {
            "day": ("--day", "day", TEXT),
            "shift": ("--shift", "shift_kind_id", TEXT),
            "leader": ("--leader", "leader", TEXT),
            "officers": ("--officers", "officers", TEXT),
            "phone": ("--phone", "phone", TEXT),
        },
        {"day": "2026-12-01", "shift": "白班", "leader": "王建国", "officers": "李娜、张伟",
         "phone": "021-59721110"},
        lambda s, **v: roster.create_shift(s, user="form", **v),
    ),
    "facilities": Register(
        "facilities",
        ("facilities", "add"),
        {
            "code": ("--code", "code", TEXT),
            "name": ("--name", "name", TEXT),
            "facility_class": ("--class", "class_id", TEXT),
            "street_unit": ("--street", "street_unit_id", REF),
            "unit_in_charge": ("--unit-in-charge", "unit_in_charge_id", REF),
            "capacity_people": ("--capacity", "capacity_people", TEXT),
            "emergency_use": ("--emergency-use", "emergency_use", TEXT),
            "phone": ("--phone", "phone", TEXT),
        },
        {"code": "QP-BN-009", "name": "青浦区体育馆", "facility_class": "II",
         "street_unit": STREET, "unit_in_charge": OWNER, "capacity_people": "3000",
         "emergency_use": "避难安置", "phone": "021-59721234"},
        lambda s, **v: facility_register.create_facility(s, user="form", **v),
    ),
    "trainings": Register(
        "trainings",
        ("trainings", "add"),
        {
            "code": ("--code", "code", TEXT),
            "title": ("--title", "title", TEXT),
            "kind": ("--kind", "kind", TEXT),
            "organiser": ("--organiser", "organiser_unit_id", REF),
            "starts_at": ("--start", "starts_at", DATETIME),
            "ends_at": ("--end", "ends_at", DATETIME),
            "headcount": ("--headcount", "headcount", TEXT),
        },
        {"code": "QP-PX-2026-009", "title": "防灾减灾日进社区宣传", "kind": "进社区",
         "organiser": OWNER, "starts_at": "2026-05-12 09:00", "ends_at": "2026-05-12 11:00",
         "headcount": "80"},
        lambda s, **v: trainings_events.create_event(s, user="form", **v),
    ),
    "capacity-reserves": Register(
        "capacity-reserves",
        ("capacity", "add"),
        {
            "code": ("--code", "code", TEXT),
            "supplier": ("--supplier", "supplier", TEXT),
            "material": ("--material", "material_id", MATERIAL),
            "promised_qty": ("--qty", "promised_qty", TEXT),
            "lead_time_hours": ("--lead-time", "lead_time_hours", TEXT),
            "phone": ("--phone", "phone", TEXT),
            "valid_from": ("--valid-from", "valid_from", TEXT),
            "valid_until": ("--valid-until", "valid_until", TEXT),
        },
        {"code": "CN-2026-09", "supplier": "上海青浦练塘塑料编织厂", "material": MATERIAL_CODE,
         "promised_qty": "100000", "lead_time_hours": "72小时", "phone": "13917625408",
         "valid_from": "2026-01-01", "valid_until": "2027-12-31"},
        lambda s, **v: capacity.create_capacity_reserve(s, user="form", **v),
    ),
}  # fmt: skip


@dataclass(frozen=True)
class Case:
    register: str
    change: dict[str, str]
    field: str
    says: str  # a part of the message (the whole message is the form door's)


CASES = {
    "team_social_without_credit_code": Case(
        "teams", {"credit_code": ""}, "credit_code", "社会应急力量须填写统一社会信用代码"
    ),
    "team_social_with_enterprise_credit_code": Case(
        "teams",
        {"credit_code": ENTERPRISE_CREDIT_CODE},
        "credit_code",
        "社会应急力量应填写社会组织的统一社会信用代码（51、52、53 或 59 开头",
    ),
    "team_bad_duty_phone": Case("teams", {"duty_phone": "123"}, "duty_phone", "“123”格式不正确"),
    "team_bad_kind": Case("teams", {"kind": "救火队"}, "kind", "救火队"),
    "unit_bad_phone": Case("units", {"phone": "5972"}, "phone", "“5972”格式不正确"),
    "depot_bad_keeper_phone": Case(
        "depots", {"keeper_phone": "021-123"}, "keeper_phone", "“021-123”格式不正确"
    ),
    "material_negative_shelf_life": Case(
        "materials", {"shelf_life_days": "-5"}, "shelf_life_days", "保质期"
    ),
    "material_non_numeric_shelf_life": Case(
        "materials", {"shelf_life_days": "三年"}, "shelf_life_days", "三年"
    ),
    "material_blank_name": Case("materials", {"name": ""}, "name", "不能为空"),
    "material_bad_criticality": Case(
        "materials", {"criticality": "很重要"}, "criticality", "很重要"
    ),
    "plan_bad_kind": Case("plans", {"kind": "年度预案"}, "kind", "年度预案"),
    "plan_blank_title": Case("plans", {"title": ""}, "title", "不能为空"),
    "drill_end_before_start": Case(
        "drills", {"ends_at": "2026-05-20 08:00"}, "ends_at", "早于开始时间"
    ),
    "drill_bad_form": Case("drills", {"form": "沙盘演练"}, "form", "沙盘演练"),
    "contact_bad_mobile": Case("contacts", {"mobile": "1391234"}, "mobile", "“1391234”格式不正确"),
    "contact_landline_as_mobile": Case(
        "contacts", {"mobile": "021-59721234"}, "mobile", "不是手机号码"
    ),
    "contact_bad_office_phone": Case(
        "contacts", {"office_phone": "0512-66668888"}, "office_phone", "区号为 0512"
    ),
    "contact_bad_email": Case("contacts", {"email": "wang@"}, "email", "电子邮箱"),
    "duty_bad_phone": Case("duty", {"phone": "5972"}, "phone", "“5972”格式不正确"),
    "duty_unknown_shift": Case("duty", {"shift": "早班"}, "shift_kind_id", "早班"),
    "duty_leader_is_officer": Case("duty", {"officers": "王建国"}, "officers", "带班领导"),
    "duty_bad_day": Case("duty", {"day": "2026-13-01"}, "day", "月份"),
    "facility_bad_phone": Case("facilities", {"phone": "5972"}, "phone", "“5972”格式不正确"),
    "facility_bad_emergency_use": Case(
        "facilities", {"emergency_use": "打麻将"}, "emergency_use", "打麻将"
    ),
    "facility_street_not_a_street_town": Case(
        "facilities", {"street_unit": OWNER}, "street_unit_id", "不是街道/镇"
    ),
    "facility_unknown_class": Case("facilities", {"facility_class": "IV"}, "class_id", "IV"),
    "training_end_before_start": Case(
        "trainings", {"ends_at": "2026-05-12 08:00"}, "ends_at", "早于开始时间"
    ),
    "training_bad_kind": Case("trainings", {"kind": "文艺晚会"}, "kind", "文艺晚会"),
    "training_negative_headcount": Case(
        "trainings", {"headcount": "-5"}, "headcount", "不能小于 0"
    ),
    "training_blank_title": Case("trainings", {"title": ""}, "title", "不能为空"),
    "capacity_bad_phone": Case("capacity-reserves", {"phone": "5972"}, "phone", "“5972”格式不正确"),
    "capacity_bad_lead_time": Case(
        "capacity-reserves", {"lead_time_hours": "一周左右"}, "lead_time_hours", "一周左右"
    ),
    "capacity_zero_quantity": Case(
        "capacity-reserves", {"promised_qty": "0"}, "promised_qty", "承诺数量"
    ),
    "capacity_blank_supplier": Case(
        "capacity-reserves", {"supplier": ""}, "supplier", "供应商不能为空"
    ),
    "capacity_until_before_from": Case(
        "capacity-reserves", {"valid_until": "2025-12-31"}, "valid_until", "早于生效日期"
    ),
    "depot_bad_agreement_phone": Case(
        "depots", {"agreement_phone": "021-123"}, "agreement_phone", "“021-123”格式不正确"
    ),
}
DOORS = ("form", "cli", "import")


@pytest.fixture
def owned(db: Database) -> Database:
    with db.session() as session:
        f.unit(session, code=OWNER, name="青浦区应急管理局")
        f.unit(session, code=STREET, name="夏阳街道", kind=UnitKind.STREET_TOWN)
        facility_classes.ensure_starter_classes(session)
        f.material(session, code=MATERIAL_CODE, name="编织袋", uom="条")
    return db


def counts(db: Database) -> dict[str, int]:
    with db.session() as session:
        return {
            t.name: session.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


# --------------------------------------------------------------------------------- doors


def _form_values(session: Session, reg: Register, row: dict[str, str]) -> dict[str, Any]:
    """What the desktop form hands its write function: blank fields as None, the chosen unit
    as its id, date-times from the date-time editor."""
    out: dict[str, Any] = {}
    for key, text in row.items():
        _option, field, how = reg.fields[key]
        value: Any = text if text != "" else None
        if value is not None and how == REF:
            value = session.scalar(select(Unit.id).where(Unit.code == text))
        elif value is not None and how == MATERIAL:
            value = session.scalar(select(Material.id).where(Material.code == text))
        elif value is not None and how == DATETIME:
            value = dt.datetime.fromisoformat(text)
        out[field] = value
    return out


def through_form(db: Database, reg: Register, row: dict[str, str]) -> ValidationError | None:
    try:
        with db.session() as session:
            reg.create(session, **_form_values(session, reg, row))
    except ValidationError as exc:
        return exc
    return None


def through_cli(db: Database, reg: Register, row: dict[str, str]) -> int:
    argv = ["--db", db.url, *reg.command]
    for key, text in row.items():
        argv += [reg.fields[key][0], text]
    return main([*argv, "--format", "json"])


def through_import(db: Database, reg: Register, row: dict[str, str], tmp_path: Path) -> Any:
    kind = KINDS[reg.kind]
    path = tmp_path / f"{reg.kind}.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([kind.column(key).zh for key in row])
        writer.writerow(list(row.values()))
    with db.session() as session:
        return import_file(session, kind, path, today=TODAY)


def header_of(reg: Register, field: str) -> str:
    """The import column a domain field is reported in (``owner_unit_id`` -> 所属单位)."""
    col = KINDS[reg.kind].by_field(field)
    assert col is not None, field
    return col.zh


# --------------------------------------------------------------------------------- tests


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("case_id", list(CASES))
def test_a_bad_value_is_refused_alike_by_every_door(
    owned: Database,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case_id: str,
    door: str,
) -> None:
    case = CASES[case_id]
    reg = REGISTERS[case.register]
    row = {**reg.good, **case.change}
    before = counts(owned)
    refused = through_form(owned, reg, row)  # the form door's words are the reference
    assert refused is not None, "the form's write function accepted the bad value"
    assert (refused.field, case.says in refused.message) == (case.field, True), refused
    message = refused.message
    if door == "cli":
        capsys.readouterr()
        assert through_cli(owned, reg, row) == 2
        captured = capsys.readouterr()
        assert f"{case.field}: {message}" in captured.err
        assert captured.out == ""
    elif door == "import":
        report = through_import(owned, reg, row, tmp_path)
        found = [(p.column, p.message) for p in report.problems]
        assert (header_of(reg, case.field), message) in found
    assert counts(owned) == before


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("name", list(REGISTERS))
def test_the_good_value_passes_every_door(
    owned: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, door: str
) -> None:
    reg = REGISTERS[name]
    table = {"units": "unit", "teams": "team", "depots": "depot", "materials": "material",
             "plans": "plan", "drills": "drill", "contacts": "contact",
             "duty": "duty_shift", "facilities": "facility",
             "trainings": "training_event",
             "capacity-reserves": "capacity_reserve"}[name]  # fmt: skip
    before = counts(owned)
    if door == "form":
        assert through_form(owned, reg, reg.good) is None
    elif door == "cli":
        capsys.readouterr()
        assert through_cli(owned, reg, reg.good) == 0, capsys.readouterr().err
        key = next(k for k in ("code", "name", "day") if k in reg.good)
        assert f'"{key}": "' + reg.good[key] + '"' in capsys.readouterr().out
    else:
        report = through_import(owned, reg, reg.good, tmp_path)
        assert report.problems == [] and report.created == 1
    assert counts(owned)[table] == before[table] + 1


# ------------------------------------------------------- allocation requests (调拨申请)
# Two doors: the desktop form's write function and the command line (requests have no
# import kind). Each case: (the command line's arguments after the good ones, the form's
# values changed, the field, a part of the message).

REQUEST_CASES = {
    "request_more_than_usable": (("--line", "2010101=101"), {"quantity": "101"}, "quantity",
                                 "超过"),
    "request_bad_purpose": (("--purpose", "野餐"), {"purpose": "野餐"}, "purpose", "野餐"),
    "request_needed_by_past": (("--needed-by", "2025-05-01"), {"needed_by": "2025-05-01"},
                               "needed_by", "早于今天"),
}  # fmt: skip
REQUEST_GOOD = {"purpose": "演练", "needed_by": "2025-06-10", "quantity": "10"}


@pytest.mark.parametrize("case_id", list(REQUEST_CASES))
def test_a_bad_request_is_refused_alike_by_form_and_command_line(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, case_id: str
) -> None:
    from drillplan.auth.login import ENV_PASSWORD, ENV_USER
    from drillplan.requests import steps
    from tests.support.org import PASSWORDS, build_org
    from tests.support.org import TODAY as ORG_TODAY

    monkeypatch.setenv(ENV_USER, "admin")  # build_org's users: PostgreSQL then needs a login
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])

    org = build_org(db)
    extra, change, field, says = REQUEST_CASES[case_id]
    values = {**REQUEST_GOOD, **change}
    before = counts(db)
    before.pop("audit_log")  # the command's login is logged
    with pytest.raises(ValidationError) as err, db.session() as session:
        steps.create_request(
            session,
            requester_holder_id=org.holder2,
            holder_id=org.holder1,
            purpose=values["purpose"],
            needed_by=values["needed_by"],
            lines=[{"material_id": org.material, "quantity": values["quantity"]}],
            today=ORG_TODAY,
        )
    assert err.value.field == field and says in err.value.message
    argv = ["--db", db.url, "requests", "new", "--requester", "D-S2", "--holder", "D-S1",
            "--purpose", "演练", "--needed-by", "2025-06-10", "--line", "2010101=10",
            "--as-of", ORG_TODAY.isoformat(), *extra]  # fmt: skip
    capsys.readouterr()
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert f"{field}: {err.value.message}" in captured.err and captured.out == ""
    after = counts(db)
    after.pop("audit_log")
    assert after == before


# ------------------------------------------------ the warning-level response matrix (预警响应矩阵)
# Three doors: the write function the matrix page's dialogs call (drillplan.hazards.matrix),
# ``drillplan hazards add-line`` and ``drillplan import hazard-matrix``. Each case: the form's
# call, the command line after ``hazards add-line``, the import row (header -> cell), the field.

MATRIX_CASES: dict[str, tuple[Callable[[Session], Any], list[str], dict[str, str], str]] = {
    "matrix_plan_levels_skip_one": (
        lambda s: hazard_matrix.link_plan(s, hazard="台风", plan="YA-TF", levels="黄,红"),
        ["台风", "--plan", "YA-TF", "--levels", "黄,红"],
        {"灾种": "台风", "类型": "预案", "预警级别": "黄、红", "预案编号": "YA-TF"},
        "levels",
    ),
    "matrix_unknown_material": (
        lambda s: hazard_matrix.add_material_line(s, hazard="台风", level="红", material="帐篷",
                                                  quantity="10"),
        ["台风", "--level", "红", "--material", "帐篷", "--quantity", "10"],
        {"灾种": "台风", "类型": "物资", "预警级别": "红", "物资编码": "帐篷", "数量": "10"},
        "material",
    ),
    "matrix_level_the_hazard_lacks": (
        lambda s: hazard_matrix.add_team_line(s, hazard="高温", level="蓝", team="T-FX",
                                              headcount=2),
        ["高温", "--level", "蓝", "--team", "T-FX", "--headcount", "2"],
        {"灾种": "高温", "类型": "队伍", "预警级别": "蓝", "队伍编号": "T-FX", "待命人数": "2"},
        "level",
    ),
    "matrix_zero_headcount": (
        lambda s: hazard_matrix.add_team_line(s, hazard="台风", level="红", team="T-FX",
                                              headcount=0),
        ["台风", "--level", "红", "--team", "T-FX", "--headcount", "0"],
        {"灾种": "台风", "类型": "队伍", "预警级别": "红", "队伍编号": "T-FX", "待命人数": "0"},
        "headcount",
    ),
}  # fmt: skip
# the matrix sheet reports a plan's activation levels in its one level column
MATRIX_COLUMNS = {"levels": "预警级别", "level": "预警级别", "material": "物资编码",
                  "headcount": "待命人数"}  # fmt: skip


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("case_id", list(MATRIX_CASES))
def test_a_bad_matrix_line_is_refused_alike_by_every_door(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str], case_id: str, door: str
) -> None:
    from tests.test_hazards import _world

    _world(db)
    form, argv, row, field = MATRIX_CASES[case_id]
    before = counts(db)
    with pytest.raises(ValidationError) as refused, db.session() as session:
        form(session)
    assert refused.value.field == field
    message = refused.value.message
    if door == "cli":
        capsys.readouterr()
        assert main(["--db", db.url, "hazards", "add-line", *argv, "--format", "json"]) == 2
        captured = capsys.readouterr()
        assert f"{field}: {message}" in captured.err and captured.out == ""
    elif door == "import":
        path = tmp_path / "matrix.csv"
        with path.open("w", encoding="utf-8", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(list(row))
            writer.writerow(list(row.values()))
        with db.session() as session:
            report = import_file(session, "hazard-matrix", path, today=TODAY)
        found = [(p.column, p.message) for p in report.problems]
        assert (MATRIX_COLUMNS[field], message) in found, found
    assert counts(db) == before
