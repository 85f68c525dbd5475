"""The printed monthly duty roster (duty-roster): title, issuing unit, every day, the shifts,
the conflicts footnote; through the registry and the command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pypdf import PdfReader

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.duty import roster
from drillplan.reports.registry import build_report
from drillplan.settings import store as settings


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)


def test_the_roster_prints_with_its_conflicts(db: Database, tmp_path: Path) -> None:
    with db.session() as session:
        settings.set_value(session, "unit_name", "青浦区应急管理局")
        roster.create_shift(session, day=dt.date(2026, 12, 1), shift_kind_id="白班",
                            leader="丁晨鹏", officers=["杨洁", "盛萍"],
                            phone="021-59701110")  # fmt: skip
        roster.create_shift(session, day=dt.date(2026, 12, 1), shift_kind_id="全天",
                            leader="费诚", officers=["杨洁"])  # fmt: skip
    with db.session() as session:
        result = build_report(session, "duty-roster", tmp_path / "r.pdf",
                              as_of=dt.date(2026, 12, 3), month="2026-12")  # fmt: skip
    assert result.figures == {"month": "2026-12", "shifts": 2, "findings": 31}
    text = _text(result.path)
    expected = (
        "2026年12月应急值班表", "青浦区应急管理局", "带班领导", "值班员", "12月1日", "12月31日",
        "丁晨鹏", "杨洁、盛萍", "021-59701110", "17:30-次日08:30", "杨洁 同时排在12月1日白班",
        "12月2日（星期三）无带班领导",
    )  # fmt: skip
    for words in expected:
        assert words in text, words


def test_report_command_takes_the_month(db: Database, tmp_path: Path) -> None:
    out = tmp_path / "roster.pdf"
    status = main(["--db", db.url, "report", "duty-roster", "--month", "2027-02", "-o", str(out)])
    assert status == 0
    text = _text(out)
    assert "2027年2月应急值班表" in text and "2月28日" in text and "2月29日" not in text
    assert "本月共排班 0 个班次" in text
