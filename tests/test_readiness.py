"""Readiness scores and their explanations against a hand-computed example."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from drillplan import settings
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Certificate, Member, Quota
from drillplan.kernel.vocab import DepotTier, Tier
from drillplan.readiness.score import readiness
from drillplan.stock.holders import holder_for_team
from tests import factories as f

AS_OF = dt.date(2025, 6, 1)


def _world(db: Database) -> None:
    """coverage 80/100; lots: 1 good, 1 expired, 1 at the team expiring in 10 days;
    team: headcount 8 of 10, certificates 2 good of 3 + an expired agreement."""
    with db.session() as session:
        u = f.unit(session)
        m = f.material(session)
        depot, h = f.depot(session, u, code="D1", tier=DepotTier.DISTRICT)
        session.add(Quota(depot_id=depot.id, material_id=m.id, required_qty=100))
        team = f.team(session, u, code="T1", tier=Tier.DISTRICT, headcount=10)
        team.agreement_no = "XY-1"
        team.agreement_expires_on = AS_OF - dt.timedelta(days=3)
        th = holder_for_team(session, team.id)
        for batch, holder, qty, expiry in (
            ("GOOD", h, 80, dt.date(2027, 1, 1)),
            ("OLD", h, 20, dt.date(2025, 5, 1)),
            ("SOON", th, 5, AS_OF + dt.timedelta(days=10)),
        ):
            lot = f.lot(session, m, holder, batch=batch, expiry_date=expiry, on_hand=Decimal(qty))
            f.movement(session, lot, qty)
        members = [Member(team_id=team.id, name=f"队员{i}") for i in range(8)]
        members.append(Member(team_id=team.id, name="离队", active=False))
        session.add_all(members)
        session.flush()
        for i, expires in enumerate(
            (AS_OF, AS_OF + dt.timedelta(days=400), AS_OF - dt.timedelta(1))
        ):
            session.add(
                Certificate(
                    member_id=members[i].id,
                    cert_type="应急救援员",
                    number=f"C{i}",
                    issued_on=dt.date(2020, 1, 1),
                    expires_on=expires,
                )
            )


def test_scores_and_components_match_hand_computation(db: Database) -> None:
    _world(db)
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF)
    comps = {c.key: c.value for c in result.district.components}
    assert comps == {
        "coverage": 80.0,
        "expiry": 33.3,
        "certificates": 50.0,
        "headcount": 80.0,
        "plans": None,
        "actions": None,
        "facilities": None,  # no facility: no data, the score below is unchanged
    }
    # (30*80 + 15*33.33 + 15*50 + 10*80) / 70
    assert result.district.score == 63.6
    depot = {s.key: s for s in result.depots}["D1"]
    assert depot.score == 70.0  # (30*80 + 15*50) / 45
    team = {s.key: s for s in result.teams}["T1"]
    assert team.score == 38.8  # (15*0 + 15*50 + 10*80) / 40
    assert [t.key for t in result.tiers] == ["district"]


def test_every_number_is_traceable_and_fixes_add_up(db: Database) -> None:
    _world(db)
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF)
    problems = {c.key: sorted(p.label for p in c.problems) for c in result.district.components}
    assert problems["expiry"] == ["救生衣 批次 OLD @ 仓库D1", "救生衣 批次 SOON @ 队伍T1"]
    assert len(problems["certificates"]) == 2  # one certificate, one agreement
    first = result.fixes[0]
    assert (first.component, first.row_id) == ("coverage", "D1/2010101")
    assert (first.points, first.points_text) == (pytest.approx(60 / 7), "8.57")
    lost = sum(fx.points for fx in result.fixes)
    assert lost == pytest.approx(100 - result.district.score, abs=0.1)


def test_problems_read_after_the_session_ended_leave_no_transaction_open(db: Database) -> None:
    """Commit, then print: the lazily read problem rows and fix-first list, looked at after the
    caller's session has ended, are read in a short session of their own. The caller's session
    is not reopened (on PostgreSQL an idle transaction held a lock that blocked DROP SCHEMA)."""
    _world(db)
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF)
    assert not session.in_transaction()
    first = result.fixes[0]
    assert (first.component, first.row_id) == ("coverage", "D1/2010101")
    assert len(list(result.fixes)) == len(result.fixes)
    assert sum(len(list(c.problems)) for c in result.district.components) > 0
    assert not session.in_transaction()


def test_weights_come_from_the_setting(db: Database) -> None:
    _world(db)
    with db.session() as session:
        settings.set_value(session, "readiness_weights", {"coverage": 1, "expiry": 0})
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF)
    assert result.district.score == 80.0  # coverage only


def test_empty_database_has_no_score(db: Database) -> None:
    with db.sessions() as session:
        result = readiness(session, as_of=AS_OF)
    assert result.district.score is None and result.fixes == []


def test_cli_json(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _world(db)
    assert main(["--db", db.url, "readiness", "--as-of", "2025-06-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["district"]["score"] == 63.6
    assert {c["component"] for c in data["district"]["components"]} >= {"coverage", "plans"}
    # a summary by default: the top --fixes, each component's problems counted, not listed
    assert len(data["fixes"]) == min(10, data["fix_count"]) and data["fix_count"] > 0
    assert all("problems" not in c for c in data["district"]["components"])
    counted = {c["component"]: c["problem_count"] for c in data["district"]["components"]}
    assert sum(counted.values()) == data["fix_count"]  # every problem row is one fix
    argv = ["--db", db.url, "readiness", "--as-of", "2025-06-01", "--format", "json"]
    assert main([*argv, "--fixes", "1"]) == 0
    one = json.loads(capsys.readouterr().out)
    assert one["fixes"] == data["fixes"][:1] and one["fix_count"] == data["fix_count"]
    assert main([*argv, "--all"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert len(full["fixes"]) == full["fix_count"] == data["fix_count"]
    for c in full["district"]["components"]:
        assert len(c["problems"]) == c["problem_count"] == counted[c["component"]]
