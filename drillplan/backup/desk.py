"""What the desktop's File menu does with whole databases: back up now, restore from a
backup, and load the demo data set into a NEW file.

The refusal rules are those of ``drillplan db backup|restore``: on a database that requires
a login only an administrator may back up (a backup holds every password hash) or restore
(it replaces everyone's data); the restore itself refuses a file that is not a drillplan
backup, a damaged one or one from a newer version before anything is touched
(:mod:`drillplan.backup.restore`) and copies the current database first
(:func:`drillplan.backup.files.restore`). The demo never goes into an existing file.
"""

from __future__ import annotations

from pathlib import Path

from drillplan.auth.login import needs_login
from drillplan.backup import files
from drillplan.db.database import Database, open_db
from drillplan.kernel.errors import PermissionDenied, ValidationError
from drillplan.kernel.identity import current_actor

__all__ = ["backup_now", "new_demo_database", "require_admin", "restore_from"]


def require_admin(database: Database, what: str, what_en: str) -> None:
    """On a database that requires a login, only a logged-in administrator goes on."""
    if not needs_login(database):
        return
    with database.session() as session:
        actor = current_actor(session)
    if actor is None or not actor.is_admin:
        who = actor.describe() if actor is not None else "（未登录 not logged in）"
        raise PermissionDenied(
            f"用户 {who} 无权{what}：此数据库需要登录，只有管理员可以执行。"
            f" (Only an administrator may {what_en} on a database that requires a login.)"
        )


def backup_now(database: Database, dest: Path) -> Path:
    """A verified backup of ``database`` at ``dest`` (a portable dump for PostgreSQL)."""
    require_admin(database, "备份数据库", "back up")
    return files.backup(database.engine, Path(dest))


def restore_from(database: Database, source: Path) -> Path | None:
    """Replace ``database`` with the backup ``source``; returns the copy kept aside."""
    require_admin(database, "恢复数据库", "restore")
    source = Path(source)
    if not source.is_file():
        raise ValidationError("file", f"找不到备份文件：{source}", message_en=f"no file {source}")
    return files.restore(database.engine, source)


def new_demo_database(dest: Path) -> Path:
    """Create a NEW SQLite file at ``dest`` holding the demo data set (never over a file)."""
    from drillplan.demo import load_demo  # the demo module is only needed here

    dest = Path(dest)
    if dest.exists():
        raise ValidationError(
            "file",
            f"文件已存在：{dest}。演示数据只载入新文件，请另选文件名。",
            message_en=f"{dest} exists; the demo is loaded into a new file only",
        )
    dest.parent.mkdir(parents=True, exist_ok=True)
    database = open_db(dest)
    try:
        with database.session() as session:
            load_demo(session)
    except BaseException:
        database.close()
        for leftover in (
            dest,
            dest.with_name(dest.name + "-wal"),
            dest.with_name(dest.name + "-shm"),
        ):
            leftover.unlink(missing_ok=True)
        raise
    database.close()
    return dest
