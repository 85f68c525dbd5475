"""月度应急值班表: the month's shifts, one row per shift (a day without any: one empty row),
with the shift hours and the conflicts found as a footnote (the roster's check,
:mod:`drillplan.duty.conflicts`)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Paragraph, Spacer
from sqlalchemy.orm import Session

from drillplan.duty.conflicts import month_days, parse_month
from drillplan.duty.read import WEEKDAYS_EN, month_view
from drillplan.duty.shift_kinds import hours_in, hours_text, shift_kinds
from drillplan.reports.cells import Col
from drillplan.reports.frame import open_document
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import data_table

MARK = "※"


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    lang: str = "zh",
    month: str | None = None,
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    year, mon = parse_month(month) if month else (as_of.year, as_of.month)
    view = month_view(session, year, mon)
    doc = open_document(
        session,
        title=(f"{year}年{mon}月应急值班表", f"Duty Roster {year}-{mon:02d}"),
        subject=("值班安排与冲突检查", "Shifts and the roster's conflict check"),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
        date_kind="compiled",
    )
    tx, st, story = doc.tx, doc.st, doc.story
    flagged = {r.id for r in view.rows if r.findings}
    by_day: dict[dt.date, list] = {}
    for r in view.rows:
        by_day.setdefault(r.day, []).append(r)
    rows = []
    for day in month_days(year, mon):
        weekday = WEEKDAYS_EN[day.weekday()] if lang == "en" else "一二三四五六日"[day.weekday()]
        date_text = f"{day.month}月{day.day}日" if lang == "zh" else day.isoformat()
        shifts = by_day.get(day, [])
        if not shifts:
            rows.append([date_text, weekday, tx.t("（未排班）", "(none)"), "", "", "", ""])
        for r in shifts:
            mark = f" {MARK}" if r.id in flagged else ""
            hours = hours_in(r.hours, lang)
            rows.append([date_text, weekday, r.shift + mark, hours, r.leader or "",
                         "、".join(r.officers), r.phone or ""])  # fmt: skip
    leaders = {r.leader for r in view.rows if r.leader}
    if not view.rows:
        story.append(Paragraph(tx.t("本月没有排班记录。", "No shifts this month."), st["base"]))
    story.append(
        Paragraph(
            tx.t(
                f"本月共排班 {len(view.rows)} 个班次，带班领导 {len(leaders)} 人；"
                f"经检查发现问题 {len(view.findings)} 项。",
                f"{len(view.rows)} shifts this month, {len(leaders)} leaders;"
                f" {len(view.findings)} findings.",
            ),
            st["base"],
        )
    )
    story.append(Spacer(1, 4))
    story += data_table(
        [
            Col(tx.t("日期", "Date"), 1.0, "CENTER"),
            Col(tx.t("星期", "Day"), 0.5, "CENTER"),
            Col(tx.t("班次", "Shift"), 0.8, "CENTER"),
            Col(tx.t("时间", "Hours"), 1.3, "CENTER"),
            Col(tx.t("带班领导", "Leader"), 1.0),
            Col(tx.t("值班员", "Duty officers"), 2.0),
            Col(tx.t("联系电话", "Phone"), 1.2),
        ],
        rows,
        width=doc.width,
        lang=lang,
        font_size=9,
        empty=True,
    )
    story.append(Spacer(1, 6))
    kinds = ("；" if lang == "zh" else "; ").join(
        f"{k.name} {hours_text(k, lang)}" for k in shift_kinds(session, active_only=True)
    )
    story.append(Paragraph(tx.t(f"班次时间：{kinds}。", f"Shift hours: {kinds}."), st["note"]))
    if view.findings:
        story.append(
            Paragraph(
                tx.t(f"注：标有 {MARK} 的班次有冲突，需调整：", f"Note: shifts marked {MARK}"
                     " have conflicts to resolve:"),
                st["note"],
            )
        )  # fmt: skip
        for n, f in enumerate(view.findings, start=1):
            text = f.message if lang == "zh" else f.message_en
            story.append(Paragraph(f"{n}. {text}", st["note"]))
    else:
        story.append(
            Paragraph(
                tx.t("注：本月排班经检查，无一人同时两班、无缺带班领导或值班员的情况。",
                     "Note: checked, no one is on two overlapping shifts and no day or shift"
                     " lacks its leader or officer."),
                st["note"],
            )
        )  # fmt: skip
    figures: dict[str, object] = {
        "month": f"{year:04d}-{mon:02d}",
        "shifts": len(view.rows),
        "findings": len(view.findings),
    }
    return doc.finish(path, figures)
