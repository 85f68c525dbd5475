"""`drillplan contacts ...` and `drillplan duty ...`: JSON keys, filters, the month, the check's
exit status, edits and refusals (SQLite and PostgreSQL)."""

from __future__ import annotations

import json

import pytest

from drillplan.cli.main import main
from drillplan.db.database import Database
from tests import factories as f


def _run(db: Database, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    status = main(["--db", db.url, *argv])
    out = capsys.readouterr()
    return status, out.out, out.err


@pytest.fixture
def owned(db: Database) -> Database:
    with db.session() as session:
        unit = f.unit(session, "310118-YJJ", name="青浦区应急管理局")
        f.team(session, unit, code="QP-T01", name="青浦区防汛抢险队")
    return db


def test_contacts_add_list_edit_remove(owned: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(owned, capsys, "contacts", "add", "--name", "王建国", "--role", "科长",
                          "--unit", "310118-YJJ", "--mobile", "+86 139 1234 5678",
                          "--format", "json")  # fmt: skip
    assert status == 0
    record = json.loads(out)
    assert set(record) == {
        "id", "name", "role", "owner_kind", "owner", "owner_code", "unit", "depot", "team",
        "supplier", "scope_unit", "mobile", "office_phone", "email", "notes", "row_version",
    }  # fmt: skip
    assert (record["mobile"], record["owner_kind"], record["unit"]) == (
        "13912345678", "unit", "310118-YJJ",
    )  # fmt: skip
    _run(owned, capsys, "contacts", "add", "--name", "周队长", "--team", "青浦区防汛抢险队",
         "--mobile", "13912340002")  # fmt: skip
    status, out, _ = _run(owned, capsys, "contacts", "list", "--team", "QP-T01", "--format", "json")
    assert [c["name"] for c in json.loads(out)] == ["周队长"]
    status, out, _ = _run(owned, capsys, "contacts", "list", "科长", "--format", "json")
    assert [c["name"] for c in json.loads(out)] == ["王建国"]
    status, out, _ = _run(owned, capsys, "contacts", "edit", "王建国", "--team", "QP-T01",
                          "--expected-version", "1", "--format", "json")  # fmt: skip
    moved = json.loads(out)
    assert (moved["owner_kind"], moved["unit"], moved["team"], moved["row_version"]) == (
        "team", None, "QP-T01", 2,
    )  # fmt: skip
    status, _out, err = _run(
        owned, capsys, "contacts", "edit", "王建国", "--mobile", "021-59721234"
    )
    assert status == 2 and "mobile: 手机号“021-59721234”不是手机号码" in err
    status, _out, _err = _run(owned, capsys, "contacts", "remove", str(moved["id"]))
    assert status == 0
    status, out, _ = _run(owned, capsys, "contacts", "list", "--format", "csv")
    assert out.splitlines()[1:] and "王建国" not in out


def test_duty_month_json_check_and_edits(
    owned: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    for day in range(1, 32):
        status, _out, err = _run(owned, capsys, "duty", "add", "--day", f"2026年12月{day}日",
                                 "--shift", "全天", "--leader", f"领导{day % 3}",
                                 "--officers", f"值班员{day}、备班{day}")  # fmt: skip
        assert status == 0, err
    status, out, _ = _run(owned, capsys, "duty", "check", "--month", "2026-12", "--format", "json")
    month = json.loads(out)
    assert status == 0 and month["findings"] == [] and len(month["shifts"]) == 31
    assert set(month) == {"month", "shifts", "findings"} and month["month"] == "2026-12"
    assert month["shifts"][0] == {
        "id": month["shifts"][0]["id"], "day": "2026-12-01", "weekday": "星期二",
        "shift": "全天", "shift_code": "full", "hours": "08:30-次日08:30", "leader": "领导1",
        "officers": ["值班员1", "备班1"], "phone": None, "notes": None, "row_version": 1,
        "findings": [],
    }  # fmt: skip
    status, _out, _err = _run(owned, capsys, "duty", "add", "--day", "2026-12-05", "--shift",
                              "白班", "--leader", "领导甲", "--officers", "值班员5")  # fmt: skip
    assert status == 0
    status, out, _ = _run(owned, capsys, "duty", "check", "--month", "2026-12", "--format", "json")
    found = json.loads(out)["findings"]
    assert status == 1
    assert [(x["rule"], x["day"], x["person"]) for x in found] == [
        ("person_overlap", "2026-12-05", "值班员5"),
    ]
    status, out, _ = _run(owned, capsys, "duty", "edit", "--day", "2026-12-05", "--shift", "白班",
                          "--officers", "张三", "--format", "json")  # fmt: skip
    assert status == 0 and json.loads(out)["officers"] == ["张三"]
    status, out, _ = _run(owned, capsys, "duty", "--month", "2026-12")
    assert status == 0 and "未发现冲突" in out and "2026年12月值班表" in out
    status, _out, _err = _run(owned, capsys, "duty", "remove", "--day", "2026-12-05", "--shift",
                              "day")  # fmt: skip
    assert status == 0
    status, out, _ = _run(owned, capsys, "duty", "kinds", "--format", "json")
    assert [k["name"] for k in json.loads(out)] == ["白班", "夜班", "全天"]
    status, out, _ = _run(owned, capsys, "duty", "kinds", "add", "--code", "early", "--name",
                          "早班", "--starts", "7点", "--ends", "9:00",
                          "--format", "json")  # fmt: skip
    assert status == 0 and json.loads(out)["hours"] == "07:00-09:00"
    status, out, _ = _run(owned, capsys, "duty", "kinds", "edit", "早班", "--active", "no")
    assert status == 0
    status, _out, err = _run(owned, capsys, "duty", "add", "--day", "2026-12-02", "--shift", "早班")
    assert status == 2 and "已停用" in err


def test_duty_refusals_exit_2(owned: Database, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(owned, capsys, "duty", "check", "--month", "2026-13")
    assert status == 2 and out == "" and "month: 月份“2026-13”无效" in err
    status, _out, err = _run(owned, capsys, "duty", "add", "--day", "2026-12-01", "--shift",
                             "早班")  # fmt: skip
    assert status == 2 and "shift_kind_id: 没有“早班”这个班次" in err
    status, _out, err = _run(owned, capsys, "duty", "remove", "--day", "2026-12-01", "--shift",
                             "白班")  # fmt: skip
    assert status == 2
