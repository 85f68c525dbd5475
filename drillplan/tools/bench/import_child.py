"""One side of the import benchmark, in a process of its own so its peak memory is its own.

``python -m drillplan.tools.bench.import_child ours FILE DB`` imports FILE into DB with
:func:`import_file` (every rule checked); ``... floor FILE DB`` is the floor it is held
against: python-calamine (or the csv module) reads the same rows and ``sqlite3`` inserts the
same lots and receipt movements with ``executemany``, the codes looked up in two dicts and
nothing checked. Each prints ``{"seconds", "peak_mib", "rows", "created"}`` as JSON.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import sys
import time
from pathlib import Path

from drillplan.kernel.memory import peak_rss_mib

AS_OF = dt.date(2025, 6, 1)


def _cells(path: Path) -> list[list[object]]:
    if path.suffix == ".csv":
        with path.open(encoding="gb18030", newline="") as fh:
            return list(csv.reader(fh))
    import python_calamine

    book = python_calamine.CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_index(0).to_python()


def floor(path: Path, db: Path) -> tuple[int, int]:
    """Read, convert as little as a correct insert needs, executemany, commit."""
    con = sqlite3.connect(db)
    holders = "SELECT d.code, h.id FROM depot d JOIN holder h ON h.depot_id = d.id"
    depots = dict(con.execute(holders))
    materials = dict(con.execute("SELECT code, id FROM material"))
    rows = _cells(path)[1:]
    iso = dt.date.isoformat
    lots, quantities = [], []
    for depot, material, batch, qty, _uom, made, expiry, on, cost, supplier, where in rows:
        quantity = str(qty).replace(",", "")
        made = made if isinstance(made, str) else iso(made)  # type: ignore[arg-type]
        expiry = expiry if isinstance(expiry, str) else iso(expiry)  # type: ignore[arg-type]
        on = on if isinstance(on, str) else iso(on)  # type: ignore[arg-type]
        lots.append((materials[material], depots[depot], batch, made, expiry, supplier,
                     str(cost), where, quantity))  # fmt: skip
        quantities.append((quantity, on))
    first = (con.execute("SELECT max(id) FROM lot").fetchone()[0] or 0) + 1
    inserted = con.executemany(
        "INSERT INTO lot (material_id, holder_id, batch_no, production_date, expiry_date,"
        " supplier, unit_cost, location, on_hand, row_version) VALUES (?,?,?,?,?,?,?,?,?,1)",
        lots,
    )
    con.executemany(
        "INSERT INTO movement (lot_id, kind, quantity, moved_on, operator)"
        " VALUES (?, 'receipt', ?, ?, 'bench')",
        ((first + i, q, on) for i, (q, on) in enumerate(quantities)),
    )
    con.commit()
    con.close()
    return len(rows), inserted.rowcount


def ours(path: Path, db: Path) -> tuple[int, int]:
    from drillplan.db.database import open_db
    from drillplan.interchange.importer import import_file
    from drillplan.interchange.kinds import LOTS

    database = open_db(db)
    try:
        with database.session() as session:
            report = import_file(session, LOTS, path, today=AS_OF)
    finally:
        database.close()
    if report.problems:
        raise SystemExit(f"benchmark import refused: {report.problems[:3]}")
    return report.rows, report.created


def main(argv: list[str]) -> None:
    side, path, db = argv[0], Path(argv[1]), Path(argv[2])
    if side == "ours":  # the modules are loaded before the clock starts, as for the floor
        import drillplan.interchange.importer  # noqa: F401
    start = time.perf_counter()
    rows, created = (ours if side == "ours" else floor)(path, db)
    seconds = time.perf_counter() - start
    out = {"seconds": seconds, "peak_mib": peak_rss_mib(), "rows": rows, "created": created}
    print(json.dumps(out))


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
