"""Shared mode on PostgreSQL: database roles, so the database itself holds what the
application promises even against a client that bypasses it.

:func:`install` (``drillplan db roles``, run by the database owner) creates three group
roles and the row-level security policies:

- ``drillplan_viewer``: reads everything, writes nothing;
- ``drillplan_editor``: writes the registers, but rows owned by a unit (depots, teams, plans,
  lots, movements, corrective actions) only inside its drillplan user's scope (its unit and
  the units below it), checked by row-level security;
- ``drillplan_admin``: writes everything.

None of them owns a table, so none can drop or disable the append-only triggers; all of them
may only INSERT into ``movement`` and ``audit_log`` (no UPDATE, DELETE or TRUNCATE is
granted). :func:`grant_login` (``drillplan db grant USER``) creates a login role named like
the drillplan user and makes it a member of the group of the user's role; the policies find
the user's scope from ``session_user``. The owner (who runs migrations, restores and
``demo --reset --force``) keeps its rights: it is the administrator's, never a client's.
"""

from __future__ import annotations

from sqlalchemy import Connection, text
from sqlalchemy.orm import Session

from drillplan.db.models import User
from drillplan.kernel.errors import NotFound, ValidationError
from drillplan.kernel.vocab import Role

GROUPS = {
    Role.VIEWER: "drillplan_viewer",
    Role.EDITOR: "drillplan_editor",
    Role.ADMIN: "drillplan_admin",
}
APPEND_ONLY = ("movement", "audit_log")
#: columns every client writes while logging in or changing its own password
LOGIN_COLUMNS = (
    "failed_logins",
    "locked_until",
    "last_login_at",
    "password_hash",
    "password_changed_at",
    "must_change_password",
)
_HOLDER_OWNER = (
    "(SELECT COALESCE(d.owner_unit_id, t.owner_unit_id) FROM holder h"
    " LEFT JOIN depot d ON d.id = h.depot_id LEFT JOIN team t ON t.id = h.team_id"
    " WHERE h.id = {holder})"
)
#: table -> SQL expression of the unit that owns a row (row-level security)
OWNED = {
    "depot": "owner_unit_id",
    "team": "owner_unit_id",
    "plan": "owner_unit_id",
    "corrective_action": "owner_unit_id",
    "lot": "drillplan_holder_owner(holder_id)",
    "movement": "drillplan_holder_owner((SELECT l.holder_id FROM lot l WHERE l.id = lot_id))",
    "contact": "scope_unit_id",  # the unit itself, the depot's or team's owner, a 主管单位
}


def _require_postgres(conn: Connection) -> None:
    if conn.dialect.name != "postgresql":
        raise ValidationError(
            "db",
            "数据库角色只用于共享的 PostgreSQL 数据库",
            message_en="database roles are for a shared PostgreSQL database only",
        )


def _functions(schema: str) -> list[str]:
    path = f"SET search_path = {schema}, pg_temp"
    return [
        "CREATE OR REPLACE FUNCTION drillplan_is_admin() RETURNS boolean LANGUAGE sql STABLE"
        f" SECURITY DEFINER {path} AS $$ SELECT EXISTS (SELECT 1 FROM app_user"
        " WHERE username = session_user AND role = 'admin' AND active) $$",
        "CREATE OR REPLACE FUNCTION drillplan_scope() RETURNS SETOF integer LANGUAGE sql STABLE"
        f" SECURITY DEFINER {path} AS $$ WITH RECURSIVE tree(id) AS ("
        " SELECT unit_id FROM app_user WHERE username = session_user AND active"
        " AND role IN ('editor', 'admin') AND unit_id IS NOT NULL"
        " UNION SELECT u.id FROM unit u JOIN tree ON u.parent_id = tree.id)"
        " SELECT id FROM tree $$",
        "CREATE OR REPLACE FUNCTION drillplan_holder_owner(holder integer) RETURNS integer"
        f" LANGUAGE sql STABLE SECURITY DEFINER {path} AS $$ "
        + _HOLDER_OWNER.format(holder="holder")
        + " $$",
    ]


