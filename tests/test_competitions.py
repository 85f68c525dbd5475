"""Skill competitions: per-event ranking with ties, the overall table, templates, bad input, CLI."""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan import competitions as comp
from drillplan.cli import competitions as comp_cli
from drillplan.competitions.ranking import competition_ranks, points_for_rank
from drillplan.db.database import Database
from drillplan.db.models import (
    AuditLog,
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    Team,
)
from drillplan.kernel.errors import Conflict, NotFound, ValidationError
from drillplan.kernel.vocab import EventKind, Scoring, TeamKind
from tests import factories as f

HELD_ON = dt.date(2024, 10, 18)


def _teams(session: Session, *codes: str) -> dict[str, Team]:
    owner = f.unit(session)
    return {
        code: f.team(
            session,
            owner,
            code=code,
            kind=TeamKind.SOCIAL if i % 2 == 0 else TeamKind.STREET,
        )
        for i, code in enumerate(codes)
    }


def _competition(session: Session, **kw: Any) -> Competition:
    return comp.create_competition(
        session,
        year=kw.pop("year", 2024),
        title=kw.pop("title", "2024年度应急救援技能大比武"),
        held_on=kw.pop("held_on", HELD_ON),
        venue=kw.pop("venue", "区应急救援训练基地"),
        **kw,
    )


def _event(
    session: Session, c: Competition, name: str, kind: EventKind, scoring: Scoring, weight: Any = 1
) -> CompetitionEvent:
    return comp.add_event(
        session, competition_id=c.id, name=name, kind=kind, scoring=scoring, weight=weight
    )


def _ranks(session: Session, event_id: int) -> dict[tuple[str, str], int | None]:
    rows = session.execute(
        select(Team.code, CompetitionEntry.participant, CompetitionEntry.rank)
        .join(Team, CompetitionEntry.team_id == Team.id)
        .where(CompetitionEntry.event_id == event_id)
    ).all()
    return {(code, participant): rank for code, participant, rank in rows}


# ---------------------------------------------------------------------------- pure rules


def test_competition_ranks_1224_and_unranked() -> None:
    assert competition_ranks([-95, -90, -90, -80]) == [1, 2, 2, 4]
    assert competition_ranks([None, 3, 1, 3, 3, 7]) == [None, 2, 1, 2, 2, 5]
    assert competition_ranks([]) == []
    assert competition_ranks([None, None]) == [None, None]
    assert [points_for_rank(r, (5, 3)) for r in (None, 1, 2, 3)] == [0, 5, 3, 0]


# ---------------------------------------------------------------------------- per event


def test_points_event_ties_share_rank_and_skip_the_next(db: Database) -> None:
    with db.session() as session:
        t = _teams(session, "A", "B", "C", "D")
        c = _competition(session)
        e = _event(session, c, "破拆支撑", EventKind.TEAM, Scoring.POINTS)
        for code, score in (("A", 90), ("B", 95), ("C", "90.00"), ("D", "80.5")):
            comp.record_result(session, event_id=e.id, team_id=t[code].id, score=score)
        assert _ranks(session, e.id) == {("B", ""): 1, ("A", ""): 2, ("C", ""): 2, ("D", ""): 4}
        ordered = comp.rank_event(session, e.id)
        assert [(x.team.code, x.rank) for x in ordered] == [
            ("B", 1),
            ("A", 2),
            ("C", 2),
            ("D", 4),
        ]


def test_time_event_lower_is_better_with_ties(db: Database) -> None:
    with db.session() as session:
        t = _teams(session, "A", "B", "C", "D", "E")
        c = _competition(session)
        e = _event(session, c, "车辆破拆", EventKind.TEAM, Scoring.TIME)
        for code, secs in (("A", "312.5"), ("B", 298), ("C", 298), ("D", 298), ("E", 400)):
            comp.record_result(session, event_id=e.id, team_id=t[code].id, time_seconds=secs)
        assert _ranks(session, e.id) == {
            ("B", ""): 1,
            ("C", ""): 1,
            ("D", ""): 1,
            ("A", ""): 4,
            ("E", ""): 5,
        }


