"""The bad-file corpus: each file is refused with its row, column and rule named, and the
database is left exactly as it was. Files are generated at test time (openpyxl, csv)."""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from drillplan.db.database import Database
from drillplan.db.models import Lot
from drillplan.demo import fingerprint
from drillplan.interchange.importer import import_file

AS_OF = dt.date(2025, 6, 1)
HEADER = ["储备库编码", "物资编码", "批次号", "数量", "计量单位", "生产日期", "有效期至"]
GOOD = ["D1", "2010101", "B1", 10, "件", dt.date(2024, 3, 15), dt.date(2029, 3, 14)]
Rows = list[list[object]]


def xlsx(path: Path, rows: Rows, *, merge: str | None = None) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "物资批次"
    for row in rows:
        ws.append(row)
    if merge:
        ws.merge_cells(merge)
    wb.save(path)
    return path


def write_csv(path: Path, rows: Rows, encoding: str = "utf-8-sig") -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows(
            [[v.isoformat() if isinstance(v, dt.date) else v for v in r] for r in rows]
        )
    return path


def with_row(**changes: object) -> list[object]:
    row = list(GOOD)
    for name, value in changes.items():
        row[HEADER.index(name)] = value
    return row


def huge_cell(path: Path) -> Path:
    """A real 10 MB cell (openpyxl itself cuts strings at 32,767 characters)."""
    xlsx(path, [[*HEADER, "供应商"], [*GOOD, "PLACEHOLDER"]])
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.endswith("sheet1.xml"):
                data = data.replace(b"PLACEHOLDER", b"x" * 10_000_000)
            dst.writestr(item, data)
    tmp.replace(path)
    return path


def truncated(path: Path) -> Path:
    xlsx(path, [HEADER, GOOD])
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


Case = tuple[str, Callable[[Path], Path], set[tuple[int, str, str]]]
CASES: list[Case] = [
    ("wrong_headers", lambda p: xlsx(p, [["名字", "个数", "日子"], ["D1", 1, "2024-01-01"]]),
     {(1, "", "bad_header")}),
    ("missing_column",
     lambda p: xlsx(p, [["储备库编码", "物资编码", "数量"], ["D1", "2010101", 1]]),
     {(1, "批次号", "missing_column")}),
    ("empty_sheet", lambda p: xlsx(p, []), {(0, "", "empty_sheet")}),
    ("header_only", lambda p: xlsx(p, [HEADER]), {(2, "", "empty_sheet")}),
    ("merged_header", lambda p: xlsx(p, [HEADER, GOOD], merge="A1:B1"),
     {(1, "储备库编码", "merged_header")}),
    ("formula", lambda p: xlsx(p, [HEADER, with_row(数量="=5*2")]), {(2, "数量", "formula")}),
    ("text_in_number", lambda p: xlsx(p, [HEADER, with_row(数量="十个")]),
     {(2, "数量", "not_a_number")}),
    ("negative_quantity", lambda p: xlsx(p, [HEADER, with_row(数量=-5)]),
     {(2, "数量", "negative")}),
    ("expiry_before_production",
     lambda p: xlsx(p, [HEADER, with_row(有效期至=dt.date(2024, 1, 1))]),
     {(2, "有效期至", "expiry_before_production")}),
    ("unknown_depot", lambda p: xlsx(p, [HEADER, with_row(储备库编码="D9")]),
     {(2, "储备库编码", "unknown_ref")}),
    ("unknown_material", lambda p: xlsx(p, [HEADER, with_row(物资编码="冲锋舟")]),
     {(2, "物资编码", "unknown_ref")}),
    ("duplicate_batch", lambda p: xlsx(p, [HEADER, GOOD, with_row(数量=3)]),
     {(3, "批次号", "duplicate_in_file")}),
    ("uom_mismatch", lambda p: xlsx(p, [HEADER, with_row(计量单位="箱")]),
     {(2, "计量单位", "uom_mismatch")}),
    ("required_blank", lambda p: xlsx(p, [HEADER, with_row(批次号="  ")]),
     {(2, "批次号", "required")}),
    ("future_production", lambda p: xlsx(p, [HEADER, with_row(生产日期="2025-07-01")]),
     {(2, "生产日期", "future_date")}),
    ("gb18030_csv_bad_row",
     lambda p: write_csv(p.with_suffix(".csv"),
                         [HEADER, GOOD, with_row(批次号="B2", 储备库编码="青浦仓库")], "gb18030"),
     {(3, "储备库编码", "unknown_ref")}),
    ("csv_text_in_number",
     lambda p: write_csv(p.with_suffix(".csv"), [HEADER, with_row(数量="1,2,3")]),
     {(2, "数量", "not_a_number")}),
    ("truncated_xlsx", truncated, {(0, "", "file_unreadable")}),
    ("not_a_spreadsheet", lambda p: (p.write_bytes(b"PK\x03\x04garbage" * 100), p)[1],
     {(0, "", "file_unreadable")}),
    ("ten_megabyte_cell", huge_cell, {(2, "供应商", "too_long")}),
]  # fmt: skip

