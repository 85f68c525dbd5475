"""Backup and restore: the SQLite file (online backup API, consistent while in use) or the
portable dump (a zip, see :mod:`drillplan.backup.dump`) that moves between SQLite and
PostgreSQL; automatic backups of the user's SQLite file (the first start of each day, and
before every import and restore), keeping those of the last N days.

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
import re
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
    "backup_before",
    "backup_folder",
    "backup_revision",
    "is_portable",
    "pre_upgrade_backup",
    "prune_auto_backups",
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
    the replaced database kept aside, if any (see :mod:`drillplan.backup.restore`). Once the
    backup has proven whole, a SQLite target with data is first copied to ``backups/``
    (:func:`backup_before`, reason "before-restore")."""

    def before() -> None:
        path = sqlite_path(engine.url.render_as_string(hide_password=False))
        if path is None or not path.exists() or migrate.is_empty(engine):
            return
        with Session(engine) as session:
            backup_before(session, "before-restore")

    return restoring.restore(engine, source, limits=limits, before=before)


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


# ------------------------------------------------------------------------ automatic


def backup_folder(engine: Engine) -> Path | None:
    """``backups/`` next to the SQLite file (None for PostgreSQL or in-memory)."""
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    return None if path is None else path.parent / BACKUP_DIR


#: what an automatic copy was taken for: the first start of a day, or an import / restore
REASONS = ("auto", "before-import", "before-restore")
_AUTO_NAME = re.compile(r"-(auto|before-import|before-restore)-(\d{8})-(\d{6})(-\d+)?\.sqlite3$")


def _auto_files(folder: Path, stem: str) -> list[tuple[dt.date, str, Path]]:
    """The automatic copies of ``stem`` in ``folder``: (day taken, reason, path), oldest first."""
    found = []
    for path in folder.glob(f"{stem}-*.sqlite3"):
        match = _AUTO_NAME.search(path.name[len(stem) :])
        if match and path.name[: len(stem)] == stem:
            day = dt.datetime.strptime(match.group(2), "%Y%m%d").date()
            found.append((day, match.group(1), path))
    return sorted(found, key=lambda f: (f[0], f[2].name))


def prune_auto_backups(folder: Path, stem: str, *, keep_days: int, today: dt.date) -> list[Path]:
    """Delete automatic copies taken more than ``keep_days`` days before ``today`` (today
    counts as one); the newest copy is always kept. Returns what was deleted."""
    files = _auto_files(folder, stem)
    oldest_kept = today - dt.timedelta(days=max(keep_days, 1) - 1)
    gone = [path for day, _reason, path in files[:-1] if day < oldest_kept]
    for path in gone:
        for leftover in (
            path,
            path.with_name(path.name + "-wal"),
            path.with_name(path.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
    return gone


def auto_backup(
    database: object,
    *,
    keep_days: int = 14,
    daily: bool = True,
    reason: str = "auto",
    folder: Path | None = None,
    today: dt.date | None = None,
) -> Path | None:
    """Copy the SQLite file to ``backups/`` and keep the copies of the last ``keep_days``
    days. ``reason`` "auto" is the app's first start of the day (with ``daily`` nothing is
    done if today's exists); "before-import" / "before-restore" are taken every time.
    ``database`` is a :class:`drillplan.db.database.Database` (or an engine); PostgreSQL and
    in-memory databases are skipped (None)."""
    if reason not in REASONS:
        raise ValueError(f"unknown backup reason {reason!r}")
    engine: Engine = getattr(database, "engine", database)  # type: ignore[assignment]
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None or not path.exists():
        return None
    folder = folder or path.parent / BACKUP_DIR
    folder.mkdir(parents=True, exist_ok=True)
    stem = path.stem
    today = today or dt.date.today()
    taken = _auto_files(folder, stem)
    if daily and reason == "auto" and any(d == today and r == "auto" for d, r, _p in taken):
        return None
    now = dt.datetime.combine(today, dt.datetime.now().time())
    dest = folder / f"{stem}-{reason}-{now:%Y%m%d-%H%M%S}.sqlite3"
    n = 1
    while dest.exists():  # two in the same second (an import right after the start)
        n += 1
        dest = folder / f"{stem}-{reason}-{now:%Y%m%d-%H%M%S}-{n}.sqlite3"
    migrate.backup_sqlite(path, dest)
    prune_auto_backups(folder, stem, keep_days=keep_days, today=today)
    return dest


def _setting(session: Session, key: str) -> Any:
    return settings.get(session, key)


def auto_backup_on_start(database: Database) -> Path | None:
    """What the app calls once it has opened the user's database: :func:`auto_backup` as the
    settings ``daily_backup`` and ``backup_keep`` (days) say (None when off, done today, or
    PG)."""
    if not database.is_sqlite:
        return None
    with database.sessions() as session:
        enabled, keep = _setting(session, "daily_backup"), _setting(session, "backup_keep")
    return auto_backup(database, keep_days=int(keep), daily=True) if enabled else None


def backup_before(session: Session, reason: str, *, today: dt.date | None = None) -> Path | None:
    """A copy of the SQLite file the session works on, taken before an import or a restore
    writes (every time, whatever ``daily_backup`` says); kept like the daily ones. The
    copy holds what is committed; call it before the session writes anything."""
    keep = int(_setting(session, "backup_keep"))
    return auto_backup(session.get_bind(), keep_days=keep, daily=False, reason=reason, today=today)


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