def test_entries_without_result_are_unranked_and_correction_reranks(db: Database) -> None:
    with db.session() as session:
        t = _teams(session, "A", "B", "C")
        c = _competition(session)
        e = _event(session, c, "心肺复苏", EventKind.INDIVIDUAL, Scoring.POINTS)
        comp.add_entry(session, event_id=e.id, team_id=t["A"].id, participant="张三")
        comp.add_entry(session, event_id=e.id, team_id=t["A"].id, participant="张三")  # no-op
        comp.record_result(session, event_id=e.id, team_id=t["B"].id, participant="李四", score=80)
        comp.record_result(session, event_id=e.id, team_id=t["C"].id, participant="王五", score=85)
        assert _ranks(session, e.id) == {("A", "张三"): None, ("B", "李四"): 2, ("C", "王五"): 1}
        # a correction updates the same entry and re-ranks
        entry = comp.record_result(
            session, event_id=e.id, team_id=t["B"].id, participant=" 李四 ", score=85
        )
        assert entry.score == 85
        assert _ranks(session, e.id) == {("A", "张三"): None, ("B", "李四"): 1, ("C", "王五"): 1}
        assert session.scalar(select(func.count()).select_from(CompetitionEntry)) == 3
        actions = session.scalars(
            select(AuditLog.action)
            .where(AuditLog.table_name == "competition_entry")
            .order_by(AuditLog.id)
        ).all()
        assert actions == [
            "competition.entry.create",
            "competition.result.record",
            "competition.result.record",
            "competition.result.update",
        ]
        update = session.scalars(
            select(AuditLog).where(AuditLog.action == "competition.result.update")
        ).one()
        assert update.before is not None and update.before["score"] == 80
        assert update.after is not None and update.after["score"] == 85
        # withdrawing the leader re-ranks the rest
        comp.remove_entry(session, entry_id=entry.id)
        assert _ranks(session, e.id) == {("A", "张三"): None, ("C", "王五"): 1}


# ---------------------------------------------------------------------------- overall


def _overall_setup(session: Session) -> tuple[Competition, dict[str, Team], list[int]]:
    """Points table [5, 3, 2, 1]; see test_overall_ranking_by_hand for the arithmetic."""
    t = _teams(session, "A", "B", "C", "D", "E", "F")
    c = _competition(session, points_table=[5, 3, 2, 1])
    e1 = _event(session, c, "破拆支撑", EventKind.TEAM, Scoring.POINTS, weight=2)
    e2 = _event(session, c, "绳索救援", EventKind.TEAM, Scoring.TIME)
    e3 = _event(session, c, "理论考试", EventKind.INDIVIDUAL, Scoring.POINTS, weight="1.5")

    def score(event: CompetitionEvent, code: str, value: int, who: str = "") -> None:
        comp.record_result(
            session, event_id=event.id, team_id=t[code].id, participant=who, score=value
        )

    for code, value in (("A", 95), ("C", 90), ("D", 90), ("B", 80)):
        score(e1, code, value)
    comp.add_entry(session, event_id=e1.id, team_id=t["E"].id)  # entered, no result
    for code, secs in (("B", 100), ("A", 110), ("C", 120), ("D", 120), ("F", 200)):
        comp.record_result(session, event_id=e2.id, team_id=t[code].id, time_seconds=secs)
    score(e3, "B", 96, "钱七")
    score(e3, "C", 90, "赵六")
    score(e3, "D", 90, "王五")
    score(e3, "A", 85, "张三")
    score(e3, "B", 80, "孙八")
    comp.add_entry(session, event_id=e3.id, team_id=t["A"].id, participant="李四")
    return c, t, [e1.id, e2.id, e3.id]


