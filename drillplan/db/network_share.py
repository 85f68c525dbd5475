"""Is a SQLite file on a network share, where its locks cannot be trusted? Qt-free.

SQLite keeps its data safe with file locks; on a network share (a Windows UNC path
``\\\\server\\share``, a mapped network drive, or an NFS/CIFS/SMB mount on Linux) those locks are
unreliable and two PCs writing at once can corrupt the file. The desktop application and the
command line call :func:`share_finding` before opening a SQLite database and say what to do:
keep the file on the local disk, or use the shared PostgreSQL server for several PCs
(``docs/install.md``).
"""

from __future__ import annotations

import ctypes
import sys
from dataclasses import dataclass
from pathlib import Path, PurePath, PureWindowsPath

#: file-system types (``/proc/mounts``) whose locks SQLite cannot rely on
NETWORK_FS = frozenset(
    {"nfs", "nfs4", "cifs", "smb", "smb2", "smb3", "smbfs", "ncpfs", "afs", "9p", "fuse.sshfs",
     "sshfs", "ceph", "glusterfs", "fuse.glusterfs", "davfs", "fuse.davfs2", "fuse.rclone"}
)  # fmt: skip
DRIVE_REMOTE = 4  # GetDriveTypeW: a network drive

WHAT_TO_DO_ZH = (
    "请把数据库文件放在本机硬盘上（默认位置：%LOCALAPPDATA%\\drillplan），"
    "多台电脑共用数据请改用共享的 PostgreSQL 服务器（见安装说明 docs/install.md）。"
)
WHAT_TO_DO_EN = (
    "keep the database file on this PC's own disk (default: %LOCALAPPDATA%\\drillplan); "
    "for several PCs sharing data use the shared PostgreSQL server (see docs/install.md)."
)


@dataclass(frozen=True)
class ShareFinding:
    path: str
    kind: str  # "unc", "network drive", or the Linux file-system type ("nfs4", "cifs" ...)

    @property
    def message_zh(self) -> str:
        return (
            f"数据库文件 {self.path} 位于网络共享（{self.kind}）上，"
            f"SQLite 在网络共享上无法可靠加锁，多人同时使用可能损坏数据。{WHAT_TO_DO_ZH}"
        )

    @property
    def message_en(self) -> str:
        return (
            f"the database file {self.path} is on a network share ({self.kind}), where SQLite "
            f"cannot lock it reliably and two users at once can corrupt it: {WHAT_TO_DO_EN}"
        )


def unescape_mount(field: str) -> str:
    """``/proc/mounts`` writes space, tab, newline and backslash as octal escapes."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mount_fs_type(path: PurePath, mounts_text: str) -> str | None:
    """The file-system type of the mount that holds ``path`` (the longest mount point above it)."""
    best: tuple[int, str] | None = None
    for line in mounts_text.splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        point = PurePath(unescape_mount(fields[1]))
        inside = path == point or point in path.parents
        if inside and (best is None or len(point.parts) > best[0]):
            best = (len(point.parts), fields[2])
    return best[1] if best else None


def _windows_drive_type(drive: str) -> int | None:
    if sys.platform != "win32":
        return None
    windll = getattr(ctypes, "windll", None)
    if windll is None:
        return None
    return int(windll.kernel32.GetDriveTypeW(f"{drive}\\"))


def _read_mounts() -> str | None:
    try:
        return Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
    except OSError:  # not Linux
        return None


def share_finding(
    path: str | PurePath,
    *,
    windows: bool | None = None,
    mounts_text: str | None = None,
    drive_type: int | None = None,
) -> ShareFinding | None:
    """A finding when ``path`` (a SQLite file, existing or not) is on a network share.

    The keyword arguments stand in for the machine in tests: ``windows`` (default: this
    machine), the text of ``/proc/mounts``, the ``GetDriveTypeW`` answer for the drive.
    """
    text = str(path)
    is_windows = sys.platform == "win32" if windows is None else windows
    if is_windows or text.startswith(("\\\\", "//")):
        win = PureWindowsPath(text)
        if text.startswith(("\\\\", "//")) and not text.startswith(("\\\\?\\", "\\\\.\\")):
            return ShareFinding(text, "unc")
        if text.upper().startswith("\\\\?\\UNC\\"):
            return ShareFinding(text, "unc")
        if is_windows and win.drive:
            kind = drive_type if drive_type is not None else _windows_drive_type(win.drive)
            if kind == DRIVE_REMOTE:
                return ShareFinding(text, "network drive")
        if is_windows:
            return None
    mounts = mounts_text if mounts_text is not None else _read_mounts()
    if not mounts:
        return None
    fs = mount_fs_type(PurePath(text), mounts)
    if fs is not None and (fs in NETWORK_FS or fs.startswith(("nfs", "smb", "cifs"))):
        return ShareFinding(text, fs)
    return None


def url_share_finding(url: str) -> ShareFinding | None:
    """The finding for a database URL: only SQLite files can be on a share that breaks locks."""
    from drillplan.db.engine import sqlite_path

    path = sqlite_path(url)
    return None if path is None else share_finding(path)
