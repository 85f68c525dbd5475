"""`drillplan readiness`: explained scores from the district down to depot, team and plan;
with ``--hazard H --level L`` the hazard check instead: can the district meet that warning
level today, line by line (teams, materials, plans), and where is the nearest surplus. The
check exits 1 when anything is missing, 2 on bad input (docs/hazards.md, docs/cli.md). With
``--preseason [--year Y]`` the pre-flood-season checklist (docs/preseason.md), exiting 1 when
a line is missing."""

from __future__ import annotations

import argparse
import datetime as dt

from sqlalchemy.orm import Session

from drillplan.cli import output
from drillplan.cli.argtypes import EXIT_FINDINGS, EXIT_OK, limit_arg, year_arg
from drillplan.cli.common import Out, date_arg, run
from drillplan.kernel.errors import ValidationError
from drillplan.readiness.score import COMPONENTS, Readiness, Score, readiness

LEVELS = ("district", "tier", "depot", "team", "plan")
TEAM_COLUMNS = [
    "from_level", "team", "team_name", "headcount", "readiness", "counted", "short",
    "alternatives",
]  # fmt: skip
MATERIAL_COLUMNS = [
    "from_level", "material", "material_name", "uom", "place", "required", "usable", "short",
    "nearest",
]  # fmt: skip
CSV_COLUMNS = [
    "line", "from_level", "team", "material", "plan", "headcount", "counted", "required",
    "usable", "short", "place", "nearest", "current", "problems",
]  # fmt: skip
PLAN_COLUMNS = ["from_level", "plan", "title", "status", "current", "problems"]
PRESEASON_COLUMNS = ["status", "code", "name", "place", "what"]
HELP = "explained readiness scores; --hazard: the hazard check; --preseason: the pre-season check"


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("readiness", help=HELP)
    p.add_argument("--as-of", type=date_arg)
    p.add_argument(
        "--level",
        help="only this level (district, tier, depot, team, plan); with --hazard: the warning "
        "level (蓝/黄/橙/红 or IV-I)",
    )
    p.add_argument("--hazard", help="check a hazard (台风, 防汛 ...) at --level (exit 1: missing)")
    p.add_argument(
        "--preseason",
        action="store_true",
        help="the pre-flood-season checklist (exit 1: a line is missing)",
    )
    p.add_argument("--year", type=year_arg, help="with --preseason: the season's year")
    p.add_argument("--fixes", type=limit_arg, default=10, help="how many 'fix first' items to list")
    p.add_argument(
        "--all",
        action="store_true",
        help="--format json: every fix and each component's problem rows (large for a city)",
    )
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
    if args.preseason:
        if args.hazard is not None:
            raise ValidationError("preseason", "--preseason 与 --hazard 不能同时使用",
                                  message_en="--preseason and --hazard do not combine")  # fmt: skip
        return run(args, lambda session, out: _preseason(session, args, out))
    if args.year is not None:
        raise ValidationError("year", "--year 只用于 --preseason",
                              message_en="--year goes with --preseason")  # fmt: skip
    if args.hazard is not None:
        return run(args, lambda session, out: _hazard(session, args, out))
    return run(args, lambda session, _out: _show(session, args))


