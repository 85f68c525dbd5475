"""CSV that a spreadsheet cannot run (OWASP "CSV Injection").

Every CSV the tool writes (``--format csv`` of the commands, ``drillplan export KIND FILE.csv``)
puts a ``'`` before a text cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR; numbers of
the data stay numbers; the importer takes the quote off again, so an export round-trips. xlsx
exports keep such values as text cells.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select, update

from drillplan.cli import output
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Unit
from drillplan.interchange import readers
from drillplan.interchange.exporter import export_file, write_csv
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.kernel.cells import TRIGGERS, csv_text, neutralise, restore
from tests import factories as f

#: texts a spreadsheet would run, texts that merely contain the characters, and quoted ones
RISKY = ["=SUM(A1)", "+86 138 0000 0000", "-负责人", "@cmd", "\t=1+1", "\r=1", "-5"]
HARMLESS = ["青浦区应急管理局", "A=B", "1-2", "O'Brien", "'quoted", "", "5"]
ALREADY_QUOTED = ["'=SUM(A1)", "''-x", "'@"]


def _parse(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


def _runnable(cell: str) -> bool:
    return cell[:1] in TRIGGERS and cell != ""


# ----------------------------------------------------------------------------- the one function


def test_risky_text_gets_a_quote_and_harmless_text_does_not() -> None:
    for text in RISKY:
        assert neutralise(text) == "'" + text
    for text in HARMLESS:
        assert neutralise(text) == text
    for text in ALREADY_QUOTED:  # one more quote, so that the import gives this text back
        assert neutralise(text) == "'" + text


def test_neutralise_then_restore_gives_every_text_back() -> None:
    alphabet = ["'", "=", "-", "+", "@", "\t", "a", "负"]
    texts = ["".join(p) for n in range(4) for p in itertools.product(alphabet, repeat=n)]
    for text in [*texts, *RISKY, *HARMLESS, *ALREADY_QUOTED]:
        safe = neutralise(text)
        assert not _runnable(safe), repr(text)
        assert restore(safe) == text, repr(text)
    assert restore("plain") == "plain" and restore("'plain") == "'plain"


def test_numbers_of_the_data_stay_numbers() -> None:
    assert csv_text(-5) == "-5"
    assert csv_text(-1.5) == "-1.5"
    assert csv_text(Decimal("-1.5")) == "-1.5"
    assert csv_text(Decimal("-5"), "-5") == "-5"
    assert csv_text("-5") == "'-5"  # a text (a code, a phone) that looks like a number
    assert csv_text(None) == ""
    assert csv_text(True) == "True"


# ----------------------------------------------------------------------------- --format csv


def test_command_csv_output_is_neutralised() -> None:
    rows = [
        {"name": '=HYPERLINK("http://x")', "qty": -5, "price": Decimal("-1.5"), "code": "-5"},
        {"name": "@SUM(1)", "qty": Decimal("-2"), "price": -0.25, "code": "+1"},
        {"name": "仓库", "qty": 3, "price": None, "code": "A-1"},
    ]
    columns = ["name", "qty", "price", "code"]
    cells = _parse(output.render(rows, columns, "csv"))
    assert cells[0] == columns
    assert cells[1] == ['\'=HYPERLINK("http://x")', "-5", "-1.5", "'-5"]
    assert cells[2] == ["'@SUM(1)", "-2", "-0.25", "'+1"]
    assert cells[3] == ["仓库", "3", "", "A-1"]
    # JSON and the table are not for spreadsheets: the values as they are
    assert json.loads(output.render(rows, columns, "json"))[0]["name"] == rows[0]["name"]
    assert "=HYPERLINK" in output.render(rows, columns, "table").splitlines()[2][:12]


def test_a_command_with_format_csv(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.session() as session:
        f.unit(session, "U-EVIL", name="=cmd|' /C calc'!A0")
        f.unit(session, "U-OK", name="夏阳街道")
    capsys.readouterr()
    assert main(["--db", db.url, "units", "list", "--format", "csv"]) == 0
    cells = _parse(capsys.readouterr().out)
    names = {row[0]: row[1] for row in cells[1:]}
    assert names == {"U-EVIL": "'=cmd|' /C calc'!A0", "U-OK": "夏阳街道"}
    assert not any(_runnable(c) for row in cells for c in row)


# ----------------------------------------------------------------------------- export / import


def _units(db: Database) -> dict[str, tuple[str, str | None, str | None]]:
    with db.sessions() as session:
        return {
            u.code: (u.name, u.contact, u.address)
            for u in session.scalars(select(Unit).order_by(Unit.code))
        }


@pytest.fixture()
def risky_units(db: Database) -> dict[str, tuple[str, str | None, str | None]]:
    with db.session() as session:
        f.unit(session, "U1", name="=SUM(A1)", contact="-负责人", address="@总部")
        f.unit(session, "U2", name="'=已有引号", contact="+8621", address="\t=1+1 青浦")
        f.unit(session, "U3", name="青浦区应急管理局", contact="O'Brien", address="1-2 号")
    return _units(db)


def test_csv_export_is_neutralised_and_imports_back_the_same(
    db: Database, tmp_path: Path, risky_units: dict[str, tuple[str, str | None, str | None]]
) -> None:
    path = tmp_path / "units.csv"
    with db.sessions() as session:
        assert export_file(session, "units", path).rows == 3
    cells = _parse(path.read_text(encoding="utf-8-sig"))
    assert not any(_runnable(c) for row in cells for c in row)
    header = cells[0]
    u1 = dict(zip(header, cells[1], strict=True))
    assert (u1["单位名称"], u1["联系人"], u1["地址"]) == ("'=SUM(A1)", "'-负责人", "'@总部")
    u2 = dict(zip(header, cells[2], strict=True))
    assert u2["单位名称"] == "''=已有引号"

    # the database changed since the export: importing the file gives the originals back
    with db.session() as session:
        session.execute(update(Unit).values(name="改过", contact="改过", address="改过"))
    with db.session() as session:
        report = import_file(session, "units", path)
    assert report.problems == [] and report.updated == 3
    expected = dict(risky_units)
    expected["U2"] = ("'=已有引号", "+8621", "=1+1 青浦")  # the import trims leading blanks
    assert _units(db) == expected
    with db.session() as session:  # and importing it again changes nothing
        again = import_file(session, "units", path)
    assert again.problems == [] and (again.updated, again.unchanged) == (0, 3)


def test_xlsx_export_keeps_them_as_text_cells(
    db: Database, tmp_path: Path, risky_units: dict[str, tuple[str, str | None, str | None]]
) -> None:
    path = tmp_path / "units.xlsx"
    with db.sessions() as session:
        export_file(session, "units", path)
    assert readers.formula_cells(path, "单位") == []
    ws = load_workbook(path)["单位"]
    header = [c.value for c in ws[1]]
    name, contact = header.index("单位名称") + 1, header.index("联系人") + 1
    assert (ws.cell(2, name).value, ws.cell(2, name).data_type) == ("=SUM(A1)", "s")
    assert (ws.cell(2, contact).value, ws.cell(2, contact).data_type) == ("-负责人", "s")
    assert ws.cell(3, name).value == "'=已有引号"  # no quote added or taken in xlsx
    with db.session() as session:
        session.execute(update(Unit).values(name="改过", contact="改过"))
    with db.session() as session:
        report = import_file(session, "units", path)
    assert report.problems == [] and report.updated == 3
    names = {code: values[:2] for code, values in _units(db).items()}
    assert names == {code: values[:2] for code, values in risky_units.items()}


def test_exported_numbers_are_not_quoted(tmp_path: Path) -> None:
    kind = KINDS["lots"]
    row: dict[str, object] = {
        "holder": "-D1",
        "material": "2010101",
        "batch_no": "-5",
        "quantity": Decimal("-5"),
        "unit_cost": Decimal("-1.5"),
    }
    path = tmp_path / "lots.csv"
    assert write_csv(kind, [row], path) == 1
    header, cells = _parse(path.read_text(encoding="utf-8-sig"))
    got = dict(zip(header, cells, strict=True))
    by_key = {c.key: got[c.zh] for c in kind.columns}
    assert (by_key["quantity"], by_key["unit_cost"]) == ("-5", "-1.5")
    assert (by_key["holder"], by_key["batch_no"]) == ("'-D1", "'-5")
