"""应急演练评估报告 for one drill, in the structure of a GB/T 46792-style evaluation report:
overview, objectives and scenario, participants, indicator scores, findings, corrective
actions with owner and due date, conclusion."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.db.models import Drill, DrillParticipant, Finding
from drillplan.drills.evaluation import actions, indicator_rows
from drillplan.kernel.errors import NotFound
from drillplan.kernel.vocab import DrillStatus, label
from drillplan.reports.frame import (
    Heading,
    open_document,
)
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import Col, bar_chart, data_table, key_value_table


def _pick(session: Session, code: str | None) -> Drill | None:
    stmt = select(Drill).options(
        selectinload(Drill.plans),
        selectinload(Drill.organiser),
        selectinload(Drill.participants).selectinload(DrillParticipant.team),
        selectinload(Drill.participants).selectinload(DrillParticipant.unit),
        selectinload(Drill.findings).selectinload(Finding.actions),
    )
    if code:
        drill = session.scalars(stmt.where(Drill.code == code)).first()
        if drill is None:
            raise NotFound(f"没有编号为 {code} 的演练 (no drill {code})")
        return drill
    return session.scalars(
        stmt.where(Drill.status == DrillStatus.EVALUATED).order_by(
            Drill.evaluated_on.desc(), Drill.code.desc()
        )
    ).first()


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    drill: str | None = None,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    d = _pick(session, drill)
    doc = open_document(
        session,
        title=("应急演练评估报告", "Drill Evaluation Report"),
        subject=("应急演练评估（参照 GB/T 46792）", "Drill evaluation (GB/T 46792 style)"),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
        date_kind="evaluated" if d is not None and d.evaluated_on else "as_of",
        date=d.evaluated_on if d is not None else None,
    )
    tx, st, width = doc.tx, doc.st, doc.width
    story = doc.story
    if d is not None:
        story.insert(-1, Paragraph(f"<b>{d.title}</b>", st["subtitle"]))
    if d is None:
        story.append(
            Paragraph(
                tx.t("还没有已评估的演练，没有可出具的评估报告。", "No drill has been evaluated."),
                st["base"],
            )
        )
        return doc.finish(path, {"drill": None})
    rows = actions(session, as_of=as_of, drill_id=d.id)
    indicators = indicator_rows(d)
    figures: dict[str, object] = {
        "drill": d.code,
        "score": d.score,
        "findings": len(d.findings),
        "actions": len(rows),
        "actions_overdue": sum(1 for r in rows if r.days_overdue > 0),
    }
    story.append(Heading(tx.t("一、演练概况", "1. Overview"), st["h1"]))
    story.append(
        key_value_table(
            [
                (tx.t("演练编号", "Code"), d.code),
                (tx.t("演练形式", "Form"), f"{label(d.form, lang)}（{label(d.scope, lang)}）"),
                (tx.t("组织单位", "Organiser"), d.organiser.name),
                (tx.t("时间", "Time"), f"{d.starts_at:%Y-%m-%d %H:%M} — {d.ends_at:%H:%M}"),
                (tx.t("地点", "Venue"), d.venue or "—"),
                (tx.t("检验预案", "Plans"), "、".join(p.title for p in d.plans) or "—"),
                (tx.t("状态", "Status"), label(d.status, lang)),
                (tx.t("综合得分", "Score"), d.score if d.score is not None else "—"),
            ],
            width=width,
        )
    )
    story.append(Heading(tx.t("二、演练目标与情景", "2. Objectives and scenario"), st["h1"]))
    story.append(Paragraph(d.scenario or tx.t("（未填写）", "(none)"), st["base"]))
    story.append(Heading(tx.t("三、参演单位与队伍", "3. Participants"), st["h1"]))
    story += data_table(
        [Col(tx.t("参演方", "Participant"), 4, wrap=True), Col(tx.t("角色", "Role"), 1.5)],
        [
            [p.team.name if p.team else (p.unit.name if p.unit else ""), p.role]
            for p in d.participants
        ],
        width=width,
        lang=lang,
    )
    story.append(Heading(tx.t("四、评估指标得分", "4. Indicator scores"), st["h1"]))
    scored = [r for r in indicators if r["score"] is not None]
    story += data_table(
        [Col(tx.t("评估指标", "Indicator"), 3), Col(tx.t("得分", "Score"), 1, "RIGHT")],
        [[r["name_zh"] if lang == "zh" else r["name_en"], r["score"]] for r in indicators],
        width=width * 0.6,
        lang=lang,
    )
    if scored:
        story.append(Spacer(1, 6))
        story.append(
            bar_chart(
                [r["name_zh"] if lang == "zh" else r["name_en"] for r in reversed(scored)],
                [float(r["score"]) for r in reversed(scored)],
                width=width,
                max_value=100,
            )
        )
    story.append(Heading(tx.t("五、存在的问题", "5. Findings"), st["h1"]))
    if d.findings:
        story += data_table(
            [
                Col(tx.t("序号", "No."), 0.5, "CENTER"),
                Col(tx.t("问题描述", "Finding"), 6, wrap=True),
                Col(tx.t("严重程度", "Severity"), 1),
            ],
            [[f.seq, f.description, label(f.severity, lang)] for f in d.findings],
            width=width,
            lang=lang,
        )
    else:
        story.append(Paragraph(tx.t("未发现问题。", "No findings."), st["base"]))
    story.append(Heading(tx.t("六、整改措施", "6. Corrective actions"), st["h1"]))
    if rows:
        story += data_table(
            [
                Col(tx.t("问题", "No."), 0.5, "CENTER"),
                Col(tx.t("整改措施", "Action"), 4, wrap=True),
                Col(tx.t("责任单位", "Owner"), 2, wrap=True),
                Col(tx.t("完成期限", "Due"), 1.1, "CENTER"),
                Col(tx.t("状态", "Status"), 0.9),
                Col(tx.t("逾期", "Overdue"), 0.9, status=True),
            ],
            [
                [
                    r.finding_seq,
                    r.action,
                    r.owner_unit + (f"（{r.owner_name}）" if r.owner_name else ""),
                    r.due_on,
                    label(r.status, lang),
                    "overdue" if r.days_overdue > 0 else "ok",
                ]
                for r in rows
            ],
            width=width,
            lang=lang,
        )
    else:
        story.append(Paragraph(tx.t("无整改措施。", "No corrective actions."), st["base"]))
    story.append(Heading(tx.t("七、评估结论", "7. Conclusion"), st["h1"]))
    story.append(Paragraph(d.evaluation_summary or tx.t("（未填写）", "(none)"), st["base"]))
    return doc.finish(path, figures)