def _hazard(session: Session, args: argparse.Namespace, out: Out) -> int:
    from drillplan.hazards.levels import level_label
    from drillplan.kernel.formatting import fmt_number
    from drillplan.readiness.hazard_check import hazard_check

    if args.level in (None, ""):
        raise ValidationError("level", "请用 --level 给出预警级别（蓝/黄/橙/红）",
                              message_en="--level is required with --hazard")  # fmt: skip
    result = hazard_check(
        session, hazard=args.hazard, level=args.level, as_of=args.as_of or dt.date.today()
    )
    status = EXIT_OK if result.ok else EXIT_FINDINGS
    if args.format == "json":
        out.json(result.as_dict())
        return status
    teams = []
    for t in result.teams:
        others = "；".join(f"{a.code} {a.name} {a.counted}人" for a in t.alternatives)
        teams.append(t.as_dict() | {"from_level": level_label(t.from_level),
                                    "alternatives": others, "nearest": others})  # fmt: skip
    materials = [
        m.as_dict()
        | {
            "from_level": level_label(m.from_level),
            "place": m.place_code or m.place_name,
            "nearest": "；".join(f"{s.code} {s.name} {fmt_number(s.surplus)}" for s in m.nearest),
        }
        for m in result.materials
    ]
    plans = [
        p.as_dict() | {"from_level": level_label(p.from_level), "problems": "；".join(p.problems)}
        for p in result.plans
    ]
    if args.format == "csv":
        rows = (
            [{"line": "team", **t} for t in teams]
            + [{"line": "material", **m} for m in materials]
            + [{"line": "plan", **p} for p in plans]
        )
        out.rows(rows, CSV_COLUMNS, "csv")
        return status
    out.print(f"{result.hazard_name}{level_label(result.level)} 应急准备核查（{result.as_of}）"
              f" hazard check {result.hazard_code} {result.level}")  # fmt: skip
    for title, rows, columns in (
        ("待命队伍 (standby teams)", teams, TEAM_COLUMNS),
        ("前置物资 (pre-positioned materials)", materials, MATERIAL_COLUMNS),
        ("启动预案 (plans activated)", plans, PLAN_COLUMNS),
    ):
        out.print(f"\n{title}:")
        if rows:
            out.rows(rows, columns, "table")
        else:
            out.print("  （无）")
    if result.missing:
        out.print(f"\n缺项 {len(result.missing)} 项 (missing):")
        for item in result.missing:
            name = " ".join(x for x in (item["code"], item["name"]) if x)
            out.print(f"  - {name + '：' if name else ''}{item['what']}")
    else:
        out.print("\n全部满足 (everything is in place)")
    return status


def _preseason(session: Session, args: argparse.Namespace, out: Out) -> int:
    from drillplan.readiness.preseason import SECTIONS, preseason_check

    result = preseason_check(session, as_of=args.as_of or dt.date.today(), year=args.year)
    status = EXIT_OK if result.ok else EXIT_FINDINGS
    if args.format == "json":
        out.json(result.as_dict())
        return status
    rows = [line.as_dict() for line in result.lines]
    if args.format == "csv":
        out.rows(rows, ["section", *PRESEASON_COLUMNS, "ref", "ref_id"], "csv")
        return status
    w = result.window
    state = "检查期内 (due)" if result.due else f"{w.opens} 开始 (opens)"
    out.print(f"{w.year}年汛前检查（{result.as_of}） pre-season check: 汛期 {w.season_start} 至 "
              f"{w.season_end}，提前 {w.lead_days} 天 {state}")  # fmt: skip
    for n, (key, zh, en) in enumerate(SECTIONS, 1):
        lines = [r for r in rows if r["section"] == key]
        missing = sum(not r["ok"] for r in lines)
        out.print(f"\n{n}. {zh} ({en}): {len(lines)} 项，缺 {missing} 项")
        if lines:
            out.rows(lines, PRESEASON_COLUMNS, "table")
        else:
            out.print("  （无）")
    verdict = f"缺项 {len(result.missing)} 项 (missing)" if result.missing else "全部满足 (ok)"
    out.print(f"\n{verdict}")
    return status


def _show(session: Session, args: argparse.Namespace) -> int:
    if args.level is not None and args.level not in LEVELS:
        raise ValidationError(
            "level",
            f"--level 应为 {', '.join(LEVELS)} 之一（预警级别请同时给出 --hazard）",
            message_en=f"--level is one of {', '.join(LEVELS)} (a warning level needs --hazard)",
        )
    from drillplan.readiness.tallies import shared_lines

    as_of = args.as_of or dt.date.today()
    with shared_lines(session, as_of=as_of):  # the scores and the fix-first list: lines once
        return _print_scores(readiness(session, as_of=as_of), args)


def _print_scores(result: Readiness, args: argparse.Namespace) -> int:
    if args.format == "json":
        if args.all:
            print(output.dumps(result.as_dict()))
        else:
            print(output.dumps(result.as_dict(fixes=args.fixes, problems=False)))
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
