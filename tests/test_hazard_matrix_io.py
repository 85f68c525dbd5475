"""The warning-level response matrix in and out of Excel (issue 15 item 2): one sheet with a 类型
column, every row written by the matrix's own functions, a bad row refused with its row and
column and nothing written, the dry run, the round trip, the office's own headers and columns."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from drillplan.db.database import Database
from drillplan.db.models import HazardMaterialLine, HazardPlan, HazardTeamLine, ImportExtra
from drillplan.hazards.read import matrix_lines
from drillplan.interchange.exporter import export_file
from drillplan.interchange.importer import import_file
from drillplan.interchange.problems import ImportReport
from tests.test_hazards import _matrix, _world

TODAY = dt.date(2026, 12, 1)


def sheet(path: Path, rows: list[list[object]]) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["青浦区防台风预警响应矩阵"])  # a title row above the header
    for row in rows:
        ws.append(row)
    wb.save(path)
    return path


def run(db: Database, path: Path, **kw: Any) -> ImportReport:
    with db.session() as session:
        return import_file(session, "hazard-matrix", path, today=TODAY, operator="importer", **kw)


def lines(db: Database, hazard: str = "台风") -> list[dict[str, object]]:
    with db.sessions() as session:
        return matrix_lines(session, hazard=hazard)


def counts(db: Database) -> tuple[int, int, int]:
    with db.sessions() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(m))
            for m in (HazardPlan, HazardTeamLine, HazardMaterialLine)
        )


# the office's own headers (队伍, 人数, 物资名称 ...) and an extra column 联系人
HEADER = [
    "序号",
    "灾种",
    "类型",
    "级别",
    "预案",
    "队伍",
    "人数",
    "物资",
    "数量",
    "存放地点",
    "联系人",
]
GOOD = [
    [1, "台风", "预案", "黄", "YA-TF", None, None, None, None, None, "王科长"],
    [2, "台风", "队伍", "橙色", None, "T-FX", 6, None, None, None, "李队长"],
    [3, "防台", "物资", "Ⅰ级", None, None, None, "编织袋", "2000", "D-YP", None],
    [4, "台风", "队伍", "红", None, "水上救援队", "3", None, None, None, None],
]


def test_an_office_sheet_is_imported_through_the_matrix_functions(
    db: Database, tmp_path: Path
) -> None:
    _world(db)
    dry = run(db, sheet(tmp_path / "m.xlsx", [HEADER, *GOOD]), dry_run=True)
    assert dry.problems == [] and dry.created == 4
    assert counts(db) == (0, 0, 0)  # the dry run wrote nothing
    report = run(db, tmp_path / "m.xlsx")
    assert report.problems == [] and (report.created, report.updated) == (4, 0)
    got = {(r["kind"], r["level"], r["code"], r["amount"], r["place"]) for r in lines(db)}
    assert got == {("plan", "yellow", "YA-TF", None, None), ("team", "orange", "T-FX", 6, None),
                   ("material", "red", "2030101", 2000, "D-YP"),
                   ("team", "red", "T-SW", 3, None)}  # fmt: skip
    with db.sessions() as session:
        extra = {(r.header, r.value) for r in session.scalars(select(ImportExtra))}
    assert extra == {("联系人", "王科长"), ("联系人", "李队长")}
    again = run(db, tmp_path / "m.xlsx")  # the same file again: nothing changes
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_a_bad_row_refuses_the_file_with_its_row_and_column(db: Database, tmp_path: Path) -> None:
    _world(db)
    bad = [
        *GOOD[:2],
        [3, "台风", "物资", "红", None, None, None, "帐篷", "10", None, None],  # unknown material
        [4, "高温", "队伍", "蓝", None, "T-FX", 2, None, None, None, None],  # 高温 has no blue
        [5, "台风", "队伍", "红", None, "T-FX", 0, None, None, None, None],  # headcount 0
        [6, "台风", "预案", "紫", "YA-TF", None, None, None, None, None, None],  # no such level
        [7, "台风", "车辆", "红", None, None, None, None, None, None, None],  # no such line
    ]
    report = run(db, sheet(tmp_path / "bad.xlsx", [HEADER, *bad]))
    found = {(p.row, p.column) for p in report.problems}
    assert found == {(5, "物资"), (6, "级别"), (7, "人数"), (8, "级别"), (9, "类型")}
    assert counts(db) == (0, 0, 0)  # nothing written, not even the good rows


def test_export_then_import_gives_the_same_matrix(db: Database, tmp_path: Path) -> None:
    _world(db)
    _matrix(db)
    before = lines(db)
    dest = tmp_path / "out.xlsx"
    with db.sessions() as session:
        export_file(session, "hazard-matrix", dest)
    ws = load_workbook(dest).active
    assert ws is not None
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("灾种", "类型", "预警级别") and len(rows) == 1 + len(before)
    same = run(db, dest)
    assert same.problems == [] and (same.created, same.updated, same.unchanged) == (
        0, 0, len(before))  # fmt: skip
    # into an empty matrix: the same lines come back
    with db.session() as session:
        for model in (HazardPlan, HazardTeamLine, HazardMaterialLine):
            for row in session.scalars(select(model)):
                session.delete(row)
    assert counts(db) == (0, 0, 0)
    back = run(db, dest)
    assert back.problems == [] and back.created == len(before)
    assert lines(db) == before


def test_a_changed_headcount_replaces_the_line(db: Database, tmp_path: Path) -> None:
    _world(db)
    _matrix(db)
    path = sheet(tmp_path / "c.xlsx", [HEADER, [1, "台风", "队伍", "红", None, "T-FX", 9,
                                                None, None, None, None]])  # fmt: skip
    report = run(db, path)
    assert report.problems == [] and report.updated == 1
    red = [r for r in lines(db) if r["kind"] == "team" and r["level"] == "red"]
    assert [(r["code"], r["amount"]) for r in red] == [("T-FX", 9)]
