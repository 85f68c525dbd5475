"""Shared mode on PostgreSQL: a client's database role cannot write outside its user's scope
or rewrite the ledger and the log, even with raw SQL (row-level security and grants)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, ProgrammingError

from drillplan.auth.login import ENV_PASSWORD, ENV_USER
from drillplan.cli.database_roles import ENV_ROLE_PASSWORD
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.engine import make_engine
from tests.conftest import PG_URL, fresh_database
from tests.support.org import PASSWORDS, Org, build_org

pytestmark = pytest.mark.skipif(
    PG_URL is None, reason="needs DRILLPLAN_TEST_DATABASE_URL (PostgreSQL)"
)
ROLE_PASSWORD = "role-secret-1"


@pytest.fixture
def roles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Iterator[tuple[Database, Org, Engine]]:
    database = fresh_database("postgresql", tmp_path)
    org = build_org(database)
    monkeypatch.delenv(ENV_USER, raising=False)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])
    monkeypatch.setenv(ENV_ROLE_PASSWORD, ROLE_PASSWORD)
    assert main(["--db", database.url, "--user", "admin", "db", "roles"]) == 0
    for name in ("keeper1", "viewer"):
        assert main(["--db", database.url, "--user", "admin", "db", "grant", name]) == 0
    capsys.readouterr()
    url = make_url(database.url).set(username="keeper1", password=ROLE_PASSWORD)
    keeper = make_engine(url.render_as_string(hide_password=False))
    yield database, org, keeper
    keeper.dispose()
    database.close()


def _run(engine: Engine, sql: str, **params: object) -> None:
    with engine.begin() as conn:
        conn.execute(text(sql), params)


def test_only_an_administrator_sets_up_roles(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    database = fresh_database("postgresql", tmp_path)
    try:
        build_org(database)
        monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["district"])
        assert main(["--db", database.url, "--user", "district", "db", "roles"]) == 2
        assert "管理员" in capsys.readouterr().err
    finally:
        database.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET username = 'chief'",
        "DELETE FROM audit_log",
        "DELETE FROM movement",
        "UPDATE movement SET quantity = 1",
        "TRUNCATE movement",
        "ALTER TABLE movement DISABLE TRIGGER movement_append_only",
        "DROP TRIGGER audit_log_append_only ON audit_log",
        "UPDATE app_user SET role = 'admin' WHERE username = 'keeper1'",
    ],
)
def test_a_client_role_cannot_rewrite_the_ledger_the_log_or_its_own_role(
    roles: tuple[Database, Org, Engine], sql: str
) -> None:
    _database, _org, keeper = roles
    with pytest.raises(ProgrammingError, match=r"permission denied|must be owner"):
        _run(keeper, sql)


def test_row_level_security_keeps_an_editor_inside_its_scope(
    roles: tuple[Database, Org, Engine],
) -> None:
    _database, org, keeper = roles
    movement = (
        "INSERT INTO movement (lot_id, kind, quantity, moved_on, operator)"
        " VALUES (:lot, 'receipt', 1, '2025-06-01', 'keeper1')"
    )
    with pytest.raises(DBAPIError, match="row-level security"):
        _run(keeper, movement, lot=org.lot2)  # 盈浦街道's lot: not keeper1's street
    with keeper.begin() as conn:  # an UPDATE outside the scope finds no row to change
        result = conn.execute(
            text("UPDATE depot SET address = 'x' WHERE id IN (:a, :b)"),
            {"a": org.depot1, "b": org.depot2},
        )
        assert result.rowcount == 1  # only 夏阳街道's own depot
        conn.rollback()
    with keeper.begin() as conn:  # inside the scope: allowed
        conn.execute(text(movement), {"lot": org.lot1})
        conn.rollback()


def test_the_application_works_through_a_client_role(
    roles: tuple[Database, Org, Engine],
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _database, _org, keeper = roles
    url = keeper.url.render_as_string(hide_password=False)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["keeper1"])
    receive = [
        "--db", url, "--user", "keeper1", "stock", "receive", "--holder", "D-S1",
        "--material", "2010101", "--qty", "5", "--batch", "ROLE-1", "--date", "2025-06-01",
        "--expiry", "2029-01-01",
    ]  # fmt: skip
    assert main(receive) == 0, capsys.readouterr().err
    assert main(["--db", url, "--user", "keeper1", "check"]) == 0, capsys.readouterr().out
