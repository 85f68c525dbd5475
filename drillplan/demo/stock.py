"""Demo material reserves: catalogue, depots, holders, quotas and the lots they hold.

Lots are planned from the stock profiles of depots and equipped teams (split into batches
with a realistic spread of expiry dates); the ledger module then runs a year of movements.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from drillplan.demo.context import Ctx
from drillplan.demo.ledger import P_RECEIPT, HolderInfo, Ledger, receipt, weekday_not_after
from drillplan.demo.ledger_events import plan_events
from drillplan.kernel.values import validate_phone
from drillplan.kernel.vocab import Criticality, DepotTier, HolderKind
from drillplan.stock.catalogue import default_criticality

ONE_CENT = Decimal("0.01")


# ------------------------------------------------------------------------- builders


def build_stock(ctx: Ctx) -> None:
    materials = _materials(ctx)
    holders = _depots(ctx)
    _quotas(ctx)
    holders.update(_team_holders(ctx))
    ledger = Ledger(ctx, ctx.json("ledger.json"), materials, holders)
    _plan_lots(ledger)
    plan_events(ledger)
    ledger.run()
    _finish_lots(ledger)
    ctx.extra["ledger"] = ledger  # later builders (allocation requests) move stock on from here


def _materials(ctx: Ctx) -> dict[str, dict[str, Any]]:
    out = {}
    for rec in ctx.csv("materials.csv"):
        code = rec["code"].strip()
        row = {
            "code": code,
            "name": rec["name"],
            "uom": rec["uom"],
            "spec": rec["spec"] or None,
            "shelf_life_days": int(rec["shelf_life_days"]) if rec["shelf_life_days"] else None,
            "needs_rotation": rec["needs_rotation"] == "1",
            "flood_control": rec["flood_control"] == "1",
            "reference_price": (
                Decimal(rec["reference_price"]).quantize(ONE_CENT)
                if rec["reference_price"]
                else None
            ),
            "criticality": (
                Criticality(rec["criticality"])
                if rec.get("criticality")
                else default_criticality(code)
            ),
            "synonyms": [s for s in (rec.get("synonyms") or "").split("、") if s],
        }
        ctx.add("material", row, key=code)
        out[code] = row
    return out


def _depots(ctx: Ctx) -> dict[str, HolderInfo]:
    units = {u["code"]: u for u in ctx.json("units.json")["units"]}
    holders = {}
    for depot in ctx.json("depots.json")["depots"]:
        code = depot["code"]
        capacity = depot.get("capacity_m3")
        depot_id = ctx.add(
            "depot",
            {
                "code": code,
                "name": depot["name"],
                "tier": DepotTier(depot["tier"]),
                "owner_unit_id": ctx.id_of("unit", depot["owner"]),
                "address": depot.get("address"),
                "keeper": depot.get("keeper"),
                "keeper_phone": (
                    validate_phone(depot["keeper_phone"], field=code)
                    if depot.get("keeper_phone")
                    else None
                ),
                "capacity_m3": Decimal(capacity) if capacity is not None else None,
                "agreement_supplier": depot.get("agreement_supplier"),
                "agreement_contact": depot.get("agreement_contact"),
                "agreement_phone": (
                    validate_phone(depot["agreement_phone"], field=code)
                    if depot.get("agreement_phone")
                    else None
                ),
            },
            key=code,
        )
        key = f"depot:{code}"
        holder_id = ctx.add(
            "holder", {"kind": HolderKind.DEPOT, "depot_id": depot_id, "team_id": None}, key=key
        )
        holders[key] = HolderInfo(
            key,
            holder_id,
            depot["tier"],
            depot["name"],
            units[depot["owner"]]["name"],
            depot.get("keeper") or "",
        )
    return holders


def _quotas(ctx: Ctx) -> None:
    data = ctx.json("depots.json")
    for quota in data["tier_quotas"]:
        ctx.add(
            "tier_quota",
            {
                "tier": DepotTier(quota["tier"]),
                "material_id": ctx.id_of("material", quota["material"]),
                "required_qty": Decimal(quota["required_qty"]),
            },
        )
    for quota in data["quotas"]:
        ctx.add(
            "quota",
            {
                "depot_id": ctx.id_of("depot", quota["depot"]),
                "material_id": ctx.id_of("material", quota["material"]),
                "required_qty": Decimal(quota["required_qty"]),
            },
        )


def _team_holders(ctx: Ctx) -> dict[str, HolderInfo]:
    holders = {}
    members = ctx.extra["members"]
    for team in ctx.json("teams.json")["teams"]:
        if not team.get("equipment"):
            continue
        code = team["code"]
        key = f"team:{code}"
        holder_id = ctx.add(
            "holder",
            {"kind": HolderKind.TEAM, "depot_id": None, "team_id": ctx.id_of("team", code)},
            key=key,
        )
        captain = next((m["name"] for m in members[code] if m["role"] == "队长"), "")
        holders[key] = HolderInfo(key, holder_id, "team", team["name"], team["name"], captain)
    return holders


def _profile_items(ctx: Ctx) -> list[tuple[str, list[tuple[str, int]]]]:
    """(holder key, [(material, quantity)]) for every depot and equipped team, in file order."""
    depots = ctx.json("depots.json")
    teams = ctx.json("teams.json")
    out = []
    for depot in depots["depots"]:
        scale = float(depot.get("scale", 1.0))
        items = [
            (code, max(1, round(qty * scale)))
            for profile in depot["stock"]
            for code, qty in depots["stock_profiles"][profile]
        ]
        out.append((f"depot:{depot['code']}", items))
    for team in teams["teams"]:
        if team.get("equipment"):
            items = [(c, int(q)) for c, q in teams["equipment_profiles"][team["equipment"]]]
            out.append((f"team:{team['code']}", items))
    return out


def _split(rng: random.Random, qty: int, parts: int) -> list[int]:
    parts = max(1, min(parts, qty))
    weights = [rng.random() + 0.5 for _ in range(parts)]
    total = sum(weights)
    sizes = [max(1, int(qty * w / total)) for w in weights[:-1]]
    sizes.append(qty - sum(sizes))
    if sizes[-1] < 1:
        return [qty]
    return sizes


def _supplier(ledger: Ledger, rng: random.Random, code: str, holder: HolderInfo) -> str | None:
    if holder.tier in ("enterprise", "agreement"):
        return holder.owner_name
    matches = [s["name"] for s in ledger.params["suppliers"] if code[:3] in s["serves"]]
    return rng.choice(matches) if matches else None


def _expiry_offset(rng: random.Random, params: dict[str, Any], shelf: int) -> int:
    latest = shelf - int(params["min_age_days"])
    bands = [b for b in params["expiry_bands"] if b["from"] <= latest]
    band = rng.choices(bands, weights=[b["weight"] for b in bands])[0]
    hi = latest if band["to"] is None else min(band["to"], latest)
    return rng.randint(band["from"], hi)


def _plan_lots(ledger: Ledger) -> None:
    ctx, params = ledger.ctx, ledger.params
    rng = ctx.rng("lots")
    start = ctx.offset(-int(params["ledger_days"]))
    last = ctx.last_past_day
    for holder_key, items in _profile_items(ctx):
        holder = ledger.holders[holder_key]
        source = params["sources"][holder.tier]
        for code, qty in items:
            material = ledger.materials[code]
            shelf = material["shelf_life_days"]
            many = qty >= int(params["split_lots_from_qty"])
            parts = rng.randint(1, int(params["max_lots_per_item"]) if shelf else 2) if many else 1
            for size in _split(rng, qty, parts):
                if shelf:
                    expiry = ctx.offset(_expiry_offset(rng, params, shelf))
                    life = shelf
                    if rng.random() < float(params["expiry_override_share"]):
                        shorter = int(shelf * float(params["expiry_override_factor"]))
                        if expiry - dt.timedelta(days=shorter) <= ctx.offset(
                            -int(params["min_age_days"])
                        ):
                            life = shorter
                    production = expiry - dt.timedelta(days=life)
                else:
                    expiry = None
                    production = ctx.offset(-rng.randint(120, 2600))
                received = production + dt.timedelta(days=rng.randint(7, 60))
                opening = received <= start
                received = start if opening else weekday_not_after(received, last)
                price = material["reference_price"]
                spread = float(params["unit_cost_spread"])
                cost = (
                    (price * Decimal(str(round(rng.uniform(1 - spread, 1 + spread), 3)))).quantize(
                        ONE_CENT
                    )
                    if price is not None
                    else None
                )
                location = (
                    "队伍装备库"
                    if holder.tier == "team"
                    else f"{rng.choice('ABCD')}区-{rng.randint(1, 12):02d}排-{rng.randint(1, 4)}层"
                )
                lot = ledger.new_lot(
                    code,
                    holder,
                    production=production,
                    expiry=expiry,
                    source=source,
                    supplier=_supplier(ledger, rng, code, holder),
                    unit_cost=cost,
                    location=location,
                )
                ledger.at(received, P_RECEIPT, receipt(ledger, lot, size, opening))


def _finish_lots(ledger: Ledger) -> None:
    """Cache on_hand and set the last inspection date of every lot."""
    ctx = ledger.ctx
    rng = ctx.rng("inspections")
    stale = float(ledger.params["stale_inspection_share"])
    last = ctx.last_past_day
    for lot in ledger.lots:
        lot.row["on_hand"] = Decimal(lot.balance)
        received = lot.received_on or last
        if rng.random() < stale:
            inspected = ctx.offset(-rng.randint(200, 320))
        else:
            inspected = last - dt.timedelta(days=rng.randint(0, 60))
        lot.row["last_inspected_on"] = weekday_not_after(max(inspected, received), last)
