"""Measure the core on a generated data set against hand-written baselines and fixed floors.

Three figures, each compared with its floor:

* ``expiry_summary`` (the expiry audit summary, one SQLAlchemy query) against the same
  aggregate written as one raw SQL query on the same file: best of 3 each, ratio <= 1.5;
* ``receive_batch`` of 100,000 receipts against a raw ``sqlite3`` executemany of the same
  100,000 movement rows: best of 3 each, in transactions that are rolled back (the data set
  stays as generated), rows per second ratio >= 1/3;
* ``drillplan check`` (open the file, :func:`run_checks`) once: under 10 seconds and clean.
"""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import random
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from drillplan.db.database import Database, open_db
from drillplan.stock.bulk import ReceiptRow, receive_batch
from drillplan.stock.check import run_checks
from drillplan.stock.expiry import expiry_summary
from drillplan.tools.bench import rawsql
from drillplan.tools.bench.generate import Dataset
from drillplan.tools.bench.scales import AS_OF

T = TypeVar("T")
RECEIPTS = 100_000
TOP_UP_SHARE = 0.25  # receipts into lots already held; the rest are new batches
REPEATS = 3


@dataclass
class Figure:
    key: str
    label: str
    value: float
    unit: str
    floor: float
    comparison: str  # "<=" or ">="
    details: dict[str, object] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.value <= self.floor if self.comparison == "<=" else self.value >= self.floor

    def as_dict(self) -> dict[str, object]:
        return {
            "key": self.key,
            "label": self.label,
            "value": None if math.isinf(self.value) else self.value,  # JSON has no infinity
            "unit": self.unit,
            "floor": self.floor,
            "comparison": self.comparison,
            "passed": self.passed,
            "details": self.details,
        }


