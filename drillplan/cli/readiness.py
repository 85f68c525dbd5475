"""`drillplan readiness`: explained scores from the district down to depot, team and plan."""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy.orm import Session

from drillplan.cli import output
from drillplan.cli.argtypes import limit_arg
from drillplan.cli.common import date_arg, run
from drillplan.readiness.score import COMPONENTS, Readiness, Score, readiness

LEVELS = ("district", "tier", "depot", "team", "plan")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("readiness", help="explained readiness scores")
    p.add_argument("--as-of", type=date_arg)
    p.add_argument("--level", choices=LEVELS, help="only this level (table output)")
    p.add_argument("--fixes", type=limit_arg, default=10, help="how many 'fix first' items to list")
    p.add_argument("--format", choices=output.FORMATS, default="table")


def _rows(result: Readiness, level: str | None) -> list[Score]:
    groups = {
        "district": [result.district],
        "tier": result.tiers,
        "depot": result.depots,
        "team": result.teams,
        "plan": result.plans,
    }
    return [s for lv in LEVELS if level in (None, lv) for s in groups[lv]]


def cmd_readiness(args: argparse.Namespace) -> int:
    return run(args, lambda session, _out: _show(session, args))


def _show(session: Session, args: argparse.Namespace) -> int:
    result = readiness(session, as_of=args.as_of or dt.date.today())
    if args.format == "json":
        print(output.dumps(result.as_dict()))
        return 0
    rows = [
        {
            "level": s.level,
            "key": s.key,
            "name": s.name,
            "score": s.score,
            **{c.key: c.value for c in s.components},
        }
        for s in _rows(result, args.level)
    ]
    print(output.render(rows, ["level", "key", "name", "score", *COMPONENTS], args.format), end="")
    if args.format == "table" and args.fixes:
        print("\n优先整改 (fix first, district points lost, 3 significant digits):")
        fixes = [f.as_dict() | {"points": f.points_text} for f in result.fixes[: args.fixes]]
        print(output.render(fixes, ["points", "component", "label", "problem"], "table"), end="")
    return 0
