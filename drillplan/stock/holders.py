"""Finding depots, teams and materials by code, and the holder row behind each."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Depot, Holder, Material, Team
from drillplan.kernel.errors import NotFound
from drillplan.kernel.vocab import HolderKind


@dataclass(frozen=True)
class HolderInfo:
    holder_id: int
    kind: HolderKind
    code: str
    name: str
    tier: str


def holder_for_depot(session: Session, depot_id: int) -> Holder:
    holder = session.scalar(select(Holder).where(Holder.depot_id == depot_id))
    if holder is None:
        if session.get(Depot, depot_id) is None:
            raise NotFound(f"储备库 {depot_id} 不存在 (no depot {depot_id})")
        holder = Holder(kind=HolderKind.DEPOT, depot_id=depot_id)
        session.add(holder)
        session.flush()
    return holder


def holder_for_team(session: Session, team_id: int) -> Holder:
    holder = session.scalar(select(Holder).where(Holder.team_id == team_id))
    if holder is None:
        if session.get(Team, team_id) is None:
            raise NotFound(f"队伍 {team_id} 不存在 (no team {team_id})")
        holder = Holder(kind=HolderKind.TEAM, team_id=team_id)
        session.add(holder)
        session.flush()
    return holder


def holder_by_code(session: Session, code: str) -> Holder:
    """The holder of a depot code or, failing that, a team code."""
    depot_id = session.scalar(select(Depot.id).where(Depot.code == code))
    if depot_id is not None:
        return holder_for_depot(session, depot_id)
    team_id = session.scalar(select(Team.id).where(Team.code == code))
    if team_id is not None:
        return holder_for_team(session, team_id)
    raise NotFound(f"没有编号为 {code} 的储备库或队伍 (no depot or team with code {code})")


def material_by_code(session: Session, code: str) -> Material:
    material = session.scalar(select(Material).where(Material.code == code))
    if material is None:
        raise NotFound(f"没有编码为 {code} 的物资 (no material with code {code})")
    return material


def describe(session: Session, holder_id: int) -> HolderInfo:
    holder = session.get_one(Holder, holder_id)
    if holder.kind == HolderKind.DEPOT:
        assert holder.depot is not None
        d = holder.depot
        return HolderInfo(holder.id, holder.kind, d.code, d.name, str(d.tier))
    assert holder.team is not None
    t = holder.team
    return HolderInfo(holder.id, holder.kind, t.code, t.name, str(t.tier))
