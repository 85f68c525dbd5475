"""`drillplan db roles` and `drillplan db grant USER`: the database roles of shared mode on
PostgreSQL (drillplan/auth/database_roles.py; docs/shared-mode.md)."""

from __future__ import annotations

import argparse

from drillplan.cli.argtypes import EXIT_OK

ENV_ROLE_PASSWORD = "DRILLPLAN_ROLE_PASSWORD"


def register(db_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    db_sub.add_parser(
        "roles", help="PostgreSQL: create the viewer/editor/admin roles and row-level security"
    )
    g = db_sub.add_parser("grant", help="PostgreSQL: a database login role for a drillplan user")
    g.add_argument("username")


def run(args: argparse.Namespace) -> int:
    from drillplan.auth import database_roles
    from drillplan.cli.common import command_session
    from drillplan.cli.users import new_password

    with command_session(args) as (_database, session):
        if args.db_command == "roles":
            statements = database_roles.install(session.connection())
            print(f"已设置数据库角色 (roles set up): {len(statements)} 条语句 (statements)")
        else:
            password = new_password(f"数据库角色 {args.username}", ENV_ROLE_PASSWORD)
            name = database_roles.grant_login(session, args.username, password)
            print(f"已创建/更新登录角色 (login role ready): {name}")
    return EXIT_OK