def timed(fn: Callable[[], T]) -> tuple[float, T]:
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def best_of(*fns: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    """Best time of each function, the functions taking turns (one untimed warm-up each)."""
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    for _ in range(repeats):
        for i, fn in enumerate(fns):
            best[i] = min(best[i], timed(fn)[0])
    return best


# ----------------------------------------------------------------------------- expiry summary


def measure_expiry(database: Database, path: Path) -> Figure:
    raw = rawsql.connect(path)
    try:
        with database.sessions() as session:
            core_rows = expiry_summary(session, as_of=AS_OF)
            raw_rows = rawsql.expiry_summary(raw, as_of=AS_OF)
            if not rawsql.same_summary(core_rows, raw_rows):
                raise AssertionError(f"summaries differ:\n{core_rows}\n{raw_rows}")
            core_s, raw_s = best_of(
                lambda: expiry_summary(session, as_of=AS_OF),
                lambda: rawsql.expiry_summary(raw, as_of=AS_OF),
            )
    finally:
        raw.close()
    return Figure(
        "expiry_summary_ratio",
        "expiry summary: expiry_summary / raw SQL time",
        round(core_s / raw_s, 3),
        "x",
        1.5,
        "<=",
        {
            "core_seconds": round(core_s, 4),
            "raw_seconds": round(raw_s, 4),
            "lots_counted": sum(r.lots for r in core_rows),
            "groups": len(core_rows),
            "summary": [
                {"tier": r.tier, "status": r.status, "lots": r.lots, "quantity": r.quantity}
                for r in core_rows
            ],
        },
    )


# ----------------------------------------------------------------------------- batch receive


@dataclass
class Receipts:
    rows: list[ReceiptRow]
    raw: list[tuple[object, ...]]  # the same movements as plain tuples for sqlite3
    top_ups: int
    new_batches: int


def make_receipts(path: Path, n: int = RECEIPTS, seed: int = 7) -> Receipts:
    """``n`` receipts: a quarter top up lots already held, the rest are new batches."""
    rng = random.Random(f"receipts:{seed}")
    conn = sqlite3.connect(path)
    try:
        lots = conn.execute("SELECT max(id) FROM lot").fetchone()[0]
        holders = [h for (h,) in conn.execute("SELECT id FROM holder ORDER BY id")]
        materials = [m for (m,) in conn.execute("SELECT id FROM material ORDER BY id")]
        picks = [rng.randint(1, lots) for _ in range(int(n * TOP_UP_SHARE))]
        known: dict[int, tuple[int, int, str, str | None, str | None]] = {}
        wanted = sorted(set(picks))
        for start in range(0, len(wanted), 900):
            chunk = wanted[start : start + 900]
            sql = (
                "SELECT id, holder_id, material_id, batch_no, production_date, expiry_date"
                f" FROM lot WHERE id IN ({', '.join('?' * len(chunk))})"
            )
            known.update((r[0], r[1:]) for r in conn.execute(sql, chunk))
    finally:
        conn.close()

    def date(text: str | None) -> dt.date | None:
        return dt.date.fromisoformat(text) if text else None

    rows: list[ReceiptRow] = []
    lot_of_row: list[int] = []
    for lot_id in picks:
        holder, material, batch, produced, expiry = known[lot_id]
        quantity = Decimal(rng.randint(1, 50))
        rows.append(
            ReceiptRow(holder, material, batch, quantity, AS_OF, date(produced), date(expiry))
        )
        lot_of_row.append(lot_id)
    new_batches = 0
    while len(rows) < n:
        new_batches += 1
        on = AS_OF - dt.timedelta(days=rng.randrange(30))
        produced = on - dt.timedelta(days=rng.randrange(200))
        holder, material = rng.choice(holders), rng.choice(materials)
        for _ in range(min(n - len(rows), 2 if rng.random() < 0.2 else 1)):
            rows.append(
                ReceiptRow(
                    holder_id=holder,
                    material_id=material,
                    batch_no=f"BENCH-{new_batches:07d}",
                    quantity=Decimal(rng.randint(10, 500)),
                    on=on,
                    production_date=produced,
                    unit_cost=Decimal(rng.randint(100, 50000)) / 100,
                    supplier="上海应急物资有限公司",
                    document_no=f"RK-BENCH-{len(rows) + 1:07d}",
                )
            )
            lot_of_row.append(rng.randint(1, lots))
    order = list(range(n))
    rng.shuffle(order)
    rows = [rows[i] for i in order]
    raw = [_raw_row(lot_of_row[i], r) for i, r in zip(order, rows, strict=True)]
    return Receipts(rows, raw, top_ups=len(picks), new_batches=new_batches)


def _raw_row(lot_id: int, r: ReceiptRow) -> tuple[object, ...]:
    """A receipt as the tuple :data:`rawsql.MOVEMENT_INSERT` takes (as SQLite stores it)."""
    assert isinstance(r.quantity, Decimal)
    quantity = float(r.quantity)
    on, doc, supplier = r.on.isoformat(), r.document_no, r.supplier
    return (lot_id, "receipt", quantity, on, "bench", None, doc, supplier, None, None)


def measure_receive(database: Database, path: Path, receipts: int = RECEIPTS) -> Figure:
    work = make_receipts(path, receipts)
    n = len(work.rows)
    lots_created: list[int] = []

    def core() -> None:
        with database.sessions() as session:
            session.begin()
            result = receive_batch(session, work.rows, operator="bench", today=AS_OF)
            lots_created.append(result.lots_created)
            session.rollback()

    raw = rawsql.connect(path)

    def plain() -> None:
        raw.execute("BEGIN")
        rawsql.insert_movements(raw, work.raw)
        raw.execute("ROLLBACK")

    try:
        core_s, raw_s = best_of(core, plain)
    finally:
        raw.close()
    core_rate, raw_rate = n / core_s, n / raw_s
    return Figure(
        "receive_batch_speed",
        f"receive {n:,} receipts: receive_batch / raw executemany rows/s",
        round(core_rate / raw_rate, 3),
        "x",
        round(1 / 3, 3),
        ">=",
        {
            "rows": n,
            "top_ups": work.top_ups,
            "new_lots": lots_created[-1],
            "core_seconds": round(core_s, 4),
            "raw_seconds": round(raw_s, 4),
            "core_rows_per_second": round(core_rate),
            "raw_rows_per_second": round(raw_rate),
        },
    )


# ----------------------------------------------------------------------------- check


def measure_check(path: Path) -> Figure:
    def check() -> int:
        database = open_db(path)
        try:
            with database.session() as session:
                return len(run_checks(session))
        finally:
            database.close()

    seconds, violations = timed(check)
    figure = Figure(
        "check_seconds", "drillplan check (open + run_checks)", round(seconds, 3), "s", 10.0, "<="
    )
    figure.details = {"violations": violations}
    if violations:  # a data set that fails its own check cannot pass
        figure.value = float("inf")
    return figure


# ----------------------------------------------------------------------------- all


def environment() -> dict[str, object]:
    return {
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def measure_reports(workdir: Path, lots: int) -> list[Figure]:
    from drillplan.tools.bench import report_speed

    r = report_speed.measure(workdir, lots)
    details = {k: round(v, 3) if isinstance(v, float) else v for k, v in r.items()}
    return [
        Figure(
            "report_seconds",
            f"expiry report of {lots:,} lots (PDF)",
            round(float(r["ours_seconds"]), 2),  # type: ignore[arg-type]
            "s",
            6.0,
            "<=",
            details,
        ),
        Figure(
            "report_speed_ratio",
            "report speed vs a bare ReportLab script (per-page tables)",
            round(float(r["speed_ratio"]), 2),  # type: ignore[arg-type]
            "x",
            0.8,
            ">=",
            details,
        ),
        Figure(
            "report_peak_rss_mb",
            "report peak resident memory",
            round(float(r["ours_peak_rss_mb"]), 1),  # type: ignore[arg-type]
            "MB",
            400.0,
            "<=",
            details,
        ),
    ]


def measure_import(workdir: Path, rows: int) -> Figure:
    from drillplan.tools.bench.interchange import bench_import

    result = bench_import(rows, workdir=workdir, formats=("xlsx", "csv"), repeats=2)
    worst = max(i["seconds"] for i in result["imports"])
    return Figure(
        "import_seconds",
        f"import {rows:,} lot rows (.xlsx and GB18030 .csv, slower of the two)",
        round(float(worst), 2),
        "s",
        20.0,
        "<=",
        {"imports": result["imports"], "rows": rows},
    )


def run(data: Dataset, *, log: Callable[[str], None]) -> list[Figure]:
    figures: list[Figure] = []
    database = open_db(data.path)
    try:
        log("measuring the expiry summary ...")
        figures.append(measure_expiry(database, data.path))
        log("measuring the batch receive ...")
        figures.append(measure_receive(database, data.path, data.scale.receipts))
    finally:
        database.close()
    log("measuring drillplan check ...")
    figures.append(measure_check(data.path))
    small = data.scale.name == "tiny"
    log("measuring the expiry report against a bare ReportLab script ...")
    figures += measure_reports(data.path.parent, 500 if small else 20_000)
    log("measuring the lot import ...")
    figures.append(measure_import(data.path.parent, 500 if small else 100_000))
    return figures
