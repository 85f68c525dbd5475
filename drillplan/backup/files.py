"""Backup and restore: the SQLite file (online backup API, consistent while in use) or the
portable dump (a zip, see :mod:`drillplan.backup.dump`) that moves between SQLite and
PostgreSQL; automatic daily backups of the user's SQLite file, keeping the last N.

* ``backup(engine, dest)``: SQLite to a ``.sqlite3``/``.bak``/any file: a copy of the database;
  to ``.zip``/``.dpbackup``, or from PostgreSQL: the portable dump. A SQLite source must pass
  SQLite's quick_check first, and the written file is verified before success is reported
  (a copy: quick_check and revision; a dump: every member's digest and row count).
* ``restore(engine, source)``: either kind into either database, all or nothing (see
  :mod:`drillplan.backup.restore`). A file that is not a drillplan backup, a damaged one, or
  one from a newer schema is refused before anything is touched; an older one is migrated.
  The database being replaced is kept aside first; that copy's path is returned.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.backup import dump, integrity
from drillplan.backup import restore as restoring
from drillplan.backup.archive import DEFAULT_LIMITS, Limits
from drillplan.backup.verify import PORTABLE_SUFFIXES, backup_revision, is_portable
from drillplan.db import migrate
from drillplan.db.engine import sqlite_path
from drillplan.kernel.errors import ValidationError

if TYPE_CHECKING:
    from drillplan.db.database import Database

__all__ = [
    "auto_backup",
    "auto_backup_on_start",
    "backup",
    "backup_folder",
    "backup_revision",
    "is_portable",
    "pre_upgrade_backup",
    "restore",
]

BACKUP_DIR = "backups"


def backup(engine: Engine, dest: Path) -> Path:
    """Write a consistent, verified copy of the database to ``dest`` (see the module)."""
    dest = Path(dest)
    source = sqlite_path(engine.url.render_as_string(hide_password=False))
    if source is not None:
        engine.dispose()
        integrity.require_sound(source, "数据库", "the database")
        revision = integrity.revision_of(source)
    if source is not None and dest.suffix.lower() not in PORTABLE_SUFFIXES:
        if dest.exists() and dest.resolve() == source.resolve():
            raise ValidationError(
                "file", "备份文件不能是数据库本身", message_en="backup onto itself"
            )
        migrate.backup_sqlite(source, dest)
        integrity.require_revision(dest, "备份文件", "the backup", revision)
        return dest
    if dest.suffix.lower() not in PORTABLE_SUFFIXES:
        dest = dest.with_name(dest.name + ".dpbackup")
    manifest = dump.write_dump(engine, dest)
    dump.verify_dump(dest, set(manifest["tables"]))
    return dest


def restore(engine: Engine, source: Path, *, limits: Limits = DEFAULT_LIMITS) -> Path | None:
    """Replace the database with the backup ``source``, all or nothing; returns the copy of
    the replaced database kept aside, if any (see :mod:`drillplan.backup.restore`)."""
    return restoring.restore(engine, source, limits=limits)


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


# ------------------------------------------------------------------------ automatic


def backup_folder(engine: Engine) -> Path | None:
    """``backups/`` next to the SQLite file (None for PostgreSQL or in-memory)."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    return None if path is None else path.parent / BACKUP_DIR


def _auto_files(folder: Path, stem: str) -> list[Path]:
    return sorted(folder.glob(f"{stem}-auto-????????-??????.sqlite3"))


def auto_backup(
    database: object,
    *,
    keep: int = 14,
    daily: bool = True,
    folder: Path | None = None,
    today: dt.date | None = None,
) -> Path | None:
    """The app's first start of the day: copy the SQLite file to ``backups/`` and keep the
    last ``keep`` copies. With ``daily`` nothing is done if today's copy exists. ``database``
    is a :class:`drillplan.db.database.Database` (or an engine); PostgreSQL is skipped (None).
    """
    engine: Engine = getattr(database, "engine", database)  # type: ignore[assignment]
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None or not path.exists():
        return None
    folder = folder or path.parent / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem = path.stem
    today = today or dt.date.today()
    if daily and any(f"-auto-{today:%Y%m%d}-" in p.name for p in _auto_files(folder, stem)):
        return None
    now = dt.datetime.combine(today, dt.datetime.now().time())
    dest = folder / f"{stem}-auto-{now:%Y%m%d-%H%M%S}.sqlite3"
    migrate.backup_sqlite(path, dest)
    for old in _auto_files(folder, stem)[: -max(keep, 1)]:
        old.unlink(missing_ok=True)
    return dest


def _setting(session: Session, key: str) -> Any:
    return settings.get(session, key)


def auto_backup_on_start(database: Database) -> Path | None:
    """What the app calls once it has opened the user's database: :func:`auto_backup` as the
    settings ``daily_backup`` and ``backup_keep`` say (None when off, done today, or PG)."""
    if not database.is_sqlite:
        return None
    with database.sessions() as session:
        enabled, keep = _setting(session, "daily_backup"), _setting(session, "backup_keep")
    return auto_backup(database, keep=int(keep), daily=True) if enabled else None


def pre_upgrade_backup(engine: Engine, folder: Path) -> Path | None:
    """PostgreSQL: a portable dump before ``drillplan db upgrade`` migrates a non-empty
    database (SQLite files get their copy from :func:`migrate.upgrade` itself)."""
    if engine.url.get_backend_name() == "sqlite" or migrate.is_empty(engine):
        return None
    current = migrate.current_revision(engine)
    if current == migrate.head_revision():
        return None
    dest = Path(folder) / f"pre-upgrade-{current or 'none'}-{_stamp()}.dpbackup"
    dump.write_dump(engine, dest)
    return dest
