"""Backup and restore: the SQLite file (online backup API, consistent while in use) or the
portable dump (a zip, see :mod:`drillplan.backup.dump`) that moves between SQLite and
PostgreSQL; automatic daily backups of the user's SQLite file, keeping the last N.

* ``backup(engine, dest)``: SQLite to a ``.sqlite3``/``.bak``/any file: a copy of the database;
  to ``.zip``/``.dpbackup``, or from PostgreSQL: the portable dump.
* ``restore(engine, source)``: either kind into either database. A file that is not a drillplan
  backup, or one from a newer schema, is refused before anything is touched; an older one is
  migrated. The database being replaced is kept aside first; that copy's path is returned.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from alembic import command
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from drillplan import settings
from drillplan.backup import dump
from drillplan.db import migrate
from drillplan.db.engine import make_engine, sqlite_path
from drillplan.kernel.errors import DrillplanError, ValidationError

if TYPE_CHECKING:
    from drillplan.db.database import Database

REQUIRED_TABLES = {"alembic_version", "plan", "team", "depot", "lot", "movement"}
PORTABLE_SUFFIXES = {".zip", ".dpbackup"}
BACKUP_DIR = "backups"


def _not_backup(path: Path, why: str = "", why_en: str = "") -> ValidationError:
    return ValidationError(
        "file",
        f"{path.name} 不是 drillplan 备份文件{why}",
        message_en=f"{path.name} is not a drillplan backup{why_en}",
    )


def _newer(revision: str) -> ValidationError:
    return ValidationError(
        "file",
        f"备份的结构版本 {revision} 比本程序新，无法恢复；请先升级 drillplan",
        message_en=f"backup schema {revision} is newer than this drillplan; upgrade first",
    )


def is_portable(path: Path) -> bool:
    if path.suffix.lower() in PORTABLE_SUFFIXES:
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def backup(engine: Engine, dest: Path) -> Path:
    """Write a consistent copy of the database to ``dest`` (see the module)."""
    dest = Path(dest)
    source = sqlite_path(engine.url.render_as_string(hide_password=False))
    if source is not None and dest.suffix.lower() not in PORTABLE_SUFFIXES:
        if dest.resolve() == source.resolve():
            raise ValidationError(
                "file", "备份文件不能是数据库本身", message_en="backup onto itself"
            )
        return migrate.backup_sqlite(source, dest)
    if dest.suffix.lower() not in PORTABLE_SUFFIXES:
        dest = dest.with_name(dest.name + ".dpbackup")
    dump.write_dump(engine, dest)
    return dest


def _sqlite_revision(path: Path) -> str:
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            if not tables >= REQUIRED_TABLES:
                raise _not_backup(path)
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _not_backup(path, "（不是 SQLite 数据库或 drillplan 备份包）", f" ({exc})") from exc
    if row is None:
        raise ValidationError(
            "file", f"{path.name} 没有结构版本", message_en=f"{path.name} has no schema revision"
        )
    return str(row[0])


def backup_revision(path: Path) -> str:
    """The schema revision of a backup file; refuses files that are not drillplan backups and
    backups from a newer schema."""
    path = Path(path)
    if not path.is_file():
        raise ValidationError("file", f"找不到文件 {path}", message_en=f"no such file: {path}")
    if is_portable(path):
        try:
            revision = str(dump.read_manifest(path).get("schema_revision") or "")
        except dump.DumpError as exc:
            raise _not_backup(path, "（备份包没有有效的清单）", f" ({exc})") from exc
    else:
        revision = _sqlite_revision(path)
    if revision not in migrate.known_revisions():
        raise _newer(revision)
    return revision


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _upgrade_to(engine: Engine, revision: str) -> None:
    with engine.begin() as conn:
        cfg = migrate.alembic_config(engine)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def _build_sqlite(source: Path, revision: str, work: Path) -> Path:
    """A SQLite file at head holding the backup ``source``."""
    path = work / "restore.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    try:
        if is_portable(source):
            _upgrade_to(engine, revision)
            with engine.begin() as conn:
                dump.load_dump(source, conn)
        else:
            engine.dispose()
            migrate.backup_sqlite(source, path)
        migrate.upgrade(engine, backup=False)
    finally:
        engine.dispose()
    return path


def restore(engine: Engine, source: Path) -> Path | None:
    """Replace the database with the backup ``source`` (migrating it if older).

    The current database (if any) is copied aside first (a ``.bak`` next to a SQLite file, a
    portable dump next to ``source`` for PostgreSQL); that copy's path is returned.
    """
    source = Path(source)
    revision = backup_revision(source)
    target = sqlite_path(engine.url.render_as_string(hide_password=False))
    if target is None and engine.url.get_backend_name() == "sqlite":
        raise DrillplanError("不能恢复到内存数据库 (cannot restore into an in-memory database)")
    with tempfile.TemporaryDirectory(prefix="drillplan-restore-") as tmp:
        if target is not None and not is_portable(source):
            restored = source
        else:
            restored = _build_sqlite(source, revision, Path(tmp))
        safety: Path | None = None
        engine.dispose()
        if target is not None:
            if target.exists() and not migrate.is_empty(engine):
                safety = target.with_name(f"{target.name}.pre-restore-{_stamp()}.bak")
                engine.dispose()
                migrate.backup_sqlite(target, safety)
            engine.dispose()
            migrate.backup_sqlite(restored, target)
            engine.dispose()
            migrate.upgrade(engine, backup=False)
            return safety
        if not migrate.is_empty(engine):
            safety = source.with_name(f"pre-restore-{engine.url.database}-{_stamp()}.dpbackup")
            dump.write_dump(engine, safety)
        migrate.upgrade(engine, backup=False)  # refuses a newer schema, migrates an older one
        src = make_engine(f"sqlite:///{restored}")
        try:
            dump.copy_database(src, engine)
        finally:
            src.dispose()
    return safety


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
