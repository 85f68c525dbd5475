"""The rescue teams as a table (the one listing engine, drillplan.listing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from drillplan.db.models import (
    Member,
    Team,
    Unit,
)
from drillplan.kernel.vocab import (
    TeamKind,
    Tier,
)
from drillplan.listing.core import ID_KEY, Column, Listing
from drillplan.listing.core import number_column as _n


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
