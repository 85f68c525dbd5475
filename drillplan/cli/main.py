"""The `drillplan` command: the desktop app by default, and scriptable sub-commands.

Exit status: 0 ok, 1 findings (a check found violations), 2 bad input or an error.

Start-up stays fast: the parser registers only the command being run (each area's module of
``drillplan/cli`` is imported when one of its commands runs, :data:`AREAS`); the others get a
placeholder with their help line, so ``drillplan --help`` imports no database, spreadsheet,
calendar or PDF library. ``build_parser()`` without arguments builds every command (tests).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from drillplan.cli import database_roles as cli_database_roles
from drillplan.cli import output
from drillplan.cli.argtypes import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    Parser,
    add_global_options,
    date_arg,
)
from drillplan.cli.plugins import register_plugins
from drillplan.kernel.errors import DrillplanError, PermissionDenied, ValidationError

Handler = Callable[[argparse.Namespace], int]

#: The areas of ``drillplan/cli``, in the order ``--help`` lists them: module -> its commands
#: as (command, handler in the module, help line). The module's ``register(sub)`` adds them
#: all; it is imported only when one of them runs (a test proves the help lines match).
AREAS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    (
        "drillplan.cli.stock",
        (
            ("audit", "cmd_audit", "expiry and shortfall audits"),
            ("stock", "cmd_stock", "ledger operations (each one transaction)"),
        ),
    ),
    (
        "drillplan.cli.competitions",
        (("competitions", "cmd_competitions", "skill competitions (技能大比武)"),),
    ),
    (
        "drillplan.cli.plans",
        (
            ("plans", "cmd_plans", "contingency plans: due dates, lifecycle, versions"),
            ("holidays", "cmd_holidays", "public holidays and make-up workdays (调休)"),
        ),
    ),
    (
        "drillplan.cli.drills",
        (("drills", "cmd_drills", "drills: schedule, conflicts, ics, evaluate, actions"),),
    ),
    (
        "drillplan.cli.interchange",
        (
            ("import", "cmd_import", ""),  # its help names the kinds: see _area_help
            ("export", "cmd_export", "write a register to .xlsx (or .csv)"),
            ("template", "cmd_template", "an empty .xlsx import template with instructions"),
        ),
    ),
    ("plugins", ()),  # tools/ commands (drillplan bench), by entry point: registered in place
    (
        "drillplan.cli.users",
        (("users", "cmd_users", "user accounts, roles and data scopes (shared mode)"),),
    ),
    (
        "drillplan.cli.readiness",
        (
            (
                "readiness",
                "cmd_readiness",
                "explained readiness scores; --hazard: the hazard check; "
                "--preseason: the pre-season check",
            ),
        ),
    ),
    (
        "drillplan.cli.settings",
        (("settings", "cmd_settings", "the office settings (shared by every PC)"),),
    ),
    (
        "drillplan.cli.org",
        (
            ("units", "cmd_units", "organisation units (单位): add, list, set"),
            ("teams", "cmd_teams", "rescue teams (救援队伍): add, list, set"),
            ("members", "cmd_members", "team members (队员): add, list"),
            ("certificates", "cmd_certificates", "members' certificates (证书): add"),
        ),
    ),
    (
        "drillplan.cli.catalogue",
        (
            ("depots", "cmd_depots", "depots (储备库/点): add, list, set"),
            ("materials", "cmd_materials", "the material catalogue (物资品类): add, list, set"),
            ("quotas", "cmd_quotas", "depot quotas (储备定额): set, list"),
        ),
    ),
    (
        "drillplan.cli.reports",
        (("report", "cmd_report", "print a PDF report (annual-statistics: or .xlsx)"),),
    ),
    (
        "drillplan.cli.requests",
        (
            (
                "requests",
                "cmd_requests",
                "allocation requests (调拨申请): new, approve, dispatch, receive",
            ),
        ),
    ),
    (
        "drillplan.cli.duty",
        (
            ("contacts", "cmd_contacts", "contacts (通讯录): list, add, edit, remove"),
            (
                "duty",
                "cmd_duty",
                "the duty roster (值班表): the month, check, add, edit, remove, kinds",
            ),
        ),
    ),
    (
        "drillplan.cli.facilities",
        (("facilities", "cmd_facilities", "shelters and dual-use facilities (避难场所/平急两用)"),),
    ),
    (
        "drillplan.cli.trainings",
        (("trainings", "cmd_trainings", "training and public education events (培训与宣教)"),),
    ),
    (
        "drillplan.cli.capacity",
        (("capacity", "cmd_capacity", "capacity reserves (产能储备): list, add, edit, remove"),),
    ),
    (
        "drillplan.cli.hazards",
        (("hazards", "cmd_hazards", "the warning-level response matrix (预警响应矩阵)"),),
    ),
    (
        "drillplan.cli.find",
        (
            (
                "find",
                "cmd_find",
                "the resource directory: who holds a material or capability, whom to call",
            ),
        ),
    ),
)

ALL = "*"  # build_parser(only=ALL): every command registered for real


def _area_help(command: str, text: str) -> str:
    if command == "import":
        from drillplan.interchange.kinds import KINDS  # light: the kinds' names only

        return f"import a register from .xlsx/.csv ({', '.join(KINDS)})"
    return text


INLINE = frozenset({"gui", "demo", "db", "check", "screenshot"})  # built here


def _known(command: str) -> bool:
    return command in INLINE or any(command == name for _m, cs in AREAS for name, _h, _t in cs)


def _add_area(sub: argparse._SubParsersAction, module: str, commands, only: str) -> None:  # type: ignore[no-untyped-def,type-arg]
    if module == "plugins":
        if not _known(only):  # every command, the listing, a plugin's (or a mistyped) name
            PLUGINS.update(register_plugins(sub))
    elif only == ALL or any(name == only for name, _handler, _help in commands):
        importlib.import_module(module).register(sub)
    else:
        for name, _handler, text in commands:
            sub.add_parser(name, help=_area_help(name, text), add_help=False)


def _handler(command: str | None) -> Handler:
    for module, commands in AREAS:
        for name, handler, _help in commands:
            if name == command:
                return getattr(importlib.import_module(module), handler)  # type: ignore[no-any-return]
    return {**COMMANDS, **PLUGINS}[command]


def command_of(argv: Sequence[str]) -> str | None:
    """The sub-command ``argv`` names (the first word that is not a global option or its value),
    or None (the desktop, or ``--help``)."""
    takes_value = {"--db", "--user"}
    words = iter(argv)
    for word in words:
        if word in takes_value:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


class _Version(argparse.Action):
    """``--version``: the installed package's version, looked up only when asked for (reading
    the package metadata costs more than the rest of start-up)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS, **kwargs)  # type: ignore[arg-type]

    def __call__(self, parser: argparse.ArgumentParser, *_args: object, **_kw: object) -> None:
        from drillplan.kernel.version import app_version

        sys.stdout.write(f"drillplan {app_version()}\n")  # on stdout, as argparse's own
        parser.exit()


