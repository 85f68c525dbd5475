"""年度统计 (annual statistics for the superior bureau): a small data set whose figures are
counted by hand here, the same figures in the workbook (re-read with python-calamine) and in
the PDF (extracted with pypdf), and bad input refused with exit 2 naming the field."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from python_calamine import CalamineWorkbook
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import (
    Certificate,
    Competition,
    CompetitionEntry,
    CompetitionEvent,
    CorrectiveAction,
    Drill,
    DrillParticipant,
    Finding,
    Holder,
    Lot,
    Member,
    Movement,
    Plan,
    PlanRevision,
    Team,
    TrainingEvent,
)
from drillplan.kernel.vocab import (
    ActionStatus,
    DepotTier,
    DrillForm,
    DrillScope,
    DrillStatus,
    EmergencyCategory,
    EventKind,
    HolderKind,
    MovementKind,
    PlanKind,
    PlanStatus,
    Scoring,
    TeamKind,
    TrainingKind,
    UnitKind,
)
from drillplan.reports.registry import KINDS, build_report
from drillplan.statistics.annual import NO_STREET, annual_statistics
from drillplan.statistics.tables import sections
from tests import factories as f

YEAR = 2025
AS_OF = dt.date(2026, 2, 1)
D = Decimal
ZJJ, XY = "朱家角镇", "夏阳街道"


def _plan(session: Session, code: str, kind: PlanKind, owner: int, **kw: Any) -> Plan:
    plan = Plan(
        code=code,
        title=f"预案{code}",
        kind=kind,
        category=EmergencyCategory.NATURAL,
        owner_unit_id=owner,
        status=kw.pop("status", PlanStatus.PUBLISHED),
        **kw,
    )
    session.add(plan)
    session.flush()
    return plan


def _revise(session: Session, plan: Plan, version: str, on: dt.date) -> None:
    session.add(PlanRevision(plan_id=plan.id, version=version, revised_on=on, reason="其他"))


def _member(session: Session, team: Team, name: str, *certs: tuple[dt.date, dt.date | None],
            active: bool = True) -> None:  # fmt: skip
    m = Member(team_id=team.id, name=name, active=active)
    session.add(m)
    session.flush()
    for i, (issued, expires) in enumerate(certs):
        session.add(Certificate(member_id=m.id, cert_type="救援证", number=f"{name}-{i}",
                                issued_on=issued, expires_on=expires))  # fmt: skip


def _moves(session: Session, lot: Lot, *moves: tuple[MovementKind, str, dt.date]) -> None:
    for kind, qty, on in moves:
        f.movement(session, lot, qty, kind=kind, moved_on=on)


def build_data_set(session: Session) -> None:
    office = f.unit(session, "YJJ", name="青浦区应急管理局")
    zjj = f.unit(session, "ZJJ", name=ZJJ, kind=UnitKind.STREET_TOWN)
    xy = f.unit(session, "XY", name=XY, kind=UnitKind.STREET_TOWN)
    village = f.unit(session, "ZJJ-C1", name="朱家角镇某村委会", parent_id=zjj.id)

    # plans: P4 is abolished; P2's two revisions of the year count once; P5 is filed next year
    p1 = _plan(session, "P1", PlanKind.SPECIAL, office.id, filed_on=dt.date(2025, 4, 1))
    _revise(session, p1, "2.0", dt.date(2025, 3, 1))
    p2 = _plan(session, "P2", PlanKind.SPECIAL, office.id, filed_on=dt.date(2024, 6, 1))
    _revise(session, p2, "2.0", dt.date(2024, 5, 1))
    _revise(session, p2, "3.0", dt.date(2025, 2, 1))
    _revise(session, p2, "4.0", dt.date(2025, 8, 1))
    _plan(session, "P3", PlanKind.GRASSROOTS, village.id, filed_on=dt.date(2025, 12, 31))
    _plan(session, "P4", PlanKind.OVERALL, office.id, status=PlanStatus.ABOLISHED,
          filed_on=dt.date(2025, 5, 5))  # fmt: skip
    _plan(session, "P5", PlanKind.GRASSROOTS, xy.id, filed_on=dt.date(2026, 1, 1))

    # teams and members (certificates valid on 31 December count; an inactive member never)
    t1 = f.team(session, zjj, "T1", kind=TeamKind.STREET)
    _member(session, t1, "甲", (dt.date(2024, 1, 1), dt.date(2026, 1, 1)))
    _member(session, t1, "乙", (dt.date(2024, 1, 1), dt.date(2025, 12, 30)))
    _member(session, t1, "丙", (dt.date(2024, 1, 1), dt.date(2025, 12, 31)),
            (dt.date(2025, 1, 1), None))  # fmt: skip
    _member(session, t1, "丁", (dt.date(2024, 1, 1), None), active=False)
    t2 = f.team(session, office, "T2")
    t3 = f.team(session, office, "T3")
    _member(session, t3, "戊", (dt.date(2026, 1, 5), None))  # issued after the year end
    _member(session, t3, "己", (dt.date(2020, 1, 1), None))

    # drills: D3 cancelled, D4 last year, D5 on the year's last day
    d1 = f.drill(session, zjj, "D1", status=DrillStatus.EVALUATED, evaluated_on=dt.date(2025, 6, 1))
    session.add_all([DrillParticipant(drill_id=d1.id, team_id=t1.id),
                     DrillParticipant(drill_id=d1.id, unit_id=village.id)])  # fmt: skip
    finding = Finding(drill_id=d1.id, seq=1, description="通信不畅")
    session.add(finding)
    session.flush()
    session.add_all([
        CorrectiveAction(finding_id=finding.id, action="配发对讲机", owner_unit_id=zjj.id,
                         due_on=dt.date(2025, 9, 1), status=ActionStatus.CLOSED,
                         closed_on=dt.date(2025, 8, 1)),
        CorrectiveAction(finding_id=finding.id, action="修订通讯录", owner_unit_id=zjj.id,
                         due_on=dt.date(2025, 9, 1), status=ActionStatus.OPEN),
    ])  # fmt: skip
    d2 = f.drill(session, village, "D2", starts_at=dt.datetime(2025, 6, 1, 9),
                 ends_at=dt.datetime(2025, 6, 1, 10), status=DrillStatus.CONDUCTED)  # fmt: skip
    session.add(DrillParticipant(drill_id=d2.id, team_id=t1.id))
    tabletop = {"form": DrillForm.TABLETOP, "scope": DrillScope.COMPREHENSIVE}
    cancelled = DrillStatus.CANCELLED
    f.drill(session, office, "D3", starts_at=dt.datetime(2025, 9, 1, 9),
            ends_at=dt.datetime(2025, 9, 1, 10), status=cancelled, **tabletop)  # fmt: skip
    f.drill(session, office, "D4", starts_at=dt.datetime(2024, 12, 31, 23),
            ends_at=dt.datetime(2024, 12, 31, 23, 30), **tabletop)  # fmt: skip
    f.drill(session, office, "D5", starts_at=dt.datetime(2025, 12, 31, 10),
            ends_at=dt.datetime(2025, 12, 31, 11), **tabletop)  # fmt: skip

    # trainings: one at 朱家角镇, one without a street-town, one of last year
    for code, kind, street, when, heads in (
        ("PX1", TrainingKind.PUBLICITY, zjj.id, dt.datetime(2025, 5, 12, 9), 120),
        ("PX2", TrainingKind.TRAINING, None, dt.datetime(2025, 7, 1, 9), 30),
        ("PX3", TrainingKind.TRAINING, None, dt.datetime(2024, 7, 1, 9), 99),
    ):
        session.add(TrainingEvent(code=code, title=code, kind=kind, starts_at=when,
                                  ends_at=when + dt.timedelta(hours=2), street_unit_id=street,
                                  organiser_unit_id=office.id, headcount=heads))  # fmt: skip

    # reserves
    quilt = f.material(session, "1010101", name="棉被", uom="床")
    jacket = f.material(session, "2010101", name="救生衣", uom="件")
    bag = f.material(session, "2020202", name="编织袋", uom="条")
    _dd, district = f.depot(session, office, "DD")
    _ds, street = f.depot(session, zjj, "DS", tier=DepotTier.STREET)
    R, OUT, W = MovementKind.RECEIPT, MovementKind.ISSUE, MovementKind.WRITE_OFF
    l1 = f.lot(session, jacket, district, "L1", unit_cost=D("100.00"))
    _moves(session, l1, (R, "50", dt.date(2024, 2, 1)), (R, "20", dt.date(2025, 3, 1)),
           (OUT, "-5", dt.date(2025, 6, 1)), (W, "-3", dt.date(2025, 7, 1)),
           (R, "10", dt.date(2026, 1, 5)))  # fmt: skip
    l2 = f.lot(session, jacket, district, "L2", unit_cost=D("80.50"),
               expiry_date=dt.date(2025, 12, 30))  # fmt: skip
    _moves(session, l2, (R, "10", dt.date(2024, 3, 1)))  # expired at the year end
    l3 = f.lot(session, jacket, district, "L3", expiry_date=None)  # no unit cost
    _moves(session, l3, (R, "7", dt.date(2025, 2, 1)))
    wrong = f.movement(session, l3, "4", kind=R, moved_on=dt.date(2025, 2, 2))
    f.movement(session, l3, "-4", kind=MovementKind.REVERSAL, moved_on=dt.date(2025, 2, 3),
               reverses_id=wrong.id)  # fmt: skip
    l4 = f.lot(session, bag, district, "L4", unit_cost=D("2.25"),
               expiry_date=dt.date(2025, 12, 31))  # fmt: skip
    _moves(session, l4, (R, "1000", dt.date(2025, 5, 1)),
           (MovementKind.ROTATION_OUT, "-200", dt.date(2025, 8, 1)),
           (MovementKind.ROTATION_IN, "200", dt.date(2025, 8, 1)))  # fmt: skip
    l5 = f.lot(session, quilt, street, "L5", unit_cost=D("150.00"))
    _moves(session, l5, (R, "40", dt.date(2025, 4, 1)), (W, "-2", dt.date(2025, 10, 1)))
    team_holder = Holder(kind=HolderKind.TEAM, team_id=t1.id)  # team equipment: not counted
    session.add(team_holder)
    session.flush()
    l6 = f.lot(session, jacket, team_holder, "L6", unit_cost=D("100.00"))
    _moves(session, l6, (R, "9", dt.date(2025, 3, 1)))
    for lot in (l1, l2, l3, l4, l5, l6):
        session.refresh(lot)
        lot.on_hand = session.scalar(
            select(func.sum(Movement.quantity)).where(Movement.lot_id == lot.id)
        )

    # competitions: C2 was held last year; C3 has no events yet
    c1 = Competition(year=2025, title="2025年技能大比武", held_on=dt.date(2025, 10, 10))
    c2 = Competition(year=2024, title="2024年技能大比武", held_on=dt.date(2024, 10, 10))
    c3 = Competition(year=2025, title="2025年水上救援比武", held_on=dt.date(2025, 11, 1))
    session.add_all([c1, c2, c3])
    session.flush()
    e1 = CompetitionEvent(competition_id=c1.id, seq=1, name="破拆", kind=EventKind.TEAM,
                          scoring=Scoring.TIME)  # fmt: skip
    e2 = CompetitionEvent(competition_id=c1.id, seq=2, name="心肺复苏",
                          kind=EventKind.INDIVIDUAL, scoring=Scoring.POINTS)  # fmt: skip
    e3 = CompetitionEvent(competition_id=c2.id, seq=1, name="破拆", kind=EventKind.TEAM,
                          scoring=Scoring.TIME)  # fmt: skip
    session.add_all([e1, e2, e3])
    session.flush()
    session.add_all([
        CompetitionEntry(event_id=e1.id, team_id=t1.id, rank=1),
        CompetitionEntry(event_id=e1.id, team_id=t2.id),
        CompetitionEntry(event_id=e2.id, team_id=t1.id, participant="甲"),
        CompetitionEntry(event_id=e2.id, team_id=t1.id, participant="丙"),
        CompetitionEntry(event_id=e3.id, team_id=t3.id),
    ])  # fmt: skip
    session.flush()


@pytest.fixture
def data(db: Database) -> Database:
    with db.session() as session:
        build_data_set(session)
    return db


def test_the_figures_counted_by_hand(data: Database) -> None:
    with data.sessions() as session:
        stats = annual_statistics(session, YEAR)
    assert stats.streets == [XY, ZJJ, NO_STREET]
    plans = {(r.street, r.kind): (r.plans, r.revised, r.filed) for r in stats.plans}
    assert plans == {
        (NO_STREET, PlanKind.SPECIAL): (2, 2, 1),
        (ZJJ, PlanKind.GRASSROOTS): (1, 0, 1),  # owned by a village under the town
        (XY, PlanKind.GRASSROOTS): (1, 0, 0),
    }
    drills = {(r.street, r.form, r.scope): (r.drills, r.participants, r.evaluated, r.actions,
                                            r.actions_closed) for r in stats.drills}  # fmt: skip
    assert drills == {
        (ZJJ, DrillForm.LIVE, DrillScope.SINGLE): (2, 3, 1, 2, 1),
        (NO_STREET, DrillForm.TABLETOP, DrillScope.COMPREHENSIVE): (1, 0, 0, 0, 0),
    }
    assert stats.trainings is not None and stats.trainings.total == (2, 150)
    assert stats.trainings.cells == {
        (ZJJ, TrainingKind.PUBLICITY): (1, 120),
        (NO_STREET, TrainingKind.TRAINING): (1, 30),
    }
    teams = {(r.street, r.kind): (r.teams, r.members, r.certified) for r in stats.teams}
    assert teams == {
        (ZJJ, TeamKind.STREET): (1, 3, 2),
        (NO_STREET, TeamKind.PROFESSIONAL): (2, 2, 1),
    }
    reserves = {(r.tier, r.street, r.material_class, r.uom): (r.usable, r.value, r.renewed,
                                                              r.written_off)
                for r in stats.reserves}  # fmt: skip
    assert reserves == {
        (DepotTier.DISTRICT, NO_STREET, "2", "件"): (D(69), D("6200.00"), D(27), D(3)),
        (DepotTier.DISTRICT, NO_STREET, "2", "条"): (D(1000), D("2250.00"), D(1200), D(0)),
        (DepotTier.STREET, ZJJ, "1", "床"): (D(38), D("5700.00"), D(40), D(2)),
    }
    assert {u: t["usable"] for u, t in stats.reserves_by_uom().items()} == {
        "件": D(69), "条": D(1000), "床": D(38)
    }  # fmt: skip
    comps = [(c.title, c.events, c.entries, c.teams) for c in stats.competitions]
    assert comps == [("2025年技能大比武", 2, 4, 2), ("2025年水上救援比武", 0, 0, 0)]
    # by street-town of the entering team's owner unit: T1 (朱家角) 3 entries, one first place
    by_street = [(r.street, r.competitions, r.teams, r.entries, r.ranked_first)
                 for r in stats.competition_streets]  # fmt: skip
    assert by_street == [(ZJJ, 1, 1, 3, 1), (NO_STREET, 1, 1, 1, 0)]
    assert stats.summary() == {
        "year": 2025, "plans": 4, "plans_revised": 2, "plans_filed": 2, "drills": 3,
        "drill_participants": 3, "drills_evaluated": 1, "corrective_actions": 2,
        "corrective_actions_closed": 1, "training_events": 2, "training_headcount": 150,
        "teams": 3, "members": 5, "members_certified": 3, "reserve_value": D("14150.00"),
        "competitions": 2, "competition_entries": 4,
    }  # fmt: skip


def test_an_empty_year_has_no_rows(data: Database) -> None:
    with data.sessions() as session:
        stats = annual_statistics(session, 2010)
    assert not stats.drills and not stats.competitions and not stats.reserves
    assert stats.summary()["training_events"] == 0


def _sheets(path: Path) -> dict[str, list[list[Any]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _register_counts(session: Session) -> dict[str, Any]:
    """The same figures counted straight from the registers, without the statistics module."""
    first, last = dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)
    start, end = dt.datetime(YEAR, 1, 1), dt.datetime(YEAR + 1, 1, 1)
    plans = session.scalars(select(Plan).where(Plan.status != PlanStatus.ABOLISHED)).all()
    drills = session.scalars(
        select(Drill).where(Drill.starts_at >= start, Drill.starts_at < end,
                            Drill.status != DrillStatus.CANCELLED)
    ).all()  # fmt: skip
    trainings = session.scalars(
        select(TrainingEvent).where(TrainingEvent.starts_at >= start, TrainingEvent.starts_at < end)
    ).all()
    members = session.scalars(select(Member).where(Member.active.is_(True))).all()
    usable: dict[str, Decimal] = {}
    for lot in session.scalars(select(Lot)):
        if lot.holder.kind != HolderKind.DEPOT:
            continue
        if lot.expiry_date is not None and lot.expiry_date < last:
            continue
        qty = sum((m.quantity for m in session.scalars(
            select(Movement).where(Movement.lot_id == lot.id, Movement.moved_on <= last))),
            D(0))  # fmt: skip
        usable[lot.material.uom] = usable.get(lot.material.uom, D(0)) + qty
    return {
        "plans": len(plans),
        "filed": sum(1 for p in plans if p.filed_on and first <= p.filed_on <= last),
        "drills": len(drills),
        "participants": sum(len(d.participants) for d in drills),
        "trainings": (len(trainings), sum(t.headcount for t in trainings)),
        "teams": session.scalar(select(func.count(Team.id))),
        "members": len(members),
        "usable": {u: q for u, q in usable.items() if q},
    }


def test_the_workbook_totals_equal_the_core_and_the_registers(
    data: Database, tmp_path: Path
) -> None:
    out = tmp_path / "annual.xlsx"
    with data.sessions() as session:
        result = build_report(session, "annual-statistics", out, as_of=AS_OF, year=YEAR)
        stats = annual_statistics(session, YEAR)
        counted = _register_counts(session)
    assert result.path == out and result.figures == stats.summary()
    sheets = _sheets(out)
    expected = sections(stats)
    assert list(sheets) == [s.zh[:31] for s in expected]
    for section in expected:  # the fixed layout: title, unit/date, header, rows, totals
        rows = sheets[section.zh]
        assert rows[0][0] == f"{YEAR} 年度统计 — {section.zh}"
        assert rows[2] == [c.zh for c in section.columns]
        assert len(rows) == 3 + len(section.rows) + len(section.totals)
    summary = {r[0]: r[1] for r in sheets["总览"][3:]}
    assert summary["应急预案（件）"] == counted["plans"] == 4
    assert summary["年末可用储备物资价值（元）"] == pytest.approx(14150.00)

    def total(sheet: str, label: str = "合计") -> list[Any]:
        return next(r for r in sheets[sheet] if r[0] == label)

    assert total("应急预案")[2:] == [counted["plans"], 2, counted["filed"]]
    assert total("应急演练")[3:] == [counted["drills"], counted["participants"], 1, 2, 1]
    assert total("培训与宣教")[2:] == list(counted["trainings"]) == [2, 150]
    assert total("救援队伍与队员")[2:] == [counted["teams"], counted["members"], 3]
    assert total("按街镇汇总")[1:] == [4, 3, 3, 2, 150, 3, 5]
    for uom, qty in counted["usable"].items():  # one total per unit of measure
        row = total("物资储备", f"合计（{uom}）")
        assert row[3] == uom and D(str(row[4])) == qty == stats.reserves_by_uom()[uom]["usable"]
    assert total("技能大比武")[2:] == [2, 4, 2]
    # a competition two street-towns entered counts once in the total
    assert total("技能大比武（按街镇）")[1:] == [1, 2, 4, 1]


def test_the_json_holds_the_same_tables(data: Database, tmp_path: Path) -> None:
    import json

    out = tmp_path / "annual.json"
    code = main(["--db", data.url, "report", "annual-statistics", "--year", str(YEAR),
                 "-o", str(out), "--as-of", AS_OF.isoformat()])  # fmt: skip
    assert code == 0
    saved = json.loads(out.read_text(encoding="utf-8"))
    with data.sessions() as session:
        stats = annual_statistics(session, YEAR)
    expected = sections(stats)
    assert saved["year"] == YEAR and saved["year_end"] == "2025-12-31"
    assert saved["summary"]["plans"] == 4 and saved["summary"]["reserve_value"] == 14150
    assert [s["key"] for s in saved["sections"]] == [s.key for s in expected]
    by_key = {s["key"]: s for s in saved["sections"]}
    assert by_key["competitions_by_street"]["rows"] == [[ZJJ, 1, 1, 3, 1], [NO_STREET, 1, 1, 1, 0]]
    assert by_key["drills"]["totals"][0][3:] == [3, 3, 1, 2, 1]
    reserves = {r[3]: r[4] for r in by_key["reserves"]["totals"]}
    assert reserves == {"件": 69, "条": 1000, "床": 38}
    assert [c["title"] for c in by_key["plans"]["columns"]] == [c.zh for c in expected[2].columns]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_pdf_prints_the_figures(data: Database, tmp_path: Path, lang: str) -> None:
    out = tmp_path / "annual.pdf"
    with data.sessions() as session:
        result = build_report(session, "annual-statistics", out, as_of=AS_OF, year=YEAR, lang=lang)
    reader = PdfReader(str(out))
    flat = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert result.figures["drills"] == 3
    assert "14,150.00" in flat and "6,200.00" in flat and "5,700.00" in flat
    if lang == "zh":
        assert "2025年度应急管理工作统计" in flat and "统计截止日期：2025-12-31" in flat
        for text in ("合计（件）", "合计（条）", "合计（床）", ZJJ, "救援队伍与队员", "第1页共"):
            assert text in flat
    else:
        assert "EmergencyManagementStatistics2025" in flat and "Total(件)" in flat


def test_the_kind_is_registered_and_listed_by_the_command() -> None:
    from drillplan.cli.reports import KIND_NAMES

    assert KINDS["annual-statistics"].needs_year
    assert "annual-statistics" in KIND_NAMES


def test_the_command_writes_both_files(data: Database, tmp_path: Path) -> None:
    for name in ("a.pdf", "a.xlsx"):
        code = main(["--db", data.url, "report", "annual-statistics", "--year", str(YEAR),
                     "-o", str(tmp_path / name), "--as-of", AS_OF.isoformat()])  # fmt: skip
        assert code == 0 and (tmp_path / name).stat().st_size > 0
    assert "合计" in str(_sheets(tmp_path / "a.xlsx")["应急演练"])


@pytest.mark.parametrize(
    ("args", "field"),
    [(["--year", "1899"], "年份"), (["--year", "2200"], "年份"), (["--year", "x"], "年份"),
     (["--lang", "fr"], "--lang")],
)  # fmt: skip
def test_bad_input_is_exit_2_naming_the_field(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], args: list[str], field: str
) -> None:
    out = tmp_path / "a.pdf"
    with pytest.raises(SystemExit) as exc:
        main(["--db", str(tmp_path / "x.sqlite3"), "report", "annual-statistics", "-o", str(out),
              *args])  # fmt: skip
    assert exc.value.code == 2
    assert field in capsys.readouterr().err and not out.exists()


def test_a_name_like_a_formula_stays_text_in_the_workbook(data: Database, tmp_path: Path) -> None:
    with data.session() as session:
        session.add(Competition(year=2025, title="=1+1", held_on=dt.date(2025, 12, 1)))
    out = tmp_path / "a.xlsx"
    with data.sessions() as session:
        build_report(session, "annual-statistics", out, as_of=AS_OF, year=YEAR)
    titles = [r[0] for r in _sheets(out)["技能大比武"][3:]]
    assert "=1+1" in titles
