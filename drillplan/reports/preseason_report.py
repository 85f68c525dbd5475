"""汛前检查表: the pre-flood-season checklist (drillplan.readiness.preseason) — the window,
then one table per section, every line ok or missing with why, then the rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, Spacer
from sqlalchemy.orm import Session

from drillplan.readiness.preseason import SECTIONS, preseason_check
from drillplan.reports.cells import Col
from drillplan.reports.frame import Heading, open_document
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import data_table

NUMERALS = "一二三四五六七八九十"


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    year: int | None = None,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    result = preseason_check(session, as_of=as_of, year=year)
    w = result.window
    doc = open_document(
        session,
        title=("汛前检查表", "Pre-Flood-Season Check"),
        subject=(
            "防汛物资、水泵发电机、船艇救生器材、预案演练与队伍持证",
            "Materials, pumps, boats, plans and teams before the flood season",
        ),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
        subtitle=f"{w.year}",
    )
    tx, st, width, story = doc.tx, doc.st, doc.width, doc.story
    state = (
        tx.t("当前在检查期内。", "The check is due now.")
        if result.due
        else tx.t(f"检查期 {w.opens} 开始。", f"The check opens on {w.opens}.")
    )
    verdict = (
        tx.t("全部满足。", "Everything is in place.")
        if result.ok
        else tx.t(f"共 {len(result.lines)} 项，缺 {len(result.missing)} 项。",
                  f"{len(result.missing)} of {len(result.lines)} lines missing.")
    )  # fmt: skip
    story.append(
        Paragraph(
            escape(
                tx.t(
                    f"{w.year}年汛期 {w.season_start} 至 {w.season_end}，汛期开始前 {w.lead_days}"
                    f" 天（{w.opens}）起检查。{state}{verdict}",
                    f"Flood season {w.year}: {w.season_start} to {w.season_end}; the check opens"
                    f" {w.lead_days} days before ({w.opens}). {state} {verdict}",
                )
            ),
            st["base"],
        )
    )
    story.append(Spacer(1, 4))
    figures: dict[str, object] = {"lines": len(result.lines), "missing": len(result.missing)}
    for n, (key, zh, en) in enumerate(SECTIONS):
        lines = result.section(key)
        missing = sum(not line.ok for line in lines)
        figures[key] = len(lines)
        story.append(
            Heading(
                tx.t(f"{NUMERALS[n]}、{zh}（{len(lines)} 项，缺 {missing} 项）",
                     f"{n + 1}. {en} ({len(lines)} lines, {missing} missing)"),
                st["h2"],
            )
        )  # fmt: skip
        if not lines:
            story.append(
                Paragraph(tx.t("没有需要检查的项目。", "Nothing to check here."), st["base"])
            )
            continue
        story += data_table(
            [
                Col(tx.t("编码", "Code"), 0.9),
                Col(tx.t("名称", "Name"), 1.6),
                Col(tx.t("地点", "Where"), 1.8),
                Col(tx.t("说明", "Explanation"), 3.4),
                Col(tx.t("核查", "Check"), 0.7, status=True),
            ],
            [
                [
                    line.code,
                    line.name,
                    line.place,
                    line.what if lang == "zh" else line.what_en,
                    line.status,
                ]
                for line in sorted(lines, key=lambda x: x.ok)
            ],
            width=width,
            lang=lang,
        )
    story.append(Spacer(1, 6))
    story.append(
        Paragraph(
            escape(
                tx.t(
                    f"口径：物资按汛期首日（{result.judged_on}）未过期的在库数量计，含防汛类灾种"
                    "最低预警级别的前置物资与防汛物资的储备定额；水泵、发电机最近一次检查应在"
                    f" {result.inspected_since} 或以后；船艇、救生器材有效期不早于汛期结束；"
                    "防汛相关预案演练不逾期，且上一汛期结束后已演练；队伍须待命，在岗队员证书"
                    "不在汛期结束前失效，矩阵队伍持证人数不少于矩阵要求。",
                    f"Rules: materials count unexpired stock on {result.judged_on} against the"
                    " flood hazards' lowest-level matrix lines and the flood-control quotas; pumps"
                    f" and generators inspected on or after {result.inspected_since}; boats and"
                    " life-saving gear valid to the season's end; flood plans not overdue and"
                    " drilled since last season; teams ready, no member's certificates lapsing"
                    " before the season ends, matrix teams at their headcount.",
                )
            ),
            st["note"],
        )
    )
    return doc.finish(path, figures)
