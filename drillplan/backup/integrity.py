"""Is the database file sound? SQLite's own checks, as :class:`Violation` rows for
``drillplan check``, and as refusals for backup and restore.

* SQLite: ``PRAGMA quick_check`` (every page and record well formed; O(N)) and, with
  ``full``, ``PRAGMA integrity_check`` (also every index against its table).
* PostgreSQL: the server keeps its pages; when the ``amcheck`` extension is installed in the
  database, every B-tree index of drillplan's schema is checked with ``bt_index_check``
  (``full``: also that every table row is in its indexes, ``heapallindexed``). Without
  amcheck (or without the right to run it) nothing is checked beyond ``run_checks`` and the
  database's constraints.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from drillplan.db import migrate
from drillplan.db.engine import sqlite_path
from drillplan.kernel.errors import ValidationError
from drillplan.stock.check import Violation

MAX_REPORTED = 100
INSUFFICIENT_PRIVILEGE = "42501"


def sqlite_problems(conn: Connection | sqlite3.Connection, *, full: bool = False) -> list[str]:
    """What SQLite's quick_check (``full``: integrity_check) reports; empty when sound."""
    pragma = f"PRAGMA {'integrity_check' if full else 'quick_check'}({MAX_REPORTED})"
    try:
        if isinstance(conn, sqlite3.Connection):
            rows = conn.execute(pragma).fetchall()
        else:
            rows = list(conn.exec_driver_sql(pragma))
    except (sqlite3.DatabaseError, DBAPIError) as exc:
        return [str(exc)]
    found = [str(r[0]) for r in rows]
    return [] if found == ["ok"] else found


def file_problems(path: Path, *, full: bool = False) -> list[str]:
    """:func:`sqlite_problems` of the SQLite file at ``path``, opened read-only."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    try:
        return sqlite_problems(conn, full=full)
    finally:
        conn.close()


def application_id(path: Path) -> int:
    """The ``PRAGMA application_id`` of a SQLite file (0: none set)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])
    finally:
        conn.close()


def require_sound(path: Path, what: str, what_en: str) -> None:
    """Refuse a SQLite file that fails quick_check, naming it as ``what``."""
    problems = file_problems(path)
    if problems:
        raise ValidationError(
            "file",
            f"{what} {path.name} 已损坏（SQLite 完整性检查未通过：{problems[0]}）",
            message_en=f"{what_en} {path.name} is corrupt (SQLite quick_check: {problems[0]})",
        )


def revision_of(path: Path) -> str | None:
    """The schema revision recorded in a SQLite file (None: none readable)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        row = None
    finally:
        conn.close()
    return None if row is None else str(row[0])


def require_revision(path: Path, what: str, what_en: str, revision: str | None = None) -> None:
    """Refuse a SQLite file that fails quick_check or is not at ``revision`` (default: the
    newest schema revision)."""
    require_sound(path, what, what_en)
    expected = revision or migrate.head_revision()
    found = revision_of(path)
    if found != expected:
        raise ValidationError(
            "file",
            f"{what} {path.name} 的结构版本是 {found or '无'}，应为 {expected}",
            message_en=f"{what_en} {path.name} has schema {found or 'none'}, not {expected}",
        )


def _pg_index_problems(session: Session, *, full: bool) -> list[tuple[str, str]]:
    installed = session.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'"))
    if not installed:
        return []
    indexes = session.execute(
        text(
            "SELECT c.oid, c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
            " JOIN pg_am a ON a.oid = c.relam"
            " WHERE a.amname = 'btree' AND c.relnamespace = current_schema()::regnamespace"
            " ORDER BY c.relname"
        )
    ).all()
    found = []
    for oid, name in indexes:
        try:
            with session.begin_nested():
                session.execute(
                    text("SELECT bt_index_check(CAST(:oid AS oid), :heap)"),
                    {"oid": oid, "heap": full},
                )
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
                return found  # amcheck is there but this role may not run it: nothing checked
            found.append((str(name), str(exc.orig or exc).splitlines()[0]))
    return found


def pg_indexes_checked(session: Session) -> int:
    """How many indexes :func:`storage_violations` checks on PostgreSQL (0: no amcheck)."""
    if not session.scalar(text("SELECT 1 FROM pg_extension WHERE extname = 'amcheck'")):
        return 0
    return int(
        session.scalar(
            text(
                "SELECT count(*) FROM pg_class c JOIN pg_am a ON a.oid = c.relam"
                " WHERE c.relkind = 'i' AND a.amname = 'btree'"
                " AND c.relnamespace = current_schema()::regnamespace"
            )
        )
        or 0
    )


def storage_violations(session: Session, *, full: bool = False) -> list[Violation]:
    """The database's own integrity, as violations (see the module)."""
    bind = session.get_bind()
    if bind.dialect.name == "sqlite":
        # a file is checked on a connection of its own: a check that meets a damaged page
        # can fail the transaction it runs in, and the command's own must still end cleanly
        path = sqlite_path(bind.engine.url.render_as_string(hide_password=False))
        problems = (
            file_problems(path, full=full)
            if path is not None
            else sqlite_problems(session.connection(), full=full)
        )
        rule = "sqlite_integrity_check" if full else "sqlite_quick_check"
        return [
            Violation(
                rule,
                "(database)",
                n,
                f"数据库文件损坏：{problem} (the database file is corrupt: {problem})",
            )
            for n, problem in enumerate(problems, 1)
        ]
    return [
        Violation(
            "pg_amcheck",
            "(index)",
            name,
            f"索引 {name} 损坏：{problem} (index {name} is corrupt: {problem})",
        )
        for name, problem in _pg_index_problems(session, full=full)
    ]
