"""What keeps a 100,000-row import small and quick keeps its answers the same: equal cells
shared as one object but never across types, numbers judged once per distinct value but
every row still judged, the collector paused only while the import runs."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import sys
from pathlib import Path

import pytest
from sqlalchemy import func, select

from drillplan.db.database import Database
from drillplan.db.models import Lot
from drillplan.interchange import readers
from drillplan.interchange.context import Context
from drillplan.interchange.importer import _records, import_file
from drillplan.interchange.kinds import get_kind
from drillplan.interchange.spec import match_headers
from drillplan.kernel.memory import collector_paused

AS_OF = dt.date(2025, 6, 1)
HEADER = ["储备库编码", "物资编码", "批次号", "数量", "计量单位", "单价", "有效期至"]


def _csv(path: Path, rows: list[list[object]]) -> Path:
    with path.open("w", encoding="gb18030", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    return path


def _codes(db: Database) -> tuple[str, str]:
    from drillplan.db.models import Depot, Material

    with db.sessions() as session:
        return session.scalar(select(Depot.code)) or "", session.scalar(select(Material.code)) or ""


def test_equal_cells_are_one_object_but_types_stay_apart() -> None:
    day = dt.date(2025, 1, 2)
    rows: list[list[object]] = [
        ["D1", 1.0, True, day, dt.datetime(2025, 1, 2)],
        ["D1" + "", 1.0, 1, dt.date(2025, 1, 2), dt.datetime(2025, 1, 2)],
    ]
    rows[1][0] = "".join(["D", "1"])  # equal text, another object
    shared = readers._shared_cells(rows)
    assert shared[0][0] is shared[1][0]
    assert shared[0][3] is shared[1][3] and shared[0][4] is shared[1][4]
    assert shared[0][1] is shared[1][1]
    # 1.0 == True == 1, yet a yes/no cell and a whole number keep their own type
    assert [type(c) for c in shared[0]] == [str, float, bool, dt.date, dt.datetime]
    assert [type(c) for c in shared[1]] == [str, float, int, dt.date, dt.datetime]


def test_a_csv_shares_equal_cells(tmp_path: Path) -> None:
    path = tmp_path / "a.csv"
    path.write_text("编码,单位\nA1,件\nA2,件\n", encoding="utf-8")
    table = readers.read_csv(path)
    assert table.rows == [["编码", "单位"], ["A1", "件"], ["A2", "件"]]
    assert table.rows[1][1] is table.rows[2][1]


def test_collector_paused_restores_what_it_found() -> None:
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector_paused():
        assert not gc.isenabled()
        with collector_paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # the inner pause does not end the outer one
        raise RuntimeError("the import failed")
    assert gc.isenabled()
    gc.disable()
    try:
        with collector_paused():
            pass
        assert not gc.isenabled()  # it was off before: it stays off
    finally:
        gc.enable()


def test_a_number_judged_once_still_judges_every_row(stocked: Database, tmp_path: Path) -> None:
    depot, material = _codes(stocked)
    rows: list[list[object]] = [
        [depot, material, "B1", "10", "件", "5", "2029-03-14"],
        [depot, material, "B2", "10", "件", "-5", "2029-03-14"],  # same quantity, bad cost
        [depot, material, "B3", "1.0001", "件", "5", "2029-03-14"],  # same cost, bad quantity
        [depot, material, "B4", "10", "件", "5", "2029-03-14"],
    ]
    with stocked.session() as session:
        report = import_file(session, "lots", _csv(tmp_path / "lots.csv", rows), today=AS_OF)
    found = {(p.row, p.column, p.rule) for p in report.problems}
    assert found == {(3, "单价", "negative"), (4, "数量", "too_many_decimals")}
    assert gc.isenabled()
    with stocked.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Lot)) == 0


@pytest.mark.parametrize(
    "cells",
    [
        {"C3": "编码", "D4": 1, "E5": dt.datetime(2025, 1, 2)},  # blank rows and columns first
        {"A3": "编码", "B4": 1},  # blank rows only
        {"C1": "编码", "D4": "件", "D5": "件"},  # blank columns only
        {"A1": "编码"},
        {"B2": "a", "F2": "z", "B9": None},
        {},  # an empty sheet
    ],
)
def test_a_sheet_read_row_by_row_is_the_sheet_from_cell_a1(
    tmp_path: Path, cells: dict[str, object]
) -> None:
    """calamine's row iterator starts at the first used column: the rows still start at A."""
    import python_calamine
    from openpyxl import Workbook

    wb = Workbook()
    for ref, value in cells.items():
        wb.active[ref] = value  # type: ignore[index]
    path = tmp_path / "s.xlsx"
    wb.save(path)
    sheet = python_calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0)
    rows = readers.sheet_rows(sheet)
    assert rows == sheet.to_python(skip_empty_area=False)
    book = readers.Workbook(path)
    assert book.table(book.sheet_names[0]).rows == rows
    book.close()
    if "D5" in cells:
        assert rows[3][3] is rows[4][3]  # equal cells are one object


def test_the_rows_values_share_their_keys(stocked: Database, tmp_path: Path) -> None:
    """Each row's values are a key-sharing dict: the keys once for the import, the values per
    row (a plain dict of the same 7 values is twice the size); equal to a plain dict."""
    depot, material = _codes(stocked)
    rows: list[list[object]] = [
        HEADER,
        *([depot, material, f"B{i}", "10", "件", "5", "2029-03-14"] for i in range(50)),
    ]
    kind = get_kind("lots")
    with stocked.session() as session:
        ctx = Context(session, kind, "lots", match_headers(kind, HEADER), today=AS_OF, operator="t")
        records = _records(ctx, rows, 0, set())
    assert len(records) == 50 and not ctx.problems
    values = records[7].values
    plain = {**values}
    assert values == plain and values["batch_no"] == "B7" and values.get("uom") == "件"
    assert sys.getsizeof(values) * 2 <= sys.getsizeof(plain)
