"""`drillplan hazards list|seed|levels|add-line|remove-line`: the warning-level response matrix
(预警响应矩阵). The check itself is ``drillplan readiness --hazard H --level L``.

Every write calls one domain function of :mod:`drillplan.hazards.matrix` with the user's
words (hazard, plan, team, material, depot and unit by code or exact name; levels as 蓝/黄/橙/
红, blue..red or IV..I). A refusal exits 2 with the domain's field and message and nothing is
written. JSON keys are documented in ``docs/cli.md``.
"""

from __future__ import annotations

import argparse

from sqlalchemy.orm import Session

from drillplan.cli.common import EXIT_OK, Out, add_format, run
from drillplan.cli.lookup import listed, show, user_of
from drillplan.hazards import matrix, read
from drillplan.hazards.levels import level_label
from drillplan.hazards.read import matrix_lines
from drillplan.kernel.errors import ValidationError

__all__ = ["cmd_hazards", "register"]

LINE_COLUMNS = ["level_label", "kind", "code", "name", "amount", "uom", "place"]


def _what(p: argparse.ArgumentParser, *, add: bool) -> None:
    p.add_argument("hazard", metavar="HAZARD", help="灾种: code, name or alias (台风, 防汛 ...)")
    p.add_argument("--level", help="预警级别: 蓝/黄/橙/红, blue..red or IV..I")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--plan", metavar="CODE", help="a plan activated from --level up")
    which.add_argument("--team", metavar="CODE", help="a team standing by from --level up")
    which.add_argument("--material", metavar="CODE", help="a material to pre-position")
    p.add_argument("--depot", metavar="CODE", help="material: where (a depot)")
    p.add_argument("--unit", metavar="CODE", help="material: where (a unit's holders)")
    if add:
        p.add_argument(
            "--levels", help="plan: the activation levels, a run up to the highest (黄,橙,红)"
        )
        p.add_argument("--headcount", help="team: minimum people standing by")
        p.add_argument("--quantity", help="material: quantity in its unit of measure")
        p.add_argument("--notes")
    add_format(p)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("hazards", help="the warning-level response matrix (预警响应矩阵)")
    s = p.add_subparsers(dest="hazards_command", metavar="ACTION", required=True)
    add_format(s.add_parser("list", help="hazards, their levels and how many lines each has"))
    add_format(s.add_parser("seed", help="add the starter hazards whose code is not used yet"))
    q = s.add_parser("levels", help="a hazard's matrix by level; --set changes its levels")
    q.add_argument("hazard", metavar="HAZARD")
    q.add_argument("--set", dest="set_levels", metavar="LEVELS", help="e.g. 黄,橙,红")
    add_format(q)
    _what(s.add_parser("add-line", help="add a plan, team or material line"), add=True)
    _what(s.add_parser("remove-line", help="remove a plan, team or material line"), add=False)


def _line(args: argparse.Namespace, session: Session, out: Out, *, add: bool) -> int:
    user = user_of(session)
    h = matrix.get_hazard(session, args.hazard)
    if args.plan is None and args.level in (None, ""):
        raise ValidationError(
            "level", "请用 --level 给出预警级别", message_en="--level is required"
        )
    if args.material is None and (args.depot or args.unit):
        raise ValidationError("depot", "--depot/--unit 只用于物资行",
                              message_en="--depot/--unit are for a material line")  # fmt: skip
    if args.plan is not None:
        if add:
            matrix.link_plan(session, hazard=h, plan=args.plan, min_level=args.level,
                             levels=args.levels, user=user)  # fmt: skip
        else:
            matrix.unlink_plan(session, hazard=h, plan=args.plan, user=user)
    elif args.team is not None:
        if add:
            matrix.add_team_line(session, hazard=h, level=args.level, team=args.team,
                                 headcount=args.headcount, notes=args.notes, user=user)  # fmt: skip
        else:
            matrix.remove_team_line(session, hazard=h, level=args.level, team=args.team,
                                    user=user)  # fmt: skip
    elif add:
        matrix.add_material_line(session, hazard=h, level=args.level, material=args.material,
                                 quantity=args.quantity, depot=args.depot, unit=args.unit,
                                 notes=args.notes, user=user)  # fmt: skip
    else:
        matrix.remove_material_line(session, hazard=h, level=args.level, material=args.material,
                                    depot=args.depot, unit=args.unit, user=user)  # fmt: skip
    session.flush()
    rows = matrix_lines(session, hazard=h)
    done = ("已加入", "line added") if add else ("已删除", "line removed")
    if args.format == "json":
        out.json({"hazard": h.code, "done": "added" if add else "removed", "lines": rows})
    else:
        out.print(f"{done[0]} ({done[1]})")
        out.rows(rows, LINE_COLUMNS, args.format)
    return EXIT_OK


def cmd_hazards(args: argparse.Namespace) -> int:
    def body(session: Session, out: Out) -> int:
        command = args.hazards_command
        if command == "list":
            rows = read.hazards(session)
            if not rows and args.format == "table":
                out.print("尚无灾种：drillplan hazards seed 加入推荐灾种 (no hazards yet: seed)")
                return EXIT_OK
            listed(out, rows, read.HAZARD_COLUMNS, args.format)
            return EXIT_OK
        if command == "seed":
            added = matrix.ensure_starter_hazards(session, user=user_of(session))
            if args.format == "json":
                out.json({"added": added})
            else:
                out.print(f"已加入 {added} 个推荐灾种 (added {added} starter hazards)")
            return EXIT_OK
        if command == "levels":
            if args.set_levels is not None:
                h = matrix.set_levels(session, hazard=args.hazard, levels=args.set_levels,
                                      user=user_of(session))  # fmt: skip
                session.flush()
                record = next(r for r in read.hazards(session) if r["id"] == h.id)
                show(out, record, read.HAZARD_COLUMNS, args.format, done_zh="已修改预警级别",
                     done_en="levels changed")  # fmt: skip
                return EXIT_OK
            h = matrix.get_hazard(session, args.hazard)
            rows = matrix_lines(session, hazard=h)
            if args.format == "json":
                out.json({"hazard": h.code, "name": h.name, "levels": list(h.levels),
                          "lines": rows})  # fmt: skip
            else:
                names = "、".join(level_label(c) for c in h.levels)
                out.print(f"{h.name}（{h.code}）预警级别：{names}")
                out.rows(rows, LINE_COLUMNS, args.format)
            return EXIT_OK
        return _line(args, session, out, add=command == "add-line")

    return run(args, body)
