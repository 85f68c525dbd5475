"""Every command opens its session through the one opener (cli/common.py), so every command
logs in where the database requires it: the guard and the audit log see the real user."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from drillplan.auth.login import ENV_PASSWORD, ENV_USER, set_login_required
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, Lot, Movement, Setting
from tests.support.org import PASSWORDS, build_org

RECEIVE = [
    "stock", "receive", "--holder", "D-S1", "--material", "2010101", "--qty", "5",
    "--batch", "NEW-1", "--date", "2025-06-01", "--production", "2025-01-01",
    "--expiry", "2029-01-01",
]  # fmt: skip


@pytest.fixture
def shared(db: Database, monkeypatch: pytest.MonkeyPatch) -> Database:
    build_org(db)
    with db.session() as session:
        set_login_required(session, True)
    for name in (ENV_USER, ENV_PASSWORD):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda *_a, **_k: "")  # no terminal: no password
    return db


def _counts(db: Database) -> tuple[int, int, int]:
    with db.session() as session:
        return (
            session.scalar(select(func.count(Lot.id))) or 0,
            session.scalar(select(func.count(Movement.id))) or 0,
            session.scalar(select(func.count(Setting.key))) or 0,
        )


@pytest.mark.parametrize(
    ("user", "password", "argv"),
    [
        (None, None, RECEIVE),  # nobody named
        ("viewer", PASSWORDS["viewer"], RECEIVE),  # read-only
        ("viewer", PASSWORDS["viewer"], ["settings", "set", "expiry_horizons", "10,20"]),
        ("keeper1", PASSWORDS["keeper1"], [*RECEIVE[:3], "D-S2", *RECEIVE[4:]]),  # not his depot
        ("admin", "wrong-password", RECEIVE),
        ("ghost", "whatever-1", RECEIVE),  # no such user
    ],
    ids=["anonymous", "viewer", "viewer-settings", "out-of-scope", "bad-password", "unknown"],
)
def test_a_refused_identity_changes_nothing(
    shared: Database,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    user: str | None,
    password: str | None,
    argv: list[str],
) -> None:
    before = _counts(shared)
    if password is not None:
        monkeypatch.setenv(ENV_PASSWORD, password)
    status = main(["--db", shared.url, *(["--user", user] if user else []), *argv])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert "错误" in captured.err
    assert _counts(shared) == before


def test_the_logged_in_user_writes_and_is_in_the_audit_log(
    shared: Database, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["keeper1"])
    assert main(["--db", shared.url, "--user", "keeper1", *RECEIVE]) == 0
    assert "receipt" in capsys.readouterr().out
    with shared.session() as session:
        lot_id = session.scalar(select(Lot.id).where(Lot.batch_no == "NEW-1"))
        users = set(
            session.scalars(
                select(AuditLog.username).where(
                    AuditLog.table_name == "lot", AuditLog.row_id == lot_id
                )
            )
        )
    assert users == {"keeper1"}
