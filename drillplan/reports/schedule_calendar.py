"""The month calendar of the annual drill plan: two months to a row on A4 landscape (a year
on two or three pages), each day with its drills' full codes, public holidays shaded and marked 休,
make-up working days marked 班 and left unshaded (they are working days), weekends lightly
shaded, and a red frame round a day with a conflict."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Sequence

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable, KeepTogether, Spacer, Table, TableStyle

from drillplan.calendar.workdays import WorkCalendar
from drillplan.reports.frame import RULE, Para, Texts, current_fonts, fit_text, styles
from drillplan.reports.tables import HEADER_BG

CLASH = colors.HexColor("#b42318")
HOLIDAY_BG = colors.HexColor("#fde2e1")
WEEKEND_BG = colors.HexColor("#f2f4f7")
WORKDAY_MARK = colors.HexColor("#175cd3")
WEEKDAYS_ZH = ["一", "二", "三", "四", "五", "六", "日"]
WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS_EN = list(calendar.month_name)
PER_DAY = 2  # codes shown in a day's cell; more are counted (+N)


def legend(tx: Texts) -> str:
    return tx.t(
        "格内为当日演练的完整编号（多于 2 项时显示“+N”）；红底“休”为法定节假日，“班”为调休上班日"
        "（按工作日计），灰底为周末；红框 ▲ 表示当日有冲突，详见“安排冲突”。",
        "Each day lists its drills' full codes (+N when more than 2); red with H: public holiday;"
        " W: make-up working day (a working day); grey: weekend; a red frame ▲: a conflict"
        " that day (see Conflicts).",
    )


def _day_cell(
    day: dt.date, codes: Sequence[str], cal: WorkCalendar, clash: bool, width: float, tx: Texts
) -> Para:
    font = current_fonts().table
    style = ParagraphStyle("day", parent=styles()["cell"], fontSize=6.5, leading=7.6)
    off, work = ("休", "班") if tx.lang == "zh" else ("H", "W")
    mark = off if cal.is_public_holiday(day) else (work if day in cal.workdays else "")
    head = f"{day.day}{' ' + mark if mark else ''}{' ▲' if clash else ''}"
    shown = [fit_text(c, font, 6.5, width - 4) for c in codes[:PER_DAY]]
    if len(codes) > PER_DAY:
        shown.append(f"+{len(codes) - PER_DAY}")
    return Para("\n".join([head, *shown]), style)


def month_table(
    year: int,
    month: int,
    by_day: dict[dt.date, list[str]],
    clash_days: set[dt.date],
    cal: WorkCalendar,
    width: float,
    tx: Texts,
) -> Table:
    cell_w = width / 7
    weeks = calendar.Calendar().monthdatescalendar(year, month)
    rows: list[list[object]] = [list(WEEKDAYS_ZH if tx.lang == "zh" else WEEKDAYS_EN)]
    for week in weeks:
        rows.append(
            [
                _day_cell(day, by_day.get(day, []), cal, day in clash_days, cell_w, tx)
                if day.month == month
                else ""
                for day in week
            ]
        )
    in_month = [len(v) for day, v in by_day.items() if (day.year, day.month) == (year, month)]
    lines = 1 + min(PER_DAY + 1, max(in_month, default=0))  # as tall as the month needs
    table = Table(rows, colWidths=[cell_w] * 7, rowHeights=[11] + [lines * 7.6 + 3] * len(weeks))
    font = current_fonts().table
    cmds: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), font, 7),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
    ]
    for r, week in enumerate(weeks, start=1):
        for c, day in enumerate(week):
            if day.month != month:
                continue
            if cal.is_public_holiday(day):
                cmds.append(("BACKGROUND", (c, r), (c, r), HOLIDAY_BG))
            elif day.weekday() >= 5 and day not in cal.workdays:
                cmds.append(("BACKGROUND", (c, r), (c, r), WEEKEND_BG))
            if day in clash_days:
                cmds.append(("BOX", (c, r), (c, r), 1.2, CLASH))
    table.setStyle(TableStyle(cmds))
    return table


def year_calendar(
    year: int,
    by_day: dict[dt.date, list[str]],
    clash_days: set[dt.date],
    cal: WorkCalendar,
    width: float,
    tx: Texts,
) -> list[Flowable]:
    """Twelve months, two to a row; each row as tall as its busiest month needs, so that a
    year takes two or three landscape pages."""
    st = styles()
    gap = 14.0
    half = (width - gap) / 2
    out: list[Flowable] = []
    for first in range(1, 13, 2):
        cells = []
        for m in (first, first + 1):
            title = tx.t(f"{year}年{m}月", f"{MONTHS_EN[m]} {year}")
            cells.append([Para(title, st["h3"]), month_table(year, m, by_day, clash_days, cal,
                                                             half, tx)])  # fmt: skip
        grid = Table([cells], colWidths=[half + gap / 2, half + gap / 2])
        grid.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONT", (0, 0), (-1, -1), current_fonts().table, 8),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), gap / 2),
                ]
            )
        )
        out.append(KeepTogether([grid, Spacer(1, 4)]))
    return out
