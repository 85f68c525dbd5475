"""Files written whole or not at all.

Every file the tool writes (exports, templates, PDF reports, iCalendar files, screenshots,
backups) goes through :func:`atomic_write` (a file object) or :func:`atomic_path` (a path, for
libraries that insist on opening the file themselves): the content is written to a temporary
file in the same folder, flushed to disk and renamed over the target (``os.replace``) only once
it is complete. On any failure (a full disk, a cancel, an exception while building) the
temporary file is removed, so no partial file is left and a previous file at that path is
untouched. An ``OSError`` becomes one :class:`FileWriteError` naming the file and the reason
("磁盘空间不足 (no space left on device)"); anything else is raised as it is.

    with atomic_write(path, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from drillplan.kernel.errors import DrillplanError

__all__ = ["FileWriteError", "atomic_path", "atomic_write", "reason_of"]

# errno name -> (中文, English): what the user is told (a name this platform lacks is skipped)
_REASON_NAMES: dict[str, tuple[str, str]] = {
    "ENOSPC": ("磁盘空间不足", "no space left on device"),
    "EDQUOT": ("超出磁盘配额", "disk quota exceeded"),
    "EFBIG": ("文件过大", "file too large"),
    "EACCES": (
        "没有写入权限，或文件正被其他程序打开",
        "permission denied, or the file is open in another program",
    ),
    "EPERM": ("没有写入权限", "operation not permitted"),
    "EROFS": ("磁盘或文件夹是只读的", "read-only file system"),
    "ENOENT": ("文件夹不存在", "no such folder"),
    "ENOTDIR": ("路径中有一段不是文件夹", "a part of the path is not a folder"),
    "EISDIR": ("目标是一个文件夹", "the path is a folder"),
    "ENAMETOOLONG": ("文件名过长", "file name too long"),
    "EIO": ("磁盘读写错误", "input/output error"),
}
_REASONS = {getattr(errno, k): v for k, v in _REASON_NAMES.items() if hasattr(errno, k)}
_TEMP_TRIES = 20


class FileWriteError(DrillplanError):
    """A file could not be written; nothing was left at ``path`` (a previous file is kept)."""

    def __init__(self, path: Path | str, reason: str, reason_en: str) -> None:
        self.path = Path(path)
        self.reason = reason
        self.reason_en = reason_en
        super().__init__(
            f"无法写入文件 {self.path}：{reason} (cannot write {self.path}: {reason_en})"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (type(self), (self.path, self.reason, self.reason_en))


def reason_of(exc: OSError) -> tuple[str, str]:
    """The user's words for an ``OSError``: (中文, English)."""
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    if getattr(exc, "winerror", None) in (32, 33):  # sharing / lock violation (Windows)
        return (
            "文件正被其他程序（如 Excel）打开，请关闭后重试",
            "the file is open in another program",
        )
    text = exc.strerror or str(exc) or type(exc).__name__
    return (text, text)


def _target(path: Path | str) -> Path:
    """The file to write: a name is needed, and it may not be a folder."""
    target = Path(path)
    if not str(path).strip() or target.name in ("", ".", ".."):
        raise FileWriteError(path, "没有给出文件名", "no file name given")
    if target.is_dir():
        raise FileWriteError(target, *_REASONS.get(errno.EISDIR, ("目标是一个文件夹", "a folder")))
    return target


def _temp_for(target: Path) -> tuple[Path, int]:
    """Create a new, empty temporary file beside ``target``; created with mode 0o666 less the
    umask (as a plain ``open`` would), so the renamed file has the usual permissions."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    for _ in range(_TEMP_TRIES):
        temp = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return temp, os.open(temp, flags, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


def _remove(temp: Path) -> None:
    with contextlib.suppress(OSError):
        temp.unlink()


def _sync(fd: int) -> None:
    with contextlib.suppress(OSError):  # some file systems (network shares) refuse fsync
        os.fsync(fd)


def _sync_path(temp: Path) -> None:
    fd = os.open(temp, os.O_RDWR | getattr(os, "O_BINARY", 0))
    try:
        _sync(fd)
    finally:
        os.close(fd)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX; Windows has no directory handles to sync)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _commit(temp: Path, target: Path) -> None:
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a directory", str(target))
    os.replace(temp, target)
    _sync_folder(target.parent)


@contextlib.contextmanager
def atomic_path(path: Path | str) -> Iterator[Path]:
    """A temporary path beside ``path`` for a writer that opens the file itself; renamed over
    ``path`` when the block ends without an exception, removed otherwise."""
    target = _target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp, fd = _temp_for(target)
        os.close(fd)
    except OSError as exc:
        raise FileWriteError(target, *reason_of(exc)) from exc
    try:
        yield temp
        _sync_path(temp)
        _commit(temp, target)
    except OSError as exc:
        _remove(temp)
        raise FileWriteError(target, *reason_of(exc)) from exc
    except BaseException:
        _remove(temp)
        raise


@contextlib.contextmanager
def atomic_write(
    path: Path | str,
    mode: str = "wb",
    *,
    encoding: str | None = None,
    newline: str | None = None,
) -> Iterator[IO[Any]]:
    """An open file (``mode`` "w"/"wb", text or binary) whose content replaces ``path`` only
    when the block ends without an exception; the caller may close it early (some writers
    do), the content is still synced and renamed."""
    if mode not in ("w", "wb", "wt"):
        raise ValueError(f"atomic_write writes a new file: mode {mode!r}")
    binary = "b" in mode
    if binary and encoding is not None:
        raise ValueError("binary mode takes no encoding")
    target = _target(path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temp, fd = _temp_for(target)
    except OSError as exc:
        raise FileWriteError(target, *reason_of(exc)) from exc
    try:
        if binary:
            fh: IO[Any] = os.fdopen(fd, "wb")
        else:
            fh = os.fdopen(fd, "w", encoding=encoding or "utf-8", newline=newline)
    except BaseException:
        os.close(fd)
        _remove(temp)
        raise
    try:
        with fh:
            yield fh
            if fh.closed:  # the writer closed it: its content is complete
                _sync_path(temp)
            else:
                fh.flush()
                _sync(fh.fileno())
        _commit(temp, target)
    except OSError as exc:
        _remove(temp)
        raise FileWriteError(target, *reason_of(exc)) from exc
    except BaseException:
        _remove(temp)
        raise
