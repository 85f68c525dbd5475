"""Backup and restore of the SQLite database file (online backup API, consistent while in use)."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from drillplan.db import migrate
from drillplan.db.engine import sqlite_path
from drillplan.errors import DrillplanError, ValidationError

REQUIRED_TABLES = {"alembic_version", "plan", "team", "depot", "lot", "movement"}


def _db_file(engine: Engine) -> Path:
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        raise DrillplanError(
            "备份/恢复目前只支持本地 SQLite 数据库；PostgreSQL 请使用 pg_dump。"
            " (Backup/restore currently supports the local SQLite database only;"
            " use pg_dump for PostgreSQL.)"
        )
    return path


def backup(engine: Engine, dest: Path) -> Path:
    """Write a consistent copy of the database to ``dest``."""
    source = _db_file(engine)
    dest = Path(dest)
    if dest.resolve() == source.resolve():
        raise ValidationError("file", "备份文件不能是数据库本身", message_en="backup onto itself")
    return migrate.backup_sqlite(source, dest)


def backup_revision(path: Path) -> str:
    """The schema revision of a backup file; refuses files that are not drillplan backups."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError("file", f"找不到文件 {path}", message_en=f"no such file: {path}")
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not tables >= REQUIRED_TABLES:
                raise ValidationError(
                    "file",
                    f"{path.name} 不是 drillplan 备份文件",
                    message_en=f"{path.name} is not a drillplan backup",
                )
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise ValidationError(
            "file",
            f"{path.name} 不是 drillplan 备份文件（不是 SQLite 数据库）",
            message_en=f"{path.name} is not a drillplan backup ({exc})",
        ) from exc
    if row is None:
        raise ValidationError(
            "file", f"{path.name} 没有结构版本", message_en=f"{path.name} has no schema revision"
        )
    revision = str(row[0])
    if revision not in migrate.known_revisions():
        raise ValidationError(
            "file",
            f"备份的结构版本 {revision} 比本程序新，无法恢复；请先升级 drillplan",
            message_en=f"backup schema {revision} is newer than this drillplan; upgrade first",
        )
    return revision


def restore(engine: Engine, source: Path) -> Path | None:
    """Replace the database with ``source`` (migrating it if older).

    The current database (if any) is copied aside first; that copy's path is returned.
    """
    target = _db_file(engine)
    backup_revision(source)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    safety: Path | None = target.with_name(f"{target.name}.pre-restore-{stamp}.bak")
    engine.dispose()
    if target.exists():
        migrate.backup_sqlite(target, safety)
    else:
        safety = None
    migrate.backup_sqlite(Path(source), target)
    engine.dispose()
    migrate.upgrade(engine, backup=False)
    return safety
