"""`drillplan report KIND -o FILE.pdf`: print one of the PDF reports.

ReportLab and the report modules are imported only when the command runs, so that starting
any other command does not pay for them.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from drillplan.cli.argtypes import year_arg
from drillplan.cli.common import EXIT_OK, command_session, date_arg

KIND_NAMES = ", ".join(
    (
        "readiness",
        "expiry",
        "plans",
        "competition",
        "drill-schedule",
        "drill-evaluation",
        "dispatch-note",
        "duty-roster",
        "facilities",
        "directory",
        "trainings",
        "annual-statistics",
        "hazard-check",
        "preseason",
    )
)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = sub.add_parser("report", help="print a PDF report (annual-statistics: or .xlsx)")
    report.add_argument("kind", help=KIND_NAMES)
    report.add_argument("-o", "--output", type=Path, required=True)
    report.add_argument("--as-of", type=date_arg)
    report.add_argument(
        "--year",
        type=year_arg,
        help="year (competition, drill-schedule, trainings, annual-statistics, preseason)",
    )
    report.add_argument("--drill", help="drill code (drill-evaluation)")
    report.add_argument(
        "--competition",
        metavar="ID_OR_TITLE",
        help="which competition (its id or title; competition): any year's, not only the first",
    )
    report.add_argument("--lang", choices=["zh", "en"], default="zh")
    report.add_argument("--request", help="allocation request number (dispatch-note)")
    report.add_argument("--month", metavar="YYYY-MM", help="month (duty-roster)")
    report.add_argument("--hazard", help="hazard (hazard-check): 台风, 防汛 ...")
    report.add_argument("--level", help="warning level (hazard-check): 蓝/黄/橙/红 or IV-I")
    report.add_argument(
        "--class",
        dest="material_class",
        metavar="CODE",
        help="material class code prefix (directory): 2, 203 or 2030102",
    )


def cmd_report(args: argparse.Namespace) -> int:
    from drillplan.reports.registry import build_report

    with command_session(args) as (_database, session):
        result = build_report(
            session,
            args.kind,
            args.output,
            as_of=args.as_of or dt.date.today(),
            lang=args.lang,
            year=args.year,
            drill=args.drill,
            competition=args.competition,
            **({"request": args.request} if args.request else {}),
            month=args.month,
            **({"material_class": args.material_class} if args.material_class else {}),
            **({"hazard": args.hazard, "level": args.level} if args.kind == "hazard-check" else {}),
        )
    print(result.path)
    return EXIT_OK
