"""A credit code that fails its check but is verified can be imported, as in the form:
the teams and units sheets carry a 信用代码已核实 column (the domain's credit_code_override)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select

from drillplan.db.database import Database
from drillplan.db.models import Team, Unit
from drillplan.demo import fingerprint
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.kernel.errors import ValidationError
from drillplan.org import teams
from tests import factories as f

OWNER = "310118-YJJ"
WRONG_CHECK = "52310118MJ5X123401"  # a 52 code whose check character should be X


def _sheet(tmp_path: Path, verified: str | None) -> Path:
    spec = KINDS["teams"]
    keys = ["code", "name", "kind", "owner_unit", "tier", "credit_code"]
    values = ["QP-T77", "青浦测试救援队", "社会应急力量", OWNER, "区级", WRONG_CHECK]
    if verified is not None:
        keys.append("credit_code_override")
        values.append(verified)
    path = tmp_path / "teams.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([spec.column(k).zh for k in keys] + ["备注"])
        out.writerow([*values, "办公室填写"])
    return path


@pytest.fixture
def owned(db: Database) -> Database:
    with db.session() as session:
        f.unit(session, code=OWNER, name="青浦区应急管理局")
    return db


@pytest.mark.parametrize("verified", [None, "否"])
def test_a_failing_code_is_refused_with_the_forms_message(
    owned: Database, tmp_path: Path, verified: str | None
) -> None:
    with owned.session() as session:
        with pytest.raises(ValidationError) as form:
            teams.check_team(
                session, code="QP-T77", name="x", kind="社会应急力量",
                owner_unit_id=session.scalar(select(Unit.id).where(Unit.code == OWNER)),
                tier="区级", credit_code=WRONG_CHECK,
            )  # fmt: skip
        before = fingerprint(session)
    with owned.session() as session:
        report = import_file(session, "teams", _sheet(tmp_path, verified), operator="t")
    assert not report.ok
    problem = next(p for p in report.problems if p.column == "统一社会信用代码")
    assert problem.rule == "bad_credit_code"
    assert problem.message == form.value.message
    with owned.sessions() as session:
        assert fingerprint(session) == before


def test_a_verified_code_is_imported(owned: Database, tmp_path: Path) -> None:
    with owned.session() as session:
        report = import_file(session, "teams", _sheet(tmp_path, "是"), operator="t")
    assert report.ok, report.problems
    with owned.sessions() as session:
        assert session.scalar(select(Team.credit_code).where(Team.code == "QP-T77")) == WRONG_CHECK


def test_the_template_explains_the_column() -> None:
    column = KINDS["teams"].column("credit_code_override")
    assert column.zh == "信用代码已核实" and "是" in column.help
    assert KINDS["units"].column("credit_code_override").zh == "信用代码已核实"
