"""`drillplan users ...`: accounts of the shared office mode, and who a command runs as.

Wired into ``drillplan/cli/main.py`` with ``auth_cli.add_global_options(parser)``,
``auth_cli.register(sub)``, the command ``"users": auth_cli.cmd_users``, and the run of a
command wrapped in ``with auth_cli.identity_from_args(args):`` (``--user NAME``; the
password comes from ``$DRILLPLAN_PASSWORD`` or a prompt).
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import os
import sys
from collections.abc import Iterator

from sqlalchemy.orm import Session

from drillplan.audit.read import AuditFilter, query_audit
from drillplan.auth import users
from drillplan.auth.login import (
    ENV_PASSWORD,
    cli_identity,
    set_login_required,
)
from drillplan.cli import output
from drillplan.cli.argtypes import add_global_options, id_arg, limit_arg
from drillplan.cli.common import command_session, date_arg
from drillplan.kernel.errors import DrillplanError, ValidationError
from drillplan.kernel.vocab import Role
from drillplan.org.read import unit_id_by_code

__all__ = ["add_global_options", "cmd_users", "identity_from_args", "register"]

ENV_NEW_PASSWORD = "DRILLPLAN_NEW_PASSWORD"
LIST_COLUMNS = [
    "username",
    "display_name",
    "role",
    "unit_code",
    "unit_name",
    "active",
    "locked_until",
    "last_login_at",
    "must_change_password",
]
LOG_COLUMNS = ["id", "at", "username", "action", "table", "row_id", "changes"]
#: commands that open the desktop application: the login dialog asks there
GUI_COMMANDS = frozenset({None, "gui"})


@contextlib.contextmanager
def identity_from_args(args: argparse.Namespace) -> Iterator[None]:
    """Databases opened while this is active log in as ``--user`` (not for the GUI, which
    shows its login dialog)."""
    if getattr(args, "command", None) in GUI_COMMANDS:
        yield
        return
    with cli_identity(getattr(args, "login_user", None)):
        yield


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p_users = sub.add_parser("users", help="user accounts, roles and data scopes (shared mode)")
    u = p_users.add_subparsers(dest="users_command", metavar="ACTION", required=True)

    p = u.add_parser("list", help="every account with its role, unit and state")
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = u.add_parser("add", help="add an account (password from $DRILLPLAN_NEW_PASSWORD or asked)")
    p.add_argument("username")
    p.add_argument("--role", choices=[r.value for r in Role], required=True)
    p.add_argument("--unit", metavar="CODE", help="unit code: the data scope (editors need one)")
    p.add_argument("--name", dest="display_name", help="display name (default: the username)")

    p = u.add_parser("set", help="change an account's role, unit or display name")
    p.add_argument("username")
    p.add_argument("--role", choices=[r.value for r in Role])
    p.add_argument("--unit", metavar="CODE", help="unit code ('-' for none)")
    p.add_argument("--name", dest="display_name")

    p = u.add_parser(
        "passwd",
        help="change your own password (the current one is asked; wrong ones count toward the"
        " lockout); an administrator naming another user resets theirs",
    )
    p.add_argument("username", nargs="?", help="default: the user you run as")

    p = u.add_parser("reset", help="set a new password that must be changed at the next login")
    p.add_argument("username")
    p.add_argument(
        "--password", action="store_true", help=f"take it from ${ENV_NEW_PASSWORD} (else generated)"
    )

    p = u.add_parser("lock", help="disable an account")
    p.add_argument("username")
    p = u.add_parser("unlock", help="enable an account and lift a lockout after wrong passwords")
    p.add_argument("username")

    p = u.add_parser("log", help="the audit log, newest first (filters as in the audit view)")
    p.add_argument("--who", help="user name")
    p.add_argument("--table", help="table name, e.g. plan, lot, movement")
    p.add_argument("--action", help="action, or a prefix ending in '.' (e.g. stock.)")
    p.add_argument("--row", type=id_arg, help="row id (with --table)")
    p.add_argument("--since", type=date_arg, help="from this day")
    p.add_argument("--until", type=date_arg, help="up to and including this day")
    p.add_argument("--limit", type=limit_arg, default=50)
    p.add_argument("--format", choices=output.FORMATS, default="table")

    p = u.add_parser("login-required", help="SQLite: turn the login on or off")
    p.add_argument("state", choices=["on", "off"])


def _unit_id(session: Session, code: str | None) -> int | None:
    if code is None or code == "-":
        return None
    return unit_id_by_code(session, code, field="--unit")


def new_password(prompt_for: str, env: str = ENV_NEW_PASSWORD) -> str:
    """A new password from ``$env``, or typed twice in a terminal."""
    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise ValidationError(
            "password",
            f"请通过环境变量 {env} 提供新密码，或在终端中运行",
            message_en=f"set {env} or run in a terminal",
        )
    first = getpass.getpass(f"{prompt_for} 的新密码 (new password): ")
    if getpass.getpass("再输入一次 (again): ") != first:
        raise ValidationError("password", "两次输入的密码不一致", message_en="passwords differ")
    return first


def _current_password() -> str:
    if sys.stdin.isatty():
        return getpass.getpass("原密码 (current password): ")
    value = os.environ.get(ENV_PASSWORD)
    if value is None:
        raise ValidationError(
            "password",
            f"请通过环境变量 {ENV_PASSWORD} 提供原密码，或在终端中运行",
            message_en=f"set {ENV_PASSWORD} to the current password or run in a terminal",
        )
    return value


def _passwd(args: argparse.Namespace, session: Session) -> DrillplanError | None:
    """`users passwd [NAME]`: one's own password (the current one is asked), or, for an
    administrator naming another account, a reset. Who it is for is decided before anything
    is asked or looked up. A wrong current password is returned, not raised: the attempt is
    counted and logged, so it must be committed first."""
    target = users.passwd_target(session, args.username)
    name = target.username
    if target.reset:
        users.reset_password(session, username=name, new_password=new_password(name))
        print(f"已重置 {name} 的密码，首次登录须修改 (password reset; change at login)")
        return None
    current = _current_password()
    outcome = users.change_password(
        session, username=name, old_password=current, new_password=new_password(name)
    )
    if outcome.error is not None:
        return outcome.error
    print(f"密码已修改 (password changed): {name}")
    return None


def cmd_users(args: argparse.Namespace) -> int:
    if args.users_command == "passwd":
        with command_session(args) as (_database, session):
            refused = _passwd(args, session)
        if refused is not None:
            raise refused  # after the commit: the wrong password is counted and logged
        return 0
    with command_session(args) as (_database, session):
        return _run(args, session)


def _run(args: argparse.Namespace, session: Session) -> int:
    action = args.users_command
    if action == "list":
        rows = [{**info.as_dict(), "role": info.role.value} for info in users.list_users(session)]
        print(output.render(rows, LIST_COLUMNS, args.format), end="")
    elif action == "add":
        user = users.create_user(
            session,
            username=args.username,
            password=new_password(args.username),
            role=args.role,
            unit_id=_unit_id(session, args.unit),
            display_name=args.display_name,
        )
        print(f"已添加用户 (user added): {user.username} [{user.role}]")
    elif action == "set":
        user = users.update_user(
            session,
            username=args.username,
            role=args.role,
            unit_id=_unit_id(session, args.unit),
            clear_unit=args.unit == "-",
            display_name=args.display_name,
        )
        print(f"已修改用户 (user changed): {user.username} [{user.role}]")
    elif action == "reset":
        given = new_password(args.username) if args.password else None
        password = users.reset_password(session, username=args.username, new_password=given)
        print(f"已重置 {args.username} 的密码，首次登录须修改 (password reset; change at login)")
        if given is None:
            print(f"临时密码 (temporary password): {password}")
    elif action in ("lock", "unlock"):
        user = users.set_active(session, username=args.username, active=action == "unlock")
        state = "已启用 (enabled)" if user.active else "已停用 (disabled)"
        print(f"{user.username}: {state}")
    elif action == "log":
        flt = AuditFilter(
            username=args.who,
            table=args.table,
            action=args.action,
            row_id=args.row,
            since=args.since,
            until=args.until,
        )
        rows = [
            {**e.__dict__, "changes": e.summary(limit=8)}
            for e in query_audit(session, flt, limit=args.limit)
        ]
        columns = LOG_COLUMNS if args.format == "table" else [*LOG_COLUMNS, "before", "after"]
        print(output.render(rows, columns, args.format), end="")
    elif action == "login-required":
        set_login_required(session, args.state == "on")
        print(f"登录要求 (login required): {args.state}")
    return 0
