"""Contacts and the duty roster in the core: create, edit, refusals with their field, the
audit log, shared-mode scope, and the month's conflict check (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from drillplan.auth.context import bind_actor
from drillplan.contacts import register as contacts
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Contact, DutyShift
from drillplan.duty import roster, shift_kinds
from drillplan.duty.conflicts import NO_LEADER, NO_OFFICER, PERSON_OVERLAP, check_month
from drillplan.duty.read import month_view
from drillplan.kernel.errors import EditConflict, PermissionDenied, ValidationError
from tests import factories as f
from tests.support.org import actor_of, build_org

DEC = dt.date(2026, 12, 1)


def _refused(call, field: str, *words: str) -> ValidationError:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as err:
        call()
    assert err.value.field == field, err.value
    for word in words:
        assert word in err.value.message
    return err.value


def test_contact_create_edit_delete_with_audit(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session, "310118-YJJ", name="青浦区应急管理局")
        depot, _holder = f.depot(session, unit, code="QP-D01")
        team = f.team(session, unit, code="QP-T01")
        a = contacts.create_contact(
            session, name=" 王建国 ", role="科长", unit_id=unit.id, mobile="+86 139-1234-5678",
            office_phone="021 59721234", email="wang@qp.gov.cn",
        )  # fmt: skip
        b = contacts.create_contact(session, name="李强", depot_id=depot.id, mobile="13912340001")
        s = contacts.create_contact(
            session, name="赵六", supplier="上海某物资公司", office_phone="021-59720001",
            scope_unit_id=unit.id,
        )  # fmt: skip
        assert (a.name, a.mobile, a.office_phone) == ("王建国", "13912345678", "021-59721234")
        assert (a.scope_unit_id, b.scope_unit_id, s.scope_unit_id) == (unit.id,) * 3
        moved = contacts.update_contact(
            session, contact_id=b.id, expected_version=1, depot_id=None, team_id=team.id
        )
        assert (moved.team_id, moved.depot_id, moved.row_version) == (team.id, None, 2)
        with pytest.raises(EditConflict):
            contacts.update_contact(session, contact_id=b.id, expected_version=1, role="队长")
        contacts.delete_contact(session, contact_id=s.id)
    with db.session() as session:
        actions = session.scalars(select(AuditLog.action).where(AuditLog.table_name == "contact"))
        assert sorted(actions) == [
            "contact.create", "contact.create", "contact.create", "contact.delete",
            "contact.update",
        ]  # fmt: skip
        assert session.scalar(select(Contact.name).where(Contact.id == b.id)) == "李强"


def test_contact_refusals_name_their_field(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session, "U1")
        team = f.team(session, unit)
        good = {"name": "王建国", "unit_id": unit.id, "mobile": "13912345678"}
        _refused(lambda: contacts.create_contact(session, **{**good, "mobile": "1391234"}),
                 "mobile", "“1391234”格式不正确")  # fmt: skip
        _refused(lambda: contacts.create_contact(session, **{**good, "mobile": "021-59721234"}),
                 "mobile", "不是手机号码")  # fmt: skip
        _refused(lambda: contacts.create_contact(session, **{**good, "office_phone": "0512-6"}),
                 "office_phone")  # fmt: skip
        _refused(lambda: contacts.create_contact(session, **{**good, "email": "wang@"}),
                 "email", "电子邮箱")  # fmt: skip
        _refused(lambda: contacts.create_contact(session, **{**good, "name": " "}), "name")
        _refused(lambda: contacts.create_contact(session, **{**good, "team_id": team.id}),
                 "unit_id", "只能选一个")  # fmt: skip
        _refused(lambda: contacts.create_contact(session, name="X", mobile="13912345678"),
                 "unit_id")  # fmt: skip
        _refused(lambda: contacts.create_contact(session, name="X", unit_id=unit.id),
                 "mobile", "至少填写")  # fmt: skip
        assert session.scalars(select(Contact)).all() == []


def test_contacts_follow_the_scope_of_their_unit(db: Database) -> None:
    org = build_org(db)
    with db.session() as session:
        on_s2 = contacts.create_contact(session, name="街道联络员", unit_id=org.s2,
                                        mobile="13900000002").id  # fmt: skip
        supplier = contacts.create_contact(session, name="供应商甲", supplier="某公司",
                                           mobile="13900000003").id  # fmt: skip
    bind_actor(db, actor_of(db, "keeper1"))  # editor of street S1
    try:
        with db.session() as session:  # the depot of S1 is in scope
            contacts.create_contact(session, name="库管员", depot_id=org.depot1,
                                    mobile="13900000001")  # fmt: skip
        for call in (
            lambda s: contacts.update_contact(s, contact_id=on_s2, expected_version=None,
                                              role="主任"),
            lambda s: contacts.update_contact(s, contact_id=supplier, expected_version=None,
                                              role="经理"),
            lambda s: roster.create_shift(s, day=DEC, shift_kind_id="白班", leader="王"),
        ):  # fmt: skip
            with pytest.raises(PermissionDenied), db.session() as session:
                call(session)
    finally:
        bind_actor(db, None)


def _shift(session, day: dt.date, kind: str, leader: str | None, *officers: str) -> DutyShift:  # type: ignore[no-untyped-def]
    return roster.create_shift(
        session, day=day, shift_kind_id=kind, leader=leader, officers=list(officers),
        phone="021-59721110",
    )  # fmt: skip


def test_shift_create_edit_and_refusals(db: Database) -> None:
    with db.session() as session:
        unit = f.unit(session, "U1")
        wang = contacts.create_contact(session, name="王建国", unit_id=unit.id,
                                       mobile="13912345678")  # fmt: skip
        kinds = [k.name for k in shift_kinds.shift_kinds(session)]
        assert kinds == ["白班", "夜班", "全天"]  # seeded by the migration
        shift = roster.create_shift(
            session, day="2026年12月1日", shift_kind_id="白班", leader=wang.id,
            officers="李娜、张伟", phone="13912340000",
        )  # fmt: skip
        assert (shift.day, shift.leader_contact_id, shift.leader_name) == (DEC, wang.id, "王建国")
        assert [o.name for o in shift.officers] == ["李娜", "张伟"]
        typed = roster.create_shift(session, day=DEC, shift_kind_id="夜班", leader="王建国",
                                    officers=["赵六"])  # fmt: skip
        assert typed.leader_contact_id == wang.id  # a typed name of one contact is linked
        edited = roster.update_shift(session, shift_id=shift.id, expected_version=1,
                                     officers=["李娜"])  # fmt: skip
        assert [o.name for o in edited.officers] == ["李娜"] and edited.row_version == 2
        _refused(lambda: _shift(session, DEC, "白班", "甲", "乙"), "shift_kind_id", "已排有白班")
        _refused(lambda: _shift(session, DEC, "早班", "甲", "乙"), "shift_kind_id", "早班")
        _refused(lambda: _shift(session, dt.date(2026, 12, 2), "白班", "甲", "乙", "乙"),
                 "officers", "重复")  # fmt: skip
        _refused(lambda: _shift(session, dt.date(2026, 12, 2), "白班", "甲", "甲"),
                 "officers", "带班领导")  # fmt: skip
        _refused(lambda: roster.create_shift(session, day="12/32", shift_kind_id="白班"), "day")
        _refused(lambda: roster.create_shift(session, day=DEC, shift_kind_id="全天",
                                             phone="5972"), "phone", "“5972”")  # fmt: skip
        with pytest.raises(ValidationError, match="值班表"):
            contacts.delete_contact(session, contact_id=wang.id)
        roster.delete_shift(session, shift_id=typed.id)
    with db.session() as session:
        assert session.scalar(
            select(AuditLog.after).where(AuditLog.action == "duty_shift.create").limit(1)
        )["officers"] == [
            {"contact_id": None, "name": "李娜"},
            {"contact_id": None, "name": "张伟"},
        ]


def _fill_month(session, skip: frozenset[int] = frozenset()) -> None:  # type: ignore[no-untyped-def]
    for day in range(1, 32):
        if day not in skip:
            _shift(session, dt.date(2026, 12, day), "全天", f"领导{day % 3}", f"值班员{day}")


def test_a_clean_month_has_no_findings(db: Database) -> None:
    with db.session() as session:
        _fill_month(session)
        assert check_month(session, 2026, 12).findings == []


def test_one_person_on_two_overlapping_shifts_is_found(db: Database) -> None:
    with db.session() as session:
        _fill_month(session, skip=frozenset({5}))
        _shift(session, dt.date(2026, 12, 5), "白班", "领导甲", "张伟")
        _shift(session, dt.date(2026, 12, 5), "夜班", "领导乙", "李娜")  # back to back: fine
        day6 = session.scalar(select(DutyShift).where(DutyShift.day == dt.date(2026, 12, 6)))
        assert day6 is not None
        roster.update_shift(
            session, shift_id=day6.id, expected_version=None, officers=["李娜"]
        )  # fmt: skip  (夜班 ends as 6 Dec's 全天 begins)
        _shift(session, dt.date(2026, 12, 5), "全天", "领导丙", "李娜")  # overlaps the 夜班
        found = check_month(session, 2026, 12).findings
    assert [(x.rule, x.day.day, x.person) for x in found] == [
        (PERSON_OVERLAP, 5, "李娜"),
    ]
    assert "李娜 同时排在12月5日夜班（值班员）和12月5日全天（值班员）" in found[0].message


def test_a_day_without_leader_and_a_shift_without_officer(db: Database) -> None:
    with db.session() as session:
        _fill_month(session, skip=frozenset({3, 4}))
        _shift(session, dt.date(2026, 12, 3), "白班", None, "张伟")
        _shift(session, dt.date(2026, 12, 3), "夜班", None)
        month = month_view(session, 2026, 12)
    rules = [(x.rule, x.day.day) for x in month.findings]
    assert rules == [(NO_LEADER, 3), (NO_OFFICER, 3), (NO_LEADER, 4)]
    assert month.findings[2].message == "12月4日（星期五）无带班领导：未排班"
    night = next(r for r in month.rows if r.day.day == 3 and r.shift == "夜班")
    assert [x.rule for x in night.findings] == [NO_LEADER, NO_OFFICER]
    assert night.hours == "17:30-次日08:30"


def test_the_night_before_the_month_counts(db: Database) -> None:
    with db.session() as session:
        _shift(session, dt.date(2026, 11, 30), "夜班", "领导甲", "张伟")
        shift_kinds.create_shift_kind(session, code="early", name="早班", starts="06:00",
                                      ends="12:00")  # fmt: skip
        _fill_month(session)
        _shift(session, dt.date(2026, 12, 1), "早班", "张伟", "李娜")  # from 06:00
        found = [x for x in check_month(session, 2026, 12).findings if x.rule == PERSON_OVERLAP]
    assert [(x.day, x.person) for x in found] == [(DEC, "张伟")]


def test_shift_kinds_are_data(db: Database) -> None:
    with db.session() as session:
        early = shift_kinds.create_shift_kind(session, code="early", name="早班", starts="7点",
                                              ends="8:30", sort_order=0)  # fmt: skip
        assert (early.starts, shift_kinds.hours_text(early)) == ("07:00", "07:00-08:30")
        _refused(lambda: shift_kinds.create_shift_kind(session, code="x", name="白班",
                                                       starts="8:00", ends="9:00"),
                 "name", "已被使用")  # fmt: skip
        _refused(lambda: shift_kinds.create_shift_kind(session, code="y", name="中班",
                                                       starts="25:00", ends="9:00"),
                 "starts", "不是时刻")  # fmt: skip
        _shift(session, DEC, "早班", "甲", "乙")
        with pytest.raises(ValidationError, match="停用"):
            shift_kinds.delete_shift_kind(session, shift_kind_id=early.id)


def test_demo_contacts_are_valid_and_its_roster_is_clean(db: Database) -> None:
    from drillplan.demo import load_demo

    with db.session() as session:
        load_demo(session, as_of=dt.date(2026, 12, 3))
    with db.sessions() as session:
        found = session.scalars(select(Contact)).all()
        assert len(found) > 60
        for contact in found:  # every demo contact passes the form's checks
            contacts.check_contact(session, contact_id=contact.id)
        month = month_view(session, 2026, 12)
        assert len({r.day for r in month.rows}) == 31 and month.findings == []
        assert {r.shift for r in month.rows} == {"白班", "夜班", "全天"}
