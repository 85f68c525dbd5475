"""The printable reports by kind, and the one entry point that builds any of them."""

from __future__ import annotations

import contextvars
import datetime as dt
import importlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from drillplan.kernel.errors import ValidationError
from drillplan.kernel.memory import collector_paused
from drillplan.kernel.progress import Progress
from drillplan.reports.result import ReportResult


@dataclass(frozen=True)
class ReportKind:
    key: str
    zh: str
    en: str
    module: str
    needs_year: bool = False
    needs_drill: bool = False
    needs_competition: bool = False
    needs_month: bool = False  # --month YYYY-MM (default: the month of as_of)
    optional_year: bool = False  # --year when given (the report picks its own default)


KINDS: dict[str, ReportKind] = {
    k.key: k
    for k in (
        ReportKind("readiness", "应急准备能力（战备）评估报告", "Readiness", "readiness_report"),
        ReportKind("expiry", "物资到期审计报告", "Expiry audit", "expiry_report"),
        ReportKind(
            "competition",
            "技能大比武成绩",
            "Competition results",
            "competition_report",
            needs_year=True,
            needs_competition=True,
        ),
        ReportKind("plans", "应急预案登记册", "Plan register", "plans_report"),
        ReportKind(
            "drill-schedule",
            "年度应急演练计划",
            "Drill schedule",
            "drill_schedule_report",
            needs_year=True,
        ),
        ReportKind(
            "drill-evaluation",
            "应急演练评估报告",
            "Drill evaluation",
            "drill_evaluation_report",
            needs_drill=True,
        ),
        ReportKind("dispatch-note", "物资调拨单", "Dispatch note", "dispatch_note_report"),
        ReportKind(
            "duty-roster",
            "应急值班表（月度）",
            "Duty roster",
            "duty_roster_report",
            needs_month=True,
        ),
        ReportKind(
            "facilities",
            "应急避难场所与平急两用设施",
            "Shelters and facilities",
            "facilities_report",
        ),
        ReportKind(
            "trainings",
            "培训与宣教年度统计",
            "Training and public education",
            "trainings_report",
            needs_year=True,
        ),
        ReportKind("directory", "应急物资资源目录", "Resource directory", "directory_report"),
        ReportKind(
            "annual-statistics",
            "年度应急管理工作统计",
            "Annual statistics",
            "annual_statistics_report",
            needs_year=True,
        ),
        ReportKind(
            "hazard-check", "预警响应核查单", "Warning response check", "hazard_check_report"
        ),
        ReportKind(
            "preseason",
            "汛前检查表",
            "Pre-flood-season check",
            "preseason_report",
            optional_year=True,
        ),
    )
}


def build_report(
    session: Session,
    kind: str,
    path: Path,
    *,
    as_of: dt.date,
    lang: str = "zh",
    year: int | None = None,
    drill: str | None = None,
    competition: str | int | None = None,
    progress: Progress | None = None,
    month: str | None = None,
    **options: Any,
) -> ReportResult:
    """Build the report ``kind`` into ``path``; ``progress`` (optional) is told each page and
    can cancel the build (``Cancelled`` is raised and no file is written)."""
    spec = KINDS.get(kind)
    if spec is None:
        raise ValidationError(
            "kind",
            f"没有“{kind}”这种报表；可选：{'、'.join(KINDS)}",
            message_en=f"unknown report {kind!r}; one of {', '.join(KINDS)}",
        )
    if lang not in ("zh", "en"):
        raise ValidationError("lang", "语言只能是 zh 或 en", message_en="lang is zh or en")
    module = importlib.import_module(f"drillplan.reports.{spec.module}")
    kwargs: dict[str, Any] = {"as_of": as_of, "lang": lang, **options}
    if spec.needs_year:
        kwargs["year"] = check_year(year if year is not None else as_of.year)
    if spec.optional_year and year is not None:
        kwargs["year"] = check_year(year)
    if spec.needs_drill:
        kwargs["drill"] = drill
    if spec.needs_month:
        kwargs["month"] = month
    if spec.needs_competition and competition is not None:
        kwargs["competition"] = competition
        if year is None:  # the competition names its own year
            kwargs.pop("year")

    from drillplan.reports.frame import CURRENT_PROGRESS  # ReportLab: only when one is built

    def run() -> ReportResult:  # in a copy of the context: fonts and progress stay ours
        CURRENT_PROGRESS.set(progress)
        built: ReportResult = module.build(session, Path(path), **kwargs)
        return built

    # a report's rows, paragraphs and cell styles all live until it is written: the cyclic
    # collector would walk them again and again with nothing to free (15% of a 20,000-lot
    # expiry report, five full collections); it runs again afterwards
    with collector_paused():
        return contextvars.copy_context().run(run)


def check_year(year: int) -> int:
    """A report year: 1900..2199 like every year the command line takes."""
    from drillplan.kernel.values import DATE_MAX, DATE_MIN

    if (
        isinstance(year, bool)
        or not isinstance(year, int)
        or not (DATE_MIN.year <= year <= DATE_MAX.year)
    ):
        raise ValidationError(
            "year",
            f"年份应在 {DATE_MIN.year} 至 {DATE_MAX.year} 之间（输入为 {year}）",
            message_en=f"the year must be {DATE_MIN.year}..{DATE_MAX.year}, got {year}",
        )
    return year
