"""避难场所与平急两用设施: the register, overdue inspections and shelter capacity per
street-town against its population."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from reportlab.platypus import Paragraph, Spacer
from sqlalchemy.orm import Session

from drillplan.facilities import audit as facility_audit
from drillplan.facilities.read import amenities_text, facilities
from drillplan.kernel.formatting import fmt_number
from drillplan.kernel.vocab import EmergencyUse, FacilityStatus, label
from drillplan.reports.cells import Col
from drillplan.reports.frame import Heading, open_document
from drillplan.reports.result import ReportResult
from drillplan.reports.tables import data_table

STREET_STATUS = {"": "ok", "below_target": "warning", "no_shelter": "critical"}


def _percent(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


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
        title=("应急避难场所与平急两用设施", "Shelters and Dual-use Facilities"),
        subject=("场所登记、巡查与街镇避难容量", "Register, inspections and capacity per street"),
        as_of=as_of,
        lang=lang,
        landscape=True,
        generated_at=generated_at,
        date_kind="compiled",
    )
    tx, st, width, story = doc.tx, doc.st, doc.width, doc.story
    rows = facilities(session, as_of=as_of)
    result = facility_audit.audit(session, as_of=as_of, horizon=30)
    short = result.street_findings
    figures: dict[str, object] = {
        "facilities": len(rows),
        "overdue": len(result.overdue),
        "streets_below_target": len(short),
    }
    story.append(Heading(tx.t("一、场所登记", "1. Register"), st["h1"]))
    if not rows:
        story.append(
            Paragraph(
                tx.t("没有登记的避难场所或平急两用设施。", "There are no facilities registered."),
                st["base"],
            )
        )
    else:
        capacity = sum(r["capacity_people"] for r in rows)
        story.append(
            Paragraph(
                tx.t(
                    f"在册场所 {len(rows)} 处，可容纳 {fmt_number(capacity)} 人；巡查逾期"
                    f" {len(result.overdue)} 处；避难容量未达目标（常住人口的"
                    f" {_percent(result.target_ratio)}）的街镇 {len(short)} 个。",
                    f"{len(rows)} facilities taking {fmt_number(capacity)} people;"
                    f" {len(result.overdue)} inspections overdue; {len(short)} street-towns"
                    f" below the target ({_percent(result.target_ratio)} of the population).",
                ),
                st["base"],
            )
        )
        story.append(Spacer(1, 4))
        story += data_table(
            [
                Col(tx.t("编号", "Code"), 1.1),
                Col(tx.t("场所名称", "Name"), 2.6, wrap=True),
                Col(tx.t("分类", "Class"), 1.0),
                Col(tx.t("所在街镇", "Street/town"), 1.2, wrap=True),
                Col(tx.t("可容纳（人）", "People"), 0.9, "RIGHT"),
                Col(tx.t("面积（㎡）", "Area (m²)"), 0.9, "RIGHT"),
                Col(tx.t("急时用途", "Emergency use"), 1.0),
                Col(tx.t("设施", "Facilities"), 1.8, wrap=True),
                Col(tx.t("最近巡查", "Inspected"), 1.0, "CENTER"),
                Col(tx.t("下次巡查", "Next due"), 1.0, "CENTER"),
                Col(tx.t("巡查", "Inspection"), 0.9, status=True),
            ],
            [
                [
                    r["code"],
                    r["name"],
                    r["class"],
                    r["street_name"],
                    r["capacity_people"],
                    r["area_m2"],
                    label(EmergencyUse(r["emergency_use"]), lang),
                    amenities_text(r["amenities"], lang),
                    r["last_inspected_on"],
                    r["next_due"],
                    _inspection_flag(r),
                ]
                for r in rows
            ],
            width=width,
            lang=lang,
        )
    story.append(Heading(tx.t("二、巡查逾期", "2. Overdue inspections"), st["h1"]))
    if not result.overdue:
        story.append(Paragraph(tx.t("没有逾期的巡查。", "No inspection is overdue."), st["base"]))
    else:
        story += data_table(
            [
                Col(tx.t("编号", "Code"), 1.2),
                Col(tx.t("场所名称", "Name"), 3.0, wrap=True),
                Col(tx.t("所在街镇", "Street/town"), 1.4),
                Col(tx.t("最近巡查", "Inspected"), 1.1, "CENTER"),
                Col(tx.t("应于", "Due"), 1.1, "CENTER"),
                Col(tx.t("逾期（天）", "Days overdue"), 1.0, "RIGHT"),
            ],
            [
                [
                    i.code,
                    i.name,
                    i.street,
                    i.last_inspected_on or tx.t("从未巡查", "never"),
                    i.next_due,
                    i.days_overdue if i.next_due is not None else "",
                ]
                for i in result.overdue
            ],
            width=width,
            lang=lang,
        )
    story.append(
        Heading(tx.t("三、各街镇避难容量", "3. Shelter capacity per street-town"), st["h1"])
    )
    if not result.streets:
        story.append(Paragraph(tx.t("没有登记的街镇。", "There are no street-towns."), st["base"]))
        return doc.finish(path, figures)
    story.append(
        Paragraph(
            tx.t(
                f"目标：可容纳人数达到常住人口的 {_percent(result.target_ratio)}（设置项"
                "“避难容量目标”）；只计可用、部分可用的避难场所、避难点和急时用于避难安置的"
                "平急两用设施。",
                f"Target: capacity of {_percent(result.target_ratio)} of the population (the"
                " setting shelter_capacity_ratio); shelters in service, shelter points and"
                " dual-use facilities whose emergency use is sheltering count.",
            ),
            st["note"],
        )
    )
    story += data_table(
        [
            Col(tx.t("街镇", "Street/town"), 1.6),
            Col(tx.t("常住人口", "Population"), 1.1, "RIGHT"),
            Col(tx.t("场所数", "Shelters"), 0.8, "RIGHT"),
            Col(tx.t("可容纳（人）", "Capacity"), 1.1, "RIGHT"),
            Col(tx.t("容量/人口", "Capacity/population"), 1.2, "RIGHT"),
            Col(tx.t("达标程度", "Coverage"), 1.0, "RIGHT"),
            Col(tx.t("结论", "Result"), 1.4),
            Col(tx.t("状态", "Status"), 0.9, status=True),
        ],
        [
            [
                s.name,
                s.population,
                s.shelters,
                s.capacity,
                _percent(s.ratio),
                _percent(s.coverage),
                facility_audit.problem_label(s.problem, lang),
                STREET_STATUS.get(s.problem, ""),
            ]
            for s in result.streets
        ],
        width=width,
        lang=lang,
    )
    return doc.finish(path, figures)


def _inspection_flag(row: dict[str, object]) -> str:
    if row["status"] not in (FacilityStatus.IN_SERVICE.value, FacilityStatus.LIMITED.value):
        return ""
    return "overdue" if row["overdue"] else "ok"
