"""Depots (储备库/点), the material catalogue and depot quotas: check, create, edit, delete.
The ``check_*`` functions validate without writing (an import checks every row first)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.audit import log as auditlog
from drillplan.db.models import Depot, HazardMaterialLine, Holder, Lot, Material, Quota, TierQuota
from drillplan.kernel import records as c
from drillplan.kernel import values as v
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.vocab import Criticality, DepotTier, HolderKind
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
    "agreement_supplier",
    "agreement_contact",
    "agreement_phone",
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
    "criticality",
    "synonyms",
)
MATERIAL_CODE = re.compile(r"^\d{7}$")


def _depot_values(
    session: Session, raw: Mapping[str, Any], *, depot: Depot | None
) -> dict[str, Any]:
    raw = c.merged(depot, DEPOT_FIELDS, raw)
    check = v.Checks()
    values = {
        "code": check(v.parse_code, raw.get("code"), what="库点编号"),
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="库点名称", max_len=120, required=True
        ),
        "tier": check(v.parse_enum, DepotTier, raw.get("tier"), field="tier", what="层级"),
        "owner_unit_id": check(unit_id, session, raw.get("owner_unit_id")),
        "address": check(
            v.parse_text, raw.get("address"), field="address", what="地址", max_len=200
        ),
        "keeper": check(v.parse_text, raw.get("keeper"), field="keeper", what="保管员", max_len=60),
        "keeper_phone": check(
            v.parse_optional_phone, raw.get("keeper_phone"), field="keeper_phone"
        ),
        "capacity_m3": check(
            v.parse_optional_quantity,
            raw.get("capacity_m3"),
            field="capacity_m3",
            what="库容",
            what_en="capacity",
        ),
        "agreement_supplier": check(
            v.parse_text,
            raw.get("agreement_supplier"),
            field="agreement_supplier",
            what="协议供应商",
            max_len=120,
        ),
        "agreement_contact": check(
            v.parse_text,
            raw.get("agreement_contact"),
            field="agreement_contact",
            what="协议联系人",
            max_len=60,
        ),
        "agreement_phone": check(
            v.parse_optional_phone, raw.get("agreement_phone"), field="agreement_phone"
        ),
    }
    check.done()
    c.unique(session, Depot.code, values["code"], depot.id if depot else None, "库点编号")
    return values


def check_depot(session: Session, *, depot_id: int | None = None, **fields: Any) -> dict[str, Any]:
    """Every field of the depot as :func:`create_depot` (no ``depot_id``) or
    :func:`update_depot` would store it, or the ValidationError they would raise."""
    depot = c.get(session, Depot, depot_id, "储备库") if depot_id is not None else None
    return _depot_values(session, fields, depot=depot)


def create_depot(session: Session, *, user: str = "system", **fields: Any) -> Depot:
    """A new depot and the stock holder that stands for it in the ledger."""
    values = _depot_values(session, fields, depot=None)
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
    values = _depot_values(session, fields, depot=depot)
    return auditlog.update(
        session, depot, values, user=user, action="depot.update", what=f"储备库 {depot.code} "
    )


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
    auditlog.delete(session, depot, user=user, action="depot.delete", before=before)


# --------------------------------------------------------------------------- materials


def default_criticality(code: str | None) -> Criticality:
    """The criticality a material gets when none is given, from its GB/T 38565-2020 class:
    2 应急装备及配套物资 (life-saving and rescue equipment: life jackets, boats, pumps,
    generators, breaching tools ...) 关键; 1 基本生活保障物资 (tents, water, food) 重要;
    3 工程材料与机械加工设备, the "99" catch-alls (x99xxxx) and anything else 一般.
    Migration 0006 applies the same rule to materials written before the field existed."""
    code = code or ""
    if code[1:3] == "99":
        return Criticality.GENERAL
    if code[:1] == "2":
        return Criticality.CRITICAL
    if code[:1] == "1":
        return Criticality.IMPORTANT
    return Criticality.GENERAL


def _material_code(value: object) -> str:
    """A code of the national classification: 7 digits (full-width digits folded)."""
    code = v.parse_text(value, field="code", what="物资编码", max_len=7, required=True, fold=True)
    if not MATERIAL_CODE.match(code or ""):
        raise ValidationError(
            "code",
            f"物资编码“{code}”应为 7 位数字（GB/T 38565-2020 国家应急物资分类）",
            message_en=f"material code {code!r} must be 7 digits (GB/T 38565-2020)",
            rule="bad_code",
        )
    return code or ""


SYNONYM_MAX = 40


def _synonyms(value: object) -> list[str]:
    """Other names of a material: a list, or one text separated by 、 , ; or spaces."""
    names = v.parse_strings(value, field="synonyms")
    for name in names:
        if len(name) > SYNONYM_MAX:
            raise ValidationError(
                "synonyms",
                f"别名“{v.shown(name)}”最多 {SYNONYM_MAX} 个字符",
                message_en=f"synonym longer than {SYNONYM_MAX}",
                rule="too_long",
            )
    return names


def _material_values(
    session: Session, raw: Mapping[str, Any], *, material: Material | None
) -> dict[str, Any]:
    raw = c.merged(material, MATERIAL_FIELDS, raw)
    check = v.Checks()
    values = {
        "code": check(_material_code, raw.get("code")),
        "name": check(
            v.parse_text, raw.get("name"), field="name", what="物资名称", max_len=120, required=True
        ),
        "uom": check(
            v.parse_text, raw.get("uom"), field="uom", what="计量单位", max_len=12, required=True
        ),
        "spec": check(v.parse_text, raw.get("spec"), field="spec", what="规格型号", max_len=120),
        "shelf_life_days": check(
            v.parse_optional_int,
            raw.get("shelf_life_days"),
            field="shelf_life_days",
            what="保质期",
            minimum=1,
        ),
        "needs_rotation": bool(raw.get("needs_rotation", False)),
        "flood_control": bool(raw.get("flood_control", False)),
        "reference_price": check(
            v.parse_optional_money,
            raw.get("reference_price"),
            field="reference_price",
            what="参考单价",
            what_en="reference price",
        ),
        "criticality": check(
            v.parse_enum,
            Criticality,
            raw.get("criticality"),
            field="criticality",
            what="重要程度",
            optional=True,
        ),
        "synonyms": check(_synonyms, raw.get("synonyms")),
    }
    check.done()
    if values["criticality"] is None:
        values["criticality"] = default_criticality(values["code"])
    c.unique(session, Material.code, values["code"], material.id if material else None, "物资编码")
    if (
        material is not None
        and values["uom"] != material.uom
        and session.scalar(select(Lot.id).where(Lot.material_id == material.id).limit(1))
    ):
        raise ValidationError(
            "uom",
            "已有批次使用该物资，不能修改计量单位",
            message_en="lots exist: the unit of measure cannot change",
        )
    return values


def check_material(
    session: Session, *, material_id: int | None = None, **fields: Any
) -> dict[str, Any]:
    """Every field of the material as :func:`create_material` (no ``material_id``) or
    :func:`update_material` would store it, or the ValidationError they would raise."""
    material = c.get(session, Material, material_id, "物资") if material_id is not None else None
    return _material_values(session, fields, material=material)


def create_material(session: Session, *, user: str = "system", **fields: Any) -> Material:
    return auditlog.insert(
        session,
        Material(**_material_values(session, fields, material=None)),
        user=user,
        action="material.create",
    )


def update_material(
    session: Session, *, material_id: int, user: str = "system", **fields: Any
) -> Material:
    material = c.get(session, Material, material_id, "物资")
    values = _material_values(session, fields, material=material)
    return auditlog.update(session, material, values, user=user, action="material.update")


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
    lines = (
        session.scalar(
            select(func.count(HazardMaterialLine.id)).where(
                HazardMaterialLine.material_id == material.id
            )
        )
        or 0
    )
    if lines:
        raise ValidationError(
            "material",
            f"物资 {material.code} 仍列在预警响应矩阵的 {lines} 行中，不能删除",
            message_en=f"material {material.code} is on {lines} lines of the hazard matrix",
        )
    auditlog.delete(session, material, user=user, action="material.delete")


def set_quota(
    session: Session, *, depot_id: int, material_id: int, required_qty: object, user: str = "system"
) -> Quota | None:
    """The depot's own quota of a material; an empty quantity removes it (tier default applies)."""
    depot = c.get(session, Depot, depot_id, "储备库")
    material = c.get(session, Material, material_id, "物资")
    qty = v.parse_optional_quantity(
        required_qty, field="required_qty", what="定额数量", what_en="required quantity"
    )
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
