"""A password change is never a free guess (issue "Shared mode that holds").

A wrong current password counts toward the login's lockout and is audit-logged; a user who is
not an administrator cannot change (or probe) another account, and the refusal does not tell
whether that account exists; an administrator naming another account resets its password.
Through the core (drillplan.auth.users) and the command line (`drillplan users passwd`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import getpass
import json

import pytest
from sqlalchemy import select, update

from drillplan.auth import users
from drillplan.auth.context import bind_actor
from drillplan.auth.login import ENV_PASSWORD, ENV_USER, login
from drillplan.auth.users import MAX_FAILED_LOGINS, NOT_YOUR_PASSWORD, AccountLocked
from drillplan.cli import users as auth_cli
from drillplan.cli.main import main
from drillplan.db.database import Database
from drillplan.db.models import AuditLog, User
from drillplan.kernel.errors import DrillplanError, PermissionDenied, ValidationError
from tests.support.org import PASSWORDS, build_org

NOW = dt.datetime(2025, 6, 1, 9, 0)
GUESSES = [f"guess-number-{i:02d}" for i in range(10)]
SECRETS = [*PASSWORDS.values(), *GUESSES, "keeper-new-pass"]


@pytest.fixture(autouse=True)
def _no_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in (ENV_USER, ENV_PASSWORD, auth_cli.ENV_NEW_PASSWORD):
        monkeypatch.delenv(name, raising=False)


def _run(db: Database, *argv: str) -> int:
    """How drillplan/cli/main.py runs a command: global options, then the command as the user."""
    parser = argparse.ArgumentParser(prog="drillplan")
    parser.add_argument("--db")
    auth_cli.add_global_options(parser)
    auth_cli.register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["--db", db.url, *argv])
    with auth_cli.identity_from_args(args):
        return auth_cli.cmd_users(args)


def _entries(db: Database, username: str | None = None) -> list[AuditLog]:
    with db.sessions() as session:
        stmt = select(AuditLog).order_by(AuditLog.id)
        if username is not None:
            stmt = stmt.where(AuditLog.username == username)
        rows = list(session.scalars(stmt))
        session.expunge_all()
    return rows


def _actions(db: Database, prefix: str = "") -> list[str]:
    return [e.action for e in _entries(db) if e.action.startswith(prefix)]


def _no_secret_logged(db: Database) -> None:
    text = json.dumps([[e.before, e.after] for e in _entries(db)], ensure_ascii=False)
    for secret in SECRETS:
        assert secret not in text


def _account(db: Database, name: str) -> tuple[int, dt.datetime | None]:
    with db.sessions() as session:
        user = users.get_user(session, name)
        return user.failed_logins, user.locked_until


def _change(db: Database, old: str, new: str = "keeper-new-pass", **kw: object) -> object:
    """One attempt by keeper1 in its own committed transaction (as the desktop dialog does)."""
    with db.session() as session:
        outcome = users.change_password(
            session,
            username=kw.pop("username", "keeper1"),  # type: ignore[arg-type]
            old_password=old,
            new_password=new,
            now=kw.pop("now", NOW),  # type: ignore[arg-type]
        )
    return outcome


# ----------------------------------------------------------------------------- core


def test_wrong_current_passwords_lock_the_account_like_wrong_logins(db: Database) -> None:
    build_org(db)
    login(db, "keeper1", PASSWORDS["keeper1"], now=NOW)
    errors: list[DrillplanError] = []
    for guess in GUESSES:
        outcome = _change(db, guess)
        assert isinstance(outcome, users.PasswordChange) and not outcome.ok
        assert outcome.error is not None
        errors.append(outcome.error)
        with pytest.raises(DrillplanError):
            outcome.raise_for_error()
    wrong, locked = errors[: MAX_FAILED_LOGINS - 1], errors[MAX_FAILED_LOGINS - 1 :]
    assert all(isinstance(e, ValidationError) and e.field == "old_password" for e in wrong)
    assert all(isinstance(e, AccountLocked) for e in locked)  # the 5th locks; the rest wait
    assert locked[0].locked_until == NOW + users.LOCKOUT  # type: ignore[attr-defined]
    assert _account(db, "keeper1") == (0, NOW + users.LOCKOUT)

    # locked: the right password is refused too, for the change and for the login
    refused = _change(db, PASSWORDS["keeper1"], now=NOW + dt.timedelta(minutes=14))
    assert isinstance(refused, users.PasswordChange)
    assert isinstance(refused.error, AccountLocked)
    bind_actor(db, None)
    with pytest.raises(AccountLocked):
        login(db, "keeper1", PASSWORDS["keeper1"], now=NOW + dt.timedelta(minutes=14))

    # every attempt is in the audit log (no password in it); the locking one as auth.locked
    failed = [e for e in _entries(db) if e.action == "user.password_failed"]
    assert len(failed) == len(GUESSES) + 1
    assert all(e.username == "keeper1" and e.table_name == "app_user" for e in failed)
    reasons = [e.after["reason"] for e in failed if e.after is not None]
    assert reasons == ["wrong_current_password"] * MAX_FAILED_LOGINS + ["locked"] * 6
    assert _actions(db, "auth.locked") == ["auth.locked"]
    _no_secret_logged(db)

    # once the lock has ended the right password works again
    later = NOW + dt.timedelta(minutes=16)
    login(db, "keeper1", PASSWORDS["keeper1"], now=later)
    done = _change(db, PASSWORDS["keeper1"], now=later)
    assert isinstance(done, users.PasswordChange) and done.ok
    assert _account(db, "keeper1") == (0, None)
    bind_actor(db, None)
    assert login(db, "keeper1", "keeper-new-pass", now=later).ok


def test_wrong_logins_and_wrong_current_passwords_share_one_count(db: Database) -> None:
    build_org(db)
    login(db, "keeper1", PASSWORDS["keeper1"], now=NOW)
    for guess in GUESSES[:3]:
        _change(db, guess)
    assert _account(db, "keeper1") == (3, None)
    bind_actor(db, None)
    with pytest.raises(users.LoginFailed) as fourth:
        login(db, "keeper1", "wrong-password", now=NOW)
    assert not isinstance(fourth.value, AccountLocked)
    with pytest.raises(AccountLocked):  # the fifth wrong password in a row, whichever door
        login(db, "keeper1", "wrong-password", now=NOW)
    assert _account(db, "keeper1") == (0, NOW + users.LOCKOUT)


def test_a_bad_new_password_costs_no_guess(db: Database) -> None:
    build_org(db)
    login(db, "keeper1", PASSWORDS["keeper1"], now=NOW)
    with pytest.raises(ValidationError) as err, db.session() as session:
        users.change_password(session, username="keeper1", old_password="x" * 9, new_password="a")
    assert err.value.field == "password"
    assert _account(db, "keeper1") == (0, None)
    assert _actions(db, "user.password") == []


def test_unknown_and_existing_names_are_refused_alike(db: Database) -> None:
    build_org(db)
    login(db, "keeper1", PASSWORDS["keeper1"], now=NOW)
    before = (_account(db, "admin"), len(_entries(db)))
    messages = []
    for name in ("admin", "district", "nobody", "Keeper1"):
        with pytest.raises(PermissionDenied) as target, db.session() as session:
            users.passwd_target(session, name)
        with pytest.raises(PermissionDenied) as change, db.session() as session:
            users.change_password(
                session, username=name, old_password=PASSWORDS["admin"], new_password="x1y2z3w4v5"
            )
        messages += [str(target.value), str(change.value)]
    assert set(messages) == {NOT_YOUR_PASSWORD}
    assert (_account(db, "admin"), len(_entries(db))) == before  # nothing was tried or written
    with db.sessions() as session:
        own = users.passwd_target(session, None)
        assert (own.username, own.reset) == ("keeper1", False)
        assert not users.passwd_target(session, "keeper1").reset


def test_admin_reset_of_another_account(db: Database) -> None:
    build_org(db)
    login(db, "admin", PASSWORDS["admin"], now=NOW)
    with db.session() as session:
        target = users.passwd_target(session, "keeper1")
        assert (target.username, target.reset) == ("keeper1", True)
        users.reset_password(session, username=target.username, new_password="keeper-new-pass")
        own = users.passwd_target(session, "admin")
        assert (own.username, own.reset) == ("admin", False)
        # an administrator's own change still needs the current password
        outcome = users.change_password(
            session, username="admin", old_password="not-the-password", new_password="adm-new-1"
        )
        assert isinstance(outcome.error, ValidationError)
    entry = [e for e in _entries(db) if e.action == "user.password_reset"][-1]
    assert entry.username == "admin" and entry.row_id is not None
    bind_actor(db, None)
    result = login(db, "keeper1", "keeper-new-pass", now=NOW)
    assert result.ok and result.must_change_password
    _no_secret_logged(db)


# ----------------------------------------------------------------------------- command line


class _Terminal:
    """stdin of an interactive terminal: `users passwd` then asks for the current password."""

    def isatty(self) -> bool:
        return True


def test_ten_wrong_guesses_through_users_passwd_lock_the_account(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--user keeper1 users passwd` with guessed passwords: ten guesses lock the account."""
    build_org(db)
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "keeper-new-pass")
    failures: list[DrillplanError] = []
    for guess in GUESSES:
        monkeypatch.setenv(ENV_PASSWORD, guess)
        with pytest.raises(DrillplanError) as err:
            _run(db, "--user", "keeper1", "users", "passwd")
        failures.append(err.value)
    assert not any(isinstance(e, AccountLocked) for e in failures[: MAX_FAILED_LOGINS - 1])
    assert all(isinstance(e, AccountLocked) for e in failures[MAX_FAILED_LOGINS - 1 :])
    locked_until = _account(db, "keeper1")[1]
    assert locked_until is not None and locked_until > dt.datetime.now()

    # the right password is refused while the lock lasts
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["keeper1"])
    with pytest.raises(AccountLocked):
        _run(db, "--user", "keeper1", "users", "passwd")
    assert capsys.readouterr().out == ""
    assert _actions(db, "auth.") == ["auth.login_failed"] * (MAX_FAILED_LOGINS - 1) + [
        "auth.locked"
    ]
    _no_secret_logged(db)

    # the lock ends (15 minutes later): the right password changes it
    with db.session() as session:
        session.execute(update(User).where(User.username == "keeper1").values(locked_until=None))
    assert _run(db, "--user", "keeper1", "users", "passwd") == 0
    assert "keeper1" in capsys.readouterr().out
    assert _actions(db, "user.password_change") == ["user.password_change"]


