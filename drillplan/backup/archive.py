"""Reading a backup zip without trusting it: limits on what members may expand to, streamed
SHA-256 digests, and one clear error for a damaged file.

Nothing here reads a member whole: members are streamed in chunks (digest, byte and line
counts) or line by line with a longest-line cap, so a zip bomb or a member without line
breaks is refused after a bounded amount of memory and work. The declared sizes in the zip's
directory are judged first (cheap); zipfile itself stops a member at its declared size and
checks its CRC, so a member whose header lies ends as "damaged".
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from drillplan.kernel.errors import ValidationError

MiB = 1 << 20
GiB = 1 << 30
CHUNK = MiB
#: what reading a zip may raise when the file is damaged (truncated, padded, corrupt)
DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


@dataclass(frozen=True)
class Limits:
    """How far a backup may expand while it is read (the defaults fit a city-scale office)."""

    max_member: int = 2 * GiB  # bytes of one uncompressed member
    max_total: int = 8 * GiB  # bytes of all members together
    max_ratio: int = 200  # uncompressed / compressed, for members above ratio_floor
    ratio_floor: int = MiB
    max_line: int = 16 * MiB  # one row of a table
    max_manifest: int = MiB
    max_members: int = 1_000


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class MemberDigest:
    sha256: str
    size: int
    lines: int


def damaged(path: Path, what: str, what_en: str) -> ValidationError:
    return ValidationError(
        "file",
        f"备份文件 {path.name} 已损坏或不完整：{what}",
        message_en=f"backup {path.name} is damaged or incomplete: {what_en}",
    )


def too_large(path: Path, what: str, what_en: str) -> ValidationError:
    return ValidationError(
        "file",
        f"备份文件 {path.name} 解压后超出限制，已拒绝：{what}",
        message_en=f"backup {path.name} expands beyond the limits, refused: {what_en}",
    )


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn what a damaged zip raises inside the block into :func:`damaged`."""
    try:
        yield
    except DAMAGE as exc:
        raise damaged(path, str(exc) or type(exc).__name__, str(exc) or type(exc).__name__) from exc


@contextmanager
def open_zip(path: Path, limits: Limits = DEFAULT_LIMITS) -> Iterator[zipfile.ZipFile]:
    """The zip at ``path`` once its directory passed :func:`check_directory`."""
    with reading(path), zipfile.ZipFile(path) as zf:
        check_directory(path, zf, limits)
        yield zf


def check_directory(path: Path, zf: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse a zip whose declared members are too many, too large, too compressed,
    encrypted or compressed with a method drillplan does not write."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise too_large(path, f"{len(infos)} 个成员", f"{len(infos)} members")
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise damaged(path, f"{info.filename} 已加密", f"{info.filename} is encrypted")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise damaged(
                path,
                f"{info.filename} 的压缩方式不受支持",
                f"{info.filename}: unsupported compression",
            )
        judge_size(path, info.filename, info.file_size, info.compress_size, limits)
        total += info.file_size
        if total > limits.max_total:
            raise too_large(path, f"合计超过 {limits.max_total} 字节", f"over {limits.max_total} B")


def judge_size(path: Path, name: str, size: int, compressed: int, limits: Limits) -> None:
    if size > limits.max_member:
        raise too_large(path, f"{name} 超过 {limits.max_member} 字节", f"{name}: {size} B")
    if size > limits.ratio_floor and size > limits.max_ratio * max(compressed, 1):
        raise too_large(
            path,
            f"{name} 压缩比超过 {limits.max_ratio}:1",
            f"{name} expands more than {limits.max_ratio}:1",
        )


def read_small(path: Path, zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A small member (the manifest) read whole, at most ``limit`` bytes."""
    with reading(path), zf.open(name) as fh:
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise too_large(path, f"{name} 超过 {limit} 字节", f"{name} over {limit} B")
    return data


def digest(path: Path, zf: zipfile.ZipFile, name: str, limits: Limits) -> MemberDigest:
    """Stream one member: its SHA-256, size and line count; refuses overlong lines."""
    info = zf.getinfo(name)
    sha = hashlib.sha256()
    size = lines = run = 0
    with reading(path), zf.open(info) as fh:
        while chunk := fh.read(CHUNK):
            size += len(chunk)
            judge_size(path, name, size, info.compress_size, limits)
            sha.update(chunk)
            breaks = chunk.count(b"\n")
            if not breaks:
                run += len(chunk)
            else:
                longest = run + chunk.find(b"\n")
                if len(chunk) > limits.max_line:  # a whole line may sit inside the chunk
                    longest = max(longest, *map(len, chunk.split(b"\n")[1:-1]), 0)
                run = len(chunk) - 1 - chunk.rfind(b"\n")
                lines += breaks
                longest = max(longest, run)
                if longest > limits.max_line:
                    raise too_large(path, f"{name} 的一行过长", f"{name}: a line is too long")
            if run > limits.max_line:
                raise too_large(path, f"{name} 的一行过长", f"{name}: a line is too long")
    if run:
        raise damaged(path, f"{name} 的最后一行不完整", f"{name}: the last line is cut off")
    return MemberDigest(sha.hexdigest(), size, lines)


def member_lines(path: Path, fh: IO[bytes], name: str, limits: Limits) -> Iterator[bytes]:
    """The lines of an open member, each at most ``limits.max_line`` bytes."""
    while True:
        with reading(path):
            line = fh.readline(limits.max_line + 1)
        if not line:
            return
        if len(line) > limits.max_line:
            raise too_large(path, f"{name} 的一行过长", f"{name}: a line is too long")
        yield line
