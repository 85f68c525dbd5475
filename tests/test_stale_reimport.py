"""A re-import does not undo someone else's change: exports carry 记录版本, and a row the
import would change whose record changed since the export is refused, naming who changed it
and when, unless --overwrite; a sheet without the column imports as before."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import (
    CapacityReserve,
    Depot,
    Drill,
    Material,
    Plan,
    Team,
    TrainingEvent,
    Unit,
)
from drillplan.drills import editing
from drillplan.interchange import stale
from drillplan.interchange.exporter import export_file
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.kernel.vocab import EmergencyCategory, PlanKind
from drillplan.org import teams, units
from drillplan.plans.register import create_plan, update_plan
from drillplan.reserves import capacity
from drillplan.stock import catalogue
from drillplan.trainings import events as trainings
from tests import factories as f

TODAY = dt.date(2025, 6, 1)
HEADER = "记录版本"


@pytest.fixture
def registers(db: Database) -> Database:
    """One row of each register people edit."""
    with db.session() as session:
        unit = f.unit(session, "310118-YJJ", name="青浦区应急管理局")
        material = f.material(session)
        f.depot(session, unit, code="QP-D01")
        f.team(session, unit, code="QP-T01")
        create_plan(
            session, code="QP-ZX-001", title="青浦区防汛防台专项应急预案",
            kind=PlanKind.SPECIAL, category=EmergencyCategory.NATURAL, owner_unit_id=unit.id,
        )  # fmt: skip
        f.drill(session, unit, code="QP-DR-001")
        trainings.create_event(
            session, title="防灾减灾日宣传", kind="科普宣传", starts_at="2025-05-12 09:00",
            organiser_unit_id=unit.id,
        )  # fmt: skip
        capacity.create_capacity_reserve(
            session, code="CN-1", supplier="练塘编织厂", material_id=material.id,
            promised_qty=1000, lead_time_hours=72,
        )  # fmt: skip
    return db


# kind -> (model, how another user changes the row: the field and its new value)
def _unit(s: Session, row: Any) -> None:
    units.update_unit(s, unit_id=row.id, expected_version=None, user="lisi", address="新址 1 号")


def _material(s: Session, row: Any) -> None:
    catalogue.update_material(s, material_id=row.id, user="lisi", spec="新规格")


def _depot(s: Session, row: Any) -> None:
    catalogue.update_depot(s, depot_id=row.id, expected_version=None, user="lisi", keeper="王五")


def _team(s: Session, row: Any) -> None:
    teams.update_team(s, team_id=row.id, expected_version=None, user="lisi", base="新驻地")


def _plan(s: Session, row: Any) -> None:
    update_plan(s, plan_id=row.id, expected_version=row.row_version, user="lisi", notes="备注")


def _drill(s: Session, row: Any) -> None:
    editing.update_drill(
        s, drill_id=row.id, expected_version=None, changes={"venue": "新地点"}, user="lisi"
    )


def _training(s: Session, row: Any) -> None:
    trainings.update_event(s, event_id=row.id, expected_version=None, user="lisi", venue="新地点")


def _capacity(s: Session, row: Any) -> None:
    capacity.update_capacity_reserve(
        s, reserve_id=row.id, expected_version=None, user="lisi", contact="李四"
    )


EDITS: dict[str, tuple[type[Any], Callable[[Session, Any], None], str, object]] = {
    "units": (Unit, _unit, "address", "新址 1 号"),
    "materials": (Material, _material, "spec", "新规格"),
    "depots": (Depot, _depot, "keeper", "王五"),
    "teams": (Team, _team, "base", "新驻地"),
    "plans": (Plan, _plan, "notes", "备注"),
    "drills": (Drill, _drill, "venue", "新地点"),
    "trainings": (TrainingEvent, _training, "venue", "新地点"),
    "capacity-reserves": (CapacityReserve, _capacity, "contact", "李四"),
}


def _export(db: Database, kind: str, path: Path) -> Path:
    with db.session() as session:
        export_file(session, kind, path)
    return path


def _edit_cell(path: Path, cell: str, value: object, *, drop_header: str | None = None) -> None:
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    ws[cell] = value
    if drop_header is not None:
        index = [c.value for c in ws[1]].index(drop_header) + 1
        ws.delete_cols(index)
    wb.save(path)


def _row(db: Database, model: type[Any]) -> Any:
    with db.sessions() as session:
        return session.scalars(select(model)).one()


def _column(path: Path, header: str) -> list[object]:
    ws = load_workbook(path).active
    assert ws is not None
    index = [c.value for c in ws[1]].index(header)
    return [row[index] for row in ws.iter_rows(min_row=2, values_only=True)]


def test_exports_carry_each_rows_version(registers: Database, tmp_path: Path) -> None:
    for kind, (model, *_rest) in EDITS.items():
        path = _export(registers, kind, tmp_path / f"{kind}.xlsx")
        (value,) = _column(path, HEADER)
        row = _row(registers, model)
        if hasattr(model, "row_version"):
            assert value == row.row_version, kind
        else:  # materials: a fingerprint of the row as exported
            assert isinstance(value, str) and len(value) == stale.FINGERPRINT_DIGITS
    facility_kinds = {"facility-classes", "facilities"}  # stamped too: tests/test_facilities.py
    stamped = [k for k, kind in KINDS.items() if kind.stamp is not None]
    assert [k for k in stamped if k not in facility_kinds] == list(EDITS)


@pytest.mark.parametrize("kind", list(EDITS))
def test_a_row_changed_since_the_export_is_refused_unless_overwrite(
    registers: Database, tmp_path: Path, kind: str
) -> None:
    model, edit, field, their_value = EDITS[kind]
    path = _export(registers, kind, tmp_path / f"{kind}.xlsx")
    with registers.session() as session:  # another user edits the row meanwhile
        edit(session, session.scalars(select(model)).one())
    _edit_cell(path, "B2", "导入改过的名称")  # the office edits the file, then re-imports it
    with registers.session() as session:
        report = import_file(session, kind, path, today=TODAY, operator="zhang")
        target = session.scalars(select(model)).one()
        entry = stale.last_change(session, model.__tablename__, target.id)
    assert entry is not None and entry.username == "lisi"
    assert [(p.row, p.column, p.rule) for p in report.problems] == [(2, HEADER, "stale_row")]
    problem = report.problems[0]
    assert "lisi" in problem.message and entry.at.strftime("%Y-%m-%d %H:%M") in problem.message
    assert "--overwrite" in problem.message and "lisi" in problem.message_en
    assert not report.written
    row = _row(registers, model)
    assert getattr(row, field) == their_value  # their change stands
    name_field = {"plans": "title", "drills": "title", "trainings": "title",
                  "capacity-reserves": "supplier"}.get(kind, "name")  # fmt: skip
    assert getattr(row, name_field) != "导入改过的名称"

    with registers.session() as session:
        report = import_file(session, kind, path, today=TODAY, operator="zhang", overwrite=True)
    assert report.problems == [] and report.updated == 1
    row = _row(registers, model)
    assert getattr(row, name_field) == "导入改过的名称"
    assert getattr(row, field) != their_value  # replaced by the file, as asked


def test_a_version_that_still_matches_imports(registers: Database, tmp_path: Path) -> None:
    path = _export(registers, "teams", tmp_path / "teams.xlsx")
    _edit_cell(path, "B2", "青浦区防汛抢险队")
    with registers.session() as session:
        report = import_file(session, "teams", path, today=TODAY)
    assert (report.problems, report.updated) == ([], 1)
    # the same file again: the version moved on, but the import would change nothing
    with registers.session() as session:
        report = import_file(session, "teams", path, today=TODAY)
    assert (report.problems, report.unchanged) == ([], 1)
    assert _row(registers, Team).name == "青浦区防汛抢险队"


def test_new_rows_and_sheets_without_the_column_import_as_before(
    registers: Database, tmp_path: Path
) -> None:
    path = _export(registers, "depots", tmp_path / "depots.xlsx")
    with registers.session() as session:
        _depot(session, session.scalars(select(Depot)).one())
    wb = load_workbook(path)
    ws = wb.active
    assert ws is not None
    row = [c.value for c in ws[2]]
    headers = [c.value for c in ws[1]]
    row[0], row[1], row[headers.index(HEADER)] = "QP-D02", "朱家角镇储备点", None
    ws.append(row)  # a new row, its version blank: created
    ws.cell(row=1, column=len(headers) + 1, value="备注")  # the office's own column
    wb.save(path)
    with registers.session() as session:
        report = import_file(session, "depots", path, dry_run=True, today=TODAY)
    assert [(p.row, p.rule) for p in report.problems] == [(2, "stale_row")]

    # a sheet the office made itself (no 记录版本): imported as before, the extra column kept
    _edit_cell(path, "B2", "青浦区防汛物资仓库", drop_header=HEADER)
    with registers.session() as session:
        report = import_file(session, "depots", path, today=TODAY)
    assert report.problems == [] and (report.created, report.updated) == (1, 1)
    assert report.kept_columns == ["备注"]
    with registers.sessions() as session:
        depots = {d.code: d for d in session.scalars(select(Depot))}
    assert depots["QP-D01"].name == "青浦区防汛物资仓库" and depots["QP-D01"].keeper is None
    assert depots["QP-D02"].name == "朱家角镇储备点"


def test_a_version_that_is_not_a_number_is_a_problem(registers: Database, tmp_path: Path) -> None:
    path = _export(registers, "plans", tmp_path / "plans.xlsx")
    headers = [c.value for c in load_workbook(path).active[1]]  # type: ignore[index]
    letter = chr(ord("A") + headers.index(HEADER))
    _edit_cell(path, f"{letter}2", "三")
    with registers.session() as session:
        report = import_file(session, "plans", path, today=TODAY)
    assert [(p.row, p.column) for p in report.problems] == [(2, HEADER)]
    assert report.problems[0].rule != "stale_row"


def test_the_command_line_exits_2_then_overwrites(
    registers: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "plans.csv"
    assert main(["--db", registers.url, "export", "plans", str(path)]) == 0
    with registers.session() as session:
        _plan(session, session.scalars(select(Plan)).one())
    text = path.read_text(encoding="utf-8-sig").replace("青浦区防汛防台专项应急预案", "新名称")
    path.write_text(text, encoding="utf-8-sig")
    capsys.readouterr()
    argv = ["--db", registers.url, "import", "plans", str(path), "--format", "json"]
    assert main(argv) == 2
    report = json.loads(capsys.readouterr().out)
    assert [(p["row"], p["column"], p["rule"]) for p in report["problems"]] == [
        (2, HEADER, "stale_row")
    ]
    assert main([*argv, "--overwrite"]) == 0
    assert json.loads(capsys.readouterr().out)["updated"] == 1
    assert _row(registers, Plan).title == "新名称"
