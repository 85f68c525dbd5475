"""The 总览 dashboard: the district readiness score and the figures that need attention.

Every figure carries the ids of the rows behind it, so the UI can open exactly that list.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.drills.evaluation import actions
from drillplan.drills.recurrence import occurrences_between
from drillplan.plans.due import plan_due
from drillplan.readiness.overview import overview_counts
from drillplan.readiness.score import COMPONENT_LABELS, district_score
from drillplan.requests.read import overdue_requests, unreturned_loans
from drillplan.stock.expiry import agreement_expiry, certificate_expiry, lot_expiry


@dataclass(frozen=True)
class Figure:
    key: str
    zh: str
    en: str
    ids: tuple[int, ...]
    target: str  # where the list behind it lives: lots, certificates, agreements, plans ...
    warn: bool = True

    @property
    def count(self) -> int:
        return len(self.ids)


DETAILS_SHOWN = 500  # problems listed under a component (its count is the whole number)


@dataclass(frozen=True)
class ComponentFigure:
    key: str
    zh: str
    en: str
    value: float | None
    weight: float
    problems: int
    details: tuple[tuple[str, str], ...] = ()  # (what, what is wrong): the first DETAILS_SHOWN


@dataclass
class Dashboard:
    as_of: dt.date
    horizon: int
    score: float | None
    components: list[ComponentFigure] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def figure(self, key: str) -> Figure:
        return next(f for f in self.figures if f.key == key)


def dashboard_horizon(session: Session) -> int:
    """ "Expiring soon" on the dashboard: the office's :func:`drillplan.settings.soon_days`."""
    return settings.soon_days(session)


def district_readiness(
    session: Session, *, as_of: dt.date
) -> tuple[float | None, list[ComponentFigure]]:
    """The district score and its components (not the per-depot/team/plan scores: the
    dashboard does not show them, and they cost most of the time on a city's data)."""
    district = district_score(session, as_of=as_of)
    comps = [
        ComponentFigure(
            c.key,
            *COMPONENT_LABELS[c.key],
            c.value,
            c.weight,
            len(c.problems),
            tuple((f.label, f.problem) for f in c.problems[:DETAILS_SHOWN]),
        )
        for c in district.components
    ]
    return district.score, comps


