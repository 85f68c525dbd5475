"""技能大比武成绩: results per event and the overall ranking."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import PageBreak, Paragraph, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.competitions import results
from drillplan.db.models import Competition
from drillplan.kernel.errors import NotFound
from drillplan.kernel.vocab import label
from drillplan.reports.cells import Col
from drillplan.reports.frame import (
    Heading,
    Texts,
    open_document,
)
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import bar_chart, data_table


def pick(
    session: Session, *, year: int | None, competition: str | int | None
) -> Competition | None:
    """The competition to print: ``competition`` by id or title (within ``year`` when given),
    else the year's only (or first) competition; None when the year has none."""
    if competition is None:
        return session.scalars(
            select(Competition).where(Competition.year == year).order_by(Competition.id)
        ).first()
    text = str(competition).strip()
    stmt = select(Competition).order_by(Competition.year.desc(), Competition.id)
    if year is not None:
        stmt = stmt.where(Competition.year == year)
    found = None
    if text.isdigit():
        found = session.scalars(stmt.where(Competition.id == int(text))).first()
    if found is None:
        found = session.scalars(stmt.where(Competition.title == text)).first()
    if found is None:
        within = f"{year} 年度" if year is not None else ""
        raise NotFound(
            f"{within}没有编号或名称为“{text}”的技能大比武"
            f" (no competition with id or title {text!r}{f' in {year}' if year else ''})"
        )
    return found


def build(
    session: Session,
    path: Path,
    *,
    as_of: dt.date,
    year: int | None = None,
    competition: str | int | None = None,
    lang: str = "zh",
    generated_at: dt.datetime | None = None,
) -> ReportResult:
    chosen = pick(session, year=year, competition=competition)
    year = chosen.year if chosen is not None else (year or as_of.year)
    doc = open_document(
        session,
        title=chosen.title if chosen else Texts(lang).t(f"{year}年度技能大比武成绩", "Results"),
        subject=("技能大比武成绩与总排名", "Skill competition results"),
        as_of=as_of,
        lang=lang,
        generated_at=generated_at,
        date_kind="held" if chosen else "as_of",
        date=chosen.held_on if chosen else None,
    )
    tx, st, width = doc.tx, doc.st, doc.width
    story = doc.story
    if chosen is None:
        story.append(
            Paragraph(
                tx.t(f"{year} 年度没有技能大比武记录。", f"There is no competition in {year}."),
                st["base"],
            )
        )
        return doc.finish(path, {"events": 0, "teams": 0})
    res = results(session, chosen.id)
    figures: dict[str, object] = {
        "events": len(res.events),
        "teams": len(res.overall),
        "winner": res.overall[0].team_name if res.overall else None,
    }
    story.append(
        Paragraph(
            tx.t(
                f"比武日期 {res.held_on}，地点 {res.venue or '—'}；共 {len(res.events)} 个科目、"
                f"{len(res.overall)} 支队伍参赛。总排名按各科目名次积分"
                f"（第 1 至 {len(res.points_table)} 名分别得 "
                f"{'、'.join(str(p) for p in res.points_table)} 分）乘以科目权重累计。",
                f"Held {res.held_on} at {res.venue or '—'}: {len(res.events)} events,"
                f" {len(res.overall)} teams. Overall: points per rank"
                f" ({', '.join(str(p) for p in res.points_table)}) x event weight.",
            ),
            st["base"],
        )
    )
    story.append(Heading(tx.t("一、总排名", "1. Overall ranking"), st["h1"]))
    story += data_table(
        [
            Col(tx.t("名次", "Rank"), 0.6, "CENTER"),
            Col(tx.t("队伍", "Team"), 3.5, wrap=True),
            Col(tx.t("类别", "Kind"), 1.4),
            Col(tx.t("总积分", "Points"), 1.0, "RIGHT"),
            Col(tx.t("第一名次数", "Firsts"), 1.0, "RIGHT"),
        ],
        [
            [
                r.rank or "—",
                r.team_name,
                label(r.team_kind, lang),
                r.total,
                r.places[0] if r.places else 0,
            ]
            for r in res.overall
        ],
        width=width,
        lang=lang,
    )
    top = [r for r in res.overall if r.rank is not None][:10]
    if top:
        story.append(Spacer(1, 8))
        story.append(
            bar_chart(
                [r.team_name[:12] for r in reversed(top)],
                [float(r.total) for r in reversed(top)],
                width=width,
                title=tx.t("前十名积分", "Top ten"),
            )
        )
    story.append(PageBreak())
    story.append(Heading(tx.t("二、分科目成绩", "2. Results per event"), st["h1"]))
    for event in res.events:
        by_time = event.scoring == "time"
        story.append(
            Heading(
                tx.t(
                    f"{event.seq}. {event.name}（{label(event.kind, lang)}，"
                    f"{label(event.scoring, lang)}，权重 {event.weight:g}）",
                    f"{event.seq}. {event.name} ({label(event.kind, lang)},"
                    f" {label(event.scoring, lang)}, weight {event.weight:g})",
                ),
                st["h2"],
                level=1,
            )
        )
        story += data_table(
            [
                Col(tx.t("名次", "Rank"), 0.6, "CENTER"),
                Col(tx.t("队伍", "Team"), 3.2, wrap=True),
                Col(tx.t("参赛人员", "Member"), 1.2),
                Col(tx.t("用时（秒）", "Time (s)") if by_time else tx.t("得分", "Score"), 1.0,
                    "RIGHT"),
                Col(tx.t("计入积分", "Points"), 0.9, "RIGHT"),
            ],
            [
                [
                    e.rank or "—",
                    e.team_name,
                    e.participant,
                    e.time_seconds if by_time else e.score,
                    e.points if e.counted else "",
                ]
                for e in event.entries
            ],
            width=width,
            lang=lang,
        )  # fmt: skip
        story.append(Spacer(1, 4))
    return doc.finish(path, figures)
