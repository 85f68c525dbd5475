"""培训与宣教年度统计: the year's events and headcount by street-town x kind, then every event.
Trainings are never drills of a plan; the report says so."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Paragraph, Spacer
from sqlalchemy.orm import Session

from drillplan.kernel.vocab import label
from drillplan.reports.cells import Col
from drillplan.reports.frame import Heading, open_document
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import data_table
from drillplan.trainings import materials, read


def _pair(pair: tuple[int, int]) -> str:
    return f"{pair[0]} / {pair[1]}" if pair[0] else ""


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
        title=(f"{year} 年度培训与宣教统计", f"Training and Public Education {year}"),
        subject=("按街镇和类型统计场次与人次", "Events and attendees by street-town and kind"),
        as_of=as_of,
        lang=lang,
        landscape=True,
        generated_at=generated_at,
        date_kind="compiled",
    )
    tx, st, width = doc.tx, doc.st, doc.width
    totals = read.totals(session, year, lang=lang)
    events = read.events_of_year(session, year)
    n, heads = totals.total
    figures: dict[str, object] = {"year": year, "events": n, "headcount": heads}
    story = doc.story
    story.append(Heading(tx.t("一、按街镇和类型统计", "1. By street-town and kind"), st["h1"]))
    story.append(
        Paragraph(
            tx.t(
                f"{year} 年共开展培训与宣教活动 {n} 场，参加 {heads} 人次；"
                "表中每格为“场次 / 人次”。培训与宣教不计入预案演练。",
                f"{n} events with {heads} attendees in {year}; each cell is events / attendees."
                " Trainings do not count as drills of a plan.",
            ),
            st["base"],
        )
    )
    story.append(Spacer(1, 4))
    if not events:
        story.append(Paragraph(tx.t("本年度没有登记的活动。", "No events this year."), st["base"]))
        return doc.finish(path, figures)
    kinds = totals.kinds
    story += data_table(
        [
            Col(tx.t("街镇", "Street/town"), 2.0),
            *[Col(label(k, lang), 1.0, "RIGHT") for k in kinds],
            Col(tx.t("合计", "Total"), 1.1, "RIGHT"),
        ],
        [
            [street, *[_pair(totals.cells.get((street, k), (0, 0))) for k in kinds],
             _pair(totals.row(street))]
            for street in totals.streets
        ]
        + [[tx.t("合计", "Total"), *[_pair(totals.column(k)) for k in kinds], _pair(totals.total)]],
        width=width,
        lang=lang,
    )  # fmt: skip
    story.append(Heading(tx.t("二、活动清单", "2. Events"), st["h1"]))
    story += data_table(
        [
            Col(tx.t("编号", "Code"), 1.5),
            Col(tx.t("日期", "Date"), 1.0, "CENTER"),
            Col(tx.t("类型", "Kind"), 0.8),
            Col(tx.t("活动名称", "Title"), 3.2, wrap=True),
            Col(tx.t("街镇", "Street/town"), 1.0),
            Col(tx.t("组织单位", "Organiser"), 1.8, wrap=True),
            Col(tx.t("参加对象", "Audience"), 1.4, wrap=True),
            Col(tx.t("人数", "People"), 0.6, "RIGHT"),
            Col(tx.t("领用物资", "Materials"), 1.8, wrap=True),
        ],
        [
            [
                e.code,
                e.starts_at.date(),
                label(e.kind, lang),
                e.title,
                e.street_unit.name if e.street_unit is not None else "",
                e.organiser_unit.name,
                e.audience or "",
                e.headcount,
                "、".join(
                    f"{x.material_name} {x.quantity.normalize():f}{x.uom}"
                    for x in materials.issues_of(session, e.id)
                ),
            ]
            for e in events
        ],
        width=width,
        lang=lang,
    )
    return doc.finish(path, figures)