def test_overall_ranking_by_hand(db: Database) -> None:
    # e1 破拆支撑 (points, weight 2):  A 95 -> 1st, C 90 / D 90 -> 2nd, B 80 -> 4th, E none
    # e2 绳索救援 (time, weight 1):    B 100 -> 1st, A 110 -> 2nd, C / D 120 -> 3rd, F 200 -> 5th
    # e3 理论考试 (individual, 1.5):   B 钱七 96 -> 1st, C 赵六 / D 王五 90 -> 2nd,
    #                                  A 张三 85 -> 4th, B 孙八 80 -> 5th (not counted: B's best
    #                                  is 1st), A 李四 none
    # table [5, 3, 2, 1]:
    #   A = 5x2 + 3x1 + 1x1.5 = 14.5   places 1st 1, 2nd 1, 4th 1
    #   B = 1x2 + 5x1 + 5x1.5 = 14.5   places 1st 2, 4th 1            -> ahead of A (more firsts)
    #   C = 3x2 + 2x1 + 3x1.5 = 12.5   places 2nd 2, 3rd 1
    #   D = 3x2 + 2x1 + 3x1.5 = 12.5   same places as C               -> C and D share 3rd
    #   F = 0 (5th, beyond the table) -> 5th;  E: no result anywhere  -> unranked
    with db.session() as session:
        c, _, (e1, e2, e3) = _overall_setup(session)
        overall = comp.overall_ranking(session, c.id)
        got = [(r.rank, r.team_code, r.total, r.places) for r in overall]
        assert got == [
            (1, "B", Decimal("14.5"), (2, 0, 0, 1, 0)),
            (2, "A", Decimal("14.5"), (1, 1, 0, 1, 0)),
            (3, "C", Decimal("12.5"), (0, 2, 1, 0, 0)),
            (3, "D", Decimal("12.5"), (0, 2, 1, 0, 0)),
            (5, "F", Decimal(0), (0, 0, 0, 0, 1)),
            (None, "E", Decimal(0), (0, 0, 0, 0, 0)),
        ]
        a = overall[1]
        assert [(s.event_id, s.rank, s.points) for s in a.events] == [
            (e1, 1, Decimal(10)),
            (e2, 2, Decimal(3)),
            (e3, 4, Decimal("1.5")),
        ]

        found = comp.results(session, c.id)
        assert found.points_table == (5, 3, 2, 1)
        assert [ev.name for ev in found.events] == ["破拆支撑", "绳索救援", "理论考试"]
        theory = found.events[2]
        assert [
            (r.rank, r.team_code, r.participant, r.counted, r.points) for r in theory.entries
        ] == [
            (1, "B", "钱七", True, Decimal("7.5")),
            (2, "C", "赵六", True, Decimal("4.5")),
            (2, "D", "王五", True, Decimal("4.5")),
            (4, "A", "张三", True, Decimal("1.5")),
            (5, "B", "孙八", False, Decimal(0)),
            (None, "A", "李四", False, Decimal(0)),
        ]
        # each team's total is the sum of what its entries add
        for row in found.overall:
            added = sum(
                (r.points for ev in found.events for r in ev.entries if r.team_id == row.team_id),
                Decimal(0),
            )
            assert added == row.total
        data = json.loads(json.dumps(found.as_dict(), default=str))
        assert data["competition"]["title"] == "2024年度应急救援技能大比武"


def test_overall_default_table_and_second_places_break_a_tie(db: Database) -> None:
    # default table [10, 8, 6, 5, 4, 3, 2, 1], all weights 1:
    #   P = 10 (e1, tied 1st) + 8 (e2 2nd) + 4 (e3 5th) = 22, places 1st 1, 2nd 1, 5th 1
    #   Q = 10 (e1, tied 1st) + 6 (e2 3rd) + 6 (e3 3rd) = 22, places 1st 1, 3rd 2
    #   equal totals and firsts; P has more second places -> P 1st, Q 2nd
    with db.session() as session:
        t = _teams(session, "P", "Q", "X", "Y", "Z")
        c = _competition(session)
        e1 = _event(session, c, "e1", EventKind.TEAM, Scoring.POINTS)
        e2 = _event(session, c, "e2", EventKind.TEAM, Scoring.POINTS)
        e3 = _event(session, c, "e3", EventKind.TEAM, Scoring.POINTS)
        results = {
            e1: {"P": 90, "Q": 90},
            e2: {"X": 99, "P": 98, "Q": 97},
            e3: {"X": 99, "Y": 98, "Q": 97, "Z": 97, "P": 96},
        }
        for event, scores in results.items():
            for code, value in scores.items():
                comp.record_result(session, event_id=event.id, team_id=t[code].id, score=value)
        got = [(r.rank, r.team_code, r.total) for r in comp.overall_ranking(session, c.id)]
        assert got == [(1, "P", 22), (2, "Q", 22), (3, "X", 20), (4, "Y", 8), (5, "Z", 6)]


# ---------------------------------------------------------------------------- templates


