"""Demo drills (participants, findings, corrective actions, a recurring series) and the
year's skill competition with computed ranks."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from dateutil.rrule import rrulestr

from drillplan.demo.context import Ctx, with_year
from drillplan.kernel.vocab import (
    ActionStatus,
    DrillForm,
    DrillPurpose,
    DrillScope,
    DrillStatus,
    EventKind,
    HseepType,
    Scoring,
    Severity,
)


def _snap_to_rule(rule: str, start: dt.datetime) -> list[dt.datetime]:
    """The occurrences of ``rule`` from the first one on or after ``start``.

    Shifting by whole weeks keeps the weekday but not the week of the month, so the series
    restarts at the first date the rule really produces.
    """
    return list(rrulestr(rule, dtstart=start))


def build_drills(ctx: Ctx) -> None:
    specs = []
    for order, drill in enumerate(ctx.json("drills.json")["drills"]):
        starts = ctx.moment(drill["starts_at"])
        ends = ctx.moment(drill["ends_at"])
        occurrences: list[dt.datetime] = []
        if drill.get("rrule"):
            occurrences = _snap_to_rule(drill["rrule"], starts)
            ends = occurrences[0] + (ends - starts)
            starts = occurrences[0]
        specs.append((starts, order, drill, ends, occurrences))
    specs.sort(key=lambda spec: (spec[0], spec[1]))
    per_year: dict[int, int] = {}
    for starts, _order, drill, ends, occurrences in specs:
        per_year[starts.year] = per_year.get(starts.year, 0) + 1
        _drill(
            ctx, drill, starts, ends, occurrences, f"YL-{starts.year}-{per_year[starts.year]:03d}"
        )


def _drill(
    ctx: Ctx,
    drill: dict[str, Any],
    starts: dt.datetime,
    ends: dt.datetime,
    occurrences: list[dt.datetime],
    code: str,
) -> None:
    score = drill.get("score")
    drill_id = ctx.add(
        "drill",
        {
            "code": code,
            "title": with_year(drill["title"], starts.year),
            "form": DrillForm(drill["form"]),
            "scope": DrillScope(drill["scope"]),
            "purpose": DrillPurpose(drill["purpose"]),
            "hseep_type": HseepType(drill["hseep_type"]) if drill.get("hseep_type") else None,
            "scenario": drill["scenario"],
            "organiser_unit_id": ctx.id_of("unit", drill["organiser"]),
            "venue": drill.get("venue"),
            "starts_at": starts,
            "ends_at": ends,
            "rrule": drill.get("rrule"),
            "exdates": [],
            "weekend_allowed": False,
            "flood_related": bool(drill.get("flood_related")),
            "status": DrillStatus(drill["status"]),
            "score": Decimal(str(score)) if score is not None else None,
            "evaluated_on": ctx.day(drill.get("evaluated_on")),
            "evaluation_summary": drill.get("evaluation_summary"),
        },
        key=code,
    )
    for plan_key in drill["plans"]:
        ctx.add_plain("drill_plan", {"drill_id": drill_id, "plan_id": ctx.id_of("plan", plan_key)})
    for kind, ref, role in drill["participants"]:
        ctx.add(
            "drill_participant",
            {
                "drill_id": drill_id,
                "team_id": ctx.id_of("team", ref) if kind == "team" else None,
                "unit_id": ctx.id_of("unit", ref) if kind == "unit" else None,
                "role": role,
            },
        )
    for seq, finding in enumerate(drill["findings"], start=1):
        finding_id = ctx.add(
            "finding",
            {
                "drill_id": drill_id,
                "seq": seq,
                "description": finding["description"],
                "severity": Severity(finding["severity"]),
            },
        )
        for action in finding["actions"]:
            ctx.add(
                "corrective_action",
                {
                    "finding_id": finding_id,
                    "action": action["action"],
                    "owner_unit_id": ctx.id_of("unit", action["owner"]),
                    "owner_name": ctx.extra["unit_contact"].get(action["owner"]),
                    "due_on": ctx.day_req(action["due"]),
                    "status": ActionStatus(action["status"]),
                    "closed_on": ctx.day(action.get("closed")),
                },
            )
    duration = ends - starts
    for move in drill.get("occurrence_moves", []):
        original = occurrences[int(move["occurrence"])]
        new_start = original + dt.timedelta(days=int(move["shift_days"]))
        ctx.add(
            "drill_occurrence_move",
            {
                "drill_id": drill_id,
                "original_start": original,
                "new_start": new_start,
                "new_end": new_start + duration,
            },
        )


def competition_ranks(values: list[Decimal | None], scoring: Scoring) -> list[int | None]:
    """Standard competition ranks ("1224"): points higher-better, time lower-better."""
    keys = [None if v is None else (-v if scoring == Scoring.POINTS else v) for v in values]
    ordered = sorted(k for k in keys if k is not None)
    return [None if k is None else ordered.index(k) + 1 for k in keys]


def build_competition(ctx: Ctx) -> None:
    data = ctx.json("competition.json")
    rng = ctx.rng("competition")
    held_on = ctx.day_req(data["held_on"])
    competition_id = ctx.add(
        "competition",
        {
            "year": held_on.year,
            "title": with_year(data["title"], held_on.year),
            "held_on": held_on,
            "venue": data.get("venue"),
        },
    )
    teams = list(data["teams"])
    strength = {code: rng.random() for code in teams}
    per_team = int(data["participants_per_team"])
    athletes = {}
    for code in teams:
        pool = [m["name"] for m in ctx.extra["members"][code] if m["active"]]
        athletes[code] = rng.sample(pool, min(per_team, len(pool)))
    dnf = {(event, team) for event, team in data.get("did_not_finish", [])}
    for seq, event in enumerate(data["events"], start=1):
        kind, scoring = EventKind(event["kind"]), Scoring(event["scoring"])
        event_id = ctx.add(
            "competition_event",
            {
                "competition_id": competition_id,
                "seq": seq,
                "name": event["name"],
                "kind": kind,
                "scoring": scoring,
                "weight": Decimal(str(event["weight"])),
            },
        )
        lo, hi = event["range"]
        entries: list[tuple[str, str, Decimal | None]] = []
        for code in teams:
            names = athletes[code] if kind == EventKind.INDIVIDUAL else [""]
            for name in names:
                quality = min(1.0, 0.65 * strength[code] + 0.35 * rng.random())
                if (event["name"], code) in dnf:
                    value = None
                elif scoring == Scoring.POINTS:
                    value = Decimal(str(round(lo + (hi - lo) * quality, 1)))
                else:
                    value = Decimal(str(round(hi - (hi - lo) * quality, 2)))
                entries.append((code, name, value))
        ranks = competition_ranks([value for _c, _n, value in entries], scoring)
        for (code, name, value), rank in zip(entries, ranks, strict=True):
            ctx.add(
                "competition_entry",
                {
                    "event_id": event_id,
                    "team_id": ctx.id_of("team", code),
                    "participant": name,
                    "score": value if scoring == Scoring.POINTS else None,
                    "time_seconds": value if scoring == Scoring.TIME else None,
                    "rank": rank,
                },
            )
