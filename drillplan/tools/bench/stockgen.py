"""Generated stock: lots with a realistic expiry spread and a ledger that adds up.

Each *origin* lot starts with a receipt and then sees issues, stock-count adjustments,
write-offs, rotations out and at most one transfer out (which makes a *destination* lot
at another holder: same material, batch and dates, starting with the transfer in). About
2 % of issues are reversed the same day. Quantities are whole thousandths, taken in date
order so that no lot's running balance ever goes below zero, and each lot's ``on_hand`` is
exactly the sum of its movements. Movements are written in date order across all lots, as a
real ledger grows, with ids in that order.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator
from dataclasses import dataclass, field

from drillplan.tools.bench import names
from drillplan.tools.bench.orggen import MaterialInfo, Row, iso
from drillplan.tools.bench.scales import AS_OF, Scale

LOT_COLUMNS = (
    "id", "material_id", "holder_id", "batch_no", "production_date", "expiry_date", "source",
    "supplier", "unit_cost", "location", "last_inspected_on", "on_hand", "row_version",
)  # fmt: skip
MOVEMENT_COLUMNS = (
    "id", "lot_id", "kind", "quantity", "moved_on", "recorded_at", "operator", "reason",
    "document_no", "counterpart", "transfer_ref", "reverses_id",
)  # fmt: skip

# kind, document prefix, reason
KINDS = (
    ("receipt", "RK", None),
    ("issue", "CK", "防汛抢险领用"),
    ("transfer_out", "DB", "调拨"),
    ("transfer_in", "DB", "调拨"),
    ("write_off", "BS", "报损"),
    ("rotation_out", "LH", "轮换出库"),
    ("adjustment", "PD", "盘点调整"),
    ("reversal", "CZ", "录入错误冲正"),
)
RECEIPT, ISSUE, T_OUT, T_IN, WRITE_OFF, ROT_OUT, ADJUST, REVERSAL = range(len(KINDS))
OUTFLOWS = (ISSUE, ADJUST, WRITE_OFF, ROT_OUT)
OUTFLOW_WEIGHTS = (60, 18, 12, 10)
TRANSFER_SHARE = 0.12  # share of lots that are transfer destinations
REVERSED_SHARE = 0.02  # share of issues booked by mistake and reversed
AS_OF_ORD = AS_OF.toordinal()

Event = tuple[int, int, int, int]  # lot id, kind, quantity in thousandths, transfer number


@dataclass
class Ledger:
    """Movements bucketed by day (ordinal), each day in the order they happened."""

    days: dict[int, list[Event]] = field(default_factory=dict)
    count: int = 0
    transfers: int = 0

    def add(self, day: int, event: Event) -> None:
        self.days.setdefault(day, []).append(event)
        self.count += 1


class StockGenerator:
    def __init__(
        self,
        scale: Scale,
        rng: random.Random,
        materials: list[MaterialInfo],
        depot_holders: list[int],
        team_holders: list[int],
    ) -> None:
        self.scale = scale
        self.rng = rng
        self.materials = materials
        self.depot_holders = depot_holders
        self.team_holders = team_holders
        self.ledger = Ledger()
        # origin lots have 1 receipt + k outflows; destinations have 1 transfer in + ~1 issue
        per_lot = scale.movements / scale.lots
        outflows = max(0.0, (per_lot - 2 * TRANSFER_SHARE) / (1 - TRANSFER_SHARE) - 1)
        self.mean_outflows = outflows / (1 + REVERSED_SHARE * OUTFLOW_WEIGHTS[0] / 100)
        self.transfer_prob = TRANSFER_SHARE / (1 - TRANSFER_SHARE)
        self.transfer: tuple[int, int] | None = None  # day and quantity of the last transfer

    def _holder(self) -> int:
        if self.team_holders and self.rng.random() < 0.15:
            return self.rng.choice(self.team_holders)
        return self.rng.choice(self.depot_holders)

    def _dates(self, m: MaterialInfo) -> tuple[dt.date | None, dt.date | None, int]:
        """Production date, expiry date and receipt day (ordinal) of a new origin lot."""
        rng = self.rng
        shelf = m.shelf_life_days
        if shelf is None:
            produced = AS_OF - dt.timedelta(days=int(rng.uniform(0, 3650)))
            return produced, None, min(AS_OF_ORD, produced.toordinal() + rng.randrange(60))
        if rng.random() < 0.05:  # only the printed expiry date is known
            expiry = AS_OF + dt.timedelta(days=int(rng.uniform(-0.15 * shelf, shelf)))
            received = expiry.toordinal() - int(shelf * rng.uniform(0.3, 1.0))
            return None, expiry, min(AS_OF_ORD, received)
        produced = AS_OF - dt.timedelta(days=int(rng.uniform(0, 1.15 * shelf)))
        expiry = produced + dt.timedelta(days=shelf)
        return produced, expiry, min(AS_OF_ORD, produced.toordinal() + rng.randrange(60))

    def _receipt_qty(self, m: MaterialInfo) -> int:
        whole = self.rng.randint(1, 20) if m.bulky else self.rng.randint(10, 2000)
        if m.decimals:
            return whole * 1000 + self.rng.randrange(10) * 100
        return whole * 1000

    def _part(self, m: MaterialInfo, remaining: int, low: float, high: float) -> int:
        """A part of ``remaining`` in the material's unit step, at least one step."""
        step = 100 if m.decimals else 1000
        take = int(remaining * self.rng.uniform(low, high)) // step * step
        return min(remaining, max(step, take))

    def _outflows(
        self, lot_id: int, m: MaterialInfo, qty: int, start: int, n: int, transfer_at: int
    ) -> int:
        """Post ``n`` later movements of lot ``lot_id`` holding ``qty``; the balance left.

        Movement number ``transfer_at`` (if in range and stock is left) is a transfer to
        lot ``lot_id + 1``, whose day and quantity are kept in ``self.transfer``.
        """
        rng, ledger = self.rng, self.ledger
        step = 100 if m.decimals else 1000
        days = sorted(rng.randint(start, AS_OF_ORD) for _ in range(n))
        for i, day in enumerate(days):
            kind = T_OUT if i == transfer_at else rng.choices(OUTFLOWS, OUTFLOW_WEIGHTS)[0]
            if qty <= 0 or (kind == ADJUST and rng.random() < 0.4):
                delta = self._part(m, max(qty, step), 0.01, 0.03)  # counted more than booked
                ledger.add(day, (lot_id, ADJUST, delta, 0))
                qty += delta
                continue
            if kind == ADJUST:
                delta = self._part(m, qty, 0.01, 0.03)
                ledger.add(day, (lot_id, ADJUST, -delta, 0))
                qty -= delta
                continue
            take = qty if i == n - 1 and rng.random() < 0.25 else self._part(m, qty, 0.05, 0.4)
            if kind == T_OUT:
                ledger.transfers += 1
                ledger.add(day, (lot_id, T_OUT, -take, ledger.transfers))
                ledger.add(day, (lot_id + 1, T_IN, take, ledger.transfers))
                self.transfer = (day, take)
            else:
                ledger.add(day, (lot_id, kind, -take, 0))
                if kind == ISSUE and rng.random() < REVERSED_SHARE:  # booked by mistake, reversed
                    ledger.add(day, (lot_id, REVERSAL, take, 0))
                    take = 0
            qty -= take
        return qty

    def lots(self) -> Iterator[Row]:
        """Every lot row (ids 1..lots); the ledger fills up as they are made."""
        rng, scale = self.rng, self.scale
        lot_id = 0
        while lot_id < scale.lots:
            lot_id += 1
            m = rng.choice(self.materials)
            holder = self._holder()
            produced, expiry, received = self._dates(m)
            qty = self._receipt_qty(m)
            self.ledger.add(received, (lot_id, RECEIPT, qty, 0))
            n = int(rng.random() * 2 * self.mean_outflows + 0.5)
            transfer_at = -1
            if n and lot_id < scale.lots and rng.random() < self.transfer_prob:
                transfer_at = rng.randrange(n)
            self.transfer = None
            balance = self._outflows(lot_id, m, qty, received, n, transfer_at)
            batch = f"B{dt.date.fromordinal(received).year}-{lot_id:07d}"
            supplier = rng.choice(names.SUPPLIERS)
            cost = round(m.price * rng.uniform(0.8, 1.2), 2) if rng.random() < 0.9 else None
            yield self._lot_row(lot_id, m, holder, batch, produced, expiry, supplier, cost, balance)
            if self.transfer is None:
                continue
            lot_id += 1
            other = self._holder()
            while other == holder:
                other = self._holder()
            day, moved = self.transfer
            later = int(rng.random() * 2.0 + 0.5)
            balance = self._outflows(lot_id, m, moved, day, later, -1)
            yield self._lot_row(lot_id, m, other, batch, produced, expiry, supplier, cost, balance)

    def _lot_row(
        self,
        lot_id: int,
        m: MaterialInfo,
        holder: int,
        batch: str,
        produced: dt.date | None,
        expiry: dt.date | None,
        supplier: str,
        cost: float | None,
        balance: int,
    ) -> Row:
        rng = self.rng
        location = f"{rng.choice('ABCDEF')}区-{rng.randint(1, 40):02d}-{rng.randint(1, 5)}"
        inspected = AS_OF - dt.timedelta(days=rng.randrange(400)) if rng.random() < 0.7 else None
        return (
            lot_id,
            m.id,
            holder,
            batch,
            iso(produced),
            iso(expiry),
            "采购",
            supplier,
            cost,
            location,
            iso(inspected),
            _qty(balance),
            1,
        )

    def movements(self, operators: list[str]) -> Iterator[Row]:
        """Every movement row in date order (ids 1..n); consumes the ledger."""
        movement_id = 0
        days = self.ledger.days
        for day in sorted(days):
            date_text = dt.date.fromordinal(day).isoformat()
            recorded = f"{date_text} 17:30:00"
            for lot_id, kind, qty, ref in days.pop(day):
                movement_id += 1
                name, prefix, reason = KINDS[kind]
                yield (
                    movement_id,
                    lot_id,
                    name,
                    _qty(qty),
                    date_text,
                    recorded,
                    operators[lot_id % len(operators)],
                    reason,
                    f"{prefix}{movement_id:09d}",
                    names.SUPPLIERS[lot_id % len(names.SUPPLIERS)] if kind == RECEIPT else None,
                    f"TR-{ref:010d}" if ref else None,
                    movement_id - 1 if kind == REVERSAL else None,
                )


def _qty(thousandths: int) -> int | float:
    """A quantity as SQLite stores a Numeric: an integer when whole, else a float."""
    whole, rest = divmod(thousandths, 1000)
    return whole if rest == 0 else thousandths / 1000
