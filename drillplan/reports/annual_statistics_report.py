"""年度统计 for the superior bureau: plans, drills, trainings, teams, reserves and competitions
of one year, by street-town where the data allows.

The numbers come once from :func:`drillplan.statistics.annual.annual_statistics`; the PDF
prints the tables of :mod:`drillplan.statistics.tables`; an ``.xlsx`` path writes the same
tables as a workbook (:mod:`drillplan.statistics.workbook`) and a ``.json`` path as data
(:func:`drillplan.statistics.tables.as_dict`) instead of a PDF.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from drillplan.kernel.formatting import fmt_number
from drillplan.reports.result import ReportResult
from drillplan.statistics.annual import AnnualStatistics, annual_statistics
from drillplan.statistics.tables import MONEY, NUMBER, QUANTITY, Section, sections


def figures_of(stats: AnnualStatistics) -> dict[str, object]:
    return dict(stats.summary())


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    year: int,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    stats = annual_statistics(session, year, lang=lang)
    if Path(path).suffix.lower() == ".xlsx":
        from drillplan.reports.frame import issuing_unit
        from drillplan.statistics.workbook import write_workbook

        write_workbook(stats, Path(path), unit_name=issuing_unit(session), lang=lang)
        return ReportResult(path=Path(path), figures=figures_of(stats))
    if Path(path).suffix.lower() == ".json":
        from drillplan.kernel.atomic import atomic_path
        from drillplan.kernel.formatting import dumps
        from drillplan.statistics.tables import as_dict

        with atomic_path(Path(path)) as temp:
            Path(temp).write_text(dumps(as_dict(stats, lang)) + "\n", encoding="utf-8")
        return ReportResult(path=Path(path), figures=figures_of(stats))
    return _pdf(session, stats, Path(path), as_of=as_of, lang=lang, generated_at=generated_at)


def _columns(section: Section, lang: str) -> list[Any]:
    from drillplan.reports.cells import Col

    out = []
    for c in section.columns:
        if c.kind == MONEY:
            out.append(Col(c.title(lang), 1.2, "RIGHT", decimals=2))
        elif c.kind in (NUMBER, QUANTITY):
            out.append(Col(c.title(lang), 1.0, "RIGHT"))
        else:
            out.append(Col(c.title(lang), 1.6))
    return out


NOTES: dict[str, tuple[str, str]] = {
    "streets": (
        "记录按所属单位归入街镇（单位本身或其上级街道/镇）；无街镇的计入区级行。",
        "Records count at their unit's street-town (the unit or the street-town above it);"
        " the others on the district row.",
    ),
    "plans": (
        "预案数为未废止的预案；本年修订为本年有修订记录的预案，本年备案为备案日期在本年的预案。",
        "Plans not abolished; revised: with a revision dated in the year; filed: filing date"
        " in the year.",
    ),
    "drills": (
        "本年开始且未取消的演练；参演为参演队伍和单位个数；整改措施为这些演练的整改措施。",
        "Drills starting in the year, not cancelled; participants are teams and units;"
        " corrective actions of those drills.",
    ),
    "trainings": (
        "来自培训与宣教登记，培训与宣教不计入预案演练。",
        "From the training register; trainings never count as drills of a plan.",
    ),
    "teams": (
        "在册队员为在岗队员；年末持有效证书指 12 月 31 日仍在有效期内至少一本证书。",
        "Active members; valid certificate: at least one certificate still valid on 31 December.",
    ),
    "reserves": (
        "储备库（点）物资，不含队伍装备。年末可用数量为年末台账结存中未过期批次的数量，价值为数量乘批次单价"
        "（无单价的批次不计价值）；本年更新为入库和轮换入库，本年报损为报损出库。"
        "不同计量单位的数量从不相加，合计按计量单位分列。",
        "Depot stock, team equipment excluded. Usable: the ledger balance at year end of lots"
        " not expired then; value = quantity x the lot's unit cost (lots without a cost add"
        " none); renewed: receipts and rotation receipts; written off: write-offs. Quantities"
        " of different units are never added: one total per unit of measure.",
    ),
}


def _pdf(
    session: Session,
    stats: AnnualStatistics,
    path: Path,
    *,
    as_of: dt.date,
    lang: str,
    generated_at: dt.datetime | None,
) -> ReportResult:
    from reportlab.platypus import Paragraph, Spacer

    from drillplan.reports.frame import Heading, open_document
    from drillplan.reports.tables import data_table, key_value_table

    year = stats.year
    doc = open_document(
        session,
        title=(f"{year} 年度应急管理工作统计", f"Emergency Management Statistics {year}"),
        subject=("报上级主管部门的年度统计", "Yearly statistics for the superior bureau"),
        as_of=stats.year_end,
        lang=lang,
        landscape=True,
        generated_at=generated_at,
        date_kind="as_of",
    )
    tx, st, width = doc.tx, doc.st, doc.width
    story = doc.story
    numerals = "一二三四五六七八九十"
    for i, section in enumerate(sections(stats, lang)):
        head = f"{numerals[i]}、{section.zh}" if lang == "zh" else f"{i + 1}. {section.en}"
        story.append(Heading(head, st["h1"]))
        note = NOTES.get(section.key)
        if note:
            story.append(Paragraph(tx.t(*note), st["note"]))
            story.append(Spacer(1, 3))
        if section.key == "summary":
            pairs = [(r[0], fmt_number(r[1], 2) if isinstance(r[1], Decimal) else r[1])
                     for r in section.rows]  # fmt: skip
            story.append(key_value_table(pairs, width=width * 0.6))
            continue
        if not section.rows:
            story.append(Paragraph(tx.t("本年度没有数据。", "Nothing this year."), st["base"]))
            continue
        story += data_table(
            _columns(section, lang), section.rows + section.totals, width=width, lang=lang
        )
    return doc.finish(path, figures_of(stats))
