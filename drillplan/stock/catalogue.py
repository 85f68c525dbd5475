"""Depots (储备库/点), the material catalogue and depot quotas: create, edit, delete."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Depot, Holder, Lot, Material, Quota, TierQuota
from drillplan.kernel import records as c
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import DepotTier, HolderKind
from drillplan.org.units import unit_id

DEPOT_FIELDS = (
    "code",
    "name",
    "tier",
    "owner_unit_id",
    "address",
    "keeper",
    "keeper_phone",
    "capacity_m3",
)
MATERIAL_FIELDS = (
    "code",
    "name",
    "uom",
    "spec",
    "shelf_life_days",
    "needs_rotation",
    "flood_control",
    "reference_price",
)
MATERIAL_CODE = re.compile(r"^\d{7}$")


def _depot_values(session: Session, raw: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(DEPOT_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "不能在此修改", message_en=f"{unknown[0]} not editable")
    return {
        "code": c.code(raw.get("code"), what="库点编号"),
        "name": c.clean(raw.get("name"), "name", "库点名称", 120, required=True),
        "tier": c.choice(DepotTier, raw.get("tier"), "tier", "层级"),
        "owner_unit_id": unit_id(session, raw.get("owner_unit_id")),
        "address": c.clean(raw.get("address"), "address", "地址", 200, required=False),
        "keeper": c.clean(raw.get("keeper"), "keeper", "保管员", 60, required=False),
        "keeper_phone": c.phone(raw.get("keeper_phone"), "keeper_phone"),
        "capacity_m3": c.optional_decimal(raw.get("capacity_m3"), "capacity_m3", "库容"),
    }


def create_depot(session: Session, *, user: str = "system", **fields: Any) -> Depot:
    """A new depot and the stock holder that stands for it in the ledger."""
    values = _depot_values(session, fields)
    c.unique(session, Depot.code, values["code"], None, "库点编号")
    depot = Depot(**values)
    session.add(depot)
    session.flush()
    session.add(Holder(kind=HolderKind.DEPOT, depot_id=depot.id))
    session.flush()
    auditlog.record(session, user=user, action="depot.create", row=depot)
    return depot


def update_depot(
    session: Session,
    *,
    depot_id: int,
    expected_version: int | None,
    user: str = "system",
    **fields: Any,
) -> Depot:
    depot = c.get(session, Depot, depot_id, "储备库")
    c.check_version(depot, expected_version, f"储备库 {depot.code} ")
    merged = {name: getattr(depot, name) for name in DEPOT_FIELDS} | dict(fields)
    values = _depot_values(session, merged)
    c.unique(session, Depot.code, values["code"], depot.id, "库点编号")
    before = auditlog.snapshot(depot)
    for name, value in values.items():
        if getattr(depot, name) != value:
            setattr(depot, name, value)
    c.flush(session, f"储备库 {depot.code} ")
    auditlog.record(session, user=user, action="depot.update", row=depot, before=before)
    return depot


def delete_depot(
    session: Session, *, depot_id: int, expected_version: int | None = None, user: str = "system"
) -> None:
    """Delete a depot that never held stock (the ledger is kept forever)."""
    depot = c.get(session, Depot, depot_id, "储备库")
    c.check_version(depot, expected_version, f"储备库 {depot.code} ")
    lots = session.scalar(
        select(func.count(Lot.id))
        .join(Holder, Lot.holder_id == Holder.id)
        .where(Holder.depot_id == depot.id)
    )
    if lots:
        raise ValidationError(
            "depot",
            f"储备库 {depot.code} 有 {lots} 个批次的台账记录，不能删除",
            message_en=f"depot {depot.code} has {lots} lots in its ledger",
        )
    before = auditlog.snapshot(depot)
    holder = session.scalar(select(Holder).where(Holder.depot_id == depot.id))
    if holder is not None:
        session.delete(holder)
    for quota in session.scalars(select(Quota).where(Quota.depot_id == depot.id)):
        session.delete(quota)
    session.delete(depot)
    session.flush()
    auditlog.record(
        session, user=user, action="depot.delete", table="depot", row_id=depot_id, before=before
    )


# --------------------------------------------------------------------------- materials


def _material_values(raw: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(MATERIAL_FIELDS))
    if unknown:
        raise ValidationError(unknown[0], "不能在此修改", message_en=f"{unknown[0]} not editable")
    code = c.clean(raw.get("code"), "code", "物资编码", 7, required=True) or ""
    if not MATERIAL_CODE.match(code):
        raise ValidationError(
            "code",
            f"物资编码“{code}”应为 7 位数字（国家应急物资分类）",
            message_en="the material code has 7 digits",
        )
    shelf = c.optional_int(raw.get("shelf_life_days"), "shelf_life_days", "保质期", minimum=1)
    return {
        "code": code,
        "name": c.clean(raw.get("name"), "name", "物资名称", 120, required=True),
        "uom": c.clean(raw.get("uom"), "uom", "计量单位", 12, required=True),
        "spec": c.clean(raw.get("spec"), "spec", "规格型号", 120, required=False),
        "shelf_life_days": shelf,
        "needs_rotation": bool(raw.get("needs_rotation", False)),
        "flood_control": bool(raw.get("flood_control", False)),
        "reference_price": c.optional_decimal(
            raw.get("reference_price"), "reference_price", "参考单价"
        ),
    }


def create_material(session: Session, *, user: str = "system", **fields: Any) -> Material:
    values = _material_values(fields)
    c.unique(session, Material.code, values["code"], None, "物资编码")
    material = Material(**values)
    session.add(material)
    session.flush()
    auditlog.record(session, user=user, action="material.create", row=material)
    return material


def update_material(
    session: Session, *, material_id: int, user: str = "system", **fields: Any
) -> Material:
    material = c.get(session, Material, material_id, "物资")
    merged = {name: getattr(material, name) for name in MATERIAL_FIELDS} | dict(fields)
    values = _material_values(merged)
    c.unique(session, Material.code, values["code"], material.id, "物资编码")
    if values["uom"] != material.uom and session.scalar(
        select(Lot.id).where(Lot.material_id == material.id).limit(1)
    ):
        raise ValidationError(
            "uom",
            "已有批次使用该物资，不能修改计量单位",
            message_en="lots exist: the unit of measure cannot change",
        )
    before = auditlog.snapshot(material)
    for name, value in values.items():
        setattr(material, name, value)
    session.flush()
    auditlog.record(session, user=user, action="material.update", row=material, before=before)
    return material


def delete_material(session: Session, *, material_id: int, user: str = "system") -> None:
    material = c.get(session, Material, material_id, "物资")
    used = session.scalar(select(func.count(Lot.id)).where(Lot.material_id == material.id)) or 0
    quotas = (
        session.scalar(select(func.count(Quota.id)).where(Quota.material_id == material.id)) or 0
    )
    quotas += (
        session.scalar(select(func.count(TierQuota.id)).where(TierQuota.material_id == material.id))
        or 0
    )
    if used or quotas:
        raise ValidationError(
            "material",
            f"物资 {material.code} 仍有 {used} 个批次、{quotas} 条定额，不能删除",
            message_en=f"material {material.code} is used by {used} lots and {quotas} quotas",
        )
    before = auditlog.snapshot(material)
    session.delete(material)
    session.flush()
    auditlog.record(
        session,
        user=user,
        action="material.delete",
        table="material",
        row_id=material_id,
        before=before,
    )


def set_quota(
    session: Session, *, depot_id: int, material_id: int, required_qty: object, user: str = "system"
) -> Quota | None:
    """The depot's own quota of a material; an empty quantity removes it (tier default applies)."""
    depot = c.get(session, Depot, depot_id, "储备库")
    material = c.get(session, Material, material_id, "物资")
    qty = c.optional_decimal(required_qty, "required_qty", "定额数量")
    quota = session.scalar(
        select(Quota).where(Quota.depot_id == depot.id, Quota.material_id == material.id)
    )
    before = auditlog.snapshot(quota) if quota is not None else None
    if qty is None:
        if quota is not None:
            session.delete(quota)
            session.flush()
        auditlog.record(
            session, user=user, action="quota.delete", table="quota", before=before, row_id=None
        )
        return None
    if quota is None:
        quota = Quota(depot_id=depot.id, material_id=material.id, required_qty=Decimal(qty))
        session.add(quota)
    else:
        quota.required_qty = Decimal(qty)
    session.flush()
    auditlog.record(session, user=user, action="quota.set", row=quota, before=before)
    return quota
