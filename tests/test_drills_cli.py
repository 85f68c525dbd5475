"""`drillplan drills ...`: list, schedule (--write), conflicts (exit 1), ics, actions."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path

import pytest
from icalendar import Calendar

from drillplan.cli import drills as cli
from drillplan.db.database import Database
from drillplan.db.models import Plan
from drillplan.drills import editing, evaluation
from drillplan.kernel.vocab import EmergencyCategory, PlanKind, PlanStatus
from tests import factories as f

D = dt.datetime


def run(db: Database, *argv: str) -> int:
    parser = argparse.ArgumentParser(prog="drillplan")
    parser.add_argument("--db")
    sub = parser.add_subparsers(dest="command")
    cli.register(sub)
    args = parser.parse_args(["--db", db.url, *argv])
    return cli.cmd_drills(args)


@pytest.fixture
def filled(db: Database) -> Database:
    with db.session() as session:
        unit = f.unit(session, name="区应急管理局")
        team = f.team(session, unit, code="T-JY")
        plan = Plan(
            code="QP-ZX-001",
            title="青浦区防汛防台专项应急预案",
            kind=PlanKind.SPECIAL,
            category=EmergencyCategory.NATURAL,
            owner_unit_id=unit.id,
            status=PlanStatus.PUBLISHED,
            published_on=dt.date(2022, 9, 1),
            flood_related=True,
        )
        session.add(plan)
        # a clash: two drills of the same team at the same time, on a Saturday
        for code in ("DR-A", "DR-B"):
            editing.create_drill(
                session,
                code=code,
                title=f"演练{code}",
                form="live",
                scope="single",
                organiser_unit_id=unit.id,
                starts_at=D(2025, 3, 8, 9),
                ends_at=D(2025, 3, 8, 11),
                participants=[{"team_id": team.id}],
            )
        done = editing.create_drill(
            session,
            code="DR-DONE",
            title="已实施演练",
            form="tabletop",
            scope="single",
            organiser_unit_id=unit.id,
            starts_at=D(2024, 11, 5, 9),
            ends_at=D(2024, 11, 5, 11),
            status="conducted",
        )
        finding = evaluation.add_finding(session, drill_id=done.id, description="通信不畅")
        evaluation.add_action(
            session,
            finding_id=finding.id,
            action="配备对讲机",
            owner_unit_id=unit.id,
            due_on=dt.date(2025, 1, 31),
        )
    return db


def test_conflicts_exit_1_with_stable_json(
    filled: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(filled, "drills", "conflicts", "--year", "2025", "--format", "json") == 1
    rows = json.loads(capsys.readouterr().out)
    # the plan falls due on 1 September with no drill scheduled
    assert {r["kind"] for r in rows} == {
        "team_double_booked",
        "non_working_day",
        "plan_overdue_before_drill",
    }
    assert set(rows[0]) == {
        "kind",
        "date",
        "drill_ids",
        "drill_codes",
        "subject",
        "reason_zh",
        "reason_en",
    }
    assert run(filled, "drills", "conflicts", "--year", "2025") == 1
    assert "队伍" in capsys.readouterr().out


def test_no_conflicts_exit_0(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "drills", "conflicts", "--year", "2025") == 0
    assert "未发现冲突" in capsys.readouterr().out


def test_schedule_then_write(filled: Database, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["drills", "schedule", "--year", "2025", "--as-of", "2025-01-01"]
    assert run(filled, *argv, "--format", "json") == 0
    (proposal,) = json.loads(capsys.readouterr().out)
    assert proposal["plan_code"] == "QP-ZX-001"
    assert proposal["starts_at"].startswith("2025-0")  # due 1 September; flood: April-May
    assert (
        dt.date(2025, 4, 1)
        <= dt.date.fromisoformat(proposal["starts_at"][:10])
        < dt.date(2025, 6, 1)
    )
    assert proposal["drill_code"] is None
    assert run(filled, *argv) == 0
    text = capsys.readouterr().out
    assert "QP-ZX-001 →" in text and "依据" in text
    assert run(filled, *argv, "--write") == 0
    assert "已写入 1 场演练" in capsys.readouterr().out
    assert run(filled, *argv, "--format", "json") == 0
    assert json.loads(capsys.readouterr().out) == []
    assert run(filled, "drills", "list", "--year", "2025", "--format", "json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["code"] for r in rows][-1] == "QP-DR-2025-001"
    assert rows[-1]["plans"] == ["QP-ZX-001"] and rows[-1]["occurrences"] == 1


def test_ics_writes_a_parsable_file(
    filled: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "drills.ics"
    assert run(filled, "drills", "ics", "--year", "2025", "-o", str(out)) == 0
    assert "已导出 2 个日程" in capsys.readouterr().out
    assert len(Calendar.from_ical(out.read_bytes()).walk("VEVENT")) == 2


def test_actions_overdue(filled: Database, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["drills", "actions", "--overdue", "--as-of", "2025-03-01", "--format", "json"]
    assert run(filled, *argv) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert (row["action"], row["days_overdue"], row["drill_code"]) == ("配备对讲机", 29, "DR-DONE")
    assert run(filled, "drills", "actions", "--overdue", "--as-of", "2025-01-31") == 0
    assert "配备对讲机" not in capsys.readouterr().out


def test_bad_year_is_rejected_by_the_parser(filled: Database) -> None:
    with pytest.raises(SystemExit) as exc:
        run(filled, "drills", "conflicts", "--year", "20x5")
    assert exc.value.code == 2
