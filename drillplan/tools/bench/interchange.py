"""Benchmark of the lot import: N generated lot rows (.xlsx and .csv) validated and imported
into a fresh SQLite database holding the demo registers; ``python -m
drillplan.tools.bench.interchange [ROWS]`` prints the figures."""

from __future__ import annotations

import csv
import datetime as dt
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from sqlalchemy import select

from drillplan.db.database import open_db
from drillplan.db.models import Depot, Material
from drillplan.demo import load_demo
from drillplan.interchange import readers
from drillplan.interchange.kinds import LOTS

AS_OF = dt.date(2025, 6, 1)
HEADERS = ["储备库编码", "物资编码", "批次号", "数量", "计量单位", "生产日期", "有效期至",
           "入库日期", "单价", "供应商", "存放位置"]  # fmt: skip
FLOOR_SECONDS = 20.0


def lot_rows(n: int, depots: list[str], materials: list[tuple[str, str]]) -> list[list[Any]]:
    """``n`` distinct lots: dates as Excel cells, quantities with thousands separators."""
    out: list[list[Any]] = []
    for i in range(n):
        code, uom = materials[i % len(materials)]
        made = AS_OF - dt.timedelta(days=30 + i % 700)
        out.append([
            depots[(i // len(materials)) % len(depots)], code, f"BN{i:07d}",
            f"{1000 + i % 5000:,}", uom, made, made + dt.timedelta(days=1825),
            AS_OF - dt.timedelta(days=i % 20), 12.5 + i % 7, f"供应商{i % 40:02d}",
            f"{i % 30:02d}-{i % 12:02d}",
        ])  # fmt: skip
    return out


def write_inputs(rows: list[list[Any]], folder: Path) -> tuple[Path, Path]:
    xlsx, csv_path = folder / "lots.xlsx", folder / "lots.csv"
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(LOTS.sheet_name)
    ws.append(HEADERS)
    for row in rows:
        ws.append(row)
    wb.save(xlsx)
    with csv_path.open("w", encoding="gb18030", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADERS)
        for row in rows:
            writer.writerow([v.isoformat() if isinstance(v, dt.date) else v for v in row])
    return xlsx, csv_path


def _side(side: str, path: Path, seed: Path, folder: Path) -> dict[str, float]:
    """Run one side (:mod:`import_child`) on a fresh copy of the seeded database."""
    db = folder / f"{side}-{path.suffix.lstrip('.')}.sqlite3"
    shutil.copyfile(seed, db)
    done = subprocess.run(
        [sys.executable, "-m", "drillplan.tools.bench.import_child", side, str(path), str(db)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    db.unlink()
    if done.returncode != 0:
        raise RuntimeError(f"import bench ({side}) failed: {done.stderr.strip()[-800:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _one(path: Path, seed: Path, folder: Path, repeats: int) -> dict[str, Any]:
    """Ours and the floor, alternating, best of ``repeats`` each."""
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "floor": []}
    for _ in range(repeats):
        for side in runs:
            runs[side].append(_side(side, path, seed, folder))
    ours = min(runs["ours"], key=lambda r: r["seconds"])
    bare = min(runs["floor"], key=lambda r: r["seconds"])
    seconds, floor_s = float(ours["seconds"]), float(bare["seconds"])
    return {
        "file": path.suffix.lstrip("."),
        "rows": int(ours["rows"]),
        "created": int(ours["created"]),
        "floor_created": int(bare["created"]),
        "seconds": round(seconds, 2),
        "rows_per_s": round(ours["rows"] / seconds),
        "peak_mib": round(max(r["peak_mib"] for r in runs["ours"]), 1),
        "floor_seconds": round(floor_s, 2),
        "floor_peak_mib": round(max(r["peak_mib"] for r in runs["floor"]), 1),
        "ratio": round(seconds / floor_s, 2),
        "ok": seconds < FLOOR_SECONDS,
    }


def read_only_comparison(path: Path) -> dict[str, float]:
    """Seconds to read the .xlsx with calamine and with openpyxl in read-only mode."""
    from openpyxl import load_workbook

    start = time.perf_counter()
    book = readers.Workbook(path)
    book.table(book.sheet_names[0])
    book.close()
    calamine = time.perf_counter() - start
    start = time.perf_counter()
    wb = load_workbook(path, read_only=True)
    for _ in wb.worksheets[0].iter_rows(values_only=True):
        pass
    wb.close()
    return {
        "calamine_s": round(calamine, 2),
        "openpyxl_read_only_s": round(time.perf_counter() - start, 2),
    }


def bench_import(
    rows: int = 100_000,
    *,
    workdir: Path | None = None,
    formats: tuple[str, ...] = ("xlsx", "csv"),
    compare_readers: bool = False,
    repeats: int = 1,
) -> dict[str, Any]:
    """Import ``rows`` generated lots from .xlsx and from a GB18030 .csv; the figures:
    ``{"generate_s", "imports": [{"file", "rows", "seconds", "peak_mib", "floor_seconds",
    "floor_peak_mib", "ratio", ...} ...]}``, each side in its own process
    (:mod:`drillplan.tools.bench.import_child`)."""
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        folder = Path(tmp)
        seed = open_db(folder / "seed.sqlite3")
        with seed.session() as session:
            load_demo(session, as_of=AS_OF)
            depots = list(session.scalars(select(Depot.code).order_by(Depot.code)))
            materials = [tuple(r) for r in session.execute(select(Material.code, Material.uom))]
        seed.close()
        seed_path = folder / "seed.sqlite3"
        data = lot_rows(rows, depots, materials)  # type: ignore[arg-type]
        start = time.perf_counter()
        xlsx, csv_path = write_inputs(data, folder)
        result: dict[str, Any] = {"generate_s": round(time.perf_counter() - start, 2)}
        paths = {"xlsx": xlsx, "csv": csv_path}
        result["imports"] = [_one(paths[f], seed_path, folder, repeats) for f in formats]
        if compare_readers:
            result["readers"] = read_only_comparison(xlsx)
    return result


if __name__ == "__main__":  # pragma: no cover
    from drillplan.cli.output import dumps

    print(dumps(bench_import(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000,
                             compare_readers=True)))  # fmt: skip
