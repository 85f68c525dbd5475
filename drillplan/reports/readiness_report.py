"""战备评估报告: district score and its components, tiers, depots, teams, plans, what to fix."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer
from sqlalchemy.orm import Session

from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.vocab import label
from drillplan.readiness import tallies
from drillplan.readiness.score import (
    COMPONENT_LABELS,
    COMPONENTS,
    Component,
    Readiness,
    Score,
    readiness,
)
from drillplan.reports import english
from drillplan.reports.cells import Col, status_text
from drillplan.reports.frame import Heading, Para, Texts, open_document
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import bar_chart, data_table


def _grade(score: float | None) -> str:
    if score is None:
        return ""
    if score >= 90:
        return "ok"
    if score >= 75:
        return "warning"
    return "critical"


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def _good_total(c: Component) -> str:
    """Good of total: counts, except coverage (criticality weights x ratios, unit-free)."""
    if c.key == "coverage":
        return f"{c.good:,.2f} / {c.total:,.0f}"
    return f"{c.good:,.0f} / {c.total:,.0f}"


def _name(s: Score, lang: str) -> str:
    """A score's name: a tier's in the report language (its vocabulary label), others as
    entered."""
    return label(s.key, lang) if s.level == "tier" else s.name


def _score_table(scores: list[Score], tx: Texts, width: float, lang: str) -> list[Flowable]:
    cols = [Col(tx.t("编号", "Code"), 1.3), Col(tx.t("名称", "Name"), 2.6, wrap=True)]
    cols.append(Col(tx.t("得分", "Score"), 0.7, "RIGHT"))
    cols.append(Col(tx.t("评价", "Grade"), 0.9, status=True))
    keys = [c.key for c in scores[0].components] if scores else []
    cols += [Col(COMPONENT_LABELS[k][0 if lang == "zh" else 1], 1.0, "RIGHT") for k in keys]
    rows = [
        [s.key, _name(s, lang), _fmt(s.score), _grade(s.score)]
        + [_fmt(c.value) for c in s.components]
        for s in scores
    ]
    return data_table(cols, rows, width=width, lang=lang)


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    # the scores, the per-unit totals and "what to fix first" all read the quota lines:
    # computed once for the three (a city's 100,000 lines)
    with tallies.shared_lines(session, as_of=as_of):
        return _build(session, path, as_of=as_of, lang=lang, generated_at=generated_at)


def _build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    lang: str,
    generated_at: dt.datetime | None,
) -> ReportResult:
    doc = open_document(
        session,
        title=("应急准备能力（战备）评估报告", "Emergency Readiness Report"),
        subject=("储备、队伍、预案与整改的综合评分", "Scores for reserves, teams, plans"),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
    )
    tx, st, width = doc.tx, doc.st, doc.width
    result = readiness(session, as_of=as_of)
    d = result.district
    figures: dict[str, object] = {
        "district_score": d.score,
        **{f"component_{c.key}": c.value for c in d.components},
        "fixes": len(result.fixes),
    }
    story = doc.story
    story.append(Heading(tx.t("一、全区总体评分", "1. District score"), st["h1"]))
    if d.score is None:
        story.append(
            Paragraph(
                tx.t(
                    "数据库中还没有储备、队伍或预案数据，没有可评分的内容。",
                    "There is no reserve, team or plan data yet: nothing to score.",
                ),
                st["base"],
            )
        )
        return doc.finish(path, figures)

    story.append(
        Paragraph(
            tx.t(
                f"截至 {as_of}，全区应急准备能力综合得分 <b>{d.score:.1f}</b> 分（满分 100）。"
                "得分为下列各项的加权平均，权重可在设置中调整；无数据的项目不参与计算。",
                f"As of {as_of} the district scores <b>{d.score:.1f}</b> of 100: the weighted"
                " mean of the components below (weights are a setting; components without"
                " data are left out).",
            ),
            st["base"],
        )
    )
    story.append(Spacer(1, 4))
    story += data_table(
        [
            Col(tx.t("评分项", "Component"), 2.4),
            Col(tx.t("权重", "Weight"), 0.8, "RIGHT"),
            Col(tx.t("得分", "Score"), 0.8, "RIGHT"),
            Col(tx.t("达标/总数", "Good / total"), 1.6, "RIGHT"),
            Col(tx.t("问题数", "Problems"), 0.9, "RIGHT"),
        ],
        [
            [
                COMPONENT_LABELS[c.key][0 if lang == "zh" else 1],
                c.weight,
                _fmt(c.value),
                _good_total(c),
                len(c.problems),
            ]
            for c in d.components
        ],
        width=width,
        lang=lang,
    )
    story.append(
        Paragraph(
            tx.t(
                "储备定额保障率 = Σ(权重 × min(可用/定额, 1)) / Σ权重 × 100，逐条定额计算，"
                "不同计量单位的数量从不相加；权重按物资重要程度：关键 3、重要 2、一般 1"
                "（“达标/总数”一栏为加权值）。各计量单位的数量合计见下表。",
                "Quota coverage = Σ(weight × min(usable/quota, 1)) / Σweight × 100, line by"
                " line; quantities of different units are never added. Weights by the"
                " material's criticality: critical 3, important 2, general 1 (the Good / total"
                " column shows the weighted sums). Quantities are totalled per unit below.",
            ),
            st["note"],
        )
    )
    units = tallies.unit_totals(session, as_of=as_of)
    figures["coverage_units"] = len(units)
    story.append(Spacer(1, 4))
    story += data_table(
        [
            Col(tx.t("计量单位", "Unit"), 1.0),
            Col(tx.t("定额条数", "Lines"), 0.9, "RIGHT"),
            Col(tx.t("缺口条数", "Short"), 0.9, "RIGHT"),
            Col(tx.t("定额合计", "Required"), 1.3, "RIGHT"),
            Col(tx.t("可用（计入）", "Covered"), 1.3, "RIGHT"),
            Col(tx.t("缺口合计", "Shortfall"), 1.3, "RIGHT"),
            Col(tx.t("加权保障率", "Weighted %"), 1.1, "RIGHT"),
        ],
        [
            [
                u.uom,
                u.lines,
                u.lines_short,
                fmt_number(u.required),
                fmt_number(u.covered),
                fmt_number(u.shortfall),
                _fmt(u.coverage_pct),
            ]
            for u in units
        ],
        width=width,
        lang=lang,
    )
    story.append(Spacer(1, 8))
    judged = [c for c in d.components if c.value is not None]
    story.append(
        bar_chart(
            [COMPONENT_LABELS[c.key][0 if lang == "zh" else 1] for c in reversed(judged)],
            [c.value or 0.0 for c in reversed(judged)],
            width=width,
            max_value=100,
            title=tx.t("全区各项得分", "District components"),
        )
    )

    story.append(Heading(tx.t("二、分层级评分", "2. Scores by tier"), st["h1"]))
    story.append(Para(legend(tx, lang), st["note"]))
    story += _score_table(result.tiers, tx, width, lang)
    for tier in result.tiers:
        comps = [c for c in tier.components if c.value is not None]
        story.append(Spacer(1, 6))
        story.append(
            bar_chart(
                [COMPONENT_LABELS[c.key][0 if lang == "zh" else 1] for c in reversed(comps)],
                [c.value or 0.0 for c in reversed(comps)],
                width=width,
                max_value=100,
                title=f"{_name(tier, lang)}{tx.t('：', ': ')}{_fmt(tier.score)}",
            )
        )

    story.append(PageBreak())
    story.append(Heading(tx.t("三、优先整改事项", "3. What to fix first"), st["h1"]))
    story.append(
        Paragraph(
            tx.t(
                "按对全区得分的影响（失分：该项整改到位后全区得分的提高）从大到小排列，"
                "保留 3 位有效数字，前 30 项：",
                "Ranked by the district points each problem costs (what the district score"
                " gains when it is put right), 3 significant digits (top 30):",
            ),
            st["note"],
        )
    )
    story += data_table(
        [
            Col(tx.t("失分", "Points"), 0.7, "RIGHT"),
            Col(tx.t("评分项", "Component"), 1.3),
            Col(tx.t("对象", "Item"), 3.2, wrap=True),
            Col(tx.t("问题", "Problem"), 3.2, wrap=True),
        ],
        [
            [
                fx.points_text,
                COMPONENT_LABELS[fx.component][0 if lang == "zh" else 1],
                english.item(fx.label, lang),
                english.problem(fx.problem, lang),
            ]
            for fx in result.fixes[:30]
        ],
        width=width,
        lang=lang,
    )

    sections = (
        (tx.t("四、储备库评分", "4. Depots"), result.depots),
        (tx.t("五、救援队伍评分", "5. Teams"), result.teams),
        (tx.t("六、应急预案评分", "6. Plans"), result.plans),
    )
    for heading, scores in sections:
        story.append(PageBreak())
        story.append(Heading(heading, st["h1"]))
        story += _score_table(scores, tx, width, lang)

    story.append(
        Heading(tx.t("七、逾期预案与未完成整改", "7. Overdue plans, open actions"), st["h1"])
    )
    problems = [
        [
            COMPONENT_LABELS[c.key][0 if lang == "zh" else 1],
            english.item(p.label, lang),
            english.problem(p.problem, lang),
        ]
        for c in d.components
        if c.key in ("plans", "actions")
        for p in c.problems
    ]
    if problems:
        story += data_table(
            [
                Col(tx.t("类别", "Kind"), 1.3),
                Col(tx.t("事项", "Item"), 3, wrap=True),
                Col(tx.t("问题", "Problem"), 3, wrap=True),
            ],
            problems,
            width=width,
            lang=lang,
        )
    else:
        story.append(Paragraph(tx.t("没有逾期事项。", "Nothing is overdue."), st["base"]))
    figures["overdue_items"] = len(problems)
    figures["components"] = COMPONENTS

    story.append(Heading(tx.t("八、结论", "8. Conclusion"), st["h1"]))
    story.append(Para(conclusion(result, tx, lang), st["base"]))
    return doc.finish(path, figures)


def legend(tx: Texts, lang: str) -> str:
    """What the grades mean (colour, symbol and word: it reads in black and white)."""
    ok, warning, critical = (status_text(k, lang) for k in ("ok", "warning", "critical"))
    return tx.t(
        f"评价：{ok}：90 分及以上；{warning}：75 至 90 分；{critical}：75 分以下；"
        "“—”为无数据、不参与计算。",
        f"Grades: {ok}: 90 or more; {warning}: 75 to 90; {critical}: below 75;"
        " “—”: no data, left out.",
    )


def conclusion(result: Readiness, tx: Texts, lang: str) -> str:
    """The closing paragraph: the district's score and grade, its weakest component, the
    weakest tier and what to do first."""
    d = result.district
    grade = status_text(_grade(d.score), lang)
    judged = [c for c in d.components if c.value is not None]
    weakest = min(judged, key=lambda c: c.value or 0.0) if judged else None
    tiers = [t for t in result.tiers if t.score is not None]
    low_tier = min(tiers, key=lambda t: t.score or 0.0) if tiers else None

    def name(key: str) -> str:
        return COMPONENT_LABELS[key][0 if lang == "zh" else 1]

    parts_zh = [f"全区应急准备能力综合得分 {_fmt(d.score)} 分，评价为{grade}。"]
    parts_en = [f"The district scores {_fmt(d.score)} ({grade})."]
    if weakest is not None:
        parts_zh.append(f"得分最低的是“{name(weakest.key)}”（{_fmt(weakest.value)} 分）。")
        parts_en.append(f"The weakest component is {name(weakest.key)} ({_fmt(weakest.value)}).")
    if low_tier is not None and len(tiers) > 1:
        tier_name = _name(low_tier, lang)
        parts_zh.append(f"各层级中{tier_name}得分最低（{_fmt(low_tier.score)} 分）。")
        parts_en.append(f"Of the tiers, {tier_name} scores lowest ({_fmt(low_tier.score)}).")
    if result.fixes:
        top = result.fixes[0]
        parts_zh.append(
            f"共有 {len(result.fixes)} 项待整改事项，建议首先处理“{top.label}”"
            f"（{top.problem}），可提高全区得分 {top.points_text} 分。"
        )
        parts_en.append(
            f"{len(result.fixes)} problems are listed; put right first"
            f" {english.item(top.label, lang)} ({english.problem(top.problem, lang)}),"
            f" worth {top.points_text} district points."
        )
    else:
        parts_zh.append("没有待整改事项。")
        parts_en.append("Nothing needs putting right.")
    return "".join(parts_zh) if lang == "zh" else " ".join(parts_en)
