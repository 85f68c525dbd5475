"""When each plan must next be evaluated, drilled, published and filed, and why.

Rules (DOMAIN.md; docs/plans.md explains them with examples):

* Publication (公布): within 20 working days of approval and issue (``approved_on``).
* Filing (备案): within 20 working days of issue (``approved_on``, else ``published_on``).
  Working days skip weekends and public holidays and count make-up workdays (调休), from
  the ``holidays`` library plus the user's own official lists (:mod:`drillplan.calendar.workdays`).
* Evaluation (评估): ``evaluation_interval_months`` after the later of the last evaluation
  and the plan's issue (publication, else approval).
* Drill (演练): the interval of :func:`drillplan.plans.rules.drill_rule` after the last drill
  that took place, else after issue (:func:`drillplan.plans.rules.drill_due`). A seminar or
  workshop (HSEEP) does not count as a drill, and the explanation names the one it skipped.
* Each sentence cites the rule of its own plan: a 总体 plan never the 专项/部门 drill rule, a
  unit or grassroots plan (企事业单位, 基层单位, 现场处置方案) never the government's
  publication sentence (:func:`publication_rule`).

A deadline is overdue when ``as_of`` is after it; ``*_days_overdue`` counts calendar days.
A publication or filing done after its deadline is late by ``*_late_workdays`` working days.
Abolished plans are skipped; plans never approved nor published have nothing due yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.calendar.workdays import WorkCalendar, calendar_for, library_knows
from drillplan.db.models import Drill, Holiday, Plan, PlanEvaluation, PlanRevision, drill_plan
from drillplan.kernel.vocab import HseepType, PlanKind, PlanStatus, label
from drillplan.plans import rules
from drillplan.plans.lifecycle import INITIAL_REASON
from drillplan.plans.register import EVALUATION_CONCLUSIONS

DEADLINE_WORKDAYS = 20
PUBLICATION_RULE = (
    "《突发事件应急预案管理办法》：政府及其部门应急预案印发后 20 个工作日内向社会公布",
    "plan management measures: made public within 20 working days of issue",
)
# unit and grassroots plans (企事业单位, 基层单位, 现场处置方案) are not government plans:
# they never get the government's "向社会公布" sentence
UNIT_PUBLICATION_RULE = (
    "《突发事件应急预案管理办法》：单位和基层组织应急预案印发后 20 个工作日内"
    "向本单位以及可能受影响的其他单位和地区公布",
    "plan management measures: a unit or grassroots plan is made known to the unit and to "
    "those it may affect within 20 working days of issue",
)
UNIT_PLAN_KINDS = frozenset({PlanKind.ENTERPRISE, PlanKind.ONSITE, PlanKind.GRASSROOTS})
FILING_RULE = (
    "《突发事件应急预案管理办法》：应急预案印发后 20 个工作日内备案",
    "plan management measures: filed within 20 working days of issue",
)


def publication_rule(kind: PlanKind | str) -> tuple[str, str]:
    """The publication sentence that applies to a plan of this kind: (中文, English)."""
    return UNIT_PUBLICATION_RULE if PlanKind(kind) in UNIT_PLAN_KINDS else PUBLICATION_RULE


@dataclass
class PlanDue:
    plan_id: int
    code: str
    title: str
    kind: str
    holder_class: str
    status: str
    version: str
    owner_unit: str
    approved_on: dt.date | None
    published_on: dt.date | None
    filed_on: dt.date | None
    publication_deadline: dt.date | None = None
    publication_late_workdays: int | None = None
    publication_days_overdue: int = 0
    filing_deadline: dt.date | None = None
    filing_late_workdays: int | None = None
    filing_days_overdue: int = 0
    evaluation_interval_months: int = 36
    last_evaluation: dt.date | None = None
    next_evaluation: dt.date | None = None
    evaluation_days_overdue: int = 0
    drill_interval_months: int = 36
    drill_rule: str = ""
    drill_rule_en: str = ""
    last_drill: dt.date | None = None
    last_drill_code: str | None = None
    next_drill: dt.date | None = None
    drill_days_overdue: int = 0
    revision_required_since: dt.date | None = None
    reasons: list[str] = field(default_factory=list)
    reasons_en: list[str] = field(default_factory=list)

    @property
    def publication_overdue(self) -> bool:
        return self.publication_days_overdue > 0

    @property
    def filing_overdue(self) -> bool:
        return self.filing_days_overdue > 0

    @property
    def evaluation_overdue(self) -> bool:
        return self.evaluation_days_overdue > 0

    @property
    def drill_overdue(self) -> bool:
        return self.drill_days_overdue > 0

    @property
    def overdue(self) -> bool:
        return (
            self.publication_overdue
            or self.filing_overdue
            or self.evaluation_overdue
            or self.drill_overdue
        )

    def as_dict(self) -> dict[str, object]:
        """Stable JSON keys (docs/plans.md)."""
        return {
            "plan_id": self.plan_id,
            "code": self.code,
            "title": self.title,
            "kind": self.kind,
            "holder_class": self.holder_class,
            "status": self.status,
            "version": self.version,
            "owner_unit": self.owner_unit,
            "approved_on": self.approved_on,
            "published_on": self.published_on,
            "filed_on": self.filed_on,
            "publication_deadline": self.publication_deadline,
            "publication_late_workdays": self.publication_late_workdays,
            "publication_overdue": self.publication_overdue,
            "publication_days_overdue": self.publication_days_overdue,
            "filing_deadline": self.filing_deadline,
            "filing_late_workdays": self.filing_late_workdays,
            "filing_overdue": self.filing_overdue,
            "filing_days_overdue": self.filing_days_overdue,
            "evaluation_interval_months": self.evaluation_interval_months,
            "last_evaluation": self.last_evaluation,
            "next_evaluation": self.next_evaluation,
            "evaluation_overdue": self.evaluation_overdue,
            "evaluation_days_overdue": self.evaluation_days_overdue,
            "drill_interval_months": self.drill_interval_months,
            "drill_rule": self.drill_rule,
            "last_drill": self.last_drill,
            "last_drill_code": self.last_drill_code,
            "next_drill": self.next_drill,
            "drill_overdue": self.drill_overdue,
            "drill_days_overdue": self.drill_days_overdue,
            "revision_required_since": self.revision_required_since,
            "overdue": self.overdue,
            "reasons": list(self.reasons),
            "reasons_en": list(self.reasons_en),
        }


# ---------------------------------------------------------------------------- history


@dataclass(frozen=True)
class _History:
    last_drill: dict[int, dt.date]
    drill_code: dict[int, str]
    evaluation: dict[int, PlanEvaluation]
    last_revision: dict[int, dt.date]
    # the latest seminar/workshop held for each plan: (end date, code, HSEEP type)
    discussion: dict[int, tuple[dt.date, str, HseepType]]


def _history(session: Session, plan_ids: list[int]) -> _History:
    last = rules.last_drilled(session, plan_ids)
    codes: dict[int, str] = {}
    latest: dict[int, dt.datetime] = {}
    discussion: dict[int, tuple[dt.date, str, HseepType]] = {}
    rows = session.execute(
        select(drill_plan.c.plan_id, Drill.code, Drill.ends_at, Drill.hseep_type)
        .join(Drill, Drill.id == drill_plan.c.drill_id)
        .where(Drill.status.in_(rules.DRILLED_STATUSES), drill_plan.c.plan_id.in_(plan_ids))
        .order_by(Drill.ends_at, Drill.id)
    )
    for plan_id, code, ends_at, hseep in rows:
        if not rules.exercises_plan(hseep):
            discussion[plan_id] = (ends_at.date(), code, hseep)
        elif plan_id not in latest or ends_at >= latest[plan_id]:
            latest[plan_id], codes[plan_id] = ends_at, code
    evaluations: dict[int, PlanEvaluation] = {}
    for ev in session.scalars(
        select(PlanEvaluation)
        .where(PlanEvaluation.plan_id.in_(plan_ids))
        .order_by(PlanEvaluation.evaluated_on, PlanEvaluation.id)
    ):
        evaluations[ev.plan_id] = ev
    revised: dict[int, dt.date] = {}
    for plan_id, on in session.execute(
        select(PlanRevision.plan_id, PlanRevision.revised_on).where(
            PlanRevision.plan_id.in_(plan_ids), PlanRevision.reason != INITIAL_REASON
        )
    ):
        revised[plan_id] = max(on, revised.get(plan_id, on))
    return _History(last, codes, evaluations, revised, discussion)


@dataclass(frozen=True)
class _Context:
    as_of: dt.date
    history: _History
    calendar: WorkCalendar
    listed_years: frozenset[int]  # years with an official list (library or user)

    def unknown_years(self, start: dt.date, end: dt.date) -> list[int]:
        return [y for y in range(start.year, end.year + 1) if y not in self.listed_years]


def _context(session: Session, plans: Sequence[Plan], as_of: dt.date) -> _Context:
    dates = [d for p in plans for d in (p.approved_on, p.published_on, p.filed_on) if d is not None]
    years = range(min([*dates, as_of]).year, max([*dates, as_of]).year + 2)
    users = {d.year for d in session.scalars(select(Holiday.day))}
    return _Context(
        as_of=as_of,
        history=_history(session, [p.id for p in plans]),
        calendar=calendar_for(session, years),
        listed_years=frozenset(y for y in years if y in users or library_knows(y)),
    )


# ---------------------------------------------------------------------------- the rules


def _days_text(due: dt.date, as_of: dt.date) -> tuple[str, str, int]:
    if as_of > due:
        n = (as_of - due).days
        return f"已逾期 {n} 天", f"overdue by {n} days", n
    n = (due - as_of).days
    return f"还剩 {n} 天", f"{n} days left", 0


def _deadline(
    ctx: _Context,
    row: PlanDue,
    *,
    what: str,
    base: tuple[str, dt.date],
    done: dt.date | None,
) -> tuple[dt.date, int | None, int]:
    """A 20-working-day deadline: (deadline, working days late, calendar days overdue)."""
    zh_what, en_what, rule = {
        "publication": ("公布", "made public", publication_rule(row.kind)),
        "filing": ("备案", "filed", FILING_RULE),
    }[what]
    base_zh, start = base
    cal = ctx.calendar
    deadline = cal.add_workdays(start, DEADLINE_WORKDAYS)
    head = f"{base_zh} {start}；{rule[0]}，应于 {deadline} 前{zh_what}"
    head_en = f"issued {start}; {rule[1]}: due {deadline}"
    late: int | None = None
    overdue = 0
    if done is not None and done > deadline:
        late = cal.workdays_between(deadline, done)
        tail, tail_en = f"实际 {done} {zh_what}，迟延 {late} 个工作日", f"{en_what} {done}, "
        tail_en += f"{late} working days late"
    elif done is not None:
        tail, tail_en = f"已于 {done} 按时{zh_what}", f"{en_what} on time on {done}"
    else:
        text, text_en, overdue = _days_text(deadline, ctx.as_of)
        tail, tail_en = f"尚未{zh_what}，{text}", f"not {en_what} yet, {text_en}"
    unknown = ctx.unknown_years(start, deadline)
    if unknown:
        years = "、".join(str(y) for y in unknown)
        tail += f"（{years} 年放假调休安排未录入，按周末和法定节日估算；"
        tail += "可用 drillplan holidays set 录入）"
        tail_en += f" (no official holiday list for {years}: estimated)"
    row.reasons.append(f"{head}，{tail}")
    row.reasons_en.append(f"{head_en}, {tail_en}")
    return deadline, late, overdue


def _evaluation(row: PlanDue, plan: Plan, last: PlanEvaluation | None, as_of: dt.date) -> None:
    issued = plan.published_on or plan.approved_on
    assert issued is not None
    if last is not None and last.evaluated_on >= issued:
        base = last.evaluated_on
        conclusion = EVALUATION_CONCLUSIONS.get(last.conclusion, (last.conclusion,) * 2)
        since = f"上次评估 {base}（结论：{conclusion[0]}）"
        since_en = f"last evaluated {base} ({conclusion[1]})"
    else:
        base = issued
        zh = "发布" if plan.published_on else "批准"
        since, since_en = f"{zh} {base}，尚无此后的评估记录", f"issued {base}, not evaluated since"
    due = base + relativedelta(months=plan.evaluation_interval_months)
    text, text_en, row.evaluation_days_overdue = _days_text(due, as_of)
    row.next_evaluation = due
    months = plan.evaluation_interval_months
    row.reasons.append(f"{since}；评估周期每 {months} 个月，应于 {due} 前评估，{text}")
    row.reasons_en.append(f"{since_en}; evaluated every {months} months: due {due}, {text_en}")


def _drill(row: PlanDue, plan: Plan, history: _History, as_of: dt.date) -> None:
    last = history.last_drill.get(plan.id)
    due = rules.drill_due(plan, last)
    if due is None:
        return
    if last is not None:
        code = history.drill_code.get(plan.id)
        since = f"上次演练 {last}" + (f"（演练 {code}）" if code else "")
        since_en = f"last drilled {last}" + (f" (drill {code})" if code else "")
        row.last_drill, row.last_drill_code = last, code
    else:
        start = plan.published_on or plan.approved_on
        since = f"尚无演练记录，自{'发布' if plan.published_on else '批准'} {start} 起算"
        since_en = f"never drilled, counted from issue on {start}"
    talk = history.discussion.get(plan.id)
    if talk is not None and (last is None or talk[0] > last):
        on, talk_code, talk_type = talk
        why_zh, why_en = rules.not_drilling_text()
        since += f"（{on} 的{label(talk_type)} {talk_code} 不计：{why_zh}）"
        since_en += f" ({talk_code} on {on} is a {label(talk_type, 'en').lower()}: {why_en})"
    text, text_en, row.drill_days_overdue = _days_text(due, as_of)
    row.next_drill = due
    row.reasons.append(f"{since}；按{row.drill_rule}，应于 {due} 前演练，{text}")
    row.reasons_en.append(f"{since_en}; {row.drill_rule_en}: due {due}, {text_en}")


def _revision(row: PlanDue, last: PlanEvaluation | None, revised: dt.date | None) -> None:
    if last is None or last.conclusion != "revise":
        return
    if revised is not None and revised >= last.evaluated_on:
        return
    row.revision_required_since = last.evaluated_on
    row.reasons.append(f"{last.evaluated_on} 评估结论为需要修订，尚未修订")
    row.reasons_en.append(f"the evaluation of {last.evaluated_on} asked for a revision: not done")


def _plan_due(ctx: _Context, plan: Plan) -> PlanDue:
    rule = rules.drill_rule(plan)
    ev = ctx.history.evaluation.get(plan.id)
    row = PlanDue(
        plan_id=plan.id,
        code=plan.code,
        title=plan.title,
        kind=str(plan.kind),
        holder_class=str(plan.holder_class),
        status=str(plan.status),
        version=plan.current_version,
        owner_unit=plan.owner_unit.name,
        approved_on=plan.approved_on,
        published_on=plan.published_on,
        filed_on=plan.filed_on,
        evaluation_interval_months=plan.evaluation_interval_months,
        last_evaluation=ev.evaluated_on if ev is not None else None,
        drill_interval_months=rule.months,
        drill_rule=f"{rule.zh}（每 {rule.months} 个月）",
        drill_rule_en=f"{rule.en} (every {rule.months} months)",
    )
    if plan.approved_on is None and plan.published_on is None:
        row.reasons.append(f"{label(plan.status)}，尚未批准发布：暂无公布、备案、评估和演练期限")
        row.reasons_en.append(f"{plan.status}, not issued yet: nothing is due")
        return row
    if plan.approved_on is not None:
        row.publication_deadline, row.publication_late_workdays, row.publication_days_overdue = (
            _deadline(
                ctx,
                row,
                what="publication",
                base=("批准印发", plan.approved_on),
                done=plan.published_on,
            )
        )
    issue = ("批准印发", plan.approved_on) if plan.approved_on else ("发布", plan.published_on)
    assert issue[1] is not None
    row.filing_deadline, row.filing_late_workdays, row.filing_days_overdue = _deadline(
        ctx,
        row,
        what="filing",
        base=(issue[0], issue[1]),
        done=plan.filed_on,
    )
    _evaluation(row, plan, ev, ctx.as_of)
    _drill(row, plan, ctx.history, ctx.as_of)
    _revision(row, ev, ctx.history.last_revision.get(plan.id))
    return row


def plan_due(
    session: Session,
    *,
    as_of: dt.date,
    plan_ids: Sequence[int] | None = None,
    overdue_only: bool = False,
) -> list[PlanDue]:
    """The due dates of every plan that is not abolished (or of ``plan_ids``), by code."""
    stmt = (
        select(Plan)
        .options(selectinload(Plan.owner_unit))
        .where(Plan.status != PlanStatus.ABOLISHED)
        .order_by(Plan.code)
    )
    if plan_ids is not None:
        stmt = stmt.where(Plan.id.in_(list(plan_ids)))
    plans = list(session.scalars(stmt))
    if not plans:
        return []
    ctx = _context(session, plans, as_of)
    rows = [_plan_due(ctx, p) for p in plans]
    return [r for r in rows if r.overdue] if overdue_only else rows
