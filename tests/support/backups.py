"""Helpers for backup and restore tests: what a database holds (to prove a refused restore
changed nothing), rewriting a portable dump member by member, and a cheap zip bomb."""

from __future__ import annotations

import hashlib
import json
import zipfile
import zlib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from unittest import mock

from sqlalchemy import Engine, MetaData, select

from drillplan.db.engine import sqlite_path

ZEROS = bytes(1 << 20)


def snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (and the schema revision), in primary-key order."""
    meta = MetaData()
    out: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        meta.reflect(bind=conn)
        for table in meta.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order)).all()
            out[table.name] = [
                tuple(v.normalize() if isinstance(v, Decimal) else v for v in row) for row in rows
            ]
    return out


def fingerprint(engine: Engine) -> tuple[dict[str, list[tuple[Any, ...]]], str | None]:
    """Every row, and for a SQLite database the SHA-256 of its file (checkpointed first)."""
    rows = snapshot(engine)
    engine.dispose()  # the last connection closing checkpoints the WAL into the file
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path is not None else None
    return rows, digest


def read_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def write_members(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def rewrite(
    source: Path,
    dest: Path,
    change: Callable[[dict[str, bytes], dict[str, Any]], None],
    *,
    rehash: bool = True,
) -> Path:
    """A copy of the dump ``source`` after ``change(members, manifest)``; with ``rehash`` the
    manifest's digests are made to match the changed members (a consistent forgery)."""
    members = read_members(source)
    manifest = json.loads(members.pop("manifest.json"))
    change(members, manifest)
    if rehash and "members" in manifest:
        manifest["members"] = {
            name: {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            for name, data in members.items()
        }
    members["manifest.json"] = json.dumps(manifest).encode()
    return write_members(dest, members)


class _Repeating:
    """Deflate for a stream of identical zero chunks: the first chunk is compressed and ended
    with a full flush, and the same bytes stand for every later chunk (so 2 GB take a second)."""

    def __init__(self) -> None:
        self._c = zlib.compressobj(9, zlib.DEFLATED, -15)
        self._block: bytes | None = None

    def compress(self, data: bytes) -> bytes:
        assert data == ZEROS
        if self._block is None:
            self._block = self._c.compress(data) + self._c.flush(zlib.Z_FULL_FLUSH)
        return self._block

    def flush(self) -> bytes:
        return self._c.flush()


def write_zeros(zf: zipfile.ZipFile, name: str, size: int) -> None:
    """A member of ``size`` bytes of zeros (rounded down to MiB), streamed: a real, valid zip
    member (zipfile computes its CRC; reading it back yields the zeros)."""
    with (
        mock.patch.object(zipfile, "_get_compressor", lambda *_a: _Repeating()),
        zf.open(name, "w") as fh,
    ):
        for _ in range(size // len(ZEROS)):
            fh.write(ZEROS)