def test_copy_from_previous_year(db: Database) -> None:
    with db.session() as session:
        c, _, _ = _overall_setup(session)
        new = comp.copy_from_previous(
            session, source_competition_id=c.id, year=2025, held_on=dt.date(2025, 10, 17)
        )
        assert (new.year, new.title, new.venue) == (2025, "2025年度应急救援技能大比武", c.venue)
        assert new.points_table == [5, 3, 2, 1]
        events = session.scalars(
            select(CompetitionEvent)
            .where(CompetitionEvent.competition_id == new.id)
            .order_by(CompetitionEvent.seq)
        ).all()
        assert [(e.seq, e.name, e.kind, e.scoring, e.weight) for e in events] == [
            (1, "破拆支撑", EventKind.TEAM, Scoring.POINTS, Decimal(2)),
            (2, "绳索救援", EventKind.TEAM, Scoring.TIME, Decimal(1)),
            (3, "理论考试", EventKind.INDIVIDUAL, Scoring.POINTS, Decimal("1.5")),
        ]
        found = comp.results(session, new.id)
        teams_by_event = [sorted(r.team_code for r in ev.entries) for ev in found.events]
        assert teams_by_event == [
            ["A", "B", "C", "D", "E"],
            ["A", "B", "C", "D", "F"],
            ["A", "A", "B", "B", "C", "D"],
        ]
        entries = [r for ev in found.events for r in ev.entries]
        assert all(r.rank is None and r.score is None and r.time_seconds is None for r in entries)
        assert all(r.rank is None for r in found.overall)
        # the source is untouched
        assert comp.overall_ranking(session, c.id)[0].team_code == "B"

        bare = comp.copy_from_previous(
            session,
            source_competition_id=c.id,
            year=2025,
            title="2025年度水域救援专项比武",
            held_on=dt.date(2025, 6, 1),
            include_entries_teams=False,
        )
        assert len(comp.results(session, bare.id).events) == 3
        assert comp.overall_ranking(session, bare.id) == []
        source_id = c.id
        before = _state(session)

    with pytest.raises(Conflict), db.session() as session:
        comp.copy_from_previous(
            session, source_competition_id=source_id, year=2025, held_on=dt.date(2025, 10, 1)
        )
    with db.session() as session:
        assert _state(session) == before
        with pytest.raises(ValidationError) as err:
            comp.copy_from_previous(
                session, source_competition_id=source_id, year=2026, held_on=dt.date(2025, 1, 1)
            )
        assert err.value.field == "held_on"


# ---------------------------------------------------------------------------- bad input


def _state(session: Session) -> tuple[Any, ...]:
    """Everything the operations could change."""
    comps = session.execute(select(Competition.id, Competition.title).order_by(Competition.id))
    events = session.execute(
        select(CompetitionEvent.id, CompetitionEvent.name).order_by(CompetitionEvent.id)
    )
    entries = session.execute(
        select(
            CompetitionEntry.id,
            CompetitionEntry.team_id,
            CompetitionEntry.participant,
            CompetitionEntry.score,
            CompetitionEntry.time_seconds,
            CompetitionEntry.rank,
        ).order_by(CompetitionEntry.id)
    )
    audits = session.scalar(select(func.count()).select_from(AuditLog))
    return (tuple(comps), tuple(events), tuple(entries), audits)


def _bad_setup(session: Session) -> dict[str, int]:
    t = _teams(session, "A", "B")
    c = _competition(session)
    pts = _event(session, c, "破拆支撑", EventKind.TEAM, Scoring.POINTS)
    tim = _event(session, c, "负重跑", EventKind.INDIVIDUAL, Scoring.TIME)
    comp.record_result(session, event_id=pts.id, team_id=t["A"].id, score=88)
    comp.record_result(session, event_id=pts.id, team_id=t["B"].id, score=90)
    comp.record_result(
        session, event_id=tim.id, team_id=t["A"].id, participant="张三", time_seconds=240
    )
    return {"c": c.id, "pts": pts.id, "tim": tim.id, "A": t["A"].id}


Case = Callable[[Session, dict[str, int]], object]