REJECTED_DATES = ["15/03/2024", "2024-02-30", "2024-13-01", "明天", "2024-3", "3月15日"]
ACCEPTED_DATES: list[object] = [
    "2024-03-15", "2024/3/15", "2024.3.15", "2024年3月15日", "20240315", 45366, 45366.0,
    dt.date(2024, 3, 15), dt.datetime(2024, 3, 15, 0, 0), "２０２４－０３－１５",
    "２０２４年３月１５日", "2024-03-15 00:00:00", " 2024/03/15 ",
]  # fmt: skip


def _state(db: Database) -> str:
    with db.sessions() as session:
        return fingerprint(session)


def _import(db: Database, path: Path, **kw: object) -> object:
    with db.session() as session:
        return import_file(session, "lots", path, today=AS_OF, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize("name,build,expected", CASES, ids=[c[0] for c in CASES])
def test_bad_file_is_refused_and_names_the_cell(
    stocked: Database,
    tmp_path: Path,
    name: str,
    build: Callable[[Path], Path],
    expected: set[tuple[int, str, str]],
) -> None:
    before = _state(stocked)
    path = build(tmp_path / f"{name}.xlsx")
    report = _import(stocked, path)
    found = {(p.row, p.column, p.rule) for p in report.problems}  # type: ignore[attr-defined]
    assert found == expected
    assert all(p.message and p.message_en for p in report.problems)  # type: ignore[attr-defined]
    assert _state(stocked) == before


def test_ten_megabyte_cell_is_quick(stocked: Database, tmp_path: Path) -> None:
    import time

    path = huge_cell(tmp_path / "big.xlsx")
    start = time.perf_counter()
    report = _import(stocked, path)
    assert time.perf_counter() - start < 2.0
    assert len(str(report.problems[0])) < 300  # type: ignore[attr-defined]


def test_every_problem_of_a_file_is_listed(stocked: Database, tmp_path: Path) -> None:
    rows = [HEADER] + [
        with_row(批次号=f"B{i}", 生产日期=bad) for i, bad in enumerate(REJECTED_DATES)
    ]
    rows.append(with_row(批次号="BX", 数量=-1, 储备库编码="D9"))
    before = _state(stocked)
    report = _import(stocked, xlsx(tmp_path / "dates.xlsx", rows))
    found = sorted((p.row, p.column, p.rule) for p in report.problems)  # type: ignore[attr-defined]
    expected = [(r, "生产日期", "bad_date") for r in range(2, 2 + len(REJECTED_DATES))]
    last = 2 + len(REJECTED_DATES)
    expected += [(last, "储备库编码", "unknown_ref"), (last, "数量", "negative")]
    assert found == sorted(expected)
    assert _state(stocked) == before


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_every_accepted_date_form(stocked: Database, tmp_path: Path, suffix: str) -> None:
    rows = [HEADER] + [
        with_row(批次号=f"B{i}", 生产日期=value, 有效期至=None)
        for i, value in enumerate(ACCEPTED_DATES)
        if suffix == ".xlsx" or isinstance(value, str)
    ]
    path = tmp_path / f"dates{suffix}"
    xlsx(path, rows) if suffix == ".xlsx" else write_csv(path, rows, "gb18030")
    report = _import(stocked, path)
    assert report.problems == []  # type: ignore[attr-defined]
    with stocked.sessions() as session:
        made = set(session.scalars(select(Lot.production_date)))
        expiry = set(session.scalars(select(Lot.expiry_date)))
    assert made == {dt.date(2024, 3, 15)}
    assert expiry == {dt.date(2024, 3, 15) + dt.timedelta(days=1825)}  # from the shelf life


def test_gb18030_csv_is_detected_and_imported(stocked: Database, tmp_path: Path) -> None:
    rows = [[*HEADER, "供应商"], [*with_row(数量="1,200"), "青浦应急物资有限公司"]]
    path = write_csv(tmp_path / "lots.csv", rows, "gb18030")
    report = _import(stocked, path)
    assert report.problems == [] and report.encoding == "gb18030"  # type: ignore[attr-defined]
    with stocked.sessions() as session:
        lot = session.scalars(select(Lot)).one()
    assert (lot.on_hand, lot.supplier) == (1200, "青浦应急物资有限公司")
    wrong = _import(stocked, path, encoding="utf-8")
    assert [p.rule for p in wrong.problems] == ["encoding"]  # type: ignore[attr-defined]
