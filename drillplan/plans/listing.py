"""The plan register as a table (the one listing engine, drillplan.listing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from drillplan.db.models import (
    Plan,
    Unit,
)
from drillplan.kernel.vocab import (
    EmergencyCategory,
    PlanKind,
    PlanStatus,
)
from drillplan.listing.core import ID_KEY, Column, Listing


def _plans() -> Select[Any]:
    return select(
        Plan.id.label(ID_KEY),
        Plan.code.label("code"),
        Plan.title.label("title"),
        Plan.kind.label("kind"),
        Plan.category.label("category"),
        Unit.name.label("owner"),
        Plan.status.label("status"),
        Plan.current_version.label("version"),
        Plan.published_on.label("published_on"),
        Plan.owner_unit_id.label("owner_id"),  # not shown: the owner filter
    ).join(Unit, Plan.owner_unit_id == Unit.id)


PLANS = Listing(
    "plans",
    "应急预案",
    "Contingency plans",
    (
        Column("code", "预案编号", "Code"),
        Column("title", "预案名称", "Title"),
        Column("kind", "预案类型", "Kind", vocab=PlanKind),
        Column("category", "事件类别", "Category", vocab=EmergencyCategory),
        Column("owner", "编制单位", "Owner unit"),
        Column("status", "状态", "Status", vocab=PlanStatus),
        Column("version", "版本", "Version"),
        Column("published_on", "发布日期", "Published", kind="date"),
    ),
    _plans,
    default_order="code",
)
