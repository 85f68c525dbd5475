"""Depots, lots and materials as tables (the one listing engine, drillplan.listing)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, Select, func, select

from drillplan.db.models import (
    Depot,
    Holder,
    Lot,
    Material,
    Team,
    Unit,
)
from drillplan.kernel.vocab import (
    Criticality,
    DepotTier,
)
from drillplan.listing.core import ID_KEY, Column, Filter, Listing
from drillplan.listing.core import number_column as _n


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
        Material.criticality.label("criticality"),
        lots.label("lots"),
        total.label("on_hand"),
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
        Column("criticality", "重要程度", "Criticality", vocab=Criticality),
        _n("lots", "在库批次", "Lots in stock"),
        _n("on_hand", "库存合计", "Total on hand"),
    ),
    _materials,
    default_order="code",
)
