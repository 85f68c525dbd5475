"""The fixed layout of the yearly statistics: one table per section, in the report language.

The PDF report and the workbook print exactly these tables (one sheet each, in this order),
so the two never disagree: the numbers come from one :class:`AnnualStatistics`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from drillplan.kernel.vocab import label
from drillplan.statistics.annual import AnnualStatistics, class_name

NUMBER, QUANTITY, MONEY, TEXT = "number", "quantity", "money", "text"


@dataclass(frozen=True)
class Column:
    zh: str
    en: str
    kind: str = NUMBER  # number (int), quantity (3 decimals at most), money (2 decimals), text

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class Section:
    key: str  # the sheet's stable key (docs/cli.md)
    zh: str
    en: str
    columns: tuple[Column, ...]
    rows: list[list[Any]]
    totals: list[list[Any]]  # the 合计 row(s) (per unit of measure for the reserves)

    def title(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


C = Column
STREET = C("街镇", "Street/town", TEXT)


def _total_label(lang: str, suffix: str = "") -> str:
    base = "合计" if lang == "zh" else "Total"
    if not suffix:
        return base
    return f"{base}（{suffix}）" if lang == "zh" else f"{base} ({suffix})"


def _sum(rows: list[list[Any]], first: int) -> list[Any]:
    width = len(rows[0]) if rows else 0
    return [sum((r[i] for r in rows), Decimal(0) if rows and isinstance(rows[0][i], Decimal) else 0)
            for i in range(first, width)]  # fmt: skip


def summary_section(stats: AnnualStatistics, lang: str) -> Section:
    s = stats.summary()
    items = [
        ("plans", "应急预案（件）", "Plans in force"),
        ("plans_revised", "本年修订预案（件）", "Plans revised in the year"),
        ("plans_filed", "本年备案预案（件）", "Plans filed in the year"),
        ("drills", "应急演练（次）", "Drills"),
        ("drill_participants", "参演队伍和单位（个次）", "Participating teams and units"),
        ("drills_evaluated", "已评估演练（次）", "Drills evaluated"),
        ("corrective_actions", "整改措施（项）", "Corrective actions"),
        ("corrective_actions_closed", "已完成整改（项）", "Corrective actions closed"),
        ("training_events", "培训与宣教（场）", "Training and education events"),
        ("training_headcount", "培训与宣教（人次）", "Training and education attendees"),
        ("teams", "救援队伍（支）", "Rescue teams"),
        ("members", "在册队员（人）", "Active members"),
        ("members_certified", "年末持有效证书队员（人）", "Members with a valid certificate"),
        ("reserve_value", "年末可用储备物资价值（元）", "Usable reserves, value (CNY)"),
        ("competitions", "技能大比武（次）", "Skill competitions"),
        ("competition_entries", "比武参赛（人次/队次）", "Competition entries"),
    ]
    return Section(
        "summary",
        "总览",
        "Summary",
        (C("指标", "Figure", TEXT), C("数值", "Value")),
        [[zh if lang == "zh" else en, s[key]] for key, zh, en in items],
        [],
    )


def streets_section(stats: AnnualStatistics, lang: str) -> Section:
    figures: dict[str, list[Any]] = {s: [0] * 7 for s in stats.streets}
    for p in stats.plans:
        figures[p.street][0] += p.plans
    for d in stats.drills:
        figures[d.street][1] += d.drills
        figures[d.street][2] += d.participants
    if stats.trainings is not None:
        for street in stats.trainings.streets:
            events, heads = stats.trainings.row(street)
            row = figures.setdefault(street, [0] * 7)
            row[3] += events
            row[4] += heads
    for t in stats.teams:
        figures[t.street][5] += t.teams
        figures[t.street][6] += t.members
    rows = [[street, *v] for street, v in figures.items() if any(v)]
    return Section(
        "streets",
        "按街镇汇总",
        "By street-town",
        (
            STREET,
            C("预案", "Plans"),
            C("演练", "Drills"),
            C("参演队伍和单位", "Participants"),
            C("培训宣教场次", "Training events"),
            C("培训宣教人次", "Attendees"),
            C("队伍", "Teams"),
            C("队员", "Members"),
        ),
        rows,
        [[_total_label(lang), *_sum(rows, 1)]] if rows else [],
    )


def plans_section(stats: AnnualStatistics, lang: str) -> Section:
    rows = [[r.street, label(r.kind, lang), r.plans, r.revised, r.filed] for r in stats.plans]
    return Section(
        "plans",
        "应急预案",
        "Plans",
        (STREET, C("预案类型", "Kind", TEXT), C("预案数", "Plans"),
         C("本年修订", "Revised in the year"), C("本年备案", "Filed in the year")),
        rows,
        [[_total_label(lang), "", *_sum(rows, 2)]] if rows else [],
    )  # fmt: skip


def drills_section(stats: AnnualStatistics, lang: str) -> Section:
    rows = [
        [r.street, label(r.form, lang), label(r.scope, lang), r.drills, r.participants,
         r.evaluated, r.actions, r.actions_closed]
        for r in stats.drills
    ]  # fmt: skip
    return Section(
        "drills",
        "应急演练",
        "Drills",
        (STREET, C("形式", "Form", TEXT), C("类型", "Type", TEXT), C("演练次数", "Drills"),
         C("参演队伍和单位", "Participants"), C("已评估", "Evaluated"),
         C("整改措施", "Corrective actions"), C("已完成整改", "Closed")),
        rows,
        [[_total_label(lang), "", "", *_sum(rows, 3)]] if rows else [],
    )  # fmt: skip


def trainings_section(stats: AnnualStatistics, lang: str) -> Section:
    records = stats.trainings.records(lang) if stats.trainings is not None else []
    rows = [[r["street"], r["kind_label"], r["events"], r["headcount"]] for r in records]
    return Section(
        "trainings",
        "培训与宣教",
        "Training and public education",
        (STREET, C("类型", "Kind", TEXT), C("场次", "Events"), C("人次", "Attendees")),
        rows,
        [[_total_label(lang), "", *_sum(rows, 2)]] if rows else [],
    )


def teams_section(stats: AnnualStatistics, lang: str) -> Section:
    rows = [[r.street, label(r.kind, lang), r.teams, r.members, r.certified] for r in stats.teams]
    return Section(
        "teams",
        "救援队伍与队员",
        "Teams and members",
        (STREET, C("队伍类型", "Kind", TEXT), C("队伍", "Teams"), C("在册队员", "Members"),
         C("年末持有效证书", "Valid certificate at year end")),
        rows,
        [[_total_label(lang), "", *_sum(rows, 2)]] if rows else [],
    )  # fmt: skip


def reserves_section(stats: AnnualStatistics, lang: str) -> Section:
    rows = [
        [label(r.tier, lang), r.street, class_name(r.material_class, lang), r.uom, r.usable,
         r.value, r.renewed, r.written_off]
        for r in stats.reserves
    ]  # fmt: skip
    totals = [
        [_total_label(lang, uom), "", "", uom, t["usable"], t["value"], t["renewed"],
         t["written_off"]]
        for uom, t in stats.reserves_by_uom().items()
    ]  # fmt: skip
    return Section(
        "reserves",
        "物资储备",
        "Reserves",
        (C("层级", "Tier", TEXT), STREET, C("物资大类", "Material class", TEXT),
         C("计量单位", "Unit", TEXT), C("年末可用数量", "Usable at year end", QUANTITY),
         C("价值（元）", "Value (CNY)", MONEY), C("本年更新", "Renewed", QUANTITY),
         C("本年报损", "Written off", QUANTITY)),
        rows,
        totals,
    )  # fmt: skip


def competitions_section(stats: AnnualStatistics, lang: str) -> Section:
    rows = [[c.title, c.held_on, c.events, c.entries, c.teams] for c in stats.competitions]
    return Section(
        "competitions",
        "技能大比武",
        "Skill competitions",
        (C("比武名称", "Competition", TEXT), C("比赛日期", "Date", TEXT), C("科目", "Events"),
         C("参赛人次/队次", "Entries"), C("参赛队伍", "Teams")),
        rows,
        [[_total_label(lang), "", *_sum(rows, 2)]] if rows else [],
    )  # fmt: skip


def competition_streets_section(stats: AnnualStatistics, lang: str) -> Section:
    rows = [
        [r.street, r.competitions, r.teams, r.entries, r.ranked_first]
        for r in stats.competition_streets
    ]
    return Section(
        "competitions_by_street",
        "技能大比武（按街镇）",
        "Skill competitions by street-town",
        (STREET, C("参加比武（次）", "Competitions entered"), C("参赛队伍", "Teams"),
         C("参赛人次/队次", "Entries"), C("科目第一名", "First places")),
        rows,
        # a competition several street-towns entered counts once in the total
        [[_total_label(lang), sum(1 for c in stats.competitions if c.entries),
          *_sum(rows, 2)]] if rows else [],
    )  # fmt: skip


def sections(stats: AnnualStatistics, lang: str | None = None) -> list[Section]:
    """Every table of the yearly statistics, in print order."""
    lang = lang or stats.lang
    return [
        summary_section(stats, lang),
        streets_section(stats, lang),
        plans_section(stats, lang),
        drills_section(stats, lang),
        trainings_section(stats, lang),
        teams_section(stats, lang),
        reserves_section(stats, lang),
        competitions_section(stats, lang),
        competition_streets_section(stats, lang),
    ]


def as_dict(stats: AnnualStatistics, lang: str | None = None) -> dict[str, Any]:
    """The same tables as data (``report annual-statistics -o FILE.json``; docs/cli.md): the
    summary figures, then each section with its key, title, column keys and titles, rows and
    totals (numbers as JSON numbers, dates as ISO text)."""
    lang = lang or stats.lang
    return {
        "year": stats.year,
        "lang": lang,
        "year_end": stats.year_end.isoformat(),
        "summary": stats.summary(),
        "sections": [
            {
                "key": section.key,
                "title": section.title(lang),
                "columns": [{"title": c.title(lang), "kind": c.kind} for c in section.columns],
                "rows": section.rows,
                "totals": section.totals,
            }
            for section in sections(stats, lang)
        ],
    }
