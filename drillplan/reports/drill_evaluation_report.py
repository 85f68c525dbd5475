"""应急演练评估报告 for one evaluated drill, in the parts AQ/T 9009-2015 and GB/T 46792-2025
(annex E) give a report: overview, objectives and whether each was met, scenario,
organisation and participants, course of the drill, each indicator with its score and
comment, strengths, problems found with their severity, improvement measures with owner and
due date, suggestions for revising the plans, conclusion, the evaluation (who, how, when) and
the signatures (评估组长 / 评估人员).

The evaluation's own record (migration 0009: lead and evaluators, method, objectives with
their verdict, course, strengths, plan suggestions, a comment per indicator) is printed as
entered; where a part is empty the report derives it from the scores and findings and says so.
A drill that has not been evaluated is refused (``ValidationError``, exit 2 on the command
line): there is no evaluation to report.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan.db.models import AuditLog, Drill, DrillParticipant, Finding
from drillplan.drills.evaluation import actions, indicator_rows
from drillplan.drills.evaluation_record import objectives as stored_objectives
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.vocab import DrillStatus, label
from drillplan.reports import evaluation_text as ev
from drillplan.reports.cells import Col
from drillplan.reports.frame import Document, Heading, Para, Texts, open_document, signoff
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import bar_chart, data_table, key_value_table

ROLES_EN = {
    "参演": "Participant",
    "主办": "Host",
    "承办": "Organiser",
    "指挥": "Command",
    "保障": "Support",
    "观摩": "Observer",
    "评估": "Evaluator",
    "配合": "Supporting",
    "导调": "Control",
}
NOT_RECORDED = ("（系统未记录此项，本节据已有数据整理）", "(not recorded; compiled from the data)")


def role_text(role: str, lang: str) -> str:
    """A participant's role: a known role word in English for an English report; any other
    role as entered."""
    return role if lang == "zh" else ROLES_EN.get(role.strip(), role)


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _load(session: Session, code: str | None) -> Drill | None:
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


def check_evaluated(drill: Drill) -> None:
    """Refuse a drill without an evaluation (planned, preparing, cancelled, or conducted but
    not yet evaluated)."""
    if drill.status == DrillStatus.EVALUATED and drill.evaluated_on is not None:
        return
    if drill.status == DrillStatus.CANCELLED:
        raise ValidationError(
            "drill",
            f"演练 {drill.code} 已取消，没有评估，不能出具评估报告",
            message_en=f"drill {drill.code} was cancelled: there is no evaluation to report",
        )
    raise ValidationError(
        "drill",
        f"演练 {drill.code} 的状态为“{label(DrillStatus(drill.status))}”，尚未评估，"
        "不能出具评估报告；请先登记评估（drillplan drills evaluate）",
        message_en=f"drill {drill.code} is {DrillStatus(drill.status).value} and has not been"
        " evaluated: there is no evaluation report to print (record the evaluation first)",
    )


def _recorded_by(session: Session, drill: Drill) -> str | None:
    """Who recorded the evaluation (the audit log), if it went through the tool."""
    return session.scalars(
        select(AuditLog.username)
        .where(
            AuditLog.table_name == "drill",
            AuditLog.row_id == drill.id,
            AuditLog.action == "drill.evaluate",
        )
        .order_by(AuditLog.seq.desc())
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
    d = _load(session, drill)
    if d is not None:
        check_evaluated(d)
    doc = open_document(
        session,
        title=("应急演练评估报告", "Drill Evaluation Report"),
        subject=(
            "应急演练评估（参照 AQ/T 9009、GB/T 46792）",
            "Drill evaluation (after AQ/T 9009, GB/T 46792)",
        ),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
        date_kind="evaluated" if d is not None else "as_of",
        date=d.evaluated_on if d is not None else None,
        subtitle=f"{d.code}　{d.title}" if d is not None else "",
    )
    if d is None:
        doc.story.append(
            Para(
                doc.tx.t(
                    "还没有已评估的演练，没有可出具的评估报告。", "No drill has been evaluated."
                ),
                doc.st["base"],
            )
        )
        return doc.finish(path, {"drill": None})
    return _write(session, doc, d, path, as_of=as_of, lang=lang)


def _write(
    session: Session, doc: Document, d: Drill, path: Path, *, as_of: dt.date, lang: str
) -> ReportResult:
    tx, st, width, story = doc.tx, doc.st, doc.width, doc.story
    rows = actions(session, as_of=as_of, drill_id=d.id)
    indicators = indicator_rows(d)
    scored = [r for r in indicators if r["score"] is not None]
    name = "name_zh" if lang == "zh" else "name_en"
    figures: dict[str, object] = {
        "drill": d.code,
        "score": d.score,
        "findings": len(d.findings),
        "actions": len(rows),
        "actions_overdue": sum(1 for r in rows if r.days_overdue > 0),
        "indicators_scored": len(scored),
    }

    def note(zh_en: tuple[str, str]) -> None:
        story.append(Para(tx.t(*zh_en), st["note"]))

    def para(text: str) -> None:
        story.append(Para(text, st["base"]))

    # 一、概况
    story.append(Heading(tx.t("一、演练概况", "1. Overview"), st["h1"]))
    teams = sum(1 for p in d.participants if p.team is not None)
    units = sum(1 for p in d.participants if p.unit is not None)
    story.append(
        key_value_table(
            [
                (tx.t("演练编号", "Code"), d.code),
                (tx.t("演练名称", "Title"), d.title),
                (
                    tx.t("演练类型", "Type"),
                    f"{label(d.scope, lang)}、{label(d.form, lang)}、{label(d.purpose, lang)}"
                    + (f"（HSEEP：{label(d.hseep_type, lang)}）" if d.hseep_type else ""),
                ),
                (tx.t("组织单位", "Organiser"), d.organiser.name),
                (tx.t("时间", "Time"), f"{d.starts_at:%Y-%m-%d %H:%M} — {d.ends_at:%H:%M}"),
                (tx.t("地点", "Venue"), d.venue or "—"),
                (tx.t("规模", "Scale"), tx.t(f"参演队伍 {teams} 支、单位 {units} 个",
                                            f"{teams} teams, {units} units")),
                (tx.t("检验预案", "Plans exercised"),
                 "；".join(f"{p.code} {p.title}" for p in d.plans) or "—"),
            ],
            width=width,
            numbers=False,
        )
    )  # fmt: skip

    # 二、目标及达成情况
    story.append(Heading(tx.t("二、演练目标及达成情况", "2. Objectives and whether met"), st["h1"]))
    stored = stored_objectives(d.objectives)
    if stored:
        story += data_table(
            [
                Col(tx.t("序号", "No."), 0.5, "CENTER"),
                Col(tx.t("演练目标", "Objective"), 5),
                Col(tx.t("达成情况", "Verdict"), 1.2, "CENTER"),
            ],
            [
                [
                    i,
                    o.text,
                    tx.t(o.verdict_zh or "未评定", o.verdict_en or "not judged"),
                ]
                for i, o in enumerate(stored, 1)
            ],
            width=width,
            lang=lang,
        )
    else:
        _derived_objectives(doc, d, indicators, name)

    # 三、情景
    story.append(Heading(tx.t("三、演练情景", "3. Scenario"), st["h1"]))
    para(d.scenario or tx.t("（未填写演练情景）", "(no scenario recorded)"))

    # 四、组织与参演
    story.append(Heading(tx.t("四、组织与参演情况", "4. Organisation and participants"), st["h1"]))
    para(tx.t(f"组织单位：{d.organiser.name}。", f"Organised by {d.organiser.name}."))
    participants = [
        [
            p.team.name if p.team else (p.unit.name if p.unit else ""),
            tx.t("队伍", "Team") if p.team else tx.t("单位", "Unit"),
            role_text(p.role, lang),
        ]
        for p in d.participants
    ]
    if participants:
        story += data_table(
            [
                Col(tx.t("参演方", "Participant"), 4),
                Col(tx.t("类别", "Kind"), 0.8, "CENTER"),
                Col(tx.t("角色", "Role"), 1.5),
            ],
            participants,
            width=width,
            lang=lang,
        )
    else:
        para(tx.t("未登记参演队伍和单位。", "No participating teams or units recorded."))

    # 五、实施过程
    story.append(Heading(tx.t("五、演练实施过程", "5. Course of the drill"), st["h1"]))
    minutes = int((d.ends_at - d.starts_at).total_seconds() // 60)
    para(
        tx.t(
            f"演练于 {d.starts_at:%Y-%m-%d %H:%M} 开始，{d.ends_at:%Y-%m-%d %H:%M} 结束，"
            f"历时 {minutes // 60} 小时 {minutes % 60} 分钟，地点：{d.venue or '未填写'}。",
            f"The drill ran from {d.starts_at:%Y-%m-%d %H:%M} to {d.ends_at:%Y-%m-%d %H:%M}"
            f" ({minutes // 60} h {minutes % 60} min) at {d.venue or '(venue not recorded)'}.",
        )
    )
    for line in _lines(d.course):
        para(line)
    if not d.course:
        note(
            (
                "系统未记录演练过程的分阶段记录；请附现场记录、照片和视频资料。",
                "The phases of the drill are not recorded: attach the on-site notes, photos and"
                " video.",
            )
        )

    # 六、指标评估
    story.append(Heading(tx.t("六、评估指标与得分", "6. Indicators and scores"), st["h1"]))
    if scored:
        story += data_table(
            [
                Col(tx.t("评估指标", "Indicator"), 3),
                Col(tx.t("得分", "Score"), 1, "RIGHT"),
                Col(tx.t("评语", "Comment"), 4),
            ],
            [
                [r[name], r["score"], r["comment"] or ev.grade(float(r["score"]), lang)]
                for r in scored
            ],
            width=width,
            lang=lang,
        )
        story.append(Spacer(1, 6))
        story.append(
            bar_chart(
                [r[name] for r in reversed(scored)],
                [float(r["score"]) for r in reversed(scored)],
                width=width,
                max_value=100,
            )
        )
        if any(not r["comment"] for r in scored):
            note(
                (
                    "未填写评语的指标，评语为其得分分档（≥90 优秀，≥80 良好，≥60 合格）。",
                    "Where no comment was written, the comment is the score's band"
                    " (≥90 excellent, ≥80 good, ≥60 adequate).",
                )
            )
    else:
        para(tx.t("未逐项评分。", "The indicators were not scored one by one."))
    overall = float(d.score) if d.score is not None else None
    para(
        tx.t(
            f"综合得分：{'—' if overall is None else f'{overall:g}'}"
            f"（{ev.grade(overall, lang)}）。",
            f"Overall score: {'—' if overall is None else f'{overall:g}'}"
            f" ({ev.grade(overall, lang)}).",
        )
    )

    # 七、亮点
    story.append(Heading(tx.t("七、做得好的方面", "7. Strengths"), st["h1"]))
    if d.strengths:
        for line in _lines(d.strengths):
            para(line)
    else:
        good = ev.strengths([(r[name], r["score"]) for r in scored], lang)
        for line in good:
            para(f"· {line}")
        if not good:
            para(tx.t("没有得分 90 分以上的指标。", "No indicator scored 90 or more."))
        note(NOT_RECORDED)

    # 八、问题
    story.append(Heading(tx.t("八、发现的问题", "8. Problems found"), st["h1"]))
    if d.findings:
        story += data_table(
            [
                Col(tx.t("序号", "No."), 0.5, "CENTER"),
                Col(tx.t("问题描述", "Problem"), 6),
                Col(tx.t("严重程度", "Severity"), 1, "CENTER"),
            ],
            [[f.seq, f.description, ev.severity_text(f.severity, lang)] for f in d.findings],
            width=width,
            lang=lang,
        )
    else:
        para(tx.t("评估未发现问题。", "The evaluation found no problems."))

    # 九、整改
    story.append(Heading(tx.t("九、整改措施", "9. Improvement measures"), st["h1"]))
    if rows:
        story += data_table(
            [
                Col(tx.t("问题", "No."), 0.5, "CENTER"),
                Col(tx.t("整改措施", "Measure"), 4),
                Col(tx.t("责任单位（人）", "Owner"), 2),
                Col(tx.t("完成期限", "Due"), 1.1, "CENTER"),
                Col(tx.t("状态", "Status"), 0.9, "CENTER"),
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
        para(tx.t("无整改措施。", "No improvement measures."))

    # 十、预案修订建议
    story.append(
        Heading(tx.t("十、对预案修订的建议", "10. Suggestions for revising the plans"), st["h1"])
    )
    suggestions = _lines(d.plan_suggestions) or ev.plan_suggestions(
        [(p.code, p.title) for p in d.plans],
        [(f.seq, f.description, f.severity) for f in d.findings],
        lang,
    )
    for line in suggestions or [tx.t("本次演练未关联预案。", "The drill exercised no plan.")]:
        para(line)

    # 十一、结论
    story.append(Heading(tx.t("十一、评估结论", "11. Conclusion"), st["h1"]))
    para(d.evaluation_summary or tx.t("（未填写评估总结）", "(no summary recorded)"))

    # 十二、评估组织
    story.append(
        Heading(tx.t("十二、评估人员、方法和日期", "12. Evaluators, method, date"), st["h1"])
    )
    _evaluation_facts(session, doc, d, tx, lang)
    story.append(
        signoff(
            [("评估组长", "Lead evaluator"), ("评估人员", "Evaluators")],
            tx,
            width,
            names=[d.evaluation_lead, d.evaluators],
        )
    )
    return doc.finish(path, figures)


def _evaluation_facts(session: Session, doc: Document, d: Drill, tx: Texts, lang: str) -> None:
    recorder = _recorded_by(session, d)
    not_recorded = tx.t("未记录，由评估组在下方签字", "not recorded: the group signs below")
    method = d.evaluation_method or tx.t(
        "按 GB/T 46792-2025 的指标逐项百分制评分（附录 D），综合得分为各项平均分或评估组给定的"
        "分数；现场观察、查阅记录与参演人员访谈相结合。",
        "Each indicator scored 0-100 as in GB/T 46792-2025 (annex D); the overall score is"
        " their mean or the score the evaluators gave; observation, records and interviews.",
    )
    doc.story.append(
        key_value_table(
            [
                (tx.t("评估日期", "Evaluated on"), d.evaluated_on),
                (tx.t("评估方法", "Method"), method),
                (
                    tx.t("评估录入人", "Recorded by"),
                    recorder or tx.t("（未记录）", "(not recorded)"),
                ),
                (tx.t("评估组长", "Lead evaluator"), d.evaluation_lead or not_recorded),
                (tx.t("评估人员", "Evaluators"), d.evaluators or not_recorded),
            ],
            width=doc.width,
            numbers=False,
        )
    )


def _derived_objectives(
    doc: Document, d: Drill, indicators: list[dict[str, object]], name: str
) -> None:
    """No objectives recorded: the five purposes judged from their indicators' mean score."""
    tx, st = doc.tx, doc.st
    doc.story.append(
        Para(
            tx.t(
                "未填写演练目标；下表按《生产安全事故应急演练指南》的五项目的，以相应评估指标"
                f"的平均分判断（≥{ev.MET:g} 分达成，≥{ev.PARTLY:g} 分基本达成）。",
                "No objectives recorded: the five purposes of a drill are judged from their"
                f" indicators' mean score (≥{ev.MET:g} met, ≥{ev.PARTLY:g} partly met).",
            ),
            st["note"],
        )
    )
    names = {r["key"]: r[name] for r in indicators}
    doc.story += data_table(
        [
            Col(tx.t("目的", "Purpose"), 1.2),
            Col(tx.t("依据指标", "Indicators"), 2.4),
            Col(tx.t("得分", "Score"), 0.7, "RIGHT"),
            Col(tx.t("达成情况", "Verdict"), 1.0, "CENTER"),
        ],
        [
            [
                p.name,
                tx.t("、", ", ").join(str(names[k]) for k in p.indicators) or "—",
                "—" if p.score is None else f"{p.score:.1f}",
                p.verdict,
            ]
            for p in ev.purposes(d.indicator_scores, tx.lang)
        ],
        width=doc.width,
        lang=tx.lang,
    )
