"""A year's official holiday list as users type it (CSV), and the year's calendar as rows.

The CSV has the columns ``date,name,type`` (a header line is optional); ``type`` is ``off``
(a day off: holiday or day in lieu) or ``work`` (a make-up working day, 调休上班); 放假/休
and 上班/班 are accepted too. Empty lines and lines starting with ``#`` are skipped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy import extract, select
from sqlalchemy.orm import Session

from drillplan.calendar.workdays import calendar_for, library_knows
from drillplan.db.models import Holiday
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import normalize_text, parse_date

OFF_WORDS = {"off", "holiday", "放假", "休", "休息"}
WORK_WORDS = {"work", "workday", "上班", "班", "调休上班"}
WEEKDAYS_ZH = "一二三四五六日"


@dataclass(frozen=True)
class OfficialList:
    days_off: dict[dt.date, str]
    workdays: set[dt.date]


def parse_official_list(text: str, *, year: int) -> OfficialList:
    """Parse the CSV; every day must lie in ``year``. Errors carry the 1-based line."""
    days_off: dict[dt.date, str] = {}
    workdays: set[dt.date] = set()
    seen: dict[dt.date, int] = {}
    for line_no, cells in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), start=1):
        cells = [normalize_text(c) for c in cells]
        if not any(cells) or cells[0].startswith("#"):
            continue
        if line_no == 1 and cells[0].lower() in ("date", "日期"):
            continue
        if len(cells) < 3:
            raise ValidationError(
                "file", "每行应为：日期,名称,类型(off|work)", message_en="expected date,name,type"
            ).with_row(line_no)
        try:
            day = parse_date(cells[0], field="date")
        except ValidationError as exc:
            raise exc.with_row(line_no) from exc
        kind = cells[2].lower()
        if kind not in OFF_WORDS | WORK_WORDS:
            raise ValidationError(
                "type",
                f"类型“{cells[2]}”无效，应为 off（放假）或 work（调休上班）",
                message_en=f"type {cells[2]!r} must be off or work",
            ).with_row(line_no)
        if day.year != year:
            raise ValidationError(
                "date", f"{day} 不在 {year} 年", message_en=f"{day} is not in {year}"
            ).with_row(line_no)
        if day in seen:
            raise ValidationError(
                "date",
                f"{day} 重复（第 {seen[day]} 行已有）",
                message_en=f"{day} listed twice (line {seen[day]})",
            ).with_row(line_no)
        seen[day] = line_no
        if kind in OFF_WORDS:
            days_off[day] = cells[1] or "节假日"
        else:
            workdays.add(day)
    if not days_off and not workdays:
        raise ValidationError("file", "文件中没有日期", message_en="the file lists no days")
    return OfficialList(days_off, workdays)


def year_rows(session: Session, year: int) -> list[dict[str, object]]:
    """Every day of ``year`` that is not an ordinary weekday/weekend, with its source."""
    cal = calendar_for(session, [year])
    users = {
        h.day: h
        for h in session.scalars(select(Holiday).where(extract("year", Holiday.day) == year))
    }
    rows: list[dict[str, object]] = []
    for day in sorted(set(cal.days_off) | cal.workdays | set(users)):
        if day.year != year:
            continue
        working = cal.is_workday(day)
        if working and day.weekday() < 5 and day not in users:
            continue
        rows.append(
            {
                "date": day,
                "weekday": f"周{WEEKDAYS_ZH[day.weekday()]}",
                "name": "调休上班" if working else cal.days_off.get(day, "周末"),
                "type": "work" if working else "off",
                "source": "user" if day in users else "library",
            }
        )
    return rows


def year_status(session: Session, year: int) -> str:
    users = session.scalar(select(Holiday.day).where(extract("year", Holiday.day) == year))
    if users is not None:
        return f"{year} 年：使用用户录入的官方安排 (user-entered official list)"
    if library_knows(year):
        return f"{year} 年：使用 holidays 库的官方安排 (library list)"
    return (
        f"{year} 年：holidays 库尚无调休安排，仅含法定节日；请用 drillplan holidays set 录入 "
        "(the library has no official list for this year)"
    )
