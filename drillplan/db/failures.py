"""A database that cannot be used, said in one clear sentence instead of a traceback.

The SQLite file is damaged or not a database, read-only, locked by another program, or the
disk is full; a PostgreSQL server cannot be reached. :func:`storage_failure` recognises these
in the driver's error (at open and at commit) and gives a :class:`StorageUnavailable`, a
:class:`~drillplan.kernel.errors.DrillplanError` the command line prints (exit 2) and the
desktop shows. Anything it does not recognise is left as it is.
"""

from __future__ import annotations

import errno
import sqlite3

from sqlalchemy import exc as sa_exc

from drillplan.kernel.errors import DrillplanError

__all__ = ["StorageUnavailable", "storage_failure"]


class StorageUnavailable(DrillplanError):
    """The database (or the disk under it) cannot be read or written; ``reason`` names why:
    corrupt, read_only, locked, disk_full, cannot_open, unreachable."""

    def __init__(self, message: str, *, reason: str, where: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason
        self.where = where


# (words in the driver's message, reason, 中文, English)
_SQLITE_FAILURES: tuple[tuple[tuple[str, ...], str, str, str], ...] = (
    (
        ("file is not a database", "malformed", "file is encrypted"),
        "corrupt",
        "数据库文件已损坏或不是 drillplan 数据库",
        "the database file is damaged or is not a database",
    ),
    (
        ("readonly database", "read-only", "attempt to write a readonly"),
        "read_only",
        "数据库文件或其所在文件夹是只读的，无法保存",
        "the database file or its folder is read-only",
    ),
    (
        ("database is locked", "database table is locked", "locking protocol"),
        "locked",
        "数据库正被其他程序占用（已锁定），请关闭占用它的程序后重试",
        "the database is locked by another program; close it and try again",
    ),
    (
        ("database or disk is full", "disk i/o error", "no space left"),
        "disk_full",
        "磁盘已满或无法写入，数据库未能保存",
        "the disk is full or cannot be written; nothing was saved",
    ),
    (
        ("unable to open database file", "cannot open"),
        "cannot_open",
        "无法打开数据库文件（路径不存在或没有权限）",
        "cannot open the database file (no such folder, or no permission)",
    ),
)

_OS_FAILURES = {
    errno.ENOSPC: ("disk_full", "磁盘已满，无法写入", "the disk is full"),
    errno.EROFS: ("read_only", "文件系统是只读的", "the file system is read-only"),
    errno.EACCES: ("read_only", "没有写入权限", "permission denied"),
    errno.EPERM: ("read_only", "没有写入权限", "permission denied"),
    errno.ENAMETOOLONG: ("cannot_open", "文件名过长", "the file name is too long"),
}


def _short(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else f"{text[:limit]}…"


def _message(zh: str, en: str, where: str | None, detail: str) -> str:
    place = f"：{_short(str(where))}" if where else ""
    return f"{zh}{place} ({en}; {_short(detail)})"


def storage_failure(exc: BaseException, where: str | None = None) -> StorageUnavailable | None:
    """The :class:`StorageUnavailable` that ``exc`` (a SQLAlchemy, sqlite3 or OS error met
    while opening or writing the database at ``where``) means, or None when it is something
    else (a bug, a constraint: left to propagate)."""
    if isinstance(exc, StorageUnavailable):
        return exc
    original: BaseException = exc
    if isinstance(exc, sa_exc.DBAPIError) and exc.orig is not None:
        original = exc.orig
    text = str(original).strip()
    detail = text.splitlines()[0] if text else type(original).__name__
    if isinstance(original, sqlite3.Error):
        lowered = text.lower()
        for words, reason, zh, en in _SQLITE_FAILURES:
            if any(w in lowered for w in words):
                message = _message(zh, en, where, detail)
                return StorageUnavailable(message, reason=reason, where=where)
        return None
    if isinstance(exc, sa_exc.OperationalError):
        if exc.connection_invalidated or "connect" in detail.lower():
            return StorageUnavailable(
                _message("无法连接数据库服务器", "cannot reach the database server", where, detail),
                reason="unreachable",
                where=where,
            )
        return None
    if isinstance(original, OSError) and original.errno in _OS_FAILURES:
        reason, zh, en = _OS_FAILURES[original.errno]
        return StorageUnavailable(_message(zh, en, where, detail), reason=reason, where=where)
    return None
