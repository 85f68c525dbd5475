"""`drillplan find TEXT`: the resource directory (资源目录) on the command line.

Who holds a material (by code or class prefix, name or synonym) or a capability (a team
specialty), with usable and expiring quantity per unit of measure, address, keeper and duty
phone, and for an agreement reserve its supplier and contact. ``--format json`` prints one
object (keys documented in ``docs/cli.md``); ``table`` and ``csv`` one row per holder x
material. Exit 0 (also when nothing matches), 2 on bad input (an unknown tier or unit).
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from sqlalchemy.orm import Session

from drillplan.cli.common import EXIT_OK, Out, add_format, date_arg, run
from drillplan.directory.find import find
from drillplan.directory.rows import ROW_KEYS, TABLE_COLUMNS, flat_rows, found_record
from drillplan.kernel.formatting import fmt_number

__all__ = ["cmd_find", "register"]

HELP = "the resource directory: who holds a material or capability, whom to call"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("find", help=HELP)
    p.add_argument(
        "text", metavar="TEXT", help="物资编码/分类、名称、别名或队伍专业（冲锋舟、2030、水上救援）"
    )
    p.add_argument("--tier", help="市级/区级/街镇级/企业代储/协议储备/队伍/产能储备 (or the key)")
    p.add_argument("--near", metavar="UNIT", help="list holders of this unit (code or name) first")
    p.add_argument("--as-of", type=date_arg, default=None, help="judge expiry on DATE (today)")
    p.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write the rows to .xlsx (or .csv)"
    )
    add_format(p)


def cmd_find(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        found = find(
            session,
            args.text,
            tier=args.tier,
            near_unit=args.near,
            as_of=args.as_of or dt.date.today(),
        )
        if args.output is not None:
            from drillplan.directory.sheet import DIRECTORY, directory_rows
            from drillplan.interchange.exporter import write_csv, write_xlsx

            csv = args.output.suffix.lower() == ".csv"
            n = (write_csv if csv else write_xlsx)(DIRECTORY, directory_rows([found]), args.output)
            out.print(f"已导出 {n} 条 (exported {n} rows) -> {args.output}")
            return EXIT_OK
        if args.format == "json":
            out.json(found_record(found))
            return EXIT_OK
        rows = list(flat_rows(found))
        if args.format == "csv":
            out.rows(rows, ROW_KEYS, "csv")
            return EXIT_OK
        if not rows:
            out.print(f"没有找到“{args.text}”的持有方 (nothing holds {args.text!r})")
            return EXIT_OK
        out.rows(rows, TABLE_COLUMNS, "table")
        totals = found.totals()
        for (code, uom), (usable, expiring) in sorted(totals.items()):
            u, e = fmt_number(usable), fmt_number(expiring)
            out.print(
                f"合计 {code}：可用 {u} {uom}，{found.horizon_days} 天内到期 {e}（产能储备不计入）"
                f" / total usable {u} {uom}, {e} expiring (capacity reserves not counted)"
            )  # fmt: skip
        return EXIT_OK

    return run(args, body)