def _policies(table: str, owner: str) -> list[str]:
    allowed = f"(drillplan_is_admin() OR {owner} IN (SELECT drillplan_scope()))"
    return [
        f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
        f"DROP POLICY IF EXISTS drillplan_read ON {table}",
        f"CREATE POLICY drillplan_read ON {table} FOR SELECT USING (true)",
        f"DROP POLICY IF EXISTS drillplan_insert ON {table}",
        f"CREATE POLICY drillplan_insert ON {table} FOR INSERT WITH CHECK {allowed}",
        f"DROP POLICY IF EXISTS drillplan_update ON {table}",
        f"CREATE POLICY drillplan_update ON {table} FOR UPDATE USING {allowed}"
        f" WITH CHECK {allowed}",
        f"DROP POLICY IF EXISTS drillplan_delete ON {table}",
        f"CREATE POLICY drillplan_delete ON {table} FOR DELETE USING {allowed}",
    ]


def _role_exists(conn: Connection, name: str) -> bool:
    return bool(conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :n"), {"n": name}))


def install(conn: Connection) -> list[str]:
    """Create (or bring up to date) the group roles, grants and policies. Returns the
    statements run (shown by ``drillplan db roles``)."""
    _require_postgres(conn)
    schema = str(conn.scalar(text("SELECT current_schema()")))
    database = str(conn.scalar(text("SELECT current_database()")))
    statements: list[str] = []
    for group in GROUPS.values():
        if not _role_exists(conn, group):
            statements.append(f"CREATE ROLE {group} NOLOGIN")
    for group in GROUPS.values():
        statements += [
            f'GRANT CONNECT ON DATABASE "{database}" TO {group}',
            f"GRANT USAGE ON SCHEMA {schema} TO {group}",
            f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema} FROM {group}",
            f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {group}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {group}",
            f"GRANT UPDATE ({', '.join(LOGIN_COLUMNS)}) ON app_user TO {group}",
            f"GRANT INSERT ON audit_log TO {group}",
        ]
    tables = [
        str(r[0])
        for r in conn.execute(
            text("SELECT tablename FROM pg_tables WHERE schemaname = :s ORDER BY tablename"),
            {"s": schema},
        )
    ]
    writable = [t for t in tables if t not in (*APPEND_ONLY, "alembic_version", "app_user")]
    for group in (GROUPS[Role.EDITOR], GROUPS[Role.ADMIN]):
        statements += [f"GRANT INSERT, UPDATE, DELETE ON {t} TO {group}" for t in writable]
        statements.append(f"GRANT INSERT ON movement TO {group}")
    statements.append(f"GRANT INSERT, UPDATE, DELETE ON app_user TO {GROUPS[Role.ADMIN]}")
    statements += _functions(schema)
    for table, owner in OWNED.items():
        statements += _policies(table, owner)
    for statement in statements:
        conn.execute(text(statement))
    return statements


def grant_login(session: Session, username: str, password: str) -> str:
    """Create or update the login role of drillplan user ``username`` and put it in the
    group of the user's role (only that group). Returns the role's name."""
    conn = session.connection()
    _require_postgres(conn)
    user = session.query(User).filter(User.username == username).one_or_none()
    if user is None:
        raise NotFound(f"没有用户 {username} (no user {username})")
    if not username.replace("_", "").isalnum() or not username.isascii():
        raise ValidationError(
            "username",
            "数据库角色名只能由英文字母、数字和下划线组成",
            message_en="a database role name takes ASCII letters, digits and underscores",
        )
    if len(password) < 8:
        raise ValidationError(
            "password", "数据库密码至少 8 个字符", message_en="at least 8 characters"
        )
    quoted = conn.dialect.identifier_preparer.quote(username)
    literal = conn.scalar(text("SELECT quote_literal(:p)"), {"p": password})
    verb = "ALTER" if _role_exists(conn, username) else "CREATE"
    conn.execute(text(f"{verb} ROLE {quoted} LOGIN PASSWORD {literal}"))
    for role, group in GROUPS.items():
        action = "GRANT" if role == Role(user.role) else "REVOKE"
        direction = "TO" if action == "GRANT" else "FROM"
        conn.execute(text(f"{action} {group} {direction} {quoted}"))
    return username
