"""The audit log of shared mode: every change (insert, update, delete) with who, which row,
before and after; one entry per row per transaction; nothing for rolled-back work; browsing
and filtering; the change counter views poll."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.audit.read import (
    AuditFilter,
    audit_choices,
    audit_entry,
    count_audit,
    query_audit,
)
from drillplan.auth.changes import ChangeWatcher, change_counter
from drillplan.auth.context import bind_actor
from drillplan.competitions import core as comp
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Holiday, Lot, Member, Setting, Team, Unit
from drillplan.drills import editing
from drillplan.kernel.vocab import EventKind, PlanStatus, Scoring
from drillplan.plans import lifecycle, register
from drillplan.stock import ledger
from tests import factories as f
from tests.support.org import TODAY, actor_of, build_org


def _entries(db: Database, **where: Any) -> list[AuditLog]:
    with db.session() as session:
        stmt = select(AuditLog).order_by(AuditLog.id)
        for key, value in where.items():
            stmt = stmt.where(getattr(AuditLog, key) == value)
        return list(session.scalars(stmt))


def _as(db: Database, username: str) -> None:
    bind_actor(db, actor_of(db, username))


def test_insert_update_delete_with_before_and_after(db: Database) -> None:
    org = build_org(db)
    _as(db, "district")
    with db.session() as session:
        team = f.team(session, session.get_one(Unit, org.s1))
        session.add(Member(team_id=team.id, name="张三", phone="13800000000"))
        team_id = team.id
    with db.session() as session:
        team = session.get_one(Team, team_id)
        team.name = "夏阳街道抢险队"
        team.headcount = 12
    with db.session() as session:
        session.delete(session.get_one(Team, team_id))  # and its member, by cascade

    inserted = _entries(db, table_name="team", action=auditlog.INSERT)
    assert len(inserted) == 1 and inserted[0].username == "district"
    assert inserted[0].row_id == team_id and inserted[0].before is None
    assert inserted[0].after is not None and inserted[0].after["code"] == "T1"
    assert inserted[0].after["owner_unit_id"] == org.s1

    (updated,) = _entries(db, table_name="team", action=auditlog.UPDATE)
    assert updated.before == {"name": "队伍T1", "headcount": None, "row_version": 1}
    assert updated.after == {"name": "夏阳街道抢险队", "headcount": 12, "row_version": 2}

    deleted = {e.table_name: e for e in _entries(db, action=auditlog.DELETE)}
    assert set(deleted) == {"team", "member"}
    assert deleted["team"].after is None and deleted["team"].before is not None
    assert deleted["team"].before["name"] == "夏阳街道抢险队"
    assert deleted["member"].before is not None and deleted["member"].before["name"] == "张三"


def test_one_entry_per_row_per_transaction_and_none_for_no_change(db: Database) -> None:
    org = build_org(db)
    _as(db, "admin")
    with db.session() as session:
        team = f.team(session, session.get_one(Unit, org.s1))
        team_id = team.id
    before = len(_entries(db))
    with db.session() as session:
        team = session.get_one(Team, team_id)
        team.base = "A"
        session.flush()
        team.base = "B"
        session.flush()
        team.duty_phone = "021-59700000"
    with db.session() as session:
        team = session.get_one(Team, team_id)
        team.base = "C"
        session.flush()
        team.base = "B"  # changed and changed back: nothing to record
    entries = _entries(db)[before:]
    assert len(entries) == 1
    assert entries[0].before == {"base": None, "duty_phone": None, "row_version": 1}
    assert entries[0].after == {"base": "B", "duty_phone": "021-59700000", "row_version": 4}


def test_core_operations_are_logged_once_and_side_effects_too(db: Database) -> None:
    org = build_org(db)
    _as(db, "keeper1")
    mark = len(_entries(db))
    with db.session() as session:
        plan = register.create_plan(
            session,
            code="YA-1",
            title="街道防汛预案",
            kind="grassroots",
            category="natural",
            owner_unit_id=org.s1,
            on=TODAY,
            today=TODAY,
            user="caller-says",
        )
        lifecycle.transition(
            session, plan_id=plan.id, to_status=PlanStatus.REVIEWING, on=TODAY, today=TODAY
        )
        ledger.issue(
            session,
            holder_id=org.holder1,
            material_id=org.material,
            quantity=7,
            on=TODAY,
            today=TODAY,
        )
    entries = _entries(db)[mark:]
    assert {e.username for e in entries} == {"keeper1"}  # the actor, not the caller's name
    actions = [(e.table_name, e.action) for e in entries]
    assert ("plan", "plan.create") in actions and ("plan", "plan.transition") in actions
    assert ("plan", auditlog.INSERT) not in actions and ("plan", auditlog.UPDATE) not in actions
    assert ("plan_revision", auditlog.INSERT) in actions
    assert ("plan_status_change", auditlog.INSERT) in actions
    assert ("movement", "stock.issue") in actions and ("movement", auditlog.INSERT) not in actions
    (lot,) = [e for e in entries if e.table_name == "lot"]
    assert lot.action == auditlog.UPDATE and lot.row_id == org.lot1
    assert lot.before is not None and lot.after is not None
    assert Decimal(str(lot.before["on_hand"])) == 100 and Decimal(str(lot.after["on_hand"])) == 93


@pytest.mark.parametrize("nested", [False, True])
def test_rolled_back_work_leaves_no_entries(db: Database, nested: bool) -> None:
    org = build_org(db)
    _as(db, "admin")
    mark = len(_entries(db))
    if nested:
        with db.session() as session:
            savepoint = session.begin_nested()
            session.get_one(Lot, org.lot1).location = "A-01"
            session.flush()
            savepoint.rollback()
            session.get_one(Lot, org.lot2).location = "B-02"
        entries = _entries(db)[mark:]
        assert [(e.row_id, e.after) for e in entries] == [
            (org.lot2, {"location": "B-02", "row_version": 3})
        ]
    else:
        with pytest.raises(RuntimeError), db.session() as session:
            session.get_one(Lot, org.lot1).location = "A-01"
            session.flush()
            raise RuntimeError("the user cancelled")
        assert _entries(db)[mark:] == []


def test_every_kind_of_row_is_logged(db: Database) -> None:
    org = build_org(db)
    _as(db, "admin")
    with db.session() as session:
        unit = session.get_one(Unit, org.s1)
        drill = editing.create_drill(
            session,
            title="防汛演练",
            form="live",
            scope="single",
            organiser_unit_id=org.s1,
            starts_at=dt.datetime(2025, 7, 1, 9),
            ends_at=dt.datetime(2025, 7, 1, 11),
        )
        comp_row = comp.create_competition(
            session, year=2025, title="2025年技能大比武", held_on=TODAY, venue=None
        )
        comp.add_event(
            session,
            competition_id=comp_row.id,
            name="破拆",
            kind=EventKind.TEAM,
            scoring=Scoring.POINTS,
        )
        session.add(Setting(key="unit_name", value="青浦区应急管理局"))
        session.add(Holiday(day=dt.date(2025, 10, 1), name="国庆节"))
        f.team(session, unit, code="T9")
        drill_id = drill.id
    tables = {e.table_name for e in _entries(db)}
    assert {"drill", "competition", "competition_event", "setting", "holiday", "team"} <= tables
    setting = _entries(db, table_name="setting")[0]
    assert setting.row_id is None and setting.after is not None
    assert setting.after["_key"] == ["unit_name"]
    assert any(e.row_id == drill_id for e in _entries(db, table_name="drill"))


def test_without_an_actor_only_the_operations_log_as_before(db: Database) -> None:
    org = build_org(db)  # single-user mode: nobody bound
    with db.session() as session:
        session.get_one(Lot, org.lot1).location = "A-01"
    assert _entries(db, table_name="lot") == []
    with db.session() as session:
        ledger.issue(
            session,
            holder_id=org.holder1,
            material_id=org.material,
            quantity=1,
            on=TODAY,
            today=TODAY,
            operator="王五",
        )
    (issue,) = _entries(db, action="stock.issue")
    assert issue.username == "王五"


# ----------------------------------------------------------------------------- browsing


def test_query_filters_and_choices(db: Database) -> None:
    org = build_org(db)
    _as(db, "keeper1")
    with db.session() as session:
        for qty in (1, 2, 3):
            ledger.issue(
                session,
                holder_id=org.holder1,
                material_id=org.material,
                quantity=qty,
                on=TODAY,
                today=TODAY,
            )
    with db.session() as session:
        total = count_audit(session)
        assert total == session.scalar(select(func.count()).select_from(AuditLog))
        mine = query_audit(session, AuditFilter(username="keeper1"))
        assert {e.username for e in mine} == {"keeper1"}
        issues = query_audit(session, AuditFilter(action="stock.issue"))
        assert len(issues) == 3 and issues[0].id > issues[-1].id  # newest first
        assert count_audit(session, AuditFilter(action="stock.")) == 5  # 2 receipts + 3 issues
        lot_rows = query_audit(session, AuditFilter(table="lot", row_id=org.lot1))
        assert [e.action for e in lot_rows] == [auditlog.UPDATE]
        assert count_audit(session, AuditFilter(text="ISSUE")) == 3
        today = dt.date.today()
        assert count_audit(session, AuditFilter(since=today, until=today)) == total
        assert count_audit(session, AuditFilter(until=today - dt.timedelta(days=1))) == 0
        page = query_audit(session, limit=2, offset=1, newest_first=False)
        assert [e.id for e in page] == [e.id for e in query_audit(session, newest_first=False)][1:3]
        choices = audit_choices(session)
        assert "keeper1" in choices.usernames and "lot" in choices.tables
        assert "stock.issue" in choices.actions
        entry = audit_entry(session, issues[0].id)
        assert entry.table_label() == "出入库台账"
        change = {c.field: c for c in lot_rows[0].changes()}
        assert Decimal(str(change["on_hand"].before)) == 100
        assert "on_hand" in lot_rows[0].summary()


def test_change_counter_and_watcher(db: Database) -> None:
    org = build_org(db)
    _as(db, "admin")
    watcher = ChangeWatcher(window=10)
    with db.session() as session:
        start = change_counter(session)
        assert not watcher.changed(session)  # the first call sets the baseline
        assert not watcher.changed(session)
    with db.session() as session:
        session.get_one(Lot, org.lot1).location = "A-01"
    with db.session() as session:
        assert change_counter(session) > start
        assert watcher.changed(session)
        assert not watcher.changed(session)
    # a transaction that got a lower id but committed later is noticed too
    with db.session() as session:
        newest = change_counter(session)
        late = _plain_entry(session, newest - 1)
    if late is not None:
        with db.session() as session:
            assert change_counter(session) == newest
            assert watcher.changed(session)


def _plain_entry(session: Session, below: int) -> int | None:
    """Insert an entry with a free id below ``below`` (as a slow transaction would have)."""
    taken = set(session.scalars(select(AuditLog.id)))
    free = next((i for i in range(below, 0, -1) if i not in taken), None)
    if free is None:
        return None
    session.add(AuditLog(id=free, username="x", table_name="", action="late"))
    return free


def test_old_value_not_in_memory_is_read_for_before(db: Database) -> None:
    org = build_org(db)
    _as(db, "admin")
    with db.session() as session:
        lot = session.get_one(Lot, org.lot1)
        lot.location = "A-01"
    with db.session() as session:
        lot = session.get_one(Lot, org.lot1)
        session.expire(lot, ["location"])
        lot.location = "B-02"  # set without loading the old value first
    (entry,) = _entries(db, table_name="lot", row_id=org.lot1)[-1:]
    assert entry.before is not None and entry.before["location"] == "A-01"
    assert entry.after is not None and entry.after["location"] == "B-02"