def build_parser(only: str | None = ALL) -> argparse.ArgumentParser:
    """The parser; ``only``: the one command registered for real (the others are placeholders
    that keep ``--help`` complete), ``ALL`` (default) every command, None none."""
    parser = Parser(
        prog="drillplan", description="应急预案、救援队伍、物资储备与演练管理 (drillplan)"
    )
    parser.add_argument(
        "--db",
        metavar="URL",
        help="SQLite file path or database URL (default: $DRILLPLAN_DATABASE_URL or the user's"
        " database)",
    )
    parser.add_argument(
        "--create",
        action="store_true",
        help="create the SQLite file of --db if it does not exist (without it a mistyped path"
        " is an error)",
    )
    parser.add_argument("--version", action=_Version, help="show program's version number and exit")
    add_global_options(parser)
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

    for module, commands in AREAS:
        _add_area(sub, module, commands, only or "")

    shot = sub.add_parser("screenshot", help="render each main view offscreen to PNG")
    shot.add_argument("--out", type=Path, required=True)
    return parser


def _cmd_gui(args: argparse.Namespace) -> int:
    from drillplan.ui.shell.app import run_app

    return run_app(args.db, sys.argv[:1])


def _cmd_demo(args: argparse.Namespace) -> int:
    from drillplan.cli.common import command_session
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
    from drillplan.cli.common import command_session
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
    from drillplan.cli.common import command_session
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


PLUGINS: dict[str, Handler] = {}  # tools/ commands, by entry point

COMMANDS: dict[str | None, Handler] = {
    None: _cmd_gui,
    "gui": _cmd_gui,
    "demo": _cmd_demo,
    "db": _cmd_db,
    "check": _cmd_check,
    "screenshot": _cmd_screenshot,
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


NO_DATABASE = frozenset({None, "gui", "demo", "template"})  # may create it / do not open one


def refuse_missing_database(args: argparse.Namespace) -> None:
    """``--db PATH`` naming a SQLite file that does not exist is a mistake (a typo would
    otherwise create an empty database and print empty reports), unless ``--create`` says
    to create it or the command is ``demo`` (which fills a new file)."""
    if not args.db or args.create or args.command in NO_DATABASE or args.command in PLUGINS:
        return
    from drillplan.db.engine import resolve_url, sqlite_path

    path = sqlite_path(resolve_url(args.db))
    if path is not None and not path.exists():
        raise DrillplanError(
            f"数据库文件不存在：{path}；如需新建，请加 --create"
            f" (no database file at {path}; use --create to create a new one)"
        )


def _storage_errors() -> tuple[type[BaseException], ...]:
    from sqlalchemy.exc import SQLAlchemyError  # looked up only when something failed

    return (SQLAlchemyError, sqlite3.Error, OSError)


def main(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    only = command_of(argv)
    if only is None and not {"-h", "--help"} & set(argv):
        only = "gui"  # the desktop: no placeholder needs its plugins looked up
    args = build_parser(only=only).parse_args(argv)
    try:
        from drillplan.cli import users as auth_cli

        refuse_missing_database(args)
        with auth_cli.identity_from_args(args):
            status = _handler(args.command)(args)
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
    except _storage_errors() as exc:
        # the database or a file could not be read or written: one sentence, no traceback
        from drillplan.db.failures import storage_failure

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
