"""Append-only tables, enforced by the database: triggers refuse UPDATE and DELETE of rows of
the movement ledger and of the audit log on SQLite and PostgreSQL (a correction is a new
movement, a reversal; the log only grows).

:func:`install` creates the triggers (idempotent: migration 0007 and :func:`ensure` after
every upgrade, because a SQLite batch migration that rebuilds one of these tables drops its
triggers). :func:`suspended` lifts them for one transaction of an administrator's
maintenance (``demo --reset --force`` deleting the old ledger): on PostgreSQL that needs
the tables' owner, which the clients' roles of shared mode are not.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

from sqlalchemy import Connection, text

TABLES: tuple[str, ...] = ("movement", "audit_log")
#: the message the database raises (also how errors are recognised)
MESSAGE = "append-only table: rows cannot be changed or deleted"
_PG_FUNCTION = "drillplan_append_only"


def _sqlite_statements(table: str) -> list[str]:
    return [
        f"CREATE TRIGGER IF NOT EXISTS {table}_no_{verb.lower()} BEFORE {verb} ON {table}"
        f" BEGIN SELECT RAISE(ABORT, '{table}: {MESSAGE}'); END"
        for verb in ("UPDATE", "DELETE")
    ]


def _pg_function() -> str:
    return (
        f"CREATE OR REPLACE FUNCTION {_PG_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN RAISE EXCEPTION '%: {MESSAGE}', TG_TABLE_NAME"
        " USING ERRCODE = 'restrict_violation'; END $$"
    )


def _pg_statements(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}",
        f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {_PG_FUNCTION}()",
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}"
        f" FOR EACH STATEMENT EXECUTE FUNCTION {_PG_FUNCTION}()",
    ]


def install(conn: Connection, tables: Sequence[str] = TABLES) -> None:
    """Create the triggers (again) on ``tables``."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(_pg_function()))
        for table in tables:
            for statement in _pg_statements(table):
                conn.execute(text(statement))
    elif conn.dialect.name == "sqlite":
        for table in tables:
            for statement in _sqlite_statements(table):
                conn.execute(text(statement))


def drop(conn: Connection, tables: Sequence[str] = TABLES) -> None:
    if conn.dialect.name == "postgresql":
        for table in tables:
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}"))
            conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}"))
        if set(tables) == set(TABLES):
            conn.execute(text(f"DROP FUNCTION IF EXISTS {_PG_FUNCTION}()"))
    elif conn.dialect.name == "sqlite":
        for table in tables:
            for verb in ("update", "delete"):
                conn.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))


def installed(conn: Connection) -> set[str]:
    """The tables whose rows the database currently protects."""
    if conn.dialect.name == "postgresql":
        rows = conn.execute(
            text(
                "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid"
                " WHERE t.tgname = c.relname || '_append_only' AND t.tgenabled <> 'D'"
                " AND c.relnamespace = to_regnamespace(current_schema())"
            )
        )
        return {str(r[0]) for r in rows} & set(TABLES)
    if conn.dialect.name == "sqlite":
        names = {
            str(r[0])
            for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        }
        return {t for t in TABLES if {f"{t}_no_update", f"{t}_no_delete"} <= names}
    return set()


def ensure(conn: Connection) -> None:
    """Re-create missing triggers (after a migration that rebuilt a table)."""
    missing = [t for t in TABLES if t not in installed(conn)]
    if missing:
        install(conn, missing)


@contextmanager
def suspended(conn: Connection, tables: Sequence[str] = ("movement",)) -> Iterator[None]:
    """Lift the protection of ``tables`` inside the caller's transaction and restore it
    before the transaction ends (an administrator's maintenance only)."""
    if conn.dialect.name == "postgresql":
        for table in tables:
            conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
        try:
            yield
        finally:
            for table in tables:
                conn.execute(text(f"ALTER TABLE {table} ENABLE TRIGGER {table}_append_only"))
        return
    drop(conn, tables)
    try:
        yield
    finally:
        install(conn, tables)
