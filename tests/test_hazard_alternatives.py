"""Other teams suggested for a standby team line not met (issue 15, hazard check): same kind,
a shared specialty, ready, enough certified members for what the line lacks; nearest first.
The example of tests/test_hazards.py (T-FX 3 certified for 4 at red; T-SW not ready) with
five more teams, computed by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import Team, Unit
from drillplan.kernel.vocab import Readiness, TeamKind
from drillplan.readiness.hazard_check import hazard_check
from tests import factories as f
from tests.test_hazards import AS_OF, _matrix, _members, _world


def _more_teams(db: Database) -> None:
    with db.session() as session:
        office = session.scalars(select(Unit).where(Unit.code == "310118-YJJ")).one()
        xiayang = session.scalars(select(Unit).where(Unit.code == "310118001")).one()
        sw = session.scalars(select(Team).where(Team.code == "T-SW")).one()
        sw.specialties = ["水上救援"]
        ready = Readiness.READY
        a = f.team(
            session,
            office,
            code="T-A",
            readiness=ready,
            specialties=["水上救援", "防汛抢险"],
            duty_phone="13800000002",
        )
        b = f.team(session, xiayang, code="T-B", readiness=ready, specialties=["防汛抢险"])
        c = f.team(session, office, code="T-C", readiness=ready, kind=TeamKind.SOCIAL)
        d = f.team(session, office, code="T-D", readiness=Readiness.LIMITED)
        e = f.team(session, office, code="T-E", readiness=ready, specialties=["水上救援"])
        for team, valid, expired in ((a, 2, 0), (b, 5, 0), (c, 9, 0), (d, 9, 0), (e, 1, 3)):
            _members(session, team, valid, expired=expired)


def test_alternatives_by_hand(db: Database) -> None:
    _world(db)
    _matrix(db)
    _more_teams(db)
    with db.sessions() as session:
        result = hazard_check(session, hazard="台风", level="红", as_of=AS_OF)
    teams = {t.code: t for t in result.teams}
    # T-FX: ready, 3 certified for 4: needs 1; no specialty of its own, so any of its kind.
    # T-A (same unit, 2), T-E (same unit, 1: its 3 expired ones do not count), T-B (elsewhere:
    # the office has no parent, 5); T-C another kind, T-D not ready.
    fx = teams["T-FX"]
    assert fx.needed == 1
    assert [(a.code, a.counted, a.nearness) for a in fx.alternatives] == [
        ("T-A", 2, 0), ("T-E", 1, 0), ("T-B", 5, 2)]  # fmt: skip
    # T-SW: not ready, so all 2 are needed, from a 水上救援 team: T-A only (T-E has 1, T-B
    # no water rescue)
    sw = teams["T-SW"]
    assert sw.needed == 2
    assert [a.code for a in sw.alternatives] == ["T-A"]
    assert sw.alternatives[0].phone == "13800000002"


def test_a_line_met_has_no_alternatives(db: Database) -> None:
    _world(db)
    _matrix(db)
    _more_teams(db)
    with db.sessions() as session:
        result = hazard_check(session, hazard="台风", level="黄", as_of=AS_OF)
    fx = next(t for t in result.teams if t.code == "T-FX")
    assert fx.ok and fx.alternatives == ()


def test_alternatives_in_the_json_and_the_report(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _world(db)
    _matrix(db)
    _more_teams(db)
    capsys.readouterr()
    argv = ["--db", db.url, "readiness", "--hazard", "台风", "--level", "红",
            "--as-of", AS_OF.isoformat()]  # fmt: skip
    assert main([*argv, "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    fx = next(t for t in data["teams"] if t["team"] == "T-FX")
    assert [a["team"] for a in fx["alternatives"]] == ["T-A", "T-E", "T-B"]
    assert set(fx["alternatives"][0]) == {"team", "team_name", "unit", "counted", "phone",
                                          "nearness"}  # fmt: skip
    assert main(argv) == 1
    assert "T-A 队伍T-A 2人" in capsys.readouterr().out
    pdf = tmp_path / "check.pdf"
    assert main(["--db", db.url, "report", "hazard-check", "--hazard", "台风", "--level", "红",
                 "--as-of", AS_OF.isoformat(), "-o", str(pdf)]) == 0  # fmt: skip
    from pypdf import PdfReader

    text = "".join(page.extract_text() for page in PdfReader(str(pdf)).pages)
    assert "可替代 T-FX 的队伍" in text.replace("\n", "")
