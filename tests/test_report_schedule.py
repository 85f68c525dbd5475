"""The annual drill plan hand-out: preamble, every drill with 序号/type/form/units/status
(cancelled ones marked and counted), plans due with no drill in their own section (not
conflicts), the sign-off, and a calendar with full codes, holidays and make-up workdays."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from drillplan import settings
from drillplan.calendar.workdays import calendar_for
from drillplan.db.database import Database, open_db
from drillplan.db.models import Drill
from drillplan.demo import load_demo
from drillplan.kernel.vocab import DrillStatus
from drillplan.reports.drill_schedule_report import due_without_drill
from drillplan.reports.registry import build_report

AS_OF = dt.date(2026, 11, 24)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Database:
    database = open_db(tmp_path_factory.mktemp("sched") / "demo.sqlite3")
    with database.session() as session:
        load_demo(session, as_of=AS_OF)
        settings.set_value(
            session, "schedule_preamble", "为做好{year}年度应急演练工作，特制定本计划。"
        )
    return database


def _pages(path: Path) -> list[str]:
    return ["".join(p.extract_text().split()) for p in PdfReader(str(path)).pages]


def _build(database: Database, tmp_path: Path, year: int, lang: str = "zh") -> list[str]:
    with database.sessions() as session:
        result = build_report(session, "drill-schedule", tmp_path / f"s{year}{lang}.pdf",
                              as_of=AS_OF, year=year, lang=lang)  # fmt: skip
    return _pages(result.path)


def test_every_drill_of_the_year_with_its_cancelled_ones_counted(
    demo: Database, tmp_path: Path
) -> None:
    with demo.sessions() as session:
        drills = list(session.scalars(select(Drill).where(Drill.code.like("YL-2026-%"))))
    cancelled = [d for d in drills if d.status == DrillStatus.CANCELLED]
    assert cancelled  # the demo has one
    pages = _build(demo, tmp_path, 2026)
    flat = "".join(pages)
    assert "为做好2026年度应急演练工作，特制定本计划。" in flat  # the preamble setting
    assert f"共{len(drills)}项，其中取消{len(cancelled)}项" in flat
    body = flat.split("二、本年度应演练但尚未安排的预案")[0]
    for d in drills:
        assert d.code in body
    assert "已取消（不计入）" in body
    for header in (
        "序号",
        "类型",
        "形式",
        "检验预案",
        "牵头单位",
        "参演单位",
        "参演队伍",
        "计划时间",
        "状态",
    ):
        assert header in body
    assert "综合" in body and "单项" in body and "实战演练" in body and "桌面演练" in body
    for role in ("编制：", "审核：", "批准："):
        assert role in flat


def test_plans_due_without_a_drill_are_listed_apart_from_conflicts(
    demo: Database, tmp_path: Path
) -> None:
    with demo.sessions() as session:
        due = due_without_drill(session, 2026)
    assert due
    flat = "".join(_build(demo, tmp_path, 2026))
    section = flat.split("二、本年度应演练但尚未安排的预案")[1].split("三、安排冲突")[0]
    conflicts = flat.split("三、安排冲突")[1].split("附件")[0]
    for code, *_ in due:
        assert str(code) in section and str(code) not in conflicts


def test_a_year_without_drills_still_lists_the_plans_due(demo: Database, tmp_path: Path) -> None:
    with demo.sessions() as session:
        due = due_without_drill(session, 2031)
    assert due
    flat = "".join(_build(demo, tmp_path, 2031))
    assert "2031年度没有安排演练" in flat
    assert f"下列{len(due)}件预案" in flat


def test_the_calendar_shows_full_codes_holidays_and_make_up_workdays(
    demo: Database, tmp_path: Path
) -> None:
    pages = _build(demo, tmp_path, 2026)
    start = next(i for i, p in enumerate(pages) if "附件：演练月历" in p)
    calendar = "".join(pages[start:])
    assert len(pages) - start <= 3  # a year on at most three pages
    with demo.sessions() as session:
        codes = [d.code for d in session.scalars(select(Drill)) if d.code.startswith("YL-2026")
                 and d.status != DrillStatus.CANCELLED]  # fmt: skip
        cal = calendar_for(session, [2026])
    assert any(code in calendar for code in codes)
    assert not re.search(r"(?<![-\d])00\d(?![\d-])", calendar.split("2026年1月", 1)[1])
    holiday = min(d for d in cal.days_off if d.year == 2026 and cal.is_public_holiday(d))
    workday = min(d for d in cal.workdays if d.year == 2026)
    month = calendar.split(f"2026年{holiday.month}月", 1)[1]
    assert f"{holiday.day}休" in month
    month = calendar.split(f"2026年{workday.month}月", 1)[1]
    assert f"{workday.day}班" in month


def test_english_schedule(demo: Database, tmp_path: Path) -> None:
    text = " ".join(_build(demo, tmp_path, 2026, "en"))
    assert "Plansduethisyearwithnodrillyet" in text and "Cancelled(notcounted)" in text
    assert "Preparedby:" in text and "Approvedby:" in text
