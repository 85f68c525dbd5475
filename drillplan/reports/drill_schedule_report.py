"""年度应急演练计划: the year's drills as a table and a month-by-month calendar (landscape)."""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.db.models import Drill, DrillParticipant
from drillplan.drills.conflicts import KINDS as CONFLICT_KINDS
from drillplan.drills.conflicts import find_conflicts
from drillplan.drills.recurrence import occurrences_in_year
from drillplan.kernel.vocab import label
from drillplan.reports.frame import (
    FONT,
    RULE,
    Heading,
    open_document,
    styles,
)
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import HEADER_BG, Col, data_table

CLASH = colors.HexColor("#b42318")
WEEKDAYS_ZH = ["一", "二", "三", "四", "五", "六", "日"]
WEEKDAYS_EN = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def _month_table(
    year: int,
    month: int,
    by_day: dict[dt.date, list[str]],
    clash_days: set[dt.date],
    width: float,
    lang: str,
) -> Table:
    cell = ParagraphStyle("calendar", parent=styles()["cell"], fontSize=7, leading=8.2)
    head = WEEKDAYS_ZH if lang == "zh" else WEEKDAYS_EN
    rows: list[list[object]] = [list(head)]
    for week in calendar.Calendar().monthdatescalendar(year, month):
        line: list[object] = []
        for day in week:
            if day.month != month:
                line.append("")
                continue
            codes = by_day.get(day, [])
            mark = " ▲" if day in clash_days else ""
            shown = " ".join(c.rsplit("-", 1)[-1] for c in codes[:3])
            more = f" +{len(codes) - 3}" if len(codes) > 3 else ""
            text = f"<b>{day.day}</b>{mark}" + (f"<br/>{shown}{more}" if codes else "")
            line.append(Paragraph(text, cell))
        rows.append(line)
    table = Table(rows, colWidths=[width / 7] * 7, rowHeights=[13] + [32] * (len(rows) - 1))
    cmds: list[tuple[object, ...]] = [
        ("FONT", (0, 0), (-1, -1), FONT, 8),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_BG),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 1), (-1, -1), 1),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 1),
        ("LEFTPADDING", (0, 0), (-1, -1), 2),
        ("RIGHTPADDING", (0, 0), (-1, -1), 2),
        ("BACKGROUND", (5, 1), (6, -1), colors.HexColor("#f6f8fa")),
    ]
    for r, week in enumerate(calendar.Calendar().monthdatescalendar(year, month), start=1):
        for c, day in enumerate(week):
            if day in clash_days and day.month == month:
                cmds.append(("BOX", (c, r), (c, r), 1.2, CLASH))
    table.setStyle(TableStyle(cmds))
    return table


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    year: int,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    doc = open_document(
        session,
        title=(f"{year}年度应急演练计划", f"Drill Schedule {year}"),
        subject=("演练安排、月历与冲突", "Drills, calendar and conflicts"),
        as_of=as_of,
        lang=lang,
        landscape=True,
        generated_at=generated_at,
        date_kind="compiled",
    )
    tx, st, width = doc.tx, doc.st, doc.width
    occs = occurrences_in_year(session, year)
    conflicts = find_conflicts(session, year=year)
    drills = {
        d.id: d
        for d in session.scalars(
            select(Drill)
            .where(Drill.id.in_({o.drill_id for o in occs}))
            .options(
                selectinload(Drill.plans),
                selectinload(Drill.organiser),
                selectinload(Drill.participants).selectinload(DrillParticipant.team),
            )
        )
    }
    clash_by_drill: dict[int, list[str]] = defaultdict(list)
    clash_days: set[dt.date] = set()
    for c in conflicts:
        for drill_id in c.drill_ids:
            clash_by_drill[drill_id].append(c.kind)
        if c.drill_ids:
            clash_days.add(c.date)
    figures: dict[str, object] = {
        "occurrences": len(occs),
        "drills": len(drills),
        "conflicts": len(conflicts),
    }
    story = doc.story
    story.append(Heading(tx.t("一、演练安排", "1. Drills"), st["h1"]))
    if not occs:
        story.append(
            Paragraph(
                tx.t(f"{year} 年度没有安排演练。", f"There are no drills scheduled in {year}."),
                st["base"],
            )
        )
        return doc.finish(path, figures)
    story.append(
        Paragraph(
            tx.t(
                f"{year} 年度共安排演练 {len(occs)} 场次（{len(drills)} 项），发现冲突 "
                f"{len(conflicts)} 处；有冲突的场次标注“▲ 冲突”，详见第三部分。",
                f"{len(occs)} drill sessions ({len(drills)} drills) in {year};"
                f" {len(conflicts)} conflicts, marked ▲ and listed in part 3.",
            ),
            st["base"],
        )
    )
    story.append(Spacer(1, 4))
    rows = []
    for o in occs:
        d = drills[o.drill_id]
        teams = "、".join(p.team.name for p in d.participants if p.team is not None)
        rows.append(
            [
                o.start.date(),
                f"{o.start:%H:%M}-{o.end:%H:%M}",
                f"{d.code} {d.title}",
                label(d.form, lang),
                "、".join(p.code for p in d.plans),
                d.organiser.name,
                teams,
                d.venue or "",
                "conflict" if o.drill_id in clash_by_drill else "ok",
            ]
        )
    story += data_table(
        [
            Col(tx.t("日期", "Date"), 1.0, "CENTER"),
            Col(tx.t("时间", "Time"), 0.9, "CENTER"),
            Col(tx.t("演练", "Drill"), 3.0, wrap=True),
            Col(tx.t("形式", "Form"), 0.8),
            Col(tx.t("检验预案", "Plans"), 1.6, wrap=True),
            Col(tx.t("组织单位", "Organiser"), 1.8, wrap=True),
            Col(tx.t("参演队伍", "Teams"), 2.6, wrap=True),
            Col(tx.t("地点", "Venue"), 1.8, wrap=True),
            Col(tx.t("冲突", "Conflict"), 0.8, status=True),
        ],
        rows,
        width=width,
        lang=lang,
    )

    story.append(PageBreak())
    story.append(Heading(tx.t("二、月历", "2. Calendar"), st["h1"]))
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for o in occs:
        by_day[o.start.date()].append(drills[o.drill_id].code)
    story.append(
        Paragraph(
            tx.t(
                "格内数字为演练编号末段（如 001 即 …-001）；▲ 表示当日有冲突。",
                "Cells show the last part of each drill code (001 = …-001); ▲ marks a conflict.",
            ),
            st["note"],
        )
    )
    third = (width - 24) / 3
    months = list(range(1, 13))
    for row in (months[i : i + 3] for i in range(0, 12, 3)):
        cells = []
        for m in row:
            title = Paragraph(tx.t(f"{year}年{m}月", f"{calendar.month_name[m]} {year}"), st["h2"])
            cells.append([title, _month_table(year, m, by_day, clash_days, third, lang)])
        grid = Table([cells], colWidths=[third + 8] * 3)
        grid.setStyle(
            TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), FONT, 8)])
        )
        story.append(CondPageBreak(235))
        story.append(KeepTogether([grid, Spacer(1, 4)]))

    story.append(PageBreak())
    story.append(Heading(tx.t("三、冲突", "3. Conflicts"), st["h1"]))
    if conflicts:
        story += data_table(
            [
                Col(tx.t("日期", "Date"), 1.0, "CENTER"),
                Col(tx.t("类型", "Kind"), 1.6),
                Col(tx.t("演练", "Drills"), 1.8, wrap=True),
                Col(tx.t("原因", "Reason"), 7.0, wrap=True),
            ],
            [
                [
                    c.date,
                    CONFLICT_KINDS.get(c.kind, (c.kind, c.kind))[0 if lang == "zh" else 1],
                    "、".join(c.drill_codes),
                    c.reason_zh if lang == "zh" else c.reason_en,
                ]
                for c in conflicts
            ],
            width=width,
            lang=lang,
        )
    else:
        story.append(Paragraph(tx.t("没有发现冲突。", "No conflicts."), st["base"]))
    return doc.finish(path, figures)