class _Terminal:
    """stdin of an interactive terminal: `users passwd` then asks for the current password."""

    def isatty(self) -> bool:
        return True


def test_a_wrong_current_password_at_the_terminal_is_counted_and_logged(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build_org(db)
    monkeypatch.setattr(getpass, "getpass", lambda prompt="": GUESSES[0])
    monkeypatch.setattr("sys.stdin", _Terminal())
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["keeper1"])  # the login's password
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "keeper-new-pass")
    with pytest.raises(ValidationError) as err:
        _run(db, "--user", "keeper1", "users", "passwd")
    assert err.value.field == "old_password"
    assert capsys.readouterr().out == ""
    assert _account(db, "keeper1") == (1, None)  # committed although the command failed
    failed = [e for e in _entries(db) if e.action == "user.password_failed"]
    assert [(e.username, e.row_id is not None) for e in failed] == [("keeper1", True)]
    with db.sessions() as session:  # the password itself is unchanged
        assert users.get_user(session, "keeper1").password_changed_at is not None
    bind_actor(db, None)
    assert login(db, "keeper1", PASSWORDS["keeper1"]).ok
    _no_secret_logged(db)


def test_single_user_mode_guesses_through_users_passwd_count_too(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nobody logged in (single-user SQLite): `users passwd NAME` proves NAME by the current
    password from $DRILLPLAN_PASSWORD, and wrong ones lock NAME's account."""
    build_org(db)
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "keeper-new-pass")
    monkeypatch.setenv(ENV_PASSWORD, GUESSES[0])
    if not db.is_sqlite:  # a shared database has no single-user mode: the login comes first
        with pytest.raises(PermissionDenied, match="--user"):
            _run(db, "users", "passwd", "keeper1")
        assert _account(db, "keeper1") == (0, None)
        return
    errors = []
    for guess in GUESSES:
        monkeypatch.setenv(ENV_PASSWORD, guess)
        with pytest.raises(DrillplanError) as err:
            _run(db, "users", "passwd", "keeper1")
        errors.append(err.value)
    assert all(isinstance(e, AccountLocked) for e in errors[MAX_FAILED_LOGINS - 1 :])
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["keeper1"])
    with pytest.raises(AccountLocked):
        _run(db, "users", "passwd", "keeper1")
    # an unknown name gets the answer of a wrong password
    with pytest.raises(ValidationError) as unknown:
        _run(db, "users", "passwd", "nobody")
    assert str(unknown.value) == str(errors[0])
    actions = _actions(db, "user.password_failed")
    assert len(actions) == len(GUESSES) + 2
    _no_secret_logged(db)


