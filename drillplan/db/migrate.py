"""Schema migrations: Alembic is the only way the schema changes.

Opening a SQLite database upgrades it to head, copying the file to a backup beside it first.
A shared PostgreSQL database is never migrated silently: ``drillplan db upgrade`` does it.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect
from sqlalchemy import exc as sa_exc

from drillplan.db import append_only
from drillplan.db.engine import sqlite_path
from drillplan.kernel.errors import DrillplanError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
#: ``PRAGMA application_id`` of every SQLite file drillplan creates or migrates ("DPLN"): how a
#: file is known to be a drillplan database (older files without it: by their full schema)
SQLITE_APPLICATION_ID = 0x44504C4E


class SchemaMismatch(DrillplanError):
    """The database schema is not the one this version of drillplan knows."""


def alembic_config(engine: Engine | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if engine is not None:
        cfg.set_main_option(
            "sqlalchemy.url", engine.url.render_as_string(hide_password=False).replace("%", "%%")
        )
    return cfg


_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(?:None|['\"]([^'\"]+)['\"])", re.M)


@functools.cache  # the migration scripts do not change while the program runs
def _revision_graph() -> tuple[frozenset[str], frozenset[str]]:
    """(every revision, every revision something follows), read from the scripts' text: a
    linear history needs no Alembic import to know its head (start-up stays fast; Alembic is
    imported only when a migration is due). ``tests/test_migrations.py`` proves it agrees
    with Alembic's own reading."""
    revisions: set[str] = set()
    followed: set[str] = set()
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        text = script.read_text(encoding="utf-8")
        rev, down = _REVISION.search(text), _DOWN.search(text)
        if rev is None or down is None:
            continue
        revisions.add(rev.group(1))
        if down.group(1):
            followed.add(down.group(1))
    return frozenset(revisions), frozenset(followed)


def head_revision() -> str:
    revisions, followed = _revision_graph()
    heads = revisions - followed
    if len(heads) != 1:  # a branched history: let Alembic decide (and complain)
        from alembic.script import ScriptDirectory

        head = ScriptDirectory.from_config(alembic_config()).get_current_head()
        assert head is not None
        return head
    return next(iter(heads))


def known_revisions() -> set[str]:
    return set(_revision_graph()[0])


def current_revision(engine: Engine) -> str | None:
    """The revision stamped in ``alembic_version`` (None: no drillplan schema yet), read with
    one query instead of Alembic's migration context."""
    with engine.connect() as conn:
        try:
            rows = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
        except sa_exc.DBAPIError:  # no such table: an empty or foreign database
            conn.rollback()
            return None
    if len(rows) > 1:  # several heads stamped: only Alembic knows what that means
        from alembic.runtime.migration import MigrationContext

        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    return rows[0][0] if rows else None


def is_empty(engine: Engine) -> bool:
    return not inspect(engine).get_table_names()


def backup_sqlite(source: Path, dest: Path) -> Path:
    """Copy a SQLite database consistently with the online backup API."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    src = sqlite3.connect(str(source))
    try:
        dst = sqlite3.connect(str(dest))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
    return dest


def upgrade(engine: Engine, *, backup: bool = True) -> Path | None:
    """Upgrade the database to head. Returns the backup file taken first, if any."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        mark_sqlite(engine)
        return None
    if current is not None and current not in known_revisions():
        raise SchemaMismatch(
            f"数据库结构版本 {current} 比本程序新，请升级 drillplan。"
            f" (The database schema {current} is newer than this drillplan.)"
        )
    backup_file: Path | None = None
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if backup and path is not None and path.exists() and not is_empty(engine):
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        backup_file = path.with_name(f"{path.name}.pre-upgrade-{current or 'none'}-{stamp}.bak")
        engine.dispose()
        backup_sqlite(path, backup_file)
    from alembic import command

    if engine.url.get_backend_name() != "sqlite":
        with engine.begin() as conn:
            cfg = alembic_config(engine)
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, "head")
            append_only.ensure(conn)
        return backup_file
    # SQLite: a batch migration copies a table into a new one and drops the old, which the
    # rows referring to it would refuse; foreign keys are checked once at the end instead.
    with engine.connect() as conn:
        raw = conn.connection.dbapi_connection  # outside any transaction: the PRAGMA takes effect
        assert raw is not None
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                cfg = alembic_config(engine)
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                append_only.ensure(conn)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise SchemaMismatch(
                        f"升级后有 {len(broken)} 行外键引用无效，已回滚 (the upgrade left"
                        f" {len(broken)} broken foreign keys; rolled back): {broken[:3]}"
                    )
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
    mark_sqlite(engine)
    return backup_file


def mark_sqlite(engine: Engine) -> None:
    """Set drillplan's ``PRAGMA application_id`` on a SQLite file that has no id yet."""
    if engine.url.get_backend_name() != "sqlite":
        return
    with engine.begin() as conn:
        if conn.exec_driver_sql("PRAGMA application_id").scalar() == 0:
            conn.exec_driver_sql(f"PRAGMA application_id={SQLITE_APPLICATION_ID}")


def check_current(engine: Engine) -> None:
    """Refuse a database whose schema is not exactly head (shared mode: never migrate silently)."""
    current = current_revision(engine)
    head = head_revision()
    if current == head:
        return
    if current is None:
        raise SchemaMismatch(
            "数据库尚未初始化，请管理员运行 drillplan db upgrade。"
            " (The database has no drillplan schema: an administrator runs `drillplan db upgrade`.)"
        )
    if current not in known_revisions():
        raise SchemaMismatch(
            f"数据库结构版本 {current} 比本程序新，请升级 drillplan。"
            f" (The database schema {current} is newer than this drillplan.)"
        )
    raise SchemaMismatch(
        f"数据库结构版本 {current} 较旧，请管理员运行 drillplan db upgrade。"
        f" (The database schema {current} is older: an administrator runs `drillplan db upgrade`.)"
    )


def open_database(engine: Engine) -> Path | None:
    """Make the database usable: migrate SQLite on open, check PostgreSQL."""
    if engine.url.get_backend_name() == "sqlite":
        return upgrade(engine)
    check_current(engine)
    return None
