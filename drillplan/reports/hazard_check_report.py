"""预警响应核查单: a one-page check of one hazard at one warning level — the standby teams,
the pre-positioned materials (with the nearest surplus of what is short) and the plans
activated, each line met or not, then what is missing (drillplan.readiness.hazard_check). Without
``hazard``: the first hazard with a line in the matrix; without ``level``: its highest level."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.platypus import Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.db.models import Hazard, HazardMaterialLine, HazardPlan, HazardTeamLine
from drillplan.hazards.levels import LEVEL_CODES, level_label, level_short
from drillplan.hazards.matrix import get_hazard
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.vocab import PlanStatus, Readiness, label
from drillplan.readiness.hazard_check import hazard_check
from drillplan.reports.cells import Col
from drillplan.reports.frame import Heading, open_document
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import data_table


def _default_hazard(session: Session) -> Hazard | None:
    """Without --hazard: the first hazard that has a line in the matrix."""
    used: set[int] = set()
    for model in (HazardPlan, HazardTeamLine, HazardMaterialLine):
        used |= set(session.scalars(select(model.hazard_id)))
    if not used:
        return None
    return session.scalar(select(Hazard).where(Hazard.id.in_(used)).order_by(Hazard.id).limit(1))


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    hazard: str | None = None,
    level: str | None = None,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    chosen = _default_hazard(session) if not hazard else get_hazard(session, hazard)
    if chosen is None:
        doc = open_document(
            session,
            title=("预警响应核查单", "Warning Response Check"),
            subject=(
                "灾种预警级别的队伍、物资与预案核查",
                "Teams, materials and plans for a warning",
            ),
            as_of=as_of,
            lang=lang,
            generated_at=generated_at,
        )
        doc.story.append(
            Paragraph(
                doc.tx.t(
                    "尚未编制预警响应矩阵（drillplan hazards add-line），没有可核查的灾种。",
                    "The warning response matrix is empty (drillplan hazards add-line).",
                ),
                doc.st["base"],
            )
        )
        return doc.finish(path, {"teams": 0, "materials": 0, "plans": 0, "missing": 0})
    if not level:
        level = [c for c in LEVEL_CODES if c in (chosen.levels or [])][-1]
    result = hazard_check(session, hazard=chosen, level=level, as_of=as_of)
    name = result.hazard_name if lang == "zh" else (result.hazard_name_en or result.hazard_code)
    doc = open_document(
        session,
        title=("预警响应核查单", "Warning Response Check"),
        subject=("灾种预警级别的队伍、物资与预案核查", "Teams, materials and plans for a warning"),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
        subtitle=f"{name} {level_label(result.level, lang)}",
    )
    tx, st, width, story = doc.tx, doc.st, doc.width, doc.story
    figures: dict[str, object] = {
        "teams": len(result.teams),
        "materials": len(result.materials),
        "plans": len(result.plans),
        "missing": len(result.missing),
    }
    verdict = (
        tx.t("全部满足。", "Everything is in place.")
        if result.ok
        else tx.t(f"缺项 {len(result.missing)} 项，见第四部分。",
                  f"{len(result.missing)} lines missing: see part 4.")
    )  # fmt: skip
    story.append(
        Paragraph(
            escape(
                tx.t(
                    f"{name}{level_label(result.level)}：待命队伍 {len(result.teams)} 支、前置物资"
                    f" {len(result.materials)} 项、启动预案 {len(result.plans)} 件（含较低级别的"
                    f"要求：高级别包含低级别）。{verdict}",
                    f"{name} at {level_label(result.level, 'en')}: {len(result.teams)} teams,"
                    f" {len(result.materials)} materials, {len(result.plans)} plans (lower"
                    f" levels' lines included). {verdict}",
                )
            ),
            st["base"],
        )
    )
    story.append(Spacer(1, 4))
    flag = {True: "ok", False: "critical"}

    story.append(Heading(tx.t("一、待命队伍", "1. Standby teams"), st["h2"]))
    story += data_table(
        [
            Col(tx.t("起始级别", "From"), 0.7),
            Col(tx.t("队伍", "Team"), 2.4),
            Col(tx.t("状态", "Status"), 0.9),
            Col(tx.t("最低人数", "Needed"), 0.8, "RIGHT"),
            Col(tx.t("持证在岗", "Certified"), 0.8, "RIGHT"),
            Col(tx.t("差", "Short"), 0.6, "RIGHT"),
            Col(tx.t("值班电话", "Duty phone"), 1.1),
            Col(tx.t("核查", "Check"), 0.8, status=True),
        ],
        [
            [
                level_short(t.from_level, lang),
                f"{t.code} {t.name}",
                label(Readiness(t.readiness), lang),
                t.headcount,
                t.counted,
                t.short or "",
                t.phone or "",
                flag[t.ok],
            ]
            for t in result.teams
        ],
        width=width,
        lang=lang,
        empty=True,
    )
    for t in result.teams:
        if t.alternatives:
            names = "、".join(
                f"{a.code} {a.name}（{a.unit}，持证在岗 {a.counted} 人"
                + (f"，{a.phone}" if a.phone else "") + "）" if lang == "zh"
                else f"{a.code} {a.name} ({a.unit}, {a.counted} certified"
                + (f", {a.phone}" if a.phone else "") + ")"
                for a in t.alternatives
            )  # fmt: skip
            text = tx.t(f"可替代 {t.code} 的队伍：{names}", f"Could stand in for {t.code}: {names}")
            story.append(Paragraph(escape(text), st["base"]))
    story.append(Heading(tx.t("二、前置物资", "2. Pre-positioned materials"), st["h2"]))
    story += data_table(
        [
            Col(tx.t("起始级别", "From"), 0.7),
            Col(tx.t("物资", "Material"), 1.8),
            Col(tx.t("存放地点", "Where"), 1.6),
            Col(tx.t("需要", "Needed"), 0.8, "RIGHT"),
            Col(tx.t("可用", "Usable"), 0.8, "RIGHT"),
            Col(tx.t("差", "Short"), 0.7, "RIGHT"),
            Col(tx.t("最近的富余", "Nearest surplus"), 2.4),
            Col(tx.t("核查", "Check"), 0.8, status=True),
        ],
        [
            [
                level_short(m.from_level, lang),
                f"{m.code} {m.name}（{m.uom}）",
                f"{m.place_code} {m.place_name}".strip()
                if m.place_kind != "district"
                else tx.t("全区", "District"),
                m.required,
                m.usable,
                m.short or "",
                "；".join(
                    f"{s.code} {s.name} {fmt_number(s.surplus)}{' ' + s.phone if s.phone else ''}"
                    for s in m.nearest
                )
                if not m.ok
                else "",
                flag[m.ok],
            ]
            for m in result.materials
        ],
        width=width,
        lang=lang,
        empty=True,
    )
    story.append(Heading(tx.t("三、启动预案", "3. Plans activated"), st["h2"]))
    story += data_table(
        [
            Col(tx.t("起始级别", "From"), 0.7),
            Col(tx.t("预案", "Plan"), 2.6),
            Col(tx.t("状态", "Status"), 0.8),
            Col(tx.t("问题", "Problems"), 3.0),
            Col(tx.t("核查", "Check"), 0.8, status=True),
        ],
        [
            [
                level_short(p.from_level, lang),
                f"{p.code} {p.title}",
                label(PlanStatus(p.status), lang),
                "；".join(p.problems) if lang == "zh" else "; ".join(p.problems_en),
                flag[p.current],
            ]
            for p in result.plans
        ],
        width=width,
        lang=lang,
        empty=True,
    )
    story.append(Heading(tx.t("四、缺项", "4. Missing"), st["h2"]))
    if result.ok:
        story.append(Paragraph(tx.t("没有缺项。", "Nothing is missing."), st["base"]))
    for n, item in enumerate(result.missing, 1):
        who = " ".join(x for x in (item["code"], item["name"]) if x)
        what = item["what"] if lang == "zh" else item["what_en"]
        story.append(Paragraph(escape(f"{n}. {who + '：' if who else ''}{what}"), st["base"]))
    story.append(Spacer(1, 6))
    story.append(
        Paragraph(
            tx.t(
                "口径：队伍须为“待命”，且持有效证书的在岗队员不少于最低人数；物资只计未过期的在库"
                "数量（按计量单位），富余为其他持有方的可用数量减去本级别矩阵要求其存放的数量，"
                "按与存放地点所属单位的远近排列；预案须已批准或发布，且评估、演练未逾期、无待办修订。",
                "Rules: a team must be ready with at least the headcount of active members holding"
                " a valid certificate; materials count unexpired stock on hand in their unit; a"
                " surplus is another holder's usable stock less what the matrix asks it to hold,"
                " nearest first; a plan must be in force, not overdue for evaluation or drill,"
                " with no revision pending.",
            ),
            st["note"],
        )
    )
    return doc.finish(path, figures)
