"""The demo ledger simulation: lots, their holders and a queue of dated events.

Every movement is produced by running the queue in date order, so a lot's balance never
goes below zero and its ``on_hand`` is exactly the sum of its movements. A lot schedules its
own rotation or expiry write-off when it arrives.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from drillplan.demo.context import Ctx
from drillplan.kernel.vocab import MovementKind

MK = MovementKind
# Same-day order: stock arrives before it moves, counts come last.
P_RECEIPT, P_TRANSFER, P_ISSUE, P_ROTATION, P_WRITE_OFF, P_COUNT = range(6)


@dataclass
class HolderInfo:
    key: str  # "depot:CODE" or "team:CODE"
    id: int
    tier: str  # a DepotTier value or "team"
    name: str
    owner_name: str
    keeper: str


@dataclass
class LotState:
    id: int
    material: str
    holder: HolderInfo
    batch: str
    production: dt.date | None
    expiry: dt.date | None
    row: dict[str, Any]
    balance: int = 0
    live: bool = False
    received_on: dt.date | None = None

    def usable_on(self, day: dt.date) -> bool:
        return self.live and self.balance > 0 and (self.expiry is None or self.expiry >= day)

    def fefo_key(self) -> tuple:
        return (self.expiry or dt.date.max, self.production or dt.date.min, self.id)


@dataclass
class Ledger:
    """The simulation state: lots by holder and material, the event queue, the counters."""

    ctx: Ctx
    params: dict[str, Any]
    materials: dict[str, dict[str, Any]]
    holders: dict[str, HolderInfo]
    lots: list[LotState] = field(default_factory=list)
    index: dict[tuple[str, str], list[LotState]] = field(default_factory=dict)
    queue: list[tuple] = field(default_factory=list)
    seq: itertools.count = field(default_factory=itertools.count)
    docs: dict[str, int] = field(default_factory=dict)
    batch_seq: itertools.count = field(default_factory=lambda: itertools.count(1))
    now: dt.date = dt.date.min

    # ------------------------------------------------------------- events

    def at(self, day: dt.date, priority: int, action: Callable[[dt.date], None]) -> None:
        """Queue ``action`` for ``day`` (never before the day being simulated)."""
        assert day >= self.now, (day, self.now)
        heapq.heappush(self.queue, (day, priority, next(self.seq), action))

    def run(self) -> None:
        """Run every queued event in (date, same-day priority, queue order) order."""
        while self.queue:
            day, _prio, _n, action = heapq.heappop(self.queue)
            self.now = day
            action(day)

    def doc(self, prefix: str, day: dt.date) -> str:
        key = f"{prefix}{day:%Y%m%d}"
        self.docs[key] = self.docs.get(key, 0) + 1
        return f"{key}-{self.docs[key]:03d}"

    # ---------------------------------------------------------------- rows

    def move(
        self,
        lot: LotState,
        kind: MovementKind,
        qty: int,
        day: dt.date,
        *,
        reason: str | None,
        document_no: str | None,
        counterpart: str | None,
        transfer_ref: str | None = None,
    ) -> None:
        assert qty != 0 and day <= self.ctx.last_past_day
        lot.balance += qty
        assert lot.balance >= 0, (lot.batch, kind, qty)
        self.ctx.add(
            "movement",
            {
                "lot_id": lot.id,
                "kind": kind,
                "quantity": Decimal(qty),
                "moved_on": day,
                "operator": lot.holder.keeper,
                "reason": reason,
                "document_no": document_no,
                "counterpart": counterpart,
                "transfer_ref": transfer_ref,
                "reverses_id": None,
            },
        )

    def new_lot(
        self,
        material: str,
        holder: HolderInfo,
        *,
        production: dt.date | None,
        expiry: dt.date | None,
        source: str,
        supplier: str | None,
        unit_cost: Decimal | None,
        location: str,
        batch: str | None = None,
    ) -> LotState:
        if batch is None:
            stamp = production or self.ctx.base
            batch = f"PC{stamp:%y%m%d}{next(self.batch_seq):04d}"
        row = {
            "material_id": self.ctx.id_of("material", material),
            "holder_id": holder.id,
            "batch_no": batch,
            "production_date": production,
            "expiry_date": expiry,
            "source": source,
            "supplier": supplier,
            "unit_cost": unit_cost,
            "location": location,
            "last_inspected_on": None,
            "on_hand": Decimal(0),
        }
        lot_id = self.ctx.add("lot", row)
        lot = LotState(lot_id, material, holder, batch, production, expiry, row)
        self.lots.append(lot)
        self.index.setdefault((holder.key, material), []).append(lot)
        return lot

    def usable(self, holder: HolderInfo, material: str, day: dt.date) -> list[LotState]:
        lots = self.index.get((holder.key, material), [])
        return sorted((lot for lot in lots if lot.usable_on(day)), key=LotState.fefo_key)

    def allocate(
        self, holder: HolderInfo, material: str, qty: int, day: dt.date, *, newest_first=False
    ) -> list[tuple[LotState, int]]:
        """FEFO (or newest first) picks covering up to ``qty`` of usable stock."""
        lots = self.usable(holder, material, day)
        if newest_first:
            lots.sort(key=lambda lot: (lot.received_on or dt.date.min, lot.id), reverse=True)
        picks = []
        for lot in lots:
            if qty <= 0:
                break
            take = min(qty, lot.balance)
            picks.append((lot, take))
            qty -= take
        return picks


def weekday_not_after(day: dt.date, last: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    while day > last or day.weekday() >= 5:
        day -= dt.timedelta(days=1)
    return day


def holders_for(ledger: Ledger, spec: str) -> list[HolderInfo]:
    if spec.startswith("tier:"):
        tier = spec.split(":", 1)[1]
        return [h for h in ledger.holders.values() if h.tier == tier and h.key.startswith("depot:")]
    if spec.startswith("team:"):
        return [ledger.holders[spec]]
    return [ledger.holders[f"depot:{spec}"]]


def add_weekdays(day: dt.date, n: int) -> dt.date:
    while n > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def receipt(ledger: Ledger, lot: LotState, qty: int, opening: bool) -> Callable[[dt.date], None]:
    def run(day: dt.date) -> None:
        holder_code = lot.holder.key.split(":", 1)[1]
        ledger.move(
            lot,
            MK.RECEIPT,
            qty,
            day,
            reason=ledger.params["opening_reason"] if opening else "采购入库",
            document_no=f"QC-{holder_code}" if opening else ledger.doc("RK", day),
            counterpart=lot.row["supplier"],
        )
        arrived(ledger, lot, day)

    return run


def arrived(ledger: Ledger, lot: LotState, day: dt.date) -> None:
    """A lot became live: schedule its write-off or rotation if the data calls for one."""
    lot.live = True
    lot.received_on = day
    ctx, params = ledger.ctx, ledger.params
    rng = ctx.rng(f"lot:{lot.id}")
    last = ctx.last_past_day
    if lot.expiry is None:
        return
    material = ledger.materials[lot.material]
    rotation = params["rotation"]
    if material["needs_rotation"] and lot.holder.tier in rotation["tiers"]:
        when = lot.expiry - dt.timedelta(days=rng.randint(*rotation["lead_days"]))
        if day < when <= last and rng.random() < float(rotation["share"]):
            ledger.at(weekday_not_after(when, last), P_ROTATION, _rotate(ledger, lot))
            return
    write_off = params["write_off"]
    when = max(lot.expiry, day) + dt.timedelta(days=rng.randint(*write_off["after_days"]))
    if when <= last and rng.random() < float(write_off["share"]):
        ledger.at(weekday_not_after(when, last), P_WRITE_OFF, _write_off(ledger, lot))


def _rotate(ledger: Ledger, lot: LotState) -> Callable[[dt.date], None]:
    def run(day: dt.date) -> None:
        if lot.balance <= 0:
            return
        qty = lot.balance
        rng = ledger.ctx.rng(f"rotate:{lot.id}")
        reason = ledger.params["rotation"]["reason"]
        doc = ledger.doc("LH", day)
        ledger.move(
            lot,
            MK.ROTATION_OUT,
            -qty,
            day,
            reason=reason,
            document_no=doc,
            counterpart=lot.row["supplier"],
        )
        production = day - dt.timedelta(days=rng.randint(5, 30))
        shelf = ledger.materials[lot.material]["shelf_life_days"]
        fresh = ledger.new_lot(
            lot.material,
            lot.holder,
            production=production,
            expiry=production + dt.timedelta(days=shelf) if shelf else None,
            source="轮换入库",
            supplier=lot.row["supplier"],
            unit_cost=lot.row["unit_cost"],
            location=lot.row["location"],
        )
        ledger.move(
            fresh,
            MK.ROTATION_IN,
            qty,
            day,
            reason=reason,
            document_no=doc,
            counterpart=lot.row["supplier"],
        )
        arrived(ledger, fresh, day)

    return run


def _write_off(ledger: Ledger, lot: LotState) -> Callable[[dt.date], None]:
    def run(day: dt.date) -> None:
        if lot.balance > 0:
            ledger.move(
                lot,
                MK.WRITE_OFF,
                -lot.balance,
                day,
                reason=ledger.params["write_off"]["reason"],
                document_no=ledger.doc("BS", day),
                counterpart=None,
            )

    return run
