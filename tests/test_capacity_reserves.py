"""Capacity reserves (产能储备): create, edit, delete, refusals with their field, the audit
log, the shared-mode guard, an import round trip, and the shortfall beside which they show."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from drillplan.auth.context import bind_actor
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, CapacityReserve, Material
from drillplan.interchange.exporter import export_file
from drillplan.interchange.importer import import_file
from drillplan.interchange.kinds import KINDS
from drillplan.kernel.errors import EditConflict, PermissionDenied, ValidationError
from drillplan.kernel.vocab import DepotTier
from drillplan.reserves import capacity
from drillplan.reserves.cover import capacity_by_material
from drillplan.stock import catalogue, coverage
from tests import factories as f
from tests.support.org import actor_of, build_org

TODAY = dt.date(2026, 3, 1)


def _bags(db: Database) -> int:
    with db.session() as session:
        f.unit(session, "310118-YJJ", name="青浦区应急管理局")
        return f.material(session, "3010101", name="编织袋", uom="条").id


def _good(material_id: int, **kw: object) -> dict[str, object]:
    return {
        "code": "CN-1", "supplier": "练塘塑料编织厂", "contact": "夏建明",
        "phone": "13917625408", "material_id": material_id, "promised_qty": "100,000",
        "lead_time_hours": "3天", "valid_from": "2026/1/1", "valid_until": "2027年12月31日",
    } | kw  # fmt: skip


def test_create_edit_delete_with_audit_log(db: Database) -> None:
    bags = _bags(db)
    with db.session() as session:
        row = capacity.create_capacity_reserve(session, user="li", **_good(bags))
        assert (row.promised_qty, row.lead_time_hours) == (Decimal(100000), 72)
        assert row.valid_until == dt.date(2027, 12, 31)
        version = row.row_version
    with db.session() as session:
        rid = session.scalar(select(CapacityReserve.id))
        assert rid is not None
        capacity.update_capacity_reserve(
            session, reserve_id=rid, expected_version=version, user="li", lead_time_hours="48小时"
        )
    with db.session() as session:
        row = session.get_one(CapacityReserve, rid)
        assert row.lead_time_hours == 48 and row.row_version == version + 1
        with pytest.raises(EditConflict):
            capacity.update_capacity_reserve(
                session, reserve_id=rid, expected_version=version, promised_qty="1"
            )
    with db.session() as session:
        capacity.delete_capacity_reserve(session, reserve_id=rid, user="li")
    with db.session() as session:
        actions = session.scalars(
            select(AuditLog.action).where(AuditLog.table_name == "capacity_reserve")
        ).all()
        assert session.scalar(select(CapacityReserve.id)) is None
    assert actions == [
        "capacity_reserve.create", "capacity_reserve.update", "capacity_reserve.delete",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"phone": "123"}, "phone"),
        ({"promised_qty": "-5"}, "promised_qty"),
        ({"promised_qty": ""}, "promised_qty"),
        ({"lead_time_hours": "两天"}, "lead_time_hours"),
        ({"lead_time_hours": "1.5小时"}, "lead_time_hours"),
        ({"valid_until": "2025-01-01"}, "valid_until"),
        ({"valid_from": "2026-13-01"}, "valid_from"),
        ({"material_id": None}, "material_id"),
        ({"supplier": None}, "supplier"),
        ({"code": "CN 1"}, "code"),
    ],
)
def test_bad_input_is_refused_with_its_field(
    db: Database, change: dict[str, object], field: str
) -> None:
    bags = _bags(db)
    with pytest.raises(ValidationError) as err, db.session() as session:
        capacity.create_capacity_reserve(session, **(_good(bags) | change))
    assert err.value.field == field
    with db.session() as session:
        assert session.scalar(select(CapacityReserve.id)) is None


def test_supplier_named_by_its_unit_and_lead_time_words() -> None:
    assert capacity.parse_lead_time("48") == 48
    assert capacity.parse_lead_time("２天") == 48
    assert capacity.parse_lead_time("36 h") == 36
    assert capacity.lead_time_text(72) == "3 天" and capacity.lead_time_text(48) == "48 小时"


def test_import_round_trip(db: Database, tmp_path: Path) -> None:
    bags = _bags(db)
    with db.session() as session:
        unit = f.unit(session, "QY-LT", name="上海青浦练塘塑料编织厂", kind="enterprise")
        capacity.create_capacity_reserve(
            session, **_good(bags, supplier=None, supplier_unit_id=unit.id)
        )
    path = tmp_path / "capacity.xlsx"
    with db.session() as session:
        export_file(session, "capacity-reserves", path)
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    header = [c.value for c in sheet[1]]
    qty = header.index("承诺数量") + 1
    sheet.cell(row=2, column=qty, value=80000)
    sheet.append(["CN-2", "上海青浦区粮油储备有限公司", None, "沈玉芳", "021-59728816", "3010101",
                  500, "48小时"])  # fmt: skip
    book.save(path)
    with db.session() as session:
        report = import_file(session, KINDS["capacity-reserves"], path, today=TODAY)
    assert report.problems == [], report.problems
    assert (report.created, report.updated) == (1, 1)
    with db.session() as session:
        rows = {r.code: r for r in session.scalars(select(CapacityReserve))}
        assert rows["CN-1"].promised_qty == Decimal(80000)
        assert rows["CN-1"].supplier == "上海青浦练塘塑料编织厂"
        assert rows["CN-1"].supplier_unit_id is not None
        assert (rows["CN-2"].lead_time_hours, rows["CN-2"].phone) == (48, "021-59728816")
    # a bad row is refused in its column with the form's message, nothing written
    sheet.append(["CN-3", "某厂", None, None, "5972", "3010101", 1, "1天"])
    book.save(path)
    with db.session() as session:
        report = import_file(session, KINDS["capacity-reserves"], path, today=TODAY)
    assert [(p.column, p.row) for p in report.problems] == [("联系电话", 4)]
    with db.session() as session:
        assert len(session.scalars(select(CapacityReserve)).all()) == 2


def test_cli_add_list_edit_remove(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    _bags(db)
    base = ["--db", db.url, "capacity"]
    assert main([*base, "add", "--code", "CN-9", "--supplier", "某厂", "--material", "编织袋",
                 "--qty", "500", "--lead-time", "2天", "--format", "json"]) == 0  # fmt: skip
    assert '"lead_time_hours": 48' in capsys.readouterr().out
    assert main([*base, "add", "--code", "CN-8", "--supplier", "某厂", "--material", "编织袋",
                 "--qty", "500", "--lead-time", "soon"]) == 2  # fmt: skip
    assert "lead_time_hours: " in capsys.readouterr().err
    assert main([*base, "edit", "CN-9", "--qty", "700", "--format", "json"]) == 0
    assert '"promised_qty": 700' in capsys.readouterr().out
    assert main([*base, "list", "--format", "csv"]) == 0
    assert "CN-9,某厂,3010101,编织袋,700" in capsys.readouterr().out
    assert main([*base, "remove", "CN-9"]) == 0
    with db.session() as session:
        assert session.scalar(select(CapacityReserve.id)) is None


def test_shared_mode_viewer_and_street_editor_refused(db: Database) -> None:
    org = build_org(db)
    fields = _good(org.material)
    for username in ("viewer", "keeper1"):
        bind_actor(db, actor_of(db, username))
        with pytest.raises(PermissionDenied), db.session() as session:
            capacity.create_capacity_reserve(session, **fields)
    bind_actor(db, actor_of(db, "district"))
    with db.session() as session:
        capacity.create_capacity_reserve(session, **fields)
    bind_actor(db, None)
    with db.session() as session:
        assert session.scalar(select(CapacityReserve.code)) == "CN-1"


def test_shortfall_shows_capacity_beside_it_without_counting(db: Database) -> None:
    bags = _bags(db)
    with db.session() as session:
        owner = session.scalar(select(Material.id))  # any id, just to have the session warm
        assert owner is not None
        unit = f.unit(session, "310118001", name="夏阳街道")
        depot = catalogue.create_depot(
            session,
            code="CK-1",
            name="夏阳街道储备点",
            tier=DepotTier.STREET,
            owner_unit_id=unit.id,
        )
        catalogue.set_quota(session, depot_id=depot.id, material_id=bags, required_qty=3000)
        capacity.create_capacity_reserve(session, **_good(bags))
        capacity.create_capacity_reserve(
            session, **_good(bags, code="CN-OLD", valid_until="2026-02-01", valid_from=None)
        )
    with db.session() as session:
        (line,) = coverage.quota_lines(session, as_of=TODAY)
        covers = capacity_by_material(session, [bags], as_of=TODAY)[bags]
    assert (line.usable, line.shortfall) == (0, Decimal(3000))  # not counted as stock
    assert [c.code for c in covers] == ["CN-1"]  # the lapsed one is not offered
    assert covers[0].covers(line.shortfall)
    assert covers[0].text("条") == "练塘塑料编织厂（CN-1）承诺 100,000 条，3 天内"
