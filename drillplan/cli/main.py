"""The `drillplan` command: the desktop app by default, and scriptable sub-commands.

Exit status: 0 ok, 1 findings (a check found violations), 2 bad input or an error.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from drillplan.cli import catalogue as cli_catalogue
from drillplan.cli import competitions as competitions_cli
from drillplan.cli import database_roles as cli_database_roles
from drillplan.cli import drills as cli_drills
from drillplan.cli import interchange as interchange_cli
from drillplan.cli import org as cli_org
from drillplan.cli import output
from drillplan.cli import plans as cli_plans
from drillplan.cli import readiness as cli_readiness
from drillplan.cli import reports as cli_reports
from drillplan.cli import settings as cli_settings
from drillplan.cli import stock as cli_stock
from drillplan.cli import users as auth_cli
from drillplan.cli.argtypes import Parser
from drillplan.cli.common import EXIT_BAD_INPUT, EXIT_FINDINGS, EXIT_OK, command_session, date_arg
from drillplan.cli.plugins import register_plugins
from drillplan.db.failures import storage_failure
from drillplan.kernel.errors import DrillplanError, PermissionDenied, ValidationError
from drillplan.kernel.version import app_version


def build_parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="drillplan", description="应急预案、救援队伍、物资储备与演练管理 (drillplan)"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLite file path or database URL (default: $DRILLPLAN_DATABASE_URL or the user's"
        " database)",
    )
    parser.add_argument("--version", action="version", version=f"drillplan {app_version()}")
    auth_cli.add_global_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    sub.add_parser("gui", help="open the desktop application (the default)")

    demo = sub.add_parser("demo", help="load the demo data set")
    demo.add_argument("--reset", action="store_true", help="delete all data first")
    demo.add_argument("--as-of", type=date_arg, help="date the demo is relative to (today)")
    demo.add_argument(
        "--force",
        action="store_true",
        help="an administrator loads it into a shared / login / non-demo database anyway",
    )

    db = sub.add_parser("db", help="database administration")
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="create or migrate the schema to the newest version")
    db_sub.add_parser("current", help="print the schema revision")
    b = db_sub.add_parser("backup", help="write a consistent copy of the database")
    b.add_argument("file", type=Path)
    r = db_sub.add_parser("restore", help="replace the database with a backup")
    r.add_argument("file", type=Path)
    cli_database_roles.register(db_sub)

    check = sub.add_parser("check", help="prove invariants (on-hand equals the ledger ...)")
    check.add_argument("--format", choices=output.FORMATS, default="table")
    check.add_argument(
        "--full", action="store_true", help="SQLite integrity_check instead of quick_check"
    )

    cli_stock.register(sub)
    competitions_cli.register(sub)
    cli_plans.register(sub)
    cli_drills.register(sub)
    interchange_cli.register(sub)
    PLUGINS.update(register_plugins(sub))
    auth_cli.register(sub)
    cli_readiness.register(sub)
    cli_settings.register(sub)
    cli_org.register(sub)
    cli_catalogue.register(sub)

    cli_reports.register(sub)

    shot = sub.add_parser("screenshot", help="render each main view offscreen to PNG")
    shot.add_argument("--out", type=Path, required=True)
    return parser


def _cmd_gui(args: argparse.Namespace) -> int:
    from drillplan.ui.shell.app import run_app

    return run_app(args.db, sys.argv[:1])


def _cmd_demo(args: argparse.Namespace) -> int:
    from drillplan.demo import load_demo
    from drillplan.demo.guard import check_demo_allowed

    with command_session(args) as (database, session):
        check_demo_allowed(session, force=args.force)
        summary = load_demo(session, as_of=args.as_of, reset=args.reset)
    print(f"演示数据已载入 (demo data loaded) -> {database.url}")
    print(output.dumps(summary.__dict__ if hasattr(summary, "__dict__") else summary))
    return EXIT_OK


def _require_admin(args: argparse.Namespace, what: str) -> None:
    """On a database that requires a login, only a logged-in administrator goes on (a backup
    holds every password hash; a restore replaces everyone's data)."""
    from drillplan.auth.login import needs_login
    from drillplan.kernel.identity import current_actor

    with command_session(args) as (database, session):
        if not needs_login(database):
            return
        actor = current_actor(session)
        if actor is None or not actor.is_admin:
            who = actor.describe() if actor is not None else "（未登录 not logged in）"
            raise PermissionDenied(
                f"用户 {who} 无权{what}：此数据库需要登录，只有管理员可以执行。"
                f" (Only an administrator may {what} on a database that requires a login.)"
            )


def _cmd_db(args: argparse.Namespace) -> int:
    from drillplan.backup import files as backup
    from drillplan.db import migrate
    from drillplan.db.engine import make_engine, resolve_url

    if args.db_command in ("roles", "grant"):
        _require_admin(args, "设置数据库角色 (set up database roles)")
        return cli_database_roles.run(args)
    if args.db_command in ("backup", "restore"):
        _require_admin(
            args, "备份数据库 (back up)" if args.db_command == "backup" else "恢复数据库 (restore)"
        )
    engine = make_engine(resolve_url(args.db))
    try:
        if args.db_command == "upgrade":
            before = migrate.current_revision(engine)
            dump = backup.pre_upgrade_backup(engine, Path.cwd())
            if dump:
                print(f"backup: {dump}")
            taken = migrate.upgrade(engine)
            after = migrate.current_revision(engine)
            print(f"schema {before or '(empty)'} -> {after}")
            if taken:
                print(f"backup: {taken}")
        elif args.db_command == "current":
            print(migrate.current_revision(engine) or "(empty)")
        elif args.db_command == "backup":
            migrate.open_database(engine)
            print(f"备份完成 (backup written): {backup.backup(engine, args.file)}")
        elif args.db_command == "restore":
            safety = backup.restore(engine, args.file)
            print(f"已恢复 (restored) {args.file}")
            if safety:
                print(f"原数据库已另存 (previous copy kept): {safety}")
    finally:
        engine.dispose()
    return EXIT_OK


def _cmd_check(args: argparse.Namespace) -> int:
    from drillplan.backup.integrity import storage_violations
    from drillplan.stock.check import run_checks

    with command_session(args) as (_database, session):
        violations = storage_violations(session, full=args.full)
        if not violations:  # on a damaged file the row checks would only fail or mislead
            violations = run_checks(session)
    rows = [v.as_dict() for v in violations]
    if args.format == "table" and not rows:
        print("检查通过：未发现问题 (check passed: no violations)")
    else:
        print(output.render(rows, ["rule", "table", "row_id", "message"], args.format), end="")
    return EXIT_FINDINGS if violations else EXIT_OK


def _cmd_screenshot(args: argparse.Namespace) -> int:
    from drillplan.ui.shell.screenshot import save_screenshots

    for path in save_screenshots(args.db, args.out):
        print(path)
    return EXIT_OK


PLUGINS: dict[str, Callable[[argparse.Namespace], int]] = {}  # tools/ commands, by entry point

COMMANDS = {
    None: _cmd_gui,
    "gui": _cmd_gui,
    "demo": _cmd_demo,
    "db": _cmd_db,
    "check": _cmd_check,
    "screenshot": _cmd_screenshot,
    "report": cli_reports.cmd_report,
    "audit": cli_stock.cmd_audit,
    "competitions": competitions_cli.cmd_competitions,
    "plans": cli_plans.cmd_plans,
    "holidays": cli_plans.cmd_holidays,
    "readiness": cli_readiness.cmd_readiness,
    "drills": cli_drills.cmd_drills,
    "import": interchange_cli.cmd_import,
    "export": interchange_cli.cmd_export,
    "template": interchange_cli.cmd_template,
    "users": auth_cli.cmd_users,
    "stock": cli_stock.cmd_stock,
    "settings": cli_settings.cmd_settings,
    "units": cli_org.cmd_units,
    "teams": cli_org.cmd_teams,
    "members": cli_org.cmd_members,
    "certificates": cli_org.cmd_certificates,
    "depots": cli_catalogue.cmd_depots,
    "materials": cli_catalogue.cmd_materials,
    "quotas": cli_catalogue.cmd_quotas,
}


def _pipe_closed() -> int:
    """The reader of our output went away (``drillplan ... | head``): the work was committed
    before anything was printed, so nothing is lost; end quietly (Python's documented way:
    point stdout at devnull so the interpreter's final flush does not fail again)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout is not a real file (tests capture it)
        pass
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        with auth_cli.identity_from_args(args):
            status = {**COMMANDS, **PLUGINS}[args.command](args)
            sys.stdout.flush()
            return status
    except BrokenPipeError:
        return _pipe_closed()
    except ValidationError as exc:
        print(f"错误 (error): {exc}", file=sys.stderr)
        if exc.message_en:
            print(f"  {exc.message_en}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except DrillplanError as exc:
        print(f"错误 (error): {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (SQLAlchemyError, sqlite3.Error, OSError) as exc:
        # the database or a file could not be read or written: one sentence, no traceback
        failure = storage_failure(exc, getattr(exc, "filename", None))
        if failure is not None:
            print(f"错误 (error): {failure}", file=sys.stderr)
        elif isinstance(exc, OSError):
            print(
                f"错误 (error): 无法读写文件 (cannot read or write the file): {exc}",
                file=sys.stderr,
            )
        else:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            print(
                f"错误 (error): 数据库拒绝了这次操作，未保存任何内容"
                f" (the database refused the operation; nothing was saved): {first}",
                file=sys.stderr,
            )
        return EXIT_BAD_INPUT


if __name__ == "__main__":
    sys.exit(main())
