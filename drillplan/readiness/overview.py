"""Headline figures for the dashboard (总览), and whether a register is still blank."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.db.models import (
    CorrectiveAction,
    Depot,
    Drill,
    Lot,
    Material,
    Member,
    Plan,
    Team,
    Unit,
)
from drillplan.kernel.vocab import ActionStatus, DrillStatus, PlanStatus
from drillplan.stock.listing import lots_in_stock


@dataclass(frozen=True)
class OverviewItem:
    key: str
    zh: str
    en: str
    warn: bool = False  # a figure above zero needs attention

    def title(self, lang: str = "zh", *, days: int | None = None) -> str:
        """The caption; ``{days}`` is the office's "expiring soon" (settings.soon_days)."""
        text = self.zh if lang == "zh" else self.en
        return text.format(days=days) if "{days}" in text else text


OVERVIEW_ITEMS: tuple[OverviewItem, ...] = (
    OverviewItem("plans", "应急预案", "Plans"),
    OverviewItem("plans_published", "已发布预案", "Published plans"),
    OverviewItem("teams", "救援队伍", "Rescue teams"),
    OverviewItem("members", "在册队员", "Team members"),
    OverviewItem("depots", "储备库点", "Depots"),
    OverviewItem("materials", "物资品类", "Materials"),
    OverviewItem("lots_expired", "已过期批次", "Lots expired", warn=True),
    OverviewItem("lots_expiring", "{days}天内到期批次", "Lots expiring in {days} days", warn=True),
    OverviewItem("drills_this_year", "本年度演练", "Drills this year"),
    OverviewItem("actions_open", "未完成整改", "Open corrective actions", warn=True),
    OverviewItem("actions_overdue", "逾期整改", "Overdue corrective actions", warn=True),
)


def _count(session: Session, query: Select[Any]) -> int:
    return int(session.scalar(query) or 0)


def overview_counts(session: Session, as_of: dt.date) -> dict[str, int]:
    """Headline figures for the dashboard; lots count only while they still hold stock."""
    horizon = as_of + dt.timedelta(days=settings.soon_days(session))
    year_start = dt.datetime(as_of.year, 1, 1)
    not_closed = CorrectiveAction.status != ActionStatus.CLOSED
    queries: dict[str, Select[Any]] = {
        "plans": select(func.count(Plan.id)),
        "plans_published": select(func.count(Plan.id)).where(Plan.status == PlanStatus.PUBLISHED),
        "teams": select(func.count(Team.id)),
        "members": select(func.count(Member.id)).where(Member.active.is_(True)),
        "depots": select(func.count(Depot.id)),
        "materials": select(func.count(Material.id)),
        "lots_expired": lots_in_stock(Lot.expiry_date < as_of),
        "lots_expiring": lots_in_stock(Lot.expiry_date >= as_of, Lot.expiry_date <= horizon),
        "drills_this_year": select(func.count(Drill.id)).where(
            Drill.starts_at >= year_start,
            Drill.starts_at < year_start.replace(year=as_of.year + 1),
            Drill.status != DrillStatus.CANCELLED,
        ),
        "actions_open": select(func.count(CorrectiveAction.id)).where(not_closed),
        "actions_overdue": select(func.count(CorrectiveAction.id)).where(
            and_(not_closed, CorrectiveAction.due_on < as_of)
        ),
    }
    return {key: _count(session, query) for key, query in queries.items()}


def database_is_blank(session: Session) -> bool:
    """True when the register holds nothing yet (no units, plans, teams, depots or materials)."""
    models: Sequence[Any] = (Unit, Plan, Team, Depot, Material)
    return all(session.scalar(select(m.id).limit(1)) is None for m in models)
