"""The listings of every area: plans, teams, depots, lots, materials, drills, competitions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from drillplan.db.models import (
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    Depot,
    Drill,
    Holder,
    Lot,
    Material,
    Member,
    Plan,
    Team,
    Unit,
)
from drillplan.kernel.vocab import (
    DepotTier,
    DrillForm,
    DrillStatus,
    EmergencyCategory,
    PlanKind,
    PlanStatus,
    TeamKind,
    Tier,
)
from drillplan.listing.core import ID_KEY, Column, Filter, Listing


def _n(*args: Any, **kwargs: Any) -> Column:
    """A right-aligned number column."""
    return Column(*args, align="right", kind="number", **kwargs)


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


def _teams() -> Select[Any]:
    members = (
        select(func.count(Member.id))
        .where(Member.team_id == Team.id, Member.active.is_(True))
        .correlate(Team)
        .scalar_subquery()
    )
    return select(
        Team.id.label(ID_KEY),
        Team.code.label("code"),
        Team.name.label("name"),
        Team.kind.label("kind"),
        Team.specialties.label("specialties"),
        Unit.name.label("owner"),
        Team.tier.label("tier"),
        Team.duty_phone.label("duty_phone"),
        members.label("members"),
        Team.agreement_expires_on.label("agreement_expires_on"),
    ).join(Unit, Team.owner_unit_id == Unit.id)


def lots_in_stock(*where: ColumnElement[bool]) -> Select[Any]:
    return select(func.count(Lot.id)).where(Lot.on_hand > 0, *where)


def _depots() -> Select[Any]:
    lots = (
        lots_in_stock(Holder.depot_id == Depot.id)
        .join(Holder, Lot.holder_id == Holder.id)
        .correlate(Depot)
        .scalar_subquery()
    )
    return select(
        Depot.id.label(ID_KEY),
        Depot.code.label("code"),
        Depot.name.label("name"),
        Depot.tier.label("tier"),
        Unit.name.label("owner"),
        Depot.address.label("address"),
        Depot.keeper.label("keeper"),
        Depot.keeper_phone.label("keeper_phone"),
        lots.label("lots"),
    ).join(Unit, Depot.owner_unit_id == Unit.id)


def _lots() -> Select[Any]:
    return (
        select(
            Lot.id.label(ID_KEY),
            Material.code.label("material_code"),
            Material.name.label("material_name"),
            func.coalesce(Depot.name, Team.name).label("holder"),
            Lot.batch_no.label("batch_no"),
            Lot.on_hand.label("on_hand"),
            Material.uom.label("uom"),
            Lot.expiry_date.label("expiry_date"),
            Lot.location.label("location"),
            Lot.holder_id.label("holder_id"),  # not shown: the depot tree's filters
            Holder.depot_id.label("depot_id"),
            Depot.tier.label("depot_tier"),
        )
        .join(Material, Lot.material_id == Material.id)
        .join(Holder, Lot.holder_id == Holder.id)
        .outerjoin(Depot, Holder.depot_id == Depot.id)
        .outerjoin(Team, Holder.team_id == Team.id)
    )


def _materials() -> Select[Any]:
    lots = lots_in_stock(Lot.material_id == Material.id).correlate(Material).scalar_subquery()
    total = (
        select(func.coalesce(func.sum(Lot.on_hand), 0))
        .where(Lot.material_id == Material.id)
        .correlate(Material)
        .scalar_subquery()
    )
    return select(
        Material.id.label(ID_KEY),
        Material.code.label("code"),
        Material.name.label("name"),
        Material.spec.label("spec"),
        Material.uom.label("uom"),
        Material.shelf_life_days.label("shelf_life_days"),
        Material.needs_rotation.label("needs_rotation"),
        lots.label("lots"),
        total.label("on_hand"),
    )


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


def _competitions() -> Select[Any]:
    events = (
        select(func.count(CompetitionEvent.id))
        .where(CompetitionEvent.competition_id == Competition.id)
        .correlate(Competition)
        .scalar_subquery()
    )
    entries = (
        select(func.count(CompetitionEntry.id))
        .join(CompetitionEvent, CompetitionEntry.event_id == CompetitionEvent.id)
        .where(CompetitionEvent.competition_id == Competition.id)
        .correlate(Competition)
        .scalar_subquery()
    )
    return select(
        Competition.id.label(ID_KEY),
        Competition.year.label("year"),
        Competition.title.label("title"),
        Competition.held_on.label("held_on"),
        Competition.venue.label("venue"),
        events.label("events"),
        entries.label("entries"),
    )


def _entries() -> Select[Any]:
    return (
        select(
            CompetitionEntry.id.label(ID_KEY),
            Competition.year.label("year"),
            Competition.title.label("competition"),
            CompetitionEvent.name.label("event"),
            Team.name.label("team"),
            CompetitionEntry.participant.label("participant"),
            CompetitionEntry.score.label("score"),
            CompetitionEntry.time_seconds.label("time_seconds"),
            CompetitionEntry.rank.label("rank"),
            Competition.id.label("competition_id"),  # not shown: filters
            CompetitionEvent.id.label("event_id"),
        )
        .join(CompetitionEvent, CompetitionEntry.event_id == CompetitionEvent.id)
        .join(Competition, CompetitionEvent.competition_id == Competition.id)
        .join(Team, CompetitionEntry.team_id == Team.id)
    )


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

TEAMS = Listing(
    "teams",
    "救援队伍",
    "Rescue teams",
    (
        Column("code", "队伍编号", "Code"),
        Column("name", "队伍名称", "Name"),
        Column("kind", "队伍类型", "Kind", vocab=TeamKind),
        Column("specialties", "专业方向", "Specialties", kind="list"),
        Column("owner", "所属单位", "Owner unit"),
        Column("tier", "层级", "Tier", vocab=Tier),
        Column("duty_phone", "值班电话", "Duty phone"),
        _n("members", "在册人数", "Members"),
        Column("agreement_expires_on", "协议到期", "Agreement expires", kind="date", expiry=True),
    ),
    _teams,
    default_order="code",
)

DEPOTS = Listing(
    "depots",
    "储备库",
    "Depots",
    (
        Column("code", "库点编号", "Code"),
        Column("name", "库点名称", "Name"),
        Column("tier", "层级", "Tier", vocab=DepotTier),
        Column("owner", "所属单位", "Owner unit"),
        Column("address", "地址", "Address"),
        Column("keeper", "保管员", "Keeper"),
        Column("keeper_phone", "联系电话", "Phone"),
        _n("lots", "在库批次", "Lots in stock"),
    ),
    _depots,
    default_order="code",
)

LOTS = Listing(
    "lots",
    "物资批次",
    "Lots",
    (
        Column("material_code", "物资编码", "Material code"),
        Column("material_name", "物资名称", "Material"),
        Column("holder", "存放单位", "Held at"),
        Column("batch_no", "批号", "Batch"),
        _n("on_hand", "库存数量", "On hand"),
        Column("uom", "单位", "Unit"),
        Column("expiry_date", "有效期至", "Expires", kind="date", expiry=True),
        Column("location", "库位", "Location"),
    ),
    _lots,
    default_order="expiry_date",
    filters=(
        Filter(
            "in_stock",
            "只显示有库存的批次",
            "Only lots in stock",
            lambda sub: sub.c.on_hand > 0,
            default=True,
        ),
    ),
)

MATERIALS = Listing(
    "materials",
    "物资目录",
    "Material catalogue",
    (
        Column("code", "物资编码", "Code"),
        Column("name", "物资名称", "Name"),
        Column("spec", "规格型号", "Specification"),
        Column("uom", "单位", "Unit"),
        _n("shelf_life_days", "保质期(天)", "Shelf life (days)"),
        Column("needs_rotation", "需轮换", "Rotated", kind="bool"),
        _n("lots", "在库批次", "Lots in stock"),
        _n("on_hand", "库存合计", "Total on hand"),
    ),
    _materials,
    default_order="code",
)

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

COMPETITIONS = Listing(
    "competitions",
    "技能比武",
    "Skill competitions",
    (
        _n("year", "年度", "Year", searchable=True),
        Column("title", "比武名称", "Title"),
        Column("held_on", "举办日期", "Date", kind="date"),
        Column("venue", "地点", "Venue"),
        _n("events", "科目数", "Events"),
        _n("entries", "成绩条数", "Results"),
    ),
    _competitions,
    default_order="held_on",
)

ENTRIES = Listing(
    "entries",
    "比武成绩",
    "Competition results",
    (
        _n("year", "年度", "Year", searchable=True),
        Column("competition", "比武名称", "Competition"),
        Column("event", "科目", "Event"),
        Column("team", "队伍", "Team"),
        Column("participant", "参赛人员", "Participant"),
        _n("score", "得分", "Score"),
        _n("time_seconds", "用时(秒)", "Time (s)"),
        _n("rank", "名次", "Rank"),
    ),
    _entries,
    default_order="event",
)

LISTINGS: dict[str, Listing] = {
    listing.name: listing
    for listing in (PLANS, TEAMS, DEPOTS, LOTS, MATERIALS, DRILLS, COMPETITIONS, ENTRIES)
}
