"""Excel import/export of the contacts and the monthly duty roster: the office's layout and
header words, dates without their year, a bad row refused with its row and column (nothing
written), export -> import unchanged, and the template (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from drillplan.contacts import register as contacts
from drillplan.db.database import Database
from drillplan.db.models import Contact, DutyShift
from drillplan.duty import roster
from drillplan.interchange.exporter import export_file, export_rows
from drillplan.interchange.importer import import_file
from drillplan.interchange.templates import HELP_SHEET, write_template
from tests import factories as f

TODAY = dt.date(2026, 12, 3)


def _sheet(path: Path, title: str, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = title
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def _count(db: Database, model: type) -> int:
    with db.sessions() as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def test_the_offices_monthly_sheet_imports(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        unit = f.unit(session, "310118-YJJ", name="青浦区应急管理局")
        wang = contacts.create_contact(session, name="王建国", unit_id=unit.id,
                                       mobile="13912345678")  # fmt: skip
    path = _sheet(tmp_path / "roster.xlsx", "2026年12月值班表", [
        ["青浦区应急管理局2026年12月值班表"],  # a title above the header
        ["日期", "星期", "班次", "带班领导", "值班人员", "值班电话"],
        ["12月1日", "星期二", "白班", "王建国", "李娜、张伟", "021-59721110"],
        [dt.datetime(2026, 12, 1), "星期二", "夜班", "王建国", "赵六", "02159721110"],
        ["2026年12月2日", "星期三", "全天", "陈明", "钱七", 13912345678],
    ])  # fmt: skip
    with db.session() as session:
        report = import_file(session, "duty", path, today=TODAY)
    assert report.problems == [] and report.created == 3, report.problems
    with db.sessions() as session:
        shifts = session.scalars(select(DutyShift).order_by(DutyShift.id)).all()
        assert [(s.day.isoformat(), s.shift_kind.name, s.leader_name) for s in shifts] == [
            ("2026-12-01", "白班", "王建国"), ("2026-12-01", "夜班", "王建国"),
            ("2026-12-02", "全天", "陈明"),
        ]  # fmt: skip
        assert shifts[0].leader_contact_id == wang.id  # linked to the one contact of the name
        assert [o.name for o in shifts[0].officers] == ["李娜", "张伟"]
        assert [s.phone for s in shifts] == ["021-59721110", "021-59721110", "13912345678"]


def test_a_bad_row_is_refused_with_its_row_and_column(db: Database, tmp_path: Path) -> None:
    path = _sheet(tmp_path / "roster.xlsx", "值班表", [
        ["日期", "班次", "带班领导", "值班员", "联系电话"],
        ["2026-12-01", "白班", "王建国", "李娜", "021-59721110"],
        ["2026-12-02", "早班", "王建国", "李娜", "5972"],
        ["2026-12-31", "白班", "陈明", "陈明", ""],
        ["2026-12-01", "白班", "陈明", "钱七", ""],
    ])  # fmt: skip
    with db.session() as session:
        report = import_file(session, "duty", path, today=TODAY)
    found = [(p.row, p.letter, p.column, p.rule) for p in report.problems]
    assert found == [
        (3, "B", "班次", "unknown_ref"),
        (3, "E", "联系电话", "bad_phone"),
        (4, "D", "值班员", "leader_is_officer"),
        (5, "B", "班次", "duplicate_in_file"),
    ]
    assert "“5972”格式不正确" in report.problems[1].message
    assert _count(db, DutyShift) == 0


def test_contacts_and_roster_round_trip(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        unit = f.unit(session, "310118-YJJ", name="青浦区应急管理局")
        depot, _ = f.depot(session, unit, code="QP-D01")
        team = f.team(session, unit, code="QP-T01")
        contacts.create_contact(session, name="王建国", role="科长", unit_id=unit.id,
                                mobile="13912345678", office_phone="021-59721234",
                                email="wang@qp.gov.cn")  # fmt: skip
        contacts.create_contact(session, name="李强", depot_id=depot.id, mobile="13912340001")
        contacts.create_contact(session, name="周队长", team_id=team.id, mobile="13912340002")
        contacts.create_contact(session, name="赵六", supplier="上海某物资有限公司",
                                scope_unit_id=unit.id, office_phone="021-59720001")  # fmt: skip
        for day in (1, 2):
            roster.create_shift(session, day=dt.date(2026, 12, day), shift_kind_id="全天",
                                leader="王建国", officers=["李强", "某临时人员"],
                                phone="021-59721110", notes="节假日加强")  # fmt: skip
    for kind, model in (("contacts", Contact), ("duty", DutyShift)):
        path = tmp_path / f"{kind}.xlsx"
        with db.sessions() as session:
            before = list(export_rows(session, kind))
            assert export_file(session, kind, path).rows == len(before) > 0
        with db.session() as session:  # unchanged
            report = import_file(session, kind, path, today=TODAY)
        assert report.problems == [] and (report.created, report.updated) == (0, 0), kind
        assert report.unchanged == len(before)
        with db.session() as session:  # into an empty register: the same rows again
            if kind == "duty":
                for s in session.scalars(select(DutyShift)):
                    roster.delete_shift(session, shift_id=s.id)
            else:
                contacts_rows = session.scalars(select(Contact)).all()
                assert len(contacts_rows) == 4
                continue  # contacts are in the roster: re-created below via a fresh db
        with db.session() as session:
            report = import_file(session, kind, path, today=TODAY)
        assert report.problems == [] and report.created == len(before), kind
        with db.sessions() as session:
            assert list(export_rows(session, kind)) == before
        assert _count(db, model) == len(before)


def test_duty_template_has_the_office_columns_and_instructions(tmp_path: Path) -> None:
    path = write_template("duty", tmp_path / "duty.xlsx")
    wb = load_workbook(path)
    assert [c.value for c in wb["值班表"][1]] == [
        "日期", "星期", "班次", "带班领导", "值班员", "联系电话", "备注",
    ]  # fmt: skip
    text = " ".join(str(c) for row in wb[HELP_SHEET].iter_rows(values_only=True) for c in row)
    assert "12月1日" in text and "多人用、分隔" in text
