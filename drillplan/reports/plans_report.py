"""应急预案登记册: every plan with status, version, last evaluation/drill, due dates, overdue."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Paragraph, Spacer
from sqlalchemy.orm import Session

from drillplan.kernel.vocab import label
from drillplan.plans.due import plan_due
from drillplan.reports.cells import Col
from drillplan.reports.frame import (
    Heading,
    open_document,
)
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import data_table


def _flag(overdue_days: int, due: dt.date | None) -> str:
    if due is None:
        return ""
    return "overdue" if overdue_days > 0 else "ok"


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    doc = open_document(
        session,
        title=("应急预案登记册", "Contingency Plan Register"),
        subject=("预案状态、版本与到期事项", "Plan status, versions and due dates"),
        as_of=as_of,
        lang=lang,
        landscape=True,
        generated_at=generated_at,
        date_kind="compiled",
    )
    tx, st, width = doc.tx, doc.st, doc.width
    dues = plan_due(session, as_of=as_of)
    overdue = [d for d in dues if d.overdue]
    figures: dict[str, object] = {"plans": len(dues), "overdue": len(overdue)}
    story = doc.story
    story.append(Heading(tx.t("一、预案登记", "1. Register"), st["h1"]))
    if not dues:
        story.append(
            Paragraph(tx.t("没有登记的应急预案。", "There are no plans registered."), st["base"])
        )
        return doc.finish(path, figures)
    story.append(
        Paragraph(
            tx.t(
                f"在册预案 {len(dues)} 件（不含已废止），其中 {len(overdue)} 件有逾期事项。",
                f"{len(dues)} plans in force (abolished ones excluded); {len(overdue)} have"
                " overdue items.",
            ),
            st["base"],
        )
    )
    story.append(Spacer(1, 4))
    story += data_table(
        [
            Col(tx.t("编号", "Code"), 1.5),
            Col(tx.t("预案名称", "Title"), 3.4, wrap=True),
            Col(tx.t("类别", "Kind"), 1.1),
            Col(tx.t("状态", "Status"), 0.8),
            Col(tx.t("版本", "Ver."), 0.5, "CENTER"),
            Col(tx.t("编制单位", "Owner"), 2.2, wrap=True),
            Col(tx.t("上次评估", "Last eval."), 1.0, "CENTER"),
            Col(tx.t("下次评估", "Next eval."), 1.0, "CENTER"),
            Col(tx.t("评估", "Eval."), 0.9, status=True),
            Col(tx.t("上次演练", "Last drill"), 1.0, "CENTER"),
            Col(tx.t("下次演练", "Next drill"), 1.0, "CENTER"),
            Col(tx.t("演练", "Drill"), 0.9, status=True),
            Col(tx.t("备案", "Filing"), 0.9, status=True),
        ],
        [
            [
                d.code,
                d.title,
                label(d.kind, lang),
                label(d.status, lang),
                d.version,
                d.owner_unit,
                d.last_evaluation,
                d.next_evaluation,
                _flag(d.evaluation_days_overdue, d.next_evaluation),
                d.last_drill,
                d.next_drill,
                _flag(d.drill_days_overdue, d.next_drill),
                _flag(d.filing_days_overdue, d.filing_deadline),
            ]
            for d in dues
        ],
        width=width,
        lang=lang,
    )
    story.append(Heading(tx.t("二、逾期事项说明", "2. Overdue items explained"), st["h1"]))
    if not overdue:
        story.append(Paragraph(tx.t("没有逾期事项。", "Nothing is overdue."), st["base"]))
    for d in overdue:
        story.append(Paragraph(f"<b>{d.code}</b> {d.title}", st["base"]))
        reasons = d.reasons if lang == "zh" else d.reasons_en
        for reason in reasons:
            if "逾期" in reason or "overdue" in reason or "迟延" in reason or "late" in reason:
                story.append(Paragraph(f"· {reason}", st["note"]))
        story.append(Spacer(1, 3))
    return doc.finish(path, figures)
