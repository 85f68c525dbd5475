"""A column the office adds to its sheet is data to keep: the import stores its cells with their
rows, the export writes them back under the same header after the register's own columns, and
the file goes round again unchanged. A row-number column is the sheet's and is ignored; a
refused import or a dry run keeps nothing; a blank cell clears what was kept."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from drillplan.db.database import Database
from drillplan.db.models import ImportExtra
from drillplan.interchange.exporter import export_file
from drillplan.interchange.importer import import_file
from drillplan.interchange.problems import ImportReport
from tests import factories as f

OWNER = "310118-YJJ"
TODAY = dt.date(2026, 3, 1)
DEPOT_HEADER = ["序号", "储备库编码", "名称", "层级", "管理单位", "责任片区", "备注"]


def sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["青浦区储备库一览（2026年）"])  # a title row above the header
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def run(db: Database, path: Path, kind: str, **kw: Any) -> ImportReport:
    with db.session() as session:
        return import_file(session, kind, path, today=TODAY, operator="importer", **kw)


def kept(db: Database, kind: str) -> dict[tuple[str, str], str]:
    with db.sessions() as session:
        rows = session.scalars(select(ImportExtra).where(ImportExtra.kind == kind))
        return {(r.row_key, r.header): r.value for r in rows}


def exported(db: Database, kind: str, dest: Path) -> list[dict[str, object]]:
    with db.sessions() as session:
        export_file(session, kind, dest)
    if dest.suffix == ".csv":
        with dest.open(encoding="utf-8-sig", newline="") as fh:
            return list(csv.DictReader(fh))
    ws = load_workbook(dest).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    return [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]  # type: ignore[arg-type]


@pytest.fixture
def owned(db: Database) -> Database:
    with db.session() as session:
        f.unit(session, code=OWNER, name="青浦区应急管理局")
    return db


def test_the_offices_columns_are_kept_and_exported_back(owned: Database, tmp_path: Path) -> None:
    path = sheet(
        tmp_path / "depots.xlsx",
        [DEPOT_HEADER,
         [1, "QP-D01", "青浦区防汛物资仓库", "区级", OWNER, "东片", "每季度盘点"],
         [2, "QP-D02", "朱家角镇储备点", "街镇级", "青浦区应急管理局", "西片", None]],
    )  # fmt: skip
    report = run(owned, path, "depots")
    assert report.problems == [] and report.created == 2
    assert (report.kept_columns, report.ignored_columns, report.kept_rows) == (
        ["责任片区", "备注"],
        ["序号"],
        2,
    )
    assert kept(owned, "depots") == {
        ("QP-D01", "责任片区"): "东片", ("QP-D01", "备注"): "每季度盘点",
        ("QP-D02", "责任片区"): "西片",
    }  # fmt: skip

    rows = exported(owned, "depots", tmp_path / "out.xlsx")
    header = list(rows[0])
    assert header[-2:] == ["责任片区", "备注"] and "序号" not in header
    by_code = {r["储备库编码"]: r for r in rows}
    assert (by_code["QP-D01"]["责任片区"], by_code["QP-D01"]["备注"]) == ("东片", "每季度盘点")
    assert (by_code["QP-D02"]["责任片区"], by_code["QP-D02"]["备注"]) == ("西片", None)

    again = run(owned, tmp_path / "out.xlsx", "depots")  # round trip: nothing changes
    assert again.problems == [] and (again.created, again.updated) == (0, 0)
    assert again.kept_columns == ["责任片区", "备注"]
    assert len(kept(owned, "depots")) == 3
    csv_rows = exported(owned, "depots", tmp_path / "out.csv")
    areas = {r["储备库编码"]: r["责任片区"] for r in csv_rows}
    assert areas == {"QP-D01": "东片", "QP-D02": "西片"}


def test_a_blank_cell_clears_and_a_missing_column_keeps(owned: Database, tmp_path: Path) -> None:
    first = sheet(
        tmp_path / "a.xlsx",
        [DEPOT_HEADER, [1, "QP-D01", "青浦区防汛物资仓库", "区级", OWNER, "东片", "旧备注"]],
    )
    assert run(owned, first, "depots").problems == []
    changed = sheet(
        tmp_path / "b.xlsx",
        [["储备库编码", "名称", "层级", "管理单位", "备注"],
         ["QP-D01", "青浦区防汛物资仓库", "区级", OWNER, None]],
    )  # fmt: skip
    assert run(owned, changed, "depots").problems == []
    # 备注 blanked in the file: cleared; 责任片区 not in the file: kept as it was
    assert kept(owned, "depots") == {("QP-D01", "责任片区"): "东片"}


def test_a_refused_import_and_a_dry_run_keep_nothing(owned: Database, tmp_path: Path) -> None:
    bad = sheet(
        tmp_path / "bad.xlsx",
        [DEPOT_HEADER,
         [1, "QP-D01", "青浦区防汛物资仓库", "区级", OWNER, "东片", "x"],
         [2, "QP-D02", "朱家角镇储备点", "没有这个层级", OWNER, "西片", "y"]],
    )  # fmt: skip
    report = run(owned, bad, "depots")
    assert report.problems and not report.written
    assert kept(owned, "depots") == {}
    good = sheet(
        tmp_path / "good.xlsx",
        [DEPOT_HEADER, [1, "QP-D01", "青浦区防汛物资仓库", "区级", OWNER, "东片", "x"]],
    )
    dry = run(owned, good, "depots", dry_run=True)
    assert dry.problems == [] and dry.kept_rows == 1 and not dry.written
    assert kept(owned, "depots") == {}


def test_a_lot_named_by_its_holders_name_is_exported_with_its_cells(
    owned: Database, tmp_path: Path
) -> None:
    """The key is the export's: a holder named in the file by its name is found by its code."""
    with owned.session() as session:
        owner = session.scalars(select(f.Unit).where(f.Unit.code == OWNER)).one()
        f.material(session, code="3010101", name="编织袋", uom="条", shelf_life_days=730)
        f.depot(session, owner, code="QP-D01", name="青浦区防汛物资仓库")
    path = sheet(
        tmp_path / "lots.xlsx",
        [["储备库", "物资编码", "批次号", "数量", "入库日期", "存放位置说明", "经办人"],
         ["青浦区防汛物资仓库", "3010101", "2026-A", 500, "2026-02-01", "A区3排", "张伟"]],
    )  # fmt: skip
    report = run(owned, path, "lots")
    assert report.problems == [] and report.created == 1
    assert report.kept_columns == ["存放位置说明", "经办人"]
    rows = exported(owned, "lots", tmp_path / "lots-out.xlsx")
    assert [(r["批次号"], r["存放位置说明"], r["经办人"]) for r in rows] == [
        ("2026-A", "A区3排", "张伟")
    ]
