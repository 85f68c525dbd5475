"""The drills as a table (the one listing engine, drillplan.listing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from drillplan.db.models import (
    Drill,
    Unit,
)
from drillplan.kernel.vocab import (
    DrillForm,
    DrillStatus,
)
from drillplan.listing.core import ID_KEY, Column, Listing


def _drills() -> Select[Any]:
    return select(
        Drill.id.label(ID_KEY),
        Drill.code.label("code"),
        Drill.title.label("title"),
        Drill.form.label("form"),
        Drill.status.label("status"),
        Drill.starts_at.label("starts_at"),
        Drill.venue.label("venue"),
        Unit.name.label("organiser"),
    ).join(Unit, Drill.organiser_unit_id == Unit.id)


DRILLS = Listing(
    "drills",
    "应急演练",
    "Drills",
    (
        Column("code", "演练编号", "Code"),
        Column("title", "演练名称", "Title"),
        Column("form", "演练形式", "Form", vocab=DrillForm),
        Column("status", "状态", "Status", vocab=DrillStatus),
        Column("starts_at", "开始时间", "Starts", kind="datetime"),
        Column("venue", "地点", "Venue"),
        Column("organiser", "组织单位", "Organiser"),
    ),
    _drills,
    default_order="starts_at",
)
