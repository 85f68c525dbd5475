"""`drillplan report`: any competition can be printed, bad option values are exit 2 with a
clear message (before any database work), and the command lives in drillplan/cli/reports.py."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from pypdf import PdfReader

from drillplan.cli.main import main
from drillplan.competitions.core import create_competition
from drillplan.db.database import Database, open_db
from drillplan.demo import load_demo

AS_OF = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_db(tmp_path_factory.mktemp("cli") / "demo.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
        create_competition(
            session,
            year=AS_OF.year,
            title="2026年度水上救援专项比武",
            held_on=dt.date(2026, 9, 9),
            venue="青浦区淀山湖水上训练基地",
        )
    return database


def _flat(path: Path) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(str(path)).pages)


@pytest.mark.parametrize("value", ["99999", "-5", "0", "x"])
def test_a_bad_year_is_exit_2_with_a_message(
    demo: Database, value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--db", demo.url, "report", "competition", "-o", str(tmp_path / "c.pdf"),
              f"--year={value}"])  # fmt: skip
    assert exc.value.code == 2
    assert "年份" in capsys.readouterr().err and not (tmp_path / "c.pdf").exists()


def test_the_second_competition_of_a_year_can_be_printed(demo: Database, tmp_path: Path) -> None:
    out = tmp_path / "second.pdf"
    assert main(["--db", demo.url, "report", "competition", "-o", str(out),
                 "--competition", "2026年度水上救援专项比武"]) == 0  # fmt: skip
    flat = _flat(out)
    assert "2026年度水上救援专项比武" in flat and "比赛日期：2026-09-09" in flat


def test_a_competition_by_id_and_an_unknown_one(
    demo: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "first.pdf"
    assert main(["--db", demo.url, "report", "competition", "-o", str(out),
                 "--competition", "1"]) == 0  # fmt: skip
    assert "比赛日期" in _flat(out)
    code = main(["--db", demo.url, "report", "competition", "-o", str(tmp_path / "x.pdf"),
                 "--competition", "没有这个比武"])  # fmt: skip
    assert code == 2 and "没有这个比武" in capsys.readouterr().err


def test_report_registers_from_its_own_module() -> None:
    import drillplan.cli.reports as module

    source = Path(module.__file__).read_text(encoding="utf-8")
    head = source.split("def cmd_report", 1)[0]
    assert "reportlab" not in head and "drillplan.reports" not in head  # imported when run
