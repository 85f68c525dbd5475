"""Quantities, money, ids, dates and text within what the database stores (issue "No input
breaks it"): the one parser, each door, and both backends where the backend matters."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from drillplan.cli.main import main
from drillplan.db import append_only, migrate
from drillplan.db.database import Database
from drillplan.db.engine import make_engine
from drillplan.db.models import Lot, Movement
from drillplan.kernel.errors import ValidationError
from drillplan.kernel.values import (
    parse_date,
    parse_id,
    parse_money,
    parse_optional_money,
    parse_quantity,
)
from drillplan.stock import catalogue, ledger
from drillplan.stock.check import run_checks
from tests import factories as f
from tests.conftest import BACKENDS, PG_URL, reset_postgres

TODAY = dt.date.today()


# ------------------------------------------------------------------------- the one parser


@pytest.mark.parametrize(
    ("raw", "rule"),
    [
        ("NaN", "not_finite"),
        ("nan", "not_finite"),
        ("Infinity", "not_finite"),
        ("-inf", "not_finite"),
        (float("inf"), "not_finite"),
        (float("nan"), "not_finite"),
        ("1e309", "out_of_range"),
        ("1e29", "out_of_range"),
        ("1000000000000.001", "out_of_range"),
        ("99999999999999999999", "out_of_range"),
        ("-1", "not_positive"),
        ("0", "not_positive"),
        ("1.2345", "too_many_decimals"),
        ("1e-9", "too_many_decimals"),
        ("garbage", "not_a_number"),
        ("", "required"),
        (True, "not_a_number"),
    ],
)
def test_bad_quantities_are_refused_with_the_reason(raw: object, rule: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_quantity(raw, field="qty")
    assert info.value.field == "qty"
    assert info.value.rule == rule
    assert "数量" in info.value.message and info.value.message_en


def test_quantity_limit_and_value_are_in_the_message() -> None:
    with pytest.raises(ValidationError) as info:
        parse_quantity("1e29", field="quantity")
    assert "10^12" in info.value.message and "1e29" in info.value.message
    assert "10^12" in (info.value.message_en or "") and "1e29" in (info.value.message_en or "")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1", Decimal(1)),
        ("1,234.5", Decimal("1234.5")),
        ("１２", Decimal(12)),
        ("1e3", Decimal("1E+3")),
        ("1000000000000", Decimal(10) ** 12),
        ("0.001", Decimal("0.001")),
        ("2.5000", Decimal("2.500")),
        (7, Decimal(7)),
        (Decimal("3.25"), Decimal("3.25")),
    ],
)
def test_good_quantities(raw: object, expected: Decimal) -> None:
    assert parse_quantity(raw) == expected


def test_quantity_signs() -> None:
    assert parse_quantity("0", sign="non_negative") == 0
    assert parse_quantity("-5", sign="any") == -5
    with pytest.raises(ValidationError, match="绝对值"):
        parse_quantity("-1e13", sign="any")
    with pytest.raises(ValidationError) as info:
        parse_quantity("-1", sign="non_negative")
    assert info.value.rule == "negative"


def test_money_allows_zero_and_speaks_of_money() -> None:
    assert parse_money("0") == 0  # a donation
    assert parse_money("12.50") == Decimal("12.50")
    assert parse_optional_money("") is None
    for raw, rule in [
        ("-1", "negative"),
        ("1.005", "too_many_decimals"),
        ("1e309", "out_of_range"),
        ("10000000000.01", "out_of_range"),
        ("NaN", "not_finite"),
        ("abc", "not_a_number"),
    ]:
        with pytest.raises(ValidationError) as info:
            parse_money(raw, field="unit_cost", what="单价", what_en="unit cost")
        assert info.value.rule == rule, raw
        assert "单价" in info.value.message and "数量" not in info.value.message
        assert "unit cost" in (info.value.message_en or "")
        assert "quantity" not in (info.value.message_en or "")


@pytest.mark.parametrize("raw", ["0", "-1", "99999999999999999999", "1.5", "x", "1e309"])
def test_ids_within_a_64_bit_key(raw: str) -> None:
    with pytest.raises(ValidationError):
        parse_id(raw, field="lot")
    assert parse_id(str(2**63 - 1), field="lot") == 2**63 - 1


@pytest.mark.parametrize("raw", ["9999-12-31", "1899-12-31", "2200-01-01", "0001-01-01"])
def test_dates_no_field_means_are_refused(raw: str) -> None:
    with pytest.raises(ValidationError) as info:
        parse_date(raw, field="expiry_date")
    assert info.value.rule == "date_out_of_range"
    assert raw in info.value.message


def test_impossible_date_says_why() -> None:
    with pytest.raises(ValidationError, match="2026年2月没有30日"):
        parse_date("2026-02-30")


# ------------------------------------------------------------------------- domain, both backends


def _stock(db: Database) -> dict[str, int]:
    with db.session() as session:
        owner = f.unit(session)
        mat = f.material(session)
        _depot, holder = f.depot(session, owner)
        return {"material_id": mat.id, "holder_id": holder.id}


def _receive(db: Database, ids: dict[str, int], **kw: object) -> ledger.Changes:
    with db.session() as session:
        args: dict[str, object] = {
            "quantity": "10",
            "on": TODAY,
            "batch_no": "B1",
            "expiry_date": dt.date(2030, 1, 1),
        }
        args.update(kw)
        return ledger.receive(session, **ids, **args)  # type: ignore[arg-type]


@pytest.mark.parametrize("qty", ["1e29", "1e309", "Infinity", "NaN", Decimal("Infinity")])
def test_receive_refuses_a_quantity_the_column_cannot_hold(db: Database, qty: object) -> None:
    ids = _stock(db)
    with pytest.raises(ValidationError) as info:
        _receive(db, ids, quantity=qty)
    assert info.value.field == "quantity"
    with db.session() as session:
        assert session.scalar(select(Lot.id)) is None


def test_receive_takes_up_to_the_limit_and_no_more(db: Database) -> None:
    ids = _stock(db)
    _receive(db, ids, quantity="1000000000000")
    with db.session() as session:
        assert session.scalar(select(Lot.on_hand)) == Decimal(10) ** 12
    with pytest.raises(ValidationError, match="10\\^12"):
        _receive(db, ids, quantity="1")
    with db.session() as session:
        assert run_checks(session) == []


def test_receive_cost_zero_is_a_donation_and_bad_costs_speak_of_money(db: Database) -> None:
    ids = _stock(db)
    _receive(db, ids, unit_cost="0")
    with db.session() as session:
        assert session.scalar(select(Lot.unit_cost)) == 0
    with pytest.raises(ValidationError) as info:
        _receive(db, ids, batch_no="B2", unit_cost="1e29")
    assert info.value.field == "unit_cost" and "单价" in info.value.message


def test_stocktake_refuses_infinity_and_huge_lot_ids(db: Database) -> None:
    ids = _stock(db)
    lot_id = _receive(db, ids).movements[0].lot_id
    for counted in ({lot_id: "1e309"}, {lot_id: "inf"}, {10**20: "1"}, {lot_id: "-1"}):
        with pytest.raises(ValidationError) as info, db.session() as session:
            ledger.count(session, holder_id=ids["holder_id"], counted=counted, on=TODAY)
        assert info.value.field == "counted"
    with db.session() as session:
        assert session.get(Lot, lot_id).on_hand == 10  # type: ignore[union-attr]


def test_over_long_text_is_refused_before_the_database_sees_it(db: Database) -> None:
    ids = _stock(db)
    with pytest.raises(ValidationError) as info:
        _receive(db, ids, supplier="供" * 5000)
    assert info.value.field == "supplier"
    assert "120" in info.value.message and "120" in (info.value.message_en or "")
    assert info.value.rule == "too_long"
    with pytest.raises(ValidationError) as info:
        _receive(db, ids, document_no="x" * 61)
    assert info.value.field == "document_no"
    with pytest.raises(ValidationError) as info, db.session() as session:
        catalogue.create_material(
            session, code="1010101", name="帐篷", uom="顶", spec="s" * 121
        )  # the domain's own check speaks first
    assert info.value.field == "spec"


def test_nul_characters_are_refused(db: Database) -> None:
    ids = _stock(db)
    with pytest.raises(ValidationError) as info:
        _receive(db, ids, supplier="a\x00b")
    assert info.value.rule == "nul_character"


def test_a_date_beyond_2199_never_reaches_the_database(db: Database) -> None:
    ids = _stock(db)
    with pytest.raises(ValidationError) as info:
        _receive(db, ids, expiry_date=dt.date(9999, 12, 31))
    assert info.value.field == "expiry_date"
    assert info.value.rule == "date_out_of_range"


def test_material_reference_price_and_quota_use_the_same_rules(db: Database) -> None:
    with db.session() as session:
        owner = f.unit(session)
        depot, _holder = f.depot(session, owner)
        for price in ("1e309", "NaN", "-1", "1.001"):
            with pytest.raises(ValidationError) as info:
                catalogue.create_material(
                    session, code="1010102", name="棉被", uom="条", reference_price=price
                )
            assert info.value.field == "reference_price"
            assert "参考单价" in info.value.message
        zero = catalogue.create_material(
            session, code="1010103", name="捐赠物资", uom="件", reference_price="0"
        )
        assert zero.reference_price == 0
        for qty in ("1e29", "NaN", "-5"):
            with pytest.raises(ValidationError) as info:
                catalogue.set_quota(
                    session, depot_id=depot.id, material_id=zero.id, required_qty=qty
                )
            assert info.value.field == "required_qty"


# ------------------------------------------------------------------------- the command line


def _cli_db(db: Database) -> tuple[str, dict[str, int]]:
    ids = _stock(db)
    return db.url, ids


RECEIVE = ["stock", "receive", "--holder", "D1", "--material", "2010101", "--batch", "C1"]


def test_cli_qty_1e29_and_cost_messages(db: Database, capsys: pytest.CaptureFixture[str]) -> None:
    url, _ids = _cli_db(db)
    assert main(["--db", url, *RECEIVE, "--qty", "1e29"]) == 2
    err = capsys.readouterr().err
    assert "数量" in err and "10^12" in err and "Traceback" not in err
    assert main(["--db", url, *RECEIVE, "--qty", "1", "--cost", "abc"]) == 2
    err = capsys.readouterr().err
    assert "单价" in err and "数量" not in err and "quantity" not in err
    assert main(["--db", url, *RECEIVE, "--qty", "1", "--cost", "0"]) == 0
    capsys.readouterr()
    with db.session() as session:
        assert session.scalar(select(Lot.unit_cost)) == 0


def test_cli_count_1e309_leaves_the_lot_alone(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    url, ids = _cli_db(db)
    lot_id = _receive(db, ids).movements[0].lot_id
    count = ["stock", "count", "--holder", "D1"]
    assert main(["--db", url, *count, "--lot", f"{lot_id}=1e309"]) == 2
    assert main(["--db", url, *count, "--lot", "99999999999999999999=1"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "9223372036854775807" in err
    with db.session() as session:
        assert session.get(Lot, lot_id).on_hand == 10  # type: ignore[union-attr]
        assert len(session.scalars(select(Movement)).all()) == 1
    assert main(["--db", url, "stock", "lots"]) == 0
    assert main(["--db", url, "check"]) == 0


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["stock", "ledger", "--lot", "99999999999999999999"], "9223372036854775807"),
        (["users", "log", "--limit", "99999999999999999999"], "limit"),
        (["drills", "schedule", "--year", "99999"], "year"),
        (["report", "plans", "-o", "x.pdf", "--year", "99999"], "year"),
        (["audit", "expiry", "--tier", "X"], "市级"),
        (["audit", "shortfall", "--tier", "X"], "city"),
        (["readiness", "--as-of", "2026-02-30"], "2026年2月没有30日"),
        (["readiness", "--as-of", "9999-12-31"], "2199-12-31"),
        (["stock", "write-off", "--lot", "1", "--qty", "1", "--reason", "X"], "可选"),
        (["stock", "lots", "--format", "X"], "table、json、csv"),
    ],
)
def test_cli_bad_options_say_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    path = str(tmp_path / "t.sqlite3")
    with pytest.raises(SystemExit) as info:
        status = main(["--db", path, *argv])
        raise SystemExit(status)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert words in err and "Traceback" not in err


def test_check_finds_values_written_before_the_constraints(tmp_path: Path) -> None:
    """A SQLite file written by an older drillplan may hold Inf; check proves it is there."""
    from drillplan.db.database import open_db

    database = open_db(tmp_path / "old.sqlite3")
    ids = _stock(database)
    lot_id = _receive(database, ids, unit_cost="2").movements[0].lot_id
    with database.engine.begin() as conn:
        conn.exec_driver_sql("PRAGMA ignore_check_constraints = ON")
        conn.execute(
            text("UPDATE lot SET on_hand = 9e999, unit_cost = 1e29 WHERE id = :i"), {"i": lot_id}
        )
        conn.exec_driver_sql("PRAGMA ignore_check_constraints = OFF")
    with database.session() as session:
        found = {(v.rule, v.table, v.row_id) for v in run_checks(session)}
    database.close()
    assert ("number.finite", "lot", lot_id) in found
    assert main(["--db", str(tmp_path / "old.sqlite3"), "check"]) == 1
    assert main(["--db", str(tmp_path / "old.sqlite3"), "stock", "lots", "--format", "json"]) == 0


# ------------------------------------------------------------------------- migration 0008


def _previous_revision() -> str:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(migrate.alembic_config())
    previous = script.get_revision("0008").down_revision
    assert isinstance(previous, str)
    return previous


@pytest.mark.parametrize("backend", BACKENDS)
def test_upgrade_keeps_old_bad_values_for_check_to_report(backend: str, tmp_path: Path) -> None:
    """A database written before 0008 may hold Inf (SQLite) or NaN (PostgreSQL): the upgrade
    does not refuse to open it, ``check`` names the rows, and no new such value gets in."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
        bad = "9e999"  # SQLite's Inf
    else:
        assert PG_URL is not None
        reset_postgres(PG_URL)
        url = PG_URL
        bad = "'NaN'"
    engine = make_engine(url)
    cfg = migrate.alembic_config(engine)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, _previous_revision())
    with engine.begin() as conn:  # the rows as that revision's schema has them (no ORM: the
        # models describe the newest schema, with columns added since)

        def insert(sql: str) -> int:
            return int(conn.execute(text(sql + " RETURNING id")).scalar_one())

        owner = insert(
            "INSERT INTO unit (code, name, kind, tier, row_version)"
            " VALUES ('U1', '单位U1', 'department', 'district', 1)"
        )
        material_id = insert(
            "INSERT INTO material (code, name, uom, shelf_life_days, needs_rotation,"
            " flood_control, criticality) VALUES ('2010101', '救生衣', '件', 1825, false, false,"
            " 'general')"
        )
        depot = insert(
            "INSERT INTO depot (code, name, tier, owner_unit_id, row_version)"
            f" VALUES ('D1', '仓库D1', 'district', {owner}, 1)"
        )
        holder = insert(f"INSERT INTO holder (kind, depot_id) VALUES ('depot', {depot})")
        lot_id = insert(
            "INSERT INTO lot (material_id, holder_id, batch_no, production_date, expiry_date,"
            f" on_hand, unit_cost, row_version) VALUES ({material_id}, {holder}, 'B1',"
            " '2024-01-01', '2029-01-01', 0, 1, 1)"
        )
    with engine.begin() as conn:
        conn.execute(text(f"UPDATE lot SET unit_cost = {bad} WHERE id = {lot_id}"))
        if backend == "sqlite":
            conn.execute(text(f"UPDATE lot SET on_hand = {bad} WHERE id = {lot_id}"))
    migrate.upgrade(engine, backup=False)
    assert migrate.current_revision(engine) == migrate.head_revision()
    with Session(engine) as session:
        found = {(v.rule, v.table, v.row_id) for v in run_checks(session)}
    assert ("number.finite", "lot", lot_id) in found
    with engine.connect() as conn:  # rebuilding movement kept it append-only
        assert append_only.installed(conn) == set(append_only.TABLES)
    for assignment in ("unit_cost = 10000000001", "on_hand = 1000000000001", f"on_hand = {bad}"):
        with pytest.raises(IntegrityError), engine.begin() as conn:  # the type holds them
            conn.execute(text(f"UPDATE lot SET {assignment} WHERE id = {lot_id}"))
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(text(f"UPDATE material SET reference_price = {bad} WHERE id = {material_id}"))
    engine.dispose()


