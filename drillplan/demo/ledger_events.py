"""Scripted and random ledger events of the demo: transfers, incident issues,
requisitions, damage write-offs and stock-count adjustments (parameters in ledger.json)."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from drillplan.demo.context import with_year
from drillplan.demo.ledger import (
    MK,
    P_COUNT,
    P_ISSUE,
    P_TRANSFER,
    P_WRITE_OFF,
    HolderInfo,
    Ledger,
    LotState,
    add_weekdays,
    arrived,
    holders_for,
    weekday_not_after,
)


def plan_events(ledger: Ledger) -> None:
    """Queue every scripted and random event of ledger.json."""
    _plan_transfers(ledger)
    _plan_incidents(ledger)
    _plan_requisitions(ledger)
    _plan_damage(ledger)
    _plan_counts(ledger)


def _plan_transfers(ledger: Ledger) -> None:
    for spec in ledger.params["transfers"]:
        source = holders_for(ledger, spec["from"])[0]
        targets = holders_for(ledger, spec["to"])
        first = ledger.ctx.day_req(spec["date"])
        for i, target in enumerate(targets):
            day = add_weekdays(first, i * int(spec.get("stagger_days", 0)))
            if day <= ledger.ctx.last_past_day:
                ledger.at(day, P_TRANSFER, _transfer(ledger, spec, source, target))


def _transfer(
    ledger: Ledger, spec: dict[str, Any], source: HolderInfo, target: HolderInfo
) -> Callable[[dt.date], None]:
    def run(day: dt.date) -> None:
        doc = ledger.doc("DB", day)
        reason = with_year(spec["reason"], day.year)
        for code, qty in spec["items"]:
            picks = ledger.allocate(
                source, code, int(qty), day, newest_first=bool(spec.get("newest_first"))
            )
            for lot, take in picks:
                ref = f"{doc.replace('-', '')}{lot.id:05d}"
                ledger.move(
                    lot,
                    MK.TRANSFER_OUT,
                    -take,
                    day,
                    reason=reason,
                    document_no=doc,
                    counterpart=target.name,
                    transfer_ref=ref,
                )
                dest = next(
                    (
                        other
                        for other in ledger.index.get((target.key, code), [])
                        if other.batch == lot.batch
                    ),
                    None,
                )
                if dest is None:
                    dest = ledger.new_lot(
                        code,
                        target,
                        production=lot.production,
                        expiry=lot.expiry,
                        source="调拨入库",
                        supplier=lot.row["supplier"],
                        unit_cost=lot.row["unit_cost"],
                        location="队伍装备库" if target.tier == "team" else "调入待上架区",
                        batch=lot.batch,
                    )
                ledger.move(
                    dest,
                    MK.TRANSFER_IN,
                    take,
                    day,
                    reason=reason,
                    document_no=doc,
                    counterpart=source.name,
                    transfer_ref=ref,
                )
                if not dest.live:
                    arrived(ledger, dest, day)

    return run


def _issue(
    ledger: Ledger,
    holder: HolderInfo,
    code: str,
    qty: int,
    day: dt.date,
    reason: str,
    counterpart: str | None,
) -> None:
    picks = ledger.allocate(holder, code, qty, day)
    if not picks:
        return
    doc = ledger.doc("CK", day)
    for lot, take in picks:
        ledger.move(
            lot, MK.ISSUE, -take, day, reason=reason, document_no=doc, counterpart=counterpart
        )


def _plan_incidents(ledger: Ledger) -> None:
    for n, incident in enumerate(ledger.params["incidents"]):
        day = ledger.ctx.day_req(incident["date"])
        if day <= ledger.ctx.last_past_day:
            ledger.at(day, P_ISSUE, _incident(ledger, incident, n))


def _incident(ledger: Ledger, incident: dict[str, Any], n: int) -> Callable[[dt.date], None]:
    def run(day: dt.date) -> None:
        rng = ledger.ctx.rng(f"incident:{n}")
        reason = with_year(incident["name"], day.year) + "应急领用"
        for issue in incident["issues"]:
            holders = holders_for(ledger, issue["holder"])
            if "pick" in issue:
                holders = rng.sample(holders, min(int(issue["pick"]), len(holders)))
            for holder in holders:
                for code, (lo, hi) in issue["items"]:
                    _issue(
                        ledger,
                        holder,
                        code,
                        rng.randint(lo, hi),
                        day,
                        reason,
                        incident.get("counterpart"),
                    )

    return run


def _random_days(ledger: Ledger, rng: random.Random, count: int, lo: int, hi: int) -> list:
    last = ledger.ctx.last_past_day
    return [weekday_not_after(ledger.ctx.offset(rng.randint(lo, hi)), last) for _ in range(count)]


def _plan_requisitions(ledger: Ledger) -> None:
    spec = ledger.params["requisitions"]
    rng = ledger.ctx.rng("requisitions")
    days = _random_days(ledger, rng, int(spec["count"]), spec["date_from"], spec["date_to"])
    for n, day in enumerate(days):
        ledger.at(day, P_ISSUE, _requisition(ledger, spec, n))


def _requisition(ledger: Ledger, spec: dict[str, Any], n: int) -> Callable[[dt.date], None]:
    def run(day: dt.date) -> None:
        rng = ledger.ctx.rng(f"requisition:{n}")
        allowed = set(spec["materials"])
        options = sorted(
            (holder_key, code)
            for (holder_key, code), lots in ledger.index.items()
            if code in allowed and sum(lot.balance for lot in lots if lot.usable_on(day)) >= 2
        )
        if not options:
            return
        holder_key, code = rng.choice(options)
        holder = ledger.holders[holder_key]
        available = sum(lot.balance for lot in ledger.usable(holder, code, day))
        qty = max(1, int(available * rng.uniform(*spec["share"])))
        reason = rng.choice(spec["reasons"])
        counterpart = holder.name if holder.tier == "team" else holder.owner_name
        _issue(ledger, holder, code, qty, day, reason, counterpart)

    return run


def _live_lots(ledger: Ledger, minimum: int) -> list[LotState]:
    return [lot for lot in ledger.lots if lot.live and lot.balance >= minimum]


def _plan_damage(ledger: Ledger) -> None:
    spec = ledger.params["damage_write_offs"]
    rng = ledger.ctx.rng("damage")
    days = _random_days(ledger, rng, int(spec["count"]), spec["date_from"], spec["date_to"])

    def damage(n: int) -> Callable[[dt.date], None]:
        def run(day: dt.date) -> None:
            r = ledger.ctx.rng(f"damage:{n}")
            lot = r.choice(_live_lots(ledger, 10))
            qty = max(1, int(lot.balance * r.uniform(*spec["share"])))
            ledger.move(
                lot,
                MK.WRITE_OFF,
                -qty,
                day,
                reason=r.choice(spec["reasons"]),
                document_no=ledger.doc("BS", day),
                counterpart=None,
            )

        return run

    for n, day in enumerate(days):
        ledger.at(day, P_WRITE_OFF, damage(n))


def _plan_counts(ledger: Ledger) -> None:
    for n, count in enumerate(ledger.params["stock_counts"]):
        day = ledger.ctx.day_req(count["date"])
        if day > ledger.ctx.last_past_day:
            continue

        def run(day: dt.date, count: dict[str, Any] = count, n: int = n) -> None:
            rng = ledger.ctx.rng(f"count:{n}")
            candidates = _live_lots(ledger, 20)
            doc = ledger.doc("PD", day)
            for lot in rng.sample(candidates, min(int(count["lots"]), len(candidates))):
                qty = rng.randint(1, 3) * rng.choice((1, -1))
                reason = count["reason_plus"] if qty > 0 else count["reason_minus"]
                ledger.move(
                    lot, MK.ADJUSTMENT, qty, day, reason=reason, document_no=doc, counterpart=None
                )

        ledger.at(day, P_COUNT, run)
