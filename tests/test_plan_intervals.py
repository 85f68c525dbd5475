"""Each plan's due dates cite its own rule, and seminars and workshops do not count as drills.

* A 总体 plan (and every kind no drill rule names) never cites the 专项/部门 3-year rule.
* Unit and grassroots plans never get the government's publication sentence.
* An HSEEP seminar or workshop held (or scheduled) for a plan does not drill it: the due date
  runs from the last real drill, and the explanation says the seminar was not counted.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.database import Database
from drillplan.db.models import Plan
from drillplan.drills.plan_due import plan_years
from drillplan.kernel.vocab import DrillStatus, HolderClass, HseepType, PlanKind, PlanStatus
from drillplan.plans import due, register, rules
from tests import factories as f

D = dt.date
TODAY = D(2026, 11, 24)
AS_OF = D(2025, 6, 30)
GOVERNMENT_RULE = "专项、部门预案至少每3年演练一次"
GOVERNMENT_PUBLICATION = "政府及其部门应急预案印发后 20 个工作日内向社会公布"
UNIT_PUBLICATION = (
    "《突发事件应急预案管理办法》：单位和基层组织应急预案印发后 20 个工作日内"
    "向本单位以及可能受影响的其他单位和地区公布"
)
NOT_COUNTED = "研讨会/专题研讨不计为演练"


def _plan(session: Session, code: str, **kw: Any) -> Plan:
    unit_id = session.scalar(select(Plan.owner_unit_id).limit(1))
    if unit_id is None:
        unit_id = f.unit(session, code="QP-YJJ", name="青浦区应急管理局").id
    return register.create_plan(
        session,
        code=code,
        title=kw.pop("title", f"预案{code}"),
        kind=kw.pop("kind", PlanKind.SPECIAL),
        category="natural",
        owner_unit_id=unit_id,
        status=PlanStatus.PUBLISHED,
        approved_on=kw.pop("approved_on", D(2024, 3, 11)),
        published_on=kw.pop("published_on", D(2024, 3, 15)),
        on=D(2024, 3, 1),
        today=TODAY,
        **kw,
    )


def _drill(session: Session, plan: Plan, code: str, on: dt.date, **kw: Any) -> None:
    drill = f.drill(
        session,
        plan.owner_unit,
        code=code,
        starts_at=dt.datetime.combine(on, dt.time(9)),
        ends_at=dt.datetime.combine(on, dt.time(11)),
        status=kw.pop("status", DrillStatus.EVALUATED),
        **kw,
    )
    drill.plans.append(plan)
    session.flush()


def _due(session: Session, as_of: dt.date = AS_OF) -> dict[str, due.PlanDue]:
    return {r.code: r for r in due.plan_due(session, as_of=as_of)}


# ------------------------------------------------------------------- each interval's rule


@pytest.mark.parametrize(
    ("kind", "own"),
    [
        (PlanKind.OVERALL, "未录入适用于总体预案的演练周期规定"),
        (PlanKind.GRASSROOTS, "未录入适用于基层单位预案的演练周期规定"),
        (PlanKind.MAJOR_EVENT, "未录入适用于重大活动预案的演练周期规定"),
        (PlanKind.CATASTROPHE, "未录入适用于巨灾预案的演练周期规定"),
        (PlanKind.JOINT, "未录入适用于联合预案的演练周期规定"),
    ],
)
def test_kinds_without_a_rule_never_cite_the_special_departmental_rule(
    db: Database, kind: PlanKind, own: str
) -> None:
    with db.session() as session:
        _plan(session, "P1", kind=kind, holder_class=HolderClass.GOVERNMENT)
        row = _due(session)["P1"]
    assert row.drill_interval_months == 36 and row.next_drill == D(2027, 3, 15)
    assert GOVERNMENT_RULE not in row.drill_rule and "special and departmental" not in (
        row.drill_rule_en
    )
    assert row.drill_rule == (
        f"{own}，按默认每 3 年演练一次提醒（可在本预案中设定演练周期）（每 36 个月）"
    )
    text = next(r for r in row.reasons if "演练" in r and "应于" in r and "前演练" in r)
    assert own in text and GOVERNMENT_RULE not in text
    assert "is on record" in row.reasons_en[-1]


@pytest.mark.parametrize("kind", [PlanKind.SPECIAL, PlanKind.DEPARTMENTAL])
def test_special_and_departmental_plans_cite_their_rule(db: Database, kind: PlanKind) -> None:
    with db.session() as session:
        _plan(session, "P1", kind=kind)
        row = _due(session)["P1"]
    assert row.drill_rule == f"《突发事件应急预案管理办法》：{GOVERNMENT_RULE}（每 36 个月）"


@pytest.mark.parametrize(
    ("holder", "kind", "cites"),
    [
        (HolderClass.TOWN_PRODUCTION_SAFETY, PlanKind.OVERALL, "乡镇街道每两年至少演练一次"),
        (HolderClass.SHANGHAI_LIST, PlanKind.OVERALL, "每年至少演练一次"),
        (HolderClass.HIGH_RISK, PlanKind.OVERALL, "每半年至少演练一次"),
        (HolderClass.GOVERNMENT, PlanKind.ENTERPRISE, "企业综合或专项预案每年至少演练一次"),
    ],
)
def test_a_stricter_holder_rule_is_cited_for_an_overall_plan_too(
    db: Database, holder: HolderClass, kind: PlanKind, cites: str
) -> None:
    with db.session() as session:
        _plan(session, "P1", kind=kind, holder_class=holder)
        row = _due(session)["P1"]
    assert cites in row.drill_rule and GOVERNMENT_RULE not in row.drill_rule


@pytest.mark.parametrize(
    ("kind", "sentence"),
    [
        (PlanKind.ENTERPRISE, UNIT_PUBLICATION),
        (PlanKind.ONSITE, UNIT_PUBLICATION),
        (PlanKind.GRASSROOTS, UNIT_PUBLICATION),
        (PlanKind.OVERALL, GOVERNMENT_PUBLICATION),
        (PlanKind.SPECIAL, GOVERNMENT_PUBLICATION),
        (PlanKind.DEPARTMENTAL, GOVERNMENT_PUBLICATION),
    ],
)
def test_the_publication_sentence_fits_the_plan(
    db: Database, kind: PlanKind, sentence: str
) -> None:
    with db.session() as session:
        _plan(session, "P1", kind=kind)
        row = _due(session)["P1"]
    published = next(r for r in row.reasons if "公布" in r)
    assert sentence in published
    if sentence == UNIT_PUBLICATION:
        assert "政府及其部门" not in " ".join(row.reasons)
        assert "unit or grassroots plan" in row.reasons_en[0]
    # the deadline itself is the same 20 working days
    assert row.publication_deadline is not None and row.publication_deadline > D(2024, 3, 11)
    assert due.publication_rule(kind)[0] in published


# ------------------------------------------------------------ seminars are not drills


@pytest.mark.parametrize("hseep", [HseepType.SEMINAR, HseepType.WORKSHOP])
def test_a_seminar_after_the_last_drill_does_not_restart_the_clock(
    db: Database, hseep: HseepType
) -> None:
    with db.session() as session:
        plan = _plan(session, "P1", holder_class=HolderClass.SHANGHAI_LIST)  # yearly
        _drill(session, plan, "DR-TT", D(2024, 5, 20), hseep_type=HseepType.TABLETOP)
        _drill(session, plan, "DR-TALK", D(2025, 3, 4), hseep_type=hseep)
        assert rules.last_drilled(session, [plan.id]) == {plan.id: D(2024, 5, 20)}
        row = _due(session)["P1"]
    assert (row.last_drill, row.last_drill_code) == (D(2024, 5, 20), "DR-TT")
    assert row.next_drill == D(2025, 5, 20) and row.drill_days_overdue == 41
    name = {HseepType.SEMINAR: "研讨会", HseepType.WORKSHOP: "专题研讨"}[hseep]
    text = row.reasons[-1]
    assert text.startswith(
        f"上次演练 2024-05-20（演练 DR-TT）（2025-03-04 的{name} DR-TALK 不计：{NOT_COUNTED}）"
    )
    assert text.endswith("应于 2025-05-20 前演练，已逾期 41 天")
    assert f"DR-TALK on 2025-03-04 is a {hseep.value}" in row.reasons_en[-1]


def test_a_plan_only_talked_through_counts_from_its_issue(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session, "P1")
        _drill(session, plan, "DR-WS", D(2024, 9, 1), hseep_type=HseepType.WORKSHOP)
        row = _due(session)["P1"]
    assert row.last_drill is None and row.next_drill == D(2027, 3, 15)
    assert row.reasons[-1].startswith(
        f"尚无演练记录，自发布 2024-03-15 起算（2024-09-01 的专题研讨 DR-WS 不计：{NOT_COUNTED}）"
    )


def test_a_seminar_before_the_last_drill_is_not_mentioned(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session, "P1")
        _drill(session, plan, "DR-S", D(2024, 4, 1), hseep_type=HseepType.SEMINAR)
        _drill(session, plan, "DR-LIVE", D(2024, 6, 1))  # no HSEEP type: a drill
        row = _due(session)["P1"]
    assert row.last_drill_code == "DR-LIVE" and NOT_COUNTED not in row.reasons[-1]


def test_the_year_walk_skips_seminars_held_and_scheduled(db: Database) -> None:
    with db.session() as session:
        plan = _plan(session, "P1", holder_class=HolderClass.SHANGHAI_LIST)  # yearly
        _drill(session, plan, "DR-2024", D(2024, 5, 20), hseep_type=HseepType.FULL_SCALE)
        _drill(session, plan, "DR-S-2024", D(2024, 12, 1), hseep_type=HseepType.SEMINAR)
        _drill(session, plan, "DR-S-2025", D(2025, 4, 1), hseep_type=HseepType.SEMINAR)
        _drill(
            session, plan, "DR-WS-PLAN", D(2025, 9, 1), hseep_type=HseepType.WORKSHOP,
            status=DrillStatus.PLANNED,
        )  # fmt: skip
        _drill(
            session, plan, "DR-GAME", D(2025, 10, 1), hseep_type=HseepType.GAME,
            status=DrillStatus.PLANNED,
        )  # fmt: skip
        (year,) = plan_years(session, 2025, plan_ids=[plan.id])
        gaps = year.gaps(2025)
    # the clock runs from the 2024-05-20 full-scale exercise, not the 2024-12-01 seminar
    assert (year.last_before, year.last_before_code) == (D(2024, 5, 20), "DR-2024")
    assert [(e.drill_code, e.held) for e in year.events] == [("DR-GAME", False)]
    # due 2025-05-20: the game on 10-01 is late; then due again 2026-10-01 (no tail in 2025)
    assert [(g.due, g.late.drill_code if g.late else None) for g in gaps] == [
        (D(2025, 5, 20), "DR-GAME")
    ]