def dashboard(session: Session, *, as_of: dt.date, with_score: bool = True) -> Dashboard:
    """The figures (and, unless ``with_score`` is false, the readiness score)."""
    horizon = dashboard_horizon(session)
    limit = as_of + dt.timedelta(days=horizon)
    score, comps = district_readiness(session, as_of=as_of) if with_score else (None, [])
    lots = lot_expiry(session, as_of=as_of, horizons=[horizon])
    certs = certificate_expiry(session, as_of=as_of, horizons=[horizon])
    agreements = agreement_expiry(session, as_of=as_of, horizons=[horizon])
    overdue_plans = plan_due(session, as_of=as_of, overdue_only=True)
    open_actions = actions(session, as_of=as_of)
    month_start = dt.datetime(as_of.year, as_of.month, 1)
    month_end = dt.datetime(as_of.year + (as_of.month == 12), as_of.month % 12 + 1, 1)
    month = occurrences_between(session, month_start, month_end)
    within = f"{horizon}天内到期"
    within_en = f"within {horizon} days"

    def split(rows: list, date_of, id_of) -> tuple[tuple[int, ...], tuple[int, ...]]:  # type: ignore[no-untyped-def,type-arg]
        expired = tuple(id_of(r) for r in rows if date_of(r) < as_of)
        soon = tuple(id_of(r) for r in rows if as_of <= date_of(r) <= limit)
        return expired, soon

    lots_x, lots_s = split(lots, lambda r: r.expiry_date, lambda r: r.lot_id)
    certs_x, certs_s = split(certs, lambda r: r.expires_on, lambda r: r.certificate_id)
    agr_x, agr_s = split(agreements, lambda r: r.expires_on, lambda r: r.team_id)
    not_closed = [a for a in open_actions if a.status != "closed"]
    figures = [
        Figure("lots_expired", "已过期批次", "Lots expired", lots_x, "lots"),
        Figure("lots_expiring", f"{within}批次", f"Lots expiring {within_en}", lots_s, "lots"),
        Figure("certs_expired", "已过期证书", "Certificates expired", certs_x, "certificates"),
        Figure(
            "certs_expiring", f"{within}证书", f"Certificates {within_en}", certs_s, "certificates"
        ),
        Figure("agreements_expired", "已过期协议", "Agreements expired", agr_x, "agreements"),
        Figure(
            "agreements_expiring", f"{within}协议", f"Agreements {within_en}", agr_s, "agreements"
        ),
        Figure(
            "plans_overdue",
            "逾期预案",
            "Plans overdue",
            tuple(p.plan_id for p in overdue_plans),
            "plans",
        ),
        Figure(
            "actions_overdue",
            "逾期整改",
            "Corrective actions overdue",
            tuple(a.action_id for a in not_closed if a.days_overdue > 0),
            "actions",
        ),
        Figure(
            "actions_open",
            "未完成整改",
            "Open corrective actions",
            tuple(a.action_id for a in not_closed),
            "actions",
            warn=False,
        ),
        Figure(
            "drills_month",
            "本月演练",
            "Drills this month",
            tuple(dict.fromkeys(o.drill_id for o in month)),
            "drills",
            warn=False,
        ),
        *request_figures(session, as_of=as_of),
    ]
    return Dashboard(
        as_of=as_of,
        horizon=horizon,
        score=score,
        components=comps,
        figures=figures,
        counts=overview_counts(session, as_of),
    )


def request_figures(session: Session, *, as_of: dt.date) -> list[Figure]:
    """Allocation requests past their needed-by date and not received, and drill loans not
    sent back by a return request (:mod:`drillplan.requests.read`)."""
    days = settings.get(session, "loan_return_days")
    overdue = overdue_requests(session, as_of=as_of)
    loans = unreturned_loans(session, as_of=as_of, days=int(days))
    return [
        Figure(
            "requests_overdue",
            "逾期调拨申请",
            "Allocation requests overdue",
            tuple(r.request_id for r in overdue),
            "requests",
        ),
        Figure(
            "loans_unreturned",
            f"演练借用{days}天未归还",
            f"Drill loans not returned after {days} days",
            tuple(r.request_id for r in loans),
            "requests",
        ),
    ]


@dataclass(frozen=True)
class PreseasonFigure:
    """The pre-flood-season check on the dashboard: while it is due, how many checklist lines
    are missing (the lines themselves, for the detail); before it opens, when it opens."""

    year: int
    opens: dt.date
    season_start: dt.date
    season_end: dt.date
    due: bool
    lines: int = 0
    # (section 中文, section English, code and name, place, what 中文, what English)
    missing: tuple[tuple[str, str, str, str, str, str], ...] = ()

    @property
    def count(self) -> int:
        return len(self.missing)


def preseason_figure(session: Session, *, as_of: dt.date) -> PreseasonFigure:
    """:func:`drillplan.readiness.preseason.preseason_check` when it is due, else its window
    only (the whole check is not computed before the window opens)."""
    from drillplan.readiness.preseason import SECTIONS, preseason_check, season_window

    w = season_window(session, as_of=as_of)
    if not w.due_on(as_of):
        return PreseasonFigure(w.year, w.opens, w.season_start, w.season_end, False)
    check = preseason_check(session, as_of=as_of, year=w.year)
    titles = {key: (zh, en) for key, zh, en in SECTIONS}
    missing = tuple(
        (*titles[m.section], f"{m.code} {m.name}", m.place, m.what, m.what_en)
        for m in check.missing
    )
    return PreseasonFigure(
        w.year, w.opens, w.season_start, w.season_end, True, len(check.lines), missing
    )