def test_columns_hold_exactly_the_parser_range(db: Database) -> None:
    """The CHECKs of 0008 take the largest values the parser lets in and refuse the next."""
    ids = _stock(db)
    lot_id = _receive(db, ids).movements[0].lot_id
    with db.engine.begin() as conn:
        top = "on_hand = 1000000000000, unit_cost = 10000000000"
        conn.execute(text(f"UPDATE lot SET {top} WHERE id = {lot_id}"))
    for sql in (
        f"UPDATE lot SET on_hand = 1000000000000.001 WHERE id = {lot_id}",
        f"UPDATE lot SET unit_cost = 10000000000.01 WHERE id = {lot_id}",
        f"UPDATE lot SET on_hand = -1 WHERE id = {lot_id}",
    ):
        with pytest.raises(IntegrityError), db.engine.begin() as conn:
            conn.execute(text(sql))


# ------------------------------------------------------------------------- the import door


@pytest.mark.parametrize(
    ("quantity", "register_only", "cost", "column"),
    [
        (1e29, "", 5, "数量"),  # a receipt
        (0, "是", 1e11, "单价（元）"),  # a register-only lot, inserted without the ORM
        ("1e309", "", 5, "数量"),
        (5, "", "0.001", "单价（元）"),
    ],
)
def test_an_import_obeys_the_same_limits(
    db: Database, tmp_path: Path, quantity: object, register_only: str, cost: object, column: str
) -> None:
    from openpyxl import Workbook

    from drillplan.interchange.importer import import_file

    with db.session() as session:
        owner = f.unit(session)
        f.material(session, code="3010101", name="编织袋", uom="条")
        f.depot(session, owner, code="QP-D01")
    path = tmp_path / "lots.xlsx"
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["库点", "物资编码", "批号", "数量", "仅登记", "单价（元）"])
    ws.append(["QP-D01", "3010101", "Z-1", quantity, register_only, cost])
    wb.save(path)
    with db.session() as session:
        report = import_file(session, "lots", path, today=TODAY, operator="importer")
    assert not report.written and report.problems
    assert column in {p.column for p in report.problems}
    with db.session() as session:
        assert session.scalar(select(Lot.id)) is None