BAD_CASES: list[tuple[str, str, Case]] = [
    (
        "score 101",
        "score",
        lambda s, k: comp.record_result(s, event_id=k["pts"], team_id=k["A"], score=101),
    ),
    (
        "score negative",
        "score",
        lambda s, k: comp.record_result(s, event_id=k["pts"], team_id=k["A"], score="-1"),
    ),
    (
        "score not a number",
        "score",
        lambda s, k: comp.record_result(s, event_id=k["pts"], team_id=k["A"], score="九十"),
    ),
    (
        "score three decimals",
        "score",
        lambda s, k: comp.record_result(s, event_id=k["pts"], team_id=k["A"], score="90.125"),
    ),
    (
        "score missing",
        "score",
        lambda s, k: comp.record_result(s, event_id=k["pts"], team_id=k["A"]),
    ),
    (
        "both score and time",
        "time_seconds",
        lambda s, k: comp.record_result(
            s, event_id=k["pts"], team_id=k["A"], score=90, time_seconds=100
        ),
    ),
    (
        "score on a time event",
        "score",
        lambda s, k: comp.record_result(
            s, event_id=k["tim"], team_id=k["A"], participant="张三", score=90
        ),
    ),
    (
        "time 0",
        "time_seconds",
        lambda s, k: comp.record_result(
            s, event_id=k["tim"], team_id=k["A"], participant="张三", time_seconds=0
        ),
    ),
    (
        "time 24 h",
        "time_seconds",
        lambda s, k: comp.record_result(
            s, event_id=k["tim"], team_id=k["A"], participant="张三", time_seconds=86400
        ),
    ),
    (
        "unknown team",
        "team_id",
        lambda s, k: comp.record_result(s, event_id=k["pts"], team_id=999_999, score=90),
    ),
    (
        "unknown event",
        "event_id",
        lambda s, k: comp.record_result(s, event_id=999_999, team_id=k["A"], score=90),
    ),
    (
        "individual event without participant",
        "participant",
        lambda s, k: comp.record_result(s, event_id=k["tim"], team_id=k["A"], time_seconds=250),
    ),
    (
        "team event with a participant",
        "participant",
        lambda s, k: comp.record_result(
            s, event_id=k["pts"], team_id=k["A"], participant="张三", score=90
        ),
    ),
    (
        "event kind",
        "kind",
        lambda s, k: comp.add_event(
            s, competition_id=k["c"], name="水域救援", kind="relay", scoring="time"
        ),
    ),
    (
        "event weight 0",
        "weight",
        lambda s, k: comp.add_event(
            s, competition_id=k["c"], name="水域救援", kind="team", scoring="time", weight=0
        ),
    ),
    (
        "duplicate event name",
        "name",
        lambda s, k: comp.add_event(
            s, competition_id=k["c"], name="破拆支撑", kind="team", scoring="points"
        ),
    ),
    (
        "unknown competition",
        "competition_id",
        lambda s, k: comp.add_event(
            s, competition_id=999_999, name="x", kind="team", scoring="points"
        ),
    ),
    (
        "year",
        "year",
        lambda s, k: comp.create_competition(
            s, year=1999, title="x", held_on=dt.date(1999, 1, 1), venue=None
        ),
    ),
    (
        "held_on outside the year",
        "held_on",
        lambda s, k: comp.create_competition(
            s, year=2025, title="x", held_on=dt.date(2024, 12, 31), venue=None
        ),
    ),
    (
        "empty title",
        "title",
        lambda s, k: comp.create_competition(
            s, year=2025, title="  ", held_on=dt.date(2025, 5, 1), venue=None
        ),
    ),
    (
        "increasing points table",
        "points_table",
        lambda s, k: comp.create_competition(
            s, year=2025, title="x", held_on=dt.date(2025, 5, 1), venue=None, points_table=[3, 5]
        ),
    ),
]


@pytest.mark.parametrize(("case", "field", "action"), BAD_CASES, ids=[c[0] for c in BAD_CASES])
def test_bad_input_is_rejected_with_the_field_named_and_nothing_changed(
    db: Database, case: str, field: str, action: Case
) -> None:
    with db.session() as session:
        keys = _bad_setup(session)
        before = _state(session)
    with pytest.raises(ValidationError) as err, db.session() as session:
        action(session, keys)
    assert err.value.field == field, case
    assert err.value.message and err.value.message_en
    with db.session() as session:
        assert _state(session) == before


def test_duplicate_competition_is_a_conflict(db: Database) -> None:
    with db.session() as session:
        _competition(session)
        with pytest.raises(Conflict):
            _competition(session, title=" 2024年度应急救援技能大比武 ")


