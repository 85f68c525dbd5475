"""Working-day calendar: the library's Chinese holidays and make-up workdays, user lists on top.

The expected dates are counted by hand from the State Council's holiday notices for 2025 and
2026 and checked against the `holidays` package.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select

from drillplan.calendar.holiday_list import parse_official_list, year_rows
from drillplan.calendar.workdays import (
    WorkCalendar,
    calendar_for,
    library_calendar,
    library_knows,
    set_official_list,
)
from drillplan.cli import plans as plans_cli
from drillplan.db.database import Database
from drillplan.db.models import Holiday
from drillplan.kernel.errors import ValidationError

D = dt.date
# A year the library has no official list for (only the statutory festival days).
UNLISTED_YEAR = 2031
# A hypothetical official list for 2031 (not the real one: it is not published yet):
# Spring Festival off Wed 1/22 - Wed 1/29, make-up workdays Sat 1/18 and Sat 2/8.
LIST_2031_OFF = {D(2031, 1, 22) + dt.timedelta(days=i): "春节" for i in range(8)}
LIST_2031_WORK = {D(2031, 1, 18), D(2031, 2, 8)}


def _days(start: dt.date, end: dt.date) -> list[dt.date]:
    return [start + dt.timedelta(days=i) for i in range((end - start).days + 1)]


# ------------------------------------------------------------------- library calendar


def test_spring_festival_2026_days_off_and_make_up_workdays() -> None:
    cal = library_calendar([2026])
    # 2026: off Sun 2/15 - Mon 2/23 (nine days), work Sat 2/14 and Sat 2/28.
    for day in _days(D(2026, 2, 15), D(2026, 2, 23)):
        assert not cal.is_workday(day), day
    assert cal.is_workday(D(2026, 2, 14)) and D(2026, 2, 14).weekday() == 5
    assert cal.is_workday(D(2026, 2, 28)) and D(2026, 2, 28).weekday() == 5
    assert cal.is_workday(D(2026, 2, 13)) and cal.is_workday(D(2026, 2, 24))
    assert cal.is_public_holiday(D(2026, 2, 17))
    assert cal.why_not_workday(D(2026, 2, 17)) == "春节"
    assert cal.why_not_workday(D(2026, 3, 7)) == "周末"
    assert cal.why_not_workday(D(2026, 3, 9)) is None


def test_national_day_2025_days_off_and_make_up_workdays() -> None:
    cal = library_calendar([2025])
    # 2025: National Day + Mid-Autumn off Wed 10/1 - Wed 10/8, work Sun 9/28 and Sat 10/11.
    for day in _days(D(2025, 10, 1), D(2025, 10, 8)):
        assert not cal.is_workday(day), day
    assert cal.is_workday(D(2025, 9, 28)) and D(2025, 9, 28).weekday() == 6
    assert cal.is_workday(D(2025, 10, 11)) and D(2025, 10, 11).weekday() == 5
    assert not cal.is_workday(D(2025, 10, 12))  # an ordinary Sunday


def test_twenty_workdays_across_spring_festival_2026() -> None:
    cal = library_calendar([2026])
    # From Tue 2/10: 2/11 2/12 2/13 (3), Sat 2/14 make-up (4), 2/15-2/23 off,
    # 2/24-2/27 (8), Sat 2/28 make-up (9), 3/2-3/6 (14), 3/9-3/13 (19), Mon 3/16 (20).
    assert cal.add_workdays(D(2026, 2, 10), 20) == D(2026, 3, 16)
    assert cal.workdays_between(D(2026, 2, 10), D(2026, 3, 16)) == 20
    assert cal.workdays_between(D(2026, 3, 16), D(2026, 3, 18)) == 2


def test_twenty_workdays_across_national_day_2025() -> None:
    cal = library_calendar([2025])
    # From Thu 9/25: Fri 9/26 (1), Sun 9/28 make-up (2), 9/29 9/30 (4), 10/1-10/8 off,
    # 10/9 10/10 (6), Sat 10/11 make-up (7), 10/13-10/17 (12), 10/20-10/24 (17),
    # 10/27 10/28 (19), Wed 10/29 (20).
    assert cal.add_workdays(D(2025, 9, 25), 20) == D(2025, 10, 29)


def test_add_workdays_edges() -> None:
    cal = WorkCalendar()
    assert cal.add_workdays(D(2024, 3, 1), 0) == D(2024, 3, 1)
    assert cal.add_workdays(D(2024, 3, 1), 1) == D(2024, 3, 4)  # Fri -> Mon
    assert cal.add_workdays(D(2024, 3, 2), 1) == D(2024, 3, 4)  # from a Saturday
    with pytest.raises(ValueError):
        cal.add_workdays(D(2024, 3, 1), -1)


def test_library_lacks_the_unlisted_year() -> None:
    assert library_knows(2025) and library_knows(2026)
    assert not library_knows(UNLISTED_YEAR), "pick a later UNLISTED_YEAR for this library"
    cal = library_calendar([UNLISTED_YEAR])
    assert not cal.workdays  # no make-up workdays known
    # weekends and statutory days only: from Mon 1/20, 1/21 (1), 1/22-1/27 off,
    # 1/28-1/31 (5), 2/3-2/7 (10), 2/10-2/14 (15), 2/17-2/21 (20)
    assert cal.add_workdays(D(2031, 1, 20), 20) == D(2031, 2, 21)


# ------------------------------------------------------------------- the user's lists


def test_user_official_list_changes_the_calendar(db: Database) -> None:
    with db.session() as session:
        set_official_list(session, UNLISTED_YEAR, LIST_2031_OFF, LIST_2031_WORK)
    with db.session() as session:
        cal = calendar_for(session, [UNLISTED_YEAR])
        assert not cal.is_workday(D(2031, 1, 28)) and not cal.is_workday(D(2031, 1, 29))
        assert cal.is_workday(D(2031, 2, 8))
        # 1/21 (1), 1/22-1/29 off, 1/30 1/31 (3), 2/3-2/7 (8), Sat 2/8 (9), 2/10-2/14 (14),
        # 2/17-2/21 (19), Mon 2/24 (20)
        assert cal.add_workdays(D(2031, 1, 20), 20) == D(2031, 2, 24)
        # without a session only the library counts
        assert calendar_for(None, [UNLISTED_YEAR]).add_workdays(D(2031, 1, 20), 20) == D(
            2031, 2, 21
        )


def test_user_entries_win_over_the_library(db: Database) -> None:
    with db.session() as session:
        # say the State Council moved a day: 2026-02-23 becomes a working day, 3/2 a day off
        set_official_list(session, 2026, {D(2026, 3, 2): "调休放假"}, {D(2026, 2, 23)})
    with db.session() as session:
        cal = calendar_for(session, [2026])
        assert cal.is_workday(D(2026, 2, 23))
        assert not cal.is_workday(D(2026, 3, 2))
        assert cal.is_workday(D(2026, 2, 14))  # library entries not overridden stay


def test_set_official_list_replaces_the_year(db: Database) -> None:
    with db.session() as session:
        set_official_list(session, UNLISTED_YEAR, LIST_2031_OFF, LIST_2031_WORK)
        set_official_list(session, UNLISTED_YEAR, {D(2031, 1, 28): "春节"}, set())
    with db.session() as session:
        days = set(session.scalars(select(Holiday.day)))
        assert days == {D(2031, 1, 28)}


@pytest.mark.parametrize(
    ("days_off", "workdays"),
    [
        ({D(2030, 12, 31): "元旦"}, set()),  # another year
        ({D(2031, 2, 8): "春节"}, {D(2031, 2, 8)}),  # both off and working
    ],
)
def test_set_official_list_rejects_bad_lists(
    db: Database, days_off: dict[dt.date, str], workdays: set[dt.date]
) -> None:
    with db.session() as session:
        with pytest.raises(ValidationError) as err:
            set_official_list(session, UNLISTED_YEAR, days_off, workdays)
        assert err.value.field == "day"
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Holiday)) == 0


# ------------------------------------------------------------------- CSV and the CLI

CSV_2031 = (
    "date,name,type\n"
    + "".join(f"{d.isoformat()},春节,off\n" for d in sorted(LIST_2031_OFF))
    + "2031/1/18,调休,work\n2031年2月8日,调休,上班\n"
)


def test_parse_official_list() -> None:
    listed = parse_official_list(CSV_2031, year=2031)
    assert listed.days_off == LIST_2031_OFF
    assert listed.workdays == LIST_2031_WORK


@pytest.mark.parametrize(
    ("text", "field", "row"),
    [
        ("date,name,type\n2031-01-22,春节,maybe\n", "type", 2),
        ("2031-01-22,春节,off\n2030-01-01,元旦,off\n", "date", 2),
        ("2031-01-22,春节,off\n2031-01-22,春节,off\n", "date", 2),
        ("2031-13-40,春节,off\n", "date", 1),
        ("2031-01-22,春节\n", "file", 1),
        ("date,name,type\n", "file", None),
    ],
)
def test_parse_official_list_rejects(text: str, field: str, row: int | None) -> None:
    with pytest.raises(ValidationError) as err:
        parse_official_list(text, year=2031)
    assert err.value.field == field
    if row is not None:
        assert err.value.row == row


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    plans_cli.register(parser.add_subparsers(dest="command"))
    return parser


def test_cli_holidays_set_and_show(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    csv_file = tmp_path / "2031.csv"
    csv_file.write_text(CSV_2031, encoding="utf-8-sig")
    url = db.url
    args = _parser().parse_args(
        ["--db", url, "holidays", "set", "--year", "2031", "--file", str(csv_file)]
    )
    assert plans_cli.cmd_holidays(args) == 0
    assert "放假 8 天" in capsys.readouterr().out
    args = _parser().parse_args(
        ["--db", url, "holidays", "show", "--year", "2031", "--format", "json"]
    )
    assert plans_cli.cmd_holidays(args) == 0
    out = capsys.readouterr().out
    assert '"2031-02-08"' in out and '"work"' in out and '"user"' in out
    with db.session() as session:
        rows = {r["date"]: r for r in year_rows(session, 2031)}
        assert rows[D(2031, 1, 29)]["type"] == "off" and rows[D(2031, 1, 29)]["source"] == "user"
        assert rows[D(2031, 10, 1)]["source"] == "library"


def test_cli_holidays_set_bad_file_changes_nothing(db: Database, tmp_path: Path) -> None:
    csv_file = tmp_path / "bad.csv"
    csv_file.write_text("2031-01-22,春节,off\n2031-01-23,春节,sometimes\n", encoding="utf-8")
    args = _parser().parse_args(
        ["--db", db.url, "holidays", "set", "--year", "2031", "--file", str(csv_file)]
    )
    with pytest.raises(ValidationError) as err:
        plans_cli.cmd_holidays(args)
    assert err.value.field == "type" and err.value.row == 2
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(Holiday)) == 0
