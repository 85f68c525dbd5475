"""Random sequences of ledger operations keep every invariant (hypothesis stateful test).

Invariants after every step: no lot is below zero; every lot's on-hand equals its ledger
sum; transfers conserve each material's total; a rejected operation changes nothing.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule
from sqlalchemy import func, select

from drillplan.db.database import open_db
from drillplan.db.models import Holder, Lot, Material, Movement
from drillplan.kernel.errors import ValidationError
from drillplan.stock import ledger
from drillplan.stock.check import run_checks
from drillplan.stock.holders import holder_for_team
from tests import factories as f

TODAY = dt.date(2025, 12, 31)
DAYS = st.integers(min_value=0, max_value=364).map(lambda d: dt.date(2025, 1, 1) + dt.timedelta(d))
QTY = st.integers(min_value=-2, max_value=40)

_TEMPLATE: Path | None = None


def _template() -> Path:
    """A migrated database with a few holders and materials, copied for every example."""
    global _TEMPLATE
    if _TEMPLATE is None:
        path = Path(tempfile.mkdtemp()) / "template.sqlite3"
        database = open_db(path)
        with database.session() as session:
            u = f.unit(session)
            f.material(session, code="2010101", shelf_life_days=200)
            f.material(session, code="1010201", name="帐篷", uom="顶", shelf_life_days=None)
            f.depot(session, u, code="D1")
            f.depot(session, u, code="D2")
            team = f.team(session, u, code="T1")
            holder_for_team(session, team.id)
        database.close()
        _TEMPLATE = path
    return _TEMPLATE


class LedgerMachine(RuleBasedStateMachine):
    @initialize()
    def open(self) -> None:
        self.dir = Path(tempfile.mkdtemp())
        path = self.dir / "db.sqlite3"
        shutil.copy(_template(), path)
        self.db = open_db(path)
        with self.db.sessions() as session:
            self.holders = list(session.scalars(select(Holder.id).order_by(Holder.id)))
            self.materials = list(session.scalars(select(Material.id).order_by(Material.id)))
        self.expected_totals: dict[int, Decimal] = {m: Decimal(0) for m in self.materials}
        self.batch_counter = 0

    def teardown(self) -> None:
        if hasattr(self, "db"):
            self.db.close()
            shutil.rmtree(self.dir, ignore_errors=True)

    def _snapshot(self) -> tuple:
        with self.db.sessions() as session:
            lots = session.execute(select(Lot.id, Lot.on_hand).order_by(Lot.id)).all()
            moves = session.scalar(select(func.count()).select_from(Movement))
        return tuple(lots), moves

    def _attempt(self, action) -> object | None:  # type: ignore[no-untyped-def]
        """Run one operation in its own transaction; a rejection must change nothing."""
        before = self._snapshot()
        try:
            with self.db.session() as session:
                return action(session)
        except ValidationError as exc:
            assert exc.field and exc.message
            assert self._snapshot() == before
            return None

    def _lots(self) -> list[int]:
        with self.db.sessions() as session:
            return list(session.scalars(select(Lot.id).order_by(Lot.id)))

    @rule(
        holder=st.integers(0, 2),
        material=st.integers(0, 1),
        qty=QTY,
        on=DAYS,
        new_batch=st.booleans(),
    )
    def receive(self, holder: int, material: int, qty: int, on: dt.date, new_batch: bool) -> None:
        if new_batch:
            self.batch_counter += 1
        batch = f"B{self.batch_counter}"
        mid = self.materials[material]
        done = self._attempt(
            lambda s: ledger.receive(
                s,
                holder_id=self.holders[holder],
                material_id=mid,
                quantity=qty,
                on=on,
                batch_no=batch,
                production_date=dt.date(2024, 12, 1),
                today=TODAY,
            )
        )
        if done is not None:
            self.expected_totals[mid] += qty

    @rule(holder=st.integers(0, 2), material=st.integers(0, 1), qty=QTY, on=DAYS)
    def issue(self, holder: int, material: int, qty: int, on: dt.date) -> None:
        mid = self.materials[material]
        done = self._attempt(
            lambda s: ledger.issue(
                s,
                holder_id=self.holders[holder],
                material_id=mid,
                quantity=qty,
                on=on,
                today=TODAY,
            )
        )
        if done is not None:
            self.expected_totals[mid] -= qty

    @rule(src=st.integers(0, 2), dst=st.integers(0, 2), material=st.integers(0, 1), qty=QTY)
    def transfer(self, src: int, dst: int, material: int, qty: int) -> None:
        self._attempt(
            lambda s: ledger.transfer(
                s,
                from_holder_id=self.holders[src],
                to_holder_id=self.holders[dst],
                material_id=self.materials[material],
                quantity=qty,
                on=dt.date(2025, 1, 1),
                today=TODAY,
            )
        )

    @rule(pick=st.integers(0, 50), qty=QTY)
    def write_off(self, pick: int, qty: int) -> None:
        lots = self._lots()
        if not lots:
            return
        lot_id = lots[pick % len(lots)]
        with self.db.sessions() as session:
            mid = session.get_one(Lot, lot_id).material_id
        done = self._attempt(
            lambda s: ledger.write_off(
                s, lot_id=lot_id, quantity=qty, on=TODAY, reason="damaged", today=TODAY
            )
        )
        if done is not None:
            self.expected_totals[mid] -= qty

    @rule(pick=st.integers(0, 50), counted=st.integers(-1, 60))
    def count(self, pick: int, counted: int) -> None:
        lots = self._lots()
        if not lots:
            return
        lot_id = lots[pick % len(lots)]
        with self.db.sessions() as session:
            lot = session.get_one(Lot, lot_id)
            holder, mid, before = lot.holder_id, lot.material_id, Decimal(lot.on_hand)
        done = self._attempt(
            lambda s: ledger.count(
                s, holder_id=holder, counted={lot_id: counted}, on=TODAY, today=TODAY
            )
        )
        if done is not None:
            self.expected_totals[mid] += Decimal(counted) - before

    @rule(pick=st.integers(0, 200))
    def reverse(self, pick: int) -> None:
        with self.db.sessions() as session:
            moves = session.execute(
                select(Movement.id, Movement.quantity, Movement.transfer_ref, Lot.material_id)
                .join(Lot, Lot.id == Movement.lot_id)
                .order_by(Movement.id)
            ).all()
        if not moves:
            return
        mid, qty, ref, material = moves[pick % len(moves)]
        done = self._attempt(
            lambda s: ledger.reverse(s, movement_id=mid, on=TODAY, reason="录入错误", today=TODAY)
        )
        if done is not None and ref is None:
            self.expected_totals[material] -= Decimal(qty)

    @invariant()
    def ledger_is_consistent(self) -> None:
        if not hasattr(self, "db"):
            return
        with self.db.sessions() as session:
            assert run_checks(session) == []
            assert session.scalar(select(func.count()).where(Lot.on_hand < 0)) == 0
            totals = dict(
                session.execute(
                    select(Lot.material_id, func.sum(Lot.on_hand)).group_by(Lot.material_id)
                ).all()
            )
        for material, expected in self.expected_totals.items():
            assert Decimal(totals.get(material) or 0) == expected


LedgerMachine.TestCase.settings = settings(
    max_examples=25,
    stateful_step_count=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLedger = LedgerMachine.TestCase
