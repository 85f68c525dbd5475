"""Logging a client in, and who a command-line run acts as.

- A shared (PostgreSQL) database always needs a login; a SQLite database only when its
  administrator turned login on (:func:`set_login_required`).
- :func:`login` checks the password, commits the bookkeeping (a failure is counted even
  though it raises), and binds the user to every later session of the database.
- :func:`cli_identity` + :func:`attach_identity`: the ``drillplan`` command sets the
  identity from ``--user`` (password from ``DRILLPLAN_PASSWORD`` or a prompt) for the run,
  and :func:`~drillplan.db.database.open_db` applies it to the database it opens.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from drillplan.auth.context import (
    Actor,
    act_as,
    bind_actor,
    bound_actor,
    current_actor,
    local_actor,
    require_login,
)
from drillplan.auth.env import ENV_PASSWORD, ENV_USER
from drillplan.auth.users import LoginResult, authenticate, has_users
from drillplan.db.models import Setting
from drillplan.kernel.errors import PermissionDenied

if TYPE_CHECKING:
    from drillplan.db.database import Database

LOGIN_SETTING = "auth.login_required"

PasswordSource = Callable[[str], str]


def is_shared(db: Database) -> bool:
    return not db.is_sqlite


def login_setting(session: Session) -> bool:
    row = session.get(Setting, LOGIN_SETTING)
    return bool(row is not None and row.value)


def set_login_required(session: Session, required: bool) -> None:
    """Turn login on or off for a SQLite database (administrators; a shared one always has it)."""
    actor = current_actor(session)
    if actor is not None and not actor.is_admin:
        raise PermissionDenied("只有管理员可以更改登录设置 (administrators only)")
    row = session.get(Setting, LOGIN_SETTING)
    if row is None:
        session.add(Setting(key=LOGIN_SETTING, value=bool(required)))
    else:
        row.value = bool(required)
    session.flush()


def needs_login(db: Database) -> bool:
    """Whether a client of ``db`` must log in before it may change anything."""
    if is_shared(db):
        return True
    with db.session() as session:
        return login_setting(session)


def login(
    db: Database, username: str, password: str, *, now: dt.datetime | None = None
) -> LoginResult:
    """Log in to ``db``: raises :class:`~drillplan.auth.users.LoginFailed` (or
    ``AccountLocked``) after committing the failed attempt; on success every session of
    ``db`` acts as the user from now on."""
    with db.session() as session:
        act_as(session, None)  # whoever was logged in before does not log this attempt
        result = authenticate(session, username, password, now=now)
    actor = result.actor_or_raise()
    bind_actor(db, actor)
    require_login(db)
    return result


def logout(db: Database) -> None:
    bind_actor(db, None)


def start_unattended(db: Database) -> Actor | None:
    """A client with nobody logged in: single-user mode (None), or, on a database that needs
    a login but has no user account yet, the local administrator who creates the first
    account. Otherwise writes are refused until :func:`login`."""
    if not needs_login(db):
        return None
    with db.session() as session:
        empty = not has_users(session)
    if empty:
        actor = local_actor()
        bind_actor(db, actor)
        return actor
    require_login(db)
    return None


# ----------------------------------------------------------------------------- command line


@dataclass(frozen=True)
class Identity:
    """Who a command-line run acts as: ``username`` (None: nobody named) and where the
    password comes from."""

    username: str | None
    password: PasswordSource


def password_from_env_or_prompt(username: str) -> str:
    value = os.environ.get(ENV_PASSWORD)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise PermissionDenied(
            f"需要用户 {username} 的密码：请设置环境变量 {ENV_PASSWORD} 或在终端中运行"
            f" (set {ENV_PASSWORD} or run in a terminal to be asked for the password)"
        )
    return getpass.getpass(f"{username} 的密码 (password): ")


_identity: ContextVar[Identity | None] = ContextVar("drillplan_identity", default=None)


@contextmanager
def cli_identity(
    username: str | None, password: PasswordSource = password_from_env_or_prompt
) -> Iterator[None]:
    """For the duration of one command: databases opened log in as ``username`` (or, if None,
    ``$DRILLPLAN_USER``), or refuse a shared database when nobody is named."""
    token = _identity.set(Identity(username or os.environ.get(ENV_USER) or None, password))
    try:
        yield
    finally:
        _identity.reset(token)


def attach_identity(db: Database) -> Actor | None:
    """Apply the command-line identity to a database just opened (no identity set, as in
    library use and tests: nothing happens)."""
    identity = _identity.get()
    if identity is None:
        return None
    already = bound_actor(db)
    if already is not None:
        return already
    if identity.username:
        result = login(db, identity.username, identity.password(identity.username))
        return result.actor
    actor = start_unattended(db)
    if actor is None and needs_login(db):
        raise PermissionDenied(
            f"此数据库需要登录：请用 --user 用户名 指定用户（或设置 {ENV_USER}），密码取自"
            f" {ENV_PASSWORD} 或提示输入。 (This database needs a login: name the user with"
            f" --user NAME or {ENV_USER}; the password comes from {ENV_PASSWORD} or a prompt.)"
        )
    return actor
