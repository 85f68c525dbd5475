"""`drillplan competitions ...`: list competitions, show results, record a result, copy a year.

Wired into ``drillplan/cli/main.py`` with ``competitions_cli.register(sub)`` and the command
``"competitions": competitions_cli.cmd_competitions``.
"""

from __future__ import annotations

import argparse
from typing import Any

from sqlalchemy.orm import Session

from drillplan.cli import output
from drillplan.cli.argtypes import id_arg, year_arg
from drillplan.cli.common import date_arg, emit, run
from drillplan.competitions import core
from drillplan.competitions.read import entry_count
from drillplan.db.models import CompetitionEvent, Team
from drillplan.kernel.vocab import label
from drillplan.org.read import team_by_code

__all__ = ["cmd_competitions", "register"]

LIST_COLUMNS = ["id", "year", "title", "held_on", "venue", "events", "teams"]
ENTRY_COLUMNS = ["rank", "team_code", "team_name", "participant", "score", "time_seconds"]
OVERALL_COLUMNS = ["rank", "team_code", "team_name", "team_kind", "total", "places"]
CSV_COLUMNS = [
    "section",
    "event_id",
    "event",
    "rank",
    "team_code",
    "team_name",
    "participant",
    "score",
    "time_seconds",
    "points",
]


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    comp = sub.add_parser("competitions", help="skill competitions (技能大比武)")
    c = comp.add_subparsers(dest="competitions_command", metavar="ACTION", required=True)

    p = c.add_parser("list", help="competitions with their numbers of events and teams")
    p.add_argument("--year", type=year_arg)
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = c.add_parser("results", help="results and ranks per event, and the overall ranking")
    p.add_argument("--year", type=year_arg, required=True)
    p.add_argument("--title", help="needed when the year has several competitions")
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = c.add_parser("record", help="record or correct a result; the event is re-ranked")
    p.add_argument("--event", type=id_arg, required=True, help="event id (see `results`)")
    p.add_argument("--team", required=True, help="team code")
    p.add_argument("--participant", default="", help="member's name (individual events)")
    value = p.add_mutually_exclusive_group(required=True)
    value.add_argument("--score", help="points (0..100), for an event scored by points")
    value.add_argument("--time", dest="time_seconds", help="seconds, for an event scored by time")
    p.add_argument("--user", default="cli")
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = c.add_parser("copy", help="a new year's competition from a previous one (template)")
    p.add_argument("--from-year", type=year_arg, required=True)
    p.add_argument("--from-title", help="needed when that year has several competitions")
    p.add_argument("--year", type=year_arg, required=True)
    p.add_argument("--date", type=date_arg, required=True, help="date the new one is held")
    p.add_argument("--title", help="new title (default: the old one with the year replaced)")
    p.add_argument(
        "--no-entries", action="store_true", help="copy the events only, not the teams entered"
    )
    p.add_argument("--user", default="cli")
    p.add_argument("--format", choices=output.FORMATS, default="table")


def _team_by_code(session: Session, code: str) -> Team:
    return team_by_code(session, code, field="--team")


def _places(places: tuple[int, ...]) -> str:
    return "/".join(str(n) for n in places)


def _event_heading(event: core.EventResult) -> str:
    kind = f"{label(event.kind)} {label(event.scoring)}"
    weight = output.to_jsonable(event.weight)
    return f"[{event.seq}] {event.name}（{kind}，权重 {weight}，科目ID {event.event_id}）"


def _print_results(found: core.CompetitionResults, fmt: str) -> None:
    if fmt == "json":
        print(output.dumps(found.as_dict()))
        return
    if fmt == "csv":
        rows: list[dict[str, Any]] = []
        for event in found.events:
            for e in event.entries:
                rows.append(
                    {"section": "event", "event_id": event.event_id, "event": event.name}
                    | e.as_dict()
                )
        for r in found.overall:
            rows.append({"section": "overall", **r.as_dict(), "points": r.total})
        emit(rows, CSV_COLUMNS, "csv")
        return
    venue = f"，{found.venue}" if found.venue else ""
    print(f"{found.year} {found.title}（{found.held_on.isoformat()}{venue}）")
    print(f"积分表 points table: {', '.join(str(p) for p in found.points_table)}")
    for event in found.events:
        print()
        print(_event_heading(event))
        emit([e.as_dict() for e in event.entries], [*ENTRY_COLUMNS, "points"], "table")
    print()
    print("总成绩 overall")
    rows = [r.as_dict() | {"places": _places(r.places)} for r in found.overall]
    emit(rows, OVERALL_COLUMNS, "table")


def _list(session: Session, args: argparse.Namespace) -> int:
    emit(core.competition_rows(session, year=args.year), LIST_COLUMNS, args.format)
    return 0


def _results(session: Session, args: argparse.Namespace) -> int:
    competition = core.find_competition(session, year=args.year, title=args.title)
    _print_results(core.results(session, competition.id), args.format)
    return 0


def _record(session: Session, args: argparse.Namespace) -> int:
    team = _team_by_code(session, args.team)
    entry = core.record_result(
        session,
        event_id=args.event,
        team_id=team.id,
        participant=args.participant,
        score=args.score,
        time_seconds=args.time_seconds,
        user=args.user,
    )
    event = session.get_one(CompetitionEvent, entry.event_id)
    found = core.results(session, event.competition_id)
    shown = next(e for e in found.events if e.event_id == event.id)
    if args.format == "json":
        print(output.dumps({"entry_id": entry.id, "event": shown.as_dict()}))
    elif args.format == "csv":
        emit([e.as_dict() for e in shown.entries], [*ENTRY_COLUMNS, "points"], "csv")
    else:
        print(_event_heading(shown))
        emit([e.as_dict() for e in shown.entries], [*ENTRY_COLUMNS, "points"], "table")
    return 0


def _copy(session: Session, args: argparse.Namespace) -> int:
    source = core.find_competition(session, year=args.from_year, title=args.from_title)
    new = core.copy_from_previous(
        session,
        source_competition_id=source.id,
        year=args.year,
        held_on=args.date,
        title=args.title,
        include_entries_teams=not args.no_entries,
        user=args.user,
    )
    entries = entry_count(session, new.id)
    row = next(r for r in core.competition_rows(session, year=new.year) if r["id"] == new.id)
    row = {**row, "copied_from": source.id, "entries": entries or 0}
    if args.format == "json":
        print(output.dumps(row))
    else:
        emit([row], [*LIST_COLUMNS, "entries", "copied_from"], args.format)
    return 0


_ACTIONS = {"list": _list, "results": _results, "record": _record, "copy": _copy}


def cmd_competitions(args: argparse.Namespace) -> int:
    return run(args, lambda session, _out: _ACTIONS[args.competitions_command](session, args))
