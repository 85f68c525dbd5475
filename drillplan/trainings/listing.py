"""Training and public education events as a table (the one listing engine)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, extract, select
from sqlalchemy.orm import aliased

from drillplan.db.models import TrainingEvent, Unit
from drillplan.kernel.vocab import TrainingKind
from drillplan.listing.core import ID_KEY, Column, Listing
from drillplan.listing.core import number_column as _n


def _events() -> Select[Any]:
    street = aliased(Unit)
    return (
        select(
            TrainingEvent.id.label(ID_KEY),
            TrainingEvent.code.label("code"),
            TrainingEvent.starts_at.label("starts_at"),
            TrainingEvent.kind.label("kind"),
            TrainingEvent.title.label("title"),
            street.name.label("street"),
            Unit.name.label("organiser"),
            TrainingEvent.venue.label("venue"),
            TrainingEvent.audience.label("audience"),
            TrainingEvent.headcount.label("headcount"),
            TrainingEvent.topics.label("topics"),
            # hidden filter columns (``equals``)
            extract("year", TrainingEvent.starts_at).label("year"),
            TrainingEvent.street_unit_id.label("street_id"),
        )
        .join(Unit, TrainingEvent.organiser_unit_id == Unit.id)
        .outerjoin(street, TrainingEvent.street_unit_id == street.id)
    )


TRAININGS = Listing(
    "trainings",
    "培训与宣教",
    "Training and public education",
    (
        Column("code", "活动编号", "Code"),
        Column("starts_at", "日期", "Date", kind="datetime"),
        Column("kind", "类型", "Kind", vocab=TrainingKind),
        Column("title", "活动名称", "Title"),
        Column("street", "街镇", "Street/town"),
        Column("organiser", "组织单位", "Organiser"),
        Column("venue", "地点", "Venue"),
        Column("audience", "参加对象", "Audience"),
        _n("headcount", "人数", "Headcount"),
        Column("topics", "主题", "Topics", kind="list"),
    ),
    _events,
    default_order="starts_at",
)
