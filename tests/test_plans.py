"""Plans: lifecycle, revisions, register validation and hand-computed due dates."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.calendar.workdays import library_knows, set_official_list
from drillplan.cli import plans as plans_cli
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Plan, PlanEvaluation, PlanRevision, PlanStatusChange
from drillplan.kernel.errors import Conflict, NotFound, ValidationError
from drillplan.kernel.vocab import DrillStatus, HolderClass, PlanKind, PlanStatus, label
from drillplan.plans import due, lifecycle, register
from tests import factories as f

D = dt.date
S = PlanStatus
TODAY = D(2026, 11, 24)

# the states a new plan passes through to reach each status (dated one week apart)
PATHS: dict[PlanStatus, list[PlanStatus]] = {
    S.DRAFTING: [],
    S.REVIEWING: [S.REVIEWING],
    S.APPROVED: [S.REVIEWING, S.APPROVED],
    S.PUBLISHED: [S.REVIEWING, S.APPROVED, S.PUBLISHED],
    S.REVISING: [S.REVIEWING, S.APPROVED, S.PUBLISHED, S.REVISING],
    S.ABOLISHED: [S.ABOLISHED],
}
START = D(2024, 1, 8)
LEGAL = sorted((a, b) for a, targets in lifecycle.TRANSITIONS.items() for b in targets)
ILLEGAL = sorted(
    (a, b) for a in PlanStatus for b in PlanStatus if b not in lifecycle.TRANSITIONS[a]
)


def _unit_id(session: Session) -> int:
    return f.unit(session, code="QP-YJJ", name="青浦区应急管理局").id


def _plan(session: Session, code: str = "QP-ZX-001", **kw: Any) -> Plan:
    unit_id = kw.pop("owner_unit_id", None) or _unit_id(session)
    return register.create_plan(
        session,
        code=code,
        title=kw.pop("title", "青浦区防汛防台专项应急预案"),
        kind=kw.pop("kind", PlanKind.SPECIAL),
        category=kw.pop("category", "natural"),
        owner_unit_id=unit_id,
        on=kw.pop("on", START - dt.timedelta(days=7)),
        today=kw.pop("today", TODAY),
        **kw,
    )


def _walk(session: Session, plan: Plan, target: PlanStatus) -> dt.date:
    """Move ``plan`` along PATHS[target]; returns the date of the last step."""
    on = START
    for i, step in enumerate(PATHS[target]):
        on = START + dt.timedelta(days=7 * i)
        lifecycle.transition(session, plan_id=plan.id, to_status=step, on=on, today=TODAY)
    return on


def _state(session: Session) -> tuple[Any, ...]:
    """Everything an operation could change."""
    session.expire_all()
    plans = session.execute(
        select(
            Plan.id,
            Plan.code,
            Plan.status,
            Plan.current_version,
            Plan.approved_on,
            Plan.published_on,
            Plan.filed_on,
            Plan.title,
            Plan.row_version,
        ).order_by(Plan.id)
    ).all()
    counts = [
        session.scalar(select(func.count()).select_from(t))
        for t in (PlanStatusChange, PlanRevision, PlanEvaluation, AuditLog)
    ]
    return (tuple(plans), *counts)


def _rejected(db: Database, call: Any, field: str) -> ValidationError:
    """Run ``call(session)`` expecting ValidationError(field); prove nothing changed."""
    with db.session() as session:
        before = _state(session)
    with db.session() as session, pytest.raises(ValidationError) as err:
        call(session)
    # the failed call's session committed: nothing may have been written before the check
    with db.session() as session:
        assert _state(session) == before
    assert err.value.field == field, err.value
    return err.value


# ------------------------------------------------------------------------------ lifecycle


@pytest.mark.parametrize(("from_status", "to_status"), LEGAL)
def test_every_legal_transition_is_applied_and_logged(
    db: Database, from_status: PlanStatus, to_status: PlanStatus
) -> None:
    with db.session() as session:
        plan = _plan(session)
        last = _walk(session, plan, from_status)
        on = last + dt.timedelta(days=3)
        change = lifecycle.transition(
            session, plan_id=plan.id, to_status=to_status, on=on, user="张三", today=TODAY
        )
        plan_id, change_id = plan.id, change.id
    with db.session() as session:
        plan = session.get_one(Plan, plan_id)
        assert plan.status == to_status
        change = session.get_one(PlanStatusChange, change_id)
        assert (change.from_status, change.to_status, change.changed_on) == (
            from_status,
            to_status,
            on,
        )
        assert change.username == "张三"
        changes = session.scalars(
            select(PlanStatusChange).where(PlanStatusChange.plan_id == plan_id)
        ).all()
        assert len(changes) == len(PATHS[from_status]) + 2  # + the initial row
        entry = session.scalars(
            select(AuditLog)
            .where(AuditLog.action == "plan.transition", AuditLog.row_id == plan_id)
            .order_by(AuditLog.id.desc())
        ).first()
        assert entry is not None and entry.username == "张三" and entry.table_name == "plan"
        assert entry.before is not None and entry.after is not None
        assert (entry.before["status"], entry.after["status"]) == (from_status, to_status)
        if to_status == S.APPROVED:
            assert plan.approved_on == on and plan.published_on is None
        if to_status == S.PUBLISHED:
            assert plan.published_on == on


@pytest.mark.parametrize(("from_status", "to_status"), ILLEGAL)
def test_every_illegal_transition_is_rejected_and_changes_nothing(
    db: Database, from_status: PlanStatus, to_status: PlanStatus
) -> None:
    with db.session() as session:
        plan = _plan(session)
        last = _walk(session, plan, from_status)
        plan_id = plan.id

    def call(session: Session) -> None:
        lifecycle.transition(
            session,
            plan_id=plan_id,
            to_status=to_status,
            on=last + dt.timedelta(days=1),
            today=TODAY,
        )

    err = _rejected(db, call, "status")
    assert f"“{label(from_status)}”" in err.message and f"“{label(to_status)}”" in err.message
    assert f"{from_status} -> {to_status}" in (err.message_en or "")


def test_transition_dates_and_status_names(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session)
        lifecycle.transition(
            session, plan_id=plan.id, to_status="审核中", on=D(2024, 3, 1), today=TODAY
        )
        plan_id = plan.id

    def future(session: Session) -> None:
        lifecycle.transition(
            session, plan_id=plan_id, to_status=S.APPROVED, on=D(2026, 11, 25), today=TODAY
        )

    def before_previous(session: Session) -> None:
        lifecycle.transition(
            session, plan_id=plan_id, to_status=S.APPROVED, on=D(2024, 2, 29), today=TODAY
        )

    def unknown(session: Session) -> None:
        lifecycle.transition(
            session, plan_id=plan_id, to_status="批准了", on=D(2024, 3, 2), today=TODAY
        )

    assert "晚于今天" in _rejected(db, future, "date").message
    assert "2024-03-01" in _rejected(db, before_previous, "date").message
    _rejected(db, unknown, "status")
    with db.session() as session, pytest.raises(NotFound):
        lifecycle.transition(
            session, plan_id=9999, to_status=S.REVIEWING, on=D(2024, 3, 2), today=TODAY
        )


def test_revisions_create_versions_and_the_register_keeps_every_one(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session)
        _walk(session, plan, S.PUBLISHED)  # published 2024-01-22
        register.update_plan(
            session, plan_id=plan.id, expected_version=plan.row_version, filed_on=D(2024, 2, 1)
        )
        rev = lifecycle.revise(
            session,
            plan_id=plan.id,
            reason="law_changed",
            summary="依据 2024 年修订的《突发事件应对法》调整响应分级",
            on=D(2024, 12, 2),
            user="李四",
            today=TODAY,
        )
        assert rev.version == "2.0" and plan.current_version == "2.0"
        assert plan.status == S.REVISING
        for step, on in ((S.REVIEWING, D(2025, 1, 6)), (S.APPROVED, D(2025, 2, 10))):
            lifecycle.transition(session, plan_id=plan.id, to_status=step, on=on, today=TODAY)
        # a new version's approval restarts publication and filing
        assert plan.approved_on == D(2025, 2, 10)
        assert plan.published_on is None and plan.filed_on is None
        lifecycle.transition(
            session, plan_id=plan.id, to_status=S.PUBLISHED, on=D(2025, 2, 20), today=TODAY
        )
        lifecycle.revise(
            session,
            plan_id=plan.id,
            reason="在突发事件实际应对和应急演练中发现问题需要作出重大调整",  # the label works too
            summary="演练发现转移安置流程不清",
            on=D(2025, 9, 1),
            new_version="2.1",
            today=TODAY,
        )
        plan_id = plan.id
    with db.session() as session:
        kept = lifecycle.versions(session, plan_id)
        assert [(v.version, v.reason) for v in kept] == [
            ("1.0", lifecycle.INITIAL_REASON),
            ("2.0", "law_changed"),
            ("2.1", "lessons_learned"),
        ]
        assert kept[1].revised_on == D(2024, 12, 2) and "响应分级" in kept[1].summary
        plan = session.get_one(Plan, plan_id)
        assert plan.status == S.REVISING and plan.current_version == "2.1"
        statuses = [c.to_status for c in lifecycle.history(session, plan_id)]
        assert statuses == [
            S.DRAFTING,
            S.REVIEWING,
            S.APPROVED,
            S.PUBLISHED,
            S.REVISING,
            S.REVIEWING,
            S.APPROVED,
            S.PUBLISHED,
            S.REVISING,
        ]
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.row_id == plan_id).order_by(AuditLog.id)
        ).all()
        assert actions.count("plan.revise") == 2
        assert actions[0] == "plan.create"
        entry = session.scalars(
            select(AuditLog).where(AuditLog.action == "plan.revise").order_by(AuditLog.id)
        ).first()
        assert entry is not None and entry.username == "李四"
        assert entry.before is not None and entry.after is not None
        assert entry.before["current_version"] == "1.0"
        assert entry.after["revision"]["reason"] == "law_changed"


def test_next_version() -> None:
    assert lifecycle.next_version("1.0") == "2.0"
    assert lifecycle.next_version("2.3") == "3.0"
    assert lifecycle.next_version("7") == "8.0"
    assert lifecycle.next_version("2024版") is None


def test_bad_revisions_are_rejected_and_change_nothing(db: Database) -> None:
    with db.session() as session:
        published = _plan(session)
        _walk(session, published, S.PUBLISHED)
        lifecycle.revise(
            session,
            plan_id=published.id,
            reason="risk_changed",
            summary="新增轨交大客流风险",
            on=D(2025, 3, 3),
            today=TODAY,
        )
        draft = _plan(session, code="QP-ZX-002", owner_unit_id=published.owner_unit_id)
        odd = _plan(
            session,
            code="QP-ZX-003",
            owner_unit_id=published.owner_unit_id,
            version="2024版",
            status=S.PUBLISHED,
            approved_on=D(2024, 3, 1),
            published_on=D(2024, 3, 5),
        )
        ids = (published.id, draft.id, odd.id)

    def revise(plan_index: int, **kw: Any) -> Any:
        args = {"reason": "risk_changed", "summary": "调整", "on": D(2025, 6, 2), "today": TODAY}
        args.update(kw)
        return lambda session: lifecycle.revise(session, plan_id=ids[plan_index], **args)

    assert "修订原因" in _rejected(db, revise(0, reason="boss_said_so"), "reason").message
    _rejected(db, revise(0, summary="  "), "summary")
    _rejected(db, revise(0, on=D(2026, 12, 1)), "date")
    _rejected(db, revise(0, on=D(2025, 3, 1)), "date")  # before version 2.0
    _rejected(db, revise(0, new_version="2.0"), "version")  # exists
    _rejected(db, revise(0, new_version="1.5"), "version")  # not greater
    assert "编制中" in _rejected(db, revise(1), "status").message
    _rejected(db, revise(2), "version")  # cannot increment 2024版
    with db.session() as session:
        rev = revise(2, new_version="2025版")(session)
        assert rev.version == "2025版"


def test_create_plan_defaults_and_first_version(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session, hazards="台风、暴雨，洪涝")
        assert plan.status == S.DRAFTING and plan.current_version == "1.0"
        assert plan.evaluation_interval_months == 36 and plan.drill_interval_months is None
        assert plan.hazards == ["台风", "暴雨", "洪涝"]
        assert plan.holder_class == HolderClass.GOVERNMENT
        assert [v.version for v in lifecycle.versions(session, plan.id)] == ["1.0"]
        assert session.scalar(select(func.count()).where(AuditLog.action == "plan.create")) == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"code": "  "}, "code"),
        ({"code": "QP ZX 9"}, "code"),
        ({"code": "X" * 41}, "code"),
        ({"title": ""}, "title"),
        ({"kind": "secret"}, "kind"),
        ({"category": "alien"}, "category"),
        ({"holder_class": "nobody"}, "holder_class"),
        ({"owner_unit_id": 9999}, "owner_unit_id"),
        ({"evaluation_interval_months": 0}, "evaluation_interval_months"),
        ({"evaluation_interval_months": "three"}, "evaluation_interval_months"),
        ({"drill_interval_months": -6}, "drill_interval_months"),
        ({"approved_on": D(2026, 12, 1)}, "approved_on"),
        ({"approved_on": D(2024, 3, 5), "published_on": D(2024, 3, 1)}, "published_on"),
        ({"approved_on": D(2024, 3, 5), "filed_on": D(2024, 3, 4)}, "filed_on"),
        ({"filed_on": D(2024, 3, 4)}, "filed_on"),
        ({"status": S.PUBLISHED, "approved_on": D(2024, 3, 5)}, "published_on"),
        ({"status": S.APPROVED}, "approved_on"),
        ({"status": "done"}, "status"),
    ],
)
def test_create_plan_rejects_bad_input(db: Database, changes: dict[str, Any], field: str) -> None:
    with db.session() as session:
        unit_id = _unit_id(session)

    def call(session: Session) -> None:
        kw = {"owner_unit_id": unit_id, **changes}
        _plan(session, code=kw.pop("code", "QP-ZX-009"), **kw)

    _rejected(db, call, field)


def test_duplicate_code_is_a_conflict(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session)
        unit_id = plan.owner_unit_id
    with db.session() as session, pytest.raises(Conflict):
        _plan(session, code="ＱＰ-ZX-001", owner_unit_id=unit_id)  # full-width folds to the same


def test_update_plan_with_optimistic_locking(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session)
        plan_id, version = plan.id, plan.row_version
    with db.session() as session:
        plan = register.update_plan(
            session,
            plan_id=plan_id,
            expected_version=version,
            title="青浦区防汛防台专项应急预案（2025年修订）",
            drill_interval_months=12,
            user="王五",
            today=TODAY,
        )
        assert plan.row_version == version + 1
    with db.session() as session:
        entry = session.scalars(select(AuditLog).where(AuditLog.action == "plan.update")).one()
        assert entry.username == "王五" and entry.before and entry.after
        assert entry.before["drill_interval_months"] is None
        assert entry.after["drill_interval_months"] == 12

    def stale(session: Session) -> None:
        register.update_plan(session, plan_id=plan_id, expected_version=version, title="旧")

    with db.session() as session:
        before = _state(session)
    with db.session() as session, pytest.raises(Conflict):
        stale(session)
    with db.session() as session:
        assert _state(session) == before

    def update(**kw: Any) -> Any:
        return lambda session: register.update_plan(
            session, plan_id=plan_id, expected_version=version + 1, today=TODAY, **kw
        )

    _rejected(db, update(title=" "), "title")
    _rejected(db, update(status=S.PUBLISHED), "status")
    _rejected(db, update(evaluation_interval_months=-1), "evaluation_interval_months")
    _rejected(db, update(filed_on=D(2024, 1, 1)), "filed_on")
    _rejected(db, update(row_version=7), "row_version")


def test_record_evaluation(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session)
        draft = _plan(session, code="QP-ZX-002", owner_unit_id=plan.owner_unit_id)
        _walk(session, plan, S.PUBLISHED)
        ids = plan.id, draft.id

    def evaluate(index: int, **kw: Any) -> Any:
        args = {"on": D(2025, 5, 6), "conclusion": "keep", "today": TODAY, **kw}
        return lambda session: register.record_evaluation(session, plan_id=ids[index], **args)

    _rejected(db, evaluate(0, conclusion="fine"), "conclusion")
    _rejected(db, evaluate(0, on=D(2027, 1, 1)), "date")
    _rejected(db, evaluate(1), "status")
    with db.session() as session:
        ev = evaluate(0, conclusion="需要修订", summary="机构改革后职责调整")(session)
        assert ev.conclusion == "revise"
        assert session.scalar(select(func.count()).where(AuditLog.action == "plan.evaluate")) == 1


# ------------------------------------------------------------------------------- due dates


APPROVED, PUBLISHED = D(2024, 3, 11), D(2024, 3, 15)


def _issued(
    session: Session,
    code: str,
    *,
    approved: dt.date | None = APPROVED,
    published: dt.date | None = PUBLISHED,
    today: dt.date = TODAY,
    **kw: Any,
) -> Plan:
    """A plan entered in the register as published on ``published``."""
    unit_id = session.scalar(select(Plan.owner_unit_id).limit(1))
    return _plan(
        session,
        code=code,
        owner_unit_id=unit_id or _unit_id(session),
        status=S.PUBLISHED,
        approved_on=approved,
        published_on=published,
        today=today,
        **kw,
    )


def _drill(session: Session, plan: Plan, code: str, ended: dt.date, **kw: Any) -> None:
    drill = f.drill(
        session,
        plan.owner_unit,
        code=code,
        starts_at=dt.datetime.combine(ended, dt.time(9)),
        ends_at=dt.datetime.combine(ended, dt.time(11)),
        status=kw.pop("status", DrillStatus.EVALUATED),
        **kw,
    )
    drill.plans.append(plan)
    session.flush()


def _due(session: Session, as_of: dt.date, **kw: Any) -> dict[str, due.PlanDue]:
    return {r.code: r for r in due.plan_due(session, as_of=as_of, **kw)}


AS_OF = D(2025, 6, 30)


@pytest.mark.parametrize(
    ("holder", "kind", "months", "next_drill", "days_overdue"),
    [
        # last drill 2024-05-20; as of 2025-06-30
        (HolderClass.HIGH_RISK, PlanKind.ENTERPRISE, 6, D(2024, 11, 20), 222),
        (HolderClass.GOVERNMENT, PlanKind.ONSITE, 6, D(2024, 11, 20), 222),
        (HolderClass.SHANGHAI_LIST, PlanKind.GRASSROOTS, 12, D(2025, 5, 20), 41),
        (HolderClass.GOVERNMENT, PlanKind.ENTERPRISE, 12, D(2025, 5, 20), 41),
        (HolderClass.TOWN_PRODUCTION_SAFETY, PlanKind.SPECIAL, 24, D(2026, 5, 20), 0),
        (HolderClass.GOVERNMENT, PlanKind.DEPARTMENTAL, 36, D(2027, 5, 20), 0),
    ],
)
def test_drill_interval_by_holder_class_and_kind(
    db: Database,
    holder: HolderClass,
    kind: PlanKind,
    months: int,
    next_drill: dt.date,
    days_overdue: int,
) -> None:
    with db.session() as session:
        plan = _issued(session, "P1", holder_class=holder, kind=kind)
        _drill(session, plan, "QP-DR-2024-007", D(2024, 5, 20))
        row = _due(session, AS_OF)["P1"]
    assert row.drill_interval_months == months
    assert row.last_drill == D(2024, 5, 20) and row.last_drill_code == "QP-DR-2024-007"
    assert row.next_drill == next_drill
    assert row.drill_days_overdue == days_overdue
    assert row.drill_overdue is (days_overdue > 0)
    text = next(r for r in row.reasons if "演练" in r and "上次演练" in r)
    assert f"应于 {next_drill} 前演练" in text and "（演练 QP-DR-2024-007）" in text
    assert (f"已逾期 {days_overdue} 天" in text) is (days_overdue > 0)


def test_drill_interval_override_and_history(db: Database) -> None:
    with db.session() as session:
        plan = _issued(session, "P1", holder_class=HolderClass.HIGH_RISK, drill_interval_months=18)
        never = _issued(session, "P2")
        _drill(session, plan, "DR-OLD", D(2023, 9, 1))
        _drill(session, plan, "DR-LAST", D(2024, 5, 20))
        _drill(session, plan, "DR-PLANNED", D(2025, 5, 1), status=DrillStatus.PLANNED)
        _drill(session, plan, "DR-CANCELLED", D(2025, 5, 2), status=DrillStatus.CANCELLED)
        _drill(session, never, "DR-FUTURE", D(2025, 7, 1), status=DrillStatus.PLANNED)
        rows = _due(session, AS_OF)
    p1, p2 = rows["P1"], rows["P2"]
    assert p1.drill_interval_months == 18 and "本预案规定每 18 个月" in p1.drill_rule
    assert (p1.last_drill, p1.last_drill_code) == (D(2024, 5, 20), "DR-LAST")
    assert p1.next_drill == D(2025, 11, 20) and not p1.drill_overdue
    # never drilled: counted from publication on 2024-03-15, every 36 months
    assert p2.last_drill is None and p2.next_drill == D(2027, 3, 15)
    assert any("尚无演练记录" in r for r in p2.reasons)


def test_drill_overdue_explained_like_the_issue_example(db: Database) -> None:
    with db.session() as session:
        plan = _issued(session, "QP-ZX-001", approved=D(2023, 4, 3), published=D(2023, 4, 20))
        _drill(session, plan, "QP-DR-2023-004", D(2023, 5, 12))
        row = _due(session, D(2026, 11, 24))["QP-ZX-001"]
    assert row.next_drill == D(2026, 5, 12) and row.drill_days_overdue == 196
    text = row.reasons[-1]
    assert text.startswith("上次演练 2023-05-12（演练 QP-DR-2023-004）")
    assert "《突发事件应急预案管理办法》" in text and "每 36 个月" in text
    assert text.endswith("应于 2026-05-12 前演练，已逾期 196 天")
    assert row.reasons_en[-1].endswith("due 2026-05-12, overdue by 196 days")


def test_evaluation_due_and_overdue(db: Database) -> None:
    with db.session() as session:
        _issued(session, "E1", approved=D(2022, 5, 30), published=D(2022, 6, 1))
        e2 = _issued(session, "E2", approved=D(2022, 5, 30), published=D(2022, 6, 1))
        e3 = _issued(
            session,
            "E3",
            approved=D(2022, 5, 30),
            published=D(2022, 6, 1),
            evaluation_interval_months=24,
        )
        for plan, conclusion in ((e2, "keep"), (e3, "revise")):
            register.record_evaluation(
                session, plan_id=plan.id, on=D(2024, 1, 10), conclusion=conclusion, today=TODAY
            )
        rows = _due(session, AS_OF)
    # published 2022-06-01 + 36 months = 2025-06-01; 2025-06-30 is 29 days later
    e1 = rows["E1"]
    assert e1.next_evaluation == D(2025, 6, 1) and e1.evaluation_days_overdue == 29
    assert any("发布 2022-06-01" in r and "已逾期 29 天" in r for r in e1.reasons)
    # evaluated 2024-01-10 + 36 months
    assert rows["E2"].next_evaluation == D(2027, 1, 10) and not rows["E2"].evaluation_overdue
    assert rows["E2"].last_evaluation == D(2024, 1, 10)
    # its own interval: 24 months; the evaluation asked for a revision not yet made
    assert rows["E3"].next_evaluation == D(2026, 1, 10)
    assert rows["E3"].revision_required_since == D(2024, 1, 10)
    assert rows["E2"].revision_required_since is None


def test_revision_after_evaluation_clears_revision_required(db: Database) -> None:
    with db.session() as session:
        plan = _issued(session, "E3")
        register.record_evaluation(
            session, plan_id=plan.id, on=D(2024, 6, 3), conclusion="revise", today=TODAY
        )
        lifecycle.revise(
            session,
            plan_id=plan.id,
            reason="command_changed",
            summary="机构改革",
            on=D(2024, 9, 2),
            today=TODAY,
        )
        row = _due(session, AS_OF)["E3"]
    assert row.revision_required_since is None and row.status == "revising"


def test_filing_deadline_across_spring_festival_2026(db: Database) -> None:
    with db.session() as session:
        _issued(session, "F1", approved=D(2026, 2, 10), published=D(2026, 2, 12))
        _issued(
            session,
            "F2",
            approved=D(2026, 2, 10),
            published=D(2026, 2, 12),
            filed_on=D(2026, 3, 18),
        )
        _issued(
            session,
            "F3",
            approved=D(2026, 2, 10),
            published=D(2026, 3, 17),
            filed_on=D(2026, 3, 16),
        )
        _issued(session, "F4", approved=None, published=D(2026, 2, 10))
        rows = _due(session, D(2026, 3, 20))
    # 2026-02-10 + 20 working days = 2026-03-16 (tests/test_workdays.py counts it by hand)
    for code in ("F1", "F2", "F3", "F4"):
        assert rows[code].filing_deadline == D(2026, 3, 16), code
    f1, f2, f3, f4 = (rows[c] for c in ("F1", "F2", "F3", "F4"))
    assert f1.filing_overdue and f1.filing_days_overdue == 4 and f1.filing_late_workdays is None
    assert any("应于 2026-03-16 前备案，尚未备案，已逾期 4 天" in r for r in f1.reasons)
    # filed Wed 3/18: two working days (3/17, 3/18) late
    assert f2.filing_late_workdays == 2 and not f2.filing_overdue
    assert any("实际 2026-03-18 备案，迟延 2 个工作日" in r for r in f2.reasons)
    assert f3.filing_late_workdays is None  # filed on the last day
    assert f3.publication_deadline == D(2026, 3, 16) and f3.publication_late_workdays == 1
    assert f1.publication_late_workdays is None and not f1.publication_overdue
    # entered without an approval date: filing counts from publication, no publication rule
    assert f4.publication_deadline is None


def test_filing_deadline_across_national_day_2025(db: Database) -> None:
    with db.session() as session:
        plan = register.create_plan(
            session,
            code="N1",
            title="青浦区国庆期间大客流应急预案",
            kind=PlanKind.MAJOR_EVENT,
            category="social_security",
            owner_unit_id=_unit_id(session),
            on=D(2025, 9, 1),
            today=TODAY,
        )
        for step, on in ((S.REVIEWING, D(2025, 9, 10)), (S.APPROVED, D(2025, 9, 25))):
            lifecycle.transition(session, plan_id=plan.id, to_status=step, on=on, today=TODAY)
        rows = _due(session, D(2025, 10, 31))
    n1 = rows["N1"]
    # 2025-09-25 + 20 working days = 2025-10-29 (make-up Sun 9/28 and Sat 10/11 count)
    assert n1.filing_deadline == D(2025, 10, 29) and n1.publication_deadline == D(2025, 10, 29)
    assert n1.publication_days_overdue == 2 and n1.filing_days_overdue == 2
    assert n1.status == "approved"


def test_user_official_list_changes_the_deadline(db: Database) -> None:
    year = 2031
    assert not library_knows(year), "pick a year the holidays library does not list yet"
    later = D(2031, 6, 1)
    with db.session() as session:
        _issued(session, "U1", approved=D(2031, 1, 20), published=D(2031, 1, 21), today=later)
        before = _due(session, D(2031, 3, 1))["U1"]
    # library only (weekends and statutory days): 2031-02-21, with a warning
    assert before.filing_deadline == D(2031, 2, 21)
    assert any("2031 年放假调休安排未录入" in r for r in before.reasons)
    with db.session() as session:
        off = {D(2031, 1, 22) + dt.timedelta(days=i): "春节" for i in range(8)}
        set_official_list(session, year, off, {D(2031, 1, 18), D(2031, 2, 8)})
    with db.session() as session:
        after = _due(session, D(2031, 3, 1))["U1"]
    # off 1/22-1/29, make-up Sat 2/8: the deadline moves to Mon 2031-02-24
    assert after.filing_deadline == D(2031, 2, 24)
    assert not any("未录入" in r for r in after.reasons)


def test_unissued_and_abolished_plans(db: Database) -> None:
    with db.session() as session:
        draft = _plan(session, code="A1")
        reviewing = _plan(session, code="A2", owner_unit_id=draft.owner_unit_id)
        _walk(session, reviewing, S.REVIEWING)
        gone = _issued(session, "A3")
        lifecycle.transition(
            session, plan_id=gone.id, to_status=S.ABOLISHED, on=D(2025, 1, 2), today=TODAY
        )
        rows = _due(session, AS_OF)
    assert set(rows) == {"A1", "A2"}
    for row in rows.values():
        assert row.next_drill is None and row.next_evaluation is None
        assert row.filing_deadline is None and not row.overdue
        assert "尚未批准发布" in row.reasons[0]
    assert rows["A2"].reasons[0].startswith("审核中")


def test_overdue_only_filter_and_plan_ids(db: Database) -> None:
    with db.session() as session:
        _issued(session, "L1", filed_on=D(2024, 3, 20))
        long = _issued(
            session,
            "L2",
            filed_on=D(2024, 3, 20),
            drill_interval_months=60,
            evaluation_interval_months=60,
        )
        # filing deadline: 2025-06-20 + 20 working days = 2025-07-18
        _issued(session, "L3", approved=D(2025, 6, 20), published=D(2025, 6, 23))
        assert [r.code for r in due.plan_due(session, as_of=AS_OF)] == ["L1", "L2", "L3"]
        assert due.plan_due(session, as_of=AS_OF, overdue_only=True) == []
        rows = due.plan_due(session, as_of=D(2027, 3, 20), overdue_only=True)
        # L1: drill and evaluation due 2027-03-15; L3: never filed; L2: 60-month intervals
        assert [r.code for r in rows] == ["L1", "L3"]
        assert rows[0].drill_days_overdue == rows[0].evaluation_days_overdue == 5
        assert rows[1].filing_deadline == D(2025, 7, 18) and rows[1].filing_overdue
        assert [r.code for r in due.plan_due(session, as_of=AS_OF, plan_ids=[long.id])] == ["L2"]


DUE_KEYS = [
    "plan_id",
    "code",
    "title",
    "kind",
    "holder_class",
    "status",
    "version",
    "owner_unit",
    "approved_on",
    "published_on",
    "filed_on",
    "publication_deadline",
    "publication_late_workdays",
    "publication_overdue",
    "publication_days_overdue",
    "filing_deadline",
    "filing_late_workdays",
    "filing_overdue",
    "filing_days_overdue",
    "evaluation_interval_months",
    "last_evaluation",
    "next_evaluation",
    "evaluation_overdue",
    "evaluation_days_overdue",
    "drill_interval_months",
    "drill_rule",
    "last_drill",
    "last_drill_code",
    "next_drill",
    "drill_overdue",
    "drill_days_overdue",
    "revision_required_since",
    "overdue",
    "reasons",
    "reasons_en",
]


def test_as_dict_keys_are_stable(db: Database) -> None:
    with db.session() as session:
        _issued(session, "K1")
        row = due.plan_due(session, as_of=AS_OF)[0]
    assert list(row.as_dict()) == DUE_KEYS


# ------------------------------------------------------------------------------------ CLI


def _run(db: Database, capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    plans_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--db", db.url, *argv])
    assert plans_cli.cmd_plans(args) == 0
    return capsys.readouterr().out


def test_cli_plans(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.session() as session:
        plan = _plan(session, code="QP-ZX-001", on=D(2024, 1, 2), today=None)
        _drill(session, _issued(session, "QP-ZX-002"), "QP-DR-2024-001", D(2024, 5, 20))
        assert plan.status == S.DRAFTING
    steps = (("审核中", "2024-01-15"), ("approved", "2024-02-05"), ("published", "2024/2/8"))
    for to, on in steps:
        out = _run(
            db, capsys, "plans", "transition", "--plan", "QP-ZX-001", "--to", to, "--date", on
        )
    assert "已发布" in out
    with pytest.raises(ValidationError) as err:
        _run(db, capsys, "plans", "transition", "--plan", "QP-ZX-001", "--to", "drafting")
    assert err.value.field == "status"
    with pytest.raises(NotFound):
        _run(db, capsys, "plans", "transition", "--plan", "NOPE", "--to", "reviewing")
    out = _run(
        db,
        capsys,
        *("plans", "revise", "--plan", "QP-ZX-001", "--reason", "risk_changed"),
        *("--summary", "新增危化品风险", "--date", "2024-06-03", "--format", "json"),
    )
    assert json.loads(out)[0]["version"] == "2.0"
    _run(
        db,
        capsys,
        *("plans", "evaluate", "--plan", "QP-ZX-002", "--conclusion", "keep"),
        *("--date", "2025-03-03"),
    )
    versions = json.loads(
        _run(db, capsys, "plans", "versions", "--plan", "QP-ZX-001", "--format", "json")
    )
    assert [v["version"] for v in versions] == ["1.0", "2.0"] and versions[1]["current"]
    history = json.loads(
        _run(db, capsys, "plans", "history", "--plan", "QP-ZX-001", "--format", "json")
    )
    assert [h["to_status"] for h in history][-2:] == ["published", "revising"]
    listed = list(csv.DictReader(io.StringIO(_run(db, capsys, "plans", "list", "--format", "csv"))))
    assert [r["code"] for r in listed] == ["QP-ZX-001", "QP-ZX-002"]
    assert listed[0]["status"] == "revising" and listed[1]["drill_interval_months"] == "36"

    rows = json.loads(_run(db, capsys, "plans", "due", "--as-of", "2027-06-01", "--format", "json"))
    assert [list(r) for r in rows] == [DUE_KEYS, DUE_KEYS]
    by_code = {r["code"]: r for r in rows}
    assert by_code["QP-ZX-002"]["next_drill"] == "2027-05-20"
    assert by_code["QP-ZX-002"]["drill_days_overdue"] == 12
    assert by_code["QP-ZX-002"]["last_evaluation"] == "2025-03-03"
    out = _run(db, capsys, "plans", "due", "--as-of", "2024-03-01", "--overdue-only")
    assert "QP-ZX-002" not in out
    table = _run(db, capsys, "plans", "due", "--as-of", "2027-06-01", "--plan", "QP-ZX-002")
    assert "已逾期 12 天" in table and "QP-ZX-001" not in table
    out = _run(db, capsys, "plans", "due", "--as-of", "2027-06-01", "--format", "csv")
    header = next(csv.reader(io.StringIO(out)))
    assert header == plans_cli.DUE_COLUMNS