def test_cli_refuses_another_name_with_one_message_and_status(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build_org(db)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["keeper1"])

    def never(prompt: str = "") -> str:
        raise AssertionError("asked for a password before refusing")

    monkeypatch.setattr(getpass, "getpass", never)  # the refusal comes before any question
    monkeypatch.setattr("sys.stdin", _Terminal())
    answers = []
    for name in ("admin", "nobody-at-all"):
        capsys.readouterr()
        status = main(["--db", db.url, "--user", "keeper1", "users", "passwd", name])
        captured = capsys.readouterr()
        answers.append((status, captured.out, captured.err))
    assert answers[0] == answers[1]
    assert answers[0][0] == 2 and answers[0][1] == ""
    assert NOT_YOUR_PASSWORD in answers[0][2]
    assert _account(db, "admin") == (0, None)
    assert _actions(db, "user.password") == []  # nothing tried, nothing changed


def test_cli_admin_names_another_user_to_reset_it(
    db: Database, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    build_org(db)
    monkeypatch.setenv(ENV_PASSWORD, PASSWORDS["admin"])
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "keeper-new-pass")
    capsys.readouterr()
    assert main(["--db", db.url, "--user", "admin", "users", "passwd", "keeper1"]) == 0
    assert "keeper1" in capsys.readouterr().out
    reset = [e for e in _entries(db) if e.action == "user.password_reset"]
    assert [(e.username, e.row_id) for e in reset] == [("admin", reset[0].row_id)]
    with db.sessions() as session:
        assert reset[0].row_id == users.get_user(session, "keeper1").id
    # unknown names are no secret to an administrator
    assert main(["--db", db.url, "--user", "admin", "users", "passwd", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err
    # keeper1 logs in with it and must change it: its own change, with the current password
    monkeypatch.setenv(ENV_PASSWORD, "keeper-new-pass")
    monkeypatch.setenv(auth_cli.ENV_NEW_PASSWORD, "keeper-newer-pass")
    assert main(["--db", db.url, "--user", "keeper1", "users", "passwd"]) == 0
    with db.sessions() as session:
        assert not users.get_user(session, "keeper1").must_change_password
    _no_secret_logged(db)
