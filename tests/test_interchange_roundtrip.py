"""Export then import gives the same data; exports and templates are real spreadsheets."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import load_workbook

from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo
from drillplan.interchange import readers
from drillplan.interchange.exporter import export_file, export_rows
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS, Kind
from drillplan.interchange.spec import T
from drillplan.interchange.templates import HELP_SHEET, write_template
from drillplan.stock.check import run_checks

AS_OF = dt.date(2025, 6, 1)
ORDERED = sorted(KINDS.values(), key=lambda k: k.order)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_db(tmp_path_factory.mktemp("demo") / "demo.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
    return database


def _rows(database: Database, kind: Kind) -> list[dict[str, object]]:
    with database.sessions() as session:
        return list(export_rows(session, kind))


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_export_then_import_gives_the_same_registers(
    demo: Database, db: Database, tmp_path: Path, suffix: str
) -> None:
    for kind in ORDERED:  # parents first: units, materials, depots, teams, members ...
        path = tmp_path / f"{kind.name}{suffix}"
        with demo.sessions() as session:
            exported = export_file(session, kind, path).rows
        with db.session() as session:
            report = import_file(session, kind, path, today=AS_OF)
        assert report.problems == [], kind.name
        assert (report.created, report.updated, report.unchanged) == (exported, 0, 0)
        assert _rows(db, kind) == _rows(demo, kind), kind.name
    with db.sessions() as session:
        assert run_checks(session) == []  # opening receipts equal the lots' on-hand
    for kind in ORDERED:  # importing the same files again changes nothing
        with db.session() as session:
            report = import_file(session, kind, tmp_path / f"{kind.name}{suffix}", today=AS_OF)
        assert report.problems == [] and report.created == report.updated == 0, kind.name


def test_dry_run_counts_and_writes_nothing(demo: Database, db: Database, tmp_path: Path) -> None:
    path = tmp_path / "materials.xlsx"
    with demo.sessions() as session:
        n = export_file(session, "materials", path).rows
    with db.session() as session:
        report = import_file(session, "materials", path, dry_run=True)
    assert (report.ok, report.written, report.created) == (True, False, n)
    assert _rows(db, KINDS["materials"]) == []


def test_changed_rows_are_updated_not_duplicated(
    demo: Database, db: Database, tmp_path: Path
) -> None:
    path = tmp_path / "materials.xlsx"
    with demo.sessions() as session:
        export_file(session, "materials", path)
    with db.session() as session:
        import_file(session, "materials", path)
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws["B2"] = "改过的名称"
    ws.delete_cols(8)  # a column left out keeps its values
    wb.save(path)
    with db.session() as session:
        report = import_file(session, "materials", path)
    assert (report.created, report.updated) == (0, 1)
    after = _rows(db, KINDS["materials"])
    before = _rows(demo, KINDS["materials"])
    assert after[0]["name"] == "改过的名称" and after[1:] == before[1:]
    assert after[0]["reference_price"] == before[0]["reference_price"]


def test_export_is_a_real_spreadsheet(demo: Database, tmp_path: Path) -> None:
    path = tmp_path / "lots.xlsx"
    with demo.sessions() as session:
        n = export_file(session, "lots", path).rows
    wb = load_workbook(path)  # a second, independent reader (openpyxl; calamine imports it)
    ws = wb["物资批次"]
    kind = KINDS["lots"]
    assert [c.value for c in ws[1]] == [c.zh for c in kind.columns]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(kind.columns)).column_letter}{n + 1}"
    assert ws.column_dimensions["A"].width == kind.columns[0].width
    second = [c.value for c in ws[2]]
    made = kind.columns.index(kind.column("production_date"))
    qty = kind.columns.index(kind.column("quantity"))
    assert isinstance(second[made], dt.datetime)  # a date cell, not text
    assert ws.cell(2, made + 1).is_date
    assert isinstance(second[qty], int | float)
    book = readers.Workbook(path)
    table = book.table("物资批次")
    assert len(table.rows) == n + 1 and not table.formulas and not table.merged


def test_text_that_looks_like_a_formula_stays_text(db: Database, tmp_path: Path) -> None:
    path = tmp_path / "units.xlsx"
    with db.session() as session:
        from tests import factories as f

        f.unit(session, name="=HYPERLINK(1)")
        export_file(session, "units", path)
    wb = load_workbook(path)
    assert wb.active is not None and wb.active["B2"].data_type == "s"
    assert readers.formula_cells(path, "单位") == []


@pytest.mark.parametrize("kind", ORDERED, ids=[k.name for k in ORDERED])
def test_template_has_headers_help_and_lists(kind: Kind, tmp_path: Path) -> None:
    path = write_template(kind, tmp_path / f"{kind.name}.xlsx")
    wb = load_workbook(path)
    ws = wb[kind.sheet_name]
    # every column but 记录版本 (a new record has no version; see test_stale_reimport.py)
    assert [c.value for c in ws[1]] == [c.zh for c in kind.data_columns]
    assert ws.max_row == 1 or all(c.value is None for c in ws[2])
    help_rows = list(wb[HELP_SHEET].iter_rows(min_row=3, values_only=True))
    assert [r[0] for r in help_rows] == [c.zh for c in kind.data_columns]
    listed = {c.zh for c in kind.data_columns if c.type in (T.ENUM, T.BOOL)}
    validated = set()
    for dv in ws.data_validations.dataValidation:
        first = str(dv.sqref).split(":")[0].rstrip("0123456789")
        validated.add(ws[f"{first}1"].value)
    assert validated == listed
    with open_db(tmp_path / "t.sqlite3").session() as session:
        report = import_file(session, kind, path)
    assert [p.rule for p in report.problems] == ["empty_sheet"]  # headers recognised
