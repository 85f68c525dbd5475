"""The report figures: an expiry report of N lots against a bare ReportLab script.

The data set is a dedicated SQLite file whose N lots all expire within the audit's horizons,
so the report lists every one of them (about 400 A4 pages for 20,000 lots). Each side runs in
a fresh process so that its peak resident memory is its own:

* ours: ``drillplan.reports.registry.build_report(session, "expiry", ...)`` (query, summary,
  per-holder sections, page-by-page tables, page X of Y, bookmarks);
* bare: the same lots read with one ``sqlite3`` query and drawn with the same font and
  columns in one platypus ``Table`` per page (no summary, headings or page numbers).
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from drillplan.db.database import open_db
from drillplan.db.models import Depot, Holder, Lot, Material, Movement, Unit
from drillplan.kernel.vocab import DepotTier, HolderKind, MovementKind, Tier, UnitKind

AS_OF = dt.date(2026, 11, 24)
HORIZON_DAYS = 180
BARE_ROWS_PER_PAGE = 50


def make_dataset(path: Path, lots: int, seed: int = 11) -> Path:
    """A file with ``lots`` lots at 200 depots, every one expiring within the horizon."""
    if path.exists():
        return path
    tmp = path.with_suffix(".partial")
    tmp.unlink(missing_ok=True)
    rnd = random.Random(seed)
    database = open_db(tmp)
    with database.session() as s:
        s.execute(
            insert(Unit),
            [{"id": 1, "code": "310118", "name": "青浦区人民政府", "kind": UnitKind.GOVERNMENT,
              "tier": Tier.DISTRICT, "row_version": 1}],
        )  # fmt: skip
        s.execute(
            insert(Material),
            [
                {"id": i + 1, "code": f"20{i:05d}", "name": f"防汛物资{i + 1}号", "uom": "件",
                 "shelf_life_days": 1825, "needs_rotation": True, "flood_control": True}
                for i in range(50)
            ],
        )  # fmt: skip
        tiers = list(DepotTier)
        s.execute(
            insert(Depot),
            [
                {"id": i + 1, "code": f"CK-{i + 1:03d}", "name": f"青浦区第{i + 1}号应急物资储备点",
                 "tier": tiers[i % len(tiers)], "owner_unit_id": 1, "row_version": 1}
                for i in range(200)
            ],
        )  # fmt: skip
        s.execute(
            insert(Holder),
            [{"id": i + 1, "kind": HolderKind.DEPOT, "depot_id": i + 1} for i in range(200)],
        )
        rows = []
        for i in range(lots):
            expiry = AS_OF + dt.timedelta(days=rnd.randint(-60, HORIZON_DAYS))
            rows.append(
                {"id": i + 1, "material_id": i % 50 + 1, "holder_id": i % 200 + 1,
                 "batch_no": f"PC{i:07d}", "production_date": expiry - dt.timedelta(days=1825),
                 "expiry_date": expiry, "on_hand": Decimal(rnd.randint(1, 999)),
                 "unit_cost": Decimal("12.50"), "row_version": 1}
            )  # fmt: skip
        s.execute(insert(Lot), rows)
        s.execute(
            insert(Movement),
            [
                {"lot_id": r["id"], "kind": MovementKind.RECEIPT, "quantity": r["on_hand"],
                 "moved_on": AS_OF - dt.timedelta(days=400), "operator": "bench"}
                for r in rows
            ],
        )  # fmt: skip
    database.close()
    tmp.rename(path)
    return path


def ours(db_path: str, out: str) -> None:
    from drillplan.reports.registry import build_report

    database = open_db(db_path)
    with database.sessions() as session:
        build_report(session, "expiry", Path(out), as_of=AS_OF)
    database.close()


def bare(db_path: str, out: str) -> None:
    import sqlite3

    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, SimpleDocTemplate, Table, TableStyle

    from drillplan.reports.frame import register_font

    font = register_font()
    conn = sqlite3.connect(db_path)
    rows = conn.execute(
        "SELECT m.name, l.batch_no, l.on_hand, m.uom, l.expiry_date, l.unit_cost"
        " FROM lot l JOIN material m ON m.id = l.material_id"
        " WHERE l.on_hand > 0 AND l.expiry_date <= ? ORDER BY l.expiry_date, l.id",
        ((AS_OF + dt.timedelta(days=HORIZON_DAYS)).isoformat(),),
    ).fetchall()
    conn.close()
    header = ["物资", "批次", "数量", "单位", "有效期至", "剩余天数", "状态", "金额"]
    data = []
    for name, batch, qty, uom, expiry, cost in rows:
        days = (dt.date.fromisoformat(expiry) - AS_OF).days
        status = "已过期" if days < 0 else "临期"
        data.append([name, batch, f"{qty:,.0f}", uom, expiry, str(days), status,
                     f"{qty * cost:,.2f}"])  # fmt: skip
    style = TableStyle([("FONT", (0, 0), (-1, -1), font, 8)])
    story = []
    for i in range(0, len(data), BARE_ROWS_PER_PAGE):
        story.append(Table([header, *data[i : i + BARE_ROWS_PER_PAGE]], style=style))
        story.append(PageBreak())
    SimpleDocTemplate(out, pagesize=A4, leftMargin=25 * mm, rightMargin=15 * mm).build(story)


_CHILD = """
import json, sys, time
from drillplan.tools.bench import report_speed
from drillplan.kernel.memory import peak_rss_mib
fn = getattr(report_speed, sys.argv[1])
start = time.perf_counter()
fn(sys.argv[2], sys.argv[3])
seconds = time.perf_counter() - start
print(json.dumps({"seconds": seconds, "peak_rss_mb": peak_rss_mib()}))
"""  # the child's own peak (memory.py: ru_maxrss would report the parent's)


def run_side(side: str, db_path: Path, out: Path) -> dict[str, float]:
    """Run ``ours`` or ``bare`` in a fresh process; its time and peak resident memory."""
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, side, str(db_path), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(workdir: Path, lots: int) -> dict[str, object]:
    """Best of two runs per side (alternating): seconds, ratio bare/ours, peak memory."""
    workdir.mkdir(parents=True, exist_ok=True)
    db_path = make_dataset(workdir / f"report-{lots}.sqlite3", lots)
    runs: dict[str, list[dict[str, float]]] = {"ours": [], "bare": []}
    for _ in range(2):
        for side in ("ours", "bare"):
            runs[side].append(run_side(side, db_path, workdir / f"report-{side}.pdf"))
    best = {side: min(r["seconds"] for r in runs[side]) for side in runs}
    peak = {side: max(r["peak_rss_mb"] for r in runs[side]) for side in runs}
    return {
        "lots": lots,
        "ours_seconds": best["ours"],
        "bare_seconds": best["bare"],
        "speed_ratio": best["bare"] / best["ours"],
        "ours_peak_rss_mb": peak["ours"],
        "bare_peak_rss_mb": peak["bare"],
    }
