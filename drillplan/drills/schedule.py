"""The annual drill plan: propose a drill for every plan that falls due, and explain each date.

Which plans: every plan in force (published or under revision) that falls due for a drill by
31 December of the year and has no drill scheduled in the year to meet that due date (the due
dates are walked as in :mod:`drillplan.drills.plan_due`). A plan with a short interval gets as
many drills as it needs (a 6-month plan drilled in March is due again in September).

How a date is chosen:

* the window runs from the day after the last drill (and after ``as_of``, and not before
  1 January) up to the due date; a plan already overdue at the start of the window is put on
  the earliest possible working day and the proposal says it is overdue;
* a flood-related plan (``Plan.flood_related``) is drilled in the two months before the flood
  season (``flood_season_start``, 1 June by default: so April–May), when that fits its window;
* otherwise the load is spread: the month of the window with the fewest drills (existing and
  proposed) wins, ties going to the later month (closest to the due date, so the interval is
  used fully); in that month the working day with the fewest drills, ties to the earlier day;
* only working days (weekends and public holidays excluded, make-up days count), in the
  09:00–11:30 slot, else 14:00–16:30;
* never double-booking a team or a venue against existing drills or earlier proposals.

What each proposal looks like (the design of participants and venue):

* if the plan was drilled before (its latest non-cancelled drill), the new drill repeats that
  drill's form, scope, organiser, venue, scenario, required certificates and participants
  (teams and units, with their roles): the same people exercise the same plan;
* otherwise the plan's owner unit organises it with its own teams (except teams marked
  unavailable); the form is live (实战) for high-risk and Shanghai-list holders and for
  enterprise, grassroots and on-site plans, tabletop (桌面) for government plans; the venue
  is the owner unit's "会议室" (tabletop) or "演练场地" (live).

One proposal drills one plan. Output is deterministic: plans in order (flood-related first,
then by due date and code), every tie broken by date or code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan import settings
from drillplan.calendar.workdays import WorkCalendar, calendar_for
from drillplan.db.models import Drill, Team
from drillplan.drills import editing, plan_due
from drillplan.drills.conflicts import venue_key
from drillplan.drills.editing import ParticipantSpec
from drillplan.drills.recurrence import occurrences_in_year
from drillplan.drills.schedule_template import (
    _Template,
    _template,
)
from drillplan.kernel.vocab import (
    DrillForm,
    DrillScope,
    HseepType,
    label,
)
from drillplan.plans.rules import drill_due

SLOTS: tuple[tuple[dt.time, dt.time], ...] = (
    (dt.time(9, 0), dt.time(11, 30)),
    (dt.time(14, 0), dt.time(16, 30)),
)
PRE_SEASON_MONTHS = 2
MAX_PER_PLAN = 12
_WEEKDAYS = "一二三四五六日"
PROPOSAL_MARK = "（本次建议）"


@dataclass
class Proposal:
    plan_id: int
    plan_code: str
    plan_title: str
    title: str
    form: DrillForm
    scope: DrillScope
    hseep_type: HseepType | None
    organiser_unit_id: int
    organiser_name: str
    venue: str
    participants: list[ParticipantSpec]
    team_codes: list[str]
    scenario: str
    required_certificates: list[str]
    flood_related: bool
    rule_zh: str
    rule_en: str
    interval_months: int
    last_drilled: dt.date | None
    last_drill_code: str | None
    due: dt.date
    overdue: bool
    starts_at: dt.datetime | None = None
    ends_at: dt.datetime | None = None
    explanation_zh: list[str] = field(default_factory=list)
    explanation_en: list[str] = field(default_factory=list)
    drill_id: int | None = None  # set by write_schedule
    drill_code: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "plan_code": self.plan_code,
            "plan_title": self.plan_title,
            "title": self.title,
            "form": self.form.value,
            "scope": self.scope.value,
            "starts_at": self.starts_at.isoformat() if self.starts_at else None,
            "ends_at": self.ends_at.isoformat() if self.ends_at else None,
            "venue": self.venue,
            "organiser": self.organiser_name,
            "teams": list(self.team_codes),
            "participants": [
                {"team_id": p.team_id, "unit_id": p.unit_id, "role": p.role}
                for p in self.participants
            ],
            "flood_related": self.flood_related,
            "interval_months": self.interval_months,
            "rule_zh": self.rule_zh,
            "rule_en": self.rule_en,
            "last_drilled": self.last_drilled.isoformat() if self.last_drilled else None,
            "last_drill_code": self.last_drill_code,
            "due": self.due.isoformat(),
            "overdue": self.overdue,
            "explanation_zh": list(self.explanation_zh),
            "explanation_en": list(self.explanation_en),
            "drill_code": self.drill_code,
        }


# ------------------------------------------------------------------------------ bookings


@dataclass
class _Bookings:
    """Who and what is busy when, and how many drills each day and month holds."""

    teams: dict[int, list[tuple[dt.datetime, dt.datetime, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    venues: dict[str, list[tuple[dt.datetime, dt.datetime, str]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    per_day: Counter[dt.date] = field(default_factory=Counter)
    per_month: Counter[int] = field(default_factory=Counter)

    def add(
        self,
        start: dt.datetime,
        end: dt.datetime,
        team_ids: list[int],
        venue: str | None,
        what: str,
    ) -> None:
        for team_id in team_ids:
            self.teams[team_id].append((start, end, what))
        if venue:
            self.venues[venue_key(venue)].append((start, end, what))
        self.per_day[start.date()] += 1
        self.per_month[start.month] += 1

    def clash(
        self,
        start: dt.datetime,
        end: dt.datetime,
        team_ids: list[int],
        team_names: dict[int, str],
        venue: str,
    ) -> tuple[str, str] | None:
        for team_id in team_ids:
            for s, e, what in self.teams.get(team_id, []):
                if s < end and start < e:
                    name = team_names.get(team_id, str(team_id))
                    return f"队伍 {name} 已参加 {what}", f"team {name} is in {what}"
        for s, e, what in self.venues.get(venue_key(venue), []):
            if s < end and start < e:
                return f"场地“{venue}”已安排 {what}", f"venue {venue!r} holds {what}"
        return None


def _existing(session: Session, year: int) -> _Bookings:
    book = _Bookings()
    occs = occurrences_in_year(session, year)
    ids = sorted({o.drill_id for o in occs})
    drills = {
        d.id: d
        for d in session.scalars(
            select(Drill).where(Drill.id.in_(ids)).options(selectinload(Drill.participants))
        )
    }
    for occ in occs:
        drill = drills[occ.drill_id]
        teams = [p.team_id for p in drill.participants if p.team_id is not None]
        book.add(occ.start, occ.end, teams, drill.venue, drill.code)
    return book


# ------------------------------------------------------------------------------ template


@dataclass
class _Context:
    year: int
    cal: WorkCalendar
    book: _Bookings
    earliest: dt.date
    season_start: dt.date


def _month_note(ctx: _Context, month: int, months: list[int]) -> tuple[str, str]:
    n = ctx.book.per_month[month]
    if len(months) == 1:
        return (
            f"可选日期都在 {month} 月（该月已排演练 {n} 场）。",
            f"all allowed dates are in month {month} ({n} drills there).",
        )
    if month == months[0]:
        return (
            f"选 {month} 月：可选月份中该月已排演练最少（{n} 场），以均衡各月工作量。",
            f"month {month}: the fewest drills ({n}) of the allowed months.",
        )
    return (
        f"负荷更低的 {months[0]} 月没有队伍和场地都空闲的时段，改在 {month} 月（已排 {n} 场）。",
        f"month {months[0]} has no free slot for the teams and venue; month {month} ({n}).",
    )


OVERDUE_SPREAD_DAYS = 10


def _pick(
    ctx: _Context,
    tpl: _Template,
    lo: dt.date,
    hi: dt.date,
    *,
    earliest_first: bool,
) -> tuple[dt.datetime, dt.datetime, list[str], list[str]] | None:
    """The first free (day, slot) in ``[lo, hi]``: by month and day load, or just earliest."""
    days = [
        lo + dt.timedelta(days=i)
        for i in range((hi - lo).days + 1)
        if ctx.cal.is_workday(lo + dt.timedelta(days=i))
    ]
    months = sorted({d.month for d in days}, key=lambda m: (ctx.book.per_month[m], -m))
    if earliest_first:
        # as early as possible, but overdue drills are spread over the first two working
        # weeks (least busy day first) instead of piling onto one day
        head = sorted(days[:OVERDUE_SPREAD_DAYS], key=lambda d: (ctx.book.per_day[d], d))
        ordered = head + days[OVERDUE_SPREAD_DAYS:]
    else:
        ordered = []
        for m in months:
            in_month = [d for d in days if d.month == m]
            ordered.extend(sorted(in_month, key=lambda d: (ctx.book.per_day[d], d)))
    for day in ordered:
        skipped: list[tuple[str, str]] = []
        for begin, finish in SLOTS:
            start, end = dt.datetime.combine(day, begin), dt.datetime.combine(day, finish)
            why = ctx.book.clash(start, end, tpl.team_ids, tpl.team_names, tpl.venue)
            if why is not None:
                skipped.append(why)
                continue
            notes_zh: list[str] = []
            notes_en: list[str] = []
            if not earliest_first:
                zh, en = _month_note(ctx, day.month, months)
                notes_zh.append(zh)
                notes_en.append(en)
            weekday = _WEEKDAYS[day.weekday()]
            notes_zh.append(
                f"{day}（星期{weekday}）为工作日，当天已排演练 {ctx.book.per_day[day]} 场；"
                f"时间 {begin:%H:%M}–{finish:%H:%M}，参演队伍和场地在该时段均无其他安排。"
            )
            notes_en.append(
                f"{day} is a working day with {ctx.book.per_day[day]} drill(s); "
                f"{begin:%H:%M}-{finish:%H:%M}, teams and venue free."
            )
            for zh, en in skipped:
                notes_zh.append(f"上午时段不可用：{zh}。")
                notes_en.append(f"morning slot taken: {en}.")
            return start, end, notes_zh, notes_en
    return None


def _propose_one(
    ctx: _Context,
    py: plan_due.PlanYear,
    tpl: _Template,
    last: dt.date | None,
    last_code: str | None,
    due: dt.date,
) -> Proposal:
    plan, rule, year = py.plan, py.rule, ctx.year
    year_end = dt.date(year, 12, 31)
    lo = max(ctx.earliest, last + dt.timedelta(days=1)) if last else ctx.earliest
    overdue = due < lo
    hi = year_end if overdue else min(due, year_end)
    zh = [f"依据：{rule.zh}（每 {rule.months} 个月至少一次）。"]
    en = [f"rule: {rule.en} (at least every {rule.months} months)."]
    if last_code == PROPOSAL_MARK:
        zh.append(f"本年度上一次建议演练在 {last}，按间隔再次到期。")
        en.append(f"the previous proposed drill is on {last}; the plan falls due again.")
    elif last_code:
        zh.append(f"上次演练：{last}（{last_code}）。")
        en.append(f"last drilled on {last} ({last_code}).")
    else:
        since = plan.published_on or plan.approved_on
        zh.append(f"尚无演练记录，自预案发布日期 {since} 起算。")
        en.append(f"never drilled; counted from publication on {since}.")
    if overdue:
        zh.append(
            f"应于 {due} 前演练，已逾期：安排在最早的 {OVERDUE_SPREAD_DAYS} 个工作日内"
            "当天演练最少的一天。"
        )
        en.append(
            f"due by {due}: overdue, so within the first {OVERDUE_SPREAD_DAYS} working days,"
            " on the least busy one."
        )
    else:
        zh.append(f"应于 {due} 前演练，建议日期不晚于此。")
        en.append(f"due by {due}; the proposed date is not later.")

    windows: list[tuple[dt.date, dt.date, bool]] = []
    if plan.flood_related:
        pre_lo = ctx.season_start - relativedelta(months=PRE_SEASON_MONTHS)
        pre_hi = ctx.season_start - dt.timedelta(days=1)
        w_lo, w_hi = max(lo, pre_lo), min(hi, pre_hi)
        if overdue and lo <= pre_hi:
            zh.append(f"防汛相关预案，逾期后尽早安排，在汛期（{ctx.season_start} 起）之前。")
            en.append(
                f"flood-related and overdue: as early as possible, before {ctx.season_start}."
            )
            windows.append((lo, min(hi, pre_hi), True))
        elif not overdue and w_lo <= w_hi:
            zh.append(f"防汛相关预案：安排在汛期（{ctx.season_start} 起）前的 {pre_lo}–{pre_hi}。")
            en.append(f"flood-related: in {pre_lo}..{pre_hi}, before the flood season.")
            windows.append((w_lo, w_hi, False))
        else:
            zh.append(
                f"防汛相关预案，但汛前窗口（{pre_lo}–{pre_hi}）不在可选日期范围内，按到期日安排。"
            )
            en.append(
                f"flood-related, but the pre-season window {pre_lo}..{pre_hi} is outside the "
                "allowed dates; scheduled by the due date."
            )
    windows.append((lo, hi, overdue))
    proposal = Proposal(
        plan_id=plan.id,
        plan_code=plan.code,
        plan_title=plan.title,
        title=f"{plan.title}{label(tpl.form)}",
        form=tpl.form,
        scope=tpl.scope,
        hseep_type=tpl.hseep_type,
        organiser_unit_id=tpl.organiser_unit_id,
        organiser_name=tpl.organiser_name,
        venue=tpl.venue,
        participants=list(tpl.participants),
        team_codes=[],
        scenario=tpl.scenario,
        required_certificates=list(tpl.required_certificates),
        flood_related=plan.flood_related,
        rule_zh=rule.zh,
        rule_en=rule.en,
        interval_months=rule.months,
        last_drilled=last,
        last_drill_code=None if last_code == PROPOSAL_MARK else last_code,
        due=due,
        overdue=overdue,
    )
    for w_lo, w_hi, earliest_first in windows:
        if w_lo > w_hi:
            continue
        picked = _pick(ctx, tpl, w_lo, w_hi, earliest_first=earliest_first)
        if picked is not None:
            start, end, notes_zh, notes_en = picked
            proposal.starts_at, proposal.ends_at = start, end
            zh.extend(notes_zh)
            en.extend(notes_en)
            ctx.book.add(start, end, tpl.team_ids, tpl.venue, f"{plan.code}{PROPOSAL_MARK}")
            break
    else:
        zh.append(f"{lo}–{hi} 内没有队伍和场地都空闲的工作日，请人工安排。")
        en.append(f"no working day in {lo}..{hi} with the teams and the venue free.")
    zh.append(tpl.why_zh)
    en.append(tpl.why_en)
    proposal.explanation_zh, proposal.explanation_en = zh, en
    return proposal


# ------------------------------------------------------------------------------- public


def propose_schedule(
    session: Session, *, year: int, as_of: dt.date | None = None
) -> list[Proposal]:
    """Proposals for ``year``, ordered by date (unplaceable ones last). Writes nothing.

    ``as_of``: no date on or before it is proposed (default: none, the whole year is open).
    """
    year_start = dt.date(year, 1, 1)
    earliest = year_start if as_of is None else max(year_start, as_of + dt.timedelta(days=1))
    season_start, _season_end = settings.flood_season(session, year)
    ctx = _Context(
        year=year,
        cal=calendar_for(session, [year]),
        book=_existing(session, year),
        earliest=earliest,
        season_start=season_start,
    )
    todo: list[tuple[plan_due.PlanYear, plan_due.Gap]] = []
    for py in plan_due.plan_years(session, year):
        if py.plan.status not in plan_due.IN_FORCE:
            continue
        gaps = py.gaps(year)
        if gaps and gaps[-1].late is None:
            todo.append((py, gaps[-1]))
    todo.sort(key=lambda t: (not t[0].plan.flood_related, t[1].due, t[0].plan.code))
    out: list[Proposal] = []
    year_end = dt.date(year, 12, 31)
    for py, gap in todo:
        tpl = _template(session, py.plan)
        last, last_code = gap.last, gap.last_code
        due: dt.date | None = gap.due
        for _ in range(MAX_PER_PLAN):
            if due is None or due > year_end:
                break
            proposal = _propose_one(ctx, py, tpl, last, last_code, due)
            out.append(proposal)
            if proposal.starts_at is None:
                break
            last, last_code = proposal.starts_at.date(), PROPOSAL_MARK
            due = drill_due(py.plan, last)
    teams = {t.id: t.code for t in session.scalars(select(Team))}
    for p in out:
        p.team_codes = sorted(teams[s.team_id] for s in p.participants if s.team_id is not None)
    out.sort(key=lambda p: (p.starts_at is None, p.starts_at or dt.datetime.max, p.plan_code))
    return out


def write_schedule(
    session: Session, proposals: list[Proposal], *, user: str = "system"
) -> list[Drill]:
    """Create the proposed drills (status planned, codes ``QP-DR-{year}-{seq:03d}``)."""
    created: list[Drill] = []
    for p in proposals:
        if p.starts_at is None or p.ends_at is None:
            continue
        drill = editing.create_drill(
            session,
            code=editing.next_code(session, p.starts_at.year),
            title=p.title,
            form=p.form,
            scope=p.scope,
            hseep_type=p.hseep_type,
            organiser_unit_id=p.organiser_unit_id,
            starts_at=p.starts_at,
            ends_at=p.ends_at,
            venue=p.venue,
            scenario=p.scenario,
            flood_related=p.flood_related,
            required_certificates=p.required_certificates,
            plan_ids=[p.plan_id],
            participants=p.participants,
            user=user,
        )
        p.drill_id, p.drill_code = drill.id, drill.code
        created.append(drill)
    return created
