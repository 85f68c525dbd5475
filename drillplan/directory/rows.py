"""The directory as flat rows (one per holder x material): the command line's table and CSV,
the exported sheet and the printed directory all read them, so they agree."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from drillplan.directory.find import DirectoryHolder, Found, Holding, holding_text

#: keys of a flat row, in the order a table or sheet shows them (documented in docs/cli.md)
ROW_KEYS = (
    "tier",
    "tier_label",
    "holder_kind",
    "holder_code",
    "holder_name",
    "unit",
    "material",
    "material_name",
    "uom",
    "usable",
    "expiring",
    "promised",
    "lead_time_hours",
    "address",
    "keeper",
    "phone",
    "agreement_supplier",
    "agreement_contact",
    "agreement_phone",
    "capabilities",
)
TABLE_COLUMNS = (
    "tier_label", "holder_code", "holder_name", "material", "material_name", "quantity",
    "keeper", "phone", "agreement", "address",
)  # fmt: skip
ROW_HEADERS_ZH = {
    "tier": "层级代码", "tier_label": "层级", "holder_kind": "持有方类型",
    "holder_code": "编码", "holder_name": "持有方", "unit": "所属单位", "material": "物资编码",
    "material_name": "物资名称", "uom": "计量单位", "usable": "可用数量",
    "expiring": "临期数量", "promised": "承诺数量", "lead_time_hours": "响应时限（小时）",
    "address": "地址", "keeper": "保管员/联系人", "phone": "电话",
    "agreement_supplier": "协议供应商", "agreement_contact": "协议联系人",
    "agreement_phone": "协议联系电话", "capabilities": "专业能力", "quantity": "数量",
    "agreement": "协议供应商及联系人",
}  # fmt: skip


def agreement_text(holder: DirectoryHolder) -> str:
    """An agreement reserve's supplier, contact and phone in one line ("" for others)."""
    if holder.kind != "depot" or not (holder.agreement_supplier or holder.agreement_contact):
        return ""
    parts = (holder.agreement_supplier, holder.agreement_contact, holder.agreement_phone)
    return " ".join(p for p in parts if p)


def holder_record(holder: DirectoryHolder, horizon: int) -> dict[str, Any]:
    """One holder with its holdings (the JSON of ``drillplan find``)."""
    return {
        "kind": holder.kind,
        "id": holder.id,
        "code": holder.code,
        "name": holder.name,
        "tier": holder.tier,
        "tier_label": holder.tier_label,
        "unit": holder.unit_name,
        "address": holder.address,
        "keeper": holder.keeper,
        "phone": holder.phone,
        "agreement_supplier": holder.agreement_supplier,
        "agreement_contact": holder.agreement_contact,
        "agreement_phone": holder.agreement_phone,
        "agreement_no": holder.agreement_no,
        "capabilities": list(holder.capabilities),
        "nearness": holder.nearness,
        "holdings": [holding_record(h, horizon) for h in holder.holdings],
    }


def holding_record(h: Holding, horizon: int) -> dict[str, Any]:
    return {
        "material": h.material_code,
        "material_name": h.material_name,
        "uom": h.uom,
        "usable": h.usable,
        "expiring": h.expiring,
        "promised": h.promised,
        "lead_time_hours": h.lead_time_hours,
        "text": holding_text(h, horizon=horizon),
    }


def found_record(found: Found) -> dict[str, Any]:
    return {
        "query": found.query,
        "as_of": found.as_of,
        "horizon_days": found.horizon_days,
        "materials": [
            {"code": m.code, "name": m.name, "uom": m.uom, "matched_by": m.why}
            for m in found.materials
        ],
        "capability_teams": found.capability_teams,
        "holders": [holder_record(h, found.horizon_days) for h in found.holders],
        "totals": [
            {"material": code, "uom": uom, "usable": usable, "expiring": expiring}
            for (code, uom), (usable, expiring) in sorted(found.totals().items())
        ],
    }


def flat_rows(found: Found) -> Iterator[dict[str, Any]]:
    """One row per holder x material (a capable team without equipment on record: one row
    without a material)."""
    for holder in found.holders:
        base = {
            "tier": holder.tier,
            "tier_label": holder.tier_label,
            "holder_kind": holder.kind,
            "holder_code": holder.code,
            "holder_name": holder.name,
            "unit": holder.unit_name,
            "address": holder.address,
            "keeper": holder.keeper,
            "phone": holder.phone,
            "agreement_supplier": holder.agreement_supplier,
            "agreement_contact": holder.agreement_contact,
            "agreement_phone": holder.agreement_phone,
            "capabilities": "、".join(holder.capabilities),
            "agreement": agreement_text(holder),
        }
        empty = {"material": None, "material_name": None, "uom": None, "usable": None,
                 "expiring": None, "promised": None, "lead_time_hours": None,
                 "quantity": ""}  # fmt: skip
        if not holder.holdings:
            yield {**base, **empty}
            continue
        for h in holder.holdings:
            yield {
                **base,
                "material": h.material_code,
                "material_name": h.material_name,
                "uom": h.uom,
                "usable": h.usable if h.promised is None else None,
                "expiring": h.expiring if h.promised is None else None,
                "promised": h.promised,
                "lead_time_hours": h.lead_time_hours,
                "quantity": holding_text(h, horizon=found.horizon_days),
            }