def test_queries_on_unknown_ids(db: Database) -> None:
    with db.session() as session:
        with pytest.raises(NotFound):
            comp.results(session, 12345)
        with pytest.raises(NotFound):
            comp.rank_event(session, 12345)
        with pytest.raises(NotFound):
            comp.find_competition(session, year=2030)
        _competition(session)
        _competition(session, title="2024年度水域救援比武")
        with pytest.raises(ValidationError) as err:
            comp.find_competition(session, year=2024)
        assert err.value.field == "title"
        assert comp.find_competition(session, year=2024, title="2024年度水域救援比武").id


# ---------------------------------------------------------------------------- command line


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="drillplan")
    parser.add_argument("--db")
    sub = parser.add_subparsers(dest="command")
    comp_cli.register(sub)
    return parser


def _run(db: Database, *argv: str) -> int:
    args = _parser().parse_args(["--db", db.url, "competitions", *argv])
    return comp_cli.cmd_competitions(args)


def test_cli_results_record_copy_list(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    with db.session() as session:
        _, _, (e1, _, e3) = _overall_setup(session)

    assert _run(db, "results", "--year", "2024", "--format", "json") == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"competition", "events", "overall"}
    assert data["competition"]["points_table"] == [5, 3, 2, 1]
    assert [(r["rank"], r["team_code"], r["total"]) for r in data["overall"]] == [
        (1, "B", 14.5),
        (2, "A", 14.5),
        (3, "C", 12.5),
        (3, "D", 12.5),
        (5, "F", 0),
        (None, "E", 0),
    ]
    assert data["overall"][0]["places"] == [2, 0, 0, 1, 0]
    first = data["events"][0]
    assert set(first) == {"event_id", "seq", "name", "kind", "scoring", "weight", "entries"}
    assert set(first["entries"][0]) == {
        "entry_id",
        "rank",
        "team_id",
        "team_code",
        "team_name",
        "participant",
        "score",
        "time_seconds",
        "counted",
        "points",
    }

    assert _run(db, "results", "--year", "2024") == 0
    table = capsys.readouterr().out
    assert "破拆支撑" in table and "总成绩 overall" in table and "14.5" in table

    assert _run(db, "results", "--year", "2024", "--format", "csv") == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5 + 5 + 6 + 6
    assert rows[-1]["section"] == "overall" and rows[-1]["team_code"] == "E"

    # E scores 100 in e1 and goes first there: A becomes 2nd, C/D 3rd, B 5th
    assert _run(db, "record", "--event", str(e1), "--team", "E", "--score", "100") == 0
    assert "E" in capsys.readouterr().out
    argv = ["record", "--event", str(e3), "--team", "A", "--participant", "李四", "--score", "97"]
    assert _run(db, *argv, "--format", "json") == 0
    recorded = json.loads(capsys.readouterr().out)
    assert [(r["rank"], r["participant"]) for r in recorded["event"]["entries"]][:2] == [
        (1, "李四"),
        (2, "钱七"),
    ]
    with db.session() as session:
        assert _ranks(session, e1) == {
            ("E", ""): 1,
            ("A", ""): 2,
            ("C", ""): 3,
            ("D", ""): 3,
            ("B", ""): 5,
        }
        before = _state(session)
    with pytest.raises(ValidationError) as err:
        _run(db, "record", "--event", str(e1), "--team", "A", "--score", "101")
    assert err.value.field == "score"
    with pytest.raises(ValidationError) as err:
        _run(db, "record", "--event", str(e1), "--team", "NOPE", "--score", "50")
    assert err.value.field == "--team"
    with pytest.raises(SystemExit):
        _run(db, "record", "--event", str(e1), "--team", "A", "--score", "5", "--time", "9")
    with db.session() as session:
        assert _state(session) == before

    argv = ["copy", "--from-year", "2024", "--year", "2025", "--date", "2025年10月17日"]
    assert _run(db, *argv, "--format", "json") == 0
    copied = json.loads(capsys.readouterr().out)
    assert copied["title"] == "2025年度应急救援技能大比武"
    assert (copied["year"], copied["held_on"], copied["events"]) == (2025, "2025-10-17", 3)
    assert copied["entries"] == 5 + 5 + 6 and copied["teams"] == 6

    assert _run(db, "list", "--format", "json") == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["year"], r["events"], r["teams"]) for r in listed] == [(2025, 3, 6), (2024, 3, 6)]
    with pytest.raises(Conflict):
        _run(db, "copy", "--from-year", "2024", "--year", "2025", "--date", "2025-10-17")
