"""`drillplan users ...` and `--user NAME`: the command line runs as a named user."""

from __future__ import annotations

import argparse
import json

import pytest

from drillplan.auth.login import ENV_PASSWORD, ENV_USER
from drillplan.auth.users import LoginFailed, get_user
from drillplan.cli import users as auth_cli
from drillplan.db.database import Database
from drillplan.kernel.errors import PermissionDenied
from tests.support.org import PASSWORDS, build_org


def _run(db: Database, *argv: str) -> int:
    """How drillplan/cli/main.py runs a command: global options, then the command as the user."""
    parser = argparse.ArgumentParser(prog="drillplan")
    parser.add_argument("--db")
    auth_cli.add_global_options(parser)
    auth_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--db", db.url, *argv])
    with auth_cli.identity_from_args(args):
        return auth_cli.cmd_users(args)


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV_USER, ENV_PASSWORD, auth_cli.ENV_NEW_PASSWORD):
        monkeypatch.delenv(name, raising=False)


def _listed(db: Database, capsys: pytest.CaptureFixture[str], *login: str) -> dict[str, dict]:
    capsys.readouterr()
    assert _run(db, *login, "users", "list", "--format", "json") == 0
    return {row["username"]: row for row in json.loads(capsys.readouterr().out)}


def test_first_admin_then_named_users_only(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "first-admin-pass")
    # no account yet: the first administrator is added without a login, also when shared
    assert _run(db, "users", "add", "chief", "--role", "admin", "--name", "王主任") == 0
    if db.is_sqlite:  # single-user mode until login is turned on
        assert set(_listed(db, capsys)) == {"chief"}
        assert _run(db, "users", "login-required", "on") == 0
    # from now on (always, on a shared database) every command names its user
    with pytest.raises(PermissionDenied, match="--user"):
        _run(db, "users", "list")
    monkeypatch.setenv(ENV_PASSWORD, "first-admin-pass")
    rows = _listed(db, capsys, "--user", "chief")
    assert rows["chief"]["role"] == "admin" and rows["chief"]["display_name"] == "王主任"
    assert "password_hash" not in rows["chief"]
    monkeypatch.setenv(ENV_USER, "chief")  # or from the environment
    assert set(_listed(db, capsys)) == {"chief"}


def test_admin_commands(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build_org(db)
    admin = ("--user", "admin")
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "zhao-password-1")
    assert _run(db, *admin, "users", "add", "zhao", "--role", "editor", "--unit", "310118002") == 0
    assert _listed(db, capsys, *admin)["zhao"]["unit_code"] == "310118002"
    assert _run(db, *admin, "users", "set", "zhao", "--role", "viewer", "--unit", "-") == 0
    row = _listed(db, capsys, *admin)["zhao"]
    assert (row["role"], row["unit_code"]) == ("viewer", None)

    capsys.readouterr()
    assert _run(db, *admin, "users", "reset", "keeper1") == 0
    temporary = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert _listed(db, capsys, *admin)["keeper1"]["must_change_password"] is True
    monkeypatch.setenv(ENV_PASSWORD, temporary)
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "keeper-new-pass")
    assert _run(db, "--user", "keeper1", "users", "passwd") == 0
    monkeypatch.setenv(ENV_PASSWORD, "keeper-new-pass")
    assert _listed(db, capsys, "--user", "keeper1")["keeper1"]["must_change_password"] is False

    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])
    assert _run(db, *admin, "users", "lock", "keeper1") == 0
    monkeypatch.setenv(ENV_PASSWORD, "keeper-new-pass")
    with pytest.raises(LoginFailed):
        _run(db, "--user", "keeper1", "users", "list")
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])
    assert _run(db, *admin, "users", "unlock", "keeper1") == 0
    monkeypatch.setenv(ENV_PASSWORD, "keeper-new-pass")
    assert _listed(db, capsys, "--user", "keeper1")["keeper1"]["active"] is True


def test_editors_cannot_manage_users_and_wrong_passwords_count(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    build_org(db)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["district"])
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "someone-pass-1")
    with pytest.raises(PermissionDenied, match="管理员"):
        _run(db, "--user", "district", "users", "add", "someone", "--role", "viewer")
    monkeypatch.setenv(ENV_PASSWORD, "wrong-password")
    with pytest.raises(LoginFailed):
        _run(db, "--user", "district", "users", "list")
    with db.session() as session:
        assert get_user(session, "district").failed_logins == 1


def test_audit_log_on_the_command_line(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build_org(db)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "zhao-password-1")
    _run(db, "--user", "admin", "users", "add", "zhao", "--role", "viewer")
    capsys.readouterr()
    argv = ["--user", "admin", "users", "log", "--who", "admin", "--format", "json"]
    assert _run(db, *argv, "--since", "2000-01-01") == 0
    entries = json.loads(capsys.readouterr().out)
    # newest first: this command's login, the account added by the previous one, its login
    assert [e["action"] for e in entries][:3] == ["auth.login", "user.create", "auth.login"]
    assert entries[1]["after"]["username"] == "zhao"
    assert _run(db, "--user", "admin", "users", "log", "--action", "stock.", "--limit", "1") == 0
    assert "stock.receipt" in capsys.readouterr().out
