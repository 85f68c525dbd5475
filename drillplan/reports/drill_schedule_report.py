"""年度应急演练计划 as a hand-out (A4 landscape): the preamble from the settings, every drill of
the year (cancelled ones marked and counted), the plans that must be drilled this year and have
no drill yet, the conflicts in their own section, the sign-off (编制/审核/批准) and, as an
attachment, the month calendar (two pages a year)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from drillplan import settings
from drillplan.calendar.workdays import calendar_for
from drillplan.db.models import Drill, DrillParticipant, Plan
from drillplan.drills.conflicts import KINDS as CONFLICT_KINDS
from drillplan.drills.conflicts import ConflictItem, find_conflicts
from drillplan.drills.plan_due import plan_years
from drillplan.drills.recurrence import Occurrence, occurrences_in_year
from drillplan.kernel.vocab import DrillStatus, label
from drillplan.reports.cells import Col
from drillplan.reports.frame import Heading, Para, Texts, open_document, signoff, styles
from drillplan.reports.result import ReportResult
from drillplan.reports.schedule_calendar import legend, year_calendar
from drillplan.reports.tables import data_table

NO_DRILL = "plan_overdue_before_drill"  # the conflict kind that is "due, no drill yet"


def _drills(session: Session, ids: set[int]) -> dict[int, Drill]:
    return {
        d.id: d
        for d in session.scalars(
            select(Drill)
            .where(Drill.id.in_(ids))
            .options(
                selectinload(Drill.plans),
                selectinload(Drill.organiser),
                selectinload(Drill.participants).selectinload(DrillParticipant.team),
                selectinload(Drill.participants).selectinload(DrillParticipant.unit),
            )
        )
    }


def _when(occs: list[Occurrence], tx: Texts) -> str:
    live = [o for o in occs if not o.cancelled] or occs
    if len(live) == 1:
        o = live[0]
        return f"{o.start:%Y-%m-%d} {o.start:%H:%M}-{o.end:%H:%M}"
    dates = tx.t("、", ", ").join(f"{o.start:%Y-%m-%d}" for o in live)
    return dates + tx.t(f"（{len(live)} 次）", f" ({len(live)} sessions)")


def due_without_drill(session: Session, year: int) -> list[list[object]]:
    """Plans in force that fall due for a drill by the end of ``year`` (or are overdue) with
    no drill scheduled to meet it: code, title, owner, last drill, due date."""
    years = plan_years(session, year)
    owners = {
        p.id: p.owner_unit.name
        for p in session.scalars(
            select(Plan)
            .where(Plan.id.in_([py.plan.id for py in years]))
            .options(selectinload(Plan.owner_unit))
        )
    }
    rows: list[list[object]] = []
    for py in years:
        for gap in py.gaps(year):
            if gap.late is None:
                last = f"{gap.last} {gap.last_code}" if gap.last and gap.last_code else "—"
                rows.append(
                    [py.plan.code, py.plan.title, owners.get(py.plan.id, ""), last, gap.due]
                )
    return rows


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
        title=(f"{year}年度应急演练计划", f"Annual Drill Plan {year}"),
        subject=("年度应急演练计划、月历与冲突", "Drills, calendar and conflicts"),
        as_of=as_of,
        lang=lang,
        landscape=True,
        generated_at=generated_at,
        date_kind="compiled",
    )
    tx, st, width, story = doc.tx, doc.st, doc.width, doc.story
    every = occurrences_in_year(session, year, include_cancelled=True)
    occs = [o for o in every if not o.cancelled]
    by_drill: dict[int, list[Occurrence]] = defaultdict(list)
    for o in every:
        by_drill[o.drill_id].append(o)
    drills = _drills(session, set(by_drill))
    conflicts = [c for c in find_conflicts(session, year=year) if c.drill_ids or c.kind != NO_DRILL]
    due = due_without_drill(session, year)
    clash_by_drill: dict[int, list[str]] = defaultdict(list)
    for c in conflicts:
        for drill_id in c.drill_ids:
            clash_by_drill[drill_id].append(c.kind)
    ordered = sorted(drills.values(), key=lambda d: (min(o.start for o in by_drill[d.id]), d.code))
    cancelled = [d for d in ordered if d.status == DrillStatus.CANCELLED]
    figures: dict[str, object] = {
        "drills": len(ordered),
        "cancelled": len(cancelled),
        "occurrences": len(occs),
        "conflicts": len(conflicts),
        "plans_due_without_drill": len(due),
    }

    preamble = str(settings.get(session, "schedule_preamble") or "").replace("{year}", str(year))
    if preamble and lang == "zh":  # the office's own words (Chinese as entered)
        story.append(Para(preamble, st["base"]))
    elif preamble:
        story.append(
            Para(
                f"The {year} drill plan, drawn up under the Emergency Response Law and the"
                " rules on contingency plans from each plan's drill interval, the flood season"
                " and the year's major events. Each organiser prepares its drills, evaluates"
                " them afterwards and follows up the problems found.",
                st["base"],
            )
        )

    story.append(Heading(tx.t("一、年度演练安排", "1. Drills of the year"), st["h1"]))
    story.append(Para(_count_sentence(tx, year, ordered, cancelled, occs, conflicts), st["base"]))
    story.append(Spacer(1, 4))
    rows = []
    for n, d in enumerate(ordered, start=1):
        sep = tx.t("、", "; ")
        units = sep.join(p.unit.name for p in d.participants if p.unit is not None)
        teams = sep.join(p.team.name for p in d.participants if p.team is not None)
        status = label(DrillStatus(d.status), lang)
        if d.status == DrillStatus.CANCELLED:
            status = tx.t("已取消（不计入）", "Cancelled (not counted)")
        elif d.id in clash_by_drill:
            status += tx.t("　▲冲突", "  ▲ conflict")
        rows.append(
            [
                n,
                f"{d.code} {d.title}",
                label(d.scope, lang),
                label(d.form, lang),
                tx.t("、", ", ").join(p.code for p in d.plans) or "—",
                d.organiser.name,
                units or "—",
                teams or "—",
                d.venue or "—",
                _when(by_drill[d.id], tx),
                status,
            ]
        )
    if rows:
        story += data_table(
            [
                Col(tx.t("序号", "No."), 0.4, "CENTER"),
                Col(tx.t("演练名称", "Drill"), 2.6),
                Col(tx.t("类型", "Type"), 0.6, "CENTER"),
                Col(tx.t("形式", "Form"), 0.7, "CENTER"),
                Col(tx.t("检验预案", "Plans exercised"), 1.4),
                Col(tx.t("牵头单位", "Lead unit"), 1.4),
                Col(tx.t("参演单位", "Participating units"), 1.6),
                Col(tx.t("参演队伍", "Teams"), 1.8),
                Col(tx.t("地点", "Venue"), 1.4),
                Col(tx.t("计划时间", "Planned"), 1.3),
                Col(tx.t("状态", "Status"), 0.8),
            ],
            rows,
            width=width,
            lang=lang,
        )
    else:
        story.append(
            Para(
                tx.t(f"{year} 年度没有安排演练。", f"No drills are scheduled in {year}."),
                st["base"],
            )
        )

    story.append(
        Heading(
            tx.t("二、本年度应演练但尚未安排的预案", "2. Plans due this year with no drill yet"),
            st["h1"],
        )
    )
    if due:
        story.append(
            Para(
                tx.t(
                    f"下列 {len(due)} 件预案按演练周期应在 {year} 年底前演练（或已逾期），"
                    "但尚未安排演练，请编制单位纳入计划：",
                    f"{len(due)} plans fall due for a drill by the end of {year} (or are overdue)"
                    " and have no drill scheduled: the owners should add one.",
                ),
                st["base"],
            )
        )
        story += data_table(
            [
                Col(tx.t("预案编号", "Plan"), 1.2),
                Col(tx.t("预案名称", "Title"), 3),
                Col(tx.t("编制单位", "Owner"), 1.8),
                Col(tx.t("上次演练", "Last drill"), 1.4),
                Col(tx.t("应演练日期", "Due by"), 1, "CENTER"),
            ],
            due,
            width=width,
            lang=lang,
        )
    else:
        story.append(
            Para(
                tx.t("没有应演练而未安排的预案。", "Every plan due this year has a drill."),
                st["base"],
            )
        )

    story.append(Heading(tx.t("三、安排冲突", "3. Conflicts"), st["h1"]))
    _conflicts(story, conflicts, tx, width, lang)

    roles = [("编制", "Prepared by"), ("审核", "Reviewed by"), ("批准", "Approved by")]
    story.append(signoff(roles, tx, width * 0.7))

    story.append(PageBreak())
    story.append(Heading(tx.t("附件：演练月历", "Attachment: calendar"), st["h1"]))
    story.append(Para(legend(tx), st["note"]))
    by_day: dict[dt.date, list[str]] = defaultdict(list)
    for o in occs:
        by_day[o.start.date()].append(drills[o.drill_id].code)
    clash_days = {c.date for c in conflicts if c.drill_ids}
    cal = calendar_for(session, [year])
    story += year_calendar(year, by_day, clash_days, cal, width, tx)
    return doc.finish(path, figures)


def _count_sentence(
    tx: Texts,
    year: int,
    drills: list[Drill],
    cancelled: list[Drill],
    occs: list[Occurrence],
    conflicts: list[ConflictItem],
) -> str:
    held = len(drills) - len(cancelled)
    return tx.t(
        f"{year} 年度演练计划共 {len(drills)} 项，其中取消 {len(cancelled)} 项，"
        f"实际安排 {held} 项、共安排演练 {len(occs)} 场次；发现冲突 {len(conflicts)} 处，"
        "有冲突的演练在状态栏标注“▲冲突”，详见第三部分。",
        f"The {year} plan holds {len(drills)} drills, {len(cancelled)} of them cancelled:"
        f" {held} drills in {len(occs)} sessions; {len(conflicts)} conflicts, marked ▲ in the"
        " status column and listed in part 3.",
    )


def _conflicts(
    story: list[Flowable], conflicts: list[ConflictItem], tx: Texts, width: float, lang: str
) -> None:
    if not conflicts:
        story.append(Para(tx.t("没有发现冲突。", "No conflicts."), styles()["base"]))
        return
    story += data_table(
        [
            Col(tx.t("日期", "Date"), 1.0, "CENTER"),
            Col(tx.t("类型", "Kind"), 1.4),
            Col(tx.t("演练", "Drills"), 1.8),
            Col(tx.t("原因", "Reason"), 7.0),
        ],
        [
            [
                c.date,
                CONFLICT_KINDS.get(c.kind, (c.kind, c.kind))[0 if lang == "zh" else 1],
                tx.t("、", ", ").join(c.drill_codes),
                c.reason_zh if lang == "zh" else c.reason_en,
            ]
            for c in conflicts
        ],
        width=width,
        lang=lang,
    )
