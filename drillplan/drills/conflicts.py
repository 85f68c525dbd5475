"""Every clash in a year's drill schedule, each with its reason in Chinese and English.

Kinds (cancelled drills and cancelled occurrences never clash):

``team_double_booked``
    one team takes part in occurrences of two different drills that overlap in time.
``venue_double_booked``
    two different drills use the same venue (compared without case and blanks) at overlapping
    times.
``non_working_day``
    an occurrence falls (wholly or partly) on a weekend or a public holiday — make-up working
    days (调休) count as working days — unless the drill is marked ``weekend_allowed``.
``certificate_expired``
    an active member of a participating team has no certificate of a type the drill requires
    that is valid for the whole occurrence (missing, expired, or issued only later).
``plan_overdue_before_drill``
    a plan exercised by a drill still to be held falls due for a drill before that drill's
    date, or a plan in force falls due in the year (or is already overdue) with no drill
    scheduled to meet it (see :mod:`drillplan.drills.plan_due`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.calendar.workdays import calendar_for
from drillplan.db.models import Drill, DrillParticipant, Member, Team
from drillplan.drills import plan_due
from drillplan.drills.recurrence import Occurrence, occurrences_in_year

KINDS: dict[str, tuple[str, str]] = {
    "team_double_booked": ("队伍重复安排", "Team double-booked"),
    "venue_double_booked": ("场地重复安排", "Venue double-booked"),
    "non_working_day": ("非工作日", "Weekend or public holiday"),
    "certificate_expired": ("证书无效", "Certificate missing or expired"),
    "plan_overdue_before_drill": ("预案演练逾期", "Plan overdue before its drill"),
}
_KIND_ORDER = {k: i for i, k in enumerate(KINDS)}


@dataclass(frozen=True)
class ConflictItem:
    kind: str
    date: dt.date
    drill_ids: tuple[int, ...]
    drill_codes: tuple[str, ...]
    subject: str  # the team, venue, member, plan or day concerned
    reason_zh: str
    reason_en: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "date": self.date.isoformat(),
            "drill_ids": list(self.drill_ids),
            "drill_codes": list(self.drill_codes),
            "subject": self.subject,
            "reason_zh": self.reason_zh,
            "reason_en": self.reason_en,
        }


def _hm(occ: Occurrence) -> str:
    end = f"{occ.end:%H:%M}" if occ.end.date() == occ.start.date() else f"{occ.end:%m-%d %H:%M}"
    return f"{occ.start:%Y-%m-%d %H:%M}–{end}"


def _overlaps(a: Occurrence, b: Occurrence) -> bool:
    return (a.start < b.end and b.start < a.end) or a.start == b.start


def _overlapping_pairs(occs: Sequence[Occurrence]) -> list[tuple[Occurrence, Occurrence]]:
    """Pairs of overlapping occurrences of different drills (``occs`` sorted by start)."""
    pairs = []
    for i, a in enumerate(occs):
        for b in occs[i + 1 :]:
            if b.start >= a.end and b.start != a.start:
                break
            if a.drill_id != b.drill_id and _overlaps(a, b):
                pairs.append((a, b))
    return pairs


def _pair_ids(
    a: Occurrence, b: Occurrence, drills: dict[int, Drill]
) -> tuple[tuple[int, ...], tuple[str, ...]]:
    ids = tuple(sorted((a.drill_id, b.drill_id)))
    return ids, tuple(drills[i].code for i in ids)


def _double_bookings(
    occs: list[Occurrence], drills: dict[int, Drill], teams: dict[int, Team]
) -> list[ConflictItem]:
    out: list[ConflictItem] = []
    by_team: dict[int, list[Occurrence]] = defaultdict(list)
    by_venue: dict[str, list[Occurrence]] = defaultdict(list)
    venue_names: dict[str, str] = {}
    for occ in occs:
        drill = drills[occ.drill_id]
        for p in drill.participants:
            if p.team_id is not None:
                by_team[p.team_id].append(occ)
        if drill.venue and drill.venue.strip():
            key = venue_key(drill.venue)
            by_venue[key].append(occ)
            venue_names.setdefault(key, drill.venue.strip())
    for team_id in sorted(by_team, key=lambda t: teams[t].code):
        team = teams[team_id]
        for a, b in _overlapping_pairs(by_team[team_id]):
            ids, codes = _pair_ids(a, b, drills)
            da, db = drills[a.drill_id], drills[b.drill_id]
            out.append(
                ConflictItem(
                    "team_double_booked",
                    b.start.date(),
                    ids,
                    codes,
                    team.code,
                    f"队伍 {team.name}（{team.code}）同时参加 {da.code}《{da.title}》（{_hm(a)}）"
                    f"和 {db.code}《{db.title}》（{_hm(b)}），时间重叠",
                    f"team {team.code} takes part in {da.code} ({_hm(a)}) and {db.code} "
                    f"({_hm(b)}) at overlapping times",
                )
            )
    for key in sorted(by_venue):
        name = venue_names[key]
        for a, b in _overlapping_pairs(by_venue[key]):
            ids, codes = _pair_ids(a, b, drills)
            da, db = drills[a.drill_id], drills[b.drill_id]
            out.append(
                ConflictItem(
                    "venue_double_booked",
                    b.start.date(),
                    ids,
                    codes,
                    name,
                    f"场地“{name}”同时安排了 {da.code}《{da.title}》（{_hm(a)}）"
                    f"和 {db.code}《{db.title}》（{_hm(b)}）",
                    f"venue {name!r} is booked for {da.code} ({_hm(a)}) and {db.code} "
                    f"({_hm(b)}) at overlapping times",
                )
            )
    return out


def venue_key(venue: str) -> str:
    return "".join(venue.split()).casefold()


def _days(occ: Occurrence) -> list[dt.date]:
    last = occ.end.date()
    if occ.end > occ.start and occ.end.time() == dt.time(0, 0):
        last -= dt.timedelta(days=1)  # ending at midnight does not use the next day
    days, day = [], occ.start.date()
    while day <= last:
        days.append(day)
        day += dt.timedelta(days=1)
    return days


def _non_working_days(
    session: Session, occs: list[Occurrence], drills: dict[int, Drill], year: int
) -> list[ConflictItem]:
    years = {year} | {d.year for o in occs for d in (o.start.date(), o.end.date())}
    cal = calendar_for(session, years)
    out: list[ConflictItem] = []
    for occ in occs:
        drill = drills[occ.drill_id]
        if drill.weekend_allowed:
            continue
        bad = [(d, cal.why_not_workday(d)) for d in _days(occ)]
        bad = [(d, why) for d, why in bad if why is not None]
        if not bad:
            continue
        day, why = bad[0]
        weekday = "一二三四五六日"[day.weekday()]
        what = why if why == "周末" else f"法定节假日：{why}"
        what_en = "a weekend" if why == "周末" else f"a public holiday ({why})"
        out.append(
            ConflictItem(
                "non_working_day",
                day,
                (drill.id,),
                (drill.code,),
                why or "",
                f"演练 {drill.code}《{drill.title}》安排在 {day}（星期{weekday}，{what}），"
                "非工作日；如确需在周末或节假日举行，请勾选“允许安排在休息日”",
                f"drill {drill.code} falls on {day}, {what_en}; mark it weekend-allowed if "
                "intended",
            )
        )
    return out


def _certificates(
    session: Session, occs: list[Occurrence], drills: dict[int, Drill], teams: dict[int, Team]
) -> list[ConflictItem]:
    needed = {d.id for d in drills.values() if d.required_certificates}
    team_ids = sorted(
        {p.team_id for d in drills.values() if d.id in needed for p in d.participants if p.team_id}
    )
    if not team_ids:
        return []
    members: dict[int, list[Member]] = defaultdict(list)
    for member in session.scalars(
        select(Member)
        .where(Member.team_id.in_(team_ids), Member.active.is_(True))
        .options(selectinload(Member.certificates))
        .order_by(Member.team_id, Member.id)
    ):
        members[member.team_id].append(member)
    out: list[ConflictItem] = []
    for occ in occs:
        drill = drills[occ.drill_id]
        if drill.id not in needed:
            continue
        first, last = occ.start.date(), occ.end.date()
        for p in drill.participants:
            if p.team_id is None:
                continue
            team = teams[p.team_id]
            for member in members.get(p.team_id, []):
                for cert_type in drill.required_certificates:
                    problem = _certificate_problem(member, cert_type.strip(), first, last)
                    if problem is None:
                        continue
                    zh, en = problem
                    out.append(
                        ConflictItem(
                            "certificate_expired",
                            first,
                            (drill.id,),
                            (drill.code,),
                            f"{team.code}/{member.name}",
                            f"演练 {drill.code}（{first}）要求“{cert_type}”，"
                            f"{team.name} 队员 {member.name}{zh}",
                            f"drill {drill.code} on {first} requires {cert_type!r}; "
                            f"member {member.name} of {team.code} {en}",
                        )
                    )
    return out


def _certificate_problem(
    member: Member, cert_type: str, first: dt.date, last: dt.date
) -> tuple[str, str] | None:
    """Why ``member`` lacks a ``cert_type`` certificate valid from ``first`` to ``last``."""
    certs = [c for c in member.certificates if c.cert_type.strip() == cert_type]
    if not certs:
        return "没有该证书", "holds no such certificate"
    if any(c.issued_on <= first and (c.expires_on is None or c.expires_on >= last) for c in certs):
        return None
    expired = [c.expires_on for c in certs if c.expires_on is not None and c.expires_on < last]
    later = [c.issued_on for c in certs if c.issued_on > first]
    if expired:
        when = max(expired)
        zh, en = f"的证书已于 {when} 过期", f"has a certificate that expired on {when}"
        if later:
            zh += f"，新证 {min(later)} 才发证"
            en += f" and is only renewed on {min(later)}"
        return zh, en
    return (
        f"的证书 {min(later)} 才发证，演练时尚未取得",
        f"only gets the certificate on {min(later)}",
    )


def _plans(session: Session, year: int) -> list[ConflictItem]:
    out: list[ConflictItem] = []
    for py in plan_due.plan_years(session, year):
        plan = py.plan
        for gap in py.gaps(year):
            since_zh = (
                f"上次演练 {gap.last}（{gap.last_code}）"
                if gap.last_code
                else f"自发布 {plan.published_on or plan.approved_on} 起未演练"
            )
            since_en = (
                f"last drilled {gap.last} ({gap.last_code})"
                if gap.last_code
                else f"never drilled since publication {plan.published_on or plan.approved_on}"
            )
            head = (
                f"预案 {plan.code}《{plan.title}》{since_zh}，按“{py.rule.zh}”"
                f"（每 {py.rule.months} 个月）应于 {gap.due} 前演练"
            )
            head_en = (
                f"plan {plan.code} {since_en}; {py.rule.en} ({py.rule.months} months): "
                f"due by {gap.due}"
            )
            if gap.late is not None:
                days = (gap.late.on - gap.due).days
                out.append(
                    ConflictItem(
                        "plan_overdue_before_drill",
                        gap.due,
                        (gap.late.drill_id,),
                        (gap.late.drill_code,),
                        plan.code,
                        f"{head}，但下次演练 {gap.late.drill_code} 安排在 {gap.late.on}，"
                        f"届时已逾期 {days} 天",
                        f"{head_en}, but its next drill {gap.late.drill_code} is on "
                        f"{gap.late.on}, {days} days late",
                    )
                )
            elif plan.status in plan_due.IN_FORCE:
                overdue = gap.due < dt.date(year, 1, 1)
                out.append(
                    ConflictItem(
                        "plan_overdue_before_drill",
                        gap.due,
                        (),
                        (),
                        plan.code,
                        f"{head}，{'年初即已逾期，' if overdue else ''}{year} 年在此之后未安排演练",
                        f"{head_en}{', overdue at the start of the year' if overdue else ''}"
                        f"; no drill is scheduled for it after that in {year}",
                    )
                )
    return out


def find_conflicts(session: Session, *, year: int) -> list[ConflictItem]:
    """Every clash of ``year``'s schedule, by date, then kind, then drill codes."""
    occs = occurrences_in_year(session, year)
    ids = sorted({o.drill_id for o in occs})
    drills = {
        d.id: d
        for d in session.scalars(
            select(Drill)
            .where(Drill.id.in_(ids))
            .options(selectinload(Drill.participants).selectinload(DrillParticipant.team))
        )
    }
    teams = {
        p.team_id: p.team
        for d in drills.values()
        for p in d.participants
        if p.team_id is not None and p.team is not None
    }
    found = [
        *_double_bookings(occs, drills, teams),
        *_non_working_days(session, occs, drills, year),
        *_certificates(session, occs, drills, teams),
        *_plans(session, year),
    ]
    found.sort(key=lambda c: (c.date, _KIND_ORDER[c.kind], c.drill_codes, c.subject))
    return found
